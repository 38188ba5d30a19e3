"""The Prefect task wrappers: each side effect of the flows as one small, retryable unit
over a plain function of tasks/ (its key derived from the case), so the flows only
orchestrate. Task names are what the dashboard shows per run.

Every wrapper's module is imported here, at the top: a flow run is forked from a process
that imported them all once (deployments/forkstart.py), so no step pays for them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from models.aanvraag import Aanvraag
from tasks import dialoog as dialoog_ops
from tasks import dialoog_planning, eenvoudig, runs, snapshots, werkvoorraad_publiceren
from tasks import intake as intake_ops
from tasks import sweep as sweep_ops
from tasks import zaak as zaak_ops
from tasks.notify import deliver_pending
from tasks.soorten import reconcile_runs
from tasks.werkvoorraad import lees

if TYPE_CHECKING:
    from models.werkvoorraad import Rij

# A database step is retried: it is idempotent by the case's key and row lock.
DB_RETRIES = {"retries": 3, "retry_delay_seconds": [1, 5, 20], "cache_policy": NO_CACHE}
RETRIES = {"retries": 2, "retry_delay_seconds": 5, "cache_policy": NO_CACHE}


# --- every case ---------------------------------------------------------------------------


@task(name="bezorg-notificaties", **RETRIES)
def bezorg_task(key: str) -> dict:
    return deliver_pending(zaak=key)


# --- the zaak's lifecycle ---------------------------------------------------------------------


@task(name="registreer-zaak", **DB_RETRIES)
def registreer_task(aanvraag: Aanvraag, ingediend_op: dt.date, flow_run_id: str) -> str:
    key, _ = zaak_ops.registreer(aanvraag, ingediend_op, flow_run_id=flow_run_id)
    return key


@task(name="toets", **DB_RETRIES)
def toets_task(zaak: str, peildatum: dt.date) -> bool:
    return zaak_ops.voer_actie_uit(zaak, peildatum)


@task(name="verwerk-invoer", **DB_RETRIES)
def zaak_invoer_task(zaak: str, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
    return zaak_ops.verwerk_invoer(zaak, wacht_key, invoer, peildatum)


@task(name="start-vervolgzaak", **DB_RETRIES)
def vervolg_task() -> list[str]:
    return runs.start_missing_runs()


# --- the yearly dialoog ------------------------------------------------------------------------


@task(name="uitnodigen", **DB_RETRIES)
def uitnodigen_task(agb: str, jaar: int, peildatum: dt.date) -> bool:
    return dialoog_ops.uitnodigen(agb, jaar, peildatum)


@task(name="verwerk-dialoog-invoer", **DB_RETRIES)
def dialoog_invoer_task(
    agb: str, jaar: int, wacht_key: str, invoer: dict, peildatum: dt.date
) -> str:
    return dialoog_ops.verwerk_invoer(agb, jaar, wacht_key, invoer, peildatum)


@task(name="plan-jaar", **DB_RETRIES)
def plan_jaar_task(jaar: int, peildatum: dt.date) -> dict:
    return dialoog_planning.plan_jaar(jaar, peildatum)


@task(name="start-dialoog-run", **RETRIES)
def start_dialoog_task(agb: str, jaar: int, peildatum: dt.date) -> str:
    return dialoog_ops.start_run(agb, jaar, peildatum)


# --- every simple kind (flows/geval.py) ------------------------------------------------------


@task(name="actie", **DB_RETRIES)
def geval_actie_task(soort: str, key: str, peildatum: dt.date) -> bool:
    return eenvoudig.actie(soort, key, peildatum)


@task(name="verwerk-geval-invoer", **DB_RETRIES)
def geval_invoer_task(
    soort: str, key: str, wacht_key: str, invoer: dict, peildatum: dt.date
) -> str:
    return eenvoudig.verwerk_invoer(soort, key, wacht_key, invoer, peildatum)


# --- the deadline sweep ---------------------------------------------------------------------


@task(name="vuur-termijnen", **RETRIES)
def vuur_chunk_task(soort: str, ids: list[int], peildatum: dt.date) -> list[tuple[str, bool]]:
    return sweep_ops.vuur_chunk(soort, ids, peildatum)


@task(name="plan-dag", **RETRIES)
def plan_dag_task(peildatum: dt.date) -> dict[str, list[str]]:
    return sweep_ops.plan_dag(peildatum)


@task(name="herstel-runs", **RETRIES)
def herstel_runs_task() -> dict:
    return reconcile_runs()


@task(name="werk-tags-bij", **RETRIES)
def sync_tags_task(zaken: list[str], peildatum: dt.date) -> int:
    return runs.sync_tags(zaken, peildatum)


@task(name="bezorg-outbox", **RETRIES)
def outbox_task() -> dict:
    return deliver_pending()


# --- intake, werkvoorraad, backfill -----------------------------------------------------------


@task(name="verwerk-intake-item", **RETRIES)
def intake_item_task(item) -> dict:
    return intake_ops.verwerk_item(item)


@task(name="lees-werkvoorraad", **RETRIES)
def lees_werkvoorraad_task(peildatum: dt.date) -> list[Rij]:
    return lees(peildatum)


@task(name="systeemstatus", cache_policy=NO_CACHE)
def systeemstatus_task() -> str:
    return werkvoorraad_publiceren.systeemstatus()


@task(name="publiceer-werkvoorraad", cache_policy=NO_CACHE)
def publiceer_werkvoorraad_task(rows: list[Rij], peildatum: dt.date, kop: str = "") -> dict:
    return werkvoorraad_publiceren.publiceer(rows, peildatum, kop)


@task(name="signaal-tags", **RETRIES)
def signaal_tags_task(rows: list[Rij]) -> int:
    return werkvoorraad_publiceren.zet_signaal_tags(rows)


@task(name="backfill-chunk", retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE)
def backfill_chunk_task(
    key: str, chunk: int, grootte: int, data: list[dt.date], scope: str
) -> dict:
    return snapshots.verwerk_chunk(key, chunk, grootte, data, scope)
