"""What the gateway (deployments/gateway.py) adds to one proxied call, side by side with
Prefect's own time for the same call, in the same run.

A real embedded system with the logins on (deployments/system.py: EmbeddedSystem with
auth, as `meerzorg up` and tests/flows/conftest.py start it): Prefect on an internal
loopback port with the credential only the gateway holds, the gateway process
(`python -m deployments.gateway_serve`) on the public port, both on free loopback ports
with a temporary data dir. No runner: nothing is run, the runs are only read.

The data, through Prefect's API (internal port): one flow with `--runs` flow runs; the
first `--zaken` of them belong to a zaak in the case database (a minimal Zaak row with the
run's id and one client), each with a form input (`beoordeling-1-schema`, as a suspended
run's saved form) and a markdown card artifact keyed `zaak-mz-…` as the flows write them.
So the medewerker's reads take the gateway's audited path (the zaak lookup of a run or a
card, deployments/gateway_audit.py), not a shortcut for runs that are no case. A medewerker
(beoordelaar) is registered with a password (deployments/cli_beheer.medewerker_registreer)
and logs in on the gateway's /login, keeping its session cookie.

Measured per call, `--n` times on each of three paths, interleaved (per round every call,
per call the three paths in a rotating order, so the machine's noise and any drift hit all
three alike), each on its own keep-alive connection (as a browser and the CLI keep theirs):
  direct      the internal Prefect port with the internal credential (Prefect's own time);
  medewerker  through the gateway with the session cookie (the UI);
  service     through the gateway with the service credential (runner, workers, scripts).
The calls are the ones the UI's run pages and the CLI make: the health probe, a zaak's
run, the Runs page's filter, paginate and history, a wait's saved form, the cards.

Printed: per call the p50 and p95 of each path and what the gateway adds (its p50 minus
direct's p50, the same for p95), then one summary line against the target: added p50 at
most 5 ms per call. `--json PATH` also writes the figures.

Measured on 2026-12-06 (AMD EPYC, 2 cores shared, load 1.4; n=200, 73 s in all;
benchmarks/results/bench_gateway-2026-12-06.json), the gateway of commit 3c1ea0b: added
p50 2.6 ms on the health probe (the hop itself: uvicorn, Starlette, httpx to Prefect),
3.0-3.6 ms per call as the service, 3.7-5.6 ms as a medewerker (over 5 ms on the audited
reads: a zaak's run 5.1, its form 5.5, the cards 5.6; the zaak lookup in the case
database). Prefect's own p50 for the same calls: 1.9-16 ms.

    .venv/bin/python benchmarks/bench_gateway.py [--n 200] [--quick] [--json PATH]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from deployments.system import EmbeddedSystem, free_port, prefect_env  # noqa: E402

DOEL_MS = 5.0  # target: the gateway adds at most this much to a call's p50
WACHTWOORD = "bench-wachtwoord-van-de-staf"
MEDEWERKER = "bench-b-001"
AGB = "73730099"
INVOER_KEY = "beoordeling-1-schema"
PADEN = ("direct", "medewerker", "service")


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def stap(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Fout(Exception):
    """The benchmark cannot go on: one line for the user, no traceback."""


def omgeving(tmp: Path) -> int:
    """This process's environment, set before anything reads the settings: its own data dir
    and PREFECT_HOME, the logins on, the service credential as the scripts carry it."""
    port = free_port()
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ["MEERZORG_AUTH"] = "aan"
    os.environ.update(
        {
            k: v
            for k, v in prefect_env(port, tmp / "prefect").items()
            if k.startswith(("PREFECT_", "MEERZORG_"))
        }
    )
    from deployments.gateway_auth import service_auth_string

    os.environ["PREFECT_API_AUTH_STRING"] = service_auth_string(tmp / "data")
    return port


def basic(auth_string: str) -> str:
    return "Basic " + base64.b64encode(auth_string.encode()).decode()


def check(resp, wat: str, status: int = 200):
    if resp.status_code != status:
        raise Fout(f"{wat}: HTTP {resp.status_code} {resp.text[:200]}")
    return resp


def bouw(direct, zaken: int, runs: int) -> dict:
    """Flow runs, inputs and cards through Prefect's API; the zaken in the case database.
    Returns the ids the calls use."""
    from deployments import operations as ops
    from models.db.store import session_scope
    from models.db.tables import Zaak

    flow_id = check(direct.post("/api/flows/", json={"name": "bench-gateway"}), "flow", 201)
    flow_id = flow_id.json()["id"]
    nu = dt.datetime.now(dt.UTC)
    run_ids = []
    for i in range(runs):
        body = {
            "flow_id": flow_id,
            "name": f"bench-run-{i:03d}",
            "tags": ["bench", "wacht-op:beoordeling" if i < zaken else "bench-overig"],
            "state": {
                "type": "SCHEDULED",
                "state_details": {"scheduled_time": (nu + dt.timedelta(minutes=i)).isoformat()},
            },
        }
        run_ids.append(
            check(direct.post("/api/flow_runs/", json=body), "flow run", 201).json()["id"]
        )
    ops.aanbieder_registreer(AGB, "Stichting Bench", [])
    schema = json.dumps(
        {"title": "Beoordeling", "type": "object", "properties": {"uitkomst": {"type": "string"}}}
    )
    with session_scope() as session:
        for i, run_id in enumerate(run_ids[:zaken], start=1):
            key = f"MZ-2026-{i:06d}"
            session.add(
                Zaak(
                    key=key,
                    agb=AGB,
                    soort="instroom",
                    vorm="groep",
                    leveringsvorm="verblijf",
                    status="beoordeling",
                    wacht_op="beoordeling",
                    wacht_key=INVOER_KEY.removesuffix("-schema"),
                    ingediend_op=dt.date(2026, 11, 2),
                    aanvraag={"clienten": [{"client_id": f"C{i:05d}"}]},
                    flow_run_id=run_id,
                )
            )
            check(
                direct.post(
                    f"/api/flow_runs/{run_id}/input", json={"key": INVOER_KEY, "value": schema}
                ),
                "run input",
                201,
            )
            card = {
                "key": f"zaak-{key.lower()}",
                "type": "markdown",
                "data": f"# {key}\n\n| veld | waarde |\n|---|---|\n| status | beoordeling |\n",
                "description": f"Kaart van {key}",
                "flow_run_id": run_id,
            }
            check(direct.post("/api/artifacts/", json=card), "artifact", 201)
    return {"run": run_ids[0], "runs": run_ids}


def calls(ids: dict) -> list[tuple[str, str, str, dict | None]]:
    """(label, method, path, json body): what the UI's pages and the CLI ask."""
    run = ids["run"]
    nu = dt.datetime.now(dt.UTC)
    return [
        ("GET /api/health", "GET", "/api/health", None),
        ("GET /api/flow_runs/{id}", "GET", f"/api/flow_runs/{run}", None),
        (
            "POST /api/flow_runs/filter",
            "POST",
            "/api/flow_runs/filter",
            {
                "flow_runs": {"tags": {"all_": ["wacht-op:beoordeling"]}},
                "sort": "EXPECTED_START_TIME_DESC",
                "limit": 50,
                "offset": 0,
            },
        ),
        (
            "POST /api/flow_runs/paginate",
            "POST",
            "/api/flow_runs/paginate",
            {"sort": "START_TIME_DESC", "limit": 10, "page": 1},
        ),
        (
            "POST /api/ui/flow_runs/history",
            "POST",
            "/api/ui/flow_runs/history",
            {
                "sort": "EXPECTED_START_TIME_DESC",
                "limit": 1000,
                "offset": 0,
                "flow_runs": {
                    "expected_start_time": {
                        "after_": (nu - dt.timedelta(days=7)).isoformat(),
                        "before_": (nu + dt.timedelta(days=1)).isoformat(),
                    }
                },
            },
        ),
        (
            "GET /api/flow_runs/{id}/input/{key}",
            "GET",
            f"/api/flow_runs/{run}/input/{INVOER_KEY}",
            None,
        ),  # fmt: skip
        (
            "POST /api/artifacts/filter",
            "POST",
            "/api/artifacts/filter",
            {
                "artifacts": {"key": {"like_": "zaak-"}},
                "sort": "CREATED_DESC",
                "limit": 50,
                "offset": 0,
            },
        ),
    ]


def meet(clients: dict, lijst, n: int, warmup: int) -> dict[str, dict[str, list[float]]]:
    """Per call and path the times in ms, ABAB: each round every call, the paths of a call
    in a rotating order. The first `warmup` rounds are not kept."""
    tijden = {label: {p: [] for p in PADEN} for label, *_ in lijst}
    for ronde in range(warmup + n):
        for label, method, path, body in lijst:
            k = ronde % len(PADEN)
            for pad in PADEN[k:] + PADEN[:k]:
                client = clients[pad]
                t0 = time.perf_counter()
                r = client.request(method, path, json=body)
                r.read()
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    raise Fout(f"{label} via {pad}: HTTP {r.status_code} {r.text[:200]}")
                if ronde >= warmup:
                    tijden[label][pad].append(ms)
        if ronde + 1 == warmup:
            stap(f"warmed up ({warmup} rounds); measuring {n} rounds")
    return tijden


def cijfers(tijden: dict[str, dict[str, list[float]]]) -> dict:
    out = {}
    for label, per_pad in tijden.items():
        d = {p: {"p50": statistics.median(v), "p95": p95(v)} for p, v in per_pad.items()}
        for p in ("medewerker", "service"):
            d[p]["plus_p50"] = d[p]["p50"] - d["direct"]["p50"]
            d[p]["plus_p95"] = d[p]["p95"] - d["direct"]["p95"]
        out[label] = {p: {k: round(v, 2) for k, v in f.items()} for p, f in d.items()} | {
            "n": len(per_pad["direct"])
        }
    return out


def druk(figuren: dict, n: int, machine: str) -> str:
    w = max(len(label) for label in figuren) + 2
    kop = (
        f"{'call':<{w}}{'direct p50/p95':>16}{'medewerker p50/p95':>20}{'+p50/+p95':>14}"
        f"{'service p50/p95':>18}{'+p50/+p95':>14}"
    )
    regels = [f"gateway overhead, ms per call, n={n} per path, ABAB-interleaved; {machine}", kop]
    for label, f in figuren.items():
        d, m, s = f["direct"], f["medewerker"], f["service"]
        regels.append(
            f"{label:<{w}}"
            f"{d['p50']:>8.2f}/{d['p95']:<7.2f}"
            f"{m['p50']:>12.2f}/{m['p95']:<7.2f}"
            f"{m['plus_p50']:>+7.2f}/{m['plus_p95']:<+6.2f}"
            f"{s['p50']:>10.2f}/{s['p95']:<7.2f}"
            f"{s['plus_p50']:>+7.2f}/{s['plus_p95']:<+6.2f}"
        )
    return "\n".join(regels)


def samenvatting(figuren: dict) -> tuple[str, dict]:
    uit = {}
    delen = []
    for p in ("medewerker", "service"):
        plus = {label: f[p]["plus_p50"] for label, f in figuren.items()}
        slechtst = max(plus, key=plus.get)
        uit[p] = {
            "plus_p50_median_ms": round(statistics.median(plus.values()), 2),
            "plus_p50_max_ms": plus[slechtst],
            "plus_p50_max_call": slechtst,
        }
        delen.append(
            f"{p} +{uit[p]['plus_p50_median_ms']:.2f} ms median over calls, "
            f"max +{plus[slechtst]:.2f} ms ({slechtst})"
        )
    gehaald = all(u["plus_p50_max_ms"] <= DOEL_MS for u in uit.values())
    uit["doel_ms"] = DOEL_MS
    uit["gehaald"] = gehaald
    regel = (
        f"SUMMARY gateway added p50: {'; '.join(delen)}; target <= {DOEL_MS:g} ms per call: "
        f"{'met' if gehaald else 'NOT met'}"
    )
    return regel, uit


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((r.split(":", 1)[1].strip() for r in f if r.startswith("model name")), cpu)
    except OSError:
        pass
    load = os.getloadavg()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load[0]:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="measured rounds per call and path")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--runs", type=int, default=25, help="flow runs to create")
    parser.add_argument("--zaken", type=int, default=5, help="runs of them that are a zaak")
    parser.add_argument("--quick", action="store_true", help="n=40, warmup 5 (about 30 s)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs)")
    args = parser.parse_args()
    if args.quick:
        args.n, args.warmup = 40, 5
    args.zaken = max(1, min(args.zaken, args.runs))

    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-gateway-"))
    port = omgeving(tmp)
    import httpx

    from deployments.cli_beheer import medewerker_registreer
    from models.db.store import migrate

    t_start = time.monotonic()
    migrate()
    system = EmbeddedSystem(port=port, home=tmp / "prefect", schedules=False, auth=True)
    clients: dict[str, httpx.Client] = {}
    try:
        stap(f"starting Prefect (internal port) and the gateway (port {port}) in {tmp}")
        system.start_server()
        internal = f"http://127.0.0.1:{system.internal_port}"
        gateway = f"http://127.0.0.1:{system.port}"
        clients["direct"] = httpx.Client(
            base_url=internal, headers={"authorization": basic(system.internal_auth)}, timeout=30
        )
        clients["service"] = httpx.Client(
            base_url=gateway, headers=system.auth_headers(), timeout=30
        )
        clients["medewerker"] = httpx.Client(base_url=gateway, timeout=30)

        stap(f"creating {args.runs} flow runs ({args.zaken} of them zaken with input and card)")
        ids = bouw(clients["direct"], args.zaken, args.runs)
        medewerker_registreer(MEDEWERKER, "beoordelaar", WACHTWOORD)
        login = clients["medewerker"].post(
            "/login", data={"id": MEDEWERKER, "wachtwoord": WACHTWOORD, "next": "/runs"}
        )
        if login.status_code != 303 or not clients["medewerker"].cookies:
            raise Fout(f"login of {MEDEWERKER} failed: HTTP {login.status_code}")
        check(clients["medewerker"].get(f"/api/flow_runs/{ids['run']}"), "read with the session")
        # The door is shut without a credential: what is measured does pass the gateway.
        check(httpx.get(f"{gateway}/api/flow_runs/{ids['run']}"), "anonymous read", 401)

        lijst = calls(ids)
        voor = machine()
        stap(f"measuring {len(lijst)} calls x 3 paths, {args.warmup}+{args.n} rounds")
        t0 = time.monotonic()
        tijden = meet(clients, lijst, args.n, args.warmup)
        meettijd = time.monotonic() - t0
    finally:
        for c in clients.values():
            c.close()
        system.stop()
    figuren = cijfers(tijden)
    regel, samen = samenvatting(figuren)
    print(druk(figuren, args.n, voor))
    print(regel)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "measured_on": dt.date.today().isoformat(),
                    "machine": voor,
                    "machine_after": machine(),
                    "n": args.n,
                    "warmup": args.warmup,
                    "flow_runs": args.runs,
                    "zaken": args.zaken,
                    "measure_s": round(meettijd, 1),
                    "total_s": round(time.monotonic() - t_start, 1),
                    "calls_ms": figuren,
                    "summary": samen,
                },
                indent=2,
            )
            + "\n"
        )
    if args.keep:
        stap(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    stap(f"done in {time.monotonic() - t_start:.0f} s (measuring {meettijd:.0f} s)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fout as exc:
        print(f"bench_gateway: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except RuntimeError as exc:  # the system did not start (deployments/system.py)
        print(f"bench_gateway: {exc}", file=sys.stderr)
        sys.exit(1)
