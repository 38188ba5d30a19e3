"""Prefect-side side effects: start a zaak's lifecycle run, resume a waiting run, keep a
run's tags current. Idempotent by the zaak key."""

from __future__ import annotations

import datetime as dt
import logging
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.deployments import run_deployment
from sqlmodel import select

from models.proces import GESLOTEN
from models.store import session_scope
from models.tables import Zaak
from tasks import zaak as zaak_ops

log = logging.getLogger("meerzorg.runs")
LIFECYCLE_DEPLOYMENT = "meerzorg-lifecycle/lifecycle"


def run_tags(zaak: Zaak, cce: str | None = None) -> list[str]:
    """The run's tags: codes only, never a BSN or a name."""
    tags = [
        "meerzorg",
        f"agb:{zaak.agb}",
        f"leveringsvorm:{zaak.leveringsvorm}",
        f"wacht-op:{zaak.wacht_op or 'afgesloten'}",
        f"status:{zaak.status}",
    ]
    if cce:
        tags.append(f"cce:{cce}")
    return tags


MANAGED_TAGS = ("wacht-op:", "status:", "agb:", "leveringsvorm:", "cce:")


def sync_run(flow_run_id: str, zaak: str, tags: list[str], scrub_parameters: bool = False) -> None:
    """Keep the run's name and tags current (tags are replaced as a whole, so merge)."""
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(flow_run_id))
        keep = [t for t in run.tags if not t.startswith(MANAGED_TAGS)]
        wanted = sorted(set(keep) | set(tags))
        params = {"zaak": zaak} if scrub_parameters else None
        if run.name != zaak or sorted(run.tags) != wanted or params:
            client.update_flow_run(UUID(flow_run_id), name=zaak, tags=wanted, parameters=params)


def sync_tags(zaken: list[str], peildatum) -> int:
    """Refresh the tags of runs whose zaak changed without being resumed (a reminder, a
    mutation, a CCE risk), so the dashboard's filters stay true."""
    from tasks.opvolging import cce_tag

    n = 0
    with session_scope() as session:
        rows = session.exec(
            select(Zaak).where(Zaak.key.in_(zaken), Zaak.flow_run_id.is_not(None))
        ).all()
        wanted = [(z.flow_run_id, z.key, run_tags(z, cce_tag(session, z, peildatum))) for z in rows]
    for run_id, key, tags in wanted:
        sync_run(run_id, key, tags)
        n += 1
    return n


def start_lifecycle(zaak: str, agb: str, leveringsvorm: str) -> str:
    """Create the zaak's lifecycle run (once: the zaak key is the idempotency key)."""
    run = run_deployment(
        LIFECYCLE_DEPLOYMENT,
        parameters={"zaak": zaak},
        flow_run_name=zaak,
        tags=["meerzorg", f"agb:{agb}", f"leveringsvorm:{leveringsvorm}", "wacht-op:toets"],
        idempotency_key=f"{zaak}-lifecycle",
        timeout=0,
        as_subflow=False,
        # Prefect picks the async variant when an event loop runs in this thread (a browser
        # test's, a notebook's): this call must stay synchronous everywhere.
        _sync=True,
    )
    zaak_ops.koppel_flow_run(zaak, str(run.id))
    return str(run.id)


def start_missing_runs() -> list[str]:
    """Zaken registered but without a run (a crash between registering and starting)."""
    with session_scope() as session:
        rows = session.exec(
            select(Zaak.key, Zaak.agb, Zaak.leveringsvorm).where(
                Zaak.flow_run_id.is_(None), Zaak.status.notin_(tuple(GESLOTEN))
            )
        ).all()
    return [start_lifecycle(key, agb, lv) and key for key, agb, lv in rows]


def paused_runs() -> dict[str, tuple[str, str | None]]:
    """flow_run_id -> (run name, pause key) of every suspended meerzorg run."""
    out: dict[str, tuple[str, str | None]] = {}
    offset = 0
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])),
                    tags=FlowRunFilterTags(all_=["meerzorg"]),
                ),
                sort=FlowRunSort.ID_DESC,
                limit=200,
                offset=offset,
            )
            for run in runs:
                key = run.state.state_details.pause_key if run.state else None
                out[str(run.id)] = (run.name, key)
            if len(runs) < 200:
                return out
            offset += 200


def pause_key(flow_run_id: str) -> str | None:
    """The key a suspended run waits on (None when it is not suspended)."""
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(flow_run_id))
    if run.state is None or not run.state.is_paused():
        return None
    return run.state.state_details.pause_key


def resume(flow_run_id: str, run_input: dict | None = None) -> bool:
    """Resume a suspended run; False when it was not waiting (already resumed, or running)."""
    from prefect.exceptions import PrefectHTTPStatusError

    with get_client(sync_client=True) as client:
        try:
            result = client.resume_flow_run(
                UUID(flow_run_id), run_input=run_input if run_input is not None else {}
            )
        except PrefectHTTPStatusError as exc:
            # Two resumes of one run at the same moment on a PostgreSQL-backed server: the
            # loser's insert of the run's one answer violates its unique key, the server
            # rolls its whole request back and answers 409 (or 500). Someone else resumed it.
            run = client.read_flow_run(UUID(flow_run_id))
            if exc.response.status_code not in (409, 500) or (
                run.state is None or run.state.is_paused()
            ):
                raise
            log.info("resume %s: resumed by someone else at the same moment", flow_run_id)
            return False
    ok = result.status.value == "ACCEPT"
    if not ok:
        log.info("resume %s: %s", flow_run_id, getattr(result.details, "reason", result.status))
    return ok


def reconcile_waiting_runs() -> list[str]:
    """Resume every suspended run whose zaak has moved on (a timer fired, or another process
    applied the input): the run re-executes, reads the database and waits where it should."""
    waiting = paused_runs()
    if not waiting:
        return []
    with session_scope() as session:
        zaken = {
            z.flow_run_id: (z.key, z.wacht_key)
            for z in session.exec(select(Zaak).where(Zaak.flow_run_id.in_(list(waiting))))
        }
    resumed = []
    for run_id, (_, pause_key) in waiting.items():
        if run_id in zaken and zaken[run_id][1] != pause_key and resume(run_id):
            resumed.append(zaken[run_id][0])
    return resumed


def vergeet_invoer(flow_run_id: str, wacht_key: str) -> None:
    """Delete an answered form from Prefect once the database holds its effect: a corrected
    aanvraag carries BSNs, an onderbouwing free text; Prefect keeps the zaak key only."""
    from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError

    with get_client(sync_client=True) as client:
        try:
            client.delete_flow_run_input(UUID(flow_run_id), f"suspended-{wacht_key}-response")
        except ObjectNotFound:
            pass
        except PrefectHTTPStatusError as exc:  # nothing stored (resumed without input)
            if exc.response.status_code != 404:
                raise


# --- recovery after a crash -------------------------------------------------------------

STALE_AFTER = dt.timedelta(minutes=30)


def recover_crashed_runs(stale_after: dt.timedelta = STALE_AFTER) -> list[str]:
    """Start again every lifecycle run that died mid-step: Crashed (its process was killed
    and the runner or worker said so), Failed (an error outlived the task retries), or still
    Running/Pending `stale_after` after its last state change (the machine died together
    with its worker, so nobody reported anything; a lifecycle step takes seconds).

    The run is set to Scheduled with force=True and re-executes from the top on any runner
    or worker. That is safe because the database is the truth: it reads the zaak, a wait
    that was answered before the crash gets its stored input back from suspend_flow_run
    (force keeps the run's pause keys; a plain retry from a terminal state would reset them
    and make the run ask again), and every transition checks the zaak's wait under a row
    lock, so nothing is applied twice. Returns the zaak keys (run names) started again."""
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.states import Scheduled

    now = dt.datetime.now(dt.UTC)
    recovered: list[str] = []
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["meerzorg-lifecycle"])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(
                        any_=[
                            StateType.CRASHED,
                            StateType.FAILED,
                            StateType.RUNNING,
                            StateType.PENDING,
                        ]
                    )
                )
            ),
            sort=FlowRunSort.ID_DESC,
            limit=200,
        )
        for run in runs:
            state = run.state
            if state.type in (StateType.RUNNING, StateType.PENDING) and (
                state.timestamp is None or now - state.timestamp < stale_after
            ):
                continue
            result = client.set_flow_run_state(
                run.id,
                Scheduled(name="Herstart", message=f"restarted after {state.type.value}"),
                force=True,
            )
            if result.status.value == "ACCEPT":
                log.warning("run %s (%s) was %s: restarted", run.id, run.name, state.type.value)
                recovered.append(run.name)
    return recovered
