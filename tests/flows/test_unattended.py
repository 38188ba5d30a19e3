"""What happens with nobody at the keyboard, against a real Prefect server with the schedules
of prefect.yaml switched on and the sweep every 15 seconds (MEERZORG_SWEEP_CRON with cron's
seconds field): nothing here triggers a deployment. The scheduler creates the runs, the
sweep fires the timers and
brings Prefect's runs back in line with the case database, the server's automations alert
operations. An isolated system (tests/flows/isolated.py), so the frequent sweep touches no
other test's zaken."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest

from tests.factories import toekennen
from tests.flows.conftest import SWEEP_CRON, wait_for_wait, wait_until
from tests.flows.isolated import isolated_system
from tests.reliability.scenario import bsn, individueel

AGB = "73730101"
SWEEP = "meerzorg-deadline-sweep/deadline-sweep"


@pytest.fixture(scope="module")
def ops_sink():
    from deployments.sink import Sink

    s = Sink().start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def provider_sink():
    from deployments.sink import Sink

    s = Sink().start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def iso(ops_sink, provider_sink):
    env = {
        "MEERZORG_SWEEP_CRON": SWEEP_CRON,
        "MEERZORG_SWEEP_ALERT_MINUTES": "1",
        "MEERZORG_OPERATIONS_NOTIFY": ops_sink.url,
        "MEERZORG_DELIVERY_BACKOFF_SECONDS": "0",
        # Stopping the runner may kill a sweep mid-delivery: its claimed row goes out at
        # the first sweep after the lease, well inside a test's wait.
        "MEERZORG_DELIVERY_LEASE_SECONDS": "20",
    }
    with isolated_system(env) as iso:
        from deployments import automations
        from deployments import operations as ops
        from deployments.cli_beheer import medewerker_registreer

        medewerker_registreer("b-001", "beoordelaar")
        ops.aanbieder_registreer(AGB, "Zorggroep Zonder Toetsenbord", [provider_sink.url])
        automations.inrichten()
        yield iso


def client():
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


def meerzorg(*args: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).parent / "meerzorg"
    return subprocess.run([str(cli), *args], capture_output=True, text=True, timeout=120)


def bericht_bij(sink, zaak: str, woord: str) -> dict:
    """Until the provider's sink received a message of this zaak with `woord` in its title."""
    return wait_until(
        lambda: next(
            (
                r
                for r in sink.received
                if woord in (r["title"] or "") and zaak in (r["sleutel"] or "")
            ),
            None,
        ),
        60,
        what=f"the {woord} message of {zaak} at the provider",
    )


def sweeps(*states: str) -> list:
    """The deadline-sweep's runs in these states (StateType values)."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    with client() as c:
        return c.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["deadline-sweep"])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType(x) for x in states])
                )
            ),
        )


def completed_sweeps() -> list:
    return sweeps("COMPLETED")


def active_sweeps() -> list:
    """Sweeps running, or due so soon that a runner may have picked them up already. One
    left Pending or Running, or due, for over a minute is not in progress: a sweep takes
    seconds and a runner or worker takes a due run within seconds. (Seen once in the
    production setup, after the test before had stopped the workers: a sweep stayed
    active and the wait for none timed out.)"""
    now = dt.datetime.now(dt.UTC)
    soon, stale = now + dt.timedelta(seconds=15), now - dt.timedelta(minutes=1)
    active = []
    for r in sweeps("SCHEDULED", "PENDING", "RUNNING"):
        since = r.expected_start_time if r.state.type.value == "SCHEDULED" else r.state.timestamp
        if since is not None and stale < since < soon:
            active.append(r)
    return active


def test_the_scheduler_keeps_upcoming_runs_for_every_scheduled_deployment(iso):
    from deployments.specs import scheduled_deployments
    from tasks.status import scheduler_feiten

    def upcoming():
        with client() as c:
            feiten = scheduler_feiten(c)
        return set(feiten["volgende"]) == set(scheduled_deployments()) and feiten

    feiten = wait_until(upcoming, 90, what="upcoming runs for every scheduled deployment")
    assert feiten["ontbrekend"] == feiten["zonder_schema"] == feiten["gepauzeerd"] == []
    assert feiten["zonder_geplande_run"] == []
    assert set(feiten["volgende"]) == {"deadline-sweep", "intake", "plan-dialogen", "werkvoorraad"}
    with client() as c:
        sweep = c.read_deployment_by_name(SWEEP)
    assert [s.schedule.cron for s in sweep.schedules] == [SWEEP_CRON]  # the setting


def test_a_scheduled_sweep_fires_a_due_timer_and_the_provider_hears_of_it(iso, provider_sink):
    """A toekenning decided 200 days ago (its peildatum) for a year: its herbeoordeling was
    due 17 days ago. Nobody runs the sweep; the next scheduled one fires it."""
    from deployments import operations as ops
    from models.beleid import beleid_op
    from models.dates import vandaag
    from models.dialoog import planbare_jaren
    from tasks import dialoog_lezen, dialoog_planning

    vandaag_ = vandaag()
    besluit = vandaag_ - dt.timedelta(days=200)
    start = besluit + dt.timedelta(days=1)
    data = individueel("AUTO-1", "AUTO-001", bsn(301))
    data["zorgaanbieder"] = {"agb": AGB, "naam": "Zorggroep Zonder Toetsenbord"}
    data["gevraagde_start"] = start.isoformat()
    data["gevraagde_eind"] = (start + dt.timedelta(days=364)).isoformat()
    # Received on the decision day: no beschikking starts before its aanvraag was complete.
    zaak = ops.indienen(json.dumps(data), besluit)["zaak"]
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(
        zaak,
        toekennen(
            "b-001",
            start=start,
            eind=start + dt.timedelta(days=364),
            evalueren_op=start + dt.timedelta(days=180),
            peildatum=besluit,
        ),
    )
    # The scheduled sweep moves the zaak to its herbeoordeling, and the run follows.
    wait_for_wait(zaak, "evaluatie-", timeout=240)
    bericht_bij(provider_sink, zaak, "herbeoordeling")
    from deployments.cli_beheer import audit_lijst

    assert any(e["actor"] == "deadline-sweep" for e in audit_lijst(zaak)), "fired by the sweep"
    sweeps = completed_sweeps()
    assert sweeps and all(r.auto_scheduled for r in sweeps)  # created by the scheduler
    assert all(r.parameters.get("peildatum") is None for r in sweeps)  # today, by the clock

    # The provider now has meerzorg: the sweep plans its dialoog and starts the run.
    jaren = planbare_jaren(vandaag_, beleid_op(vandaag_).dialoog)
    wait_until(
        lambda: any(
            (d := dialoog_lezen.detail(AGB, j)) and d["flow_run_id"] and d["status"] != "gepland"
            for j in jaren
        ),
        240,
        what="the newcomer's dialoog planned and its run inviting",
    )
    assert len(dialoog_planning.plan_nieuwkomers(vandaag_)) == 0  # planning stays idempotent


# Stopping the runner interrupts whatever flow run it has going (a sweep every 15 seconds).
@pytest.mark.logs_allowed(r"Crash detected! Execution was aborted by an interrupt signal")
def test_when_the_sweep_stops_operations_is_alerted_by_the_server(iso, ops_sink):
    """Sweeps complete every 15 seconds: no alert. The runner dies: within the window
    (MEERZORG_SWEEP_ALERT_MINUTES=1) the server itself tells operations."""
    from deployments import automations

    def alerts():
        return [r for r in ops_sink.received if "deadline-sweep" in (r["title"] or "")]

    wait_until(lambda: len(completed_sweeps()) >= 2, 180, what="two completed sweeps")
    assert alerts() == []  # no false alarm while the sweep runs
    iso.system.stop_runner()
    stopped = dt.datetime.now(dt.UTC)
    try:
        (alert,) = wait_until(alerts, 300, interval=2, what="the missing-sweep alert")
        assert automations.SWEEP_ONDERWERP in alert["title"]
        assert "1 minuut" in alert["message"]  # the window, as configured
        assert dt.datetime.now(dt.UTC) - stopped < dt.timedelta(minutes=5)
    finally:
        iso.system.start_runner()  # the machine comes back; the schedules are still on


def cancel(run_id: str) -> None:
    from prefect.states import Cancelled

    with client() as c:
        c.set_flow_run_state(UUID(run_id), Cancelled(message="Cancel in de UI"), force=True)


def set_sweep_paused(paused: bool) -> None:
    with client() as c:
        dep = c.read_deployment_by_name(SWEEP)
        (c.pause_deployment if paused else c.resume_deployment)(dep.id)


# Pausing the sweep's deployment deletes its scheduled runs (Prefect); with a sweep every 15
# seconds the runner may just have taken one of them, and its Pending then finds no run.
@pytest.mark.logs_allowed(r"Failed to update state of flow run '[0-9a-f-]+'(?s:.*)ObjectNotFound")
def test_a_cancelled_run_is_a_problem_until_the_next_sweep_starts_it_again(iso):
    from deployments import operations as ops
    from models.dates import vandaag

    zaak = ops.indienen(
        json.dumps(
            {
                **individueel("AUTO-2", "AUTO-002", bsn(302)),
                "zorgaanbieder": {"agb": AGB, "naam": "Zorggroep Zonder Toetsenbord"},
            }
        ),
        vandaag(),
    )["zaak"]
    key = wait_for_wait(zaak, "beoordeling-")
    run_id = ops.zaak_overzicht(zaak, log_read=False)["flow_run_id"]
    set_sweep_paused(True)  # so that no sweep repairs it before we look
    try:
        # A sweep the runner had already picked up still runs: let it finish first.
        try:
            wait_until(lambda: not active_sweeps(), 120, what="no sweep in progress")
        except AssertionError as e:
            left = [(r.state.name, r.expected_start_time) for r in active_sweeps()]
            raise AssertionError(f"{e}: {left}") from None
        cancel(run_id)
        r = meerzorg("status")
        assert r.returncode == 1, r.stdout + r.stderr
        status = json.loads(r.stdout)
        assert any(zaak in p and "zonder live run" in p for p in status["problemen"]), status
        shown = json.loads(meerzorg("herstel-runs", "--alleen-tonen").stdout)
        assert [(a["key"], a["soort"]) for a in shown["zaak"]["acties"]] == [(zaak, "start")]
        assert ops.zaak_overzicht(zaak, log_read=False)["flow_run_id"] == run_id  # only shown
    finally:
        set_sweep_paused(False)
    wait_for_wait(zaak, key, timeout=240)  # a new run, waiting on the same form
    nieuw = ops.zaak_overzicht(zaak, log_read=False)["flow_run_id"]
    assert nieuw != run_id

    def clean():
        r = meerzorg("status")
        return r.returncode == 0 and json.loads(r.stdout)

    status = wait_until(clean, 180, interval=5, what="meerzorg status clean after the sweep")
    assert status["volgende_sweep"] and status["laatste_sweep"]["peildatum"]


def test_an_empty_prefect_database_is_rebuilt_from_the_case_database_by_the_sweep(
    iso, provider_sink
):
    """The Prefect server loses its database: a new, empty one. Every open zaak and dialoog
    comes back with one run waiting on its current form and card; nothing is decided or
    sent twice; a Resume on a recreated run works."""
    from sqlmodel import func, select

    from deployments import automations
    from deployments import operations as ops
    from models.dates import vandaag
    from models.db.store import session_scope
    from models.db.tables import Besluit, Notificatie, Zaak
    from models.overgang import GESLOTEN
    from tasks import dialoog as dialoog_ops
    from tasks import runs

    herstel = individueel("AUTO-3", "AUTO-003", bsn(303))
    herstel["zorgaanbieder"] = {"agb": AGB, "naam": "Zorggroep Zonder Toetsenbord"}
    herstel["vragenlijst"]["inzet"] = ""
    herstel_zaak = ops.indienen(json.dumps(herstel), vandaag())["zaak"]
    wait_for_wait(herstel_zaak, "aanvulling-")

    def open_cases() -> dict[str, str]:
        with session_scope() as session:
            zaken = {
                z.key: z.wacht_key
                for z in session.exec(select(Zaak).where(Zaak.status.notin_(tuple(GESLOTEN))))
            }
        return zaken

    def counts():
        with session_scope() as session:
            return (
                session.exec(select(func.count()).select_from(Besluit)).one(),
                session.exec(select(func.count()).select_from(Notificatie)).one(),
            )

    before = open_cases()
    waits = {w.rsplit("-", 1)[0] for w in before.values()}
    assert {"beoordeling", "evaluatie", "aanvulling"} <= waits, before

    def dialogen() -> dict[str, str | None]:
        return {g.key: g.wacht_key for g in dialoog_ops.reconcile_soort().gevallen()}

    def dialoog_waiting(key: str, wacht_key: str | None):
        g = next(g for g in dialoog_ops.reconcile_soort().gevallen() if g.key == key)
        return g.flow_run_id and runs.pause_key(g.flow_run_id) == wacht_key

    dialogen_voor = dialogen()
    assert dialogen_voor and all(dialogen_voor.values()), "the newcomer's dialoog waits"

    def open_berichten() -> list[tuple]:  # queued for the provider, not yet out
        with session_scope() as session:
            return [
                (n.sleutel, n.status, n.pogingen, n.laatste_fout)
                for n in session.exec(
                    select(Notificatie).where(
                        Notificatie.kanaal == "aanbieder",
                        Notificatie.status.in_(("wachtend", "bezig")),
                    )
                )
            ]

    try:
        wait_until(lambda: not open_berichten(), 180, what="the provider's messages delivered")
    except AssertionError as e:
        raise AssertionError(f"{e}: {open_berichten()}") from None
    besluiten, notificaties = counts()
    received = len(provider_sink.received)

    iso.replace_prefect_database()
    automations.inrichten()  # the new server has no automations yet (as `meerzorg up` does)

    for zaak, key in before.items():
        wait_for_wait(zaak, key, timeout=300)
        card = ops.zaak_overzicht(zaak, log_read=False)
        with client() as c:
            description = json.loads(
                c.read_flow_run_input(UUID(card["flow_run_id"]), f"suspended-{key}-description")
            )
        assert zaak in description  # the case card above the form
    for key, wacht_key in dialogen_voor.items():
        wait_until(lambda k=key, w=wacht_key: dialoog_waiting(k, w), 120, what=f"{key} waiting")
    assert open_cases() == before and dialogen() == dialogen_voor  # nothing moved
    assert counts() == (besluiten, notificaties)  # nothing decided or queued again
    assert len(provider_sink.received) == received

    # A Resume on a recreated run works like on the original.
    zaak = next(z for z, k in before.items() if k.startswith("beoordeling-"))
    ops.beoordeel(zaak, toekennen("b-001"))
    wait_for_wait(zaak, "einde-beschikking-")
    bericht_bij(provider_sink, zaak, "toegekend")
