"""The deadline sweep: fires every due timer row once (zaken and dialogen), plans the
dialogen of providers that came in after the yearly planning, makes every open case's run
live and waiting on its current key (tasks/reconcile.py), keeps tags current and retries
the outbox. Safe to run twice for the same day; its summary is kept in the audit trail
(`meerzorg status` reads it)."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from models.dates import vandaag
from tasks import dialoog_planning, runs
from tasks import sweep as sweep_ops
from tasks import zaak as zaak_ops
from tasks.crashpunt import crash_point
from tasks.notify import deliver_pending

RETRIES = {"retries": 2, "retry_delay_seconds": 5, "cache_policy": NO_CACHE}


@task(name="vuur-deadlines", **RETRIES)
def vuur_chunk(ids: list[int], peildatum: dt.date) -> list[tuple[str, bool]]:
    return sweep_ops.vuur_chunk(ids, peildatum)


@task(name="vuur-dialoog-termijnen", **RETRIES)
def dialoog_termijnen_task(peildatum: dt.date) -> int:
    return sweep_ops.vuur_dialogen(peildatum)


@task(name="plan-nieuwe-dialogen", **RETRIES)
def dialogen_task(peildatum: dt.date) -> list[str]:
    return dialoog_planning.plan_nieuwkomers(peildatum)


@task(name="herstel-runs", **RETRIES)
def reconcile_task() -> dict:
    return runs.herstel_runs()


@task(name="werk-tags-bij", **RETRIES)
def tags_task(zaken: list[str], peildatum: dt.date) -> int:
    return runs.sync_tags(zaken, peildatum)


@task(name="bezorg-outbox", **RETRIES)
def outbox_task() -> dict:
    return deliver_pending()


@flow(name="meerzorg-deadline-sweep", log_prints=False)
def deadline_sweep(peildatum: dt.date | None = None) -> dict:
    """Fire the deadlines due on the peildatum (default today, Europe/Amsterdam)."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    fired, dialoog_gevuurd = sweep_ops.vuur_termijnen(peildatum, vuur_chunk, dialoog_termijnen_task)
    crash_point("na-vuren")  # fired and committed; the runs are not resumed yet
    nieuwe_dialogen = dialogen_task(peildatum)
    acties = reconcile_task()
    hersteld = runs.hersteld(acties)
    tags_task(sorted({z for z, _ in fired} - set(hersteld)), peildatum)
    bezorgd = outbox_task()
    summary = {
        "peildatum": peildatum.isoformat(),
        "gevuurd": len(fired) + dialoog_gevuurd,
        "zaken": sorted({z for z, _ in fired}),
        "hervat": hersteld,
        "runs_hersteld": {soort: len(lijst) for soort, lijst in acties.items()},
        "dialogen_gepland": nieuwe_dialogen,
        "notificaties": bezorgd,
    }
    zaak_ops.sweep_voltooid(summary)
    log.info(
        "sweep %s: %s termijnen gevuurd, %s runs hersteld of hervat",
        peildatum,
        summary["gevuurd"],
        len(hersteld),
    )
    return summary
