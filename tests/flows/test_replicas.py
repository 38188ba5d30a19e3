"""Several Prefect server replicas (tests/flows/replicas.py: ReplicaSystem): two API
replicas A and B (`prefect server start --no-services`) and one services process on one
PostgreSQL Prefect database, Redis between them, two workers talking to B. This process
talks to A, as an assessor's browser behind a load balancer might.

- a decision resumed through A is executed by a worker on B and the zaak reaches its next
  wait;
- the scheduler gives each scheduled time exactly one run, and the failed-run automation
  sends exactly one alert for one failed run: nothing here triggers a scheduled deployment
  or an automation;
- A killed (SIGKILL): B keeps serving, and a decision sent through B reaches its next wait.

Skips when PostgreSQL (127.0.0.1:5432, MEERZORG_TEST_DATABASE_URL) or Redis (127.0.0.1:6379)
do not answer, or prefect-redis is not installed (the `redis` extra). One system for the
module; it takes a few minutes."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import tempfile
import time
from pathlib import Path
from uuid import UUID

import pytest

from tests.factories import toekennen
from tests.flows.conftest import (
    ADMIN_URL,
    SWEEP_CRON,
    pause_key_or_none,
    postgres_database,
    wait_until,
)
from tests.reliability.scenario import bsn, individueel

AGB = "73730001"
SWEEP = "meerzorg-deadline-sweep/deadline-sweep"
ALARM_RUN = "replica-alarm"
# What the module measured (printed at its end, `pytest -s`).
FIGURES: dict[str, float] = {}
# The zaak submitted in the first test and decided in the last one.
ZAKEN: dict[str, str] = {}


def _unavailable() -> str | None:
    """Why the replica system cannot run here, or None."""
    try:
        import prefect_redis  # noqa: F401
    except ImportError:
        return "prefect-redis is not installed (uv sync --extra redis)"
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(ADMIN_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:
        return f"PostgreSQL does not answer at {ADMIN_URL}: {type(exc).__name__}"
    from tests.flows.replicas import REDIS_HOST, REDIS_PORT, redis_client

    try:
        client = redis_client()
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return f"Redis does not answer at {REDIS_HOST}:{REDIS_PORT}: {type(exc).__name__}"
    return None


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
def replicas(ops_sink, provider_sink):
    """The replica system, schedules on and the sweep every 15 seconds, with this process's
    settings pointed at replica A."""
    if reason := _unavailable():
        pytest.skip(reason)
    from prefect.settings import (
        PREFECT_API_AUTH_STRING,
        PREFECT_API_URL,
        PREFECT_LOCAL_STORAGE_PATH,
        temporary_settings,
    )
    from sqlalchemy.engine import make_url

    from tests.flows.replicas import ReplicaSystem, claim_redis_db, flush_redis
    from tests.logguard import GUARD

    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-replicas-"))
    suffix = secrets.token_hex(4)
    drops: list = []
    app_url = redis_db = system = None
    try:
        app_url, drop = postgres_database(f"meerzorg_rep_{suffix}")
        drops.append(drop)
        prefect_url, drop = postgres_database(f"meerzorg_rep_prefect_{suffix}")
        drops.append(drop)
        prefect_url = (
            make_url(prefect_url)
            .set(drivername="postgresql+asyncpg")
            .render_as_string(hide_password=False)
        )
        redis_db = claim_redis_db()
        env = {
            "MEERZORG_DATA_DIR": str(tmp / "data"),
            "MEERZORG_DATABASE_URL": app_url,
            "MEERZORG_AUTH": "uit",
            "MEERZORG_SWEEP_CRON": SWEEP_CRON,
            "MEERZORG_OPERATIONS_NOTIFY": ops_sink.url,
            "MEERZORG_DELIVERY_BACKOFF_SECONDS": "0",
            "PREFECT_LOCAL_STORAGE_PATH": str(tmp / "storage"),
        }
        with pytest.MonkeyPatch.context() as mp:
            for k, v in env.items():
                mp.setenv(k, v)
            mp.delenv("PREFECT_API_AUTH_STRING", raising=False)
            system = ReplicaSystem(prefect_url, redis_db, home=tmp / "prefect", env=env)
            mp.setenv("PREFECT_API_URL", system.api_url_a)
            with temporary_settings(
                updates={
                    PREFECT_API_URL: system.api_url_a,
                    PREFECT_LOCAL_STORAGE_PATH: env["PREFECT_LOCAL_STORAGE_PATH"],
                },
                restore_defaults={PREFECT_API_AUTH_STRING},
            ):
                from deployments import automations
                from deployments import operations as ops
                from deployments.cli_beheer import medewerker_registreer
                from models.db.store import migrate

                migrate()
                GUARD.watch(system)
                system.start_server()
                system.start_runner()
                medewerker_registreer("b-001", "beoordelaar")
                ops.aanbieder_registreer(AGB, "Stichting De Linde", [provider_sink.url])
                automations.inrichten()  # through A, like everything in this process
                FIGURES["start (s)"] = time.monotonic() - started
                yield system
    finally:
        from models.db.store import engine_for

        if system is not None:
            system.stop()
        if redis_db is not None:
            flush_redis(redis_db)
        if app_url is not None:
            engine_for(app_url).dispose()
        for drop in drops:
            drop()
        FIGURES["module (s)"] = time.monotonic() - started
        print("\nreplica figures: " + json.dumps({k: round(v, 1) for k, v in FIGURES.items()}))


def client():
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


def api_url() -> str:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def indienen(n: int) -> tuple[str, str]:
    """A zaak for one client of the provider, received today (the sweep sweeps today)."""
    from deployments import operations as ops
    from models.dates import vandaag

    start = vandaag() + dt.timedelta(days=14)
    data = individueel(f"REPLICA-{n}", f"LINDE-R{n}", bsn(400 + n))
    data["gevraagde_start"] = start.isoformat()
    data["gevraagde_eind"] = (start + dt.timedelta(days=364)).isoformat()
    result = ops.indienen(json.dumps(data), vandaag())
    return result["zaak"], result["flow_run_id"]


def besluit() -> dict:
    from models.dates import vandaag

    start = vandaag() + dt.timedelta(days=14)
    return toekennen(
        "b-001",
        start=start,
        eind=start + dt.timedelta(days=364),
        evalueren_op=start + dt.timedelta(days=180),
        peildatum=vandaag(),
    )


def wait_for_next_wait(zaak: str, previous: str, timeout: float = 240) -> dict:
    """Until the zaak waits on a key other than `previous` and its run is suspended on it."""
    from deployments import operations as ops

    def ready():
        z = ops.zaak_overzicht(zaak, log_read=False)
        key = z["wacht_key"]
        if key and key != previous and pause_key_or_none(z["flow_run_id"]) == key:
            return z
        return None

    return wait_until(ready, timeout, what=f"{zaak} at its wait after {previous}")


def wait_for_key(zaak: str, prefix: str, timeout: float = 240) -> str:
    from deployments import operations as ops

    def ready():
        z = ops.zaak_overzicht(zaak, log_read=False)
        key = z["wacht_key"]
        if key and key.startswith(prefix):
            if pause_key_or_none(z["flow_run_id"]) == key:
                return key
        return None

    return wait_until(ready, timeout, what=f"{zaak} waiting for {prefix}")


def decide(zaak: str, label: str) -> dict:
    """Decide the zaak through the replica this process points at; the figures of the
    resume: until the case database has the decision, until the run waits again."""
    from deployments import operations as ops

    t0, wall = time.monotonic(), dt.datetime.now(dt.UTC)
    result = ops.beoordeel(zaak, besluit(), wacht=240)
    FIGURES[f"{label}: resume → decision in the case database (s)"] = time.monotonic() - t0
    assert result["verwerkt"] is True, result
    z = wait_for_next_wait(zaak, "beoordeling-1")
    FIGURES[f"{label}: resume → run suspended on the next wait (s)"] = time.monotonic() - t0
    # Where the time went: the run's states since the resume, as the server recorded them.
    with client() as c:
        states = c.read_flow_run_states(UUID(z["flow_run_id"]))
    for state in sorted(states, key=lambda s: s.timestamp):
        if state.timestamp >= wall:
            name = f"{label}: → {state.name} (s)"
            FIGURES.setdefault(name, (state.timestamp - wall).total_seconds())
    return z


def all_runs(deployment_filter, flow_run_filter=None) -> list:
    """Every flow run that matches, page by page (the scheduler keeps up to 100 upcoming
    runs of each scheduled deployment)."""
    out, offset = [], 0
    with client() as c:
        while True:
            page = c.read_flow_runs(
                deployment_filter=deployment_filter,
                flow_run_filter=flow_run_filter,
                limit=200,
                offset=offset,
            )
            out += page
            if len(page) < 200:
                return out
            offset += 200


def completed_sweeps() -> list:
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    return all_runs(
        DeploymentFilter(name=DeploymentFilterName(any_=["deadline-sweep"])),
        FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
        ),
    )


def worker_submissions(system, run_id: str) -> int:
    return sum(
        (system.log_dir / f"worker-{i + 1}.log")
        .read_text(errors="replace")
        .count(f"submitting flow run '{run_id}'")
        for i in range(system.worker_count)
    )


def test_a_decision_resumed_through_replica_a_is_run_by_a_worker_on_replica_b(replicas):
    assert api_url() == replicas.api_url_a
    assert replicas.env["PREFECT_API_URL"] == replicas.api_url_b  # the workers' API
    zaak, run_id = indienen(1)
    # The second zaak waits for the last test, decided through B after A is gone.
    ZAKEN["tweede"] = indienen(2)[0]
    assert wait_for_key(zaak, "beoordeling-") == "beoordeling-1"
    z = decide(zaak, "via A")
    assert z["status"] == "lopend" and z["flow_run_id"] == run_id, z
    assert len(z["beschikkingen"]) == 1
    # The same run, picked up again by a worker after the resume (the worker asks B).
    assert worker_submissions(replicas, run_id) >= 2
    # Each worker starts its runs as forks of its own warm process (deployments/worker.py).
    assert len(replicas.forkservers()) == replicas.worker_count


@pytest.mark.logs_allowed(rf"Flow run '{ALARM_RUN}'", r"zaak MZ-1999-999999 does not exist")
def test_the_scheduler_and_the_automations_act_once_across_the_replicas(replicas, ops_sink):
    """The schedules of prefect.yaml (the sweep every 15 seconds) and the failed-run alert,
    with two API replicas: the services process alone schedules and fires, the events of
    a run on B reach it through Redis."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.deployments import run_deployment

    from deployments import automations
    from tests.flows.replicas import redis_client

    since = dt.datetime.now(dt.UTC)
    # One failed run: a lifecycle run for a zaak that does not exist (created through A,
    # run by a worker on B).
    failed = run_deployment(
        "meerzorg-lifecycle/lifecycle",
        parameters={"zaak": "MZ-1999-999999"},
        flow_run_name=ALARM_RUN,
        timeout=0,
        as_subflow=False,
        _sync=True,
    )

    def alerts() -> list[dict]:
        return [r for r in ops_sink.received if ALARM_RUN in (r["title"] or "")]

    wait_until(alerts, 300, what="the failed-run alert")
    alerted = dt.datetime.now(dt.UTC)
    FIGURES["failed run created → alert at the sink (s)"] = (alerted - since).total_seconds()
    assert f"/runs/flow-run/{failed.id}" in alerts()[0]["message"]

    # Exactly once: a second trigger evaluator would have fired at about the same moment.
    # Wait until a scheduled sweep that started after the alert has completed (the
    # services have been busy well after the failed run's events), then count.
    def sweep_after_alert():
        done = completed_sweeps()
        later = [r for r in done if r.start_time and r.start_time > alerted]
        return len(done) >= 2 and later

    wait_until(sweep_after_alert, 300, what="a scheduled sweep completed after the alert")
    assert len(alerts()) == 1, alerts()
    with client() as c:
        (automation,) = c.read_automations_by_name(automations.AUTOMATION_MISLUKT)

    def automation_events() -> list[str]:
        with client() as c:
            events = c.request(
                "POST",
                "/events/filter",
                json={
                    "filter": {
                        "occurred": {"since": since.isoformat()},
                        "event": {
                            "name": [
                                "prefect.automation.triggered",
                                "prefect.automation.action.executed",
                            ]
                        },
                        "resource": {"id": [f"prefect.automation.{automation.id}"]},
                    },
                    "limit": 50,
                },
            ).json()["events"]
        return [e["event"] for e in events]

    # The server writes events in batches: the alert can be at the sink before its events
    # are in the database (a CI run found none at the first read). Wait for them to appear,
    # then check that there are exactly these two: once, not once per replica.
    wait_until(lambda: len(automation_events()) >= 2, 60, what="the automation's events stored")
    time.sleep(3)  # a second replica's duplicate would be stored by now as well
    fired = automation_events()
    assert sorted(fired) == [
        "prefect.automation.action.executed",
        "prefect.automation.triggered",
    ], fired

    # The scheduler: exactly one run per deployment and scheduled time, every one made by
    # the scheduler, and at least two scheduled sweeps have run (once each).
    with client() as c:
        sweep = c.read_deployment_by_name(SWEEP)
        scheduled = [d.id for d in c.read_deployments() if d.schedules]
    runs = all_runs(DeploymentFilter(id=DeploymentFilterId(any_=scheduled)))
    assert [s.schedule.cron for s in sweep.schedules] == [SWEEP_CRON]
    per_time: dict[tuple, list] = {}
    for r in runs:
        assert r.auto_scheduled, f"{r.name} was not created by the scheduler"
        per_time.setdefault((r.deployment_id, r.expected_start_time), []).append(r)
    doubles = {k: [r.name for r in v] for k, v in per_time.items() if len(v) > 1}
    assert not doubles, f"more than one run for one scheduled time: {doubles}"
    done = [r for r in runs if r.deployment_id == sweep.id and r.state.is_completed()]
    assert len({r.expected_start_time for r in done}) >= 2
    assert all(r.run_count == 1 for r in done), [(r.name, r.run_count) for r in done]
    FIGURES["scheduled sweeps completed"] = len(done)
    FIGURES["scheduled runs checked, all deployments"] = len(runs)

    # The events went through Redis (our database), consumed by the services' groups.
    r = redis_client(replicas.redis_db)
    try:
        assert r.xlen("events") > 0
        groups = sorted(g["name"].decode() for g in r.xinfo_groups("events"))
    finally:
        r.close()
    assert groups, "nobody consumes the events stream"


def test_replica_a_killed_replica_b_keeps_serving(replicas):
    import httpx
    from prefect.settings import PREFECT_API_URL, temporary_settings

    replicas.kill_replica("a")
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{replicas.api_url_a}/health", timeout=2)
    assert httpx.get(f"{replicas.api_url_b}/health", timeout=10).json() is True
    assert replicas.services.poll() is None

    with temporary_settings(updates={PREFECT_API_URL: replicas.api_url_b}):
        # The zaak of the first test (else a new one, submitted through B).
        zaak = ZAKEN.get("tweede") or indienen(3)[0]
        assert wait_for_key(zaak, "beoordeling-") == "beoordeling-1"
        z = decide(zaak, "via B, A killed")
        assert z["status"] == "lopend", z
    assert all(w.poll() is None for w in replicas.workers)
