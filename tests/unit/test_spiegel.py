"""The spiegel figure and the aanvraag in view (issue 12 item 5), as pure rules."""

from __future__ import annotations

from models.beleid import beleid_versie
from models.spiegel import Vergelijkbare, mediaan, spiegel, spiegel_regel
from models.zaakinhoud import (
    BSN_MASKER,
    aanvraag_inhoud,
    advies_regel,
    advies_van,
    zonder_bsn,
)
from tests.factories import BSNS, aanvraag_dict, client_dict, uren


def b(profiel: str, vorm: str, bedrag: float) -> Vergelijkbare:
    return Vergelijkbare(profiel, vorm, bedrag)


def test_the_median_of_an_odd_count_is_the_middle_amount():
    assert mediaan([50_000, 10_000, 30_000]) == 30_000


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert mediaan([10_000, 30_000, 50_000, 1_000_000]) == 40_000


def test_no_amounts_give_no_median():
    assert mediaan([]) is None


def test_only_the_same_zorgprofiel_and_leveringsvorm_are_comparable():
    s = spiegel(
        [b("VG7", "verblijf", 30_000), b("VG7", "verblijf", 50_000), b("VG7", "mpt", 90_000)],
        [("VG7", "verblijf")],
    )
    assert s["mediaan_bedrag_per_jaar"] == 40_000 and s["aantal"] == 2


def test_another_profile_with_the_same_leveringsvorm_is_not_comparable():
    s = spiegel([b("VG8", "verblijf", 90_000)], [("VG7", "verblijf")])
    assert s["aantal"] == 0 and s["mediaan_bedrag_per_jaar"] is None


def test_a_mixed_group_gets_a_figure_per_profile_and_one_over_all_comparable():
    s = spiegel(
        [b("VG7", "verblijf", 30_000), b("VG8", "verblijf", 70_000), b("LG6", "vpt", 1)],
        [("VG7", "verblijf"), ("VG8", "verblijf"), ("VG7", "verblijf")],
    )
    assert [(p["zorgprofiel"], p["aantal"]) for p in s["per_profiel"]] == [("VG7", 1), ("VG8", 1)]
    assert s["aantal"] == 2 and s["mediaan_bedrag_per_jaar"] == 50_000


def test_the_card_line_says_when_there_is_nothing_to_compare_with():
    assert spiegel_regel(spiegel([], [("VG7", "verblijf")])) == "geen vergelijkbare beschikkingen"
    regel = spiegel_regel(spiegel([b("VG7", "verblijf", 30_000)], [("VG7", "verblijf")]))
    assert regel == "mediaan 30,000.00 euro per client per jaar (1 vergelijkbare beschikking)"


def test_a_bsn_in_free_text_is_masked_in_any_common_notation():
    for geschreven in (BSNS[0], "9999.90.007", "999 990 007", "bsn:999990007."):
        tekst = zonder_bsn(f"client {geschreven} heeft agressie")
        assert "999990007" not in tekst.replace(" ", "").replace(".", "")
        assert BSN_MASKER in tekst


def test_a_number_that_fails_the_elfproef_stays_as_written():
    assert zonder_bsn("dossier 123456789 en 12 uur") == "dossier 123456789 en 12 uur"


def test_the_care_hours_are_set_against_the_summed_norm_of_the_profiles():
    beleid = beleid_versie("2026.1")
    aanvraag = aanvraag_dict(
        clienten=[client_dict(0), client_dict(1, zorgprofiel="VG8")],
        vorm="groep",
        uren_per_week=uren(begeleiding=100, nachtzorg=13),
        behandelaar_uren_per_week={"gedragsdeskundige": 3, "psychiater": 0.5},
        context_middelen_per_jaar=12_500,
    )
    inhoud = aanvraag_inhoud(aanvraag, beleid)
    norm = beleid.norm_uren_per_week["VG7"] + beleid.norm_uren_per_week["VG8"]
    assert inhoud["uren"]["totaal_per_week"] == 113
    assert inhoud["uren"]["norm_per_week"] == norm
    assert inhoud["uren"]["boven_norm_per_week"] == 113 - norm
    assert inhoud["behandelaar_uren"]["per_week"]["gedragsdeskundige"] == 3
    assert inhoud["behandelaar_uren"]["totaal_per_week"] == 3.5
    assert inhoud["context_middelen"] == 12_500


def test_without_a_policy_the_norm_is_left_out_not_guessed():
    inhoud = aanvraag_inhoud(aanvraag_dict(), None)
    assert inhoud["uren"]["norm_per_week"] is None
    assert inhoud["uren"]["boven_norm_per_week"] is None


def test_the_vragenlijst_and_doelen_reach_the_assessor_without_a_bsn():
    aanvraag = aanvraag_dict(
        vragenlijst={"huidige_situatie": f"BSN {BSNS[1]} slaat", "inzet": "x"},
        doelen=[f"doel voor {BSNS[2]}"],
    )
    inhoud = aanvraag_inhoud(aanvraag, None)
    assert inhoud["vragenlijst"]["huidige_situatie"] == f"BSN {BSN_MASKER} slaat"
    assert inhoud["vragenlijst"]["gewenste_situatie"] == ""
    assert inhoud["doelen"] == [f"doel voor {BSN_MASKER}"]


def test_the_advies_line_names_the_advice_once_and_whether_the_aanvraag_is_complete():
    advies = advies_van(
        {
            "advies": "afwijzen",
            "advies_toelichting": "advies: afwijzen — drempel niet gehaald, 19.2%",
            "volledig": True,
        }
    )
    assert advies_regel(advies) == "**afwijzen**: drempel niet gehaald, 19.2% (aanvraag volledig)"


def test_an_old_toets_without_advice_shows_no_advies_line():
    advies = advies_van({"ontvankelijk": True, "bevindingen": []})
    assert advies == {"advies": None, "advies_toelichting": None, "volledig": None}
    assert advies_regel(advies) is None
