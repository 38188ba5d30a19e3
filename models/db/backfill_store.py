"""The backfill's rows (models/db/tables_analyse.py): its finished chunks, each chunk's
snapshots replaced and recorded in one go, and the counts of its summary. Each function
takes the caller's session, so tasks/snapshots.py keeps its transactions: a chunk's
snapshots and its chunk row are written in the same one, which is what makes a crashed
backfill resume where it stopped."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, func, insert
from sqlalchemy.engine import Row
from sqlmodel import Session, select

from models.db.analyse_lezen import in_periode, van_scope
from models.db.tables import Beschikking, Zaak
from models.db.tables_analyse import BackfillChunk, Snapshot


def beschikking_ids(*, session: Session, van: dt.date, tot: dt.date, scope: str) -> list[int]:
    """The ids of the beschikkingen a backfill over van..tot in `scope` reads."""
    return session.exec(
        select(Beschikking.id)
        .join(Zaak, Zaak.key == Beschikking.zaak)
        .where(*in_periode(van, tot), *van_scope(scope))
    ).all()


def wis_chunks(*, session: Session, backfill: str) -> None:
    """Forget which chunks were done: the backfill starts over."""
    session.exec(delete(BackfillChunk).where(BackfillChunk.backfill == backfill))


def klare_chunks(*, session: Session, backfill: str) -> set[int]:
    return set(
        session.exec(select(BackfillChunk.chunk).where(BackfillChunk.backfill == backfill)).all()
    )


def leg_chunk_vast(
    *, session: Session, backfill: str, chunk: int, rijen: list[dict], beschikkingen: int
) -> None:
    """Replace the chunk's snapshots by `rijen` and record the chunk as done."""
    session.exec(delete(Snapshot).where(Snapshot.backfill == backfill, Snapshot.chunk == chunk))
    if rijen:
        # One bulk INSERT of plain dicts: no ORM object per snapshot row.
        session.execute(insert(Snapshot.__table__), rijen)
    session.exec(
        delete(BackfillChunk).where(
            BackfillChunk.backfill == backfill, BackfillChunk.chunk == chunk
        )
    )
    session.add(
        BackfillChunk(backfill=backfill, chunk=chunk, beschikkingen=beschikkingen, rijen=len(rijen))
    )


def wis_andere_chunks(*, session: Session, backfill: str, chunks: list[int]) -> None:
    """Drop the snapshots of chunks not in `chunks` (that no longer exist)."""
    session.exec(
        delete(Snapshot).where(Snapshot.backfill == backfill, Snapshot.chunk.notin_(chunks or [-1]))
    )


def snapshot_telling(*, session: Session, backfill: str) -> list[Row]:
    """Per peildatum and CCE status: (peildatum, cce_status, beschikkingen, distinct
    clients, of them at home, open obligations within 90 days)."""
    client = Snapshot.agb + "/" + Snapshot.client_id
    return session.exec(
        select(
            Snapshot.peildatum,
            Snapshot.cce_status,
            func.count(),
            func.count(func.distinct(client)),
            func.sum(case((Snapshot.thuis, 1), else_=0)),
            func.sum(Snapshot.verplichtingen_90d),
        )
        .where(Snapshot.backfill == backfill)
        .group_by(Snapshot.peildatum, Snapshot.cce_status)
    ).all()


def chunk_telling(*, session: Session, backfill: str) -> Row:
    """(chunks done, snapshot rows they wrote; None when no chunk is done)."""
    return session.exec(
        select(func.count(), func.sum(BackfillChunk.rijen)).where(
            BackfillChunk.backfill == backfill
        )
    ).one()
