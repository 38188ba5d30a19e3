"""The deadline sweep over a caseload of 100,000 zaken (SQLite), against the time of one
indexed SQL query that returns the due timer rows. Target: ratio ≤ 3.

Honest scope: this measures the sweep's database part, the code the deadline-sweep flow
runs in its tasks (`tasks.zaak.due_deadlines` + `tasks.zaak.vuur_deadline` per due row),
without Prefect runs: no flow-run process and no resuming of lifecycle runs. It measures
  - finding: `due_deadlines` against the bare indexed query (same rows);
  - a whole day: finding plus firing every row due that day, one transaction per row;
  - the same day's work on a caseload ten times smaller, to show that the sweep's cost
    follows the number of due rows, not the size of the caseload.

    .venv/bin/python benchmarks/bench_sweep.py [--zaken 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_backfill import PEIL, vul_database  # noqa: E402

QUERY = (
    "SELECT id FROM deadline WHERE status = 'open' AND datum <= ? ORDER BY datum, id LIMIT 10000"
)


def _mediaan(f, n: int = 15) -> float:
    tijden = []
    for _ in range(n):
        t0 = time.perf_counter()
        f()
        tijden.append(time.perf_counter() - t0)
    return statistics.median(tijden)


def meet(zaken: int, tmp: Path, vuur_max: int | None) -> dict:
    os.environ["MEERZORG_DATABASE_URL"] = f"sqlite:///{tmp / f'sweep-{zaken}.db'}"
    from models.db.store import migrate
    from models.settings import get_settings
    from tasks import zaak as zaak_ops

    url = get_settings().db_url
    migrate(url)
    t0 = time.perf_counter()
    rijen = vul_database(url, zaken, groepen=False)
    vullen = time.perf_counter() - t0
    pad = url.split("///", 1)[1]

    def referentie() -> tuple[float, str, int]:
        """The bare query on its own sqlite3 connection: median time, plan, rows."""
        with sqlite3.connect(pad) as raw:
            raw.execute("ANALYZE")
            plan = " | ".join(
                r[-1] for r in raw.execute("EXPLAIN QUERY PLAN " + QUERY, (PEIL.isoformat(),))
            )
            n = len(raw.execute(QUERY, (PEIL.isoformat(),)).fetchall())
            return _mediaan(lambda: raw.execute(QUERY, (PEIL.isoformat(),)).fetchall()), plan, n

    query_s, plan, due = referentie()
    with sqlite3.connect(pad) as raw:
        open_ = raw.execute("SELECT count(*) FROM deadline WHERE status = 'open'").fetchone()[0]
    vind_s = _mediaan(lambda: zaak_ops.due_deadlines(PEIL))
    # What an index on (status, datum) would do: the query then reads only open rows, not
    # every timer ever fired. Measured on this benchmark's own database, not the schema.
    with sqlite3.connect(pad) as raw:
        raw.execute("CREATE INDEX ix_bench_deadline_status_datum ON deadline (status, datum)")
    query_index_s, plan_index, _ = referentie()
    vind_index_s = _mediaan(lambda: zaak_ops.due_deadlines(PEIL))
    with sqlite3.connect(pad) as raw:
        raw.execute("DROP INDEX ix_bench_deadline_status_datum")
    t0 = time.perf_counter()
    ids = zaak_ops.due_deadlines(PEIL)[:vuur_max]
    gevuurd = [r for i in ids if (r := zaak_ops.vuur_deadline(i, PEIL)) is not None]
    dag_s = time.perf_counter() - t0
    return {
        "zaken": zaken,
        "deadlines": rijen["deadline"],
        "open": open_,
        "due_op_peildatum": due,
        "database_vullen_s": round(vullen, 1),
        "query_plan": plan,
        "indexed_query_ms": round(query_s * 1000, 2),
        "due_deadlines_ms": round(vind_s * 1000, 2),
        "ratio_vinden": round(vind_s / query_s, 2),
        "met_index_status_datum": {
            "query_plan": plan_index,
            "indexed_query_ms": round(query_index_s * 1000, 3),
            "due_deadlines_ms": round(vind_index_s * 1000, 2),
            "ratio_vinden": round(vind_index_s / query_index_s, 2),
        },
        "dag": {
            "gevuurd": len(gevuurd),
            "runs_te_hervatten": sum(1 for _, hervat in gevuurd if hervat),
            "wall_s": round(dag_s, 2),
            "ms_per_rij": round(1000 * dag_s / max(len(gevuurd), 1), 2),
            "ratio_tegen_query": round(dag_s / query_s, 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zaken", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-sweep-"))
    os.environ["MEERZORG_DATA_DIR"] = str(tmp)
    groot = meet(args.zaken, tmp, None)
    # The same number of rows fired on a caseload ten times smaller.
    klein = meet(args.zaken // 10, tmp, groot["dag"]["gevuurd"])
    print(
        json.dumps(
            {
                "peildatum": PEIL.isoformat(),
                "groot": groot,
                "klein": klein,
                "vuren_groot_tegen_klein_per_rij": round(
                    groot["dag"]["ms_per_rij"] / max(klein["dag"]["ms_per_rij"], 1e-9), 2
                ),
                "load_avg_1m": round(os.getloadavg()[0], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
