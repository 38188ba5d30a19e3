"""The werkbak (issue 27) with 10,000 open zaken: the page a beoordelaar opens, end to end
through the gateway's Starlette app (login session, the case database read, the
werkvoorraad's deadline rules per zaak, claims, the filter, the HTML of the first page of 100
rows), against the target p95 ≤ 300 ms. No Prefect is involved: the werkbak reads only the
case database (the app's upstream is never called).

The data: a fresh SQLite database (migrated), `--zaken` zaken waiting for a beoordeling
(one in ten for the tweede beoordeling), each with its beslistermijn's timer row, and one in
ten claimed. Rows are written directly (the werkbak reads a few columns of them; the aanvraag
body is not read). Measured `--n` times per view, after two warm-up requests: the default
view (deadline first) and a filtered one (urgent only, held by nobody), each a full GET
/werkbak with the session cookie, and the read alone (deployments/werkbak_claims.lees_werkbak).

Not measured here (left for a run on a full system): Submit in the dossier to the next wait
shown, beside the same decision through Prefect's Resume.

    .venv/bin/python benchmarks/bench_werkbak.py [--zaken 10000] [--n 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

WACHTWOORD = "benchmark-wachtwoord-lang"


def vul(n: int) -> None:
    from models.dates import vandaag
    from models.db.store import registreer_aanbieder, session_scope
    from models.db.tables import Deadline, Zaak
    from models.db.tables_werkbak import TaakClaim

    dag = vandaag()
    with session_scope() as session:
        registreer_aanbieder(session=session, agb="73730001", naam="Bench", notify=[])
    with session_scope() as session:
        for i in range(n):
            key = f"MZ-2026-{i + 1:06d}"
            tweede = i % 10 == 9
            ingediend = dag - dt.timedelta(days=i % 120)
            session.add(
                Zaak(
                    key=key,
                    agb="73730001",
                    soort="nieuw",
                    vorm="individueel",
                    leveringsvorm="verblijf",
                    status="tweede_beoordeling" if tweede else "beoordeling",
                    wacht_op="tweede-beoordeling" if tweede else "beoordeling",
                    wacht_key=("tweede-beoordeling-2" if tweede else "beoordeling-1"),
                    wacht_sinds=ingediend,
                    ingediend_op=ingediend,
                    aanvraag={"clienten": [{"client_id": f"B-{i}"}]},
                    voorlopig_besluit={"beoordelaar": "bo-2"} if tweede else None,
                )
            )
            if i % 1000 == 999:
                session.flush()
        session.flush()
        for i in range(n):
            session.add(
                Deadline(
                    sleutel=f"bench-{i}",
                    zaak=f"MZ-2026-{i + 1:06d}",
                    soort="beslistermijn",
                    datum=dag + dt.timedelta(days=56 - i % 120),
                )
            )
        for i in range(0, n, 10):
            session.add(
                TaakClaim(
                    taak=f"MZ-2026-{i + 1:06d}",
                    wacht_key="beoordeling-1",
                    houder="bo-2",
                )
            )


def meet(fn, n: int) -> dict:
    for _ in range(2):
        fn()
    tijden = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        tijden.append((time.perf_counter() - t0) * 1000)
    tijden.sort()
    return {
        "p50": statistics.median(tijden),
        "p95": tijden[max(0, int(round(0.95 * len(tijden))) - 1)],
        "max": tijden[-1],
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--zaken", type=int, default=10_000)
    p.add_argument("--n", type=int, default=50)
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-werkbak-"))
    os.environ["MEERZORG_DATABASE_URL"] = f"sqlite:///{tmp / 'meerzorg.db'}"
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ["MEERZORG_MEDEWERKER"] = "beheerder"
    # Registering the logins as the service, as the tests' fixtures do.
    os.environ["MEERZORG_SERVICE_TOKEN"] = "bench-dienst-token"
    os.environ["PREFECT_API_AUTH_STRING"] = "meerzorg-service:bench-dienst-token"
    from starlette.testclient import TestClient

    from deployments.cli_beheer import medewerker_registreer
    from deployments.gateway import create_app
    from deployments.werkbak_claims import lees_werkbak
    from models.db.store import migrate

    migrate()
    for wie, rol in (("ops-1", "operations"), ("bo-1", "beoordelaar"), ("bo-2", "beoordelaar")):
        medewerker_registreer(wie, rol, WACHTWOORD)
    t0 = time.perf_counter()
    vul(a.zaken)
    print(f"{a.zaken} open zaken written in {time.perf_counter() - t0:.1f} s ({tmp})")
    app = create_app("http://127.0.0.1:9", "ongebruikt")
    client = TestClient(app, follow_redirects=False)
    r = client.post("/login", data={"id": "bo-1", "wachtwoord": WACHTWOORD, "next": "/werkbak"})
    assert r.status_code == 303, r.text

    def standaard():
        r = client.get("/werkbak?wacht_op=alle&signaal=alle&houder=alle&sorteer=termijn")
        assert r.status_code == 200 and "MZ-2026-" in r.text, r.text[:300]

    def gefilterd():
        r = client.get("/werkbak?signaal=urgent&houder=vrij&sorteer=termijn")
        assert r.status_code == 200, r.text[:300]

    uit = {
        "werkbak, standaard (termijn eerst)": meet(standaard, a.n),
        "werkbak, urgent en vrij": meet(gefilterd, a.n),
        "alleen het lezen (lees_werkbak)": meet(
            lambda: lees_werkbak("bo-1", "beoordelaar", {}), a.n
        ),
    }
    aantal = lees_werkbak("bo-1", "beoordelaar", {})["totaal"]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; n={a.n}")
    print(f"{aantal} tasks in bo-1's werkbak (her own first assessments excluded)")
    for naam, m in uit.items():
        print(
            f"  {naam:38s} p50 {m['p50']:6.0f} ms  p95 {m['p95']:6.0f} ms  max {m['max']:6.0f} ms"
        )
    p95 = uit["werkbak, standaard (termijn eerst)"]["p95"]
    print(f"target p95 ≤ 300 ms: {'met' if p95 <= 300 else 'NOT met'} ({p95:.0f} ms)")


if __name__ == "__main__":
    main()
