"""The one driver loop of every long-running case (the zaak's lifecycle, the yearly
dialoog): read the case, deliver its notifications, keep the run's name and tags current,
publish the card, then act, wait or finish, and loop. Every wait is a `suspend_flow_run`
keyed by the case's `wacht_key`, so a resumed run re-executes cheaply (DESIGN.md).

What differs per kind is one `Geval` (flows/lifecycle.py, flows/dialoog.py): how to read
it, its action, its input handler and its forms; the protections are the same for both:
the empty-Resume fallback, the crash points and the answered form removed from Prefect."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from prefect import get_run_logger
from prefect.artifacts import Artifact, create_markdown_artifact
from prefect.flow_runs import suspend_flow_run

from models.dates import vandaag
from models.engine import Beeld
from tasks import runs
from tasks.crashpunt import crash_point
from tasks.taken import bezorg_task

SUSPEND_TIMEOUT = 10 * 365 * 24 * 3600  # the run lives as long as the case; timers are rows


class Geval(Protocol):
    key: str
    artifact_key: str
    actie_punt: str  # the crash point after the kind's action
    artifact_titel: str

    def beeld(self, peildatum: dt.date) -> Beeld: ...
    def actie(self, peildatum: dt.date) -> object: ...
    def verwerk(self, wacht_key: str, invoer: dict, peildatum: dt.date) -> str: ...
    def formulier(self, status: str): ...
    def na_invoer(self, status: str, uitkomst: str) -> None: ...


def _kaart_gewijzigd(artifact_key: str, kaart: str) -> bool:
    """A resumed run re-executes at the wait it was suspended on: no second, equal card."""
    laatste = Artifact.get(artifact_key)
    return laatste is None or laatste.data != kaart


def wacht_op_invoer(form, wacht_key: str):
    """Suspend until the wait is answered. A run resumed without any input (an empty Resume
    through the API) stores no answer and Prefect's replay would fail with 404: that counts
    as the form's defaults, which the rules then refuse or ignore with a new wait."""
    from prefect.exceptions import PrefectHTTPStatusError

    try:
        return suspend_flow_run(wait_for_input=form, key=wacht_key, timeout=SUSPEND_TIMEOUT)
    except PrefectHTTPStatusError as exc:
        if exc.response.status_code != 404:
            raise
        return form()


def drive(geval: Geval, run_id: str, peildatum: dt.date | None = None, scrub: bool = False) -> str:
    """Run the case until it is closed; returns its final status. `scrub`: the run's
    parameters held more than the key (a Run form with an aanvraag) and are replaced once."""
    log = get_run_logger()
    while True:
        b = geval.beeld(peildatum or vandaag())
        bezorg_task(geval.key)
        runs.sync_run(run_id, b.key, list(b.tags), scrub_parameters=scrub)
        scrub = False
        if b.stap.soort != "actie" and _kaart_gewijzigd(geval.artifact_key, b.kaart):
            # The card on the run's Artifacts tab (and under its stable key), current at
            # every wait and at the close; pseudonymous like the form's description.
            create_markdown_artifact(
                key=geval.artifact_key, markdown=b.kaart, description=geval.artifact_titel
            )
        if b.stap.soort == "klaar":
            log.info("%s afgesloten (%s)", b.key, b.status)
            return b.status
        if b.stap.soort == "actie":
            geval.actie(peildatum or vandaag())
            crash_point(geval.actie_punt, b.key)
            continue
        log.info("%s wacht op %s (%s)", b.key, b.stap.wacht_op, b.wacht_key)
        form = geval.formulier(b.status)
        answer = wacht_op_invoer(
            form.with_initial_data(description=b.kaart, **b.initieel), b.wacht_key
        )
        invoer = answer.model_dump(mode="json", exclude={"metadata"})
        crash_point("invoer-ontvangen", b.key)
        uitkomst = geval.verwerk(b.wacht_key, invoer, answer.peildatum or vandaag())
        crash_point("na-commit", b.key)
        # The database holds what counts now; the form may carry a BSN or free text.
        runs.vergeet_invoer(run_id, b.wacht_key)
        log.info("%s: invoer voor %s %s", b.key, b.wacht_key, uitkomst)
        geval.na_invoer(b.status, uitkomst)
