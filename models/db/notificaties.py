"""The outbox's queries (table notificatie): the rows due for delivery, the claim that makes
one deliverer its sender (tasks/notify.py), the counts of the health view (tasks/status.py)
and a zaak's or dialoog's notifications for the CLI. Each takes the caller's session; rows
are queued by models/db/engine_store.queue_bericht."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, update
from sqlmodel import Session, select

from models.db.tables import Notificatie


def _bezorgbaar(now: dt.datetime, zaak: str | None = None):
    """The outbox rows due now (of one case, or all): not delivered, not dead, backoff over."""
    stmt = select(Notificatie.id).where(
        Notificatie.status.in_(("wachtend", "bezig")), Notificatie.volgende_poging <= now
    )
    return stmt.where(Notificatie.zaak == zaak) if zaak else stmt


def iets_te_bezorgen(*, session: Session, now: dt.datetime, zaak: str | None) -> bool:
    """Whether a row (of this zaak, or any) is due now."""
    return session.exec(_bezorgbaar(now, zaak).limit(1)).first() is not None


def bezorgbare_ids(
    *, session: Session, now: dt.datetime, zaak: str | None, limit: int
) -> list[int]:
    """The ids of at most `limit` rows due now, oldest first."""
    return list(session.exec(_bezorgbaar(now, zaak).order_by(Notificatie.id).limit(limit)))


def claim(*, session: Session, row_id: int, now: dt.datetime, lease_tot: dt.datetime) -> bool:
    """Take a due row for delivery until `lease_tot`, counting the try: a compare-and-set on
    its status and due time, so of two deliverers only one gets it (True)."""
    result = session.execute(
        update(Notificatie)
        .where(
            Notificatie.id == row_id,
            Notificatie.status.in_(("wachtend", "bezig")),
            Notificatie.volgende_poging <= now,
        )
        .values(status="bezig", pogingen=Notificatie.pogingen + 1, volgende_poging=lease_tot)
    )
    return result.rowcount == 1


def outbox_per_status(*, session: Session) -> dict[str, int]:
    """How many rows the outbox holds per status."""
    return dict(
        session.exec(select(Notificatie.status, func.count()).group_by(Notificatie.status)).all()
    )


def oudste_wachtend(*, session: Session) -> dt.datetime | None:
    """When the oldest row still waiting for delivery was queued (None: none waits)."""
    return session.exec(
        select(func.min(Notificatie.aangemaakt)).where(Notificatie.status == "wachtend")
    ).one()


def notificaties_van(*, session: Session, zaak: str) -> list[Notificatie]:
    """A zaak's (or a dialoog's) notifications, in the order they were queued."""
    return session.exec(
        select(Notificatie).where(Notificatie.zaak == zaak).order_by(Notificatie.id)
    ).all()
