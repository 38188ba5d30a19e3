"""The meerzorgdialoog's reads over many dialogen (tasks/dialoog_planning.py and
tasks/dialoog_lezen.py): the providers with active meerzorg, and a year's dialogen by what
the planning and `meerzorg dialogen` ask of them. Each takes the caller's session. One
dialoog by provider and year, under its row lock, is tasks/dialoog.lees's."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import Beschikking, Zaak
from models.db.tables_dialoog import Dialoog
from models.dialoog import GESLOTEN


def actieve_aanbieders(*, session: Session) -> list[str]:
    """Providers with active meerzorg: at least one active beschikking in one of their zaken."""
    rows = session.exec(
        select(Zaak.agb)
        .join(Beschikking, Beschikking.zaak == Zaak.key)
        .where(Beschikking.status == "actief")
        .distinct()
    )
    return sorted(set(rows))


def aanbieders_met_dialoog(*, session: Session, jaar: int) -> set[str]:
    """The providers that have a dialoog in `jaar`, whatever its status."""
    return set(session.exec(select(Dialoog.agb).where(Dialoog.jaar == jaar)))


def gepland_zonder_meerzorg(*, session: Session, jaar: int, actief: list[str]) -> list[str]:
    """The providers whose dialoog of `jaar` is still planned but who are not in `actief`."""
    return session.exec(
        select(Dialoog.agb).where(
            Dialoog.jaar == jaar, Dialoog.status == "gepland", Dialoog.agb.notin_(actief)
        )
    ).all()


def open_zonder_run(*, session: Session, jaar: int) -> list[str]:
    """The providers whose open dialoog of `jaar` has no flow run yet."""
    return session.exec(
        select(Dialoog.agb).where(
            Dialoog.jaar == jaar,
            Dialoog.status.notin_(tuple(GESLOTEN)),
            Dialoog.flow_run_id.is_(None),
        )
    ).all()


def dialogen_van_jaar(*, session: Session, jaar: int) -> list[Dialoog]:
    """Every dialoog of `jaar`, by provider."""
    return session.exec(select(Dialoog).where(Dialoog.jaar == jaar).order_by(Dialoog.agb)).all()
