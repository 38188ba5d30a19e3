"""Who applies (issue 25): a pgb aanvraag by its budgethouder needs no provider AGB (Wlz
pgb, the budgethouder buys the care; N 2025, the right is the verzekerde's; `aanname` where
the seeds are silent), and what the rules send "to the aanbieder" then reaches the
budgethouder as a letter (models/aanvrager.py, models/besluit_brief.adresseringen)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from models.aanvraag import InvoerFout, parse_aanvraag
from models.aanvrager import ZONDER_AANBIEDER, aanbieder_label, naar_budgethouder
from models.besluit_brief import adresseringen, brief_inhoud
from models.brief import Afzender
from models.engine import Bericht, Overgang
from models.overgang import Mededeling
from tests.factories import aanvraag_dict, client_dict, correspondentie, vertegenwoordiger

WAARSCHUWING = {"wacht_sinds": "2026-06-01", "beslistermijn": "2026-08-01"}
VOORBEELD = Path(__file__).resolve().parents[2] / "examples" / "aanvraag-pgb-budgethouder.json"


def zonder_aanbieder(**client) -> dict:
    data = aanvraag_dict(client={"leveringsvorm": "pgb", **client})
    del data["zorgaanbieder"]
    return data


def test_wlz_pgb_a_budgethouder_with_a_channel_applies_without_provider_agb():
    aanvraag = parse_aanvraag(zonder_aanbieder(correspondentie=correspondentie()))
    assert aanvraag.zorgaanbieder is None and aanvraag.agb is None
    # Stored as given: the dump leaves the provider out, and reads back the same.
    assert "zorgaanbieder" not in aanvraag.model_dump(mode="json")
    assert parse_aanvraag(aanvraag.model_dump(mode="json")) == aanvraag


def test_wlz_pgb_a_vertegenwoordiger_as_budgethouder_applies_for_a_client_without_channel():
    data = zonder_aanbieder(vertegenwoordiger=vertegenwoordiger(), budgethouder="vertegenwoordiger")
    assert parse_aanvraag(data).agb is None


@pytest.mark.parametrize(
    ("client", "reden"),
    [
        ({"leveringsvorm": "mpt", "correspondentie": correspondentie()}, "leveringsvorm mpt"),
        ({"leveringsvorm": "verblijf"}, "leveringsvorm verblijf"),
        ({"leveringsvorm": "pgb"}, "geen correspondentie"),
        (  # the budgethouder is the client, and only the vertegenwoordiger can be written to
            {"leveringsvorm": "pgb", "vertegenwoordiger": vertegenwoordiger()},
            "geen correspondentie",
        ),
    ],
)
def test_wlz_pgb_without_provider_agb_only_a_reachable_budgethouder_applies(client, reden):
    data = aanvraag_dict(client=client)
    del data["zorgaanbieder"]
    with pytest.raises(InvoerFout) as fout:
        parse_aanvraag(data)
    regel = str(fout.value)
    assert "\n" not in regel and "zorgaanbieder ontbreekt" in regel and "(Wlz pgb)" in regel
    assert reden in regel and "CL-001" in regel


def test_wlz_pgb_a_group_without_provider_needs_every_client_pgb_with_its_budgethouder():
    pgb = {"leveringsvorm": "pgb", "correspondentie": correspondentie()}
    data = aanvraag_dict(clienten=[client_dict(0, **pgb), client_dict(1, leveringsvorm="pgb")])
    del data["zorgaanbieder"]
    with pytest.raises(InvoerFout, match="budgethouder van client CL-002 heeft geen"):
        parse_aanvraag(data)
    data["clienten"][1]["correspondentie"] = correspondentie(naam="B. Jansen")
    assert parse_aanvraag(data).agb is None


def test_a_provider_aanvraag_keeps_its_agb_and_a_bad_agb_is_still_refused():
    assert parse_aanvraag(aanvraag_dict()).agb == "73730001"
    data = aanvraag_dict(client={"leveringsvorm": "pgb", "correspondentie": correspondentie()})
    data["zorgaanbieder"]["agb"] = "123"
    with pytest.raises(InvoerFout, match="zorgaanbieder.agb"):
        parse_aanvraag(data)


def test_the_shipped_budgethouder_example_has_no_provider():
    aanvraag = parse_aanvraag(VOORBEELD.read_text())
    assert aanvraag.agb is None
    assert json.loads(VOORBEELD.read_text()).get("zorgaanbieder") is None


# --- what goes to "the aanbieder" -------------------------------------------------------------


def test_aanname_a_herstel_request_to_the_aanbieder_becomes_a_letter_to_the_budgethouder():
    # Awb 4:5: the request to complete the aanvraag (models/proces.py) and the operations copy.
    context = {"bevindingen": "- check vooraf", "herstel_uiterlijk": "2026-07-01"}
    herstel = Bericht("niet_ontvankelijk", context=context)
    ops = Bericht("beslistermijn_waarschuwing", "operations", context=WAARSCHUWING)
    overgang = Overgang("herstel", "niet_ontvankelijk", (herstel, ops))
    uit = naar_budgethouder(overgang, ("c1", "c2"))
    [brief] = uit.alle(Mededeling)
    assert (brief.sjabloon, brief.context) == ("niet_ontvankelijk", context)
    assert brief.client_ids == ("c1", "c2") and brief.rollen == ("budgethouder",)
    # Nothing is queued for a provider; other channels stay as they were.
    assert uit.berichten == (ops,)
    assert (uit.status, uit.actie) == (overgang.status, overgang.actie)


def test_aanname_the_message_carrying_a_besluit_letter_is_dropped_the_letter_reaches_it():
    overgang = Overgang("afgewezen", "afgewezen", (Bericht("afgesloten_na_bezwaartermijn"),))
    assert naar_budgethouder(overgang, ("c1",)).effecten == (
        Mededeling("afgesloten_na_bezwaartermijn", {}, ("c1",), ("budgethouder",)),
    )
    met_brief = Overgang("x", "y", (Bericht("afgesloten_na_bezwaartermijn", bijlage=True),))
    assert naar_budgethouder(met_brief, ("c1",)).effecten == ()


def test_awb_7_12_an_indiener_who_is_budgethouder_gets_one_letter_per_step():
    # The provider's acknowledgement and the indieners' notice of the same text merge: one
    # notice, reaching each person once whatever roles they hold.
    velden = ("indiener", "indieners", "besluit_datum", "ontvangen", "uiterlijk", "termijn")
    context = {veld: "x" for veld in velden} | {"aanvulling": ""}
    eigen = Mededeling("bezwaar_ontvangstbevestiging", context, ("c1",), ("client",))
    bericht = Bericht("bezwaar_ontvangstbevestiging", context=context)
    uit = naar_budgethouder(Overgang("bezwaar", "bezwaar", (bericht, eigen)), ("c1",))
    assert uit.effecten == (
        Mededeling("bezwaar_ontvangstbevestiging", context, ("c1",), ("client", "budgethouder")),
    )


def test_provider_level_overviews_name_the_zaken_without_provider():
    assert aanbieder_label(None) == aanbieder_label("") == ZONDER_AANBIEDER
    assert aanbieder_label("73730001") == "73730001"


# --- the besluit's letters ----------------------------------------------------------------------


def test_awb_3_41_without_provider_the_budgethouder_is_the_applicant_in_one_letter():
    data = zonder_aanbieder(
        correspondentie=correspondentie(naam="S. Bakker"),
        vertegenwoordiger=vertegenwoordiger(),
        budgethouder="client",
    )
    adressen = adresseringen(parse_aanvraag(data))
    assert [(a.rollen, a.aanvrager) for a in adressen] == [
        (("client", "budgethouder"), True),
        (("vertegenwoordiger",), False),
    ]
    assert "aanbieder" not in [a.kanaal for a in adressen]
    inhoud = brief_inhoud(
        adressering=adressen[0],
        zaak="MZ-2026-000001",
        kenmerk="MZ-2026-000001/B1",
        record={"uitkomst": "afwijzen", "datum": dt.date(2026, 6, 1), "beleidsversie": "2026.1"},
        aanvraag=parse_aanvraag(data),
        toets=None,
        beschikkingen=[],
        afzender=Afzender(naam="Zorgkantoor", adres=(), bezwaar_adres=(), bezwaar_digitaal=""),
        functie="beoordelaar Meerzorg",
    )
    assert inhoud.motivering[0].startswith("U ontvangt dit besluit als aanvrager")
    assert inhoud.geadresseerde.rol == "client"


def test_with_a_provider_the_budgethouder_is_no_applicant():
    data = aanvraag_dict(client={"leveringsvorm": "pgb", "correspondentie": correspondentie()})
    adressen = adresseringen(parse_aanvraag(data))
    assert [(a.rollen, a.aanvrager) for a in adressen] == [
        (("zorgaanbieder",), False),
        (("client", "budgethouder"), False),
    ]
