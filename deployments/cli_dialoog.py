"""The yearly meerzorgdialoog on the command line:

meerzorg dialogen [--jaar J]                        one line per provider
meerzorg dialoog plan [--jaar J] [--peildatum D]    run the plan-dialogen deployment now
meerzorg dialoog toon AGB [--jaar J]                one dialoog: dates, notes, afspraken
"""

from __future__ import annotations

import argparse
import datetime as dt

from deployments.cli_args import Parser, datum
from deployments.errors import CliFout
from deployments.operations import ensure_db
from models.dates import vandaag

PLAN_DEPLOYMENT = "plan-dialogen/plan-dialogen"


def _jaar(text: str) -> int:
    try:
        jaar = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year") from None
    if not 2000 <= jaar <= 2099:
        raise argparse.ArgumentTypeError(f"{jaar} is not a year between 2000 and 2099")
    return jaar


def dialogen(jaar: int | None) -> list[dict]:
    from tasks import dialoog_lezen

    ensure_db()
    return dialoog_lezen.overzicht(jaar or vandaag().year + 1)


def toon(agb: str, jaar: int | None) -> dict:
    from tasks import dialoog_lezen

    ensure_db()
    jaar = jaar or vandaag().year + 1
    detail = dialoog_lezen.detail(agb, jaar)
    if detail is None:
        raise CliFout(f"no meerzorgdialoog {jaar} for provider {agb}")
    return detail


def plan(jaar: int | None, peildatum: dt.date, timeout: float = 900) -> dict:
    """Run the plan-dialogen deployment now and wait for it (needs the running system)."""
    from prefect.deployments import run_deployment

    jaar = jaar or peildatum.year + 1
    if jaar not in (peildatum.year, peildatum.year + 1):
        raise CliFout(
            f"--jaar {jaar}: plan the dialogen of {peildatum.year} or {peildatum.year + 1} "
            f"(peildatum {peildatum})"
        )
    ensure_db()
    run = run_deployment(
        PLAN_DEPLOYMENT,
        parameters={"jaar": jaar, "peildatum": peildatum.isoformat()},
        timeout=timeout,
        as_subflow=False,
        flow_run_name=f"plan-dialogen-{jaar}-{peildatum.isoformat()}",
        _sync=True,
    )
    if not run.state or not run.state.is_completed():
        raise CliFout(
            f"plan-dialogen run {run.id} ended as {run.state.name if run.state else 'unknown'}"
        )
    try:
        result = run.state.result(_sync=True)
    except Exception:  # the result store may not be readable from here
        result = {}
    return {
        "flow_run_id": str(run.id),
        "status": run.state.name,
        **(result if isinstance(result, dict) else {}),
        "dialogen": dialogen(jaar),
    }


def register(sub, out) -> None:
    def jaar_arg(p, what: str):
        p.add_argument("--jaar", type=_jaar, default=None, help=f"{what} (default: next year)")

    p = sub.add_parser("dialogen", help="the meerzorgdialogen of a year, one line per provider")
    jaar_arg(p, "the year of the dialogen")
    p.set_defaults(func=lambda a: out(dialogen(a.jaar)))

    p = sub.add_parser("dialoog", help="the yearly meerzorgdialoog per provider")
    dsub = p.add_subparsers(dest="dialoog_command", required=True, parser_class=Parser)
    pl = dsub.add_parser(
        "plan", help="run plan-dialogen now: a dialoog and its run per provider with meerzorg"
    )
    jaar_arg(pl, "the year to plan")
    pl.add_argument(
        "--peildatum",
        type=datum,
        default=None,
        help="date the planning is done on (YYYY-MM-DD; default today in Europe/Amsterdam)",
    )
    pl.set_defaults(func=lambda a: out(plan(a.jaar, a.peildatum)))
    t = dsub.add_parser("toon", help="one dialoog: dates, timers, notes and afspraken")
    t.add_argument("agb")
    jaar_arg(t, "the year of the dialoog")
    t.set_defaults(func=lambda a: out(toon(a.agb, a.jaar)))
