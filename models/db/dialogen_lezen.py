"""The meerzorgdialoog's reads (tasks/dialoog.py, tasks/dialoog_planning.py and
tasks/dialoog_lezen.py): one dialoog by provider and year or by id (under its row lock when
asked), its notifications for the card, the providers with active meerzorg, a year's
dialogen by what the planning and `meerzorg dialogen` ask of them, and the open dialogen
the reconcile follows. Each takes the caller's session."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import Beschikking, Notificatie, Zaak
from models.db.tables_dialoog import Dialoog, DialoogVerslag
from models.dialoog import GESLOTEN


def dialoog_van(*, session: Session, agb: str, jaar: int, lock: bool = False) -> Dialoog | None:
    """The provider's dialoog of `jaar` (None: not planned); `lock`: under its row lock."""
    stmt = select(Dialoog).where(Dialoog.agb == agb, Dialoog.jaar == jaar)
    if lock:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def dialoog_op_id(*, session: Session, dialoog_id: int) -> Dialoog:
    """The dialoog with this id, under its row lock (it must exist)."""
    return session.exec(select(Dialoog).where(Dialoog.id == dialoog_id).with_for_update()).one()


def berichten_van(*, session: Session, key: str) -> list[tuple[str, str]]:
    """(onderwerp, status) of the dialoog's notifications, in the order they were queued."""
    return session.exec(
        select(Notificatie.onderwerp, Notificatie.status)
        .where(Notificatie.zaak == key)
        .order_by(Notificatie.id)
    ).all()


def actieve_aanbieders(*, session: Session) -> list[str]:
    """Providers with active meerzorg: at least one active beschikking in one of their zaken."""
    rows = session.exec(
        select(Zaak.agb)
        .join(Beschikking, Beschikking.zaak == Zaak.key)
        # A budgethouder's zaak without provider has no dialoog (DOMAIN.md §19).
        .where(Beschikking.status == "actief", Zaak.agb.is_not(None))
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


def open_dialogen(*, session: Session) -> list[Dialoog]:
    """Every dialoog not closed, whatever its year (the reconcile's open cases)."""
    return list(session.exec(select(Dialoog).where(Dialoog.status.notin_(tuple(GESLOTEN)))))


def dialogen_van_aanbieders(*, session: Session, agbs: list[str]) -> list[Dialoog]:
    """Every dialoog, of any year and status, of these providers."""
    return session.exec(select(Dialoog).where(Dialoog.agb.in_(agbs))).all()


def verslag_bijlage(*, session: Session, sleutel: str) -> tuple[str, bytes] | None:
    """The verslag letter an outbox row carries (tasks/notify.py): a file name with the
    dialoog key only, and the PDF; None for every other row."""
    v = session.exec(select(DialoogVerslag).where(DialoogVerslag.notificatie == sleutel)).first()
    if v is None:
        return None
    return f"verslag-{sleutel.removesuffix('-verslag')}.pdf", v.pdf


def verslag_van(*, session: Session, dialoog_id: int) -> DialoogVerslag | None:
    return session.exec(
        select(DialoogVerslag).where(DialoogVerslag.dialoog_id == dialoog_id)
    ).first()
