"""A worker runs only what prefect.yaml defines (issue 23, point 4), against a real
`prefect server start` and a real `python -m deployments.worker`, in both start modes.

What someone who could write deployments or runs in the work pool would try: a deployment
of prefect.yaml with a run whose job variables give a shell command, an environment
(PYTHONPATH to a directory with a `sitecustomize.py`) or a working directory; a deployment
that is not in prefect.yaml (with a command); one with prefect.yaml's name and entrypoint
but its own pull step (a shell script, which Prefect's start runs in the worker itself); and
a run without a deployment in the pool (with a command). Each must end Crashed with the
reason, run nothing (no file appears) and cost the worker one log line, no traceback; the
deployment as `prefect deploy` registers it still runs. Its own small system (SQLite, one
worker, logins off): this tests the worker alone, not the gateway in front of it."""

from __future__ import annotations

import shlex
import time

import httpx
import pytest

from deployments.system import free_port
from tests.flows.workers import WorkerSystem
from tests.logguard import GUARD

POOL = "meerzorg"
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture(scope="module")
def pool_systeem(tmp_path_factory):
    from deployments.specs import write_resolved
    from models.db.store import migrate

    tmp = tmp_path_factory.mktemp("worker-weigert")
    system = WorkerSystem(
        f"sqlite+aiosqlite:///{tmp / 'prefect' / 'prefect.db'}",
        workers=1,
        pool=POOL,
        port=free_port(),
        home=tmp / "prefect",
        env={"MEERZORG_AUTH": "uit"},
        schedules=False,
    )
    migrate()  # the app database the accepted run (werkvoorraad) reads
    GUARD.watch(system)
    system.start_server()
    try:
        # Registered as `meerzorg deploy` does, one deployment only (the others alike).
        system._prefect("work-pool", "create", POOL, "--type", "process", "--overwrite")
        prefect_file = write_resolved(system.home / "prefect.yaml", with_schedules=False)
        system._prefect("deploy", "--name", "werkvoorraad", "--prefect-file", str(prefect_file))
        system.deployed = True
        yield system
    finally:
        system.stop()
        GUARD.unwatch(system)


def _ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _runs(api: httpx.Client, merk, kwaad) -> dict[str, str]:
    """Create the runs (Scheduled; no worker yet): case -> flow run id."""
    legit = _ok(api.get("/deployments/name/meerzorg-werkvoorraad/werkvoorraad"))
    flow_id = _ok(api.post("/flows/", json={"name": "opruimen"}))["id"]

    def run_van(deployment_id: str, job_variables: dict | None = None) -> str:
        body = {"job_variables": job_variables} if job_variables else {}
        return _ok(api.post(f"/deployments/{deployment_id}/create_flow_run", json=body))["id"]

    def deployment(name: str, **fields) -> str:
        body = {"name": name, "flow_id": flow_id, "work_pool_name": POOL, **fields}
        return _ok(api.post("/deployments/", json=body))["id"]

    def touch(case: str) -> str:
        return f"touch {shlex.quote(str(merk / case))}"

    onbekend = deployment(
        "opruimen",
        entrypoint=legit["entrypoint"],
        pull_steps=legit["pull_steps"],
        job_variables={"command": touch("onbekend")},
    )
    eigen_pull = deployment(
        "werkvoorraad",
        entrypoint=legit["entrypoint"],
        pull_steps=[{"prefect.deployments.steps.run_shell_script": {"script": touch("pull")}}],
    )
    los = {
        "flow_id": flow_id,
        "work_pool_name": POOL,
        "job_variables": {"command": touch("zonder-deployment")},
        "state": {"type": "SCHEDULED"},
    }
    return {
        "legit": run_van(legit["id"]),
        "command": run_van(legit["id"], {"command": touch("command")}),
        "env": run_van(legit["id"], {"env": {"PYTHONPATH": str(kwaad)}}),
        "working_dir": run_van(legit["id"], {"working_dir": str(kwaad)}),
        "onbekend": run_van(onbekend),
        "pull": run_van(eigen_pull),
        "zonder-deployment": _ok(api.post("/flow_runs/", json=los))["id"],
    }


REDEN = {
    "command": "de job variables geven een eigen command",
    "env": "de job variables zetten omgevingsvariabelen: ['PYTHONPATH']",
    "working_dir": "de job variables geven een working_dir",
    "onbekend": "deployment 'opruimen' met entrypoint 'flows/werkvoorraad.py:werkvoorraad_flow' "
    "staat niet in prefect.yaml",
    "pull": "deployment 'werkvoorraad' haalt zijn code anders op dan prefect.yaml",
    "zonder-deployment": "een run zonder deployment",
}


@pytest.mark.parametrize("start", ["fork", "engine"])
def test_de_worker_weigert_wat_prefect_yaml_niet_definieert(pool_systeem, start, tmp_path):
    system = pool_systeem
    merk = tmp_path / "merk"
    merk.mkdir()
    kwaad = tmp_path / "kwaad"
    kwaad.mkdir()
    # Imported by any interpreter started with this directory on PYTHONPATH.
    (kwaad / "sitecustomize.py").write_text(
        f"open({str(merk / 'env')!r}, 'w').close()\n", encoding="utf-8"
    )
    log = system.log_dir / "worker-1.log"
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    with httpx.Client(base_url=system.api_url, timeout=10) as api:
        runs = _runs(api, merk, kwaad)
        system.env["MEERZORG_RUNNER_START"] = start
        system.start_runner()
        try:
            deadline = time.monotonic() + 150
            while True:
                states = {
                    case: _ok(api.get(f"/flow_runs/{run}"))["state"] for case, run in runs.items()
                }
                ran = sorted(p.name for p in merk.iterdir())
                assert not ran, f"runs that ran their own code: {ran}"
                if all(s["type"] in TERMINAL for s in states.values()):
                    break
                assert time.monotonic() < deadline, {c: s["type"] for c, s in states.items()}
                time.sleep(1)
        finally:
            system.stop_runner()

    assert states["legit"]["type"] == "COMPLETED", states["legit"]
    for case, reden in REDEN.items():
        assert states[case]["type"] == "CRASHED", (case, states[case])
        assert states[case]["message"].startswith(f"Geweigerd door de worker: {reden}"), (
            case,
            states[case]["message"],
        )
    assert sorted(p.name for p in merk.iterdir()) == []  # nothing ran, at the end either
    new = log.read_text(encoding="utf-8")[len(before) :]
    lines = [line for line in new.splitlines() if "Geweigerd door de worker" in line]
    assert len(lines) == len(REDEN), lines  # one line per refused run (and no traceback:
    assert "Traceback" not in new  # the log guard checks every log of this system too)
