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


@pytest.fixture(scope="session")
def system():
    from models.store import migrate

    migrate()
    system = EmbeddedSystem(port=_PORT, home=_TMP / "prefect", schedules=False)
    system.start_server()
    system.start_runner()
    yield system
    system.stop()


@pytest.fixture(scope="session")
def sink():
    from deployments.sink import Sink

    s = Sink().start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def aanbieders(system, sink):
    from deployments import operations as ops

    from deployments.cli_beheer import medewerker_registreer

    for medewerker, rol in (("b-001", "beoordelaar"), ("b-002", "teamleider"), ("cce-001", "cce")):
        medewerker_registreer(medewerker, rol)
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


def wait_for_wait(zaak: str, prefix: str, timeout: float = 120) -> str:
    """Until the zaak waits on a key starting with `prefix` and its run is suspended on it."""
    from deployments import operations as ops
    from tasks import runs

    def ready():
        z = ops.zaak_overzicht(zaak, log_read=False)
        key = z["wacht_key"]
        if (
            key
            and key.startswith(prefix)
            and runs.paused_runs().get(z["flow_run_id"], (None, None))[1] == key
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
