"""For the operator on call:

- `meerzorg status`: the health view as JSON (tasks/status.py); exit 1 when something needs
  attention, so a monitoring probe can run it;
- `meerzorg herstel-runs`: make every open zaak's and dialoog's run live and waiting on its
  current wait key now, as the daily sweep does (tasks/reconcile.py); `--alleen-tonen`
  reports what it would do;
- `meerzorg deploy`: register prefect.yaml, with the settings applied (MEERZORG_SWEEP_CRON,
  MEERZORG_INTAKE_INTERVAL_MINUTES), in the process work pool (production)."""

from __future__ import annotations

from deployments.errors import CliFout


def _server_of_fout():
    from prefect.settings import PREFECT_API_URL

    from tasks.status import server_fout

    url = PREFECT_API_URL.value()
    if fout := server_fout(url):
        raise CliFout(f"the Prefect server at {url} does not answer: {fout}")


def status(out) -> int:
    from deployments.operations import ensure_db
    from tasks.status import status as lees_status

    ensure_db()
    s = lees_status()
    out(s)
    return 0 if s["ok"] else 1


def reconcile_runs(alleen_tonen: bool) -> dict:
    from deployments.operations import ensure_db
    from tasks.soorten import reconcile_runs as reconcile

    ensure_db()
    _server_of_fout()
    acties = reconcile(uitvoeren=not alleen_tonen)
    return {
        "uitgevoerd": not alleen_tonen,
        **{soort: {"aantal": len(lijst), "acties": lijst} for soort, lijst in acties.items()},
    }


def deploy(pool: str) -> dict:
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from deployments.specs import SpecFout, resolved_config, write_resolved
    from models.settings import PROJECT_DIR

    _server_of_fout()
    try:
        config = resolved_config()
    except SpecFout as exc:
        raise CliFout(str(exc)) from None
    prefect = str(Path(sys.executable).parent / "prefect")
    with tempfile.TemporaryDirectory() as tmp:
        path = write_resolved(Path(tmp) / "prefect.yaml")
        for args in (
            ["work-pool", "create", pool, "--type", "process", "--overwrite"],
            ["deploy", "--all", "--prefect-file", str(path)],
        ):
            r = subprocess.run(
                [prefect, "--no-prompt", *args], cwd=PROJECT_DIR, capture_output=True, text=True
            )
            if r.returncode != 0:
                last = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["no output"]
                raise CliFout(f"`prefect {' '.join(args[:2])}` failed: {last[0]}")
    return {
        "pool": pool,
        "deployments": [d["name"] for d in config["deployments"]],
        "schemas": {d["name"]: d["schedules"] for d in config["deployments"] if d.get("schedules")},
    }


def register(sub, out) -> None:
    p = sub.add_parser(
        "status",
        help="health of the running system as JSON; exit 1 when something needs attention",
    )
    p.set_defaults(func=lambda a: status(out))

    p = sub.add_parser(
        "herstel-runs",
        help="give every open zaak and dialoog one live run waiting on its current wait key",
    )
    p.add_argument("--alleen-tonen", action="store_true", help="only show what would be done")
    p.set_defaults(func=lambda a: out(reconcile_runs(a.alleen_tonen)))

    p = sub.add_parser(
        "deploy", help="register prefect.yaml (settings applied) in the process work pool"
    )
    p.add_argument("--pool", default="meerzorg")
    p.set_defaults(func=lambda a: out(deploy(a.pool)))
