"""A real embedded system for the flow tests: `prefect server start` on a free loopback
port with its own PREFECT_HOME, the runner serving prefect.yaml, a fresh app database and
an HTTP sink as the providers' apprise target."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from deployments.system import EmbeddedSystem, free_port, prefect_env

# Set before anything imports prefect, so every client in this process talks to our server.
_PORT = free_port()
_TMP = Path(tempfile.mkdtemp(prefix="meerzorg-flows-"))
os.environ["MEERZORG_DATA_DIR"] = str(_TMP / "data")
if "MEERZORG_FLOW_DATABASE_URL" in os.environ:
    os.environ["MEERZORG_DATABASE_URL"] = os.environ["MEERZORG_FLOW_DATABASE_URL"]
os.environ["MEERZORG_DELIVERY_BACKOFF_SECONDS"] = "0"
os.environ.update(
    {
        k: v
        for k, v in prefect_env(_PORT, _TMP / "prefect").items()
        if k.startswith(("PREFECT_", "MEERZORG_"))
    }
)
# The logins are on (MEERZORG_AUTH=aan, the default): Prefect sits behind the gateway, and
# this process, like the runner and the workers, is a script with the service credential.
AUTH = os.environ.get("MEERZORG_AUTH", "aan").strip().lower() not in ("uit", "off", "0", "false")
if AUTH:
    from deployments.gateway_auth import service_auth_string

    os.environ["PREFECT_API_AUTH_STRING"] = service_auth_string(_TMP / "data")


# MEERZORG_TEST_MODE=postgres-workers runs the same tests in the production setup: the app
# database and the Prefect server on PostgreSQL, prefect.yaml deployed to a process work
# pool, two workers (tests/flows/workers.py: WorkerSystem). Default: the embedded system.
MODE = os.environ.get("MEERZORG_TEST_MODE", "embedded")
ADMIN_URL = os.environ.get(
    "MEERZORG_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def postgres_database(name: str):
    """Create database `name` on the test server; returns its URL and a dropper."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False), drop


def _postgres_databases():
    """A fresh app database and Prefect database; returns their URLs and a dropper."""
    import secrets

    from sqlalchemy.engine import make_url

    suffix = secrets.token_hex(4)
    app, drop_app = postgres_database(f"meerzorg_flows_{suffix}")
    prefect, drop_prefect = postgres_database(f"meerzorg_prefect_{suffix}")
    prefect = make_url(prefect).set(drivername="postgresql+asyncpg")

    def drop() -> None:
        from models.db.store import engine_for

        engine_for(app).dispose()
        drop_app()
        drop_prefect()

    return app, prefect.render_as_string(hide_password=False), drop


# The test's simple case kind (tests/soort_voorbeeld), in the system's processes only: the
# runner, the workers and the gateway find it as production finds a kind named in
# MEERZORG_SOORTEN. This process adds it where a test asks (tests/flows/test_geval.py), so
# the other tests here see the kinds of production.
SOORTEN_ENV = {"MEERZORG_SOORTEN": "tests.soort_voorbeeld"}

# The sweep's cron on the systems with schedules on (test_unattended, test_replicas): every
# 15 seconds (cron's sixth field), so a test waits for a scheduled sweep, not for the minute.
SWEEP_CRON = "* * * * * */15"

# tests/e2e imports these fixtures too: one system and one sink per session, whoever asks
# first starts it and stops it at the end.
_SHARED: dict = {}


@pytest.fixture(scope="session")
def system():
    if "system" in _SHARED:
        yield _SHARED["system"]
        return
    from models.db.store import migrate

    drop = None
    if MODE == "postgres-workers":
        from tests.flows.workers import WorkerSystem

        app_url, prefect_url, drop = _postgres_databases()
        os.environ["MEERZORG_DATABASE_URL"] = app_url
        migrate()
        system = WorkerSystem(
            prefect_url,
            workers=2,
            port=_PORT,
            home=_TMP / "prefect",
            env=SOORTEN_ENV,
            schedules=False,
        )
    elif MODE == "embedded":
        migrate()
        system = EmbeddedSystem(port=_PORT, home=_TMP / "prefect", env=SOORTEN_ENV, schedules=False)
    else:
        raise pytest.UsageError(f"MEERZORG_TEST_MODE={MODE}: use embedded or postgres-workers")
    from tests.logguard import GUARD

    GUARD.watch(system)
    system.start_server()
    system.start_runner()
    _SHARED["system"] = system
    yield system
    system.stop()
    if drop:
        drop()


@pytest.fixture(scope="session")
def sink():
    if "sink" in _SHARED:
        yield _SHARED["sink"]
        return
    from deployments.sink import Sink

    s = _SHARED["sink"] = Sink().start()
    yield s
    s.stop()


# The test staff's dashboard password (the gateway's login page, tests/e2e).
WACHTWOORD = "test-wachtwoord-van-de-staf"


@pytest.fixture(scope="session")
def aanbieders(system, sink):
    from deployments import operations as ops
    from deployments.cli_beheer import medewerker_registreer

    for medewerker, rol in (("b-001", "beoordelaar"), ("b-002", "teamleider"), ("cce-001", "cce")):
        medewerker_registreer(medewerker, rol, WACHTWOORD)
    ops.aanbieder_registreer("73730001", "Stichting De Linde", [sink.url])
    ops.aanbieder_registreer("73730002", "Thuiszorg Het Anker", [sink.url])
    return sink


def wait_until(predicate, timeout: float = 120, interval: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def pause_key_or_none(flow_run_id: str | None) -> str | None:
    """The run's pause key; None for a run the server does not have (yet): a new, empty
    Prefect database knows only the runs the sweep has started again. One run read, not
    every paused run on each poll."""
    from tasks import reconcile, runs

    try:
        return runs.pause_key(flow_run_id) if flow_run_id else None
    except Exception as exc:
        if not reconcile.niet_gevonden(exc):
            raise
        return None


def wait_for_wait(zaak: str, prefix: str, timeout: float = 120) -> str:
    """Until the zaak waits on a key starting with `prefix`, its run is suspended on it and
    the form is saved (Prefect saves it just after the pause: tasks/runs.py)."""
    from deployments import operations as ops
    from tasks import runs

    def ready():
        z = ops.zaak_overzicht(zaak, log_read=False)
        key = z["wacht_key"]
        if (
            key
            and key.startswith(prefix)
            and pause_key_or_none(z["flow_run_id"]) == key
            and runs.formulier_opgeslagen(z["flow_run_id"], key)
        ):
            return key
        return None

    return wait_until(ready, timeout, what=f"{zaak} waiting for {prefix}")


def wait_for_status(zaak: str, status: str, timeout: float = 120) -> dict:
    from deployments import operations as ops

    return wait_until(
        lambda: (z := ops.zaak_overzicht(zaak, log_read=False))["status"] == status and z,
        timeout,
        what=f"{zaak} status {status}",
    )
