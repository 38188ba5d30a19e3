"""What the command line shows of one zaak beside its row (deployments/operations.py's
`meerzorg zaak`, deployments/cli_beheer.py's `meerzorg audit`, tasks/bezwaar.py): its
besluiten, beschikkingen, open timers, last bezwaar and audit trail. Each takes the
caller's session; the zaak's notifications are models/db/notificaties.notificaties_van."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import AuditEvent, Beschikking, Besluit, Bezwaar, Deadline


def besluiten_van(*, session: Session, zaak: str) -> list[Besluit]:
    """The zaak's besluiten, in the order they were taken."""
    return session.exec(select(Besluit).where(Besluit.zaak == zaak).order_by(Besluit.id)).all()


def beschikkingen_van(*, session: Session, zaak: str) -> list[Beschikking]:
    """Every beschikking of the zaak, whatever its status."""
    return session.exec(select(Beschikking).where(Beschikking.zaak == zaak)).all()


def open_deadlines(*, session: Session, zaak: str) -> list[Deadline]:
    """The zaak's open timers, soonest first."""
    return session.exec(
        select(Deadline)
        .where(Deadline.zaak == zaak, Deadline.status == "open")
        .order_by(Deadline.datum)
    ).all()


def laatste_bezwaar(*, session: Session, zaak: str) -> Bezwaar | None:
    """The zaak's most recent bezwaar (None: none was made)."""
    return session.exec(
        select(Bezwaar).where(Bezwaar.zaak == zaak).order_by(Bezwaar.id.desc())
    ).first()


def audit_trail(*, session: Session, zaak: str) -> list[AuditEvent]:
    """The zaak's audit events, oldest first."""
    return session.exec(
        select(AuditEvent).where(AuditEvent.zaak == zaak).order_by(AuditEvent.id)
    ).all()
