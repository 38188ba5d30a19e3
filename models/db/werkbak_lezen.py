"""The werkbak's reads of the case database (issue 27): the waiting zaken as the werkvoorraad
needs them, read column by column (no aanvraag body: 10,000 open zaken in a few hundred
milliseconds), their open timers, the first beoordelaar of a four-eyes wait, and the
colleagues a teamleider may give a task to. Each takes the caller's session."""

from __future__ import annotations

from sqlmodel import Session, func, select

from models.contact import TAAK_SOORT
from models.db.tables import Deadline, Medewerker, Zaak
from models.werkvoorraad import Termijn, WachtendeZaak

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


def open_termijnen(*, session: Session, statussen: list[str]) -> list[Termijn]:
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
    return [Termijn(zaak=r.zaak, soort=r.soort, datum=r.datum, client_id=r.client_id) for r in rows]


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
