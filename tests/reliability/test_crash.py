"""Crash safety against the real Prefect server: the process executing a lifecycle run is
killed with SIGKILL at each step boundary (tasks/crashpunt.py; the killer is
tests/reliability/faults.py, named by MEERZORG_CRASH_HOOK, at MEERZORG_CRASH_AT), the
runner or workers are started again without the fault, the crashed runs are recovered
(tasks/soorten.reconcile_runs, as the sweep does), and then nothing is lost, doubled or
half-applied: one decision, one set of beschikkingen, every notification delivered, and
each idempotency key delivered once (a message accepted by the target just before the
kill is sent again with the same key, which the receiver drops: counted separately).

Scope "run" kills the flow-run process only (the runner/worker reports it Crashed);
scope "host" kills the runner/worker with it (the run stays Running: nobody is left to
report). A Prefect server restart with runs suspended is tested last."""

from __future__ import annotations

import collections
import datetime as dt
import tempfile
from pathlib import Path
from uuid import UUID

import pytest
from sqlmodel import select

from models.db.store import session_scope
from models.db.tables import AuditEvent, Beschikking, Besluit, Notificatie
from tasks import runs
from tasks.notify import deliver_pending, lease
from tasks.soorten import reconcile_runs
from tests.factories import toekennen
from tests.flows.conftest import wait_for_wait, wait_until
from tests.reliability.scenario import DAG, bsn, individueel, submit, transitions

pytestmark = [
    pytest.mark.usefixtures("aanbieders"),
    # Every test here stops the runner (restart) while other zaken' runs may be executing:
    # Prefect reports those as crashed by the signal; the tests then check they recover.
    pytest.mark.logs_allowed(r"Crash detected! Execution was aborted by an interrupt signal"),
]
TOEKENNEN = toekennen("b-001", peildatum=DAG.isoformat())
CRASH_ENV = (
    "MEERZORG_CRASH_AT",
    "MEERZORG_CRASH_SCOPE",
    "MEERZORG_CRASH_ONCE",
    "MEERZORG_CRASH_HOOK",
)
# What the test report (README) counts: every point that was reached and what was lost.
REPORT: list[dict] = []


def restart(system, crash_at: str | None = None, scope: str = "run") -> Path | None:
    """Stop the runner (or workers) and start it again, with or without a fault."""
    system.stop_runner()
    for name in CRASH_ENV:
        system.env.pop(name, None)
    markers = None
    if crash_at:
        markers = Path(tempfile.mkdtemp(prefix="meerzorg-crash-"))
        system.env.update(
            MEERZORG_CRASH_AT=crash_at,
            MEERZORG_CRASH_SCOPE=scope,
            MEERZORG_CRASH_ONCE=str(markers),
            MEERZORG_CRASH_HOOK="tests.reliability.faults:crash",
        )
    system.start_runner()
    return markers


def state(run_id: str) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(UUID(run_id)).state.type.value


def zaak_rows(zaak: str) -> dict:
    with session_scope() as session:
        return {
            "besluiten": session.exec(select(Besluit).where(Besluit.zaak == zaak)).all(),
            "beschikkingen": session.exec(
                select(Beschikking).where(Beschikking.zaak == zaak)
            ).all(),
            "notificaties": session.exec(select(Notificatie).where(Notificatie.zaak == zaak)).all(),
        }


def deliveries(sink, zaak: str) -> collections.Counter:
    return collections.Counter(
        r["sleutel"] for r in sink.received if (r["sleutel"] or "").startswith(f"{zaak}-")
    )


def waiting_for_decision(n: int, ref: str) -> tuple[str, str]:
    zaak, run_id = submit(individueel(f"CRASH-{ref}", f"LINDE-3{n:02d}", bsn(300 + n)))
    return zaak, run_id


def assert_whole(zaak: str, decided: bool) -> None:
    """All of the toekenning or none of it: decision, beschikking, outbox row, audit."""
    rows = zaak_rows(zaak)
    toegekend = [n for n in rows["notificaties"] if "toegekend" in n.onderwerp]
    if decided:
        assert [b.uitkomst for b in rows["besluiten"]] == ["toekennen"]
        assert len(rows["beschikkingen"]) == 1 and len(toegekend) == 1
        assert transitions(zaak).count("toegekend") == 1
    else:
        assert rows["besluiten"] == [] and rows["beschikkingen"] == [] and toegekend == []
        assert "toegekend" not in transitions(zaak)


def test_killing_the_run_at_every_step_boundary_loses_and_doubles_nothing(system, sink):
    points = ["invoer-ontvangen", "na-commit", "voor-aflevering", "tijdens-aflevering"]
    zaken = {p: waiting_for_decision(i, f"RUN-{i}") for i, p in enumerate(points)}
    for zaak, _ in zaken.values():
        wait_for_wait(zaak, "beoordeling-")
        wait_until(lambda z=zaak: deliveries(sink, z), 60, what=f"{zaak} ontvangst message")
    crash_at = ",".join(f"{p}@{zaak}" for p, (zaak, _) in zaken.items()) + ",na-toets"
    markers = restart(system, crash_at)
    try:
        toets_zaak, toets_run = waiting_for_decision(9, "RUN-TOETS")  # crashes after its toets
        for _zaak, run_id in zaken.values():
            assert runs.resume(run_id, TOEKENNEN)
        crashed = [*zaken.values(), (toets_zaak, toets_run)]
        wait_until(
            lambda: all(state(r) == "CRASHED" for _, r in crashed), 240, what="five crashed runs"
        )
        assert sorted(p.name.split("@")[0] for p in markers.iterdir()) == sorted(
            [*points, "na-toets"]
        )
        # Nothing half-applied: the input that arrived is not applied yet; from the commit on
        # the whole toekenning is there; the toets is whole.
        assert_whole(zaken["invoer-ontvangen"][0], decided=False)
        for p in points[1:]:
            assert_whole(zaken[p][0], decided=True)
        assert transitions(toets_zaak)[-1].startswith("toets")
    finally:
        restart(system)  # started again, without the fault

    recovered = runs.hersteld(reconcile_runs())
    assert {z for z, _ in crashed} <= set(recovered)
    for zaak, _ in zaken.values():
        wait_for_wait(zaak, "einde-beschikking-", timeout=240)
        assert_whole(zaak, decided=True)
    wait_for_wait(toets_zaak, "beoordeling-", timeout=240)
    # The next sweep, after the claim's lease: rows claimed by a killed deliverer go out.
    deliver_pending(now=dt.datetime.now(dt.UTC) + lease() + dt.timedelta(minutes=1))
    for p, (zaak, _) in [*zaken.items(), ("na-toets", (toets_zaak, toets_run))]:
        rows = zaak_rows(zaak)["notificaties"]
        assert {n.status for n in rows} == {"verzonden"}, (p, [(n.sleutel, n.status) for n in rows])
        sent = deliveries(sink, zaak)
        assert sorted(sent) == sorted(n.sleutel for n in rows), p  # nothing lost
        resent = {k: c for k, c in sent.items() if c > 1}
        if p == "tijdens-aflevering":  # accepted, then killed before marking: one resend
            assert list(resent.values()) == [2], resent
        else:
            assert resent == {}, (p, resent)
        REPORT.append(
            {
                "punt": p,
                "scope": "run",
                "verloren": 0,
                "dubbel_toegepast": 0,
                "herzonden_zelfde_sleutel": sum(c - 1 for c in resent.values()),
            }
        )


def test_killing_the_runner_or_worker_with_the_run_leaves_nothing_half_done(system, sink):
    points = ["invoer-ontvangen", "na-commit"]
    zaken = {p: waiting_for_decision(20 + i, f"HOST-{p}") for i, p in enumerate(points)}
    for zaak, _ in zaken.values():
        wait_for_wait(zaak, "beoordeling-")
    markers = restart(system, ",".join(f"{p}@{z}" for p, (z, _) in zaken.items()), scope="host")

    def host_died():
        procs = getattr(system, "workers", None) or [system.runner]
        return any(p.poll() is not None for p in procs)

    try:
        for i, (point, (zaak, run_id)) in enumerate(zaken.items()):
            if i:  # the machine comes back with the fault still armed for the next zaak
                system.stop_runner()
                system.start_runner()
            assert runs.resume(run_id, TOEKENNEN)
            wait_until((markers / f"{point}@{zaak}").exists, 240, what=f"crash at {point}")
            wait_until(host_died, 30, what="the runner or a worker to die")
            assert_whole(zaak, decided=point == "na-commit")
            assert state(run_id) in ("RUNNING", "PENDING")  # nobody reported the crash
            assert zaak not in runs.hersteld(reconcile_runs())  # not stale yet: it could be alive
    finally:
        restart(system)
    recovered = runs.hersteld(reconcile_runs(stale_after=dt.timedelta(0)))
    for point, (zaak, _) in zaken.items():
        assert zaak in recovered
        wait_for_wait(zaak, "einde-beschikking-", timeout=240)
        assert_whole(zaak, decided=True)
        wait_until(
            lambda z=zaak: {n.status for n in zaak_rows(z)["notificaties"]} == {"verzonden"},
            60,
            what="the toekenning delivered",
        )
        sent = deliveries(sink, zaak)
        assert sorted(sent) == sorted(n.sleutel for n in zaak_rows(zaak)["notificaties"])
        assert set(sent.values()) == {1}
        REPORT.append(
            {
                "punt": point,
                "scope": "host",
                "verloren": 0,
                "dubbel_toegepast": 0,
                "herzonden_zelfde_sleutel": 0,
            }
        )


def test_a_sweep_killed_after_firing_is_completed_by_the_next_sweep(system, sink):
    from deployments import operations as ops
    from deployments.operations import CliFout

    # A short term, so its herbeoordeling comes before the timers of the other zaken.
    data = individueel("CRASH-SWEEP", "LINDE-330", bsn(330))
    data["gevraagde_start"], data["gevraagde_eind"] = "2026-12-01", "2027-05-31"
    zaak, run_id = submit(data)
    wait_for_wait(zaak, "beoordeling-")
    # The perspectief is evaluated within this short term (models/besluit_regels.py).
    runs.resume(run_id, {**TOEKENNEN, "evalueren_op": "2027-03-01"})
    key = wait_for_wait(zaak, "einde-beschikking-")
    eerste = min(
        dt.date.fromisoformat(d["datum"])
        for d in ops.zaak_overzicht(zaak, log_read=False)["deadlines"]
    )
    restart(system, "na-vuren")
    try:
        with pytest.raises(CliFout, match="Crashed"):
            ops.sweep(eerste, timeout=300)
        assert ops.zaak_overzicht(zaak, log_read=False)["wacht_key"] != key  # fired, committed
        assert runs.pause_key(run_id) == key  # but the run was not resumed
    finally:
        restart(system)
    ops.sweep(eerste, timeout=300)  # the next sweep: nothing left to fire; resumes the run
    wait_until(lambda: runs.pause_key(run_id) not in (None, key), 240, what="run moved on")
    with session_scope() as session:
        fired = session.exec(
            select(AuditEvent).where(AuditEvent.zaak == zaak, AuditEvent.actor == "deadline-sweep")
        ).all()
    per_timer = collections.Counter(e.namens for e in fired)
    assert per_timer and set(per_timer.values()) == {1}, per_timer
    wait_until(
        lambda: {n.status for n in zaak_rows(zaak)["notificaties"]} == {"verzonden"},
        60,
        what="the timer's message delivered",
    )
    assert set(deliveries(sink, zaak).values()) == {1}
    REPORT.append(
        {
            "punt": "na-vuren",
            "scope": "run",
            "verloren": 0,
            "dubbel_toegepast": 0,
            "herzonden_zelfde_sleutel": 0,
        }
    )


# Provoked: the server goes away under the runner/workers. Their websocket observers fall
# back to polling, and the runner's cancellation observer gives up after its error
# threshold (Prefect: "flow run cancellation will fail" until the runner restarts).
@pytest.mark.logs_allowed(
    r"Connection reset by peer",
    r"All connection attempts failed",
    r"1012 \(service restart\)",
    r"Cancellation polling task failed",
    r"Service exceeded error threshold",
)
def test_suspended_runs_can_all_be_resumed_after_a_prefect_server_restart(system, sink):
    zaken = [waiting_for_decision(40 + n, f"SERVER-{n}") for n in range(3)]
    for zaak, _ in zaken:
        wait_for_wait(zaak, "beoordeling-")
    system.stop_server()  # the runner or workers keep running and reconnect
    system.start_server()
    for _zaak, run_id in zaken:
        assert runs.resume(run_id, TOEKENNEN)
    for zaak, _ in zaken:
        wait_for_wait(zaak, "einde-beschikking-", timeout=240)
        assert_whole(zaak, decided=True)


def test_report(capsys):
    """Prints the crash points tried and what was lost (for the README)."""
    with capsys.disabled():
        for row in REPORT:
            print("\ncrash", row, end="")
    assert all(r["verloren"] == 0 and r["dubbel_toegepast"] == 0 for r in REPORT)
