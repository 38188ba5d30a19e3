"""A running beschikking by itself (models/opvolging_regels.py): given this stand and this
due timer or form, this transition. One test per rule, named after its source."""

from __future__ import annotations

import datetime as dt

import pytest

from models.engine import OngeldigeInvoer
from models.opvolging_regels import (
    na_evaluatie,
    na_passende_overgang,
    valideer_ontwikkeltraject,
)
from models.overgang import VervolgAangevraagd
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag, client_dict
from tests.unit.test_proces_rules import stand

EINDE = {"einde": dt.date(2028, 6, 30)}


def test_r_11_the_herbeoordeling_starts_on_its_day_and_asks_the_provider_to_evaluate():
    o = bij_deadline(stand("lopend"), "herbeoordeling_start", PEILDATUM, None, EINDE)
    assert (o.status, o.actie) == ("herbeoordeling", "herbeoordeling_gestart")
    assert [(b.sjabloon, b.kanaal, b.context["einde"]) for b in o.berichten] == [
        ("herbeoordeling", "aanbieder", "2028-06-30")
    ]


def test_r_9_vg7_plus_starts_a_passende_overgang_on_the_day_the_plan_names():
    vg7 = aanvraag(clienten=[client_dict(0, vg7_plus=True)])
    o = bij_deadline(stand("lopend", aanvraag=vg7), "passende_overgang_start", PEILDATUM, None)
    assert o.status == "passende_overgang" and o.berichten[0].sjabloon == "passende_overgang"


def test_r_11_no_verlenging_by_its_deadline_alerts_operations_and_keeps_the_wait():
    o = bij_deadline(stand("herbeoordeling"), "verlenging_uiterlijk", PEILDATUM, None, EINDE)
    assert (o.status, o.nieuwe_wacht) == ("herbeoordeling", False)
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [("verlenging_ontbreekt", "operations")]


def test_r_11_the_beschikking_ends_and_the_zaak_closes():
    o = bij_deadline(stand("lopend"), "einde_beschikking", PEILDATUM, None, EINDE)
    assert o.status == "beeindigd" and o.sluit


def test_r_10_a_client_without_a_timely_ontwikkeltraject_gets_a_reminder_to_provider_and_cce():
    ctx = {"cce_ok": False, "uiterlijk": "2027-03-01"}
    o = bij_deadline(stand("lopend"), "ontwikkeltraject_herinnering", PEILDATUM, "CL-001", ctx)
    assert {(b.kanaal, b.client_id) for b in o.berichten} == {
        ("aanbieder", "CL-001"),
        ("cce", "CL-001"),
    }
    ok = {"cce_ok": True, "uiterlijk": "2029-03-01"}
    assert (
        bij_deadline(stand("lopend"), "ontwikkeltraject_herinnering", PEILDATUM, "CL-001", ok)
        is None
    )


def test_r_10_the_three_year_window_passing_without_ontwikkeltraject_is_a_violation():
    o = bij_deadline(
        stand("lopend"), "ontwikkeltraject_uiterlijk", PEILDATUM, "CL-001", {"cce_ok": False}
    )
    assert o.actie == "ontwikkeltraject_overtreding"
    assert {b.kanaal for b in o.berichten} == {"operations", "cce"}


def test_a_timer_of_a_closed_zaak_does_nothing():
    assert bij_deadline(stand("beeindigd"), "periodiek_contact", PEILDATUM, "CL-001") is None


def test_r_11_pdca_the_evaluation_names_whether_the_goals_were_met_and_why():
    with pytest.raises(OngeldigeInvoer, match="behaald, deels of niet"):
        na_evaluatie(stand("herbeoordeling"), {"doelen_behaald": "ja"}, PEILDATUM)
    with pytest.raises(OngeldigeInvoer, match="toe"):
        na_evaluatie(stand("herbeoordeling"), {"doelen_behaald": "deels"}, PEILDATUM)
    o = na_evaluatie(
        stand("herbeoordeling"), {"doelen_behaald": "behaald", "toelichting": "Ok."}, PEILDATUM
    )
    assert o.status == "lopend" and not o.alle(VervolgAangevraagd)


def test_r_11_an_evaluation_with_a_verlenging_starts_a_linked_zaak():
    verlenging = aanvraag(soort="verlenging").model_dump(mode="json")
    o = na_evaluatie(
        stand("herbeoordeling"),
        {"doelen_behaald": "deels", "toelichting": "Half.", "verlenging": verlenging},
        PEILDATUM,
    )
    (vervolg,) = o.alle(VervolgAangevraagd)
    assert vervolg.aanvraag["vorige_zaak"] == "MZ-2026-000001"


def test_n_2025_a_passende_overgang_arranged_returns_to_the_running_beschikking_or_closes():
    invoer = {"geregeld": True, "toelichting": "Naar VG7 met begeleiding."}
    lopend = na_passende_overgang(stand("passende_overgang"), invoer, beschikking_actief=True)
    assert lopend.status == "lopend"
    klaar = na_passende_overgang(stand("passende_overgang"), invoer, beschikking_actief=False)
    assert klaar.status == "afgewezen" and klaar.sluit
    with pytest.raises(OngeldigeInvoer, match="geen passende zorg"):
        na_passende_overgang(stand("passende_overgang"), {"geen_passende_zorg": True}, True)


def test_r_10_the_second_bijeenkomst_is_on_a_later_day_than_the_first():
    with pytest.raises(OngeldigeInvoer, match="latere dag"):
        valideer_ontwikkeltraject("CL-001", "2027-03-01", "2027-03-01", {"CL-001"})
    with pytest.raises(OngeldigeInvoer, match="hoort niet"):
        valideer_ontwikkeltraject("CL-009", "2027-03-01", None, {"CL-001"})
    traject = valideer_ontwikkeltraject("CL-001", "2027-03-01", "2027-04-01", {"CL-001"})
    assert traject["bijeenkomst_2"] == dt.date(2027, 4, 1)
