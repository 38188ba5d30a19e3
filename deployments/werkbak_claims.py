"""The gateway's side of claims (issue 27): synchronous reads and writes of the case
database, run in a worker thread by the gateway, the werkbak and the dossier. The rules are
models/claim.py; the storage models/db/claims.py."""

from __future__ import annotations

import datetime as dt

from models.claim import reden_hervatten
from models.db.claims import claim_van
from models.db.store import read_engine_for, session_scope
from models.settings import get_settings


def minuten() -> int:
    return get_settings().claim_minuten


def reden_resume(zaak: str, pause_key: str | None, wie: str) -> str | None:
    """Why a person's Resume of this zaak's wait through Prefect is refused: someone else
    holds the task (models/claim.reden_hervatten), else None."""
    with session_scope(read_engine_for(get_settings().db_url)) as session:
        claim = claim_van(session=session, taak=zaak)
    return reden_hervatten(claim, wie, pause_key, dt.datetime.now(dt.UTC), minuten())
