"""The toets rules, one test per rule (DOMAIN.md; R = regeling, N = nota thuis)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.beleid import BeleidsFout
from tests.factories import (
    PEILDATUM,
    START,
    aanvraag_dict,
    check_vooraf,
    client_dict,
    codes,
    d,
    ernst,
    groep_dict,
    norm,
    toets_van,
    traject,
    uren,
    vragenlijst,
)

# --- threshold (R §10): care need exceeds the zorgprofiel in hours by at least 25% ----------


def test_excess_of_exactly_25_percent_passes_the_threshold():
    r = toets_van(aanvraag_dict(overschrijding=0.25))
    assert r.rekentool.overschrijding_pct == 25.0
    assert "DREMPEL_NIET_GEHAALD" not in codes(r)
    assert r.ontvankelijk


def test_excess_of_24_9_percent_does_not_pass():
    r = toets_van(aanvraag_dict(overschrijding=0.249))
    assert ernst(r, "DREMPEL_NIET_GEHAALD") == {"blokkerend"}
    assert not r.ontvankelijk


def test_excess_just_below_25_percent_is_not_rounded_up_to_pass():
    # 32.4999 h on a 26 h norm is 24.9996%: shown as 25.0, still below the threshold.
    r = toets_van(aanvraag_dict(uren_per_week=uren(begeleiding=32.4999)))
    assert r.rekentool.overschrijding_pct == 25.0
    assert ernst(r, "DREMPEL_NIET_GEHAALD") == {"blokkerend"}


def test_care_need_below_the_norm_is_a_negative_excess_and_fails():
    r = toets_van(aanvraag_dict(uren_per_week=uren(begeleiding=13)))
    assert r.rekentool.overschrijding_pct == -50.0
    assert "DREMPEL_NIET_GEHAALD" in codes(r)


def test_group_threshold_uses_the_summed_norm_of_all_members():
    clienten = [client_dict(0, zorgprofiel="VG7"), client_dict(1, zorgprofiel="VG8")]
    assert norm("VG7", "VG8") == 56.0
    passes = toets_van(groep_dict(clienten=clienten, uren_per_week=uren(begeleiding=70)))
    fails = toets_van(groep_dict(clienten=clienten, uren_per_week=uren(begeleiding=69.9)))
    assert passes.rekentool.overschrijding_pct == 25.0
    assert "DREMPEL_NIET_GEHAALD" not in codes(passes)
    assert "DREMPEL_NIET_GEHAALD" in codes(fails)


# --- term (R §9): maximum 3 years; VG7-plus 1 year --------------------------------------------


def test_term_of_exactly_36_months_is_kept():
    r = toets_van(aanvraag_dict(maanden=36))
    assert "TERMIJN_TE_LANG" not in codes(r)
    assert r.termijn.eind == d("2029-06-30")


def test_term_longer_than_36_months_is_capped_to_three_years():
    r = toets_van(aanvraag_dict(maanden=48))
    assert ernst(r, "TERMIJN_TE_LANG") == {"aanpassing"}
    assert r.ontvankelijk
    assert (r.termijn.start, r.termijn.eind) == (START, d("2029-06-30"))


def test_vg7_plus_term_is_capped_at_one_year():
    r = toets_van(aanvraag_dict(client={"vg7_plus": True}, maanden=24))
    assert ernst(r, "TERMIJN_TE_LANG") == {"aanpassing"}
    assert r.termijn.eind == d("2027-06-30")
    assert "VG7-plus" in next(b.toelichting for b in r.bevindingen if b.code == "TERMIJN_TE_LANG")


def test_vg7_plus_term_of_exactly_one_year_is_kept():
    r = toets_van(aanvraag_dict(client={"vg7_plus": True}, maanden=12))
    assert "TERMIJN_TE_LANG" not in codes(r)
    assert r.termijn.eind == d("2027-06-30")


def test_vg7_plus_member_caps_the_whole_group_to_one_year():
    clienten = [client_dict(0, vg7_plus=True), client_dict(1)]
    r = toets_van(groep_dict(clienten=clienten, maanden=36))
    assert r.termijn.eind == d("2027-06-30")
    assert {t.eind for t in r.termijnen_per_client.values()} == {d("2027-06-30")}


def test_term_is_reported_per_client_for_a_group():
    r = toets_van(groep_dict(3))
    assert set(r.termijnen_per_client) == {"CL-001", "CL-002", "CL-003"}


# --- preventive meerzorg (R §7): 3–6 months -------------------------------------------------


@pytest.mark.parametrize(
    "eind",
    [
        pytest.param("2026-09-30", id="exactly-3-months"),
        pytest.param("2026-11-15", id="4.5-months"),
        pytest.param("2026-12-31", id="exactly-6-months"),
    ],
)
def test_preventive_term_of_3_to_6_months_is_accepted(eind):
    r = toets_van(aanvraag_dict(soort="preventief", gevraagde_eind=eind))
    assert "PREVENTIEF_TERMIJN" not in codes(r)
    assert r.termijn.eind == d(eind)
    assert r.ontvankelijk


def test_preventive_term_of_7_months_is_capped_to_6_months():
    r = toets_van(aanvraag_dict(soort="preventief", gevraagde_eind="2027-01-31"))
    assert ernst(r, "PREVENTIEF_TERMIJN") == {"aanpassing"}
    assert "TERMIJN_TE_LANG" not in codes(r)
    assert r.termijn.eind == d("2026-12-31")
    assert r.ontvankelijk


def test_preventive_term_of_2_months_is_blocking():
    r = toets_van(aanvraag_dict(soort="preventief", gevraagde_eind="2026-08-31"))
    assert ernst(r, "PREVENTIEF_TERMIJN") == {"blokkerend"}
    assert not r.ontvankelijk


def test_preventive_term_one_day_short_of_3_months_is_blocking():
    r = toets_van(aanvraag_dict(soort="preventief", gevraagde_eind="2026-09-29"))
    assert ernst(r, "PREVENTIEF_TERMIJN") == {"blokkerend"}


def test_preventive_vg7_plus_keeps_the_preventive_maximum():
    r = toets_van(
        aanvraag_dict(soort="preventief", client={"vg7_plus": True}, gevraagde_eind="2027-06-30")
    )
    assert ernst(r, "PREVENTIEF_TERMIJN") == {"aanpassing"}
    assert r.termijn.eind == d("2026-12-31")


# --- start (ZK): no retroactive start ----------------------------------------------------------


def test_start_in_the_past_moves_to_the_peildatum():
    r = toets_van(aanvraag_dict(gevraagde_start="2026-05-01"), peildatum=PEILDATUM)
    assert ernst(r, "START_IN_VERLEDEN") == {"aanpassing"}
    assert r.termijn.start == PEILDATUM
    assert all(t.start == PEILDATUM for t in r.termijnen_per_client.values())
    assert r.ontvankelijk


def test_start_on_the_peildatum_is_not_in_the_past():
    r = toets_van(aanvraag_dict(gevraagde_start=PEILDATUM), peildatum=PEILDATUM)
    assert "START_IN_VERLEDEN" not in codes(r)


def test_moved_start_caps_the_term_from_the_new_start():
    r = toets_van(aanvraag_dict(gevraagde_start="2026-01-01", maanden=48), peildatum=PEILDATUM)
    assert {"START_IN_VERLEDEN", "TERMIJN_TE_LANG"} <= codes(r)
    assert (r.termijn.start, r.termijn.eind) == (PEILDATUM, d("2029-05-31"))


# --- group (R §8): two or more clients -----------------------------------------------------------


def test_group_of_one_client_is_too_small():
    r = toets_van(groep_dict(1))
    assert ernst(r, "GROEP_TE_KLEIN") == {"blokkerend"}
    assert not r.ontvankelijk


def test_group_of_two_clients_is_fine():
    r = toets_van(groep_dict(2))
    assert "GROEP_TE_KLEIN" not in codes(r)
    assert r.ontvankelijk


# --- indicatie -----------------------------------------------------------------------------------


def test_term_ending_after_the_indicatie_is_capped_to_the_indicatie_end():
    r = toets_van(aanvraag_dict(client={"indicatie_einddatum": "2027-12-31"}))
    assert ernst(r, "EIND_NA_INDICATIE") == {"aanpassing"}
    assert r.termijnen_per_client["CL-001"].eind == d("2027-12-31")
    assert r.termijn.eind == d("2027-12-31")
    assert r.ontvankelijk


def test_term_ending_on_the_indicatie_end_is_kept():
    r = toets_van(aanvraag_dict(client={"indicatie_einddatum": "2028-06-30"}))
    assert "EIND_NA_INDICATIE" not in codes(r)


def test_each_group_member_is_capped_to_its_own_indicatie_end():
    clienten = [client_dict(0, indicatie_einddatum="2027-03-31"), client_dict(1)]
    r = toets_van(groep_dict(clienten=clienten))
    assert r.termijnen_per_client["CL-001"].eind == d("2027-03-31")
    assert r.termijnen_per_client["CL-002"].eind == d("2028-06-30")
    assert len([b for b in r.bevindingen if b.code == "EIND_NA_INDICATIE"]) == 1


def test_indicatie_ending_before_the_start_needs_a_new_indicatie():
    r = toets_van(aanvraag_dict(client={"indicatie_einddatum": "2026-06-30"}))
    assert ernst(r, "INDICATIE_HERAANVRAAG") == {"blokkerend"}
    assert "EIND_NA_INDICATIE" not in codes(r)


def test_indicatie_that_no_longer_fits_needs_a_new_indicatie():
    r = toets_van(aanvraag_dict(check_vooraf=check_vooraf(indicatie_passend=False)))
    assert ernst(r, "INDICATIE_HERAANVRAAG") == {"blokkerend"}


# --- eligibility, completeness, other toeslagen --------------------------------------------------


@pytest.mark.parametrize(
    ("zorgprofiel", "leveringsvorm"),
    [("VG6", "verblijf"), ("LVG4", "mpt"), ("GGZ-W5", "pgb"), ("VV6", "vpt")],
)
def test_profile_without_meerzorg_is_blocking(zorgprofiel, leveringsvorm):
    r = toets_van(
        aanvraag_dict(client={"zorgprofiel": zorgprofiel, "leveringsvorm": leveringsvorm})
    )
    assert ernst(r, "PROFIEL_GEEN_MEERZORG") == {"blokkerend"}


@pytest.mark.parametrize(
    ("zorgprofiel", "leveringsvorm"),
    [("VG7", "verblijf"), ("LVG4", "vpt"), ("GGZ-W5", "mpt"), ("GGZ-W4", "pgb")],
)
def test_eligible_profile_has_no_profile_finding(zorgprofiel, leveringsvorm):
    r = toets_van(
        aanvraag_dict(client={"zorgprofiel": zorgprofiel, "leveringsvorm": leveringsvorm})
    )
    assert "PROFIEL_GEEN_MEERZORG" not in codes(r)


@pytest.mark.parametrize(
    "veld",
    [
        "beeldvorming_helder",
        "handelingsverlegenheid",
        "basiszorg_op_orde",
        "driehoek_betrokken",
        "client_betrokken",
    ],
)
def test_each_open_check_vooraf_item_is_blocking_and_named(veld):
    r = toets_van(aanvraag_dict(check_vooraf=check_vooraf(**{veld: False})))
    assert ernst(r, "CHECK_VOORAF_ONVOLLEDIG") == {"blokkerend"}
    assert veld in next(b.toelichting for b in r.bevindingen if b.code == "CHECK_VOORAF_ONVOLLEDIG")


def test_cce_consultation_not_considered_is_only_a_signal():
    r = toets_van(aanvraag_dict(check_vooraf=check_vooraf(cce_consultatie_overwogen=False)))
    assert ernst(r, "CCE_CONSULTATIE_NIET_OVERWOGEN") == {"signaal"}
    assert r.ontvankelijk


@pytest.mark.parametrize("leeg", ["huidige_situatie", "gewenste_situatie", "inzet"])
def test_empty_question_is_blocking(leeg):
    data = aanvraag_dict()
    data["vragenlijst"][leeg] = "   "
    r = toets_van(data)
    assert ernst(r, "VRAGENLIJST_ONVOLLEDIG") == {"blokkerend"}


@pytest.mark.parametrize("doelen", [[], ["", "  "]])
def test_missing_goals_are_blocking(doelen):
    r = toets_van(aanvraag_dict(doelen=doelen))
    assert ernst(r, "VRAGENLIJST_ONVOLLEDIG") == {"blokkerend"}


def test_other_toeslagen_at_the_same_time_are_blocking():
    r = toets_van(aanvraag_dict(check_vooraf=check_vooraf(andere_toeslagen=True)))
    assert ernst(r, "ANDERE_TOESLAGEN") == {"blokkerend"}


def test_lvhc_client_gets_a_signal():
    r = toets_van(aanvraag_dict(client={"lvhc": True}))
    assert ernst(r, "LVHC_VOORWAARDEN") == {"signaal"}
    assert r.ontvankelijk


def test_ontwikkeltraject_spanning_two_calendar_years_is_signalled():
    r = toets_van(
        aanvraag_dict(client={"ontwikkeltrajecten": [traject("2025-11-03", "2026-02-09")]})
    )
    assert ernst(r, "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND") == {"signaal"}


def test_ontwikkeltraject_within_one_calendar_year_is_not_signalled():
    r = toets_van(
        aanvraag_dict(client={"ontwikkeltrajecten": [traject("2025-02-03", "2025-10-09")]})
    )
    assert "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND" not in codes(r)


# --- verlenging (R §9, §10, §11) ------------------------------------------------------------------


def test_verlenging_without_evaluation_is_blocking():
    r = toets_van(aanvraag_dict(soort="verlenging", evaluatie_vorige_periode="  "))
    assert ernst(r, "EVALUATIE_ONTBREEKT") == {"blokkerend"}


def test_evaluation_is_not_required_for_a_new_aanvraag():
    assert "EVALUATIE_ONTBREEKT" not in codes(toets_van(aanvraag_dict(soort="nieuw")))


def test_vg7_plus_has_in_principle_no_verlenging():
    r = toets_van(aanvraag_dict(soort="verlenging", client={"vg7_plus": True}, maanden=12))
    assert ernst(r, "VG7PLUS_GEEN_VERLENGING") == {"blokkerend"}


def test_verlenging_without_recent_ontwikkeltraject_is_signalled():
    r = toets_van(aanvraag_dict(soort="verlenging"))
    assert ernst(r, "ONTWIKKELTRAJECT_ONTBREEKT") == {"signaal"}
    assert r.ontvankelijk


def test_verlenging_with_a_completed_ontwikkeltraject_in_the_last_3_years_is_fine():
    r = toets_van(
        aanvraag_dict(
            soort="verlenging", client={"ontwikkeltrajecten": [traject("2024-03-04", "2024-09-02")]}
        )
    )
    assert "ONTWIKKELTRAJECT_ONTBREEKT" not in codes(r)


@pytest.mark.parametrize(
    "trajecten",
    [
        pytest.param([traject("2022-03-07", "2022-09-05")], id="older-than-3-years"),
        pytest.param([traject("2025-03-03")], id="only-one-bijeenkomst"),
    ],
)
def test_old_or_incomplete_ontwikkeltraject_does_not_count(trajecten):
    r = toets_van(aanvraag_dict(soort="verlenging", client={"ontwikkeltrajecten": trajecten}))
    assert "ONTWIKKELTRAJECT_ONTBREEKT" in codes(r)


# --- policy versions by peildatum (N: every decision records the policy version) -----------------


@pytest.mark.parametrize(
    ("peildatum", "versie"),
    [
        ("2025-01-01", "2025.1"),
        ("2025-08-31", "2025.1"),
        ("2025-09-01", "2025.2"),
        ("2026-02-28", "2025.2"),
        ("2026-03-01", "2026.1"),
        ("2030-01-01", "2026.1"),
    ],
)
def test_policy_version_is_chosen_by_peildatum_and_named_in_the_result(peildatum, versie):
    r = toets_van(aanvraag_dict(), peildatum=d(peildatum))
    assert r.beleidsversie == versie
    assert r.public()["beleidsversie"] == versie
    assert r.peildatum == d(peildatum)


def test_peildatum_before_the_first_policy_is_refused():
    with pytest.raises(BeleidsFout, match="no policy in force on 2024-12-31"):
        toets_van(aanvraag_dict(), peildatum=dt.date(2024, 12, 31))


# --- meerzorg thuis: coulante maatwerkbeoordeling (N, from 2025.2) -------------------------------


def _thuis(leveringsvorm="pgb", **overrides):
    return aanvraag_dict(client={"leveringsvorm": leveringsvorm}, **overrides)


@pytest.mark.parametrize(
    ("peildatum", "coulant"),
    [("2025-08-31", False), ("2025-09-01", True), ("2026-06-01", True)],
)
def test_coulante_maatwerkbeoordeling_for_thuis_verlenging_only_from_2025_2(peildatum, coulant):
    r = toets_van(_thuis(soort="verlenging", gevraagde_start="2026-07-01"), peildatum=d(peildatum))
    assert ("COULANTE_MAATWERKBEOORDELING" in codes(r)) is coulant
    if coulant:
        assert ernst(r, "COULANTE_MAATWERKBEOORDELING") == {"signaal"}


@pytest.mark.parametrize("leveringsvorm", ["mpt", "pgb"])
def test_coulante_maatwerkbeoordeling_applies_to_mpt_and_pgb(leveringsvorm):
    r = toets_van(_thuis(leveringsvorm, soort="verlenging"), peildatum=d("2025-10-01"))
    assert "COULANTE_MAATWERKBEOORDELING" in codes(r)


def test_no_coulante_maatwerkbeoordeling_for_verblijf_verlenging():
    r = toets_van(aanvraag_dict(soort="verlenging"), peildatum=d("2025-10-01"))
    assert "COULANTE_MAATWERKBEOORDELING" not in codes(r)


def test_no_coulante_maatwerkbeoordeling_for_a_new_thuis_aanvraag():
    r = toets_van(_thuis(soort="nieuw"), peildatum=d("2025-10-01"))
    assert "COULANTE_MAATWERKBEOORDELING" not in codes(r)


# --- 2026.1: stepwise toets for thuis (mpt/pgb) ----------------------------------------------------

ALLE_STAPPEN = ("indicatie", "profiel", "volledigheid", "andere_toeslagen", "drempel", "termijn")
VANAF_2026_1 = d("2026-03-01")


def _alles_mis(leveringsvorm="pgb"):
    """An aanvraag that fails at every step."""
    return _thuis(
        leveringsvorm,
        check_vooraf=check_vooraf(
            indicatie_passend=False, beeldvorming_helder=False, andere_toeslagen=True
        ),
        uren_per_week=uren(begeleiding=1),
        maanden=48,
    )


def test_2026_1_pgb_toets_stops_the_content_at_the_first_blocking_step_and_lists_all_missing():
    """2026.1, the landelijke methode pgb meerzorg thuis: the content stops at the profiel;
    completeness is checked in full (Awb 4:5: one request names everything missing)."""
    data = aanvraag_dict(
        client={"leveringsvorm": "pgb", "zorgprofiel": "GGZ-W5"},
        check_vooraf=check_vooraf(beeldvorming_helder=False, andere_toeslagen=True),
        uren_per_week=uren(begeleiding=1),
        maanden=48,
    )
    r = toets_van(data, peildatum=VANAF_2026_1)
    assert r.beleidsversie == "2026.1"
    assert r.codes == ["PROFIEL_GEEN_MEERZORG", "CHECK_VOORAF_ONVOLLEDIG", "TOETS_GESTOPT"]
    assert r.niet_getoetst == ALLE_STAPPEN[2:]
    assert ernst(r, "TOETS_GESTOPT") == {"signaal"}
    # Completeness was checked: volledig says so, and the advice asks for what is missing.
    assert r.volledig is False and r.advies[0] == "aanvullen"
    # Without the zaak's facts (as on the command line) the overlap is not checked either.
    assert r.public()["niet_getoetst"] == [*ALLE_STAPPEN[2:], "overlap"]
    assert not r.ontvankelijk


def test_2026_1_everything_missing_comes_at_once_also_after_a_stop():
    """Awb 4:5: the indicatie, check vooraf and vragenlijst together, never one per round."""
    data = _thuis(
        check_vooraf=check_vooraf(indicatie_passend=False, beeldvorming_helder=False),
        vragenlijst=vragenlijst(inzet=""),
    )
    r = toets_van(data, peildatum=VANAF_2026_1)
    missend = {"INDICATIE_HERAANVRAAG", "CHECK_VOORAF_ONVOLLEDIG", "VRAGENLIJST_ONVOLLEDIG"}
    assert missend <= codes(r)
    assert r.volledig is False


def test_2026_1_the_stepwise_method_is_for_pgb_an_mpt_aanvraag_gets_every_check():
    """Its source is the landelijke beoordelingsmethode *pgb* meerzorg thuis (2026.1)."""
    r = toets_van(_alles_mis("mpt"), peildatum=VANAF_2026_1)
    assert r.niet_getoetst == () and "TOETS_GESTOPT" not in codes(r)
    assert {"CHECK_VOORAF_ONVOLLEDIG", "ANDERE_TOESLAGEN", "DREMPEL_NIET_GEHAALD"} <= codes(r)


def test_2026_1_thuis_toets_reports_signals_of_earlier_steps_and_stops_at_drempel():
    data = _thuis(
        check_vooraf=check_vooraf(cce_consultatie_overwogen=False),
        uren_per_week=uren(begeleiding=20),
        maanden=48,
    )
    r = toets_van(data, peildatum=VANAF_2026_1)
    assert r.codes == ["CCE_CONSULTATIE_NIET_OVERWOGEN", "DREMPEL_NIET_GEHAALD", "TOETS_GESTOPT"]
    assert r.niet_getoetst == ("termijn",)
    assert "TERMIJN_TE_LANG" not in codes(r)


def test_2026_1_thuis_toets_blocking_at_the_last_step_does_not_report_a_stop():
    r = toets_van(_thuis(soort="preventief", gevraagde_eind="2026-08-31"), peildatum=VANAF_2026_1)
    assert r.codes == ["PREVENTIEF_TERMIJN"]
    assert r.niet_getoetst == ()


def test_2026_1_thuis_toets_without_blocking_finding_runs_every_step():
    r = toets_van(_thuis(maanden=48), peildatum=VANAF_2026_1)
    assert r.codes == ["TERMIJN_TE_LANG"]
    assert r.niet_getoetst == ()
    assert r.ontvankelijk


def test_before_2026_1_a_thuis_aanvraag_gets_every_finding():
    r = toets_van(_alles_mis(), peildatum=d("2026-02-28"))
    assert r.niet_getoetst == ()
    assert "TOETS_GESTOPT" not in codes(r)
    assert {
        "INDICATIE_HERAANVRAAG",
        "CHECK_VOORAF_ONVOLLEDIG",
        "ANDERE_TOESLAGEN",
        "DREMPEL_NIET_GEHAALD",
        "TERMIJN_TE_LANG",
    } <= codes(r)


def test_2026_1_verblijf_aanvraag_is_not_checked_stepwise():
    r = toets_van(_alles_mis("verblijf"), peildatum=VANAF_2026_1)
    assert r.niet_getoetst == ()
    assert {"INDICATIE_HERAANVRAAG", "ANDERE_TOESLAGEN", "DREMPEL_NIET_GEHAALD"} <= codes(r)


# --- result shape ------------------------------------------------------------------------------------


def test_ontvankelijk_is_true_exactly_when_no_finding_is_blocking():
    signalen = toets_van(aanvraag_dict(client={"lvhc": True}, maanden=48))
    assert {b.ernst for b in signalen.bevindingen} == {"signaal", "aanpassing"}
    assert signalen.ontvankelijk
    blok = toets_van(aanvraag_dict(check_vooraf=check_vooraf(andere_toeslagen=True)))
    assert not blok.ontvankelijk


def test_public_result_has_the_stable_keys():
    out = toets_van(aanvraag_dict()).public()
    assert {
        "ontvankelijk",
        "bevindingen",
        "overschrijding_pct",
        "bedrag_per_jaar",
        "uitkomst_rekentool",
        "termijn",
        "beleidsversie",
    } <= set(out)
    assert out["termijn"] == {"start": "2026-07-01", "eind": "2028-06-30"}
    assert out["uitkomst_rekentool"]["soort"] in ("profiel", "maatwerk")
