"""The werkbak's dialoog rows read from the database (SQLite, and PostgreSQL when configured):
the open timers of a dialoog as its wait's declaration reads them (fired and lapsed ones
bound nothing), and issue 24's exercise, a third wait after the verslag, measured by its
own timer and the day the dialoog was held."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from models.db.store import session_scope
from models.db.tables_dialoog import Dialoog, DialoogTermijn
from models.db.werkbak_lezen import open_dialogen
from tasks import dialoog as ops
from tests.integration.test_dialoog_db import (  # noqa: F401 - db is the shared fixture
    ACTIEF,
    db,
    rij,
    uitgenodigd,
)
from tests.unit.test_werkbak_rules import met_bevestiging

D = dt.date


def werkbak(rol: str, peildatum: dt.date) -> list[tuple]:
    """The role's dialoog rows as (status, the open timers read, term, day, since, signal)."""
    from models.werkbak_overig import dialoog_statussen, dialoog_taken

    with session_scope() as session:
        dialogen = open_dialogen(session=session, statussen=dialoog_statussen(rol))
    taken = dialoog_taken(dialogen, rol, peildatum)
    assert [t.zaak for t in taken] == [d.key for d in dialogen]
    return [
        (d.status, d.termijnen, t.termijn, t.termijn_datum, t.wacht_sinds, t.signaal)
        for d, t in zip(dialogen, taken, strict=True)
    ]


@pytest.mark.usefixtures("db")
def test_each_wait_is_bounded_by_its_own_open_timers_through_the_dialoogs_life():
    uitgenodigd(D(2026, 9, 1))
    # The meerzorgplan's wait: its due date, whichever of its reminder and escalation is open.
    plan = ("meerzorgplan_uiterlijk", D(2027, 1, 4), D(2026, 9, 1))
    assert werkbak("beoordelaar", D(2026, 12, 1)) == [
        (
            "uitgenodigd",
            (("escalatie_meerzorgplan", D(2027, 1, 11)), ("herinnering_meerzorgplan", D(2026, 12, 21))),
            *plan,
            "op-tijd",
        )
    ]  # fmt: skip
    assert ops.vuur_dialoog_termijnen(D(2026, 12, 21)) == []  # the reminder fired
    assert werkbak("cce", D(2026, 12, 22)) == [
        ("uitgenodigd", (("escalatie_meerzorgplan", D(2027, 1, 11)),), *plan, "urgent")
    ]
    # The plan came in on the 22nd, recorded on the 28th: the verslag's wait since the 22nd,
    # bounded by its reminder; the plan's escalation lapsed and bounds nothing.
    invoer = {"ontvangen": True, "ontvangen_op": "2026-12-22"}
    assert ops.verwerk_invoer(ACTIEF, 2027, "meerzorgplan-1", invoer, D(2026, 12, 28)) == (
        "toegepast"
    )
    assert werkbak("teamleider", D(2027, 1, 5)) == [
        (
            "plan_ontvangen",
            (("verslag_herinnering", D(2027, 2, 15)),),
            "verslag_uiterlijk",
            D(2027, 2, 15),
            D(2026, 12, 22),
            "op-tijd",
        )
    ]
    # Its reminder fired: no open timer of its own, so the dialoog's own day (as before).
    ops.vuur_dialoog_termijnen(D(2027, 2, 15))
    assert werkbak("beoordelaar", D(2027, 2, 16)) == [
        ("plan_ontvangen", (), "dialoog_datum", D(2027, 2, 1), D(2026, 12, 22), "verlopen")
    ]
    assert werkbak("jurist", D(2027, 2, 16)) == []


@pytest.mark.usefixtures("db")
def test_a_third_wait_is_read_with_its_own_timer_and_the_day_the_dialoog_was_held(monkeypatch):
    """A dialoog that has just received its verslag and waits for the provider's confirmation
    (issue 24's exercise): not 125 days since the invitation, not overdue against the past
    dialoog date."""
    met_bevestiging(monkeypatch)
    uitgenodigd(D(2026, 9, 1))
    invoer = {"ontvangen": True}
    assert ops.verwerk_invoer(ACTIEF, 2027, "meerzorgplan-1", invoer, D(2026, 12, 1)) == (
        "toegepast"
    )
    # What the new wait's step would leave (the kind's rules are the exercise's, not here):
    # the verslag's reminder lapsed, the dialoog held on 1 February, its own timer planned.
    with session_scope() as session:
        d = session.exec(select(Dialoog).where(Dialoog.id == rij().id)).one()
        for t in session.exec(select(DialoogTermijn).where(DialoogTermijn.dialoog_id == d.id)):
            t.status = "vervallen" if t.status == "open" else t.status
            session.add(t)
        d.status, d.wacht_op, d.wacht_key = "bevestiging", "afspraken-bevestiging", "x-3"
        d.gehouden_op = D(2027, 2, 1)
        session.add(d)
        session.add(
            DialoogTermijn(sleutel=f"dialoog-{ACTIEF}-2027-bevestiging", dialoog_id=d.id,
                           soort="bevestiging_herinnering", datum=D(2027, 2, 22),
                           voor_status="bevestiging")
        )  # fmt: skip
    assert werkbak("cce", D(2027, 2, 5)) == [
        (
            "bevestiging",
            (("bevestiging_herinnering", D(2027, 2, 22)),),
            "bevestiging_herinnering",
            D(2027, 2, 22),
            D(2027, 2, 1),
            "op-tijd",
        )
    ]
    assert werkbak("teamleider", D(2027, 2, 5)) == []  # not among this wait's roles
