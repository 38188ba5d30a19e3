"""The store port (models/db/port.py) on the caller's Session: every live transition. The
reads and writes are the ones the apply has always made, in the caller's transaction with the
case row locked by the caller (models/db/store.lees_zaak, engine_store.vuur); nothing is
written before the caller commits."""

from __future__ import annotations

from sqlmodel import Session, select

from models.berichten import maak_bericht
from models.contact import TAAK_OPEN, TAAK_SOORT
from models.db.tables import Beschikking, Bezwaar, Client, Deadline, Notificatie


class SqlStore:
    __slots__ = ("session",)

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, model, **kolommen):
        rij = model(**kolommen)
        self.session.add(rij)
        return rij

    def save(self, rij) -> None:
        self.session.add(rij)

    def flush(self) -> None:
        self.session.flush()

    def open_timers(self, model, eigenaar: dict, voor_status: str | None = None) -> list:
        stmt = select(model).where(model.status == "open")
        for kolom, waarde in eigenaar.items():
            stmt = stmt.where(getattr(model, kolom) == waarde)
        if voor_status is not None:
            stmt = stmt.where(model.voor_status == voor_status)
        return list(self.session.exec(stmt.order_by(model.datum, model.id)))

    def timer(self, model, sleutel: str):
        return self.session.exec(select(model).where(model.sleutel == sleutel)).first()

    def queue_bericht(self, **bericht) -> bool:
        return queue_bericht(session=self.session, **bericht)

    def beschikkingen(
        self, zaak: str, client_id: str | None = None, status: str | None = None
    ) -> list:
        stmt = select(Beschikking).where(Beschikking.zaak == zaak)
        if client_id is not None:
            stmt = stmt.where(Beschikking.client_id == client_id)
        if status is not None:
            stmt = stmt.where(Beschikking.status == status)
        return list(self.session.exec(stmt))

    def client(self, agb: str | None, client_id: str, bsn: str | None = None):
        stmt = select(Client).where(Client.agb == agb, Client.client_id == client_id)
        if agb is None and bsn is not None:  # without provider: the person's own row
            stmt = stmt.where(Client.bsn == bsn)
        return self.session.exec(stmt).first()

    def open_taken(self, zaak: str, client_id: str) -> list:
        return list(
            self.session.exec(
                select(Deadline).where(
                    Deadline.zaak == zaak,
                    Deadline.soort == TAAK_SOORT,
                    Deadline.client_id == client_id,
                    Deadline.status.in_(TAAK_OPEN),
                )
            )
        )

    def open_bezwaar(self, zaak: str):
        return self.session.exec(
            select(Bezwaar)
            .where(Bezwaar.zaak == zaak, Bezwaar.uitkomst.is_(None))
            .order_by(Bezwaar.id.desc())
        ).first()


def store_van(session_of_store) -> SqlStore:
    """A Session as the store port; a store as it is. For the callers that hold a Session
    (the dialoog's apply and timers, tasks/dialoog.py)."""
    return SqlStore(session_of_store) if isinstance(session_of_store, Session) else session_of_store


def queue_bericht(
    *,
    session: Session,
    sleutel: str,
    sjabloon: str,
    kanaal: str,
    zaak: str | None = None,
    agb: str | None = None,
    brief_id: int | None = None,
    **context,
) -> bool:
    """Queue one notification once (its `sleutel` is the idempotency key): a transition's
    messages, and those outside one (intake errors, delivery alerts)."""
    if (
        session.exec(select(Notificatie.id).where(Notificatie.sleutel == sleutel)).first()
        is not None
    ):
        return False
    onderwerp, tekst = maak_bericht(sjabloon, zaak=zaak, **context)
    session.add(
        Notificatie(
            sleutel=sleutel,
            zaak=zaak,
            kanaal=kanaal,
            agb=agb,
            onderwerp=onderwerp,
            tekst=tekst,
            brief_id=brief_id,
        )
    )
    return True
