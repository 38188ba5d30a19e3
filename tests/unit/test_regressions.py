"""Rules that once broke (found by the rule tests and fixed): each stays a test."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from models.aanvraag import InvoerFout, elfproef, parse_aanvraag, parse_beschikking
from models.beleid import beleid_op
from models.compliance import uiterlijk
from models.planner import plan_public
from models.toets import toets

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
PEIL = dt.date(2027, 1, 10)


def test_exactly_25_percent_passes_even_when_the_hours_do_not_add_up_exactly_in_floating_point():
    data = copy.deepcopy(EXAMPLE)
    data["vorm"], data["clienten"] = "individueel", [data["clienten"][0]]  # VG7: 26 h norm
    data["uren_per_week"] = {"begeleiding": 0.3, "verzorging": 31.9, "verpleging": 0.3}
    result = toets(parse_aanvraag(data), PEIL)
    assert "DREMPEL_NIET_GEHAALD" not in result.codes
    assert result.rekentool.overschrijding_pct == 25.0


@pytest.mark.parametrize("bsn", ["９９９９９００１９", "99999000²"])
def test_a_bsn_with_non_ascii_digits_fails_the_elfproef_with_a_clear_message(bsn):
    assert elfproef(bsn) is False
    data = copy.deepcopy(EXAMPLE)
    data["clienten"][0]["bsn"] = bsn
    with pytest.raises(InvoerFout, match="not a valid BSN"):
        parse_aanvraag(data)


def test_a_group_term_ends_no_later_than_the_latest_indicatie_end():
    data = copy.deepcopy(EXAMPLE)
    for client in data["clienten"]:
        client["indicatie_einddatum"] = "2028-01-31"
    result = toets(parse_aanvraag(data), PEIL)
    assert result.termijn.eind == dt.date(2028, 1, 31)


def test_an_ontwikkeltraject_older_than_the_window_counts_as_none():
    beleid = beleid_op(PEIL)
    oud = [{"bijeenkomst_1": "2020-01-01", "bijeenkomst_2": "2020-03-01"}]
    sinds = dt.date(2027, 2, 1)
    assert uiterlijk(oud, sinds, PEIL, beleid) == uiterlijk([], sinds, PEIL, beleid)
    data = copy.deepcopy(EXAMPLE)
    data["clienten"][1]["ontwikkeltrajecten"] = oud
    data.update(start="2027-02-01", eind="2029-01-31")
    datums = {
        (v.get("client_id"), v["soort"]): v["datum"]
        for v in plan_public(parse_beschikking(data), PEIL)
    }
    assert datums[("LINDE-022", "ontwikkeltraject_uiterlijk")] == "2030-01-31"


def test_far_future_dates_are_refused_as_input_not_crashed_on():
    data = copy.deepcopy(EXAMPLE)
    data["gevraagde_start"], data["gevraagde_eind"] = "9999-06-01", "9999-07-01"
    with pytest.raises(InvoerFout, match="outside 2000-01-01..2099-12-31"):
        parse_aanvraag(data)


def test_a_field_name_with_a_newline_still_gives_a_one_line_error():
    # Found by the fuzzer (tests/unit/test_fuzz_aanvraag.py): uren_per_week {"\n": null}.
    import json

    import pytest

    from models.aanvraag import InvoerFout, parse_aanvraag
    from tests.factories import aanvraag_dict

    data = aanvraag_dict()
    data["uren_per_week"] = {"\n": None}
    with pytest.raises(InvoerFout) as exc:
        parse_aanvraag(json.dumps(data, default=str))
    assert "\n" not in str(exc.value) and "'\\n'" in str(exc.value)
