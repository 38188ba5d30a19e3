"""The one driver loop of every long-running case (the zaak's lifecycle, the yearly
dialoog): read the case, deliver its notifications, keep the run's name and tags current,
publish the card, then act, wait or finish, and loop. Every wait is a `suspend_flow_run`
keyed by the case's `wacht_key`, so a resumed run re-executes cheaply (DESIGN.md).

What differs per kind is one `GevalRun` (flows/lifecycle.py, flows/dialoog.py): how to read
it, its action, its input handler and its forms; the protections are the same for both:
the empty-Resume fallback, the crash points and the answered form removed from Prefect.

A resumed run is a new process, forked from a process that imported this module, the kinds'
modules and their task modules once (deployments/forkstart.py), so they import at the top.
One transition costs, besides Prefect's own calls, one read of the answered wait and the
removal of its answer (and the card and the tags only when they changed): the wait the run
was resumed from was published when it was first reached, its form's description is that
card, and the run's name and tags come from the engine's own read of the run."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from prefect import get_run_logger
from prefect.artifacts import Artifact, create_markdown_artifact
from prefect.context import FlowRunContext
from prefect.exceptions import PrefectHTTPStatusError
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from prefect.input.run_input import RunInputMetadata

from models.dates import vandaag
from tasks import runs
from tasks.crashpunt import crash_point
from tasks.notify import te_bezorgen
from tasks.taken import bezorg_task

if TYPE_CHECKING:
    from models.engine import Beeld, Formulier, Soort

SUSPEND_TIMEOUT = 10 * 365 * 24 * 3600  # the run lives as long as the case; timers are rows


class GevalRun(Protocol):
    soort: Soort  # the kind's declaration: its waits and their forms
    key: str
    artifact_key: str
    actie_punt: str  # the crash point after the kind's action
    artifact_titel: str

    def beeld(self, peildatum: dt.date) -> Beeld: ...
    def actie(self, peildatum: dt.date) -> object: ...
    def verwerk(self, wacht_key: str, invoer: dict, peildatum: dt.date) -> str: ...
    def na_invoer(self, status: str, uitkomst: str) -> None: ...


@cache
def run_input(formulier: type[Formulier]) -> type[RunInput]:
    """A wait's form as Prefect's RunInput, under the form's own name: the schema's title is
    what the gateway checks against the wait (deployments/gateway_hervat.py)."""
    return type(
        formulier.__name__,
        (RunInput, formulier),
        {"__doc__": formulier.__doc__, "__module__": formulier.__module__},
    )


def _kaart_gewijzigd(artifact_key: str, kaart: str) -> bool:
    """No second, equal card (a wait reached again with nothing changed)."""
    laatste = Artifact.get(artifact_key)
    return laatste is None or laatste.data != kaart


def _publiceer_kaart(geval: GevalRun, kaart: str, laatste: str | None) -> None:
    # The card on the run's Artifacts tab (and under its stable key), current at every wait
    # and at the close; pseudonymous like the form's description. `laatste`: the card last
    # published under the key, when this process knows it (else it is read).
    gewijzigd = _kaart_gewijzigd(geval.artifact_key, kaart) if laatste is None else laatste != kaart
    if gewijzigd:
        create_markdown_artifact(
            key=geval.artifact_key, markdown=kaart, description=geval.artifact_titel
        )


def _deze_run() -> tuple[tuple[str, list[str]] | None, frozenset[str]]:
    """The run as the engine read it when this execution started: its name and tags, and
    the keys it already waited on (Prefect answers a wait on such a key at once, with its
    stored input or none, without suspending). Nothing known outside a flow run."""
    ctx = FlowRunContext.get()
    run = ctx.flow_run if ctx is not None else None
    if run is None:
        return None, frozenset()
    keys = getattr(run.empirical_policy, "pause_keys", None) or ()
    return (run.name, list(run.tags)), frozenset(keys)


def _bezorg(key: str) -> None:
    """Deliver the case's queued notifications: a task (retried, shown per run) only when
    the outbox holds something of this case that is not delivered yet."""
    if te_bezorgen(key):
        bezorg_task(key)


def wacht_op_invoer(form, wacht_key: str):
    """Suspend until the wait is answered. A run resumed without any input (an empty Resume
    through the API) stores no answer and Prefect's replay would fail with 404: that counts
    as the form's defaults, which the rules then refuse or ignore with a new wait."""
    try:
        return suspend_flow_run(wait_for_input=form, key=wacht_key, timeout=SUSPEND_TIMEOUT)
    except PrefectHTTPStatusError as exc:
        if exc.response.status_code != 404:
            raise
        return form()


def eerder_antwoord(form, run_id: str, wacht_key: str) -> tuple[RunInput, runs.Gewacht] | None:
    """A wait this run already suspended on: Prefect would refuse the suspension and return
    its stored answer. Read here in one call with the form's description (the card that wait
    published); the answer is built as Prefect's replay builds it, no input counting as the
    form's defaults. None: not to be told for sure; then Prefect's own way."""
    gewacht = runs.lees_gewacht(run_id, wacht_key)
    if gewacht is None:
        return None
    answer = form(**gewacht.antwoord) if gewacht.antwoord else form()
    answer._metadata = RunInputMetadata(
        key=f"suspended-{wacht_key}-response", sender=None, receiver=UUID(run_id)
    )
    return answer, gewacht


def drive(
    geval: GevalRun, run_id: str, peildatum: dt.date | None = None, scrub: bool = False
) -> str:
    """Run the case until it is closed; returns its final status. `scrub`: the run's
    parameters held more than the key (a Run form with an aanvraag) and are replaced once."""
    log = get_run_logger()
    run, gewacht = _deze_run()
    kaart: str | None = None  # the card last published under the case's key, once known
    while True:
        b = geval.beeld(peildatum or vandaag())
        _bezorg(geval.key)
        # A wait this run was resumed from returns at once: its tags and card were made
        # current when it was first reached, and the next wait makes them current again.
        terug = b.stap.soort == "wacht" and b.wacht_key in gewacht
        if scrub or not terug:
            run = runs.sync_run(run_id, b.key, list(b.tags), scrub_parameters=scrub, huidig=run)
            scrub = False
            if b.stap.soort != "actie":
                _publiceer_kaart(geval, b.kaart, kaart)
                kaart = b.kaart
        if b.stap.soort == "klaar":
            log.info("%s afgesloten (%s)", b.key, b.status)
            return b.status
        if b.stap.soort == "actie":
            geval.actie(peildatum or vandaag())
            crash_point(geval.actie_punt, b.key)
            continue
        log.info("%s wacht op %s (%s)", b.key, b.stap.wacht_op, b.wacht_key)
        form = run_input(geval.soort.wacht(b.status).formulier).with_initial_data(
            description=b.kaart, **b.initieel
        )
        eerder = eerder_antwoord(form, run_id, b.wacht_key) if terug else None
        if eerder is None:
            answer, opgeslagen = wacht_op_invoer(form, b.wacht_key), True
        else:
            answer, opgeslagen = eerder[0], eerder[1].beantwoord
            # The wait's card was published when it was first reached, as its description;
            # unless this process published one since (a scrub).
            kaart = kaart if kaart is not None else eerder[1].kaart
        invoer = answer.model_dump(mode="json", exclude={"metadata"})
        crash_point("invoer-ontvangen", b.key)
        uitkomst = geval.verwerk(b.wacht_key, invoer, answer.peildatum or vandaag())
        crash_point("na-commit", b.key)
        # The database holds what counts now; the form may carry a BSN or free text. (An
        # answer not stored, a resume without input, has nothing to remove: a running run
        # takes no resume, so none is stored since it was read.)
        if opgeslagen:
            runs.vergeet_invoer(run_id, b.wacht_key)
        log.info("%s: invoer voor %s %s", b.key, b.wacht_key, uitkomst)
        geval.na_invoer(b.status, uitkomst)
