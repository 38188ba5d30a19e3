"""Tables of the analyses: backfill runs, their finished chunks and the snapshots they write.

A backfill is keyed by its parameters, so running the same question again replaces its own
snapshots; the chunk rows are what lets a crashed backfill resume where it stopped."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Backfill(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=120)
    van: dt.date
    tot: dt.date
    stap: str
    scope: str
    chunk_grootte: int
    peildata: int = 0
    chunks: int = 0
    status: str = "bezig"  # bezig | klaar
    flow_run_id: str | None = None
    gestart: dt.datetime = Field(default_factory=_now)
    klaar_op: dt.datetime | None = None


class BackfillChunk(SQLModel, table=True):
    """A finished chunk: written in the same transaction as its snapshots."""

    backfill: str = Field(primary_key=True, max_length=120)
    chunk: int = Field(primary_key=True)
    beschikkingen: int = 0
    rijen: int = 0
    afgerond: dt.datetime = Field(default_factory=_now)


class Snapshot(SQLModel, table=True):
    """One beschikking (one client) as of one peildatum: its open obligations and whether
    the CCE ontwikkeltraject rule is kept. Pseudonymous: zaak key and client_id only."""

    __table_args__ = (
        Index("ix_snapshot_backfill_chunk", "backfill", "chunk"),
        Index("ix_snapshot_backfill_peildatum", "backfill", "peildatum"),
    )
    id: int | None = Field(default=None, primary_key=True)
    backfill: str = Field(max_length=120)
    chunk: int
    peildatum: dt.date
    beschikking: int
    zaak: str = Field(max_length=20)
    client_id: str
    agb: str = Field(max_length=8)
    leveringsvorm: str
    thuis: bool = False
    fase: str  # toekomstig (decided, not started) | actief
    einde: dt.date
    bedrag_per_jaar: float = 0.0
    herbeoordeling_start: dt.date | None = None
    volgende_verplichting: str | None = None
    volgende_datum: dt.date | None = None
    verplichtingen_open: int = 0
    verplichtingen_90d: int = 0
    cce_status: str  # ok | risico | overtreding
    cce_uiterlijk: dt.date
