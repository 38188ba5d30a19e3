"""A large zorgkantoor on the production setup: N lifecycle runs and D dialoog runs suspended
on their waits, against an almost empty server in the same script run (issue 15).

The setup (tests/flows/workers.py: WorkerSystem): the app database and the Prefect server on
PostgreSQL (databases of their own, dropped at the end, also on failure), prefect.yaml
deployed to a process work pool, two workers. The gateway stays ON (MEERZORG_AUTH=aan, the
default): every call below goes through it as the service identity (system.auth_headers()),
as the sweep, the workers and scripts do in production.

How the state is built (fast; benchmarks/scale_state.py):
  - app side: N open zaken written by the service's own bulk import (tasks/historie_import:
    history lines, 1,000 zaken per transaction, the live transitions and timers; 80% running
    toekenningen, 10% afgewezen/bijstellen within their term, 10% undecided, put in
    beoordeling by the import's toets), and D dialogen made and invited by tasks/dialoog's
    functions (maak_dialoog + the invitation's pas_toe), 100 per transaction. The outbox the
    invitations queue is delivered before anything is measured.
  - Prefect side, through the API, per case: the flow run created from its deployment in
    batches of 100 (POST /deployments/{id}/create_flow_run/bulk; name, parameters, tags and
    idempotency key as tasks/runs.start_lifecycle and tasks/dialoog.start_run give them),
    created Running (start time and run count set as when a worker starts it), then
    suspended through the server's orchestration in batches of 50 (POST
    /flow_runs/bulk_set_state with the state suspend_flow_run proposes: Suspended,
    pause_key = the case's wacht_key, pause_reschedule, its timeout and run-input keyset; the
    server's HandlePausingFlows adds the key to the run's pause_keys as for a real suspend),
    then the form's schema and description (the case card, from the flows' own Beeld) as the
    run's inputs, as RunInput.save writes them, and the card as its markdown artifact.
    A resume then schedules the run, a worker starts it, and the flow derives its step from
    the database and suspends again: checked on a few synthetic runs (`verificatie`).
    Not built: the history a real run leaves (earlier states, task runs, logs, events).

Measured, in the small phase (only the sample zaken) and again in the large one:
  1. resume -> next wait (a real transition: an afwijzing without onderbouwing is refused
     and the zaak waits again under a new key) for the sample zaken, p50/p95, ratio;
  2. the Runs page's calls for the saved view `wacht-op:beoordeling` (tag and 10-year span:
     POST /flow_runs/filter, /flow_runs/paginate, /flow_runs/count, /ui/flow_runs/history,
     /ui/flow_runs/count-task-runs), p50/p95 over repeated calls;
  3. the deadline sweep (the deployment, run by a worker) with nothing due, and in the large
     phase with 1% of the open timers due;
  4. the reconcile of every open case (tasks/soorten.reconcile_runs, as the sweep calls it), with
     its parts: the open cases from the database, the live runs paged from Prefect;
  5. the werkvoorraad (tasks/werkvoorraad.lees);
  6. the Prefect server's memory (RSS of its process tree) and its CPU while idle.

Building costs 0.14-0.45 s per run on the Prefect side on this machine (2 cores): the full
10,000 zaken + 1,000 dialogen took 1,582 s with --gelijktijdig 8 at load 1-4 (2026-12-06),
and the whole script 43 minutes; 1,100 runs took 516 s at load 6-10.

    .venv/bin/python benchmarks/bench_scale.py [--zaken 10000] [--dialogen 1000]
        [--steekproef 10] [--rondes 2] [--herhalingen 20]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import math
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ADMIN_URL = os.environ.get(
    "MEERZORG_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TAG = "wacht-op:beoordeling"
SWEEP = "meerzorg-deadline-sweep/deadline-sweep"


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def cijfers(values: list[float], digits: int = 3) -> dict:
    return {
        "n": len(values),
        "p50": round(statistics.median(values), digits),
        "p95": round(p95(values), digits),
    }


def stap(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- databases --------------------------------------------------------------------------------


class Databases:
    """The app and Prefect databases of this run on the test server; `drop` removes both."""

    def __init__(self) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        suffix = secrets.token_hex(4)
        self.names = [f"meerzorg_scale_{suffix}", f"meerzorg_scale_prefect_{suffix}"]
        self.admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                self.made.append(name)
        url = make_url(ADMIN_URL)
        self.app = url.set(database=self.names[0]).render_as_string(hide_password=False)
        self.prefect = url.set(
            database=self.names[1], drivername="postgresql+asyncpg"
        ).render_as_string(hide_password=False)

    def size_mb(self, name: str) -> float:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(:n)"), {"n": name}).scalar_one()
        return round(size / 2**20, 1)

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


# --- processes ---------------------------------------------------------------------------------


def boom(pid: int) -> list[int]:
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def rss_mb(pid: int) -> float:
    total = 0
    for p in boom(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def cpu_s(pid: int) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in boom(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / tick


# --- the measurements ------------------------------------------------------------------------


class Meting:
    def __init__(self, system, dbs: Databases, args) -> None:
        import httpx

        self.system, self.dbs, self.args = system, dbs, args
        self.api = httpx.Client(base_url=system.api_url, headers=system.auth_headers(), timeout=600)

    def pause_key(self, run_id: str) -> str | None:
        state = self.api.get(f"/flow_runs/{run_id}").raise_for_status().json().get("state") or {}
        if state.get("type") != "PAUSED":
            return None
        return (state.get("state_details") or {}).get("pause_key")

    def wacht_op_wacht(self, run_id: str, not_on: str | None = None, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            key = self.pause_key(run_id)
            if key is not None and key != not_on:
                return key
            time.sleep(0.1)
        raise RuntimeError(f"run {run_id} did not reach its next wait in {timeout:.0f}s")

    def transitie(self, run_id: str, run_input: dict, db_key) -> float:
        """Resume with input; seconds until the run waits on its next key (and the database
        agrees on that key)."""
        key = self.wacht_op_wacht(run_id)
        t0 = time.perf_counter()
        r = self.api.post(f"/flow_runs/{run_id}/resume", json={"run_input": run_input})
        if r.status_code >= 300 or r.json()["status"] != "ACCEPT":
            raise RuntimeError(f"resume {run_id}: {r.status_code} {r.text[:300]}")
        nieuw = self.wacht_op_wacht(run_id, not_on=key)
        elapsed = time.perf_counter() - t0
        if db_key() != nieuw:
            raise RuntimeError(f"run {run_id} waits on {nieuw}, the database on {db_key()}")
        return elapsed

    def resumes(self, steekproef: list[tuple[str, str]]) -> dict:
        from models.db.store import lees_zaak, session_scope

        def db_key(zaak):
            def lees():
                with session_scope() as session:
                    return lees_zaak(session=session, key=zaak).wacht_key

            return lees

        tijden = []
        for _ in range(self.args.rondes):
            for zaak, run_id in steekproef:
                tijden.append(self.transitie(run_id, AFWIJZEN, db_key(zaak)))
        return {**cijfers(tijden, 2), "samples_s": [round(t, 2) for t in tijden]}

    def runs_pagina(self) -> dict:
        """The Runs page of the saved view on `wacht-op:beoordeling` (tag + a 10-year span,
        deployments/automations.saved_views): each call the UI makes, and the page's sum."""
        nu = dt.datetime.now(dt.UTC)
        filt = {
            "flow_runs": {
                "tags": {"operator": "and_", "all_": [TAG]},
                "expected_start_time": {
                    "after_": (nu - dt.timedelta(days=3650)).isoformat(),
                    "before_": (nu + dt.timedelta(days=1)).isoformat(),
                },
            }
        }
        per: dict[str, list[float]] = {}
        totaal, gevonden = [], None
        for _ in range(self.args.herhalingen):
            som = 0.0
            ids: list[str] = []
            for naam, url, body in (
                ("filter", "/flow_runs/filter", {**filt, "sort": "START_TIME_DESC", "limit": 200}),
                (
                    "paginate",
                    "/flow_runs/paginate",
                    {**filt, "sort": "START_TIME_DESC", "limit": 10, "page": 1},
                ),
                ("count", "/flow_runs/count", filt),
                (
                    "ui_history",
                    "/ui/flow_runs/history",
                    {**filt, "sort": "EXPECTED_START_TIME_DESC", "limit": 1000},
                ),
                ("ui_count_task_runs", "/ui/flow_runs/count-task-runs", None),
            ):
                if body is None:
                    body = {"flow_run_ids": ids}
                t0 = time.perf_counter()
                r = self.api.post(url, json=body)
                dt_ = time.perf_counter() - t0
                r.raise_for_status()
                if naam == "paginate":
                    ids = [run["id"] for run in r.json()["results"]]
                if naam == "count":
                    gevonden = r.json()
                per.setdefault(naam, []).append(dt_ * 1000)
                som += dt_ * 1000
            totaal.append(som)
        return {
            "runs_met_tag": gevonden,
            "pagina_ms": cijfers(totaal, 1),
            **{f"{k}_ms": cijfers(v, 1) for k, v in per.items()},
        }

    def reconcile(self) -> dict:
        """tasks/soorten.reconcile_runs as the sweep calls it, then its parts apart: the open
        cases from the database and the live runs paged from Prefect (200 per page)."""
        from prefect.client.orchestration import get_client

        from tasks import reconcile as rec
        from tasks import soorten

        t0 = time.perf_counter()
        acties = soorten.reconcile_runs()
        totaal = time.perf_counter() - t0
        delen = {}
        with get_client(sync_client=True) as client:
            for soort in soorten.soorten():
                t0 = time.perf_counter()
                gevallen = soort.gevallen()
                t1 = time.perf_counter()
                paginas = []
                offset = 0
                while True:
                    tp = time.perf_counter()
                    page = pagina(client, soort.flow, offset)
                    paginas.append(time.perf_counter() - tp)
                    if len(page) < rec.PAGE:
                        break
                    offset += rec.PAGE
                t2 = time.perf_counter()
                delen[soort.naam] = {
                    "open": len(gevallen),
                    "gevallen_db_s": round(t1 - t0, 3),
                    "live_runs_s": round(t2 - t1, 3),
                    "paginas": len(paginas),
                    "eerste_pagina_ms": round(paginas[0] * 1000, 1),
                    "laatste_pagina_ms": round(paginas[-1] * 1000, 1),
                }
        return {
            "herstel_runs_s": round(totaal, 2),
            "acties": {k: len(v) for k, v in acties.items()},
            "delen": delen,
        }

    def werkvoorraad(self, peil: dt.date) -> dict:
        from tasks import werkvoorraad

        tijden, rijen = [], 0
        for _ in range(3):
            t0 = time.perf_counter()
            rijen = len(werkvoorraad.lees(peil))
            tijden.append(time.perf_counter() - t0)
        return {"rijen": rijen, "lees_s_p50": round(statistics.median(tijden), 2)}

    def server(self) -> dict:
        pid = self.system.server.pid
        c0, t0 = cpu_s(pid), time.monotonic()
        time.sleep(20)
        idle = (cpu_s(pid) - c0) / (time.monotonic() - t0)
        return {
            "server_rss_mb": rss_mb(pid),
            "gateway_rss_mb": rss_mb(self.system.gateway.pid) if self.system.gateway else None,
            "server_cpu_idle_pct": round(100 * idle, 1),
            "prefect_db_mb": self.dbs.size_mb(self.dbs.names[1]),
            "app_db_mb": self.dbs.size_mb(self.dbs.names[0]),
        }

    def sweep(self, peildatum: dt.date) -> dict:
        """The sweep deployment for `peildatum`, run by a worker: trigger -> Completed."""
        from prefect.deployments import run_deployment

        from tasks import zaak as zaak_ops

        t0 = time.perf_counter()
        run = run_deployment(
            SWEEP, parameters={"peildatum": peildatum.isoformat()}, timeout=0, _sync=True
        )
        while True:
            body = self.api.get(f"/flow_runs/{run.id}").raise_for_status().json()
            state = (body.get("state") or {}).get("type")
            if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                break
            if time.perf_counter() - t0 > 3600:
                raise RuntimeError("the sweep did not finish within an hour")
            time.sleep(0.5)
        wall = time.perf_counter() - t0
        if state != "COMPLETED":
            raise RuntimeError(f"sweep {run.id} ended {state}; see {self.system.log_dir}")
        samenvatting = (zaak_ops.laatste_sweep() or {}).get("details") or {}
        return {
            "peildatum": peildatum.isoformat(),
            "trigger_tot_klaar_s": round(wall, 1),
            "flow_run_s": round(body.get("total_run_time") or 0, 1),
            "gevuurd": samenvatting.get("gevuurd"),
            "hervat": len(samenvatting.get("hervat") or []),
            "runs_hersteld": samenvatting.get("runs_hersteld"),
            "notificaties": samenvatting.get("notificaties"),
        }

    def alles(self, steekproef, peil: dt.date) -> dict:
        stap("resume -> volgende wacht")
        out = {"resume_s": self.resumes(steekproef)}
        stap("Runs-pagina")
        out["runs_pagina"] = self.runs_pagina()
        stap("reconcile")
        out["reconcile"] = self.reconcile()
        stap("werkvoorraad")
        out["werkvoorraad"] = self.werkvoorraad(peil)
        stap("sweep, niets due")
        out["sweep_niets_due"] = self.sweep(peil)
        stap("server")
        out["server"] = self.server()
        out["load_avg_1m"] = round(os.getloadavg()[0], 1)
        return out


def pagina(client, flow: str, offset: int):
    """One page of tasks/reconcile.live_runs (the same query)."""
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    from tasks import reconcile as rec

    return client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=[flow])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType(s) for s in rec.LIVE])
            )
        ),
        sort=FlowRunSort.ID_DESC,
        limit=rec.PAGE,
        offset=offset,
    )


# An afwijzing without onderbouwing: refused by the rules, the zaak waits again under a new
# key (a real transition: the answer applied in one transaction, an audit event, a new wait).
AFWIJZEN = {"uitkomst": "afwijzen", "beoordelaar": "bench"}


def steekproef_zaken(n: int, peil: dt.date) -> list[tuple[str, str]]:
    """n real zaken, started as the service starts them, each waiting in beoordeling."""
    from models.aanvraag import parse_aanvraag
    from models.db.store import registreer_medewerker, session_scope
    from tasks import runs
    from tasks import zaak as zaak_ops

    with session_scope() as session:
        registreer_medewerker(session=session, id="bench", rol="beoordelaar")
    aanvraag = parse_aanvraag((PROJECT / "examples" / "aanvraag-groep-vg.json").read_text())
    out = []
    for i in range(n):
        zaak, _ = zaak_ops.registreer(
            aanvraag, peil, provider_referentie=f"SCALE-STEEKPROEF-{i}", actor="bench"
        )
        run_id = runs.start_lifecycle(
            zaak, aanvraag.zorgaanbieder.agb, aanvraag.clienten[0].leveringsvorm
        )
        out.append((zaak, run_id))
    return out


def sweep_peildatum(fractie: float, vanaf: dt.date) -> tuple[dt.date, int, int]:
    """The first day on which at least `fractie` of the open timers (zaken and dialogen) are
    due: (day, due, open)."""
    from sqlalchemy import text

    from models.db.store import get_engine

    with get_engine().connect() as conn:
        datums = sorted(
            conn.execute(
                text(
                    "SELECT datum FROM deadline WHERE status = 'open' UNION ALL "
                    "SELECT datum FROM dialoogtermijn WHERE status = 'open'"
                )
            ).scalars()
        )
    doel = max(1, math.ceil(fractie * len(datums)))
    dag = max(datums[doel - 1], vanaf)
    return dag, sum(1 for d in datums if d <= dag), len(datums)


def verificatie(meting: Meting, zaak_ids: dict, dialoog_ids: dict) -> list[dict]:
    """A resume of a few bulk-made runs goes on to the next wait, as a real one does."""
    from sqlmodel import select

    from models.db.store import lees_zaak, session_scope
    from models.db.tables import Zaak
    from tasks import dialoog as dialoog_ops

    with session_scope() as session:
        keys = session.exec(
            select(Zaak.key).where(Zaak.status == "beoordeling", Zaak.key.in_(list(zaak_ids)))
        ).all()[:3]
    out = []
    for key in keys:

        def db_key(key=key):
            with session_scope() as session:
                return lees_zaak(session=session, key=key).wacht_key

        voor = db_key()
        s = meting.transitie(zaak_ids[key], AFWIJZEN, db_key)
        out.append({"zaak": key, "van": voor, "naar": db_key(), "s": round(s, 2)})
    for key, run_id in list(dialoog_ids.items())[:1]:
        _, agb, jaar = key.rsplit("-", 2)

        def dkey(agb=agb, jaar=int(jaar)):
            with session_scope() as session:
                return dialoog_ops.lees(session, agb, jaar).wacht_key

        voor = dkey()
        s = meting.transitie(run_id, {"ontvangen": False, "medewerker": "bench"}, dkey)
        out.append({"dialoog": key, "van": voor, "naar": dkey(), "s": round(s, 2)})
    return out


def lever_outbox() -> dict:
    from tasks import notify

    t0 = time.perf_counter()
    totaal: dict[str, int] = {}
    while True:
        r = notify.deliver_pending(limit=500)
        for k, v in r.items():
            totaal[k] = totaal.get(k, 0) + v
        if sum(r.values()) == 0:
            break
    return {**totaal, "s": round(time.perf_counter() - t0, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zaken", type=int, default=10_000)
    parser.add_argument("--dialogen", type=int, default=1_000)
    parser.add_argument("--steekproef", type=int, default=10)
    parser.add_argument("--rondes", type=int, default=1)
    parser.add_argument("--herhalingen", type=int, default=20)
    parser.add_argument("--gelijktijdig", type=int, default=4)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-scale-"))
    from deployments.system import free_port, prefect_env

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
    dbs = Databases()
    from deployments.sink import Sink

    sink = Sink().start()  # the providers' notification target
    system = None
    meting = None
    try:
        os.environ["MEERZORG_DATABASE_URL"] = dbs.app
        from deployments.gateway_auth import service_auth_string

        os.environ["PREFECT_API_AUTH_STRING"] = service_auth_string(tmp / "data")
        from scale_state import bouw_app, bouw_prefect

        from models.dates import vandaag
        from models.db.store import migrate
        from tests.flows.workers import WorkerSystem

        migrate()
        system = WorkerSystem(
            dbs.prefect, workers=2, port=port, home=tmp / "prefect", schedules=False
        )
        stap(f"server, deploy, workers ({tmp})")
        system.start_server()
        system.start_runner()
        meting = Meting(system, dbs, args)
        peil = vandaag()

        stap(f"steekproef: {args.steekproef} zaken")
        steekproef = steekproef_zaken(args.steekproef, peil)
        for _, run_id in steekproef:
            meting.wacht_op_wacht(run_id)
        klein = meting.alles(steekproef, peil)

        stap(f"opbouw app: {args.zaken} zaken, {args.dialogen} dialogen")
        t0 = time.perf_counter()
        app = bouw_app(args.zaken, args.dialogen, peil, [sink.url])
        app["s"] = round(time.perf_counter() - t0, 1)
        app["outbox"] = lever_outbox()
        stap("opbouw Prefect")
        t0 = time.perf_counter()
        # The build talks to the Prefect server directly (its internal port and credential,
        # as the gateway does): setup only; everything measured goes through the gateway.
        intern = base64.b64encode(system.internal_auth.encode()).decode()
        pref = bouw_prefect(
            f"http://127.0.0.1:{system.internal_port}/api",
            {"Authorization": f"Basic {intern}"},
            peil,
            args.gelijktijdig,
        )
        pref["s"] = round(time.perf_counter() - t0, 1)
        zaak_ids, dialoog_ids = pref.pop("zaak_ids"), pref.pop("dialoog_ids")
        stap("verificatie")
        verif = verificatie(meting, zaak_ids, dialoog_ids)
        groot = meting.alles(steekproef, peil)

        dag, due, open_ = sweep_peildatum(0.01, peil)
        stap(f"sweep met 1% due: {due} van {open_} timers op {dag}")
        sweep = {"due": due, "open_timers": open_, **meting.sweep(dag)}
        sweep["server_rss_mb_na"] = rss_mb(system.server.pid)

        def ratio(a, b):
            return round(a / b, 2) if b else None

        print(
            json.dumps(
                {
                    "zaken": args.zaken,
                    "dialogen": args.dialogen,
                    "gateway": "aan (MEERZORG_AUTH=aan; calls as the service identity)",
                    "workers": system.worker_count,
                    "opbouw": {"app": app, "prefect": pref},
                    "verificatie": verif,
                    "klein": klein,
                    "groot": groot,
                    "sweep_1_procent": sweep,
                    "ratio_groot_klein": {
                        "resume_p50": ratio(groot["resume_s"]["p50"], klein["resume_s"]["p50"]),
                        "resume_p95": ratio(groot["resume_s"]["p95"], klein["resume_s"]["p95"]),
                        "runs_pagina_p95": ratio(
                            groot["runs_pagina"]["pagina_ms"]["p95"],
                            klein["runs_pagina"]["pagina_ms"]["p95"],
                        ),
                        "server_rss": ratio(
                            groot["server"]["server_rss_mb"], klein["server"]["server_rss_mb"]
                        ),
                    },
                },
                indent=2,
                default=str,
            )
        )
    finally:
        if meting is not None:
            meting.api.close()
        if system is not None:
            system.stop()
        from models.db.store import engine_for

        if os.environ.get("MEERZORG_DATABASE_URL") == dbs.app:
            engine_for(dbs.app).dispose()
        dbs.drop()
        sink.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
