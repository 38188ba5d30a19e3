"""Tables of the simple case kinds (models/eenvoudige_soort.py): one row per case of any such
kind, its own data as JSON, and its timers. A new simple kind needs no table of its own: its
data's shape is its declaration's `stand`, versioned by `schema_versie`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Geval(SQLModel, table=True):
    """A case of a simple kind, driven by its flow run (flows/geval.py)."""

    __tablename__ = "geval"
    # The reconcile asks for a kind's open cases (tasks/eenvoudig.py).
    __table_args__ = (Index("ix_geval_soort_status", "soort", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    soort: str = Field(max_length=32)
    # Unique over every simple kind: it names the case's run and its artifact.
    key: str = Field(unique=True, max_length=64)
    status: str
    wacht_op: str | None = Field(default=None, index=True)
    wacht_key: str | None = None
    stap: int = 0
    versie: int = 0
    # The kind's `stand` as JSON, in the shape of `schema_versie`: pseudonymous codes, as
    # the card shows them.
    gegevens: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    schema_versie: int = 1
    laatste_fout: str | None = None
    flow_run_id: str | None = Field(default=None, index=True)
    aangemaakt: dt.datetime = Field(default_factory=_now)
    bijgewerkt: dt.datetime = Field(default_factory=_now)


class GevalTermijn(SQLModel, table=True):
    """A timer of a simple kind's case: the deadline sweep fires it once."""

    __tablename__ = "geval_termijn"
    # The sweep asks each kind for its open rows due by a date.
    __table_args__ = (Index("ix_geval_termijn_due", "geval_soort", "status", "datum"),)
    id: int | None = Field(default=None, primary_key=True)
    sleutel: str = Field(unique=True)
    geval_id: int = Field(foreign_key="geval.id", index=True)
    geval_soort: str = Field(max_length=32)
    soort: str
    datum: dt.date
    status: str = "open"
    # The case's status the timer belongs to: it lapses when the case leaves it.
    voor_status: str | None = None
    gevuurd_op: dt.date | None = None
