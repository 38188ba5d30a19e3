"""The reads of the simple case kinds (tasks/eenvoudig.py): a case by key or by id (under its
row lock when asked), by its run, a kind's open cases and its cases among some keys, and a
kind's due timers. Each takes the caller's session and the kind's name: the tables hold
every simple kind, and a kind sees only its own."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from models.db.tables_geval import Geval, GevalTermijn


def geval_van(*, session: Session, soort: str, key: str, lock: bool = False) -> Geval | None:
    """The case of this kind with this key (None: none); `lock`: under its row lock."""
    stmt = select(Geval).where(Geval.key == key, Geval.soort == soort)
    if lock:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def geval_met_key(*, session: Session, key: str) -> Geval | None:
    """The case with this key, whatever its kind (a new case's key must be free)."""
    return session.exec(select(Geval).where(Geval.key == key)).first()


def geval_op_id(*, session: Session, geval_id: int) -> Geval | None:
    """The case with this id, under its row lock."""
    return session.exec(select(Geval).where(Geval.id == geval_id).with_for_update()).first()


def geval_met_run(*, session: Session, soort: str, run_id: str) -> Geval | None:
    return session.exec(
        select(Geval).where(Geval.flow_run_id == run_id, Geval.soort == soort)
    ).first()


def open_gevallen(*, session: Session, soort: str, gesloten: frozenset[str]) -> list[Geval]:
    """The kind's cases that are not in a closed status."""
    return list(
        session.exec(
            select(Geval)
            .where(Geval.soort == soort, Geval.status.notin_(sorted(gesloten)))
            .order_by(Geval.id)
        )
    )


def gevallen_met_keys(*, session: Session, soort: str, keys: list[str]) -> list[Geval]:
    return list(session.exec(select(Geval).where(Geval.soort == soort, Geval.key.in_(keys))))


def due_termijnen(
    *, session: Session, soort: str, peildatum: dt.date, limit: int = 10_000
) -> list[int]:
    """The kind's open timer rows due on the peildatum, oldest first."""
    return list(
        session.exec(
            select(GevalTermijn.id)
            .where(
                GevalTermijn.geval_soort == soort,
                GevalTermijn.status == "open",
                GevalTermijn.datum <= peildatum,
            )
            .order_by(GevalTermijn.datum, GevalTermijn.id)
            .limit(limit)
        )
    )
