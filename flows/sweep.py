"""The deadline sweep: fires every due timer row once, sends reminders, resumes the runs
whose zaak moved on, and retries the outbox. Safe to run twice for the same day."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.dialoog import dialoog_termijnen_task
from models.dates import vandaag
from tasks import runs
from tasks import zaak as zaak_ops
from tasks.faults import crash_point
from tasks.notify import deliver_pending

CHUNK = 500


@task(name="vuur-deadlines", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def vuur_chunk(ids: list[int], peildatum: dt.date) -> list[tuple[str, bool]]:
    return [r for i in ids if (r := zaak_ops.vuur_deadline(i, peildatum)) is not None]


@task(name="hervat-wachtende-runs", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def reconcile_task() -> list[str]:
    # Runs that crashed (or died with their machine) first, so they wait where they should.
    return runs.start_missing_runs() + runs.recover_crashed_runs() + runs.reconcile_waiting_runs()


@task(name="werk-tags-bij", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def tags_task(zaken: list[str], peildatum: dt.date) -> int:
    return runs.sync_tags(zaken, peildatum)


@task(name="bezorg-outbox", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def outbox_task() -> dict:
    return deliver_pending()


@flow(name="meerzorg-deadline-sweep", log_prints=False)
def deadline_sweep(peildatum: dt.date | None = None) -> dict:
    """Fire the deadlines due on the peildatum (default today, Europe/Amsterdam)."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    ids = zaak_ops.due_deadlines(peildatum)
    fired: list[tuple[str, bool]] = []
    for start in range(0, len(ids), CHUNK):
        fired += vuur_chunk(ids[start : start + CHUNK], peildatum)
    crash_point("na-vuren")  # fired and committed; the runs are not resumed yet
    resumed = reconcile_task()
    resumed += dialoog_termijnen_task(peildatum)
    tags_task(sorted({z for z, hervat in fired if not hervat}), peildatum)
    bezorgd = outbox_task()
    summary = {
        "peildatum": peildatum.isoformat(),
        "gevuurd": len(fired),
        "zaken": sorted({z for z, _ in fired}),
        "hervat": sorted(resumed),
        "notificaties": bezorgd,
    }
    log.info("sweep %s: %s deadlines gevuurd, %s runs hervat", peildatum, len(fired), len(resumed))
    return summary
