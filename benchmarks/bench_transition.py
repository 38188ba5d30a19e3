"""Cost of one lifecycle transition (resume -> next wait) on a young zaak and on one with
30 earlier transitions: wall time and Prefect API calls (counted from the server's access
log). The thin driver derives its step from the database, so the ratio old/young should
stay near 1 (target <= 1.2).

    .venv/bin/python benchmarks/bench_transition.py [--old 30] [--samples 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deployments.system import EmbeddedSystem, free_port, prefect_env  # noqa: E402

API_LINE = re.compile(r'"(GET|POST|PATCH|PUT|DELETE) /api/')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=int, default=30)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-"))
    port = free_port()
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ.update(
        {
            k: v
            for k, v in prefect_env(port, tmp / "prefect").items()
            if k.startswith(("PREFECT_", "MEERZORG_"))
        }
    )
    from deployments import operations as ops
    from models.db.store import migrate
    from tasks import runs

    migrate()
    system = EmbeddedSystem(
        port=port,
        home=tmp / "prefect",
        schedules=False,
        env={"PREFECT_SERVER_LOGGING_LEVEL": "INFO"},
    )
    system.start_server()
    system.start_runner()
    log = tmp / "prefect" / "server.log"

    def api_calls() -> int:
        return sum(
            1 for line in log.read_text(errors="replace").splitlines() if API_LINE.search(line)
        )

    try:
        from deployments.cli_beheer import medewerker_registreer

        medewerker_registreer("bench", "beoordelaar")
        data = json.loads(
            (
                Path(__file__).resolve().parents[1] / "examples" / "aanvraag-groep-vg.json"
            ).read_text()
        )
        zaak = ops.indienen(json.dumps(data), dt.date(2026, 11, 22))["zaak"]
        run_id = ops.zaak_overzicht(zaak, log_read=False)["flow_run_id"]

        def transition() -> tuple[float, int]:
            while True:
                key = ops.zaak_overzicht(zaak, log_read=False)["wacht_key"]
                if key and runs.paused_runs().get(run_id, (None, None))[1] == key:
                    break
                time.sleep(0.2)
            before = api_calls()
            t0 = time.perf_counter()
            # An afwijzing without onderbouwing: a real transition (new wait, audit event).
            assert runs.resume(run_id, {"uitkomst": "afwijzen", "beoordelaar": "bench"})
            while True:
                z = ops.zaak_overzicht(zaak, log_read=False)
                if (
                    z["wacht_key"] != key
                    and runs.paused_runs().get(run_id, (None, None))[1] == z["wacht_key"]
                ):
                    break
                time.sleep(0.1)
            elapsed = time.perf_counter() - t0
            time.sleep(1.0)  # let the access log flush
            return elapsed, api_calls() - before

        young = [transition() for _ in range(args.samples)]
        for _ in range(args.old - args.samples):
            transition()
        old = [transition() for _ in range(args.samples)]
    finally:
        system.stop()
    yt, ya = statistics.median(t for t, _ in young), statistics.median(a for _, a in young)
    ot, oa = statistics.median(t for t, _ in old), statistics.median(a for _, a in old)
    print(
        json.dumps(
            {
                "young": {
                    "median_s": round(yt, 2),
                    "api_calls": ya,
                    "samples": [round(t, 2) for t, _ in young],
                },
                "old": {
                    "earlier_transitions": args.old,
                    "median_s": round(ot, 2),
                    "api_calls": oa,
                    "samples": [round(t, 2) for t, _ in old],
                },
                "ratio_time_old_young": round(ot / yt, 2),
                "ratio_api_calls_old_young": round(oa / ya, 2) if ya else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
