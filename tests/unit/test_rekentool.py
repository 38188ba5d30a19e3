"""The rekentool (R §6): excess on care hours, yearly amount, meerzorgprofiel or maatwerk.

Tariffs and bands are the example values of models/beleid/2025.1.toml (begeleiding 62,
verpleging 78, gedragsdeskundige 110, psychiater 160 euro/hour; MZ1 up to 25,000 ...
MZ5 up to 150,000 per client per year); VG7 = 26 h/week, VG8 = 30 h/week.
"""

from __future__ import annotations

import pytest

from models.beleid import beleid_op
from models.toets import overschrijding, rekentool
from tests.factories import PEILDATUM, aanvraag, aanvraag_dict, groep_dict, toets_van, uren

BELEID = beleid_op(PEILDATUM)
WEKEN = 52


def _reken(**overrides):
    return rekentool(aanvraag(**overrides), BELEID)


def test_extra_care_hours_are_paid_at_the_tariff_for_52_weeks():
    r = _reken(uren_per_week=uren(begeleiding=39))  # 13 h above the VG7 norm
    assert r.extra_uren_per_week == 13.0
    assert r.bedrag_per_jaar == 13 * 62 * WEKEN == 41_912.0


def test_extra_hours_are_priced_at_the_weighted_tariff_of_the_requested_mix():
    alleen_verpleging = _reken(uren_per_week=uren(verpleging=39))
    half_half = _reken(uren_per_week=uren(begeleiding=19.5, verpleging=19.5))
    assert alleen_verpleging.bedrag_per_jaar == 13 * 78 * WEKEN
    assert half_half.bedrag_per_jaar == 13 * (62 + 78) / 2 * WEKEN


def test_care_need_at_or_below_the_norm_adds_nothing_to_the_amount():
    for totaal in (26, 10, 0):
        r = _reken(uren_per_week=uren(begeleiding=totaal), context_middelen_per_jaar=1000)
        assert r.extra_uren_per_week == 0.0
        assert r.bedrag_per_jaar == 1000.0


def test_amount_grows_with_behandelaar_hours():
    zonder = _reken()
    met = _reken(
        behandelaar_uren_per_week={
            "gedragsdeskundige": 1,
            "psychiater": 0.5,
            "avg": 0,
            "sog": 0,
            "overig": 0,
        }
    )
    assert met.bedrag_per_jaar - zonder.bedrag_per_jaar == pytest.approx((110 + 80) * WEKEN)


@pytest.mark.parametrize("behandelaar", ["gedragsdeskundige", "psychiater", "avg", "sog", "overig"])
def test_every_behandelaar_adds_to_the_amount(behandelaar):
    uren_beh = dict.fromkeys(("gedragsdeskundige", "psychiater", "avg", "sog", "overig"), 0.0)
    uren_beh[behandelaar] = 2.0
    zonder, met = _reken(), _reken(behandelaar_uren_per_week=uren_beh)
    assert (
        met.bedrag_per_jaar
        == zonder.bedrag_per_jaar + 2 * BELEID.tarieven.behandelaar[behandelaar] * WEKEN
    )


def test_context_middelen_add_to_the_amount_as_is():
    assert _reken(context_middelen_per_jaar=12_500).bedrag_per_jaar == 41_912.0 + 12_500


def test_excess_uses_care_hours_only():
    basis = aanvraag()
    met_behandeling = aanvraag(
        behandelaar_uren_per_week={
            "gedragsdeskundige": 10,
            "psychiater": 10,
            "avg": 10,
            "sog": 10,
            "overig": 10,
        },
        context_middelen_per_jaar=100_000,
    )
    assert overschrijding(basis, BELEID) == overschrijding(met_behandeling, BELEID) == 0.5
    assert rekentool(met_behandeling, BELEID).overschrijding_pct == 50.0


def test_behandelaar_hours_do_not_lift_a_care_need_over_the_threshold():
    r = toets_van(
        aanvraag_dict(overschrijding=0.1, behandelaar_uren_per_week={"gedragsdeskundige": 40})
    )
    assert "DREMPEL_NIET_GEHAALD" in r.codes


def test_all_care_categories_count_towards_the_excess():
    r = _reken(
        uren_per_week=uren(begeleiding=10, verzorging=10, verpleging=5, dagbesteding=7, nachtzorg=7)
    )
    assert r.overschrijding_pct == 50.0


@pytest.mark.parametrize(
    ("context", "band"),
    [
        (1.0, "MZ1"),
        (25_000.0, "MZ1"),
        (25_000.01, "MZ2"),
        (99_999.99, "MZ4"),
        (150_000.0, "MZ5"),
    ],
)
def test_amount_per_client_falls_in_the_first_band_that_holds_it(context, band):
    r = _reken(uren_per_week=uren(begeleiding=26), context_middelen_per_jaar=context)
    assert (r.soort, r.profiel) == ("profiel", band)


def test_amount_above_the_highest_band_is_maatwerk():
    r = _reken(uren_per_week=uren(begeleiding=26), context_middelen_per_jaar=150_000.01)
    assert (r.soort, r.profiel) == ("maatwerk", None)
    out = r.public(BELEID)
    assert out["soort"] == "maatwerk"
    assert out["boven_hoogste_profiel"] == 150_000.0
    assert "profiel" not in out


def test_maatwerk_is_signalled_in_the_toets():
    r = toets_van(aanvraag_dict(context_middelen_per_jaar=200_000))
    assert "MAATWERK" in r.codes
    assert r.public()["uitkomst_rekentool"]["soort"] == "maatwerk"


def test_profile_band_is_reported_in_the_toets():
    out = toets_van(aanvraag_dict()).public()
    assert out["uitkomst_rekentool"] == {
        "soort": "profiel",
        "bedrag_per_client_per_jaar": 41_912.0,
        "profiel": "MZ2",
    }
    assert out["bedrag_per_jaar"] == 41_912.0
    assert out["overschrijding_pct"] == 50.0


def test_group_band_is_chosen_on_the_amount_per_client():
    # 3 × VG7: norm 78 h, 117 h asked → 39 extra h: 125,736 a year, 41,912 per client.
    r = rekentool(aanvraag(**groep_dict(3)), BELEID)
    assert r.bedrag_per_jaar == 125_736.0
    assert r.bedrag_per_client_per_jaar == 41_912.0
    assert r.profiel == "MZ2"


def test_group_norm_is_the_sum_of_the_members_norms():
    r = rekentool(aanvraag(**groep_dict(2, uren_per_week=uren(begeleiding=52))), BELEID)
    assert r.overschrijding_pct == 0.0
    assert r.extra_uren_per_week == 0.0
