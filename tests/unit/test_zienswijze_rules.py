"""Zienswijze before an adverse besluit (Awb 4:7, 4:8; models/zienswijze.py): the assessor's
afwijzing becomes a voornemen sent to the parties with a term, and the zienswijze or its
absence returns the zaak to the assessor and stands in the besluit's motivation. Pure rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.berichten import maak_bericht
from models.besluit_brief import motivering, regels
from models.engine import OngeldigeInvoer
from models.overgang import BesluitVastgelegd, Mededeling, VoorlopigBesluit
from models.proces import ZAAK, Feiten, antwoord_beoordeling, antwoord_zienswijze
from models.zaak_termijnen import bij_deadline
from models.zienswijze import (
    ZIENSWIJZE_TIMER,
    is_thuis_verlenging,
    kaart_regels,
    publiek,
    voornemen_van,
)
from tests.factories import PEILDATUM, aanvraag, client_dict
from tests.unit.test_proces_rules import stand

STAF = {"b-001": "beoordelaar", "b-002": "beoordelaar", "j-1": "jurist"}
FEITEN = Feiten(beoordelaars=STAF, beschikking_actief=False, wacht_op="beoordeling")
# A complete afwijzing: the failing pillar with its motivation, the onderbouwing and, for a
# thuis verlenging, the coulante weighing (N 2025).
AFWIJZEN = {
    "uitkomst": "afwijzen",
    "doelmatigheid": "voldoet niet",
    "doelmatigheid_motivering": "De zorg past binnen het zorgprofiel met het pgb.",
    "onderbouwing": "Anders dan het advies: de nachtzorg past binnen het zorgprofiel.",
    "beoordelaar": "b-001",
}
COULANT = {"coulante_afweging": "Coulant gewogen: ook met maatwerk past de zorg in het profiel."}
SAMENVATTING = "De ouders wijzen op de nachtelijke epilepsie; zonder toezicht is het onveilig."


def thuis_verlenging(leveringsvorm: str = "pgb"):
    return aanvraag(
        soort="verlenging",
        evaluatie_vorige_periode="Doelen deels behaald.",
        clienten=[client_dict(0, leveringsvorm=leveringsvorm)],
    )


def afwijzing(s, peildatum: dt.date = PEILDATUM, **form):
    coulant = COULANT if is_thuis_verlenging(s) else {}
    return antwoord_beoordeling(s, {**AFWIJZEN, **coulant, **form}, peildatum, FEITEN)


def in_zienswijze(peildatum: dt.date = PEILDATUM):
    """A thuis verlenging whose afwijzing became a voornemen: the zaak as the store leaves it."""
    s = stand(aanvraag=thuis_verlenging())
    o = afwijzing(s, peildatum)
    return dataclasses.replace(
        s, status=o.status, voorlopig_besluit=o.een(VoorlopigBesluit).besluit
    ), o


def zienswijze(**form) -> dict:
    return {
        "ontvangen": PEILDATUM.isoformat(),
        "van": "vertegenwoordiger",
        "samenvatting": SAMENVATTING,
        "ingediend_door": "b-002",
        **form,
    }


# --- when a voornemen comes first ------------------------------------------------------------


def test_awb_4_8_the_afwijzing_of_a_thuis_verlenging_is_first_a_voornemen_to_the_parties():
    """The client at home did not apply (the provider did) and loses meerzorg it had: it is
    heard before the besluit (Awb 4:8; N 2025). No besluit yet, no bezwaar clause."""
    s, o = in_zienswijze()
    assert (o.status, o.actie) == ("zienswijze", "voornemen_afwijzen")
    assert o.besluit is None and not o.alle(BesluitVastgelegd)
    (timer,) = o.termijnen
    # aanname: two weeks; the timer fires the day after the last day.
    assert (timer.soort, timer.datum) == (ZIENSWIJZE_TIMER, PEILDATUM + dt.timedelta(days=15))
    (brief,) = o.alle(Mededeling)
    assert brief.sjabloon == "voornemen_afwijzen" and brief.client_ids == ("CL-001",)
    assert [b.sjabloon for b in o.berichten] == ["voornemen_afwijzen"]
    onderwerp, tekst = maak_bericht("voornemen_afwijzen", zaak=s.key, **brief.context)
    assert "voornemen tot afwijzing" in onderwerp and "nog geen besluit" in tekst
    assert "Awb 4:8" in tekst and "binnen het zorgprofiel" in tekst
    v = voornemen_van(s)
    assert v["gronden"] == ["Awb 4:8"] and v["besluit"]["beoordelaar"] == "b-001"
    assert v["uiterlijk"] == (PEILDATUM + dt.timedelta(weeks=2)).isoformat()


def test_awb_4_7_an_afwijzing_on_the_zorgkantoors_own_records_is_first_a_voornemen():
    """The overlap with meerzorg elsewhere comes from the zorgkantoor's records, not from the
    applicant (Awb 4:7), also for a client in an instelling."""
    overlap = {
        "code": "OVERLAP_MEERZORG",
        "ernst": "blokkerend",
        "toelichting": "Client CL-001: overlap met lopende meerzorg in zaak MZ-2026-000009.",
    }
    toets = {"bevindingen": [overlap]}
    s = stand(toets={**stand().toets, **toets})
    o = afwijzing(s)
    assert o.status == "zienswijze"
    assert o.een(VoorlopigBesluit).besluit["voornemen"]["gronden"] == ["Awb 4:7"]


@pytest.mark.parametrize(
    "s",
    [
        stand(),  # a first aanvraag in an instelling (aanname: no 4:8 bedenkingen expected)
        stand(aanvraag=aanvraag(clienten=[client_dict(0, leveringsvorm="pgb")])),  # nieuw
    ],
    ids=["verblijf-nieuw", "thuis-nieuw"],
)
def test_awb_4_7_4_8_an_afwijzing_on_what_the_applicant_supplied_is_decided_at_once(s):
    o = afwijzing(s)
    assert o.status == "bezwaartermijn" and o.besluit["uitkomst"] == "afwijzen"


def test_awb_4_8_a_toekenning_needs_no_zienswijze():
    s = stand(aanvraag=thuis_verlenging())
    o = antwoord_beoordeling(
        s,
        {"uitkomst": "bijstellen", "onderbouwing": "Termijn korter.", "beoordelaar": "b-001"},
        PEILDATUM,
        FEITEN,
    )
    assert o.status != "zienswijze"


def test_awb_7_2_after_a_gegrond_bezwaar_the_parties_were_heard_no_new_voornemen():
    s = stand(aanvraag=thuis_verlenging())
    feiten = dataclasses.replace(FEITEN, bezwaren=({"uitkomst": "gegrond", "heropend_ronde": 1},))
    o = antwoord_beoordeling(s, {**AFWIJZEN, **COULANT}, PEILDATUM, feiten)
    assert o.status == "bezwaartermijn" and o.besluit["rechtsmiddel"] == "beroep"


# --- the zienswijze, or its absence, returns the zaak to the assessor ------------------------


def test_awb_4_8_a_zienswijze_given_returns_the_zaak_to_the_assessor_and_stands_in_the_besluit():
    s, _ = in_zienswijze()
    o = antwoord_zienswijze(s, zienswijze(), PEILDATUM + dt.timedelta(days=5), FEITEN)
    assert (o.status, o.actie) == ("beoordeling", "zienswijze_ontvangen")
    assert SAMENVATTING not in str(o.details)  # free text stays out of the audit trail
    z = o.een(VoorlopigBesluit).besluit["voornemen"]["zienswijze"]
    assert z["gegeven"] and z["samenvatting"] == SAMENVATTING and not z["te_laat"]
    terug = dataclasses.replace(
        s, status="beoordeling", voorlopig_besluit=o.een(VoorlopigBesluit).besluit
    )
    besluit = afwijzing(terug, PEILDATUM + dt.timedelta(days=6))
    assert besluit.status == "bezwaartermijn"
    record = besluit.besluit
    assert record["zienswijze"]["ontvangen"] == PEILDATUM.isoformat()
    # Awb 3:46: the motivation names the zienswijze; the rules name 4:7, 4:8.
    tekst = " ".join(motivering("afwijzing", record, None))
    assert SAMENVATTING in tekst and "de vertegenwoordiger van de cliënt" in tekst
    assert ("Gelegenheid tot het geven van een zienswijze op het voornemen", "Awb 4:7, 4:8") in (
        regels("afwijzing", record)
    )
    assert VoorlopigBesluit(None) in besluit.effecten  # the voornemen is done


def test_awb_4_8_no_zienswijze_within_the_term_the_sweep_returns_the_zaak_and_the_besluit_says_so():
    s, _ = in_zienswijze()
    dag = PEILDATUM + dt.timedelta(days=15)
    o = bij_deadline(s, ZIENSWIJZE_TIMER, dag, None)
    assert (o.status, o.actie) == ("beoordeling", "zienswijze_termijn_verstreken")
    terug = dataclasses.replace(
        s, status="beoordeling", voorlopig_besluit=o.een(VoorlopigBesluit).besluit
    )
    assert bij_deadline(terug, ZIENSWIJZE_TIMER, dag, None) is None  # fired once
    record = afwijzing(terug, dag).besluit
    assert record["zienswijze"]["gegeven"] is False
    assert "geen zienswijze ontvangen" in " ".join(motivering("afwijzing", record, None))


def test_awb_4_8_the_assessor_may_grant_after_the_zienswijze():
    s, _ = in_zienswijze()
    o = antwoord_zienswijze(s, zienswijze(), PEILDATUM, FEITEN)
    terug = dataclasses.replace(
        s, status="beoordeling", voorlopig_besluit=o.een(VoorlopigBesluit).besluit
    )
    assert afwijzing(terug, uitkomst="bijstellen").status != "zienswijze"


def test_a_late_zienswijze_is_recorded_as_late_for_the_assessor_to_weigh():
    s, _ = in_zienswijze()
    laat = PEILDATUM + dt.timedelta(days=15)
    o = antwoord_zienswijze(s, zienswijze(ontvangen=laat.isoformat()), laat, FEITEN)
    assert o.een(VoorlopigBesluit).besluit["voornemen"]["zienswijze"]["te_laat"] is True


@pytest.mark.parametrize(
    "form, fout",
    [
        ({"ontvangen": "2099-01-01"}, "in de toekomst"),
        ({"ontvangen": "2020-01-01"}, "voor het voornemen"),
        ({"ontvangen": "gisteren"}, "geen datum"),
        ({"van": "kies"}, "van wie"),
        ({"samenvatting": "  "}, "samenvatting"),
        ({"ingediend_door": ""}, "medewerker"),
        ({"ingediend_door": "j-1"}, "rol jurist"),
        ({"ingediend_door": "x-9"}, "niet geregistreerd"),
    ],
)
def test_bad_zienswijze_input_is_refused_with_one_dutch_line(form, fout):
    s, _ = in_zienswijze()
    with pytest.raises(OngeldigeInvoer, match=fout) as e:
        antwoord_zienswijze(s, zienswijze(**form), PEILDATUM, FEITEN)
    assert "\n" not in str(e.value)


def test_awb_4_7_the_provider_gives_its_own_zienswijze_through_its_api_and_only_its_own():
    """The provider, as applicant a belanghebbende (Awb 4:7), signs with its API key."""
    s, _ = in_zienswijze()
    eigen = zienswijze(van="zorgaanbieder", ingediend_door="aanbieder:k-1")
    o = antwoord_zienswijze(s, eigen, PEILDATUM, FEITEN)
    assert o.een(VoorlopigBesluit).besluit["voornemen"]["zienswijze"]["van"] == "zorgaanbieder"
    with pytest.raises(OngeldigeInvoer, match="alleen haar eigen"):
        antwoord_zienswijze(s, zienswijze(ingediend_door="aanbieder:k-1"), PEILDATUM, FEITEN)


def test_a_zienswijze_on_a_zaak_that_waits_for_none_is_refused():
    with pytest.raises(OngeldigeInvoer, match="wacht niet op een zienswijze"):
        antwoord_zienswijze(stand(), zienswijze(), PEILDATUM, FEITEN)


def test_an_empty_form_from_the_sweep_applies_nothing():
    s, _ = in_zienswijze()
    assert antwoord_zienswijze(s, {}, PEILDATUM, FEITEN) is None


def test_awb_4_13_the_beslistermijn_warning_moves_along_into_the_zienswijze_and_back():
    """The zienswijze does not suspend the beslistermijn (4:15 names no such ground)."""
    assert ZAAK.gaat_mee("beslistermijn_waarschuwing", "beoordeling", "zienswijze")
    assert ZAAK.gaat_mee("beslistermijn_waarschuwing", "zienswijze", "beoordeling")
    s, _ = in_zienswijze()
    o = bij_deadline(s, "beslistermijn_waarschuwing", PEILDATUM, None)
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [
        ("beslistermijn_waarschuwing", "operations")
    ]


# --- the wait, the card and meerzorg zaak -----------------------------------------------------


def test_the_zienswijze_is_a_declared_wait_answered_by_deciding_staff_bounded_by_its_timer():
    w = ZAAK.wacht("zienswijze")
    assert w.wacht_op == "zienswijze" and ZIENSWIJZE_TIMER in w.termijnen
    assert set(w.rollen) == {"beoordelaar", "teamleider"}


def test_the_card_shows_dates_and_roles_never_the_summary_and_meerzorg_zaak_masks_a_bsn():
    s, _ = in_zienswijze()
    assert "wacht op de zienswijze" in "\n".join(kaart_regels(s.voorlopig_besluit))
    o = antwoord_zienswijze(
        s, zienswijze(samenvatting="Zie BSN 999990032 en het verslag."), PEILDATUM, FEITEN
    )
    voorlopig = o.een(VoorlopigBesluit).besluit
    kaart = "\n".join(kaart_regels(voorlopig))
    assert "zienswijze ontvangen op" in kaart and "verslag" not in kaart
    p = publiek(voorlopig, [])
    assert p["status"] == "gegeven" and p["van"] == "vertegenwoordiger"
    assert "999990032" not in p["samenvatting"] and "verslag" in p["samenvatting"]
    # After the besluit: the besluit's own record.
    assert (
        publiek(None, [{"zienswijze": {"gegeven": False, "voornemen": "d", "uiterlijk": "u"}}])[
            "status"
        ]
        == "niet_gegeven"
    )
    assert publiek(None, [{}]) is None
