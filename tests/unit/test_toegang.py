"""Who may do what through the dashboard (models/toegang.py, issue 14)."""

from __future__ import annotations

import pytest

from models.overgang import ROLLEN
from models.proces import ZAAK
from models.toegang import (
    SERVICE,
    Actie,
    actie_van,
    identiteit_veld,
    mag,
    mag_hervatten,
    onderteken,
)

RUN = "11111111-2222-3333-4444-555555555555"


def test_every_role_has_a_row_of_rights():
    for rol in ROLLEN:
        assert mag(rol, Actie.LEZEN) is None


@pytest.mark.parametrize("rol", ["beoordelaar", "teamleider"])
def test_a_deciding_role_may_answer_a_beoordeling(rol):
    assert mag_hervatten(rol, "zaak", "beoordeling") is None
    assert mag_hervatten(rol, "zaak", "tweede_beoordeling") is None


def test_the_cce_never_answers_a_beoordeling():
    reden = mag_hervatten("cce", "zaak", "beoordeling")
    assert reden is not None and "R §10" in reden


def test_the_cce_records_its_ontwikkeltraject_at_a_running_beschikking():
    assert mag_hervatten("cce", "zaak", "lopend") is None


@pytest.mark.parametrize("status", [w.status.value for w in ZAAK.wachten])
def test_an_analyst_resumes_no_wait_of_a_zaak(status):
    assert "analist" in mag_hervatten("analist", "zaak", status)


@pytest.mark.parametrize("status", [w.status.value for w in ZAAK.wachten])
def test_operations_answers_no_wait_of_a_zaak(status):
    assert mag_hervatten("operations", "zaak", status) is not None


def test_a_bezwaar_is_for_the_jurist_and_deciding_roles_only():
    assert mag_hervatten("jurist", "zaak", "bezwaar_beslissen") is None
    assert mag_hervatten("beoordelaar", "zaak", "bezwaar_horen") is None
    assert mag_hervatten("cce", "zaak", "bezwaar_beslissen") is not None


def test_a_jurist_takes_no_primary_decision():
    assert mag_hervatten("jurist", "zaak", "beoordeling") is not None


def test_the_service_may_do_everything():
    for actie in Actie:
        assert mag(SERVICE, actie) is None
    assert mag_hervatten(SERVICE, None, None) is None


def test_a_run_that_is_no_case_is_resumed_by_the_service_only():
    assert mag_hervatten("beoordelaar", None, None) is not None


@pytest.mark.parametrize("rol", [r for r in ROLLEN if r != "operations"])
def test_only_operations_cancels_or_deletes(rol):
    assert "operations" in mag(rol, Actie.ANNULEREN)
    assert "operations" in mag(rol, Actie.VERWIJDEREN)
    assert mag("operations", Actie.ANNULEREN) is None


def test_an_unknown_role_may_nothing():
    assert mag("aanbieder", Actie.LEZEN) is not None


def test_each_form_names_its_identity_field():
    assert identiteit_veld("zaak", "beoordeling") == "beoordelaar"
    assert identiteit_veld("zaak", "bezwaar_beslissen") == "behandelaar"
    assert identiteit_veld("zaak", "lopend") == "ingediend_door"
    assert identiteit_veld("dialoog", "plan_ontvangen") == "verslaglegger"
    assert identiteit_veld(None, None) is None


def test_every_wait_of_a_zaak_has_an_identity_field():
    for w in ZAAK.wachten:
        assert identiteit_veld("zaak", w.status.value), w.status


def test_signing_overrides_the_typed_id():
    assert onderteken({"beoordelaar": "bo-2", "uitkomst": "x"}, "beoordelaar", "bo-1") == {
        "beoordelaar": "bo-1",
        "uitkomst": "x",
    }
    assert onderteken({"a": 1}, None, "bo-1") == {"a": 1}


@pytest.mark.parametrize(
    ("methode", "pad", "state", "actie"),
    [
        ("GET", f"/api/flow_runs/{RUN}", None, Actie.LEZEN),
        ("POST", "/api/flow_runs/filter", None, Actie.LEZEN),
        ("POST", "/api/ui/flow_runs/history", None, Actie.LEZEN),
        ("POST", "/api/artifacts/latest/filter", None, Actie.LEZEN),
        ("POST", f"/api/flow_runs/{RUN}/resume", None, Actie.HERVATTEN),
        ("POST", f"/api/flow_runs/{RUN}/set_state", "CANCELLING", Actie.ANNULEREN),
        ("POST", f"/api/flow_runs/{RUN}/set_state", "SCHEDULED", Actie.WIJZIGEN),
        ("DELETE", f"/api/flow_runs/{RUN}", None, Actie.VERWIJDEREN),
        ("POST", f"/api/deployments/{RUN}/create_flow_run", None, Actie.STARTEN),
        ("PATCH", f"/api/flow_runs/{RUN}", None, Actie.WIJZIGEN),
        ("POST", "/api/variables/", None, Actie.WIJZIGEN),
    ],
)
def test_a_request_is_one_action(methode, pad, state, actie):
    assert actie_van(methode, pad, state)[0] == actie


def test_every_role_opens_on_a_view_or_a_werkvoorraad_that_exists():
    from deployments.automations import SAVED_VIEWS, STARTVIEW, STARTWERKVOORRAAD, startpagina
    from models.overgang import ROLLEN
    from models.werkvoorraad import ROLLEN as WERKVOORRAAD_ROLLEN

    assert set(STARTVIEW.values()) <= set(SAVED_VIEWS)
    keys = {"werkvoorraad" if r == "analist" else f"werkvoorraad-{r}" for r in WERKVOORRAAD_ROLLEN}
    assert set(STARTWERKVOORRAAD.values()) <= keys
    for rol in ROLLEN:
        assert startpagina(rol).startswith(("/runs?tag=", "/artifacts/key/werkvoorraad"))
    assert (
        startpagina("beoordelaar") == "/runs?tag=wacht-op:beoordeling&type=span&seconds=-315360000"
    )
