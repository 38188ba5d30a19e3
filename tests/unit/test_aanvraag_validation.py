"""Input validation: BSN elfproef and one readable line per malformed aanvraag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.aanvraag import InvoerFout, elfproef, parse_aanvraag, parse_beschikking
from models.beleid import beleid_op
from models.formulieren_kaart import samenvatting
from models.partijen import Partij, geadresseerden
from models.toets import toets
from models.zaakinhoud import aanvraag_inhoud
from tests.factories import (
    BSN_MET_VOORLOOPNUL,
    BSNS,
    PEILDATUM,
    aanvraag_dict,
    beschikking_dict,
    client_dict,
    correspondentie,
    groep_dict,
    traject,
    uren,
    vertegenwoordiger,
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


# --- the parties of a zaak (models/partijen.py) ----------------------------------------------------


def _client(**velden):
    return parse_aanvraag(aanvraag_dict(client=velden)).clienten[0]


def test_a_client_without_parties_is_valid_as_before():
    c = _client()
    assert (c.correspondentie, c.vertegenwoordiger, c.budgethouder) == (None, None, None)


def test_post_needs_an_address():
    msg = _fout(aanvraag_dict(client={"correspondentie": {"kanaal": "post", "naam": "A"}}))
    assert msg == (
        "invalid aanvraag: clienten[0].correspondentie: adres is required when kanaal is 'post'"
    )
    msg = _fout(aanvraag_dict(client={"vertegenwoordiger": vertegenwoordiger(adres=[])}))
    assert msg.startswith("invalid aanvraag: clienten[0].vertegenwoordiger.correspondentie: ")
    assert "adres is required" in msg


def test_a_digital_correspondentie_needs_no_address_and_post_keeps_its_lines():
    assert _client(correspondentie=correspondentie()).correspondentie.adres == []
    c = _client(correspondentie=correspondentie("post", adres=["Laan 1", "9999 ZZ Stad"]))
    assert c.correspondentie.adres == ["Laan 1", "9999 ZZ Stad"]


@pytest.mark.parametrize(
    "kanaal",
    [
        pytest.param("mailto:a.devries@example.org", id="no-slashes"),
        pytest.param("Post", id="post-capitalised"),
        pytest.param("www.example.org/client", id="no-scheme"),
        pytest.param("json://", id="nothing-after-the-scheme"),
        pytest.param("://localhost/x", id="empty-scheme"),
        pytest.param("json://local host/x", id="space-inside"),
        pytest.param("1json://localhost", id="scheme-starts-with-a-digit"),
    ],
)
def test_kanaal_must_be_post_or_a_url_with_a_scheme(kanaal):
    msg = _fout(aanvraag_dict(client={"correspondentie": correspondentie(kanaal)}))
    assert msg == (
        "invalid aanvraag: clienten[0].correspondentie.kanaal: "
        "must be 'post' or an apprise URL (scheme://…)"
    )
    assert kanaal not in msg  # personal data: the line may reach the case card


@pytest.mark.parametrize(
    "kanaal", ["mailtos://ab:geheim@example.org", "json://localhost:8099/client", " post "]
)
def test_an_apprise_url_or_post_is_accepted(kanaal):
    c = _client(correspondentie=correspondentie(kanaal, adres=["Laan 1"]))
    assert c.correspondentie.kanaal == kanaal.strip()


def test_the_name_to_address_is_required():
    data = aanvraag_dict(client={"correspondentie": {"kanaal": "json://localhost/c"}})
    assert _fout(data) == "invalid aanvraag: clienten[0].correspondentie.naam: is required"
    assert "naam" in _fout(aanvraag_dict(client={"correspondentie": correspondentie(naam=" ")}))


def test_vertegenwoordiger_needs_a_known_rol_and_a_correspondentie():
    data = aanvraag_dict(client={"vertegenwoordiger": vertegenwoordiger(rol="ouder")})
    assert _fout(data).startswith("invalid aanvraag: clienten[0].vertegenwoordiger.rol: ")
    data = aanvraag_dict(client={"vertegenwoordiger": {"rol": "curator"}})
    assert _fout(data) == (
        "invalid aanvraag: clienten[0].vertegenwoordiger.correspondentie: is required"
    )
    for rol in ("wettelijk vertegenwoordiger", "curator", "mentor", "gemachtigde"):
        assert _client(vertegenwoordiger=vertegenwoordiger(rol=rol)).vertegenwoordiger.rol == rol


@pytest.mark.parametrize("leveringsvorm", ["verblijf", "vpt", "mpt"])
@pytest.mark.parametrize("budgethouder", ["client", "vertegenwoordiger"])
def test_budgethouder_is_only_for_pgb(leveringsvorm, budgethouder):
    client = {
        "leveringsvorm": leveringsvorm,
        "budgethouder": budgethouder,
        "vertegenwoordiger": vertegenwoordiger(),
    }
    assert _fout(aanvraag_dict(client=client)) == (
        "invalid aanvraag: clienten[0]: budgethouder is only for leveringsvorm pgb"
    )


def test_budgethouder_vertegenwoordiger_needs_a_vertegenwoordiger():
    data = aanvraag_dict(client={"leveringsvorm": "pgb", "budgethouder": "vertegenwoordiger"})
    assert _fout(data) == (
        "invalid aanvraag: clienten[0]: budgethouder 'vertegenwoordiger' needs a vertegenwoordiger"
    )
    c = _client(
        leveringsvorm="pgb", budgethouder="vertegenwoordiger", vertegenwoordiger=vertegenwoordiger()
    )
    assert c.budgethouder == "vertegenwoordiger"


def test_the_budgethouder_of_pgb_is_the_client_unless_stated():
    assert _client(leveringsvorm="pgb").budgethouder == "client"
    assert _client(leveringsvorm="pgb", budgethouder=None).budgethouder == "client"
    assert _client(leveringsvorm="mpt").budgethouder is None


def test_an_aanvraag_without_parties_dumps_as_before_and_one_with_them_roundtrips():
    # The stored aanvraag and the historical import's content key stay the same for an
    # aanvraag that names no parties (the default budgethouder of pgb included).
    for lv in ("verblijf", "pgb"):
        data = aanvraag_dict(client={"leveringsvorm": lv})
        assert parse_aanvraag(data).model_dump(mode="json")["clienten"] == data["clienten"]
    data = aanvraag_dict(
        client={
            "leveringsvorm": "pgb",
            "correspondentie": correspondentie(),
            "vertegenwoordiger": vertegenwoordiger(rol="curator"),
            "budgethouder": "vertegenwoordiger",
        }
    )
    a = parse_aanvraag(data)
    dump = a.model_dump(mode="json")
    assert dump["clienten"][0]["budgethouder"] == "vertegenwoordiger"
    assert parse_aanvraag(json.dumps(dump)) == a


def test_a_beschikking_keeps_the_parties_of_its_aanvraag():
    client = {"vertegenwoordiger": vertegenwoordiger(), "correspondentie": correspondentie()}
    b = parse_beschikking(beschikking_dict(client=client))
    assert b.clienten[0].vertegenwoordiger.correspondentie.naam == "M. Bakker"
    assert parse_beschikking(b.model_dump(mode="json")) == b


def test_geadresseerden_is_one_partij_per_person_with_every_role():
    c = _client(
        leveringsvorm="pgb",
        correspondentie=correspondentie("json://localhost:8099/client", "S. Bakker"),
        vertegenwoordiger=vertegenwoordiger(),
        budgethouder="vertegenwoordiger",
    )
    assert geadresseerden(c) == [
        Partij(
            rollen=("client",),
            client_id="CL-001",
            kanaal="digitaal",
            doel="json://localhost:8099/client",
            naam="S. Bakker",
            adres=(),
            vertegenwoordiging=None,
        ),
        Partij(
            rollen=("vertegenwoordiger", "budgethouder"),
            client_id="CL-001",
            kanaal="post",
            doel="post",
            naam="M. Bakker",
            adres=("Voorbeeldstraat 12", "1234 AB Voorbeeldstad"),
            vertegenwoordiging="wettelijk vertegenwoordiger",
        ),
    ]


def test_geadresseerden_marks_the_client_as_budgethouder_by_default():
    c = _client(leveringsvorm="pgb", correspondentie=correspondentie())
    [partij] = geadresseerden(c)
    assert partij.rollen == ("client", "budgethouder")
    # A budgethouder "client" the aanvraag gives no correspondentie for has no Partij.
    c = _client(leveringsvorm="pgb", vertegenwoordiger=vertegenwoordiger(rol="mentor"))
    [partij] = geadresseerden(c)
    assert (partij.rollen, partij.vertegenwoordiging) == (("vertegenwoordiger",), "mentor")


def test_geadresseerden_is_empty_when_the_aanvraag_names_no_one():
    assert geadresseerden(_client(leveringsvorm="pgb")) == []
    assert geadresseerden(_client()) == []


def test_a_person_given_twice_appears_once_with_both_roles():
    zelfde = correspondentie("post", "M. Bakker")
    c = _client(
        leveringsvorm="pgb",
        correspondentie=zelfde,
        vertegenwoordiger={"rol": "gemachtigde", "correspondentie": zelfde},
        budgethouder="vertegenwoordiger",
    )
    [partij] = geadresseerden(c)
    assert partij.rollen == ("client", "vertegenwoordiger", "budgethouder")
    assert partij.vertegenwoordiging == "gemachtigde"


def test_the_shipped_examples_name_their_parties():
    voorbeelden = Path(__file__).resolve().parents[2] / "examples"
    thuis = parse_aanvraag((voorbeelden / "aanvraag-thuis-pgb.json").read_text())
    rollen = [p.rollen for p in geadresseerden(thuis.clienten[0])]
    assert rollen == [("client",), ("vertegenwoordiger", "budgethouder")]
    # The group example names none: they are optional, the applicant's letter then suffices.
    groep = parse_aanvraag((voorbeelden / "aanvraag-groep-vg.json").read_text())
    assert [len(geadresseerden(c)) for c in groep.clienten] == [0, 0]


def test_party_data_reaches_neither_the_toets_nor_the_case_content():
    # What Prefect shows of a zaak (the card, the form's summary, tags) is built from the
    # toets and models/zaakinhoud: names, addresses and targets stay in the case database.
    geheim = ["S. Bakker", "json://localhost:8099/geheim", "M. Bakker", "Voorbeeldstraat"]
    data = aanvraag_dict(
        client={
            "leveringsvorm": "pgb",
            "correspondentie": correspondentie(geheim[1], geheim[0]),
            "vertegenwoordiger": vertegenwoordiger(),
            "budgethouder": "vertegenwoordiger",
        }
    )
    uitslag = toets(parse_aanvraag(data), PEILDATUM).public()
    inhoud = aanvraag_inhoud(data, beleid_op(PEILDATUM))
    zichtbaar = json.dumps(uitslag) + json.dumps(inhoud) + samenvatting(uitslag)
    assert not [g for g in geheim if g in zichtbaar]
