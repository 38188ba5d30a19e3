"""Privacy and audit. A full scenario (submit, bijstellen, a corrected aanvraag through
the Resume form, toekennen, the sweep) runs against the real Prefect server; then every
place Prefect keeps or shows something is read back through its API — flow-run and
task-run names, tags, parameters and state messages, logs, artifacts, run inputs, events
— together with the persisted results on disk and everything the notification sink
received, and none of it may contain a BSN or a client name of the scenario. Every CLI
read of client data leaves an audit event, and `meerzorg audit ZAAK` lists them."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from models.settings import PROJECT_DIR
from tests.factories import TOEKENNEN_VOLLEDIG, unieke_bsn
from tests.flows.conftest import wait_for_status, wait_for_wait
from tests.reliability.scenario import DAG, EXAMPLE, submit

NAAM = "Jansen-de Vries"


# Clients no other test of this process has (the overlap check reads every zaak by BSN).
BSN_1, BSN_2 = unieke_bsn(), unieke_bsn()  # and client ids of its own (PRIVACY-4xx)


def scenario_aanvraag() -> dict:
    data = json.loads(json.dumps(EXAMPLE))
    data["provider_referentie"] = "PRIVACY-1"
    data["clienten"][0].update(client_id="PRIVACY-401", bsn=BSN_1)
    data["clienten"][1].update(client_id="PRIVACY-402", bsn=BSN_2)
    # Providers write names into free text; that text must stay in the database too.
    data["vragenlijst"]["huidige_situatie"] = f"Mevrouw {NAAM} (87) slaat 's nachts om zich heen."
    data["gevraagde_start"], data["gevraagde_eind"] = "2027-01-01", "2027-12-31"
    return data


def beslis(zaak: str, uitkomst: str, onderbouwing: str = "") -> None:
    from deployments import operations as ops

    for beoordelaar in ("b-001", "b-002"):  # a second one when four-eyes applies
        ops.beoordeel(
            zaak,
            {
                **(TOEKENNEN_VOLLEDIG if uitkomst == "toekennen" else {}),
                "uitkomst": uitkomst,
                "onderbouwing": onderbouwing,
                "beoordelaar": beoordelaar,
                "peildatum": DAG,
            },
        )
        if ops.zaak_overzicht(zaak, log_read=False)["status"] != "tweede_beoordeling":
            return


def everything_prefect_keeps(
    api_url: str, since: dt.datetime, headers: dict | None = None
) -> dict[str, str]:
    """Every flow run of the session and what hangs off it, as JSON text per place."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )

    found: dict[str, list] = {k: [] for k in ("runs", "tasks", "logs", "artifacts", "inputs")}
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(limit=200)
        ids = [r.id for r in runs]
        found["runs"] = [r.model_dump(mode="json") for r in runs]
        for run in runs:
            found["runs"] += [
                s.model_dump(mode="json") for s in client.read_flow_run_states(run.id)
            ]
            found["inputs"] += [
                i.model_dump(mode="json")
                for i in client.filter_flow_run_input(run.id, "", 200, set())
            ]
        found["tasks"] = [
            t.model_dump(mode="json")
            for t in client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)), limit=200
            )
        ]
        offset = 0
        while True:
            logs = client.read_logs(
                LogFilter(flow_run_id=LogFilterFlowRunId(any_=ids)), limit=200, offset=offset
            )
            found["logs"] += [log.model_dump(mode="json") for log in logs]
            if len(logs) < 200:
                break
            offset += 200
        found["artifacts"] = [a.model_dump(mode="json") for a in client.read_artifacts(limit=200)]
    events, page = (
        [],
        httpx.post(
            f"{api_url}/events/filter",
            json={
                "filter": {
                    "occurred": {"since": since.isoformat(), "until": "2100-01-01T00:00:00Z"}
                },
                "limit": 50,
            },
            headers=headers,
            timeout=30,
        ).json(),
    )
    while True:
        # The next page's link must lead through the gateway as well (the Host it forwards).
        assert page.get("events") is not None, page
        events += page["events"]
        if not page.get("next_page"):
            break
        page = httpx.get(page["next_page"], headers=headers, timeout=30).json()
    out = {k: json.dumps(v, default=str) for k, v in found.items()}
    out["events"] = json.dumps(events)
    assert found["runs"] and found["logs"] and found["artifacts"] and events
    return out


def test_a_full_scenario_leaves_no_bsn_or_name_in_prefect_or_notifications(system, aanbieders):
    from deployments import operations as ops
    from tasks import runs

    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    data = scenario_aanvraag()
    # The parties a besluit goes to (issue 25): their names and addresses are in the letters
    # they receive, and nowhere in Prefect or a notification's text.
    data["clienten"][0]["correspondentie"] = {
        "kanaal": aanbieders.url + "client-privacy",
        "naam": f"mevrouw {NAAM}",
    }
    data["clienten"][0]["vertegenwoordiger"] = {
        "rol": "curator",
        "correspondentie": {"kanaal": "post", "naam": "De Curator", "adres": ["Geheimstraat 1"]},
    }
    zaak, run_id = submit(data)
    wait_for_wait(zaak, "beoordeling-")
    beslis(
        zaak,
        "bijstellen",
        "Anders dan het advies (toekennen) van de toets: nachtzorg niet onderbouwd.",
    )
    wait_for_wait(zaak, "bijstelling-")
    # The provider corrects the aanvraag through the Resume form: it carries both BSNs.
    data["uren_per_week"]["nachtzorg"] = 14
    assert runs.resume(run_id, {"aanvraag": data, "peildatum": DAG.isoformat()})
    wait_for_wait(zaak, "beoordeling-")
    beslis(zaak, "toekennen")
    wait_for_wait(zaak, "einde-beschikking-")
    first = min(
        dt.date.fromisoformat(d["datum"])
        for d in ops.zaak_overzicht(zaak, log_read=False)["deadlines"]
    )
    ops.sweep(first)
    wait_for_status(zaak, ops.zaak_overzicht(zaak, log_read=False)["status"])

    secrets = [BSN_1, BSN_2, BSN_1.lstrip("0"), NAAM, "Jansen", "Geheimstraat"]
    # The clients' pseudonymous identity (HMAC of the BSN) is case data too (DOMAIN.md §17).
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables_persoon import Persoon

    with session_scope() as session:
        pseudoniemen = [p.sleutel for p in session.exec(select(Persoon))]
    assert len(pseudoniemen) >= 2  # both clients of the scenario have their persoon
    secrets += pseudoniemen
    # A canary planted in a run input and an artifact proves the scan reads those places.
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import ArtifactCreate

    with get_client(sync_client=True) as client:
        client.create_flow_run_input(UUID(run_id), "kanarie", '"KANARIE-1"')
        client.create_artifact(ArtifactCreate(key="kanarie", type="markdown", data="KANARIE-2"))
    places = everything_prefect_keeps(system.api_url, since, system.auth_headers())
    assert "KANARIE-1" in places["inputs"] and "KANARIE-2" in places["artifacts"]
    places["notificaties"] = json.dumps([r for r in aanbieders.received])
    storage = Path(os.environ["PREFECT_LOCAL_STORAGE_PATH"])
    places["resultaten"] = "".join(
        p.read_bytes().decode("latin-1") for p in storage.rglob("*") if p.is_file()
    )
    leaks = {(s, where) for s in secrets for where, text in places.items() if s in text}
    assert leaks == set(), leaks
    # ...while the scenario really went through all of those places.
    assert zaak in places["logs"] and zaak in places["artifacts"] and zaak in places["notificaties"]
    assert "PRIVACY-401" in places["artifacts"]  # the provider's own client reference is fine
    # The client's own letters did arrive, with the name inside the PDF only.
    assert any(r["path"] == "/client-privacy" and r["bijlagen"] for r in aanbieders.received)


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deployments.cli", *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_env(db, tmp_path):
    """The CLI as tl-007's login (issue 14: the reader in the trail is who logged in)."""
    from deployments.gateway_auth import hash_wachtwoord
    from models.db.store import registreer_medewerker, session_scope

    with session_scope() as session:
        registreer_medewerker(
            session=session, id="tl-007", rol="teamleider"
        ).wachtwoord_hash = hash_wachtwoord("lees-wachtwoord")
    env = dict(os.environ)
    env.update(
        MEERZORG_DATABASE_URL=db,
        PREFECT_API_AUTH_STRING="tl-007:lees-wachtwoord",
        MEERZORG_NAMENS="bezwaarcommissie",
        PREFECT_HOME=str(tmp_path / "prefect"),
    )
    return env


def test_every_cli_read_of_client_data_is_in_the_audit_trail(cli_env):
    from tests.reliability.scenario import lopende_zaak

    zaak = lopende_zaak(50)
    first = cli("zaak", zaak, env=cli_env)
    assert first.returncode == 0, first.stderr
    assert cli("compliance", "--peildatum", "2027-01-15", env=cli_env).returncode == 0
    result = cli("audit", zaak, env=cli_env)
    assert result.returncode == 0, result.stderr
    trail = json.loads(result.stdout)
    assert set(trail[0]) == {"tijd", "actor", "namens", "actie", "zaak", "client_id", "details"}
    acties = [e["actie"] for e in trail]
    assert acties[0] == "zaak_geregistreerd" and "toegekend" in acties
    reads = [e for e in trail if e["actie"] in ("zaak_gelezen", "audit_gelezen")]
    assert [e["actie"] for e in reads] == ["zaak_gelezen", "audit_gelezen"]
    assert reads[-1]["actor"] == "tl-007" and reads[-1]["namens"] == "bezwaarcommissie"
    beslissing = next(e for e in trail if e["actie"] == "toegekend")
    assert beslissing["actor"] == "b-001" and beslissing["details"]["besluit"]["uitkomst"]
    assert all(dt.datetime.fromisoformat(e["tijd"]) for e in trail)
    # The compliance list (every client with meerzorg) was logged as a read as well.
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import AuditEvent

    with session_scope() as session:
        logged = session.exec(
            select(AuditEvent).where(AuditEvent.actie == "compliance_gelezen")
        ).all()
    assert [(e.actor, e.namens) for e in logged] == [("tl-007", "bezwaarcommissie")]
    # No audit trail for a zaak that does not exist: one line, exit 2, nothing written.
    missing = cli("audit", "MZ-2000-999999", env=cli_env)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "does not exist" in missing.stderr
