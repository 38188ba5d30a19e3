"""The follow-up's reads of the case database (tasks/opvolging.py, tasks/opvolging_mutatie.py):
the active beschikkingen and what the CCE rule reads of their clients, the running zaken,
the goede voorbeelden, a group's client row, and the rows behind the thuis figures (N 2025).
Each function takes the caller's session and adds no transaction of its own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Row
from sqlmodel import Session, select

from models.db.tables import (
    AuditEvent,
    Beschikking,
    Besluit,
    Client,
    Contact,
    Ontwikkeltraject,
    Zaak,
)
from models.overgang import BESCHIKKING_ACTIEF

# Keys per IN list: well under the bound SQLite and drivers put on parameters per query.
IN_LIJST = 500


def _delen(keys: list[str]) -> list[list[str]]:
    return [keys[i : i + IN_LIJST] for i in range(0, len(keys), IN_LIJST)]


# --- the CCE rule over many zaken (tasks/opvolging.cce_per_zaak) ---------------------------


def actieve_beschikkingen_van(*, session: Session, zaken: list[str]) -> list[Beschikking]:
    """The active beschikkingen of these zaken, one query per IN_LIJST keys."""
    return [
        b
        for deel in _delen(zaken)
        for b in session.exec(
            select(Beschikking).where(Beschikking.status == "actief", Beschikking.zaak.in_(deel))
        )
    ]


def cce_clienten(*, session: Session, client_ids: list[str]) -> list[Row]:
    """(agb, client_id, meerzorg_sinds, bsn) of these client ids, whatever their provider:
    rows, not ORM objects (building those was most of the time on 10,000 zaken). The BSN
    tells apart the rows of a client id without provider (models/db/persoon.client_sleutel)."""
    return [
        c
        for deel in _delen(client_ids)
        for c in session.exec(
            select(Client.agb, Client.client_id, Client.meerzorg_sinds, Client.bsn).where(
                Client.client_id.in_(deel)
            )
        )
    ]


def cce_trajecten(*, session: Session, client_ids: list[str]) -> list[Row]:
    """(agb, client_id, bijeenkomst_1, bijeenkomst_2) of the registered ontwikkeltrajecten of
    these client ids, in the order they were registered (per batch of IN_LIJST ids)."""
    return [
        t
        for deel in _delen(client_ids)
        for t in session.exec(
            select(
                Ontwikkeltraject.agb,
                Ontwikkeltraject.client_id,
                Ontwikkeltraject.bijeenkomst_1,
                Ontwikkeltraject.bijeenkomst_2,
            )
            .where(Ontwikkeltraject.client_id.in_(deel))
            .order_by(Ontwikkeltraject.id)
        )
    ]


def lopende_zaken(*, session: Session) -> list[Zaak]:
    """Every zaak with a running beschikking, by key (the compliance list)."""
    return session.exec(
        select(Zaak).where(Zaak.status.in_(tuple(BESCHIKKING_ACTIEF))).order_by(Zaak.key)
    ).all()


def goede_voorbeeld_zaken(*, session: Session) -> list[Zaak]:
    return session.exec(select(Zaak).where(Zaak.goed_voorbeeld).order_by(Zaak.key)).all()


# --- group mutations (tasks/opvolging_mutatie.py) -----------------------------------------


def actieve_beschikkingen(*, session: Session, zaak: str) -> list[Beschikking]:
    return session.exec(
        select(Beschikking).where(Beschikking.zaak == zaak, Beschikking.status == "actief")
    ).all()


def client_van(*, session: Session, agb: str, client_id: str) -> Client | None:
    """The provider's client row (one per agb and client_id), if known."""
    return session.exec(
        select(Client).where(Client.agb == agb, Client.client_id == client_id)
    ).first()


# --- the thuis figures (tasks/opvolging.thuiscijfers) -------------------------------------


def thuiszaken_ingediend(*, session: Session, van: dt.date, tot: dt.date) -> list[Zaak]:
    """The zaken at home received in the period."""
    return session.exec(
        select(Zaak).where(Zaak.thuis, Zaak.ingediend_op >= van, Zaak.ingediend_op <= tot)
    ).all()


def thuisbesluiten(*, session: Session) -> list[Besluit]:
    """Every besluit of a zaak at home, of any date: which one counts is decided after
    (tasks/opvolging.laatste_besluiten)."""
    return session.exec(
        select(Besluit).join(Zaak, Zaak.key == Besluit.zaak).where(Zaak.thuis)
    ).all()


def afgewezen_thuisverlengingen(*, session: Session) -> list[Row]:
    """(zaak, datum) of every afwijzing of a verlenging at home."""
    return session.exec(
        select(Besluit.zaak, Besluit.datum)
        .join(Zaak, Zaak.key == Besluit.zaak)
        .where(Zaak.thuis, Zaak.soort == "verlenging", Besluit.uitkomst == "afwijzen")
    ).all()


def thuistransities(*, session: Session) -> list[AuditEvent]:
    """Every transition of a zaak at home (not the reads): the signals and status changes."""
    return session.exec(
        select(AuditEvent)
        .join(Zaak, Zaak.key == AuditEvent.zaak)
        .where(Zaak.thuis, AuditEvent.actie.not_in(("zaak_gelezen", "audit_gelezen")))
    ).all()


def thuiscontacten(*, session: Session, van: dt.date, tot: dt.date) -> list[str | None]:
    """The bevinding of every contact with a client at home in the period."""
    return session.exec(
        select(Contact.bevinding)
        .join(Zaak, Zaak.key == Contact.zaak)
        .where(Zaak.thuis, Contact.datum >= van, Contact.datum <= tot)
    ).all()
