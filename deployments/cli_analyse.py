"""The analysts' commands: `importeer`, `backfill`, `rapport`, `whatif`."""

from __future__ import annotations

import os
import time
from pathlib import Path

from deployments.cli_args import datum, read_json_file
from deployments.errors import CliFout

BACKFILL_DEPLOYMENT = "meerzorg-backfill/backfill"


def ensure_db() -> None:
    from deployments.operations import ensure_db

    ensure_db()


STAPPEN = {"dag": "dag", "day": "dag", "week": "week", "maand": "maand", "month": "maand"}


def _prefect_bereikbaar() -> None:
    import httpx

    url = os.environ.get("PREFECT_API_URL", "")
    try:
        ok = httpx.get(f"{url}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        ok = False
    if not ok:
        raise CliFout(
            f"the Prefect API at {url or '(PREFECT_API_URL unset)'} does not answer; start "
            "`meerzorg up`, or import with --zonder-runs (the sweep starts the runs later)"
        )


def importeer(args) -> dict:
    from models.historie import foutmelding, valideer_regels
    from tasks import historie_import

    tekst = read_json_file(args.bestand, "history")
    regels, fouten = valideer_regels(tekst.splitlines(), args.peildatum)
    if fouten or not regels:
        raise CliFout(foutmelding(args.bestand, fouten, len(regels) + len(fouten)))
    if not args.zonder_runs:
        _prefect_bereikbaar()
    ensure_db()
    t0 = time.perf_counter()
    uit = historie_import.importeer(regels, args.peildatum)
    zaken = uit.pop("zaken")
    uit["runs_gestart"] = 0
    if not args.zonder_runs:
        try:
            uit["runs_gestart"] = historie_import.start_runs(zaken)
        except Exception as exc:  # the zaken are in; the next deadline sweep starts their runs
            uit["runs_fout"] = f"{type(exc).__name__}: {exc}; the next sweep starts the runs"
    uit["duur_s"] = round(time.perf_counter() - t0, 2)
    return uit


def backfill(args, timeout: float = 6 * 3600) -> dict:
    from models.snapshot import backfill_sleutel, valideer_backfill

    stap = STAPPEN[args.stap]
    if not 1 <= args.gelijktijdig <= 16:
        raise CliFout(f"--gelijktijdig {args.gelijktijdig} must be between 1 and 16")
    if not 10 <= args.chunk_grootte <= 100_000:
        raise CliFout(f"--chunk-grootte {args.chunk_grootte} must be between 10 and 100000")
    try:
        valideer_backfill(args.van, args.tot, stap, args.scope)
    except ValueError as exc:
        raise CliFout(str(exc)) from None
    from prefect.deployments import run_deployment

    from tasks import snapshots

    ensure_db()
    key = backfill_sleutel(args.van, args.tot, stap, args.scope)
    t0 = time.perf_counter()
    run = run_deployment(
        BACKFILL_DEPLOYMENT,
        parameters={
            "van": args.van.isoformat(),
            "tot": args.tot.isoformat(),
            "stap": stap,
            "scope": args.scope,
            "opnieuw": args.opnieuw,
            "gelijktijdig": args.gelijktijdig,
            "chunk_grootte": args.chunk_grootte,
        },
        flow_run_name=f"backfill-{key}",
        timeout=timeout,
        as_subflow=False,
        _sync=True,
    )
    if not run.state or not run.state.is_completed():
        raise CliFout(
            f"backfill run {run.id} ended as {run.state.name if run.state else 'unknown'}; "
            "run the same command again to resume it"
        )
    try:
        result = run.state.result(_sync=True)
    except Exception:  # the result store may not be readable from here: the table is
        result = {}
    samenvatting = snapshots.backfill_samenvatting(key)
    return (
        {"flow_run_id": str(run.id), "flow_run_status": run.state.name}
        | {k: v for k, v in (result or {}).items() if k in ("overgeslagen", "geheugen_piek_mb")}
        | {"duur_s": round(time.perf_counter() - t0, 2)}
        | samenvatting
    )


def rapport(args) -> dict:
    from models.settings import get_settings
    from tasks import analyse
    from tasks.rapport_uitvoer import schrijf_rapport

    if not 2000 <= args.jaar <= 2100:
        raise CliFout(f"--jaar {args.jaar} is not a year between 2000 and 2100")
    ensure_db()
    uitvoer = (
        Path(args.uitvoer)
        if args.uitvoer
        else get_settings().data_dir / "rapporten" / str(args.jaar)
    )
    r = analyse.rapport_gegevens(args.jaar, args.peildatum)
    return analyse.rapport_json(r, schrijf_rapport(r, uitvoer))


def whatif(args) -> dict:
    from models.beleid import laad_beleid_bestand
    from tasks import analyse

    read_json_file(args.beleid, "policy")
    concept = laad_beleid_bestand(Path(args.beleid))
    ensure_db()
    return analyse.whatif(concept, args.peildatum)


def register(sub, out) -> None:
    def peildatum(p, help_text: str) -> None:
        p.add_argument("--peildatum", type=datum, default=None, help=help_text)

    p = sub.add_parser(
        "importeer",
        help="import historical zaken (JSON Lines); every line is validated first",
    )
    p.add_argument("bestand", help="JSON Lines: an aanvraag plus ingediend_op and optional besluit")
    peildatum(p, "what is still running is judged on this date (default today)")
    p.add_argument(
        "--zonder-runs",
        action="store_true",
        help="do not start lifecycle runs (the next deadline sweep starts them)",
    )
    p.set_defaults(func=lambda a: out(importeer(a)))

    p = sub.add_parser(
        "backfill", help="run the backfill deployment (obligations and CCE per peildatum) and wait"
    )
    p.add_argument("--van", type=datum, required=True, help="first peildatum (YYYY-MM-DD)")
    p.add_argument("--tot", type=datum, required=True, help="last peildatum, inclusive")
    p.add_argument("--stap", choices=sorted(STAPPEN), default="maand")
    p.add_argument("--scope", default="all", help="all, or the AGB code of one provider")
    p.add_argument("--opnieuw", action="store_true", help="start over, also after a crash")
    p.add_argument("--gelijktijdig", type=int, default=2, help="chunks at the same time")
    p.add_argument("--chunk-grootte", type=int, default=1000, help="beschikkingen per chunk")
    p.set_defaults(func=lambda a: out(backfill(a)))

    p = sub.add_parser("rapport", help="the yearly report: CSV, Markdown and charts (SVG and PNG)")
    p.add_argument("--jaar", type=int, required=True)
    p.add_argument("--uitvoer", default=None, help="directory (default .data/rapporten/<jaar>)")
    peildatum(p, "expiries and CCE are counted up to this date (default today)")
    p.set_defaults(func=lambda a: out(rapport(a)))

    p = sub.add_parser("whatif", help="a draft policy over the current caseload: what changes")
    p.add_argument("beleid", help="draft policy TOML whose `basis` is an existing version")
    peildatum(p, "date the toets and deadlines are computed on (default today)")
    p.set_defaults(func=lambda a: out(whatif(a)))
