"""What a contact moment after a thuis verlenging ended without meerzorg needs from the case
database (models/contact.contact_na_afwijzing, N 2025): the client's recorded contacts in the
zaak and the end of the running beschikking the verlenging continued. The caller's session."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import Beschikking, Contact, Zaak


def contact_feiten(*, session: Session, zaak: Zaak, client_id: str) -> dict:
    """{"contacten": [{"datum", "bevinding"}], "lopend_einde": date | None}: the end is that
    of the client's beschikking in the zaak the verlenging continues (its `vorige_zaak`), None
    when the database has none (the rule then takes the day before the requested start)."""
    contacten = session.exec(
        select(Contact).where(Contact.zaak == zaak.key, Contact.client_id == client_id)
    ).all()
    vorige = zaak.vorige_zaak or (zaak.aanvraag or {}).get("vorige_zaak")
    einde = None
    if vorige:
        einde = session.exec(
            select(Beschikking.eind)
            .where(Beschikking.zaak == vorige, Beschikking.client_id == client_id)
            .order_by(Beschikking.eind.desc())
        ).first()
    return {
        "contacten": [{"datum": c.datum, "bevinding": c.bevinding} for c in contacten],
        "lopend_einde": einde,
    }
