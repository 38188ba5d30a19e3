"""Prefect-side side effects: start a zaak's lifecycle run, resume a waiting run, keep a
run's tags current. Idempotent by the zaak key."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
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
from prefect.exceptions import PrefectHTTPStatusError

from models.db.runs_lezen import (
    open_zaak_runs,
    open_zaken_zonder_run,
    zaak_runs_per_key,
    zaken_met_run,
)
from models.db.store import session_scope
from models.db.tables import Zaak
from models.overgang import GESLOTEN
from tasks.opvolging import cce_tag
from tasks.reconcile import GevalRij, GevalRuns, niet_gevonden
from tasks.start import start_case_run
from tasks.zaak import koppel_flow_run, run_tags

log = logging.getLogger("meerzorg.runs")
LIFECYCLE_DEPLOYMENT = "meerzorg-lifecycle/lifecycle"


MANAGED_TAGS = ("wacht-op:", "status:", "agb:", "leveringsvorm:", "cce:")


def sync_run(
    flow_run_id: str,
    zaak: str,
    tags: list[str],
    scrub_parameters: bool = False,
    huidig: tuple[str, list[str]] | None = None,
) -> tuple[str, list[str]]:
    """Keep the run's name and tags current (tags are replaced as a whole, so merge). Returns
    the run's name and tags as they are now. `huidig`: the name and tags as the caller knows
    them (the flow's own run: as the engine read it, then as written here); the run is then
    read only when something is to be written, just before the write, so tags another
    process added (a werkvoorraad signal) are kept."""

    def plan(naam: str, oud: list[str]) -> tuple[list[str], bool]:
        keep = [t for t in oud if not t.startswith(MANAGED_TAGS)]
        wanted = sorted(set(keep) | set(tags))
        return wanted, naam != zaak or sorted(oud) != wanted or scrub_parameters

    if huidig is not None and not plan(*huidig)[1]:
        return huidig
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(flow_run_id))
        wanted, changed = plan(run.name, list(run.tags))
        if not changed:
            return run.name, list(run.tags)
        params = {"zaak": zaak} if scrub_parameters else None
        client.update_flow_run(UUID(flow_run_id), name=zaak, tags=wanted, parameters=params)
    return zaak, wanted


def sync_tags(zaken: list[str], peildatum) -> int:
    """Refresh the tags of runs whose zaak changed without being resumed (a reminder, a
    mutation, a CCE risk), so the dashboard's filters stay true."""
    n = 0
    with session_scope() as session:
        rows = zaken_met_run(session=session, keys=zaken)
        wanted = [(z.flow_run_id, z.key, run_tags(z, cce_tag(session, z, peildatum))) for z in rows]
    for run_id, key, tags in wanted:
        sync_run(run_id, key, tags)
        n += 1
    return n


def start_lifecycle(
    zaak: str, agb: str | None, leveringsvorm: str, opvolger: str | None = None
) -> str:
    """Create the zaak's lifecycle run (once: the zaak key is the idempotency key; a run that
    replaces a lost or cancelled one adds `opvolger`, naming the run it replaces)."""
    run_id = start_case_run(
        LIFECYCLE_DEPLOYMENT,
        zaak,
        {"zaak": zaak},
        # No agb tag for a budgethouder's zaak without provider (issue 25).
        ["meerzorg", *([f"agb:{agb}"] if agb else []), f"leveringsvorm:{leveringsvorm}"]
        + ["wacht-op:toets"],
        f"{zaak}-lifecycle",
        opvolger,
    )
    koppel_flow_run(zaak, run_id)
    return run_id


def start_missing_runs() -> list[str]:
    """Zaken registered but without a run (a crash between registering and starting)."""
    with session_scope() as session:
        rows = open_zaken_zonder_run(session=session)
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


def formulier_opgeslagen(flow_run_id: str, wacht_key: str) -> bool:
    """Whether the form of this wait is saved. Prefect suspends a run first and saves its form
    (schema, then description) just after, so for a moment a run is paused on its key with
    no form: a resume then is refused ("Run input schema not found") and the dashboard
    shows no form. The description is saved last."""
    with get_client(sync_client=True) as client:
        try:
            client.read_flow_run_input(UUID(flow_run_id), f"suspended-{wacht_key}-description")
        except Exception as exc:
            if not niet_gevonden(exc):
                raise
            return False
    return True


def resume(flow_run_id: str, run_input: dict | None = None) -> bool:
    """Resume a suspended run; False when it was not waiting (already resumed, or running)."""
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


@dataclass(frozen=True, slots=True)
class Gewacht:
    """A wait the run already suspended on, as Prefect holds it."""

    beantwoord: bool  # an answer is stored (not: resumed without input)
    antwoord: dict | None  # the answer as stored (JSON, as Prefect's replay reads it)
    kaart: str | None  # the description its form was saved with (None: not saved)


GEWACHT_LIMIT = 10  # a wait has three inputs: schema (not read), description, answer


def lees_gewacht(flow_run_id: str, wacht_key: str) -> Gewacht | None:
    """The stored answer and the form's description of a wait the run already suspended on,
    in one call: Prefect's replay of such a wait costs two (a suspension the server refuses,
    then a read of the answer), and the description is the card the wait published. None
    when the inputs under the key's prefix are too many to be sure of (the server matches
    the prefix with LIKE, so a `_` in a key matches any character): then Prefect's own way."""
    base = f"suspended-{wacht_key}"  # Prefect's keys: the state's name and the pause key
    antwoord, beschrijving = f"{base}-response", f"{base}-description"
    with get_client(sync_client=True) as client:
        gevonden = client.filter_flow_run_input(
            UUID(flow_run_id),
            key_prefix=f"{base}-",
            limit=GEWACHT_LIMIT,
            exclude_keys={f"{base}-schema"},
        )
    waarden = {i.key: json.loads(i.value) for i in gevonden if i.key in (antwoord, beschrijving)}
    if len(gevonden) >= GEWACHT_LIMIT and len(waarden) < 2:
        return None
    kaart = waarden.get(beschrijving)
    return Gewacht(
        antwoord in waarden, waarden.get(antwoord), kaart if isinstance(kaart, str) else None
    )


def vergeet_invoer(flow_run_id: str, wacht_key: str) -> None:
    """Delete an answered form from Prefect once the database holds its effect: a corrected
    aanvraag carries BSNs, an onderbouwing free text; Prefect keeps the zaak key only."""
    with get_client(sync_client=True) as client:
        try:
            client.delete_flow_run_input(UUID(flow_run_id), f"suspended-{wacht_key}-response")
        except Exception as exc:  # not found: nothing stored (resumed without input)
            if not niet_gevonden(exc):
                raise


# --- runs follow the database ------------------------------------------------------------


def zaak_reconcile_soort():
    """The zaak as a case kind for tasks/reconcile.py: open zaken and their runs."""

    def gevallen() -> list[GevalRij]:
        with session_scope() as session:
            rows = open_zaak_runs(session=session)
        return [GevalRij(k, r, w) for k, r, w in rows]

    def per_key(keys: list[str]) -> dict[str, GevalRij]:
        out = {}
        with session_scope() as session:
            for z in zaak_runs_per_key(session=session, keys=keys):
                out[z[0]] = GevalRij(z[0], z[1], z[2], open=z[3] not in GESLOTEN)
        return out

    def start(key: str, opvolger: str | None) -> str:
        with session_scope() as session:
            z = session.get(Zaak, key)
            agb, lv = z.agb, z.leveringsvorm
        return start_lifecycle(key, agb, lv, opvolger=opvolger)

    return GevalRuns("zaak", "meerzorg-lifecycle", gevallen, per_key, start)


def hersteld(acties: dict) -> list[str]:
    """The case keys tasks/soorten.reconcile_runs acted on (started, restarted, resumed), for the sweep."""
    return sorted(
        {a["key"] for lijst in acties.values() for a in lijst if a["soort"] != "annuleer"}
    )
