"""The zaken's runs as tasks/runs.py reads them: the zaken whose run's tags to refresh, the
open zaken without a run, and the open zaken's runs and waits the reconcile compares with
Prefect's (all, or by key in batches). Each takes the caller's session."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session, select

from models.db.tables import Zaak
from models.overgang import GESLOTEN

BATCH = 500  # keys per IN (...) of zaak_runs_per_key


def zaken_met_run(*, session: Session, keys: list[str]) -> list[Zaak]:
    """The zaken of these keys that have a run."""
    return session.exec(select(Zaak).where(Zaak.key.in_(keys), Zaak.flow_run_id.is_not(None))).all()


def open_zaken_zonder_run(*, session: Session) -> list[tuple[str, str, str]]:
    """(key, agb, leveringsvorm) of every open zaak that has no run yet."""
    return session.exec(
        select(Zaak.key, Zaak.agb, Zaak.leveringsvorm).where(
            Zaak.flow_run_id.is_(None), Zaak.status.notin_(tuple(GESLOTEN))
        )
    ).all()


def open_zaak_runs(*, session: Session) -> list[tuple[str, str | None, str | None]]:
    """(key, flow_run_id, wacht_key) of every open zaak."""
    return session.exec(
        select(Zaak.key, Zaak.flow_run_id, Zaak.wacht_key).where(
            Zaak.status.notin_(tuple(GESLOTEN))
        )
    ).all()


def zaak_runs_per_key(
    *, session: Session, keys: list[str]
) -> Iterator[tuple[str, str | None, str | None, str]]:
    """(key, flow_run_id, wacht_key, status) of the zaken of these keys, whatever their
    status: one query per BATCH keys, in the caller's session."""
    for start in range(0, len(keys), BATCH):
        yield from session.exec(
            select(Zaak.key, Zaak.flow_run_id, Zaak.wacht_key, Zaak.status).where(
                Zaak.key.in_(keys[start : start + BATCH])
            )
        )
