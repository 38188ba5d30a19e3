"""The obligations of one beschikking (R §10, §11; Awb 6:7; N 2025)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.aanvraag import parse_beschikking
from models.beleid import beleid_op
from models.planner import ontwikkeltraject_uiterlijk, plan, plan_public
from tests.factories import PEILDATUM, beschikking, client_dict, d, traject

BELEID = beleid_op(PEILDATUM)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Default beschikking of the factory: 2026-07-01 .. 2028-06-30, one VG7 client in verblijf.


def _plan(peildatum=PEILDATUM, **overrides):
    return plan(beschikking(**overrides), BELEID, peildatum)


def _datums(verplichtingen, soort):
    return [v.datum for v in verplichtingen if v.soort == soort]


def _soorten(verplichtingen):
    return {v.soort for v in verplichtingen}


# --- CCE ontwikkeltraject: at least once per 3 years (R §10) -------------------------------


def test_ontwikkeltraject_is_due_3_years_after_the_start_when_there_is_none():
    assert _datums(_plan(), "ontwikkeltraject_uiterlijk") == [d("2029-06-30")]


def test_r_10_ontwikkeltraject_is_due_3_years_after_the_last_completed_one_during_meerzorg():
    trajecten = [traject("2025-01-13", "2025-03-03"), traject("2026-02-02", "2026-05-04")]
    v = _plan(meerzorg_sinds="2024-09-01", client={"ontwikkeltrajecten": trajecten})
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2029-05-03")]


def test_r_10_aanname_a_traject_before_meerzorg_counts_for_the_first_window_from_the_start():
    # Completed on 2026-05-04, before meerzorg starts on 2026-07-01: the first window still
    # runs three years from the start, as for a client never consulted (the old rule made it
    # end on 2029-05-03, earlier for having consulted the CCE early).
    trajecten = [traject("2025-01-13", "2025-03-03"), traject("2026-02-02", "2026-05-04")]
    v = _plan(client={"ontwikkeltrajecten": trajecten})
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2029-06-30")]


def test_r_10_ontwikkeltraject_completed_during_the_beschikking_restarts_the_window():
    v = _plan(d("2027-03-01"), client={"ontwikkeltrajecten": [traject("2027-02-01", "2027-03-01")]})
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2030-02-28")]


def test_r_10_a_traject_whose_second_bijeenkomst_is_still_to_come_moves_no_deadline():
    # Planned for 2027, the plan on 2026-06-01 (and the timers of a decision that day) keep
    # the window from the start; the old rule counted it as held and gave 2030-02-28.
    v = _plan(client={"ontwikkeltrajecten": [traject("2027-02-01", "2027-03-01")]})
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2029-06-30")]
    v = _plan(d("2027-02-28"), client={"ontwikkeltrajecten": [traject("2027-02-01", "2027-03-01")]})
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2029-06-30")]


def test_incomplete_ontwikkeltraject_does_not_count():
    v = _plan(client={"ontwikkeltrajecten": [traject("2026-05-04")]})
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2029-06-30")]


def test_ontwikkeltraject_window_counts_from_meerzorg_sinds_when_given():
    v = _plan(meerzorg_sinds="2025-01-01")
    assert _datums(v, "ontwikkeltraject_uiterlijk") == [d("2027-12-31")]


def test_ontwikkeltraject_due_after_the_beschikking_says_so():
    v = _plan()
    (o,) = [x for x in v if x.soort == "ontwikkeltraject_uiterlijk"]
    assert o.datum > d("2028-06-30")
    assert "na het einde van deze beschikking" in o.toelichting


def test_ontwikkeltraject_uiterlijk_direct():
    client = beschikking(
        client={"ontwikkeltrajecten": [traject("2026-08-03", "2026-09-07")]}
    ).clienten[0]
    assert ontwikkeltraject_uiterlijk(client, d("2026-07-01"), d("2026-09-07"), BELEID) == d(
        "2029-09-06"
    )
    assert ontwikkeltraject_uiterlijk(client, d("2026-07-01"), d("2026-09-06"), BELEID) == d(
        "2029-06-30"
    )


def test_ontwikkeltraject_reminder_comes_6_months_before_the_due_date():
    v = _plan(meerzorg_sinds="2025-01-01")
    assert _datums(v, "ontwikkeltraject_herinnering") == [d("2027-06-30")]


def test_each_group_member_gets_its_own_ontwikkeltraject_date():
    clienten = [
        client_dict(0, ontwikkeltrajecten=[traject("2025-01-13", "2025-03-03")]),
        client_dict(1),
    ]
    v = _plan(meerzorg_sinds="2024-06-01", clienten=clienten, vorm="groep")
    per_client = {x.client_id: x.datum for x in v if x.soort == "ontwikkeltraject_uiterlijk"}
    assert per_client == {"CL-001": d("2028-03-02"), "CL-002": d("2027-05-31")}


def test_beschikking_for_one_group_member_plans_only_that_member():
    v = _plan(clienten=[client_dict(0), client_dict(1)], vorm="groep", client_id="CL-002")
    assert {x.client_id for x in v if x.client_id} == {"CL-002"}


# --- herbeoordeling, verlenging and the end (R §11) --------------------------------------------


def test_herbeoordeling_starts_6_months_before_the_end():
    assert _datums(_plan(), "herbeoordeling_start") == [d("2027-12-30")]


def test_verlenging_must_be_asked_3_months_before_the_end():
    assert _datums(_plan(), "verlenging_uiterlijk") == [d("2028-03-30")]


def test_herbeoordeling_of_a_short_beschikking_starts_at_the_start():
    v = _plan(start="2026-07-01", eind="2026-10-31")
    assert _datums(v, "herbeoordeling_start") == [d("2026-07-01")]
    assert _datums(v, "verlenging_uiterlijk") == [d("2026-07-31")]


def test_einde_beschikking_is_the_last_day_of_the_term():
    assert _datums(_plan(), "einde_beschikking") == [d("2028-06-30")]


def test_vg7_plus_gets_a_passende_overgang_instead_of_a_herbeoordeling():
    v = _plan(client={"vg7_plus": True}, eind="2027-06-30")
    assert _datums(v, "passende_overgang_start") == [d("2026-12-30")]
    assert "herbeoordeling_start" not in _soorten(v)
    assert "verlenging_uiterlijk" not in _soorten(v)
    assert _datums(v, "einde_beschikking") == [d("2027-06-30")]


# --- periodic contact, thuis only (N 2025) -------------------------------------------------------


@pytest.mark.parametrize("leveringsvorm", ["mpt", "pgb"])
def test_periodic_contact_every_3_months_for_thuis(leveringsvorm):
    v = _plan(client={"leveringsvorm": leveringsvorm})
    assert _datums(v, "periodiek_contact") == [
        d("2026-10-01"),
        d("2027-01-01"),
        d("2027-04-01"),
        d("2027-07-01"),
        d("2027-10-01"),
        d("2028-01-01"),
        d("2028-04-01"),
    ]


@pytest.mark.parametrize("leveringsvorm", ["verblijf", "vpt"])
def test_no_periodic_contact_outside_thuis(leveringsvorm):
    assert "periodiek_contact" not in _soorten(_plan(client={"leveringsvorm": leveringsvorm}))


def test_periodic_contact_only_for_the_thuis_member_of_a_group():
    clienten = [client_dict(0, leveringsvorm="mpt"), client_dict(1)]
    v = _plan(clienten=clienten, vorm="groep")
    assert {x.client_id for x in v if x.soort == "periodiek_contact"} == {"CL-001"}


# --- bezwaar (Awb 6:7/6:8) ----------------------------------------------------------------------


@pytest.mark.parametrize("uitkomst", ["afwijzen", "bijstellen"])
def test_bezwaartermijn_ends_6_weeks_after_the_decision(uitkomst):
    v = _plan(uitkomst=uitkomst, besluitdatum="2026-06-15")
    assert [(x.soort, x.datum) for x in v] == [("bezwaartermijn_einde", d("2026-07-27"))]
    assert uitkomst in v[0].toelichting


def test_toekennen_has_no_bezwaartermijn_in_the_plan():
    assert "bezwaartermijn_einde" not in _soorten(_plan(besluitdatum="2026-06-15"))


# --- shape ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"client": {"leveringsvorm": "pgb"}},
        {"client": {"vg7_plus": True}, "eind": "2027-06-30"},
        {"clienten": [client_dict(i, leveringsvorm="mpt") for i in range(3)], "vorm": "groep"},
        {"meerzorg_sinds": "2024-01-01", "client": {"leveringsvorm": "mpt"}},
    ],
    ids=["verblijf", "pgb", "vg7-plus", "groep-mpt", "long-running"],
)
def test_plan_is_date_sorted(overrides):
    v = _plan(**overrides)
    assert [x.datum for x in v] == sorted(x.datum for x in v)


def test_plan_public_marks_past_obligations_and_names_the_policy():
    out = plan_public(beschikking(besluitdatum="2025-08-15"), d("2028-01-02"))
    assert {x["beleidsversie"] for x in out} == {"2025.1"}
    status = {x["soort"]: x["status"] for x in out}
    assert status["herbeoordeling_start"] == "verstreken"
    assert status["einde_beschikking"] == "open"
    assert all(set(x) >= {"soort", "datum", "toelichting"} for x in out)


def test_plan_public_without_besluitdatum_uses_the_policy_on_the_start():
    out = plan_public(beschikking(start="2025-10-01", eind="2026-09-30"), d("2026-06-01"))
    assert {x["beleidsversie"] for x in out} == {"2025.2"}


def test_example_beschikking_plan():
    b = parse_beschikking(json.loads((EXAMPLES / "beschikking-groep-vg.json").read_text()))
    v = plan(b, beleid_op(b.besluitdatum), b.besluitdatum)
    per_client = {x.client_id: x.datum for x in v if x.soort == "ontwikkeltraject_uiterlijk"}
    # LINDE-022 had a traject in 2024 (ends 2024-06-03), before meerzorg: it counts for the
    # first window, which runs from the start as LINDE-014's without any (R §10, aanname;
    # the old rule made LINDE-022's end 2027-06-02, penalising early consultation).
    assert per_client == {"LINDE-022": d("2030-01-31"), "LINDE-014": d("2030-01-31")}
    assert _datums(v, "einde_beschikking") == [d("2029-01-31")]
