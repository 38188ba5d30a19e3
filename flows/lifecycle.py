"""One long-running flow run per aanvraag: a thin driver over the database state machine.

On every (re)execution it reads the zaak, asks the rules for the next step, performs it
and loops. Every wait is a `suspend_flow_run` keyed by the zaak's `wacht_key`, so a
resumed run re-executes cheaply and a release can pick up old cases (DESIGN.md)."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.artifacts import Artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.flow_runs import suspend_flow_run
from prefect.runtime import flow_run as current_run

from flows.inputs import FORMULIER, initial_data
from models.aanvraag import Aanvraag
from models.dates import vandaag
from models.kaart import zaakkaart
from models.proces import volgende_stap
from models.store import lees_zaak, session_scope
from tasks import runs
from tasks import zaak as zaak_ops
from tasks.faults import crash_point
from tasks.notify import deliver_pending
from tasks.opvolging import cce_tag

SUSPEND_TIMEOUT = 10 * 365 * 24 * 3600  # the run lives as long as the case; timers are rows
DB_RETRIES = {"retries": 3, "retry_delay_seconds": [1, 5, 20], "cache_policy": NO_CACHE}


@task(name="registreer-zaak", **DB_RETRIES)
def registreer_task(aanvraag: Aanvraag, ingediend_op: dt.date, flow_run_id: str) -> str:
    key, _ = zaak_ops.registreer(aanvraag, ingediend_op, flow_run_id=flow_run_id)
    return key


@task(name="toets", **DB_RETRIES)
def actie_task(zaak: str, peildatum: dt.date) -> bool:
    return zaak_ops.voer_actie_uit(zaak, peildatum)


@task(name="verwerk-invoer", **DB_RETRIES)
def invoer_task(zaak: str, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
    return zaak_ops.verwerk_invoer(zaak, wacht_key, invoer, peildatum)


@task(name="start-vervolgzaak", **DB_RETRIES)
def vervolg_task() -> list[str]:
    return runs.start_missing_runs()


@task(name="bezorg-notificaties", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def bezorg_task(zaak: str) -> dict:
    return deliver_pending(zaak=zaak)


def _kaart_gewijzigd(zaak: str, kaart: str) -> bool:
    """A resumed run re-executes at the wait it was suspended on: no second, equal card."""
    laatste = Artifact.get(f"zaak-{zaak.lower()}")
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


@flow(name="meerzorg-lifecycle", persist_result=True, log_prints=False)
def lifecycle(
    zaak: str | None = None, aanvraag: Aanvraag | None = None, peildatum: dt.date | None = None
) -> str:
    """Meerzorg lifecycle of one zaak, from aanvraag to the end of its beschikking."""
    log = get_run_logger()
    run_id = str(current_run.id)
    scrub = False
    if zaak is None:
        if aanvraag is None:
            raise ValueError("start the lifecycle with a zaak key or an aanvraag")
        zaak = registreer_task(aanvraag, peildatum or vandaag(), run_id)
        scrub = True  # the Run form's parameters hold the BSN: keep only the zaak key
    else:
        zaak_ops.koppel_flow_run(zaak, run_id)
    while True:
        with session_scope() as session:
            z = lees_zaak(session=session, key=zaak)
            if z is None:
                raise ValueError(f"zaak {zaak} does not exist")
            stap = volgende_stap(z.status, z.stap)
            status, wacht_key, toets = z.status, z.wacht_key, z.toets
            tags = runs.run_tags(z, cce_tag(session, z, peildatum or vandaag()))
            kaart = zaakkaart(session, z)
        bezorg_task(zaak)
        runs.sync_run(run_id, zaak, tags, scrub_parameters=scrub)
        scrub = False
        if stap.soort != "actie" and _kaart_gewijzigd(zaak, kaart):
            # The case card on the run's Artifacts tab (and under its stable key), current at
            # every wait and at the close; pseudonymous like the form's description.
            create_markdown_artifact(
                key=f"zaak-{zaak.lower()}", markdown=kaart, description=f"Zaakkaart {zaak}"
            )
        if stap.soort == "klaar":
            log.info("zaak %s afgesloten (%s)", zaak, status)
            return status
        if stap.soort == "actie":
            actie_task(zaak, peildatum or vandaag())
            crash_point("na-toets", zaak)
            continue
        form = FORMULIER[status]
        log.info("zaak %s wacht op %s (%s)", zaak, stap.wacht_op, wacht_key)
        answer = wacht_op_invoer(
            form.with_initial_data(description=kaart, **initial_data(status, toets)), wacht_key
        )
        invoer = answer.model_dump(mode="json", exclude={"metadata"})
        crash_point("invoer-ontvangen", zaak)
        datum = answer.peildatum or vandaag()
        uitkomst = invoer_task(zaak, wacht_key, invoer, datum)
        crash_point("na-commit", zaak)
        # The database holds what counts now; the form may carry a BSN or free text.
        runs.vergeet_invoer(run_id, wacht_key)
        log.info("zaak %s: invoer voor %s %s", zaak, wacht_key, uitkomst)
        if uitkomst == "toegepast" and status == "herbeoordeling":
            vervolg_task()  # a verlenging registered a new zaak: start its lifecycle
