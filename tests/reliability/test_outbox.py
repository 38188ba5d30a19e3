"""The outbox under faults, on SQLite and PostgreSQL, against a real HTTP sink: a target
that refuses (503) or cannot be reached, exponential backoff, dead letter with an
operations alert, and a target that is down for hours and then recovers. The clock is
moved by passing `now=` to deliver_pending."""

from __future__ import annotations

import collections
import datetime as dt

import pytest
from sqlmodel import select

from deployments.sink import Sink
from models.db.store import registreer_aanbieder, session_scope
from models.db.tables import Notificatie
from tasks.notify import backoff, deliver_pending
from tests.reliability.scenario import lopende_zaak, zaak_in_beoordeling

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def clock_db(db, monkeypatch):
    monkeypatch.setenv("MEERZORG_DELIVERY_BACKOFF_SECONDS", "30")
    return db


def t0() -> dt.datetime:
    """The simulated clock starts just after the test's rows were queued."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)


def rows(zaak: str | None = None) -> list[Notificatie]:
    with session_scope() as session:
        stmt = select(Notificatie).order_by(Notificatie.id)
        if zaak:
            stmt = stmt.where(Notificatie.zaak == zaak)
        return list(session.exec(stmt))


def naive(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=None)


def test_backoff_doubles_from_30_seconds_and_is_capped_at_an_hour(monkeypatch):
    monkeypatch.setenv("MEERZORG_DELIVERY_BACKOFF_SECONDS", "30")
    waits = [backoff(n).total_seconds() for n in range(1, 12)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]


def test_a_refusing_target_is_retried_with_backoff_and_the_error_stays_visible(clock_db, receiver):
    from deployments.operations import zaak_overzicht

    zaak = zaak_in_beoordeling(1)
    receiver.refuse = True
    now, tries = t0(), []
    for _ in range(5):
        assert deliver_pending(zaak=zaak, now=now)["opnieuw"] == 1
        (row,) = rows(zaak)
        assert row.status == "wachtend" and "weigerde of was onbereikbaar" in row.laatste_fout
        tries.append((naive(row.volgende_poging) - naive(now)).total_seconds())
        # Not due before its time: nothing is sent, nothing changes.
        assert deliver_pending(zaak=zaak, now=now + dt.timedelta(seconds=tries[-1] - 1)) == {
            "verzonden": 0,
            "opnieuw": 0,
            "dood": 0,
        }
        now += dt.timedelta(seconds=tries[-1])
    assert tries == [30, 60, 120, 240, 480]
    assert len(receiver.received) == 0
    overzicht = zaak_overzicht(zaak, log_read=False)
    assert overzicht["notificaties"][0]["pogingen"] == 5
    assert "weigerde of was onbereikbaar" in overzicht["notificaties"][0]["fout"]


def test_a_target_down_for_ten_hours_gets_every_message_once_when_it_recovers(clock_db, receiver):
    zaken = [lopende_zaak(n) for n in range(3)]
    receiver.refuse = True
    now = start = t0()
    while now < start + dt.timedelta(hours=10):  # the sweep and the runs keep trying
        deliver_pending(now=now)
        now += 10 * MINUTE
    assert {r.status for r in rows()} == {"wachtend"}
    assert max(r.pogingen for r in rows()) < 20  # backoff: not 60 hammering tries
    receiver.refuse = False
    recovered = now
    while any(r.status != "verzonden" for r in rows()) and now < recovered + 2 * 60 * MINUTE:
        deliver_pending(now=now)
        now += 10 * MINUTE
    assert {r.status for r in rows()} == {"verzonden"}
    assert now - recovered <= dt.timedelta(hours=1, minutes=10)  # within one capped wait
    counts = collections.Counter(r["sleutel"] for r in receiver.received)
    assert sorted(counts) == sorted(r.sleutel for r in rows())
    assert set(counts.values()) == {1}
    assert {z for z in zaken} <= {r.zaak for r in rows()}


def test_after_the_last_try_the_row_is_dead_and_operations_are_alerted_once(
    clock_db, receiver, monkeypatch
):
    ops = Sink().start()
    try:
        monkeypatch.setenv("MEERZORG_DELIVERY_MAX_ATTEMPTS", "4")
        monkeypatch.setenv("MEERZORG_OPERATIONS_NOTIFY", ops.url)
        zaak = zaak_in_beoordeling(2)
        (row,) = rows(zaak)
        receiver.refuse = True
        now, results = t0(), []
        for _ in range(12):
            results.append(deliver_pending(now=now))
            now += 2 * 60 * MINUTE
        dead = [r for r in rows() if r.kanaal == "aanbieder"]
        assert [r.status for r in dead] == ["dood"] and dead[0].pogingen == 4
        assert sum(r["dood"] for r in results) == 1
        alerts = [r for r in rows() if r.kanaal == "operations"]
        assert [(a.sleutel, a.status) for a in alerts] == [(f"{row.sleutel}-dood", "verzonden")]
        assert len(ops.received) == 1 and len(receiver.received) == 0
        alert = ops.received[0]
        assert row.sleutel in alert["title"] and zaak in alert["message"]
        assert "4 pogingen" in alert["message"]
        # A dead row is not tried again, also not when the target is back.
        receiver.refuse = False
        deliver_pending(now=now + dt.timedelta(days=3))
        assert len(receiver.received) == 0
    finally:
        ops.stop()


@pytest.mark.parametrize(
    "target, error",
    [
        ("json://127.0.0.1:9/", "weigerde of was onbereikbaar"),  # nothing listens on port 9
        ("niet-een-adres", "ongeldig adres"),
        (None, "geen notificatie-adres geregistreerd"),
    ],
)
def test_unreachable_malformed_or_missing_targets_give_a_clear_error(clock_db, target, error):
    zaak = zaak_in_beoordeling(3)
    with session_scope() as session:
        registreer_aanbieder(
            session=session,
            agb="73730001",
            naam="Stichting De Linde",
            notify=[target] if target else [],
        )
    result = deliver_pending(zaak=zaak, now=t0())
    assert result == {"verzonden": 0, "opnieuw": 1, "dood": 0}
    (row,) = rows(zaak)
    assert row.status == "wachtend" and error in row.laatste_fout
    assert "\n" not in row.laatste_fout and len(row.laatste_fout) < 200
