"""What the zaak's transitions read beyond its row (tasks/zaak.py): the last besluit (or a
chosen one with its letters' terms, for a bezwaar), the bezwaren, the active beschikkingen,
a client of the provider, and the last audit event of an action (the sweep's summary). Each takes the caller's session, so a handler reads in
the transaction of the transition; the zaak's row itself is models/db/store.lees_zaak's, its
beschikkingen and last bezwaar are models/db/zaakoverzicht's."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import AuditEvent, Beschikking, Besluit, Bezwaar, Client
from models.db.tables_brief import Brief


def laatste_besluit(*, session: Session, zaak: str) -> Besluit | None:
    """The zaak's most recent besluit (None: none was taken). A besluit beside the rounds
    (the dwangsom's, ronde < 0, models/dwangsom.RONDE) is never it (Awb 4:19 lid 1)."""
    return session.exec(
        select(Besluit).where(Besluit.zaak == zaak, Besluit.ronde >= 0).order_by(Besluit.id.desc())
    ).first()


def besluit_voor_bezwaar(*, session: Session, zaak: str, besluit_id: int | None) -> dict | None:
    """The besluit a bezwaar is made against (models/bezwaar.registreer): the chosen one, or
    the zaak's last; None when the zaak has none or no besluit of that id. With its letters'
    roles, clients and terms (each indiener's own, Awb 6:8) and the clients they concern."""
    if besluit_id is None:
        rij = laatste_besluit(session=session, zaak=zaak)
    else:
        rij = session.get(Besluit, besluit_id)
    if rij is None or rij.zaak != zaak:
        return None
    brieven = session.exec(select(Brief).where(Brief.besluit_id == rij.id).order_by(Brief.id)).all()
    # Whom it concerns: the clients a mutation names, else every client of the aanvraag (not
    # only those whose parties received a letter).
    clienten = (rij.beoordeling or {}).get("client_ids")
    velden = (
        "id", "datum", "uitkomst", "ronde", "beoordelaar", "tweede_beoordelaar",
        "uiterlijke_reactiedatum", "soort", "rechtsmiddel",
    )  # fmt: skip
    return {
        **{k: getattr(rij, k) for k in velden},
        "brieven": [
            {
                "rollen": list(b.rollen),
                "client_id": b.client_id,
                "status": b.status,
                "uiterlijke_reactiedatum": b.uiterlijke_reactiedatum,
            }
            for b in brieven
        ],
        "clienten": clienten or None,
    }


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


def client_van(
    *, session: Session, agb: str | None, client_id: str, bsn: str | None = None
) -> Client | None:
    """The provider's client with this id (None: not known). Without a provider (agb None)
    the client id is no one's key: the row of the person with this BSN
    (models/db/store.registreer_zaak)."""
    stmt = select(Client).where(Client.agb == agb, Client.client_id == client_id)
    if agb is None and bsn is not None:
        stmt = stmt.where(Client.bsn == bsn)
    return session.exec(stmt).first()


def bsn_in_aanvraag(aanvraag: dict, client_id: str) -> str | None:
    """The BSN the zaak's stored aanvraag gives this client id (None: not one of its
    clients): with the zaak's agb and the id it finds the client's row."""
    return next(
        (c.get("bsn") for c in aanvraag.get("clienten", []) if c.get("client_id") == client_id),
        None,
    )


def laatste_audit(*, session: Session, actie: str) -> AuditEvent | None:
    """The most recent audit event of this action, of any zaak (None: never recorded)."""
    return session.exec(
        select(AuditEvent).where(AuditEvent.actie == actie).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
