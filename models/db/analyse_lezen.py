"""The analyses' reads of the case database (tasks/analyse.py, tasks/snapshots.py): the
beschikkingen with their zaak and what is known of their clients, the rows of the yearly
report and of what-if, and the conditions that pick the beschikkingen of a period, a chunk,
a provider or a set of zaken. Each function takes the caller's session (on SQLite a
deferred-read one, tasks/analyse.lees_scope)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlalchemy.engine import Row
from sqlmodel import Session, select

from models.db.tables import Beschikking, Besluit, Client, Ontwikkeltraject, Zaak
from models.overgang import GESLOTEN

# Client ids per IN list: well under the bound SQLite and drivers put on parameters.
IN_LIJST = 500


def _agb(kolom):
    """The analyses read a zaak without provider (issue 25, agb NULL) as the empty code "":
    a NULL sorts, groups and matches (IN) like no other value (models/aanvrager.py names
    that group in a report)."""
    return func.coalesce(kolom, "")


# --- which beschikkingen: conditions for beschikkingen_met_zaak ---------------------------


def in_periode(van: dt.date, tot: dt.date) -> tuple:
    """Decided by `tot` and not ended before `van`."""
    return (Beschikking.besluitdatum <= tot, Beschikking.eind >= van)


def in_chunk(lo: int, hi: int) -> tuple:
    """The beschikkingen with an id from lo to hi (a backfill's chunk)."""
    return (Beschikking.id >= lo, Beschikking.id <= hi)


def van_scope(scope: str) -> tuple:
    """A backfill's scope: every provider ("all") or one agb."""
    return () if scope == "all" else (Zaak.agb == scope,)


def actief_in(zaken: list[str]) -> tuple:
    """The active beschikkingen of these zaken."""
    return (Beschikking.zaak.in_(zaken), Beschikking.status == "actief")


# --- the beschikkingen and their clients ---------------------------------------------------


def beschikkingen_met_zaak(*, session: Session, voorwaarden: tuple) -> list[Row]:
    """(beschikking, its zaak's agb, its zaak's aanvraag) of the beschikkingen matching the
    conditions above, by id."""
    return session.exec(
        select(Beschikking, _agb(Zaak.agb), Zaak.aanvraag)
        .join(Zaak, Zaak.key == Beschikking.zaak)
        .where(*voorwaarden)
        .order_by(Beschikking.id)
    ).all()


def _delen(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + IN_LIJST] for i in range(0, len(ids), IN_LIJST)]


def meerzorg_sinds(*, session: Session, agbs: list[str], client_ids: list[str]) -> list[Row]:
    """(agb, client_id, meerzorg_sinds) of the clients of these providers with these ids."""
    return [
        c
        for deel in _delen(client_ids)
        for c in session.exec(
            select(_agb(Client.agb), Client.client_id, Client.meerzorg_sinds).where(
                _agb(Client.agb).in_(agbs), Client.client_id.in_(deel)
            )
        )
    ]


def geregistreerde_trajecten(
    *, session: Session, agbs: list[str], client_ids: list[str]
) -> list[Ontwikkeltraject]:
    """The registered ontwikkeltrajecten of the clients of these providers with these ids."""
    return [
        o
        for deel in _delen(client_ids)
        for o in session.exec(
            select(Ontwikkeltraject).where(
                _agb(Ontwikkeltraject.agb).in_(agbs), Ontwikkeltraject.client_id.in_(deel)
            )
        )
    ]


# --- the yearly report and what-if ---------------------------------------------------------


def zaakfeit_rijen(*, session: Session) -> list[Row]:
    """(key, agb, ingediend_op, thuis, status) of every zaak."""
    return session.exec(
        select(Zaak.key, _agb(Zaak.agb), Zaak.ingediend_op, Zaak.thuis, Zaak.status)
    ).all()


def besluitfeit_rijen(*, session: Session) -> list[Row]:
    """(zaak, ronde, uitkomst, datum) of every besluit."""
    return session.exec(select(Besluit.zaak, Besluit.ronde, Besluit.uitkomst, Besluit.datum)).all()


def open_zaken(*, session: Session) -> list[Row]:
    """(key, status, ingediend_op, aanvraag) of every zaak not closed, by key."""
    return session.exec(
        select(Zaak.key, Zaak.status, Zaak.ingediend_op, Zaak.aanvraag)
        .where(Zaak.status.notin_(tuple(GESLOTEN)))
        .order_by(Zaak.key)
    ).all()
