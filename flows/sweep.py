"""The deadline sweep: fires every due timer row once (zaken and dialogen), plans the
dialogen of providers that came in after the yearly planning, makes every open case's run
live and waiting on its current key (tasks/reconcile.py), keeps tags current and retries
the outbox. Safe to run twice for the same day; its summary is kept in the audit trail
(`meerzorg status` reads it)."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger

from models.dates import vandaag
from tasks import runs
from tasks import sweep as sweep_ops
from tasks import zaak as zaak_ops
from tasks.crashpunt import crash_point
from tasks.taken import (
    dialoog_termijnen_task,
    herstel_runs_task,
    nieuwe_dialogen_task,
    outbox_task,
    sync_tags_task,
    vuur_chunk_task,
)


@flow(name="meerzorg-deadline-sweep", log_prints=False)
def deadline_sweep(peildatum: dt.date | None = None) -> dict:
    """Fire the deadlines due on the peildatum (default today, Europe/Amsterdam)."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    fired, dialoog_gevuurd = sweep_ops.vuur_termijnen(
        peildatum, vuur_chunk_task, dialoog_termijnen_task
    )
    crash_point("na-vuren")  # fired and committed; the runs are not resumed yet
    nieuwe_dialogen = nieuwe_dialogen_task(peildatum)
    acties = herstel_runs_task()
    hersteld = runs.hersteld(acties)
    sync_tags_task(sorted({z for z, _ in fired} - set(hersteld)), peildatum)
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
