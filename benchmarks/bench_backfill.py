"""Backfill of 20,000 beschikkingen × 36 monthly peildata on the embedded default (SQLite,
`prefect server start`, the runner serving prefect.yaml): wall time of the deployment run
from trigger to completion, against the same computation in one process without Prefect
(`tasks.snapshots.backfill_lokaal`, the very functions the flow's tasks call, run in a fresh
interpreter), and the peak memory of both processes. Target: ratio ≤ 2.

    .venv/bin/python benchmarks/bench_backfill.py [--beschikkingen 20000] [--gelijktijdig 2]

The caseload is written with bulk inserts (`vul_database`, also used by bench_sweep.py):
valid aanvragen, one beschikking per client (a tenth are groups of two), decisions,
ontwikkeltrajecten and open timers as the lifecycle would have left them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

PEIL = dt.date(2026, 11, 22)
VAN, TOT = dt.date(2024, 1, 31), dt.date(2026, 12, 31)  # 36 month ends
PROFIELEN = {"verblijf": "VG7", "vpt": "LG6", "mpt": "VV7", "pgb": "VG5"}
CHECK = {
    k: True
    for k in (
        "indicatie_passend",
        "beeldvorming_helder",
        "handelingsverlegenheid",
        "basiszorg_op_orde",
        "driehoek_betrokken",
        "client_betrokken",
        "cce_consultatie_overwogen",
    )
}


def _bsns():
    from models.aanvraag import elfproef

    i = 0
    while True:
        b = f"9{i:08d}"
        if elfproef(b):
            yield b
        i += 1


def vul_database(
    url: str, beschikkingen: int, groepen: bool = True, seed: int = 3, peildatum: dt.date = PEIL
) -> dict:
    """Bulk-insert a caseload of `beschikkingen` beschikkingen (schema must exist)."""
    from sqlalchemy import insert

    from models.dates import plus_maanden
    from models.db.store import engine_for
    from models.db.tables import (
        Beschikking,
        Besluit,
        Client,
        Deadline,
        Ontwikkeltraject,
        Zaak,
        Zorgaanbieder,
    )

    rnd = random.Random(seed)
    bsn = _bsns()
    rows: dict[type, list[dict]] = {
        t: [] for t in (Zaak, Client, Beschikking, Besluit, Deadline, Ontwikkeltraject)
    }
    n = i = 0
    while n < beschikkingen:
        vorm = rnd.choice(list(PROFIELEN))
        groot = 2 if groepen and i % 10 == 0 and vorm in ("verblijf", "vpt") else 1
        groot = min(groot, beschikkingen - n)
        agb = f"7373{rnd.randrange(50):04d}"
        start = dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randrange(0, 2100))
        eind = start + dt.timedelta(days=rnd.randrange(180, 1095))
        besluit = start - dt.timedelta(days=20)
        ingediend = besluit - dt.timedelta(days=40)
        key = f"MZ-{ingediend.year}-{i + 1:06d}"
        lopend = eind >= peildatum
        clienten = []
        for j in range(groot):
            cid = f"B{i:06d}-{j}"
            trajecten = []
            if rnd.random() < 0.5:
                b1 = start + dt.timedelta(days=rnd.randrange(30, 900))
                trajecten.append(
                    {
                        "bijeenkomst_1": b1.isoformat(),
                        "bijeenkomst_2": (b1 + dt.timedelta(days=60)).isoformat(),
                    }
                )
            clienten.append(
                {
                    "client_id": cid,
                    "bsn": next(bsn),
                    "zorgprofiel": PROFIELEN[vorm],
                    "leveringsvorm": vorm,
                    "vg7_plus": False,
                    "lvhc": False,
                    "indicatie_einddatum": "2034-12-31",
                    "ontwikkeltrajecten": trajecten,
                }
            )
        aanvraag = {
            "soort": "nieuw",
            "vorm": "groep" if groot > 1 else "individueel",
            "zorgaanbieder": {"agb": agb, "naam": "Aanbieder"},
            "clienten": clienten,
            "gevraagde_start": start.isoformat(),
            "gevraagde_eind": eind.isoformat(),
            "uren_per_week": {"begeleiding": 40.0 * groot},
            "vragenlijst": {"huidige_situatie": "a", "gewenste_situatie": "b", "inzet": "c"},
            "doelen": ["Afbouw binnen een jaar"],
            "check_vooraf": CHECK,
        }
        rows[Zaak].append(
            {
                "key": key,
                "agb": agb,
                "soort": "nieuw",
                "vorm": aanvraag["vorm"],
                "leveringsvorm": vorm,
                "thuis": vorm in ("mpt", "pgb"),
                "status": "lopend" if lopend else "beeindigd",
                "wacht_op": "einde-beschikking" if lopend else None,
                "wacht_key": "einde-beschikking-1" if lopend else None,
                "stap": 1,
                "ronde": 1,
                "ingediend_op": ingediend,
                "beleidsversie": "2025.1",
                "aanvraag": aanvraag,
                "provider_referentie": f"BULK-{i}",
                # Every zaak "has" its run: the sweep must not start 100,000 of them.
                "flow_run_id": f"bench-{i}",
                "gesloten_op": None if lopend else eind + dt.timedelta(days=1),
            }
        )
        rows[Besluit].append(
            {
                "zaak": key,
                "ronde": 1,
                "uitkomst": "toekennen",
                "beoordelaar": "bench",
                "pijlers": {},
                "datum": besluit,
                "start": start,
                "eind": eind,
                "beleidsversie": "2025.1",
            }
        )

        def timer(
            soort: str, datum: dt.date, cid: str | None = None, key=key, lopend=lopend
        ) -> None:
            gevuurd = datum <= peildatum - dt.timedelta(days=1)
            rows[Deadline].append(
                {
                    "sleutel": f"{key}-{soort}-{datum.isoformat()}" + (f"-{cid}" if cid else ""),
                    "zaak": key,
                    "soort": soort,
                    "client_id": cid,
                    "datum": datum,
                    # Earlier sweeps fired what was due; a closed zaak has no open timers.
                    "status": "open"
                    if lopend and not gevuurd
                    else ("gevuurd" if gevuurd else "vervallen"),
                    "gevuurd_op": datum if gevuurd else None,
                }
            )

        timer("herbeoordeling_start", max(start, plus_maanden(eind, -6)))
        timer("einde_beschikking", eind + dt.timedelta(days=1))
        for c in clienten:
            sinds = start - dt.timedelta(days=rnd.choice((0, 0, 400)))
            rows[Client].append(
                {
                    "agb": agb,
                    "client_id": c["client_id"],
                    "bsn": c["bsn"],
                    "zorgprofiel": c["zorgprofiel"],
                    "leveringsvorm": vorm,
                    "indicatie_einddatum": dt.date(2034, 12, 31),
                    "meerzorg_sinds": sinds,
                }
            )
            rows[Beschikking].append(
                {
                    "zaak": key,
                    "client_id": c["client_id"],
                    "start": start,
                    "eind": eind,
                    "bedrag_per_jaar": float(rnd.randrange(20_000, 90_000)),
                    "uitkomst_rekentool": "MZ3",
                    "status": "actief" if lopend else "beeindigd",
                    "beleidsversie": "2025.1",
                    "besluitdatum": besluit,
                    "beeindigd_op": None if lopend else eind,
                }
            )
            timer(
                "ontwikkeltraject_uiterlijk",
                plus_maanden(sinds, 36) - dt.timedelta(days=1),
                c["client_id"],
            )
            if rnd.random() < 0.2:  # recorded later, outside the aanvraag
                b1 = start + dt.timedelta(days=rnd.randrange(100, 700))
                rows[Ontwikkeltraject].append(
                    {
                        "agb": agb,
                        "client_id": c["client_id"],
                        "zaak": key,
                        "bijeenkomst_1": b1,
                        "bijeenkomst_2": b1 + dt.timedelta(days=45),
                    }
                )
        n += groot
        i += 1
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(
            insert(Zorgaanbieder.__table__),
            [
                {"agb": a, "naam": f"Aanbieder {a}", "notify": []}
                for a in sorted({z["agb"] for z in rows[Zaak]})
            ],
        )
        for table, data in rows.items():
            for s in range(0, len(data), 5000):
                conn.execute(insert(table.__table__), data[s : s + 5000])
    return {t.__tablename__: len(r) for t, r in rows.items()}


BASELINE = """
import datetime as dt, json, resource, sys, time
t0 = time.perf_counter()
from tasks import snapshots
t1 = time.perf_counter()
r = snapshots.backfill_lokaal(dt.date.fromisoformat(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]),
                            "maand", "all", int(sys.argv[3]), opnieuw=True)
t2 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "rekenen_s": t2 - t1, "snapshots": r["snapshots"],
                  "geheugen_piek_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def baseline(chunk: int) -> dict:
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", BASELINE, VAN.isoformat(), TOT.isoformat(), str(chunk)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=os.environ,
    )
    if r.returncode:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout) | {"wall_s": time.perf_counter() - t0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--beschikkingen", type=int, default=20_000)
    parser.add_argument("--gelijktijdig", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-backfill-"))
    from deployments.system import EmbeddedSystem, free_port, prefect_env

    port = free_port()
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ.update(
        {
            k: v
            for k, v in prefect_env(port, tmp / "prefect").items()
            if k.startswith(("PREFECT_", "MEERZORG_"))
        }
    )
    from models.db.store import migrate
    from models.settings import get_settings

    url = get_settings().db_url
    migrate(url)
    t0 = time.perf_counter()
    rijen = vul_database(url, args.beschikkingen)
    vullen = time.perf_counter() - t0

    zonder = [baseline(args.chunk)]
    system = EmbeddedSystem(port=port, home=tmp / "prefect", schedules=False)
    system.start_server()
    system.start_runner()
    try:
        from prefect.deployments import run_deployment

        t0 = time.perf_counter()
        run = run_deployment(
            "meerzorg-backfill/backfill",
            parameters={
                "van": VAN.isoformat(),
                "tot": TOT.isoformat(),
                "opnieuw": True,
                "gelijktijdig": args.gelijktijdig,
                "chunk_grootte": args.chunk,
            },
            timeout=3600,
            as_subflow=False,
        )
        met_wall = time.perf_counter() - t0
        assert run.state.is_completed(), run.state
        met = run.state.result()
    finally:
        system.stop()
    zonder.append(baseline(args.chunk))
    beste = min(zonder, key=lambda z: z["wall_s"])
    assert all(z["snapshots"] == met["snapshots"] for z in zonder)
    print(
        json.dumps(
            {
                "beschikkingen": args.beschikkingen,
                "peildata": met["peildata"],
                "chunks": met["chunks"],
                "gelijktijdig": args.gelijktijdig,
                "snapshots": met["snapshots"],
                "database_vullen_s": round(vullen, 1),
                "rijen": rijen,
                "met_prefect": {
                    "wall_s": round(met_wall, 1),
                    "in_flow_s": met["duur_s"],
                    "geheugen_piek_mb": met["geheugen_piek_mb"],
                },
                "zonder_prefect": [
                    {k: round(v, 1) if isinstance(v, float) else v for k, v in z.items()}
                    for z in zonder
                ],
                "ratio_wall": round(met_wall / beste["wall_s"], 2),
                "ratio_rekenen": round(met["duur_s"] / beste["rekenen_s"], 2),
                "load_avg_1m": round(os.getloadavg()[0], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
