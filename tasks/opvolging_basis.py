"""What every follow-up command on a running zaak shares: the refusal, reading the zaak
locked, and a transition that keeps the zaak's wait (tasks/opvolging.py,
tasks/opvolging_mutatie.py)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from models.db.store import lees_zaak
from models.db.tables import Zaak
from models.db.zaak_store import pas_toe
from models.overgang import ZaakOvergang


class Geweigerd(ValueError):
    """The request is well-formed but cannot be applied to this zaak (exit 2, one line)."""


def zaak_of_weigering(session: Session, key: str, lock: bool = True) -> Zaak:
    zaak = lees_zaak(session=session, key=key, lock=lock)
    if zaak is None:
        raise Geweigerd(f"zaak {key} does not exist")
    return zaak


def zonder_wacht(
    session: Session,
    zaak: Zaak,
    peildatum: dt.date,
    actor: str,
    actie: str,
    effecten: tuple = (),
    details: dict | None = None,
) -> None:
    """A transition on a running zaak that keeps its wait: audit, outbox and data only."""
    pas_toe(
        session=session,
        zaak=zaak,
        peildatum=peildatum,
        actor=actor,
        overgang=ZaakOvergang(
            status=zaak.status,
            actie=actie,
            nieuwe_wacht=False,
            effecten=effecten,
            details=details or {},
        ),
    )
