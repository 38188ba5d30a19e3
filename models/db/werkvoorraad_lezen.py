"""The werkvoorraad's reads of the case database (tasks/werkvoorraad.lees): the open contact
tasks, the zaken that wait or have one, and the other open timers. Each takes the caller's
session; no Prefect here, so `meerzorg werkvoorraad` starts fast."""

from __future__ import annotations

from sqlmodel import Session, select

from models.contact import TAAK_OPEN, TAAK_SOORT
from models.db.tables import Deadline, Zaak


def open_taken(*, session: Session) -> list[Deadline]:
    """The open contact tasks: not yet due, or due and escalated but not done
    (models/contact), also of a closed zaak."""
    return session.exec(
        select(Deadline).where(Deadline.soort == TAAK_SOORT, Deadline.status.in_(TAAK_OPEN))
    ).all()


def wachtende_zaken(*, session: Session, met_taak: set[str]) -> list[Zaak]:
    """The zaken that wait on someone, and those named in `met_taak` (an open task)."""
    return session.exec(
        select(Zaak).where(Zaak.wacht_op.is_not(None) | Zaak.key.in_(met_taak))
    ).all()


def open_termijnen(*, session: Session) -> list[Deadline]:
    """Every open timer but the contact tasks (open_taken reads those)."""
    return session.exec(
        select(Deadline).where(Deadline.status == "open", Deadline.soort != TAAK_SOORT)
    ).all()
