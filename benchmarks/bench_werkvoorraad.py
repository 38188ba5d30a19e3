"""The werkvoorraad and the compliance list on a large caseload, and how they grow with it:
both read every running zaak's CCE status. Side by side in one run, on the same database:
the batched read (tasks/opvolging.cce_per_zaak: a few queries for all zaken, 500 keys per IN
list) against reading zaak by zaak (cce_per_client per zaak: three queries per zaak, the
way the werkvoorraad read before issue 15), at a small and a large caseload, so the growth
per zaak shows. The zaken come from the bulk import
(benchmarks/bench_import.py's generated history, `meerzorg importeer --zonder-runs`) into a
fresh SQLite database; no Prefect is involved (the werkvoorraad reads the case database).

    .venv/bin/python benchmarks/bench_werkvoorraad.py [--klein 1000] [--groot 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks.bench_import import BULK, regels  # noqa: E402

PEILDATUM = dt.date(2026, 12, 1)


def bouw(n: int, tmp: Path) -> str:
    """A database with n imported zaken; returns its URL."""
    url = f"sqlite:///{tmp / f'wv-{n}.db'}"
    bestand = tmp / f"historie-{n}.jsonl"
    bestand.write_text("\n".join(regels(n)) + "\n")
    env = {**os.environ, "MEERZORG_DATABASE_URL": url, "MEERZORG_AUTH": "uit"}
    subprocess.run(
        [sys.executable, "-c", BULK, "importeer", str(bestand), "--zonder-runs"],
        env=env,
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    return url


def meet(url: str, runs: int) -> dict:
    from sqlmodel import select

    from models.db.store import engine_for, session_scope
    from models.db.tables import Zaak
    from models.overgang import BESCHIKKING_ACTIEF
    from tasks import opvolging
    from tasks.werkvoorraad import lees

    os.environ["MEERZORG_DATABASE_URL"] = url  # lees() and compliance_lijst() read it
    engine = engine_for(url)

    def per_zaak() -> int:
        with session_scope(engine) as session:
            zaken = session.exec(
                select(Zaak).where(Zaak.status.in_(tuple(BESCHIKKING_ACTIEF)))
            ).all()
            return sum(len(opvolging.cce_per_client(session, z, PEILDATUM)) for z in zaken)

    def batched() -> int:
        with session_scope(engine) as session:
            zaken = session.exec(
                select(Zaak).where(Zaak.status.in_(tuple(BESCHIKKING_ACTIEF)))
            ).all()
            return sum(len(v) for v in opvolging.cce_per_zaak(session, zaken, PEILDATUM).values())

    def timed(fn) -> tuple[float, object]:
        times, out = [], None
        for _ in range(runs):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times), out

    with session_scope(engine) as session:
        lopend = len(
            session.exec(select(Zaak.key).where(Zaak.status.in_(tuple(BESCHIKKING_ACTIEF)))).all()
        )
    t_per, n_per = timed(per_zaak)
    t_batch, n_batch = timed(batched)
    assert n_per == n_batch, (n_per, n_batch)  # the same clients, the same statuses counted
    t_wv, rijen = timed(lambda: lees(PEILDATUM))
    t_compl, compl = timed(lambda: opvolging.compliance_lijst(PEILDATUM))
    return {
        "lopende_zaken": lopend,
        "cce_per_zaak_s": round(t_per, 3),
        "cce_batched_s": round(t_batch, 3),
        "ratio_per_zaak_batched": round(t_per / t_batch, 1),
        "werkvoorraad_s": round(t_wv, 3),
        "werkvoorraad_rijen": len(rijen),
        "compliance_lijst_s": round(t_compl, 3),
        "compliance_rijen": len(compl),
        "werkvoorraad_ms_per_lopende_zaak": round(1000 * t_wv / max(lopend, 1), 3),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--klein", type=int, default=1000)
    p.add_argument("--groot", type=int, default=10000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-wv-"))
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    klein = meet(bouw(args.klein, tmp), args.runs)
    groot = meet(bouw(args.groot, tmp), args.runs)
    print(
        json.dumps(
            {
                "klein": {"zaken": args.klein, **klein},
                "groot": {"zaken": args.groot, **groot},
                # Linear growth is what a read of every zaak costs; per zaak it should stay flat.
                "ratio_ms_per_zaak_groot_klein": round(
                    groot["werkvoorraad_ms_per_lopende_zaak"]
                    / klein["werkvoorraad_ms_per_lopende_zaak"],
                    2,
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
