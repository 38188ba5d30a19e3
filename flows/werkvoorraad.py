"""The werkvoorraad deployment: publishes what waits for whom as Markdown artifacts with
stable keys (one per role), and keeps the `signaal:` and `cce:` tags on the waiting runs
current so the dashboard's Runs page can be filtered by them (README, "Dashboard")."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger
from prefect.runtime import flow_run as current_run

from models.dates import vandaag
from models.werkvoorraad import samenvatting
from tasks.taken import (
    lees_werkvoorraad_task,
    publiceer_werkvoorraad_task,
    signaal_tags_task,
    systeemstatus_task,
)


def _run_naam() -> str:
    return f"werkvoorraad-{current_run.parameters.get('peildatum') or vandaag()}"


@flow(name="meerzorg-werkvoorraad", flow_run_name=_run_naam, log_prints=False)
def werkvoorraad_flow(peildatum: dt.date | None = None) -> dict:
    """Publish the werkvoorraad per role (artifacts `werkvoorraad`, `werkvoorraad-beoordelaar`,
    `werkvoorraad-cce`) and tag the runs that need attention."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    rows = lees_werkvoorraad_task(peildatum)
    keys = publiceer_werkvoorraad_task(rows, peildatum, systeemstatus_task())
    changed = signaal_tags_task(rows)
    summary = {"peildatum": peildatum.isoformat(), **samenvatting(rows), "artifacts": keys}
    log.info(
        "werkvoorraad %s: %s wachtend, %s verlopen, %s runs opnieuw getagd",
        peildatum,
        summary["wachtend"],
        summary["verlopen"],
        changed,
    )
    return summary
