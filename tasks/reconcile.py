"""Prefect's runs follow the case database (DESIGN.md: the database is the system of record).

Every open case (a zaak, a meerzorgdialoog) must have exactly one live run, suspended on the
case's current wait key, and a closed case no live run. `beslis` compares what the database
says with what Prefect holds and returns the actions that restore it; it is pure, so the
rule is tested without a server. `reconcile_runs` reads both sides (paging through every run,
no limit), carries the actions out, and is what the sweep and `meerzorg herstel-runs` call;
`reconcile_runs(uitvoeren=False)` only reports, for `meerzorg status`.

Why restart the same run in some cases and start a new one in others: a run that crashed
between receiving a form and committing it holds that answer, and re-executing the same run
replays it (suspend_flow_run returns a stored answer for a key it already used). A run that
was suspended on the current key without an answer (cancelled while waiting) cannot wait on
that key again (Prefect refuses a pause key twice), so it gets a successor run instead."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

log = logging.getLogger("meerzorg.reconcile")

STALE_AFTER = dt.timedelta(minutes=30)  # a lifecycle step takes seconds
PAGE = 200  # Prefect's largest page
LIVE = ("PAUSED", "SCHEDULED", "PENDING", "RUNNING", "CANCELLING")
TERMINAL = ("COMPLETED", "CANCELLED", "FAILED", "CRASHED")


@dataclass(frozen=True, slots=True)
class GevalRij:
    """A case as the database has it."""

    key: str
    flow_run_id: str | None
    wacht_key: str | None
    open: bool = True


@dataclass(frozen=True, slots=True)
class RunStand:
    """A flow run as Prefect has it."""

    id: str
    name: str
    state: str  # StateType value
    pause_key: str | None = None
    pause_keys: frozenset[str] = frozenset()
    sinds: dt.datetime | None = None  # when it entered its state


@dataclass(frozen=True, slots=True)
class Actie:
    soort: str  # start | herstart | hervat | annuleer
    key: str
    run_id: str | None
    reden: str


def beslis(
    gevallen: Iterable[GevalRij],
    runs: dict[str, RunStand],
    live: Iterable[RunStand],
    beantwoord: set[str],
    nu: dt.datetime,
    stale_after: dt.timedelta = STALE_AFTER,
) -> list[Actie]:
    """The actions that make Prefect follow the database.

    gevallen: the open cases, and the closed ones that still have a live run;
    runs: every run a case is bound to that Prefect still has, by id;
    live: every live run of the case kind's flow (to find duplicates);
    beantwoord: ids of runs that hold an answer for their case's current wait key."""
    acties: list[Actie] = []
    bound = {}
    for g in gevallen:
        run = runs.get(g.flow_run_id) if g.flow_run_id else None
        if g.flow_run_id:
            bound[g.key] = g.flow_run_id
        if not g.open:
            if run and run.state == "PAUSED":
                acties.append(Actie("hervat", g.key, run.id, "zaak is gesloten; run sluit af"))
            continue
        if g.flow_run_id is None:
            acties.append(Actie("start", g.key, None, "geen run"))
        elif run is None:
            acties.append(Actie("start", g.key, g.flow_run_id, "run ontbreekt in Prefect"))
        elif run.state == "PAUSED":
            if run.pause_key != g.wacht_key:
                reden = f"wacht op {run.pause_key}, zaak op {g.wacht_key or 'een actie'}"
                acties.append(Actie("hervat", g.key, run.id, reden))
        elif run.state in ("RUNNING", "PENDING"):
            if run.sinds is None or nu - run.sinds >= stale_after:
                reden = f"{run.state} zonder teken van leven sinds {_tijd(run.sinds)}"
                acties.append(Actie("herstart", g.key, run.id, reden))
        elif run.state in TERMINAL:
            reden = f"run is {run.state} terwijl de zaak open is"
            opnieuw = g.wacht_key not in run.pause_keys or run.id in beantwoord
            acties.append(Actie("herstart" if opnieuw else "start", g.key, run.id, reden))
        # SCHEDULED (about to start) and CANCELLING (on its way to CANCELLED): wait and see.
    for run in live:
        if run.name in bound and bound[run.name] != run.id and run.state != "CANCELLING":
            reden = f"tweede run; de zaak hoort bij run {bound[run.name]}"
            acties.append(Actie("annuleer", run.name, run.id, reden))
    return acties


def _tijd(t: dt.datetime | None) -> str:
    return t.isoformat(timespec="seconds") if t else "onbekend"


# --- the two sides --------------------------------------------------------------------------


@dataclass(frozen=True)
class GevalRuns:
    """One case kind: where its cases are and how its run starts."""

    naam: str
    flow: str
    gevallen: Callable[[], list[GevalRij]]  # the open cases
    per_key: Callable[[list[str]], dict[str, GevalRij]]  # any cases, by key
    start: Callable[[str, str | None], str]  # (key, idempotency suffix) -> new run id


def _stand(run) -> RunStand:
    state = run.state
    return RunStand(
        id=str(run.id),
        name=run.name,
        state=state.type.value if state else "SCHEDULED",
        pause_key=state.state_details.pause_key if state else None,
        pause_keys=frozenset(run.empirical_policy.pause_keys or ()),
        sinds=state.timestamp if state else None,
    )


def live_runs(client, flow: str) -> list[RunStand]:
    """Every live run of the flow, page by page (no limit)."""
    # lazy: Prefect (~1.5 s CPU); the gateway and `meerzorg dialoog` import this module
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    out: list[RunStand] = []
    offset = 0
    while True:
        page = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType(s) for s in LIVE])
                )
            ),
            sort=FlowRunSort.ID_DESC,
            limit=PAGE,
            offset=offset,
        )
        out += [_stand(r) for r in page]
        if len(page) < PAGE:
            return out
        offset += PAGE


def runs_by_id(client, ids: list[str]) -> dict[str, RunStand]:
    """The runs Prefect still has among `ids` (a missing id is a deleted or lost run)."""
    # lazy: Prefect, see live_runs
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    out: dict[str, RunStand] = {}
    for start in range(0, len(ids), PAGE):
        chunk = [UUID(i) for i in ids[start : start + PAGE]]
        page = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=chunk)), limit=PAGE
        )
        out.update({str(r.id): _stand(r) for r in page})
    return out


def niet_gevonden(exc: Exception) -> bool:
    """Whether Prefect answered that the object does not exist: the client raises
    ObjectNotFound for some reads and a status error with 404 for others (run inputs)."""
    # lazy: Prefect, see live_runs
    from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError

    if isinstance(exc, ObjectNotFound):
        return True
    return isinstance(exc, PrefectHTTPStatusError) and exc.response.status_code == 404


def heeft_antwoord(client, run_id: str, wacht_key: str) -> bool:
    try:
        client.read_flow_run_input(UUID(run_id), f"suspended-{wacht_key}-response")
        return True
    except Exception as exc:
        if niet_gevonden(exc):
            return False
        raise


def lees(client, soort: GevalRuns) -> tuple[list[GevalRij], dict[str, RunStand], list[RunStand]]:
    open_ = soort.gevallen()
    live = live_runs(client, soort.flow)
    open_keys = {g.key for g in open_}
    # Closed cases that still have a live run named after them.
    gesloten = soort.per_key(sorted({r.name for r in live} - open_keys))
    gevallen = open_ + [g for g in gesloten.values() if not g.open]
    bekend = {r.id: r for r in live}
    ontbrekend = sorted({g.flow_run_id for g in gevallen if g.flow_run_id} - set(bekend))
    runs = {**bekend, **runs_by_id(client, ontbrekend)}
    return gevallen, runs, live


def reconcile(
    client,
    soort: GevalRuns,
    hervat: Callable[[str], bool],
    uitvoeren: bool = True,
    stale_after: dt.timedelta = STALE_AFTER,
) -> list[Actie]:
    """Read both sides, decide, and (with `uitvoeren`) act; `hervat` resumes a waiting run
    (tasks/runs.py: resume, which also handles two resumes at the same moment)."""
    gevallen, runs, live = lees(client, soort)
    beantwoord = {
        run.id
        for g in gevallen
        if g.open
        and (run := runs.get(g.flow_run_id or ""))
        and run.state in TERMINAL
        and g.wacht_key in run.pause_keys
        and heeft_antwoord(client, run.id, g.wacht_key)
    }
    acties = beslis(gevallen, runs, live, beantwoord, dt.datetime.now(dt.UTC), stale_after)
    if uitvoeren:
        for actie in acties:
            voer_uit(client, soort, actie, hervat)
    return acties


def voer_uit(client, soort: GevalRuns, actie: Actie, hervat: Callable[[str], bool]) -> None:
    # lazy: Prefect, see live_runs
    from prefect.states import Cancelled, Scheduled

    log.warning("%s %s: %s (%s)", soort.naam, actie.key, actie.soort, actie.reden)
    if actie.soort == "hervat":
        hervat(actie.run_id)
    elif actie.soort == "annuleer":
        client.set_flow_run_state(
            UUID(actie.run_id), Cancelled(message=f"meerzorg: {actie.reden}"), force=True
        )
    elif actie.soort == "herstart":
        client.set_flow_run_state(
            UUID(actie.run_id),
            Scheduled(name="Herstart", message=f"meerzorg: {actie.reden}"),
            force=True,
        )
    elif actie.soort == "start":
        # The successor's idempotency key names the run it replaces: two reconciles at the
        # same moment create one run.
        soort.start(actie.key, f"na-{actie.run_id}" if actie.run_id else None)
    else:  # pragma: no cover - beslis returns only the four above
        raise ValueError(actie.soort)
