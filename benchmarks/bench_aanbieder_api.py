"""Speed of the provider's API (issue 28) on the embedded default (SQLite), side by side with
the intake poller on the same aanvragen.

1. Latency: CLIENTS concurrent clients each submit aanvragen (POST /aanbieder/v1/aanvragen:
   parse, toets with the overlap read, register the zaak, idempotency row, audit, answer);
   median and p95 per request. Target: p95 <= 300 ms at 20 clients.
2. Throughput: TOTAL submissions as fast as CLIENTS clients send them; aanvragen per minute
   and errors. Target: >= 1,000 a minute without an error.
3. The intake poller (tasks/intake.verwerk_item) on the same number of aanvragen, one after
   another as its flow does: aanvragen per minute.

The API is served by uvicorn in its own process (as in the gateway, behind its Doorgang).
Neither side starts Prefect runs here: both leave that to a run start after the answer (the
API) or to the same start_lifecycle call (the intake), which is Prefect's cost, measured by
benchmarks/bench_transition.py.

    .venv/bin/python benchmarks/bench_aanbieder_api.py [--clients 20] [--total 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
AGB = "73730001"


def _poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> None:
    """The API alone, as the gateway serves it (run as a child process)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.middleware import Middleware

    import deployments.aanbieder_api_routes as routes
    from deployments.aanbieder_api import Doorgang

    routes.start_run = lambda key: None  # no Prefect here (see the module's text)
    app = Starlette(middleware=[Middleware(Doorgang)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def bsn(i: int) -> str:
    """A BSN that passes the elfproef, one per i (a test number range, no real person)."""
    n = 10_000_000 + i * 7
    while True:
        cijfers = f"{n:08d}"
        som = sum(int(c) * w for c, w in zip(cijfers, range(9, 1, -1), strict=True))
        if som % 11 < 10:
            return cijfers + str(som % 11)
        n += 1


def aanvraag(i: int, agb: str = AGB) -> dict:
    from tests.factories import aanvraag_dict, client_dict

    client = client_dict(0, client_id=f"B-{i}", bsn=bsn(i))
    return aanvraag_dict(zorgaanbieder={"agb": agb, "naam": "De Linde"}, clienten=[client])


async def _stuur(url: str, sleutel: str, nummers: list[int], clients: int) -> tuple[list, int]:
    import httpx

    tijden: list[float] = []
    fouten = 0
    rij = asyncio.Queue()
    for n in nummers:
        rij.put_nowait(n)

    async def client():
        nonlocal fouten
        async with httpx.AsyncClient(timeout=60) as c:
            while not rij.empty():
                n = rij.get_nowait()
                body = json.dumps(aanvraag(n))
                t0 = time.perf_counter()
                r = await c.post(
                    f"{url}/aanbieder/v1/aanvragen",
                    content=body,
                    headers={"authorization": f"Bearer {sleutel}", "idempotency-key": f"b-{n}"},
                )
                tijden.append(time.perf_counter() - t0)
                fouten += r.status_code not in (200, 201)

    await asyncio.gather(*(client() for _ in range(clients)))
    return tijden, fouten


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--total", type=int, default=1000)
    p.add_argument("--warm", type=int, default=200, help="latency phase's requests")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    env = {
        **os.environ,
        "MEERZORG_DATA_DIR": str(tmp),
        "MEERZORG_DATABASE_URL": f"sqlite:///{tmp / 'meerzorg.db'}",
        "MEERZORG_AANBIEDER_API_PER_SECONDE": "100000",
    }
    os.environ.update(env)
    from models.db.aanbieder_sleutels import maak_sleutel
    from models.db.store import migrate, registreer_aanbieder, session_scope

    migrate()
    with session_scope() as session:
        registreer_aanbieder(session=session, agb=AGB, naam="De Linde", notify=[])
    with session_scope() as session:
        sleutel = maak_sleutel(session=session, agb=AGB, door="bench")["sleutel"]
    port = _poort()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)], env=env, cwd=PROJECT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(200):
            try:
                httpx.get(f"{url}/aanbieder/v1/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        # Warm up first (imports, the policy's first read, the connection pool): not measured.
        asyncio.run(_stuur(url, sleutel, list(range(10_000, 10_000 + args.clients)), args.clients))
        tijden, fouten = asyncio.run(_stuur(url, sleutel, list(range(args.warm)), args.clients))
        tijden.sort()
        p95 = tijden[int(0.95 * (len(tijden) - 1))]
        print(
            f"latency  {args.clients} clients, {len(tijden)} submissions: median "
            f"{statistics.median(tijden) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, errors {fouten}"
        )
        nummers = list(range(args.warm, args.warm + args.total))
        t0 = time.perf_counter()
        tijden, fouten = asyncio.run(_stuur(url, sleutel, nummers, args.clients))
        duur = time.perf_counter() - t0
        api_per_min = args.total / duur * 60
        print(
            f"api      {args.total} submissions in {duur:.1f} s: {api_per_min:.0f} a minute, "
            f"errors {fouten}"
        )
    finally:
        server.terminate()
        server.wait()
    from tasks import intake, runs

    runs.start_lifecycle = lambda *a, **k: None  # as the API side: no Prefect run here
    intake.runs.start_lifecycle = runs.start_lifecycle
    items = [
        {"referentie": f"i-{n}", "aanvraag": aanvraag(n)} for n in range(5000, 5000 + args.total)
    ]
    t0 = time.perf_counter()
    uit = [intake.verwerk_item(item) for item in items]
    duur = time.perf_counter() - t0
    nieuw = sum(r["resultaat"] == "nieuw" for r in uit)
    intake_per_min = args.total / duur * 60
    print(
        f"intake   {args.total} items in {duur:.1f} s: {intake_per_min:.0f} a minute ({nieuw} new)"
    )
    print(f"ratio    api/intake throughput {api_per_min / intake_per_min:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
    else:
        main()
