"""The rules of a group mutation as a decision (models/mutatie.py, mutatie_vertrek.py and
mutatie_instroom.py; R §8, §10)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from models.aanvraag import Client, parse_aanvraag
from models.beleid import beleid_op
from models.besluit_brief import adresseringen, besluit_soort
from models.engine import Bericht, OngeldigeInvoer
from models.mutatie import (
    Lopend,
    groep_signaal,
    groep_te_klein,
    lopend_op,
    met_bevinding,
    zonder_bevinding,
)
from models.mutatie_instroom import (
    Instroom,
    bedrag_nieuwkomer,
    controleer_beslisser,
    controleer_vier_ogen,
    groepsaanvraag,
    lees_instroom,
    vier_ogen_reden,
    weigering,
)
from models.mutatie_vertrek import vertrek
from models.overgang import (
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    BesluitVastgelegd,
    ClientBeeindigd,
    NieuweRonde,
    Stand,
    ToetsVastgelegd,
)
from models.toets import toets

GROEP = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
PER = dt.date(2027, 5, 1)
ROLLEN = {"b-1": "beoordelaar", "t-1": "teamleider", "cce-1": "cce", "a-1": "analist"}
NIEUW = dict(GROEP["clienten"][0], client_id="LINDE-050", bsn="999990147", zorgprofiel="VG8")
LOPEND = [
    Lopend("LINDE-014", dt.date(2029, 1, 31), 114407.93),
    Lopend("LINDE-022", dt.date(2029, 1, 31), 114407.93),
]


def groep_toets(uren: dict | None = None, lopend=LOPEND, nieuw=NIEUW):
    cijfers = {"uren_per_week": uren} if uren else {}
    data = groepsaanvraag(GROEP, nieuw, lopend, PER, dt.date(2029, 1, 31), cijfers)
    aanvraag = parse_aanvraag(data)
    return aanvraag, toets(aanvraag, PER)


def meer_uren(**extra: float) -> dict:
    uren = copy.deepcopy(GROEP["uren_per_week"])
    for k, v in extra.items():
        uren[k] += v
    return uren


# --- who decides ---------------------------------------------------------------------------


@pytest.mark.parametrize("medewerker", ["b-1", "t-1"])
def test_a_beoordelaar_or_teamleider_may_decide_an_instroom(medewerker):
    assert controleer_beslisser(f" {medewerker} ", ROLLEN) == medewerker


def test_the_cce_may_not_decide_an_instroom():
    with pytest.raises(OngeldigeInvoer, match=r"rol cce en mag niet beslissen .*R §10"):
        controleer_beslisser("cce-1", ROLLEN)


def test_an_analist_may_not_decide_an_instroom():
    with pytest.raises(OngeldigeInvoer, match="rol analist"):
        controleer_beslisser("a-1", ROLLEN)


def test_an_unknown_id_may_not_decide_an_instroom():
    with pytest.raises(OngeldigeInvoer, match="'onbekend' is niet geregistreerd"):
        controleer_beslisser("onbekend", ROLLEN)
    with pytest.raises(OngeldigeInvoer, match="vul het id"):
        controleer_beslisser("  ", ROLLEN)


def test_four_eyes_need_a_second_beoordelaar():
    with pytest.raises(
        OngeldigeInvoer, match=r"vier ogen \(maatwerkbedrag\).*--tweede-beoordelaar"
    ):
        controleer_vier_ogen("maatwerkbedrag", "b-1", None, ROLLEN)


def test_the_second_beoordelaar_must_be_another_deciding_medewerker():
    with pytest.raises(OngeldigeInvoer, match="ander dan b-1"):
        controleer_vier_ogen("maatwerkbedrag", "b-1", "b-1", ROLLEN)
    with pytest.raises(OngeldigeInvoer, match="rol cce"):
        controleer_vier_ogen("maatwerkbedrag", "b-1", "cce-1", ROLLEN)
    assert controleer_vier_ogen("maatwerkbedrag", "b-1", "t-1", ROLLEN) == "t-1"


def test_without_four_eyes_no_second_beoordelaar_is_needed():
    assert controleer_vier_ogen(None, "b-1", None, ROLLEN) is None


# --- the group's toets with the newcomer ---------------------------------------------------


def test_the_group_toets_counts_the_newcomers_norm_so_unchanged_hours_may_fail_the_threshold():
    uren = {
        "begeleiding": 50,
        "verzorging": 10,
        "verpleging": 4,
        "dagbesteding": 5,
        "nachtzorg": 15,
    }
    _, resultaat = groep_toets(uren)  # 84 hours against 26 + 30 + 30 norm hours
    assert resultaat.rekentool.overschrijding_pct == -2.33
    assert weigering(resultaat) == (
        "de groep met de nieuwe client haalt de drempel niet (\u22122.33%, R §10): "
        "dien een nieuwe aanvraag in"
    )


def test_a_newcomer_without_a_meerzorg_profile_is_refused_naming_the_finding():
    _, resultaat = groep_toets(meer_uren(begeleiding=45), nieuw=dict(NIEUW, zorgprofiel="VG6"))
    reden = weigering(resultaat)
    assert reden.startswith("PROFIEL_GEEN_MEERZORG: Client LINDE-050")
    assert reden.endswith("dien een nieuwe aanvraag in") and "\n" not in reden


def test_a_passing_group_toets_has_no_refusal():
    _, resultaat = groep_toets(meer_uren(begeleiding=45))
    assert resultaat.ontvankelijk and weigering(resultaat) is None


def test_the_group_toets_leaves_out_clients_whose_beschikking_has_ended():
    aanvraag, _ = groep_toets(lopend=LOPEND[:1])
    assert [c.client_id for c in aanvraag.clienten] == ["LINDE-014", "LINDE-050"]


def test_the_newcomer_gets_what_the_new_group_total_adds_so_the_total_equals_the_toets():
    _, resultaat = groep_toets(meer_uren(begeleiding=45))
    bedrag, _ = bedrag_nieuwkomer(resultaat.rekentool.bedrag_per_jaar, LOPEND)
    totaal = round(bedrag + sum(b.bedrag_per_jaar for b in LOPEND), 2)
    assert totaal == resultaat.rekentool.bedrag_per_jaar == 277221.47
    # Not a full share on top: the issue's bug gave each newcomer the others' amount.
    assert bedrag == 48405.61 != LOPEND[0].bedrag_per_jaar


def test_a_group_that_needs_no_more_than_it_holds_gives_the_newcomer_nothing():
    _, resultaat = groep_toets()  # the old hours: the newcomer's norm lowers the total
    bedrag, reden = bedrag_nieuwkomer(resultaat.rekentool.bedrag_per_jaar, LOPEND)
    assert bedrag is None
    assert "132344.35" in reden and "228815.86" in reden and "nieuwe aanvraag" in reden


def _stand(aanvraag, resultaat) -> Stand:
    return Stand("MZ-2026-000001", "lopend", 0, 1, aanvraag, PER, toets=resultaat.public())


def test_a_maatwerk_group_needs_four_eyes_for_the_instroom():
    aanvraag, resultaat = groep_toets(meer_uren(begeleiding=100))
    assert resultaat.rekentool.soort == "maatwerk"
    stand = _stand(aanvraag, resultaat)
    reden = vier_ogen_reden(stand, resultaat.rekentool.bedrag_per_jaar, 1000.0, beleid_op(PER))
    assert reden == "maatwerkbedrag"


def test_a_newcomers_amount_above_the_limit_per_client_needs_four_eyes():
    aanvraag, resultaat = groep_toets(meer_uren(begeleiding=45))
    stand = _stand(aanvraag, resultaat)
    beleid = beleid_op(PER)
    assert vier_ogen_reden(stand, resultaat.rekentool.bedrag_per_jaar, 48405.61, beleid) is None
    assert "boven 120000 euro per client" in vier_ogen_reden(
        stand, resultaat.rekentool.bedrag_per_jaar, 130000.0, beleid
    )


# --- the instroom's input ------------------------------------------------------------------


def test_an_instroom_is_a_client_or_a_client_with_the_groups_new_figures():
    assert lees_instroom(NIEUW) == (NIEUW, {})
    uren = meer_uren(begeleiding=45)
    assert lees_instroom({"client": NIEUW, "uren_per_week": uren}) == (
        NIEUW,
        {"uren_per_week": uren},
    )
    with pytest.raises(OngeldigeInvoer, match="onbekend veld in de instroom: doelen"):
        lees_instroom({"client": NIEUW, "doelen": []})
    with pytest.raises(OngeldigeInvoer, match="JSON-object"):
        lees_instroom({"client": "LINDE-050"})


# --- a group below two ---------------------------------------------------------------------


def test_a_pending_vertrek_counts_until_its_date_and_no_longer():
    lopend = [Lopend("A", dt.date(2027, 6, 30), 1.0), Lopend("B", dt.date(2029, 1, 31), 1.0)]
    assert [b.client_id for b in lopend_op(lopend, dt.date(2027, 6, 30))] == ["A", "B"]
    assert [b.client_id for b in lopend_op(lopend, dt.date(2027, 7, 1))] == ["B"]


def test_a_group_below_two_is_too_small_but_an_individual_zaak_is_not():
    assert groep_te_klein("groep", 1) and groep_te_klein("groep", 0)
    assert not groep_te_klein("groep", 2) and not groep_te_klein("individueel", 0)


def test_the_signal_goes_to_operations_and_flags_the_zaak_without_a_name_or_bsn():
    bericht, bevinding = groep_signaal(1, dt.date(2027, 6, 30))
    assert (bericht.sjabloon, bericht.kanaal, bericht.context["aantal"]) == (
        "groep_te_klein",
        "operations",
        1,
    )
    assert bevinding["code"] == "GROEP_TE_KLEIN" and bevinding["ernst"] == "signaal"
    assert "R §8" in bevinding["toelichting"] and "2027-06-30" in bevinding["toelichting"]
    toets_ = {"ontvankelijk": True, "bevindingen": [{"code": "MAATWERK", "ernst": "signaal"}]}
    gemarkeerd = met_bevinding(met_bevinding(toets_, bevinding), bevinding)
    assert [b["code"] for b in gemarkeerd["bevindingen"]] == ["MAATWERK", "GROEP_TE_KLEIN"]
    assert gemarkeerd["ontvankelijk"] is True and toets_["bevindingen"][-1]["code"] == "MAATWERK"
    assert zonder_bevinding(gemarkeerd, "GROEP_TE_KLEIN") == toets_
    assert zonder_bevinding(toets_, "GROEP_TE_KLEIN") is None


# --- each mutation is a besluit (issue 25) -------------------------------------------------

START = dt.date(2027, 1, 1)
VANDAAG = dt.date(2027, 6, 1)


def _groep_stand(ronde: int = 1, toets_: dict | None = None) -> Stand:
    return Stand(
        "MZ-2026-000001", "lopend", 3, ronde, parse_aanvraag(GROEP), PER, toets=toets_ or {}
    )


def _eigen(client_id: str = "LINDE-022") -> Lopend:
    return Lopend(client_id, dt.date(2029, 1, 31), 114407.93, START)


def test_a_vertrek_is_a_beeindiging_for_that_client_only_in_a_ronde_of_its_own():
    overgang = vertrek(
        _groep_stand(ronde=1),
        _eigen(),
        dt.date(2027, 6, 30),
        [LOPEND[0], Lopend("LINDE-050", dt.date(2029, 1, 31), 48405.61)],
        "b-1",
        VANDAAG,
        "2026.1",
    )
    assert overgang.nieuwe_ronde and overgang.nieuwe_wacht is False
    assert overgang.status == "lopend" and overgang.actie == "mutatie_vertrek"
    assert overgang.alle(ClientBeeindigd) == (ClientBeeindigd("LINDE-022", dt.date(2027, 6, 30)),)
    record = overgang.besluit
    assert besluit_soort(record) == "beeindiging" and record["uitkomst"] == "vertrek"
    assert record["client_ids"] == ["LINDE-022"] and record["ronde"] == 2
    assert record["dictum"] == [
        "De meerzorg voor cliënt LINDE-022 eindigt per 30 juni 2027 (vertrek uit de groep)."
    ]
    # The besluit's ingangsdatum and vervaldatum: the beschikking's start and its new end.
    assert (record["start"], record["eind"], record["datum"]) == (
        START,
        dt.date(2027, 6, 30),
        VANDAAG,
    )
    assert record["rechtsmiddel"] == "bezwaar" and record["beoordelaar"] == "b-1"
    assert record["beleidsversie"] == beleid_op(VANDAAG).versie
    assert any("eigen beschikking" in m and "R §8" in m for m in record["motivering"])
    assert [bron for _, bron in record["regels"]] == ["R §8"]
    # The other clients are not named in a letter that goes to this client's parties.
    tekst = json.dumps([record["dictum"], record["motivering"]], ensure_ascii=False)
    assert "LINDE-014" not in tekst and "LINDE-050" not in tekst
    # Two stay: no reassessment, no signal; the provider's message carries its letter.
    (bericht,) = overgang.berichten
    assert (bericht.sjabloon, bericht.kanaal, bericht.bijlage) == (
        "mutatie_vertrek",
        "aanbieder",
        True,
    )
    assert not overgang.alle(ToetsVastgelegd)


def test_a_vertrek_that_leaves_one_client_motivates_the_group_size_rule():
    overgang = vertrek(
        _groep_stand(), _eigen(), dt.date(2027, 6, 30), [LOPEND[0]], "b-1", VANDAAG, "2026.1"
    )
    record = overgang.besluit
    assert overgang.details["herbeoordeling_groep"] is True
    assert any("twee of meer cliënten (R §8)" in m for m in record["motivering"])
    assert ["Groepsmeerzorg is voor twee of meer cliënten", "R §8"] in record["regels"]
    sjablonen = [(b.sjabloon, b.kanaal, b.bijlage) for b in overgang.berichten]
    assert sjablonen == [
        ("mutatie_vertrek", "aanbieder", True),
        ("groep_te_klein", "operations", False),
    ]
    (toets_,) = overgang.alle(ToetsVastgelegd)
    assert [b["code"] for b in toets_.toets["bevindingen"]] == ["GROEP_TE_KLEIN"]


def test_a_vertrek_after_the_beschikkings_own_end_ends_it_on_that_end():
    kort = Lopend("LINDE-022", dt.date(2027, 3, 31), 114407.93, START)
    overgang = vertrek(_groep_stand(), kort, dt.date(2027, 6, 30), LOPEND, "b-1", VANDAAG, "2026.1")
    assert overgang.besluit["eind"] == dt.date(2027, 3, 31)
    assert "eindigt per 31 maart 2027" in overgang.besluit["dictum"][0]


def test_a_vertrek_letter_goes_to_that_clients_parties_and_the_provider_only():
    data = copy.deepcopy(GROEP)
    data["clienten"][1]["correspondentie"] = {"kanaal": "post", "naam": "B. Smit", "adres": ["x"]}
    stand = Stand("MZ-2026-000001", "lopend", 3, 1, parse_aanvraag(data), PER, toets={})
    overgang = vertrek(stand, _eigen(), dt.date(2027, 6, 30), LOPEND[:1], "b-1", VANDAAG, "v")
    ids = tuple(overgang.besluit["client_ids"])
    assert [(a.rollen, a.client_id) for a in adresseringen(stand.aanvraag, ids)] == [
        (("zorgaanbieder",), None),
        (("client",), "LINDE-022"),
    ]


def _instroom(tweede: str | None = None, vier_ogen: str | None = None) -> Instroom:
    nieuw = dict(NIEUW, correspondentie={"kanaal": "post", "naam": "C. Nieuw", "adres": ["y"]})
    data = groepsaanvraag(
        GROEP,
        nieuw,
        LOPEND,
        PER,
        dt.date(2029, 1, 31),
        {"uren_per_week": meer_uren(begeleiding=45)},
    )
    aanvraag = parse_aanvraag(data)
    resultaat = toets(aanvraag, PER)
    bedrag, _ = bedrag_nieuwkomer(resultaat.rekentool.bedrag_per_jaar, LOPEND)
    return Instroom(
        Client.model_validate(nieuw),
        aanvraag,
        resultaat,
        bedrag,
        dt.date(2029, 1, 31),
        PER,
        "b-1",
        tweede,
        lopend=tuple(LOPEND),
        vier_ogen=vier_ogen,
    )


def test_an_instroom_is_a_toekenning_to_the_newcomer_in_a_ronde_of_its_own():
    instroom = _instroom()
    overgang = instroom.overgang(_groep_stand(ronde=1), "2026.1")
    assert overgang.nieuwe_ronde and overgang.nieuwe_wacht is False
    assert overgang.actie == "mutatie_instroom"
    record = overgang.besluit
    assert besluit_soort(record) == "instroom" and record["uitkomst"] == "instroom"
    assert record["client_ids"] == ["LINDE-050"] and record["ronde"] == 2
    assert (record["start"], record["eind"], record["bedrag_per_jaar"]) == (
        PER,
        dt.date(2029, 1, 31),
        48405.61,
    )
    assert record["datum"] == PER and record["beoordelaar"] == "b-1"
    assert record["tweede_beoordelaar"] is None and record["rechtsmiddel"] == "bezwaar"
    (dictum,) = record["dictum"]
    assert dictum.startswith("Het zorgkantoor kent cliënt LINDE-050 bij instroom")
    assert "1 mei 2027 tot en met 31 januari 2029" in dictum and "€ 48.405,61 per jaar" in dictum
    # The motivation is the rule's sum: the group's new total minus what the others hold.
    motivering = " ".join(record["motivering"])
    assert "€ 277.221,47" in motivering and "€ 228.815,86" in motivering
    assert "€ 48.405,61" in motivering and "R §6" in motivering and "R §10" in motivering
    assert "LINDE-014" not in motivering and "LINDE-022" not in motivering
    assert [bron for _, bron in record["regels"]] == ["R §8", "R §6", "R §9"]
    # The newcomer's beschikking and the group's aanvraag with the newcomer and its party,
    # so that the letter can be addressed.
    (beschikking,) = overgang.beschikkingen
    assert beschikking["client_id"] == "LINDE-050" and beschikking["bedrag_per_jaar"] == 48405.61
    (aanvraag,) = overgang.alle(AanvraagGewijzigd)
    nieuw = aanvraag.aanvraag["clienten"][-1]
    assert nieuw["client_id"] == "LINDE-050" and nieuw["correspondentie"]["naam"] == "C. Nieuw"
    ids = tuple(record["client_ids"])
    geadresseerd = adresseringen(parse_aanvraag(aanvraag.aanvraag), ids)
    assert [(a.rollen, a.client_id, a.kanaal) for a in geadresseerd] == [
        (("zorgaanbieder",), None, "aanbieder"),
        (("client",), "LINDE-050", "post"),
    ]
    (bericht,) = overgang.berichten
    assert (bericht.sjabloon, bericht.bijlage) == ("mutatie_instroom", True)
    assert bericht.context["bedrag"] == "48405.61"
    # The besluit comes after the beschikking it decides and the aanvraag it is addressed by.
    soorten = [type(e) for e in overgang.effecten]
    assert soorten.index(BesluitVastgelegd) > soorten.index(BeschikkingAfgegeven)
    assert soorten.index(BesluitVastgelegd) > soorten.index(AanvraagGewijzigd)
    assert NieuweRonde in soorten and Bericht in soorten


def test_an_instroom_with_four_eyes_records_both_and_why():
    record = _instroom("t-1", "maatwerkbedrag").besluit(_groep_stand(ronde=4))
    assert (record["beoordelaar"], record["tweede_beoordelaar"], record["ronde"]) == (
        "b-1",
        "t-1",
        5,
    )
    assert (
        "Een tweede beoordelaar heeft het besluit bevestigd (vier ogen: maatwerkbedrag)."
        in (record["motivering"])
    )


def test_an_instroom_that_answers_the_signal_clears_it_in_the_same_transition():
    bevinding = {"code": "GROEP_TE_KLEIN", "ernst": "signaal", "toelichting": "x"}
    stand = _groep_stand(toets_={"bevindingen": [bevinding]})
    (hersteld,) = _instroom().overgang(stand, "2026.1").alle(ToetsVastgelegd)
    assert hersteld.toets["bevindingen"] == [] and hersteld.beleidsversie == "2026.1"
