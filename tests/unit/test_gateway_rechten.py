"""The gateway's route table, canonical paths and allowlist (deployments/gateway_routes.py,
deployments/gateway_rechten.py; issue 23): default deny, decided on the path Prefect runs."""

from __future__ import annotations

import datetime as dt

import pytest

from deployments.gateway_rechten import (
    ALLOWLIST,
    ANNULEER,
    HERVAT,
    START,
    STARTS,
    TABEL,
    VERWIJDER,
    Handeling,
    annuleren_toegestaan,
    handeling,
    start_toegestaan,
)
from deployments.gateway_routes import OngeldigPad, canoniek_pad, routes_van_prefect
from models.overgang import ROLLEN

RUN = "11111111-2222-3333-4444-555555555555"
VANDAAG = dt.date(2026, 12, 6)
SCHRIJVEN = ("POST", "PUT", "PATCH", "DELETE")


def test_the_route_table_is_the_installed_prefects():
    """A Prefect upgrade that adds or moves a route fails here: regenerate the table
    (`python -m deployments.gateway_routes`) and review the allowlist."""
    assert [(t, list(m)) for t, m in routes_van_prefect()] == [
        (r.template, sorted(r.methoden)) for r in TABEL.routes
    ]


def test_every_role_has_an_allowlist_and_no_other():
    assert set(ALLOWLIST) == set(ROLLEN)


@pytest.mark.parametrize(
    "pad",
    [
        "/api/ui/../flow_runs/x/resume",
        "/api/./flow_runs/filter",
        f"/api/flow_runs/{RUN}/%2e/resume",
        f"/api/flow_runs/{RUN}/%2E%2E/resume",
        "/api%2fflow_runs/filter",
        "/api/flow_runs%5cfilter",
        "//api/flow_runs/filter",
        "/api/flow_runs//filter",
        "/api\\flow_runs/filter",
        "/api/flow_runs/%00/filter",
        "/api/flow_runs/%0a",
    ],
)
def test_a_path_that_could_mean_two_things_is_refused(pad):
    with pytest.raises(OngeldigPad):
        canoniek_pad(pad.encode())


@pytest.mark.parametrize(
    "spelling", [RUN, RUN.replace("-", ""), RUN.upper(), RUN.replace("-", "").upper()]
)
def test_every_spelling_of_a_run_id_is_the_one_canonical_path(spelling):
    t = TABEL.match("POST", canoniek_pad(f"/api/flow_runs/{spelling}/resume".encode()))
    assert (t.template, t.pad) == (HERVAT[1], f"/api/flow_runs/{RUN}/resume")
    assert t.run_id == RUN


def test_a_literal_route_is_not_taken_for_an_id():
    assert TABEL.match("POST", "/api/flow_runs/filter").template == "/api/flow_runs/filter"
    assert TABEL.match("POST", "/api/flow_runs/not-a-uuid/resume") is None


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_no_person_writes_inputs_states_deployments_blocks_automations_or_events(rol):
    """Issue 23: nobody but the service writes these; the exceptions are the resume (the
    deciding roles and the CCE), the cancel and delete of a run (operations) and a start
    (operations and the analist, checked per deployment)."""
    uitzonderingen = {HERVAT, ANNULEER, VERWIJDER, START}
    for methode, template in TABEL.templates():
        if methode in SCHRIJVEN and (methode, template) not in uitzonderingen:
            if template.endswith(("/filter", "/count", "/paginate", "/history", "/lateness")):
                continue
            if template.startswith("/api/ui/") or template.endswith("/count-by/{countable}"):
                continue
            assert handeling(rol, methode, template) is None, (rol, methode, template)


def test_who_resumes_cancels_deletes_and_starts():
    assert {r for r in ROLLEN if handeling(r, *HERVAT)} == {
        "beoordelaar",
        "teamleider",
        "jurist",
        "cce",
    }
    assert {r for r in ROLLEN if handeling(r, *ANNULEER)} == {"operations"}
    assert {r for r in ROLLEN if handeling(r, *VERWIJDER)} == {"operations"}
    assert {r for r in ROLLEN if handeling(r, *START)} == {"operations", "analist"}


def test_nobody_reads_the_servers_settings_or_opens_a_websocket():
    for rol in ROLLEN:
        # The UI waits for them; the gateway answers an empty object itself.
        assert handeling(rol, "GET", "/api/admin/settings") == Handeling.LEEG_ANTWOORD
        for methode, template in TABEL.templates():
            if methode == "WS":
                assert handeling(rol, methode, template) is None


def test_operations_cancels_a_run_but_sets_no_other_state():
    assert annuleren_toegestaan("CANCELLING") is None
    assert annuleren_toegestaan("cancelled") is None
    for state in ("SCHEDULED", "COMPLETED", "FAILED", "PAUSED", None):
        assert annuleren_toegestaan(state) is not None


def test_the_startable_deployments_exist_in_prefect_yaml():
    from deployments.specs import PREFECT_YAML, resolved_config

    namen = {d["name"] for d in resolved_config(PREFECT_YAML, with_schedules=False)["deployments"]}
    assert set(STARTS) <= namen


def test_operations_starts_the_sweep_for_today_only():
    """Issue 23: a sweep with a peildatum in 2029 ended seven beschikkingen two years early."""
    ok = start_toegestaan("operations", "deadline-sweep", {"parameters": {}}, VANDAAG)
    assert ok is None
    assert start_toegestaan("operations", "werkvoorraad", {}, VANDAAG) is None
    today = {"parameters": {"peildatum": "2026-12-06"}}
    assert start_toegestaan("operations", "deadline-sweep", today, VANDAAG) is None
    later = {"parameters": {"peildatum": "2029-06-01"}}
    assert "2029-06-01" in start_toegestaan("operations", "deadline-sweep", later, VANDAAG)


@pytest.mark.parametrize("rol", ["beoordelaar", "teamleider", "jurist", "cce", "analist"])
def test_only_operations_starts_the_sweep(rol):
    assert start_toegestaan(rol, "deadline-sweep", {}, VANDAAG) is not None


@pytest.mark.parametrize("rol", sorted(ROLLEN))
def test_nobody_starts_the_intake_or_a_lifecycle(rol):
    """Issue 23: `intake` with a URL fetched any address and registered a zaak from it."""
    body = {"parameters": {"url": "http://169.254.169.254/"}}
    assert start_toegestaan(rol, "intake", body, VANDAAG) is not None
    assert start_toegestaan(rol, "lifecycle", {}, VANDAAG) is not None


def test_an_analyst_starts_the_analyses_with_parameters_only():
    params = {"parameters": {"van": "2026-01-01", "tot": "2026-06-01"}}
    assert start_toegestaan("analist", "backfill", params, VANDAAG) is None
    assert start_toegestaan("analist", "rapport", {"parameters": {"jaar": 2026}}, VANDAAG) is None
    job = params | {"job_variables": {"command": "touch /tmp/x"}}
    assert "job_variables" in start_toegestaan("analist", "backfill", job, VANDAAG)
    uitvoer = {"parameters": {"uitvoer": "/etc"}}
    assert "uitvoer" in start_toegestaan("analist", "rapport", uitvoer, VANDAAG)
    rennend = params | {"state": {"type": "RUNNING"}}
    assert start_toegestaan("analist", "backfill", rennend, VANDAAG) is not None
    # What the UI's Custom run sends along (tests/e2e/test_rollen.py) is no reason to refuse:
    # a prefilled name and the deployment's tags (dropped), empty policies and variables.
    ui = params | {
        "name": "vivid-okapi",
        "tags": ["meerzorg-analyse"],
        "state": {"type": "SCHEDULED", "message": "", "state_details": {"scheduled_time": None}},
        "empirical_policy": {"retries": None, "pause_keys": [], "resuming": False},
        "work_queue_name": None,
        "job_variables": {},
        "enforce_parameter_schema": True,
    }
    assert start_toegestaan("analist", "backfill", ui, VANDAAG) is None
    retries = ui | {"empirical_policy": {"retries": 5}}
    assert "empirical_policy" in start_toegestaan("analist", "backfill", retries, VANDAAG)
