"""Tables of the yearly meerzorgdialoog: one row per provider per year, and its timers.

The timers are their own rows (not `deadline`): `Deadline.zaak` is a foreign key to a
zaak, and a dialoog belongs to a provider, not to a zaak."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Dialoog(SQLModel, table=True):
    """The meerzorgdialoog of one provider for one year (R §10), driven by its flow run."""

    __table_args__ = (UniqueConstraint("agb", "jaar"),)
    id: int | None = Field(default=None, primary_key=True)
    agb: str = Field(foreign_key="zorgaanbieder.agb", index=True, max_length=8)
    jaar: int = Field(index=True)
    status: str = Field(default="gepland", index=True)
    wacht_op: str | None = Field(default=None, index=True)
    wacht_key: str | None = None
    stap: int = 0
    versie: int = 0
    # Planned dates until they happen; `uitnodiging` is the day it was sent once sent.
    uitnodiging: dt.date
    meerzorgplan_uiterlijk: dt.date
    dialoog: dt.date
    meerzorgplan_ontvangen: dt.date | None = None
    meerzorgplan_document: str | None = None
    gehouden_op: dt.date | None = None
    # Notes per agenda item (keys of models.dialoog.AGENDA); a rejected form keeps its text.
    notities: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    afspraken: str | None = None
    vorige_afspraken: str | None = None
    verslaglegger: str | None = None
    # R §10: the dialoog is held with the CCE; a verslag is recorded only with it present.
    cce_aanwezig: bool | None = None
    laatste_fout: str | None = None
    beleidsversie: str
    flow_run_id: str | None = None
    aangemaakt: dt.datetime = Field(default_factory=_now)
    bijgewerkt: dt.datetime = Field(default_factory=_now)


class DialoogTermijn(SQLModel, table=True):
    """A timer of a dialoog (reminder, escalation): the deadline sweep fires it once."""

    id: int | None = Field(default=None, primary_key=True)
    sleutel: str = Field(unique=True)
    dialoog_id: int = Field(foreign_key="dialoog.id", index=True)
    soort: str
    datum: dt.date = Field(index=True)
    status: str = Field(default="open", index=True)
    # The dialoog status the timer belongs to: it lapses when the dialoog leaves it.
    voor_status: str | None = None
    gevuurd_op: dt.date | None = None


class DialoogVerslag(SQLModel, table=True):
    """The verslag as a letter to the provider (models/dialoog_verslag.py): the PDF stays
    here, the outbox row `notificatie` carries it as its attachment (tasks/notify.py)."""

    __tablename__ = "dialoog_verslag"
    id: int | None = Field(default=None, primary_key=True)
    dialoog_id: int = Field(foreign_key="dialoog.id", unique=True)
    notificatie: str = Field(unique=True)  # the outbox row's sleutel
    datum: dt.date
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    aangemaakt: dt.datetime = Field(default_factory=_now)
