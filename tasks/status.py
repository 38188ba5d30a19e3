"""The operator's health view (`meerzorg status`, and the top of the werkvoorraad artifact):
is the Prefect server there, does its scheduler keep upcoming runs, when did the sweep last
complete and what did it do, does every open case have a live run on its current wait, how
much waits in the outbox, are the alert automations there.

`verzamel` reads the facts (database and Prefect API); `problemen` turns them into one-line
findings and is pure, so what counts as "needs attention" is tested without a server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    DeploymentFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.settings import PREFECT_API_URL

from deployments.automations import (
    AUTOMATION_MISLUKT,
    AUTOMATION_SWEEP,
    BLOCK_PREFIX,
    sweep_window,
)
from deployments.specs import scheduled_deployments
from models.db.notificaties import oudste_wachtend, outbox_per_status
from models.db.store import session_scope
from tasks import zaak as zaak_ops
from tasks.soorten import reconcile_runs

# An outbox row still waiting this long after it was queued needs a look (its target is
# down or refuses; the retries run for about a day before the row is dead-lettered).
OUTBOX_OUD = dt.timedelta(hours=1)


def problemen(feiten: dict[str, Any], nu: dt.datetime, sweep_window: dt.timedelta) -> list[str]:
    """What needs attention, one line each (Dutch, for the operator on call)."""
    out: list[str] = []
    server = feiten["server"]
    if not server["bereikbaar"]:
        out.append(f"Prefect-server {server['url']} antwoordt niet: {server.get('fout', '')}")
    sched = feiten.get("scheduler")
    if sched is not None:
        for naam in sched["ontbrekend"]:
            out.append(f"deployment {naam} ontbreekt op de server (meerzorg up / meerzorg deploy)")
        for naam in sched.get("zonder_schema", []):
            out.append(f"deployment {naam} heeft op de server geen schema (prefect.yaml wel)")
        for naam in sched["gepauzeerd"]:
            out.append(f"het schema van deployment {naam} staat op pauze")
        for naam in sched["zonder_geplande_run"]:
            out.append(f"de scheduler heeft geen geplande run voor {naam}")
    sweep = feiten["laatste_sweep"]
    if sweep is None:
        out.append("er is nog nooit een deadline-sweep voltooid")
    elif nu - sweep["tijd"] > sweep_window:
        uren = (nu - sweep["tijd"]).total_seconds() / 3600
        out.append(f"de laatste voltooide deadline-sweep is {uren:.0f} uur oud")
    for soort, acties in (feiten.get("runs") or {}).items():
        if acties:
            voorbeelden = ", ".join(f"{a['key']} ({a['reden']})" for a in acties[:3])
            meer = f" en {len(acties) - 3} meer" if len(acties) > 3 else ""
            out.append(
                f"{len(acties)} {soort}(en) zonder live run op de huidige wacht: "
                f"{voorbeelden}{meer}; `meerzorg herstel-runs` of de volgende sweep herstelt dit"
            )
    outbox = feiten["outbox"]
    if outbox["dood"]:
        out.append(f"{outbox['dood']} notificatie(s) niet afgeleverd na de laatste poging (dood)")
    if outbox["oudste_wachtend"] is not None and nu - outbox["oudste_wachtend"] > OUTBOX_OUD:
        out.append(
            f"{outbox['wachtend']} notificatie(s) wachten op aflevering, de oudste sinds "
            f"{outbox['oudste_wachtend'].isoformat(timespec='minutes')}"
        )
    auto = feiten.get("automations")
    if auto is not None:
        if not auto["kanalen"]:
            out.append(
                "geen operations-kanaal ingericht (MEERZORG_OPERATIONS_NOTIFY): alerts gaan nergens heen"
            )
        for naam in auto["ontbrekend"]:
            out.append(f"automation '{naam}' ontbreekt (meerzorg dashboard inrichten)")
    return out


def _utc(t: dt.datetime | None) -> dt.datetime | None:
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def outbox_feiten() -> dict:
    with session_scope() as session:
        per_status = outbox_per_status(session=session)
        oudste = oudste_wachtend(session=session)
    return {
        "wachtend": per_status.get("wachtend", 0),
        "dood": per_status.get("dood", 0),
        "oudste_wachtend": _utc(oudste),
    }


def scheduler_feiten(client) -> dict:
    """Per scheduled deployment of prefect.yaml: present, not paused, and its next run."""
    out = {
        "volgende": {},
        "ontbrekend": [],
        "zonder_schema": [],
        "gepauzeerd": [],
        "zonder_geplande_run": [],
    }
    namen = scheduled_deployments()
    op_server = {
        d.name: d
        for d in client.read_deployments(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=namen))
        )
    }
    for naam in namen:
        dep = op_server.get(naam)
        if dep is None:
            out["ontbrekend"].append(naam)
            continue
        if not dep.schedules:
            out["zonder_schema"].append(naam)
        elif dep.paused or not any(s.active for s in dep.schedules):
            out["gepauzeerd"].append(naam)
        upcoming = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[dep.id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            limit=20,
        )
        # Only the scheduler's own runs count: a sweep started by hand is no sign of it.
        volgende = next((r for r in upcoming if r.auto_scheduled and r.expected_start_time), None)
        if volgende:
            out["volgende"][naam] = volgende.expected_start_time.isoformat(timespec="seconds")
        else:
            out["zonder_geplande_run"].append(naam)
    return out


def automations_feiten(client) -> dict:
    """The alert automations and the notification blocks they send through, on the server."""
    ontbrekend = [
        n for n in (AUTOMATION_MISLUKT, AUTOMATION_SWEEP) if not client.read_automations_by_name(n)
    ]
    kanalen = [
        d.name
        for slug in ("custom-webhook", "slack-webhook")
        for d in client.read_block_documents_by_type(slug)
        if (d.name or "").startswith(BLOCK_PREFIX)
    ]
    return {"kanalen": len(kanalen), "ontbrekend": ontbrekend}


def server_fout(url: str) -> str | None:
    """None when the Prefect server at `url` answers its health check, else why not."""
    try:
        r = httpx.get(f"{url.rstrip('/')}/health", timeout=5)
    except httpx.HTTPError as exc:
        return str(exc) or type(exc).__name__
    return None if r.status_code == 200 else f"HTTP {r.status_code}"


def verzamel() -> dict:
    """Every fact the health view needs; a server that does not answer is itself a fact."""
    url = PREFECT_API_URL.value()
    feiten: dict[str, Any] = {"server": {"url": url, "bereikbaar": False}}
    sweep = zaak_ops.laatste_sweep()
    feiten["laatste_sweep"] = sweep and {"tijd": _utc(sweep["tijd"]), **sweep["details"]}
    feiten["outbox"] = outbox_feiten()
    fout = server_fout(url)
    feiten["server"]["bereikbaar"] = fout is None
    if fout:
        feiten["server"]["fout"] = fout
    if feiten["server"]["bereikbaar"]:
        with get_client(sync_client=True) as client:
            feiten["scheduler"] = scheduler_feiten(client)
            feiten["automations"] = automations_feiten(client)
        feiten["runs"] = reconcile_runs(uitvoeren=False)
    return feiten


def status() -> dict:
    """The health view as JSON-ready data: {"ok", "problemen", ...the facts}."""
    feiten = verzamel()
    lijst = problemen(feiten, dt.datetime.now(dt.UTC), sweep_window())
    sched = feiten.get("scheduler") or {}
    return {
        "ok": not lijst,
        "problemen": lijst,
        "volgende_sweep": (sched.get("volgende") or {}).get("deadline-sweep"),
        **feiten,
    }


def markdown(s: dict) -> str:
    """The status as the werkvoorraad artifact's first lines."""
    sweep = s.get("laatste_sweep")
    regels = [
        "## Systeemstatus: "
        + ("in orde" if s["ok"] else f"**{len(s['problemen'])} aandachtspunt(en)**"),
        "",
        f"Volgende sweep: {s.get('volgende_sweep') or 'geen gepland'}; laatste voltooide sweep: "
        + (
            f"{sweep['tijd'].isoformat(timespec='minutes')} (peildatum {sweep.get('peildatum')}, "
            f"{sweep.get('gevuurd', 0)} termijnen gevuurd)"
            if sweep
            else "nog geen"
        )
        + f"; outbox: {s['outbox']['wachtend']} wachtend, {s['outbox']['dood']} dood.",
        "",
    ]
    regels += [f"- {p}" for p in s["problemen"]]
    return "\n".join(regels + [""])
