"""`meerzorg up`: the embedded default in one command, and it stops cleanly on Ctrl-C."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from deployments.system import free_port
from models.aanvraag import parse_aanvraag
from models.toets import toets


def test_meerzorg_up_serves_the_dashboard_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MEERZORG_"))}
    env.update(
        MEERZORG_DATA_DIR=str(tmp_path / "data"),
        MEERZORG_PREFECT_PORT=str(port),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    cli = Path(sys.executable).parent / "meerzorg"
    proc = subprocess.Popen(
        [str(cli), "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            output.append(line)
            if "Dashboard:" in line or proc.poll() is not None:
                break
        assert any("Dashboard:" in line for line in output), "".join(output)
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
        # The front door is on by default: nothing but the health check without a login.
        api = f"http://127.0.0.1:{port}/api"
        assert httpx.post(f"{api}/deployments/filter", json={}, timeout=5).status_code == 401
        ui = httpx.get(f"http://127.0.0.1:{port}/runs", timeout=5)
        assert ui.status_code == 303 and ui.headers["location"] == "/login?next=/runs"
        from deployments.gateway_auth import service_auth_string

        auth = tuple(service_auth_string(tmp_path / "data").split(":", 1))
        names = {
            d["name"]
            for d in httpx.post(
                f"http://127.0.0.1:{port}/api/deployments/filter",
                json={"limit": 50},
                auth=auth,
                timeout=5,
            ).json()
        }
        assert {"lifecycle", "deadline-sweep", "intake"} <= names
        assert (tmp_path / "data" / "meerzorg.db").exists()
        # It says when the scheduler runs the next sweep: the schedules work by themselves.
        assert any("deadline-sweep gestart" in line for line in output)  # one sweep at start
        (regel,) = [line for line in output if "volgende deadline-sweep" in line]
        assert "volgende deadline-sweep 20" in regel and "06:00" in regel, regel
        scheduled = [
            d["id"]
            for d in httpx.post(
                f"http://127.0.0.1:{port}/api/deployments/filter",
                json={"limit": 50},
                auth=auth,
                timeout=5,
            ).json()
            if d["schedules"]
        ]
        assert len(scheduled) == 4
        for deployment_id in scheduled:  # an upcoming run for each

            def upcoming_runs(deployment_id=deployment_id):
                return httpx.post(
                    f"http://127.0.0.1:{port}/api/flow_runs/filter",
                    json={
                        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                        "deployments": {"id": {"any_": [deployment_id]}},
                        "limit": 1,
                    },
                    auth=auth,
                    timeout=5,
                ).json()

            # The server's scheduler service creates them on its own loop (60 s), by itself.
            deadline = time.monotonic() + 150
            while not (upcoming := upcoming_runs()) and time.monotonic() < deadline:
                time.sleep(2)
            assert upcoming, deployment_id
        # Up and running, the start-up sweep and werkvoorraad done: nothing went wrong so far.
        # (Ctrl-C below may interrupt a flow-run process mid-import; that is shutdown.)
        from tests.logguard import GUARD, report

        logs = sorted((tmp_path / "data" / "prefect").glob("*.log"))
        assert logs and not (found := GUARD.problems(files=logs)), report(found)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        rest, _ = proc.communicate(timeout=120)  # runner and server get 15 s grace each
    assert proc.returncode == 0, "".join(output) + rest
    for log in logs:  # the session-end check skips this system's shutdown
        GUARD.offsets.pop(log, None)
    try:
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
        raise AssertionError("the Prefect server still answers after Ctrl-C")
    except httpx.TransportError:
        pass


def test_the_demo_caseload_covers_the_states_operations_staff_see():
    from deployments.up import demo_aanvragen

    peildatum = dt.date(2026, 11, 22)
    cases = demo_aanvragen(peildatum)
    assert 8 <= len(cases) <= 12
    ontvankelijk = [toets(parse_aanvraag(json.dumps(a)), peildatum).ontvankelijk for a, _ in cases]
    assert ontvankelijk.count(False) >= 2  # some wait for a correction
    assert {b["uitkomst"] for _, b in cases if b} == {"toekennen", "afwijzen", "bijstellen"}
    assert len({a["provider_referentie"] for a, _ in cases}) == len(cases)
