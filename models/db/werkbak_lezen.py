"""The werkbak's reads of the case database (issue 27): the waiting zaken as the werkvoorraad
needs them, read column by column (no aanvraag body: 10,000 open zaken in a few hundred
milliseconds), their open timers, the first beoordelaar of a four-eyes wait, and the
colleagues a teamleider may give a task to. Each takes the caller's session."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, func, select

from models.contact import TAAK_OPEN, TAAK_SOORT
from models.db.tables import Deadline, Medewerker, Zaak
from models.db.tables_dialoog import Dialoog, DialoogTermijn
from models.dialoog import GESLOTEN, dialoog_key
from models.werkbak_overig import OpenDialoog
from models.werkvoorraad import OpenTermijn, WachtendeZaak

_KOLOMMEN = (
    Zaak.key,
    Zaak.status,
    Zaak.wacht_op,
    Zaak.ingediend_op,
    Zaak.wacht_sinds,
    Zaak.wacht_key,
    Zaak.agb,
    Zaak.leveringsvorm,
    Zaak.flow_run_id,
    Zaak.beleidsversie,
    Zaak.laatste_fout,
    Zaak.opgeschort_dagen,
    Zaak.verlengd_dagen,
)


def wachtende_zaken(
    *, session: Session, statussen: list[str]
) -> tuple[list[WachtendeZaak], dict[str, str | None]]:
    """(the zaken waiting in these statuses, their wacht_key by zaak)."""
    # Core rows, not the ORM's: 10,000 of them on every view of the werkbak.
    rows = (
        session.connection()
        .execute(select(*_KOLOMMEN).where(Zaak.wacht_op.is_not(None), Zaak.status.in_(statussen)))
        .all()
    )
    zaken = [
        WachtendeZaak(
            key=r.key,
            status=r.status,
            wacht_op=r.wacht_op,
            ingediend_op=r.ingediend_op,
            wacht_sinds=r.wacht_sinds,
            wacht_key=r.wacht_key,
            agb=r.agb or "",
            leveringsvorm=r.leveringsvorm,
            flow_run_id=r.flow_run_id,
            beleidsversie=r.beleidsversie,
            laatste_fout=r.laatste_fout,
            opgeschort_dagen=r.opgeschort_dagen or 0,
            verlengd_dagen=r.verlengd_dagen or 0,
        )
        for r in rows
    ]
    return zaken, {r.key: r.wacht_key for r in rows}


def open_termijnen(*, session: Session, statussen: list[str]) -> list[OpenTermijn]:
    """The open timers of the zaken waiting in these statuses (no contact tasks)."""
    rows = (
        session.connection()
        .execute(
            select(Deadline.zaak, Deadline.soort, Deadline.datum, Deadline.client_id)
            .join(Zaak, Zaak.key == Deadline.zaak)
            .where(
                Deadline.status == "open",
                Deadline.soort != TAAK_SOORT,
                Zaak.wacht_op.is_not(None),
                Zaak.status.in_(statussen),
            )
        )
        .all()
    )
    return [
        OpenTermijn(zaak=r.zaak, soort=r.soort, datum=r.datum, client_id=r.client_id) for r in rows
    ]


def open_contacttaken(*, session: Session) -> list[tuple[WachtendeZaak, list[OpenTermijn]]]:
    """The open contact tasks (N 2025: open, or due and escalated but not done), also of a
    closed zaak, with what models/werkvoorraad.taak_rijen needs of their zaak."""
    rows = (
        session.connection()
        .execute(
            select(
                Deadline.zaak,
                Deadline.soort,
                Deadline.datum,
                Deadline.client_id,
                Zaak.status,
                Zaak.wacht_op,
                Zaak.ingediend_op,
                Zaak.agb,
                Zaak.leveringsvorm,
                Zaak.beleidsversie,
            )
            .join(Zaak, Zaak.key == Deadline.zaak)
            .where(Deadline.soort == TAAK_SOORT, Deadline.status.in_(TAAK_OPEN))
        )
        .all()
    )
    per_zaak: dict[str, tuple[WachtendeZaak, list[OpenTermijn]]] = {}
    for r in rows:
        z = WachtendeZaak(
            key=r.zaak,
            status=r.status,
            wacht_op=r.wacht_op or "",
            ingediend_op=r.ingediend_op,
            agb=r.agb or "",
            leveringsvorm=r.leveringsvorm or "",
            beleidsversie=r.beleidsversie,
        )
        t = OpenTermijn(zaak=r.zaak, soort=r.soort, datum=r.datum, client_id=r.client_id)
        per_zaak.setdefault(r.zaak, (z, []))[1].append(t)
    return [per_zaak[k] for k in sorted(per_zaak)]


def open_dialogen(*, session: Session, statussen: list[str]) -> list[OpenDialoog]:
    """The open meerzorgdialogen waiting in these statuses, with their open timers (not
    fired, not lapsed): which of them bounds the wait is the wait's declaration's
    (models/werkbak_overig.dialoog_termijn)."""
    if not statussen:
        return []
    rows = (
        session.connection()
        .execute(
            select(
                Dialoog.id,
                Dialoog.agb,
                Dialoog.jaar,
                Dialoog.status,
                Dialoog.wacht_op,
                Dialoog.uitnodiging,
                Dialoog.meerzorgplan_uiterlijk,
                Dialoog.dialoog,
                Dialoog.meerzorgplan_ontvangen,
                Dialoog.gehouden_op,
                Dialoog.flow_run_id,
                Dialoog.wacht_key,
            ).where(
                Dialoog.status.in_(statussen),
                Dialoog.status.notin_(tuple(GESLOTEN)),
                Dialoog.wacht_op.is_not(None),
            )
        )
        .all()
    )
    open_timers: dict[int, list[tuple[str, dt.date]]] = {}
    if rows:
        termijnen = session.connection().execute(
            select(DialoogTermijn.dialoog_id, DialoogTermijn.soort, DialoogTermijn.datum).where(
                DialoogTermijn.dialoog_id.in_([r.id for r in rows]),
                DialoogTermijn.status == "open",
            )
        )
        for t in termijnen:
            open_timers.setdefault(t.dialoog_id, []).append((t.soort, t.datum))
    return [
        OpenDialoog(
            key=dialoog_key(r.agb, r.jaar),
            status=r.status,
            wacht_op=r.wacht_op,
            uitnodiging=r.uitnodiging,
            meerzorgplan_uiterlijk=r.meerzorgplan_uiterlijk,
            dialoog=r.dialoog,
            meerzorgplan_ontvangen=r.meerzorgplan_ontvangen,
            flow_run_id=r.flow_run_id,
            termijnen=tuple(sorted(open_timers.get(r.id, ()))),
            wacht_key=r.wacht_key,
            gehouden_op=r.gehouden_op,
        )
        for r in sorted(rows, key=lambda r: (r.jaar, r.agb))
    ]


def eerste_beoordelaars(*, session: Session, status: str) -> dict[str, str]:
    """Per zaak in the four-eyes wait: who took the first assessment."""
    rows = session.exec(select(Zaak.key, Zaak.voorlopig_besluit).where(Zaak.status == status)).all()
    return {r.key: str((r.voorlopig_besluit or {}).get("beoordelaar") or "") for r in rows}


def collegas(*, session: Session, rollen: tuple[str, ...]) -> dict[str, str]:
    """Active staff with one of these roles, by id: whom a teamleider may give a task."""
    rows = session.exec(
        select(Medewerker.id, Medewerker.rol).where(Medewerker.actief, Medewerker.rol.in_(rollen))
    ).all()
    return {r.id: r.rol for r in sorted(rows)}


def werkbak_versie(*, session: Session, statussen: list[str]) -> tuple:
    """A fingerprint of what the werkbak's rows are computed from: any transition of a waiting
    zaak (its versie and bijgewerkt, models/db/engine_store.pas_toe) and any open timer added
    or closed changes it, so a cached computation is used only while it is still exact."""
    zaken = (
        session.connection()
        .execute(
            select(func.count(), func.sum(Zaak.versie), func.max(Zaak.bijgewerkt)).where(
                Zaak.wacht_op.is_not(None), Zaak.status.in_(statussen)
            )
        )
        .one()
    )
    timers = (
        session.connection()
        .execute(select(func.count(), func.max(Deadline.id)).where(Deadline.status == "open"))
        .one()
    )
    return (*zaken, *timers)
