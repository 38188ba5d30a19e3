"""The werkbak's tables (issue 27): who picked up which task (taak_claim) and each login's
saved werkbak filter (werkbak_filter). Zaak keys and medewerker ids only: a claim says
nothing of the client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TaakClaim(SQLModel, table=True):
    """One row per zaak at most (the primary key makes a second claim's insert fail): the
    holder of its current wait. A claim on an earlier wait (another wacht_key) holds nothing
    (models/claim.py)."""

    __tablename__ = "taak_claim"
    taak: str = Field(primary_key=True, max_length=32)
    wacht_key: str = Field(max_length=128)
    houder: str = Field(foreign_key="medewerker.id", index=True, max_length=64)
    sinds: dt.datetime = Field(default_factory=_now)
    actief: dt.datetime = Field(default_factory=_now)


class WerkbakFilter(SQLModel, table=True):
    """A login's last werkbak filter and sort, so the werkbak opens as she left it."""

    __tablename__ = "werkbak_filter"
    medewerker: str = Field(primary_key=True, foreign_key="medewerker.id", max_length=64)
    filter: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    bijgewerkt: dt.datetime = Field(default_factory=_now)
