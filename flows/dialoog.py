"""The yearly meerzorgdialoog: one long-running run per provider-year, and the yearly planner.

`meerzorgdialoog` is a thin driver like the lifecycle: read the dialoog, act (the
invitation) or `suspend_flow_run(key=dialoog.wacht_key)` for the meerzorgplan or the
verslag, apply the answer in one transaction, loop. Its timers (reminder, escalation) are
rows the deadline sweep fires (tasks/dialoog.py: vuur_dialoog_termijnen); the sweep also
plans providers that come in after the yearly planning and restarts lost runs."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run as current_run
from pydantic import Field

from models.dates import vandaag
from models.dialoog import dialoog_key, volgende_stap
from tasks import dialoog as dialoog_ops
from tasks.notify import deliver_pending

SUSPEND_TIMEOUT = 2 * 365 * 24 * 3600  # a dialoog lives about a year; timers are rows
DB_RETRIES = {"retries": 3, "retry_delay_seconds": [1, 5, 20], "cache_policy": NO_CACHE}


class Meerzorgplan(RunInput):
    """Het meerzorgplan en de groepsevaluatie van de zorgaanbieder, of een nieuwe dialoogdatum."""

    ontvangen: bool = Field(False, description="Meerzorgplan en groepsevaluatie zijn ontvangen")
    ontvangen_op: dt.date | None = Field(None, description="Datum van ontvangst (leeg: vandaag)")
    document: str = Field("", description="Kenmerk of vindplaats van het meerzorgplan")
    dialoog_datum: dt.date | None = Field(
        None, description="Nieuwe datum van de dialoog (alleen invullen om te verplaatsen)"
    )
    medewerker: str = Field("", description="Medewerker-id")
    peildatum: dt.date | None = Field(None, description="Verwerkingsdatum (leeg: vandaag)")


class DialoogVerslag(RunInput):
    """Verslag van de meerzorgdialoog: de vijf vaste agendapunten (R §10) en de afspraken."""

    terugblik: str = Field(
        "",
        description="1. Terugblik op de afspraken van vorig jaar (lessen, materiele controle, "
        "dilemma's, successen)",
    )
    meerzorgplan: str = Field("", description="2. Bespreken van het meerzorgplan")
    samenwerking_cce: str = Field(
        "", description="3. Samenwerking zorgaanbieder en CCE rond de ontwikkeltrajecten"
    )
    sturing: str = Field(
        "",
        description="4. Hoe de zorgaanbieder stuurt op kwaliteit, doelmatigheid en "
        "betaalbaarheid komend jaar",
    )
    afspraken: str = Field(
        "", description="5. Samenvatting van gemaakte afspraken (een afspraak per regel)"
    )
    gehouden_op: dt.date | None = Field(None, description="Datum waarop de dialoog is gehouden")
    cce_aanwezig: bool = Field(False, description="Het CCE nam deel")
    verslaglegger: str = Field("", description="Medewerker-id van de verslaglegger")
    dialoog_datum: dt.date | None = Field(
        None, description="Nieuwe datum (alleen invullen om de dialoog te verplaatsen)"
    )
    peildatum: dt.date | None = Field(None, description="Verwerkingsdatum (leeg: vandaag)")


FORMULIER = {"uitgenodigd": Meerzorgplan, "plan_ontvangen": DialoogVerslag}


@task(name="uitnodigen", **DB_RETRIES)
def uitnodigen_task(agb: str, jaar: int, peildatum: dt.date) -> bool:
    return dialoog_ops.uitnodigen(agb, jaar, peildatum)


@task(name="verwerk-dialoog-invoer", **DB_RETRIES)
def invoer_task(agb: str, jaar: int, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
    return dialoog_ops.verwerk_invoer(agb, jaar, wacht_key, invoer, peildatum)


@task(name="bezorg-notificaties", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def bezorg_task(key: str) -> dict:
    return deliver_pending(zaak=key)


def run_tags(agb: str, jaar: int, wacht_op: str | None, status: str) -> list[str]:
    return [
        dialoog_ops.TAG,
        f"agb:{agb}",
        f"jaar:{jaar}",
        f"wacht-op:{wacht_op or ('afgesloten' if status in ('afgerond', 'vervallen') else '-')}",
        f"status:{status}",
    ]


@flow(name="meerzorgdialoog", persist_result=True, log_prints=False)
def meerzorgdialoog(agb: str, jaar: int, peildatum: dt.date | None = None) -> str:
    """De jaarlijkse meerzorgdialoog van een zorgaanbieder, van uitnodiging tot afspraken."""
    log = get_run_logger()
    run_id = str(current_run.id)
    key = dialoog_key(agb, jaar)
    dialoog_ops.koppel_flow_run(agb, jaar, run_id)
    while True:
        b = dialoog_ops.beeld(agb, jaar)
        stap = volgende_stap(b.status)
        bezorg_task(key)
        dialoog_ops.sync_run(run_id, key, run_tags(agb, jaar, b.wacht_op, b.status))
        if stap.soort == "klaar":
            create_markdown_artifact(
                key=key, markdown=b.kaart, description=f"Meerzorgdialoog {key}"
            )
            log.info("%s %s", key, b.status)
            return b.status
        if stap.soort == "actie":
            uitnodigen_task(agb, jaar, peildatum or vandaag())
            continue
        log.info("%s wacht op %s (%s)", key, b.wacht_op, b.wacht_key)
        answer = suspend_flow_run(
            wait_for_input=FORMULIER[b.status].with_initial_data(description=b.kaart, **b.initieel),
            key=b.wacht_key,
            timeout=SUSPEND_TIMEOUT,
        )
        invoer = answer.model_dump(mode="json", exclude={"metadata"})
        uitkomst = invoer_task(agb, jaar, b.wacht_key, invoer, answer.peildatum or vandaag())
        log.info("%s: invoer voor %s %s", key, b.wacht_key, uitkomst)


@task(name="plan-jaar", **DB_RETRIES)
def plan_task(jaar: int, peildatum: dt.date) -> dict:
    return dialoog_ops.plan_jaar(jaar, peildatum)


@task(name="start-dialoog-run", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def start_task(agb: str, jaar: int, peildatum: dt.date) -> str:
    return dialoog_ops.start_run(agb, jaar, peildatum)


@flow(name="plan-dialogen", log_prints=False)
def plan_dialogen(jaar: int | None = None, peildatum: dt.date | None = None) -> dict:
    """Plant de meerzorgdialogen van een jaar (standaard volgend jaar) voor elke zorgaanbieder
    met actieve meerzorg en start hun runs. Twee keer draaien verandert niets."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    jaar = jaar or peildatum.year + 1
    if jaar not in (peildatum.year, peildatum.year + 1):
        raise ValueError(f"jaar {jaar}: plan this year's or next year's dialogen, not another")
    resultaat = plan_task(jaar, peildatum)
    gestart = [start_task(agb, jaar, peildatum) for agb in resultaat["zonder_run"]]
    log.info(
        "dialogen %s: %s gepland, %s herpland, %s vervallen, %s runs gestart",
        jaar,
        len(resultaat["gepland"]),
        len(resultaat["herpland"]),
        len(resultaat["vervallen"]),
        len(gestart),
    )
    return {**resultaat, "peildatum": peildatum.isoformat(), "gestart": len(gestart)}
