"""The rules of a group mutation as a decision (models/mutatie.py; R §8, §10)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.engine import OngeldigeInvoer
from models.mutatie import (
    Lopend,
    bedrag_nieuwkomer,
    controleer_beslisser,
    controleer_vier_ogen,
    groep_signaal,
    groep_te_klein,
    groepsaanvraag,
    lees_instroom,
    lopend_op,
    met_bevinding,
    vier_ogen_reden,
    weigering,
    zonder_bevinding,
)
from models.overgang import Stand
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
