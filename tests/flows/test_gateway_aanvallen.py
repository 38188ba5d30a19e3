"""Issue 23, "What was found", the Critical findings: each attack a colleague with a login
made on the real system (Prefect behind the gateway, the runner, the case database) is
refused and changes nothing, and the legitimate path beside it still works. The High
findings and the CLI bezwaar: test_gateway_aanvallen_hoog.py. Helpers (raw request lines,
the service's read-back, why a start is first held back): tests/flows/aanvallen.py."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from models.dates import vandaag
from tests.factories import afwijzen, toekennen
from tests.flows.aanvallen import (
    LATER,
    PEILDATUM,
    aantal_runs,
    aanvalsopzet,
    audit_marker,
    audit_sinds,
    besluiten,
    deployment,
    geweigerd_gelogd,
    hoofdletters,
    indienen,
    luisteraar,
    op_de_lijn,
    rauw,
    start,
    voorlopig,
    wacht_nog,
    weg,
    zaak_rij,
    zonder_streepjes,
)
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until

AGB = "73730301"
MEDEWERKERS = {
    "aanv-bo-1": "beoordelaar",
    "aanv-bo-2": "beoordelaar",
    "aanv-tl-1": "teamleider",
    "aanv-jur-1": "jurist",
    "aanv-cce-1": "cce",
    "aanv-an-1": "analist",
    "aanv-ops-1": "operations",
}
PERSONEN = tuple(MEDEWERKERS)
NIET_OPERATIONS = tuple(w for w, rol in MEDEWERKERS.items() if rol != "operations")

# A person decides today: the gateway refuses any other date on a Resume (issue 25).
VANDAAG = vandaag()


@pytest.fixture(scope="module")
def aanval(system, sink):
    with aanvalsopzet(system, sink, MEDEWERKERS, AGB, "Zorggroep Aanval", "AANV-W", 0) as a:
        yield a


def resume_body(form: dict) -> dict:
    return {"run_input": form}


def aangenomen(r) -> bool:
    return r.status_code in (200, 201) and r.json().get("status") == "ACCEPT"


# --- Critical: decisions in a colleague's name, by any role ---------------------------------


def test_resume_with_a_hyphenless_or_uppercase_id_is_the_signed_resume(aanval):
    """Critical: `POST /api/flow_runs/<run id without hyphens>/resume` went past the role
    check, the signing and the audit; one beoordelaar gave both pairs of eyes of a maatwerk
    toekenning and the besluit named a colleague who never logged in. Now the id is parsed
    as a UUID: the CCE and an analist are refused, the login signs, and the same login as
    second pair of eyes is refused by the four-eyes rule. The second pair is given in
    test_a_forged_run_input_and_a_resuming_state_cannot_decide_a_zaak, by another login."""
    zaak, run_id = indienen(AGB, "AANV-4OGEN", 40, context_middelen_per_jaar=200000)
    aanval.vier_ogen = (zaak, run_id)
    key = wait_for_wait(zaak, "beoordeling-")
    marker = audit_marker()
    spellingen = (zonder_streepjes(run_id), hoofdletters(run_id))
    for wie in ("aanv-cce-1", "aanv-an-1"):
        for spelling in spellingen:
            pad = f"/api/flow_runs/{spelling}/resume"
            form = toekennen("aanv-bo-1", peildatum=VANDAAG)
            r = op_de_lijn(aanval.als(wie).post(pad, json=resume_body(form)), pad)
            assert r.status_code == 403, (wie, pad, r.status_code, r.text)
    wacht_nog(aanval.dienst, zaak, run_id, key, "beoordeling")
    geweigerd_gelogd(marker, "aanv-cce-1", "aanv-an-1")

    # The first pair of eyes without hyphens: the normal signed resume. The form names
    # aanv-bo-2; the login aanv-bo-1 signs.
    bo1 = aanval.als("aanv-bo-1")
    pad = f"/api/flow_runs/{zonder_streepjes(run_id)}/resume"
    r = op_de_lijn(bo1.post(pad, json=resume_body(toekennen("aanv-bo-2", peildatum=VANDAAG))), pad)
    assert aangenomen(r), r.text
    eerste = wait_for_wait(zaak, "tweede-beoordeling-")
    assert voorlopig(zaak)["beoordelaar"] == "aanv-bo-1"
    assert ("aanv-bo-1", "hervat", zaak) in audit_sinds(marker, actie="hervat")

    # The same login as the second pair, typed as aanv-bo-2, in both spellings.
    for spelling in spellingen:
        pad = f"/api/flow_runs/{spelling}/resume"
        r = bo1.post(pad, json=resume_body(toekennen("aanv-bo-2", peildatum=VANDAAG)))
        if r.status_code != 403:  # Prefect took it: the run's four-eyes rule refuses it
            assert aangenomen(r), r.text
            wait_until(
                lambda w=eerste: zaak_rij(zaak)["wacht_key"] != w, what="the four-eyes refusal"
            )
            assert "vier ogen" in (zaak_rij(zaak)["laatste_fout"] or "")
        eerste = wait_for_wait(zaak, "tweede-beoordeling-")
        assert zaak_rij(zaak)["status"] == "tweede_beoordeling"
        assert besluiten(zaak) == []
        assert voorlopig(zaak)["beoordelaar"] == "aanv-bo-1"


def varianten(run_id: str, staart: str) -> list[str]:
    """Spellings of `/api/flow_runs/{run_id}{staart}` that a client or a server may resolve
    to it: dot segments, encoded dots, slashes and backslashes, double slashes."""
    doel = f"flow_runs/{run_id}{staart}"
    return [
        f"/api/ui/../{doel}",
        f"/api/zz/../{doel}",
        f"/api/./{doel}",
        f"/api/flow_runs/{run_id}/.{staart}",
        f"/api/flow_runs/{run_id}/%2e{staart}",
        f"/api/flow_runs/{run_id}/x/%2e%2e{staart}",
        f"/api/ui/%2e%2e/{doel}",
        f"/api/ui/%2E%2E/{doel}",
        f"/api/ui/..%2f{doel}",
        f"/api/ui%2f..%2f{doel}",
        f"/api/flow_runs%2f{run_id}{staart.replace('/', '%2f')}",
        f"/api/ui/..%5c{doel}",
        f"/api/ui/..%5C{doel}",
        f"/api/ui\\..\\{doel}",
        f"/api//{doel}",
        f"//api/{doel}",
        f"/api/flow_runs//{run_id}{staart}",
    ]


def test_dot_segment_and_encoded_paths_are_refused_before_anything_is_forwarded(aanval):
    """Critical: `POST /api/ui/../flow_runs/{id}/resume` (and `/api/zz/../…`,
    `/api/flow_runs/{id}/%2e/resume`): the gateway judged the raw path, httpx normalised it
    on the way to Prefect, and a CCE member and an analist each decided a zaak. Every
    non-canonical path is now 400 before anything goes to Prefect (resume, the run's answer
    key, and a view of the run); the zaak keeps waiting and no resume is in the trail."""
    zaak, run_id, key = aanval.wachtend()
    marker = audit_marker()
    form = toekennen("aanv-bo-1", peildatum=VANDAAG)
    antwoord = {"key": f"suspended-{key}-response", "value": json.dumps(form)}
    statussen = {}
    for wie in ("aanv-cce-1", "aanv-an-1"):
        for pad in varianten(run_id, "/resume"):
            statussen[wie, "POST", pad] = rauw(
                aanval.system, aanval.als, wie, "POST", pad, resume_body(form)
            )[0]
        for pad in varianten(run_id, "/input")[:6]:
            statussen[wie, "POST", pad] = rauw(
                aanval.system, aanval.als, wie, "POST", pad, antwoord
            )[0]
        for pad in varianten(run_id, "")[:6]:
            statussen[wie, "GET", pad] = rauw(aanval.system, aanval.als, wie, "GET", pad)[0]
    doorgelaten = {k: s for k, s in statussen.items() if s != 400}
    assert not doorgelaten, doorgelaten
    wacht_nog(aanval.dienst, zaak, run_id, key, "beoordeling")
    gezien = ("hervat", "run_bekeken", "invoer_bekeken")
    assert [e for e in audit_sinds(marker, zaak=zaak) if e[1] in gezien] == []


def tweede_beoordeling(aanval) -> tuple[str, str, str]:
    """A maatwerk zaak whose first pair of eyes is aanv-bo-1, waiting on the second: the one
    test_resume_with_a_hyphenless_or_uppercase_id_is_the_signed_resume left there, or a new
    one brought there by the service."""
    from deployments import operations as ops

    vorige = getattr(aanval, "vier_ogen", None)
    if not (
        vorige
        and zaak_rij(vorige[0])["status"] == "tweede_beoordeling"
        and (voorlopig(vorige[0]) or {}).get("beoordelaar") == "aanv-bo-1"
    ):
        zaak, run_id = indienen(AGB, "AANV-INVOER", 41, context_middelen_per_jaar=200000)
        wait_for_wait(zaak, "beoordeling-")
        ops.beoordeel(zaak, toekennen("aanv-bo-1", peildatum=VANDAAG))
        vorige = (zaak, run_id)
    return (*vorige, wait_for_wait(vorige[0], "tweede-beoordeling-"))


def test_a_forged_run_input_and_a_resuming_state_cannot_decide_a_zaak(aanval):
    """Critical: without `/resume`, `POST /api/flow_runs/{id}/input` with key
    `suspended-<pause key>-response` holding a forged form, then `POST …/set_state`
    SCHEDULED "Resuming": a beoordelaar alone completed four eyes, and a jurist (refused on
    the normal path) rejected an aanvraag signed as a beoordelaar. Both requests are 403 for
    every spelling, no answer is stored, the runs keep waiting; then the second pair of eyes
    by another login on the normal path still decides (aanv-bo-1 and aanv-bo-2)."""
    zaak, run_id, key = tweede_beoordeling(aanval)
    w_zaak, w_run, w_key = aanval.wachtend()
    afgewezen = afwijzen("aanv-bo-1", peildatum=VANDAAG.isoformat())
    aanvallen = (
        ("aanv-bo-1", run_id, key, toekennen("aanv-bo-2", peildatum=VANDAAG)),
        ("aanv-jur-1", w_run, w_key, afgewezen),
    )
    marker = audit_marker()
    hervatten = {"state": {"type": "SCHEDULED", "name": "Resuming"}}
    for wie, run, wacht, form in aanvallen:
        client = aanval.als(wie)
        for spelling in (run, zonder_streepjes(run), hoofdletters(run)):
            for sleutel in (f"suspended-{wacht}-response", f"paused-{wacht}-response"):
                pad = f"/api/flow_runs/{spelling}/input"
                body = {"key": sleutel, "value": json.dumps(form), "sender": wie}
                r = op_de_lijn(client.post(pad, json=body), pad)
                assert r.status_code == 403, (wie, pad, sleutel, r.status_code, r.text)
            pad = f"/api/flow_runs/{spelling}/set_state"
            for body in (hervatten, {**hervatten, "force": True}):
                r = op_de_lijn(client.post(pad, json=body), pad)
                assert r.status_code == 403, (wie, pad, body, r.status_code, r.text)
    wacht_nog(aanval.dienst, zaak, run_id, key, "tweede_beoordeling")
    wacht_nog(aanval.dienst, w_zaak, w_run, w_key, "beoordeling")
    geweigerd_gelogd(marker, "aanv-bo-1", "aanv-jur-1")

    # The legitimate second pair of eyes: another login, the normal resume.
    pad = f"/api/flow_runs/{run_id}/resume"
    form = toekennen("aanv-bo-1", peildatum=VANDAAG)
    assert aangenomen(aanval.als("aanv-bo-2").post(pad, json=resume_body(form)))
    wait_for_status(zaak, "lopend")
    assert [(b[1], b[2]) for b in besluiten(zaak)] == [("aanv-bo-1", "aanv-bo-2")]


# --- Critical: system control by staff --------------------------------------------------------


def test_staff_cannot_start_the_sweep_for_a_peildatum_of_their_choosing(aanval):
    """Critical: `POST /api/deployments/{deadline-sweep}/create_flow_run
    {"parameters":{"peildatum":"2029-06-01"}}` by a beoordelaar ended seven beschikkingen two
    years early. Deciding roles, the CCE and an analist start no system run at all (sweep,
    werkvoorraad; either spelling of the id); operations starts the sweep and the werkvoorraad
    for today only; each refusal is audited and no run is created."""
    from models.dates import vandaag

    d = aanval.dienst
    sweep, werk = deployment(d, "deadline-sweep")["id"], deployment(d, "werkvoorraad")["id"]
    voor = {dep: aantal_runs(d, dep) for dep in (sweep, werk)}
    marker = audit_marker()
    vandaag_ = vandaag()
    in_2029 = {"parameters": {"peildatum": "2029-06-01"}}
    for wie in NIET_OPERATIONS:
        client = aanval.als(wie)
        for dep_id in (sweep, zonder_streepjes(sweep), hoofdletters(sweep)):
            r = start(client, d, dep_id, in_2029)
            assert r.status_code == 403, (wie, dep_id, r.status_code, r.text)
        for dep_id, body in ((sweep, {}), (werk, {})):
            r = start(client, d, dep_id, body)
            assert r.status_code == 403, (wie, dep_id, r.status_code, r.text)
    ops = aanval.als("aanv-ops-1")
    andere_dagen = ("2029-06-01", str(vandaag_ + dt.timedelta(days=1)), "2026-01-01")
    for peildatum in andere_dagen:
        for dep_id in (sweep, zonder_streepjes(sweep)):
            r = start(ops, d, dep_id, {"parameters": {"peildatum": peildatum}})
            assert r.status_code == 403, (peildatum, dep_id, r.status_code, r.text)
        r = start(ops, d, werk, {"parameters": {"peildatum": peildatum}})
        assert r.status_code == 403, (peildatum, r.status_code, r.text)
    assert {dep: aantal_runs(d, dep) for dep in (sweep, werk)} == voor
    geweigerd_gelogd(marker, "aanv-bo-1", "aanv-cce-1", "aanv-an-1", "aanv-ops-1")

    # Operations' own work: the sweep for today (held back until 2030 here, so the shared
    # system's zaken are not swept) and the werkvoorraad.
    heden = {"parameters": {"peildatum": vandaag_.isoformat()}}
    for dep_id, body in ((sweep, heden), (sweep, {}), (werk, {})):
        r = ops.post(f"/api/deployments/{dep_id}/create_flow_run", json={**body, "state": LATER})
        assert r.status_code == 201, (dep_id, body, r.status_code, r.text)
        weg(d, r.json()["id"])
        if body:
            assert r.json()["parameters"]["peildatum"] == vandaag_.isoformat()


def test_staff_cannot_pause_the_sweep_deployment(aanval):
    """Critical: `PATCH /api/deployments/{deadline-sweep}` `paused: true` by a beoordelaar
    stopped the daily sweep. No person changes a deployment (PATCH in both spellings of the
    id, or Prefect's pause_deployment route); the flag stays as it was."""
    d = aanval.dienst
    sweep = deployment(d, "deadline-sweep")
    voor = sweep["paused"]
    marker = audit_marker()
    try:
        for wie in PERSONEN:
            client = aanval.als(wie)
            for dep_id in (sweep["id"], zonder_streepjes(sweep["id"])):
                r = client.patch(f"/api/deployments/{dep_id}", json={"paused": not voor})
                assert r.status_code == 403, (wie, r.status_code, r.text)
            actie = "resume_deployment" if voor else "pause_deployment"
            r = client.post(f"/api/deployments/{sweep['id']}/{actie}")
            assert r.status_code == 403, (wie, actie, r.status_code, r.text)
        assert deployment(d, "deadline-sweep")["paused"] == voor
        geweigerd_gelogd(marker, *PERSONEN)
    finally:
        if deployment(d, "deadline-sweep")["paused"] != voor:
            d.patch(f"/deployments/{sweep['id']}", json={"paused": voor})


def test_staff_cannot_create_or_change_a_deployment_to_run_a_shell_command(aanval, tmp_path):
    """Critical: `POST /api/deployments/` with `job_variables.command` into the work pool ran
    a shell command as root on a process worker. No person creates a deployment or changes
    an existing one's job variables: no deployment appears, lifecycle's job variables stay,
    and the command's file is never made."""
    d = aanval.dienst
    bestand = tmp_path / "aanval-gelukt"
    commando = {"command": f"touch {bestand}"}
    sweep, lifecycle = deployment(d, "deadline-sweep"), deployment(d, "lifecycle")
    body = {
        "name": "aanval-shell",
        "flow_id": sweep["flow_id"],
        "entrypoint": sweep.get("entrypoint"),
        "job_variables": commando,
    }
    if sweep.get("work_pool_name"):
        body["work_pool_name"] = sweep["work_pool_name"]
    filter_ = {"deployments": {"name": {"any_": ["aanval-shell"]}}}
    try:
        for wie in PERSONEN:
            client = aanval.als(wie)
            r = client.post("/api/deployments/", json=body)
            assert r.status_code == 403, (wie, r.status_code, r.text)
            for dep_id in (lifecycle["id"], zonder_streepjes(lifecycle["id"])):
                r = client.patch(f"/api/deployments/{dep_id}", json={"job_variables": commando})
                assert r.status_code == 403, (wie, r.status_code, r.text)
        assert d.post("/deployments/filter", json=filter_).json() == []
        assert deployment(d, "lifecycle")["job_variables"] == lifecycle["job_variables"]
        time.sleep(2)
        assert not bestand.exists()
    finally:
        for gemaakt in d.post("/deployments/filter", json=filter_).json():
            d.delete(f"/deployments/{gemaakt['id']}")
        if deployment(d, "lifecycle")["job_variables"] != lifecycle["job_variables"]:
            d.patch(
                f"/deployments/{lifecycle['id']}",
                json={"job_variables": lifecycle["job_variables"] or {}},
            )


def test_nobody_but_the_service_starts_the_intake_with_a_url(aanval):
    """Critical: `create_flow_run` on `intake` with `{"url": <any URL>}`: the runner fetched
    it and registered a zaak from it (SSRF and a forged intake). No person starts the intake,
    with or without a URL, in either spelling of the id: no run, and the URL is never
    fetched."""
    d = aanval.dienst
    intake = deployment(d, "intake")["id"]
    voor = aantal_runs(d, intake)
    marker = audit_marker()
    with luisteraar() as (url, gezien):
        for wie in PERSONEN:
            client = aanval.als(wie)
            for dep_id in (intake, zonder_streepjes(intake)):
                r = start(client, d, dep_id, {"parameters": {"url": url}})
                assert r.status_code == 403, (wie, dep_id, r.status_code, r.text)
            r = start(client, d, intake, {})
            assert r.status_code == 403, (wie, r.status_code, r.text)
        time.sleep(3)
        assert gezien == []
    assert aantal_runs(d, intake) == voor
    geweigerd_gelogd(marker, *PERSONEN)


def test_an_analist_starts_the_analyses_and_no_other_deployment(aanval):
    """Critical (system control), the analist's row of the allowlist: only `backfill`,
    `rapport` and `whatif`; a case or system deployment is refused and creates no run, and
    starting `rapport` still works."""
    d = aanval.dienst
    analist = aanval.als("aanv-an-1")
    for naam in ("lifecycle", "werkvoorraad", "deadline-sweep", "plan-dialogen"):
        dep_id = deployment(d, naam)["id"]
        voor = aantal_runs(d, dep_id)
        for spelling in (dep_id, zonder_streepjes(dep_id)):
            r = start(analist, d, spelling, {})
            assert r.status_code == 403, (naam, spelling, r.status_code, r.text)
        assert aantal_runs(d, dep_id) == voor
    rapport = deployment(d, "rapport")["id"]
    r = analist.post(
        f"/api/deployments/{rapport}/create_flow_run",
        json={"parameters": {"jaar": PEILDATUM.year}, "state": LATER},
    )
    assert r.status_code == 201, r.text
    weg(d, r.json()["id"])
