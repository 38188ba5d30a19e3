"""Concurrent actors in separate processes against one database (SQLite and PostgreSQL):
every deadline fires once, every transition is applied once, every notification is sent
once. The processes call the functions the flows' tasks call (tasks.zaak, tasks.notify)
and start together behind a barrier."""

from __future__ import annotations

import collections
import datetime as dt

from sqlmodel import select

from models.db.store import session_scope
from models.db.tables import AuditEvent, Besluit, Deadline, Notificatie
from tests.factories import afwijzen
from tests.factories import toekennen as volledig
from tests.reliability.scenario import (
    DAG,
    deliver_actor,
    invoer_actor,
    lopende_zaak,
    read,
    sweep_actor,
    zaak_in_beoordeling,
    zaak_in_herstel,
)

HERBEOORDELING = dt.date(2027, 6, 30)
ROUNDS = 3


def transitions_after_toets(key: str) -> list[str]:
    with session_scope() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.zaak == key).order_by(AuditEvent.id)
        ).all()
    return [e.actie for e in events][2:]  # after zaak_geregistreerd and the toets


def test_two_sweeps_at_once_fire_every_deadline_once_and_notify_once(db, receiver, actors):
    from tasks.notify import deliver_pending

    zaken = [lopende_zaak(n) for n in range(6)]
    deliver_pending()  # the toekenning messages: not part of this race
    before = len(receiver.received)
    with session_scope() as session:
        due = session.exec(
            select(Deadline).where(Deadline.status == "open", Deadline.datum <= HERBEOORDELING)
        ).all()
    assert len(due) >= len(zaken)

    a, b = actors.run([(sweep_actor, db, HERBEOORDELING), (sweep_actor, db, HERBEOORDELING)])

    assert sorted(a["ids"]) == sorted(b["ids"]) == sorted(d.id for d in due)
    with session_scope() as session:
        rows = session.exec(select(Deadline).where(Deadline.id.in_([d.id for d in due]))).all()
        events = session.exec(select(AuditEvent).where(AuditEvent.actor == "deadline-sweep")).all()
        outbox = session.exec(select(Notificatie)).all()
    assert {r.status for r in rows} <= {"gevuurd", "vervallen"}
    assert len(a["fired"]) + len(b["fired"]) == len(due)  # each row fired by exactly one sweep
    per_deadline = collections.Counter(e.namens for e in events)
    assert per_deadline and set(per_deadline.values()) == {1}, per_deadline
    assert len({read(z)["status"] for z in zaken}) == 1  # all moved on the same way
    # Every outbox row reached the receiver exactly once (raw deliveries, not deduplicated).
    race = collections.Counter(r["sleutel"] for r in receiver.received[before:])
    assert race and set(race.values()) == {1}, race
    assert {n.status for n in outbox} == {"verzonden"}
    assert len(receiver.received) == len(outbox)


def test_two_assessors_deciding_at_once_apply_one_decision(db, receiver, actors):
    winners = collections.Counter()
    for n in range(ROUNDS):
        key = zaak_in_beoordeling(10 + n)
        wacht_key = read(key)["wacht_key"]
        toekennen = volledig("b-001")
        afgewezen = afwijzen("b-002")
        a, b = actors.run(
            [
                (invoer_actor, db, key, wacht_key, toekennen, DAG),
                (invoer_actor, db, key, wacht_key, afgewezen, DAG),
            ]
        )
        assert sorted([a["uitkomst"], b["uitkomst"]]) == ["toegepast", "verouderd"]
        winner = "toekennen" if a["uitkomst"] == "toegepast" else "afwijzen"
        winners[winner] += 1
        with session_scope() as session:
            besluiten = session.exec(select(Besluit).where(Besluit.zaak == key)).all()
        assert len(transitions_after_toets(key)) == 1, transitions_after_toets(key)
        assert read(key)["wacht_key"] != wacht_key
        assert [b.uitkomst for b in besluiten] == [winner]
    assert sum(winners.values()) == ROUNDS


def test_a_resubmission_racing_the_herstel_timer_is_applied_once_or_not_at_all(
    db, receiver, actors
):
    outcomes = collections.Counter()
    for n in range(ROUNDS):
        key = zaak_in_herstel(20 + n)
        z = read(key)
        with session_scope() as session:
            timer = session.exec(
                select(Deadline).where(Deadline.zaak == key, Deadline.status == "open")
            ).first()
        assert timer is not None and timer.voor_status == "herstel"
        aanvraag = dict(z["aanvraag"])
        aanvraag["vragenlijst"] = dict(aanvraag["vragenlijst"], inzet="Extra begeleider.")
        sweep, provider = actors.run(
            [
                (sweep_actor, db, timer.datum),
                (invoer_actor, db, key, z["wacht_key"], {"aanvraag": aanvraag}, timer.datum),
            ]
        )
        with session_scope() as session:
            timer = session.get(Deadline, timer.id)
        # Exactly one of the two moved the zaak out of herstel, and only once.
        assert len(transitions_after_toets(key)) == 1, transitions_after_toets(key)
        assert read(key)["status"] != "herstel"
        if provider["uitkomst"] == "toegepast":
            assert timer.status == "vervallen" and key not in sweep["fired"]
            outcomes["aanvulling eerst"] += 1
        else:
            assert provider["uitkomst"] == "verouderd"
            assert timer.status == "gevuurd" and key in sweep["fired"]
            outcomes["termijn eerst"] += 1
    assert sum(outcomes.values()) == ROUNDS


def test_two_deliverers_send_each_outbox_row_once(db, receiver, actors):
    for n in range(4):
        lopende_zaak(30 + n)
    with session_scope() as session:
        waiting = session.exec(select(Notificatie).where(Notificatie.status == "wachtend")).all()
    assert len(waiting) >= 4
    a, b = actors.run([(deliver_actor, db), (deliver_actor, db)])
    assert a["delivered"]["verzonden"] + b["delivered"]["verzonden"] == len(waiting)
    counts = collections.Counter(r["sleutel"] for r in receiver.received)
    assert sorted(counts) == sorted(n.sleutel for n in waiting)
    assert set(counts.values()) == {1}
