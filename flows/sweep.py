"""The deadline sweep, for every case kind of the registry (tasks/soorten.py): plans the
day's new cases (the dialogen of providers that came in after the yearly planning) with their
first action, then fires every due timer row once, makes every open case's run live and
waiting on its current key (tasks/reconcile.py), keeps tags current and retries the outbox.
Planning before firing completes the day: running it twice for one day changes nothing. Its
summary is kept in the audit trail (`meerzorg status` reads it)."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger

from models.dates import vandaag
from tasks import runs
from tasks import sweep as sweep_ops
from tasks import zaak as zaak_ops
from tasks.crashpunt import crash_point
from tasks.taken import (
    herstel_runs_task,
    outbox_task,
    plan_dag_task,
    sync_tags_task,
    vuur_chunk_task,
)


@flow(name="meerzorg-deadline-sweep", log_prints=False)
def deadline_sweep(peildatum: dt.date | None = None) -> dict:
    """Fire the deadlines due on the peildatum (default today, Europe/Amsterdam)."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    gepland = plan_dag_task(peildatum)
    fired = sweep_ops.vuur_termijnen(peildatum, vuur_chunk_task)
    crash_point("na-vuren")  # fired and committed; the runs are not resumed yet
    acties = herstel_runs_task()
    hersteld = runs.hersteld(acties)
    zaken = sorted({z for z, _ in fired.get("zaak", [])})
    sync_tags_task(sorted(set(zaken) - set(hersteld)), peildatum)
    bezorgd = outbox_task()
    summary = {
        "peildatum": peildatum.isoformat(),
        "gevuurd": sum(len(lijst) for lijst in fired.values()),
        "zaken": zaken,
        "hervat": hersteld,
        "runs_hersteld": {soort: len(lijst) for soort, lijst in acties.items()},
        "dialogen_gepland": gepland.get("dialoog", []),
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
