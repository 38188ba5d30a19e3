"""Who may answer which wait (models/toegang.py, issues 14 and 23)."""

from __future__ import annotations

import pytest

from models.overgang import ROLLEN
from models.proces import ZAAK
from models.toegang import SERVICE, mag_hervatten, onderteken, rol_bekend


def test_every_role_is_known_and_no_other():
    assert all(rol_bekend(rol) for rol in ROLLEN)
    assert not rol_bekend("aanbieder")


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


def test_the_service_may_answer_any_wait():
    assert mag_hervatten(SERVICE, None, None) is None


def test_a_run_that_is_no_case_is_resumed_by_the_service_only():
    assert mag_hervatten("beoordelaar", None, None) is not None


def test_every_form_of_a_wait_names_its_identity_field():
    from models.dialoog_proces import DIALOOG

    for soort in (ZAAK, DIALOOG):
        for w in soort.wachten:
            assert w.identiteit in w.formulier.model_fields, (soort.naam, w.status)


def test_signing_overrides_the_typed_id():
    assert onderteken({"beoordelaar": "bo-2", "uitkomst": "x"}, "beoordelaar", "bo-1") == {
        "beoordelaar": "bo-1",
        "uitkomst": "x",
    }
    assert onderteken({"a": 1}, None, "bo-1") == {"a": 1}


def test_every_role_opens_on_a_view_or_a_werkvoorraad_that_exists():
    from deployments.automations import SAVED_VIEWS, STARTVIEW, STARTWERKVOORRAAD, startpagina
    from models.overgang import ROLLEN
    from models.werkvoorraad import ROLLEN as WERKVOORRAAD_ROLLEN

    assert set(STARTVIEW.values()) <= set(SAVED_VIEWS)
    keys = {"werkvoorraad" if r == "analist" else f"werkvoorraad-{r}" for r in WERKVOORRAAD_ROLLEN}
    assert set(STARTWERKVOORRAAD.values()) <= keys
    for rol in ROLLEN:
        assert startpagina(rol).startswith(
            ("/werkbak", "/runs?tag=", "/artifacts/key/werkvoorraad")
        )
    # Issue 27 point 5: the werkbak for the roles with tasks in it, Prefect for operations
    # and the analist.
    for rol in ("beoordelaar", "teamleider", "jurist", "cce"):
        assert startpagina(rol) == "/werkbak", rol
    assert startpagina("operations").startswith("/runs?tag=")
    assert startpagina("analist") == "/artifacts/key/werkvoorraad"
