"""What a provider may read through its API (issue 28): every query here is scoped to the
provider's AGB, so another provider's zaak is simply not found (a 404, not a 403)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.db.tables import Besluit, Bezwaar, Deadline, Zaak
from models.db.tables_aanbieder import ApiIdempotentie
from models.db.tables_brief import Brief


def zaken_van(
    *,
    session: Session,
    agb: str,
    gewijzigd_sinds: dt.datetime | None = None,
    na: str | None = None,
    limiet: int = 50,
) -> list[Zaak]:
    """The provider's zaken by key, from after `na` (the previous page's last key)."""
    q = select(Zaak).where(Zaak.agb == agb)
    if gewijzigd_sinds is not None:
        q = q.where(Zaak.bijgewerkt >= gewijzigd_sinds)
    if na:
        q = q.where(Zaak.key > na)
    return list(session.exec(q.order_by(Zaak.key).limit(limiet)).all())


def zaak_van(*, session: Session, agb: str, key: str) -> Zaak | None:
    zaak = session.get(Zaak, key)
    return zaak if zaak is not None and zaak.agb == agb else None


def besluiten_van(*, session: Session, zaak: str) -> list[Besluit]:
    return list(
        session.exec(select(Besluit).where(Besluit.zaak == zaak).order_by(Besluit.id)).all()
    )


def bezwaren_van(*, session: Session, zaak: str) -> list[Bezwaar]:
    return list(
        session.exec(select(Bezwaar).where(Bezwaar.zaak == zaak).order_by(Bezwaar.id)).all()
    )


def open_termijnen(*, session: Session, zaak: str) -> list[Deadline]:
    return list(
        session.exec(
            select(Deadline)
            .where(Deadline.zaak == zaak, Deadline.status == "open")
            .order_by(Deadline.datum)
        ).all()
    )


def brief_aan_aanbieder(*, session: Session, agb: str, besluit_id: int) -> Brief | None:
    """The letter of a besluit addressed or copied to this provider (None: none, or not its
    zaak)."""
    besluit = session.get(Besluit, besluit_id)
    if besluit is None or zaak_van(session=session, agb=agb, key=besluit.zaak) is None:
        return None
    brieven = session.exec(
        select(Brief).where(Brief.besluit_id == besluit_id).order_by(Brief.id)
    ).all()
    return next((b for b in brieven if "zorgaanbieder" in (b.rollen or [])), None)


def verzoek_hash(inhoud: bytes) -> str:
    return hashlib.sha256(inhoud).hexdigest()


def eerder_verzoek(*, session: Session, agb: str, sleutel: str) -> ApiIdempotentie | None:
    return session.get(ApiIdempotentie, (agb, sleutel))


def onthoud_verzoek(
    *, session: Session, agb: str, sleutel: str, verzoek_hash: str, zaak: str
) -> ApiIdempotentie:
    """Record the retry key with the zaak it made. A concurrent twin that got there first
    wins: its row is returned (the caller's transaction then holds the same zaak)."""
    rij = ApiIdempotentie(agb=agb, sleutel=sleutel, verzoek_hash=verzoek_hash, zaak=zaak)
    try:
        with session.begin_nested():
            session.add(rij)
            session.flush()
    except IntegrityError:
        return session.get(ApiIdempotentie, (agb, sleutel), populate_existing=True)
    return rij
