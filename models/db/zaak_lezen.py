"""What the zaak's transitions read beyond its row (tasks/zaak.py): the last besluit, the
bezwaren, the active beschikkingen, a client of the provider, and the last audit event of
an action (the sweep's summary). Each takes the caller's session, so a handler reads in
the transaction of the transition; the zaak's row itself is models/db/store.lees_zaak's, its
beschikkingen and last bezwaar are models/db/zaakoverzicht's."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import AuditEvent, Beschikking, Besluit, Bezwaar, Client


def laatste_besluit(*, session: Session, zaak: str) -> Besluit | None:
    """The zaak's most recent besluit (None: none was taken)."""
    return session.exec(
        select(Besluit).where(Besluit.zaak == zaak).order_by(Besluit.id.desc())
    ).first()


def bezwaren_van(*, session: Session, zaak: str) -> list[Bezwaar]:
    """The zaak's bezwaren, in the order they were made."""
    return session.exec(select(Bezwaar).where(Bezwaar.zaak == zaak).order_by(Bezwaar.id)).all()


def aantal_actieve_beschikkingen(*, session: Session, zaak: str) -> int:
    """How many of the zaak's beschikkingen are active."""
    return len(
        session.exec(
            select(Beschikking.id).where(Beschikking.zaak == zaak, Beschikking.status == "actief")
        ).all()
    )


def client_van(*, session: Session, agb: str, client_id: str) -> Client | None:
    """The provider's client with this id (None: not known)."""
    return session.exec(
        select(Client).where(Client.agb == agb, Client.client_id == client_id)
    ).first()


def laatste_audit(*, session: Session, actie: str) -> AuditEvent | None:
    """The most recent audit event of this action, of any zaak (None: never recorded)."""
    return session.exec(
        select(AuditEvent).where(AuditEvent.actie == actie).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
