"""Which case a flow run belongs to, per case kind (the gateway's question on every Resume
and audited view): one indexed read of the kind's table by its run id."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import Zaak
from models.db.tables_dialoog import Dialoog


def zaak_met_run(*, session: Session, run_id: str) -> Zaak | None:
    return session.exec(select(Zaak).where(Zaak.flow_run_id == run_id)).first()


def dialoog_met_run(*, session: Session, run_id: str) -> Dialoog | None:
    return session.exec(select(Dialoog).where(Dialoog.flow_run_id == run_id)).first()


def zaken_met_runs_of_keys(*, session: Session, run_ids: set[str], keys: set[str]) -> list[Zaak]:
    return list(
        session.exec(select(Zaak).where(Zaak.flow_run_id.in_(run_ids) | Zaak.key.in_(keys)))
    )
