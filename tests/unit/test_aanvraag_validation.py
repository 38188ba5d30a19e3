"""Input validation: BSN elfproef and one readable line per malformed aanvraag."""

from __future__ import annotations

import json

import pytest

from models.aanvraag import InvoerFout, elfproef, parse_aanvraag, parse_beschikking
from tests.factories import (
    BSN_MET_VOORLOOPNUL,
    BSNS,
    aanvraag_dict,
    beschikking_dict,
    client_dict,
    groep_dict,
    traject,
    uren,
)

# --- BSN elfproef -----------------------------------------------------------------------------


@pytest.mark.parametrize("bsn", BSNS)
def test_test_bsns_pass_the_elfproef(bsn):
    assert elfproef(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        pytest.param("999990008", id="last-digit-off"),
        pytest.param("999990070", id="digits-swapped"),
        pytest.param("000000000", id="all-zeros"),
        pytest.param("00000000", id="eight-zeros"),
        pytest.param("9999900071", id="ten-digits"),
        pytest.param("9999000", id="seven-digits"),
        pytest.param("99999000a", id="letter"),
        pytest.param("", id="empty"),
        pytest.param("-99990007", id="sign"),
    ],
)
def test_invalid_bsn_fails_the_elfproef(bsn):
    assert not elfproef(bsn)


def test_eight_digit_bsn_is_read_with_a_leading_zero():
    assert elfproef(BSN_MET_VOORLOOPNUL)
    assert elfproef(BSN_MET_VOORLOOPNUL[1:])
    a = parse_aanvraag(aanvraag_dict(client={"bsn": BSN_MET_VOORLOOPNUL[1:]}))
    assert a.clienten[0].bsn == BSN_MET_VOORLOOPNUL


def test_bsn_given_as_json_number_is_accepted_as_text():
    a = parse_aanvraag(aanvraag_dict(client={"bsn": 999990019}))
    assert a.clienten[0].bsn == "999990019"


def test_bsn_surrounding_whitespace_is_ignored():
    assert (
        parse_aanvraag(aanvraag_dict(client={"bsn": " 999990019 "})).clienten[0].bsn == "999990019"
    )


# --- one readable line per malformed aanvraag ----------------------------------------------------


def _fout(data) -> str:
    with pytest.raises(InvoerFout) as exc:
        parse_aanvraag(data)
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_unknown_zorgprofiel_is_named():
    msg = _fout(aanvraag_dict(client={"zorgprofiel": "VG9"}))
    assert msg == "invalid aanvraag: clienten[0].zorgprofiel: unknown zorgprofiel 'VG9'"


def test_invalid_bsn_is_refused():
    msg = _fout(aanvraag_dict(client={"bsn": "123456789"}))
    assert msg.startswith("invalid aanvraag: clienten[0].bsn: ")
    assert "not a valid BSN" in msg


def test_end_before_start_is_refused():
    msg = _fout(aanvraag_dict(gevraagde_start="2026-07-01", gevraagde_eind="2026-06-30"))
    assert "gevraagde_eind 2026-06-30 is before gevraagde_start 2026-07-01" in msg


def test_one_day_term_is_allowed():
    a = parse_aanvraag(aanvraag_dict(gevraagde_start="2026-07-01", gevraagde_eind="2026-07-01"))
    assert a.gevraagde_start == a.gevraagde_eind


@pytest.mark.parametrize("veld", ["uren_per_week", "behandelaar_uren_per_week"])
def test_negative_hours_are_refused(veld):
    data = aanvraag_dict()
    first = next(iter(data[veld]))
    data[veld][first] = -1
    msg = _fout(data)
    assert msg.startswith(f"invalid aanvraag: {veld}.{first}: ")
    assert "greater than or equal to 0" in msg


def test_more_hours_than_a_week_has_are_refused():
    assert "less than or equal to 168" in _fout(aanvraag_dict(uren_per_week=uren(nachtzorg=169)))


def test_negative_context_middelen_are_refused():
    assert "context_middelen_per_jaar" in _fout(aanvraag_dict(context_middelen_per_jaar=-1))


@pytest.mark.parametrize("zorgprofiel", ["VG8", "VG6", "LG7"])
def test_vg7_plus_on_a_non_vg7_profile_is_refused(zorgprofiel):
    msg = _fout(aanvraag_dict(client={"zorgprofiel": zorgprofiel, "vg7_plus": True}))
    assert f"vg7_plus is only possible with zorgprofiel VG7, not {zorgprofiel}" in msg


def test_individual_aanvraag_with_two_clients_is_refused():
    data = aanvraag_dict(clienten=[client_dict(0), client_dict(1)], vorm="individueel")
    assert "an individueel aanvraag has one client, not 2" in _fout(data)


def test_same_bsn_twice_in_a_group_is_refused():
    data = groep_dict(clienten=[client_dict(0), client_dict(1, bsn=BSNS[0])])
    assert "a BSN appears twice" in _fout(data)


def test_same_bsn_with_and_without_leading_zero_counts_as_the_same():
    data = groep_dict(
        clienten=[
            client_dict(0, bsn=BSN_MET_VOORLOOPNUL),
            client_dict(1, bsn=BSN_MET_VOORLOOPNUL[1:]),
        ]
    )
    assert "a BSN appears twice" in _fout(data)


def test_same_client_id_twice_in_a_group_is_refused():
    data = groep_dict(clienten=[client_dict(0), client_dict(1, client_id="CL-001")])
    assert "a client_id appears twice" in _fout(data)


def test_group_without_clients_is_refused():
    assert "clienten" in _fout(aanvraag_dict() | {"clienten": []})


def test_unknown_field_is_refused():
    assert (
        _fout(aanvraag_dict(extra_veld=1)) == "invalid aanvraag: extra_veld: is not a known field"
    )


def test_missing_field_is_refused():
    data = aanvraag_dict()
    del data["soort"]
    assert _fout(data) == "invalid aanvraag: soort: is required"


def test_several_errors_are_counted_on_the_one_line():
    data = aanvraag_dict(soort="anders", vorm="anders")
    assert _fout(data).endswith("(and 1 more)")


def test_unknown_soort_is_refused():
    assert "soort" in _fout(aanvraag_dict(soort="tijdelijk"))


def test_second_bijeenkomst_on_the_same_day_is_refused():
    data = aanvraag_dict(client={"ontwikkeltrajecten": [traject("2025-03-03", "2025-03-03")]})
    assert "bijeenkomst_2 must be on a later day" in _fout(data)


def test_bad_json_text_is_refused_with_its_position():
    assert _fout('{"soort": ').startswith("aanvraag is not valid JSON: ")


@pytest.mark.parametrize(("data", "naam"), [("[]", "list"), ("3", "int"), ('"x"', "str")])
def test_json_that_is_not_an_object_is_refused(data, naam):
    assert _fout(data) == f"aanvraag must be a JSON object, not {naam}"


def test_valid_aanvraag_roundtrips_through_json_text():
    data = aanvraag_dict()
    assert parse_aanvraag(json.dumps(data)) == parse_aanvraag(data)


# --- beschikking -----------------------------------------------------------------------------------


def test_beschikking_with_end_before_start_is_refused():
    data = beschikking_dict(start="2026-07-01", eind="2028-06-30") | {"eind": "2026-06-01"}
    with pytest.raises(InvoerFout, match="eind 2026-06-01 is before start 2026-07-01"):
        parse_beschikking(data)


def test_beschikking_for_an_unknown_client_is_refused():
    with pytest.raises(InvoerFout, match="client_id CL-999 is not one of the clienten"):
        parse_beschikking(beschikking_dict(client_id="CL-999"))
