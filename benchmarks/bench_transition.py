"""Cost of one lifecycle transition (a suspended run resumed with input -> the run waits on
its next key), on the embedded default (SQLite Prefect server, one runner serving
prefect.yaml through deployments/serve.py), side by side with Prefect's floor: a trivial
served suspend/resume flow (benchmarks/trivial_flow.py, its own `serve` with the same
environment), measured alternately in the same run.

Prints per flow the median and p95 wall time, and the Prefect API calls per transition,
counted from the server's access log: every call of the runner and the flow-run process
between the resume and the next wait (until the log is quiet again). Left out of that count
and reported apart: the benchmark's own reads and resumes (marked `?bench=1`) and the
runners' polls for scheduled runs (they come every poll interval whatever the flow does).
Also the old/young ratio: a zaak with `--old` earlier transitions against a young one; the
thin driver derives its step from the database, so it should stay near 1 (target <= 1.2).

Both runners start their runs the same way: by default as forks of a preloaded process
(deployments/forkstart.py); `MEERZORG_RUNNER_START=engine` measures Prefect's own start (a
new interpreter per run that imports prefect and the flow again) for both.

MEERZORG_AUTH is set to `uit` here (no gateway in front of Prefect): the figures are
Prefect's and the flow's, not the gateway's.

    .venv/bin/python benchmarks/bench_transition.py [--old 30] [--samples 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from deployments.system import EmbeddedSystem, free_port, prefect_env  # noqa: E402

API_LINE = re.compile(r'"(GET|POST|PATCH|PUT|DELETE) (/api/[^ "?]*)(\?[^ "]*)? HTTP')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
POLL = "POST /api/deployments/get_scheduled_flow_runs"
TRIVIAL_DEPLOYMENT = "bench-trivial/trivial"


class AccessLog:
    """The server's access log, read from where the last read stopped."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0

    def calls(self) -> list[str]:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        self.offset += end
        out = []
        for line in data[:end].decode(errors="replace").splitlines():
            m = API_LINE.search(line)
            if m:
                bench = "bench=1" in (m.group(3) or "")
                out.append(
                    ("bench " if bench else "") + f"{m.group(1)} {UUID.sub('{id}', m.group(2))}"
                )
        return out


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=int, default=30)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-"))
    port = free_port()
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ["MEERZORG_AUTH"] = "uit"
    os.environ.update(
        {
            k: v
            for k, v in prefect_env(port, tmp / "prefect").items()
            if k.startswith(("PREFECT_", "MEERZORG_"))
        }
    )
    import httpx

    from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
    from tasks import runs
    from tasks import zaak as zaak_ops

    migrate()
    system = EmbeddedSystem(
        port=port,
        home=tmp / "prefect",
        schedules=False,
        env={"PREFECT_SERVER_LOGGING_LEVEL": "INFO", "MEERZORG_AUTH": "uit"},
        auth=False,
    )
    trivial_runner: subprocess.Popen | None = None
    log = AccessLog(tmp / "prefect" / "server.log")
    api = httpx.Client(base_url=system.api_url, headers=system.auth_headers(), timeout=30)

    def paused_on(run_id: str) -> str | None:
        run = api.get(f"/flow_runs/{run_id}", params={"bench": 1}).json()
        state = run.get("state") or {}
        if state.get("type") != "PAUSED":
            return None
        return (state.get("state_details") or {}).get("pause_key")

    def wait_paused(run_id: str, not_on: str | None = None, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            key = paused_on(run_id)
            if key is not None and key != not_on:
                return key
            time.sleep(0.1)
        raise RuntimeError(f"run {run_id} did not reach its next wait in {timeout:.0f}s")

    def quiet(seconds: float = 1.5, timeout: float = 20) -> list[str]:
        """Read the log until no call but the runners' polls came for `seconds`."""
        seen: list[str] = []
        last = time.monotonic()
        deadline = last + timeout
        while time.monotonic() < deadline and time.monotonic() - last < seconds:
            new = [c for c in log.calls() if c != POLL and not c.startswith("bench ")]
            if new:
                last = time.monotonic()
            seen += new
            time.sleep(0.25)
        return seen

    def transition(run_id: str, run_input: dict, check=None) -> dict:
        key = wait_paused(run_id)
        quiet()
        log.calls()  # everything before the resume is not this transition's
        t0 = time.perf_counter()
        r = api.post(
            f"/flow_runs/{run_id}/resume", params={"bench": 1}, json={"run_input": run_input}
        )
        assert r.status_code < 300 and r.json()["status"] == "ACCEPT", r.text
        new_key = wait_paused(run_id, not_on=key)
        elapsed = time.perf_counter() - t0
        if check is not None:
            check(new_key)
        calls = log.calls()
        time.sleep(0.5)
        calls += quiet()
        per = Counter(c for c in calls if not c.startswith("bench "))
        polls = per.pop(POLL, 0)
        return {"s": elapsed, "api": sum(per.values()), "polls": polls, "endpoints": per}

    try:
        system.start_server(timeout=300)
        system.start_runner(timeout=300)
        trivial_runner = subprocess.Popen(
            [sys.executable, str(PROJECT / "benchmarks" / "trivial_flow.py")],
            env=system.env,
            cwd=PROJECT,
            stdout=open(tmp / "prefect" / "trivial-runner.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while api.get(f"/deployments/name/{TRIVIAL_DEPLOYMENT}").status_code != 200:
            if trivial_runner.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the trivial flow's runner did not start; see {tmp}")
            time.sleep(0.5)

        with session_scope() as session:
            registreer_medewerker(session=session, id="bench", rol="beoordelaar")
        from models.aanvraag import parse_aanvraag

        aanvraag = parse_aanvraag((PROJECT / "examples" / "aanvraag-groep-vg.json").read_text())
        zaak, _ = zaak_ops.registreer(aanvraag, dt.date(2026, 11, 22), actor="bench")
        run_id = runs.start_lifecycle(
            zaak, aanvraag.zorgaanbieder.agb, aanvraag.clienten[0].leveringsvorm
        )
        from prefect.deployments import run_deployment

        trivial_id = str(
            run_deployment(
                TRIVIAL_DEPLOYMENT,
                parameters={"pad": str(tmp / "trivial-stand")},
                timeout=0,
                _sync=True,
            ).id
        )

        def in_db(key: str) -> None:
            with session_scope() as session:
                assert lees_zaak(session=session, key=zaak).wacht_key == key

        # An afwijzing without onderbouwing: a real transition (new wait, audit event).
        afwijzen = {"uitkomst": "afwijzen", "beoordelaar": "bench"}

        def side_by_side() -> tuple[dict, dict]:
            return transition(run_id, afwijzen, in_db), transition(trivial_id, {"uitkomst": "ok"})

        young, trivial = [], []
        for _ in range(args.samples):
            life, triv = side_by_side()
            young.append(life)
            trivial.append(triv)
        for _ in range(args.old - args.samples):
            transition(run_id, afwijzen, in_db)
        old = []
        for _ in range(args.samples):
            life, triv = side_by_side()
            old.append(life)
            trivial.append(triv)
    finally:
        api.close()
        if trivial_runner is not None:
            EmbeddedSystem._stop(trivial_runner)
        system.stop()

    def figures(samples: list[dict]) -> dict:
        times = [s["s"] for s in samples]
        return {
            "median_s": round(statistics.median(times), 2),
            "p95_s": round(p95(times), 2),
            "api_calls_per_step": statistics.median(s["api"] for s in samples),
            "runner_polls_per_step": statistics.median(s["polls"] for s in samples),
            "samples_s": [round(t, 2) for t in times],
            "samples_api_calls": [s["api"] for s in samples],
        }

    lifecycle = figures(young + old)
    floor = figures(trivial)
    yf, of = figures(young), figures(old)
    print(
        json.dumps(
            {
                "poll_frequency_s": system.env.get("PREFECT_RUNNER_POLL_FREQUENCY"),
                "runner_start": system.env.get("MEERZORG_RUNNER_START", "fork"),
                "lifecycle": lifecycle,
                "trivial": floor,
                "ratio_lifecycle_trivial": {
                    "time": round(lifecycle["median_s"] / floor["median_s"], 2),
                    "api_calls": round(
                        lifecycle["api_calls_per_step"] / floor["api_calls_per_step"], 2
                    ),
                },
                "young": yf,
                "old": {"earlier_transitions": args.old, **of},
                "ratio_old_young": {
                    "time": round(of["median_s"] / yf["median_s"], 2),
                    "api_calls": round(of["api_calls_per_step"] / yf["api_calls_per_step"], 2),
                },
                "endpoints_last_lifecycle_step": dict(old[-1]["endpoints"].most_common()),
                "endpoints_last_trivial_step": dict(trivial[-1]["endpoints"].most_common()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
