"""Bijstellen as the regeling means it (models/bijstelling.py; issue 26 point 1): R §10
names bijstellen an outcome of the assessment of a complete aanvraag, the beslistermijn is
suspended only with the applicant's consent (Awb 4:15 lid 2 sub a), and when no adjusted
aanvraag comes a person decides, never an automatic buiten behandeling (Awb 4:5)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.berichten import maak_bericht
from models.besluit import na_beoordeling, valideer_beoordeling
from models.besluit_brief import dictum
from models.bijstelling import kaartregel, werkvoorraad_feit
from models.engine import OngeldigeInvoer
from models.overgang import BeslistermijnOpgeschort, BesluitVastgelegd, Stand
from models.proces import ZAAK, na_herstel
from models.werkvoorraad import WachtendeZaak, markdown, werkvoorraad
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag

BEOORDELAARS = {"b-1": "beoordelaar"}
ACHT_WEKEN = PEILDATUM + dt.timedelta(weeks=8)
# Awb 3:46: bijstellen departs from the toets's advice (it never advises it): weigh why.
ONDERBOUWING = (
    "Anders dan het advies (toekennen) van de toets: de nachtzorg is ruimer dan de zorgvraag."
)


def stand(status: str = "beoordeling", **changes) -> Stand:
    a = aanvraag()
    base = dict(
        key="MZ-2026-000001",
        status=status,
        stap=1,
        ronde=1,
        aanvraag=a,
        ingediend_op=PEILDATUM,
        toets={"termijn": {"start": str(a.gevraagde_start), "eind": str(a.gevraagde_eind)}},
    )
    base.update(changes)
    return Stand(**base)


def vraag_bijstelling(dag: dt.date = PEILDATUM, **form):
    invoer = {"uitkomst": "bijstellen", "onderbouwing": ONDERBOUWING, "beoordelaar": "b-1"}
    besluit = valideer_beoordeling(stand(), {**invoer, **form}, beoordelaars=BEOORDELAARS)
    return na_beoordeling(stand(), besluit, dag)


def in_bijstelling(instemming: bool, gevraagd: dt.date = PEILDATUM, weken: int = 4) -> Stand:
    """The zaak as the request left it (the facts models/db/zaak_store.py stores)."""
    o = vraag_bijstelling(gevraagd, bijstelling_weken=weken, instemming_opschorting=instemming)
    return stand("bijstelling", wacht_sinds=gevraagd, bijstelling=o.besluit["bijstelling"])


def test_r_10_bijstellen_asks_with_a_reason_and_the_default_term_aanname_four_weeks():
    o = vraag_bijstelling()
    assert o.status == "bijstelling" and o.actie == "bijstelling_gevraagd"
    uiterlijk = PEILDATUM + dt.timedelta(weeks=4)  # the policy's herstel term (aanname)
    assert {t.soort: t.datum for t in o.termijnen} == {"bijstelling_termijn": uiterlijk}
    assert o.besluit["onderbouwing"] == ONDERBOUWING
    assert o.besluit["bijstelling"]["uiterlijk"] == uiterlijk.isoformat()
    assert o.besluit["bijstelling"]["instemming_opschorting"] is False
    (bericht,) = o.berichten
    _, tekst = maak_bericht("bijstellen", zaak="MZ-2026-000001", **bericht.context)
    assert f"uiterlijk {uiterlijk.isoformat()}" in tekst
    assert "niet ingestemd met opschorting" in tekst and "beslistermijn loopt door" in tekst


def test_r_10_the_beoordelaar_sets_the_term_of_the_bijstelling_in_weeks():
    o = vraag_bijstelling(bijstelling_weken=6, instemming_opschorting=True)
    assert o.termijnen[0].datum == PEILDATUM + dt.timedelta(weeks=6)
    _, tekst = maak_bericht("bijstellen", zaak="MZ-2026-000001", **o.berichten[0].context)
    assert "ingestemd met opschorting" in tekst and "Awb 4:15 lid 2 sub a" in tekst


@pytest.mark.parametrize(
    ("form", "fout"),
    [
        ({"bijstelling_weken": 13}, "1 tot 12 weken"),
        ({"bijstelling_weken": 2.5}, "hele weken"),
        ({"bijstelling_weken": "vier"}, "hele weken"),
        ({"instemming_opschorting": "ja"}, "ja of nee"),
        ({"uitkomst": "afwijzen", "bijstelling_weken": 4}, "alleen bij de uitkomst bijstellen"),
        ({"uitkomst": "afwijzen", "instemming_opschorting": True}, "alleen bij"),
    ],
)
def test_r_10_a_bad_term_or_consent_is_refused_in_one_dutch_line(form, fout):
    invoer = {"uitkomst": "bijstellen", "onderbouwing": "Te ruim.", "beoordelaar": "b-1", **form}
    with pytest.raises(OngeldigeInvoer, match=fout) as exc:
        valideer_beoordeling(stand(), invoer, beoordelaars=BEOORDELAARS)
    assert "\n" not in str(exc.value)


def test_awb_4_15_lid_2_a_with_consent_the_days_until_the_adjusted_aanvraag_are_suspended():
    """The adjusted aanvraag is the same aanvraag (R §10 "bijstellen aanvraag"): it keeps its
    receipt date; with consent the days since the request are added, and it is acknowledged."""
    ontvangen = PEILDATUM + dt.timedelta(days=9)
    o = na_herstel(in_bijstelling(True), aanvraag().model_dump(mode="json"), ontvangen)
    assert o.status == "beoordeling" and o.nieuwe_ronde
    assert o.een(BeslistermijnOpgeschort) == BeslistermijnOpgeschort(9)
    (ontvangst,) = [b for b in o.berichten if b.sjabloon == "bijstelling_ontvangen"]
    termijn = ACHT_WEKEN + dt.timedelta(days=9)  # from the original receipt, plus 9 days
    assert ontvangst.context == {
        "ontvangen_op": ontvangen.isoformat(),
        "beslistermijn": termijn.isoformat(),
    }
    assert not any(b.sjabloon == "ontvangen" for b in o.berichten)  # no new aanvraag


def test_awb_4_15_lid_2_a_without_consent_the_beslistermijn_runs_on_and_is_acknowledged():
    o = na_herstel(
        in_bijstelling(False),
        aanvraag().model_dump(mode="json"),
        PEILDATUM + dt.timedelta(days=9),
    )
    assert o.status == "beoordeling" and o.een(BeslistermijnOpgeschort) is None
    (ontvangst,) = [b for b in o.berichten if b.sjabloon == "bijstelling_ontvangen"]
    assert ontvangst.context["beslistermijn"] == ACHT_WEKEN.isoformat()


def test_r_10_awb_4_5_no_adjusted_aanvraag_in_time_goes_to_the_beoordelaar_not_buiten_behandeling():
    """Awb 4:5 is for an incomplete aanvraag and a power a person exercises: the sweep takes
    no besluit; the zaak is back in the beoordelaar's queue with the fact."""
    verstreken = PEILDATUM + dt.timedelta(weeks=4)
    o = bij_deadline(in_bijstelling(False), "bijstelling_termijn", verstreken, None)
    assert o.status == "beoordeling" and o.actie == "bijstelling_niet_ontvangen"
    assert o.een(BesluitVastgelegd) is None and o.nieuwe_ronde
    assert o.een(BeslistermijnOpgeschort) is None
    soorten = {t.soort for t in o.termijnen}
    assert soorten == {"beslistermijn_waarschuwing"}
    (bericht,) = o.berichten
    assert bericht.sjabloon == "bijstelling_niet_ontvangen" and bericht.kanaal == "aanbieder"
    assert bericht.context["beslistermijn"] == ACHT_WEKEN.isoformat()


def test_awb_4_15_lid_2_a_with_consent_the_term_of_the_bijstelling_is_suspended_when_nothing_comes():
    verstreken = PEILDATUM + dt.timedelta(weeks=4)
    o = bij_deadline(in_bijstelling(True), "bijstelling_termijn", verstreken, None)
    assert o.een(BeslistermijnOpgeschort) == BeslistermijnOpgeschort(28)
    assert (
        o.berichten[0].context["beslistermijn"] == (ACHT_WEKEN + dt.timedelta(days=28)).isoformat()
    )


def test_r_10_after_bijstelling_niet_ontvangen_the_beoordelaar_can_afwijzen():
    """She decides on the aanvraag as it stands: an afwijzing, a besluit with its letter."""
    terug = stand("beoordeling", ronde=2, bijstelling={"niet_ontvangen_op": "2026-06-29"})
    besluit = valideer_beoordeling(
        terug,
        {
            "uitkomst": "afwijzen",
            "onderbouwing": "De gevraagde bijstelling kwam niet; zoals de aanvraag er ligt, "
            "is de inzet niet doelmatig.",
            "doelmatigheid": "voldoet niet",
            "doelmatigheid_motivering": "Nachtzorg te ruim, niet bijgesteld.",
            "beoordelaar": "b-1",
        },
        beoordelaars=BEOORDELAARS,
    )
    o = na_beoordeling(terug, besluit, PEILDATUM + dt.timedelta(weeks=5))
    assert o.status == "bezwaartermijn" and o.besluit["uitkomst"] == "afwijzen"
    assert o.besluit["ronde"] == 2 and o.berichten[0].bijlage


def test_awb_4_13_4_15_without_consent_operations_is_still_warned_during_the_bijstelling():
    """Without consent the beslistermijn runs on (Awb 4:13): the warning planned at the
    beoordeling moves with the zaak and fires; with consent it is suspended: no warning."""
    zonder = bij_deadline(in_bijstelling(False), "beslistermijn_waarschuwing", PEILDATUM, None)
    assert zonder.status == "bijstelling" and not zonder.nieuwe_wacht
    assert zonder.berichten[0].context["beslistermijn"] == ACHT_WEKEN.isoformat()
    assert bij_deadline(in_bijstelling(True), "beslistermijn_waarschuwing", PEILDATUM, None) is None
    assert ZAAK.gaat_mee("beslistermijn_waarschuwing", "beoordeling", "bijstelling")


def test_the_bijstelling_timer_does_nothing_once_the_zaak_left_the_bijstelling():
    assert bij_deadline(in_bijstelling(True), "bijstelling_termijn", PEILDATUM, None)
    assert bij_deadline(stand("beoordeling"), "bijstelling_termijn", PEILDATUM, None) is None
    assert ZAAK.wacht("bijstelling").termijnen == ("bijstelling_termijn",)


def test_r_10_the_werkvoorraad_and_card_show_bijstelling_niet_ontvangen():
    feiten = {"gevraagd_op": "2026-06-01", "uiterlijk": "2026-06-29"}
    feiten |= {"instemming_opschorting": True, "niet_ontvangen_op": "2026-06-29"}
    feiten |= {"opgeschort_dagen": 28}
    assert werkvoorraad_feit("beoordeling", feiten) == "bijstelling niet ontvangen"
    assert werkvoorraad_feit("bijstelling", {**feiten, "niet_ontvangen_op": None}) is None
    zaak = WachtendeZaak(
        key="MZ-2026-000001",
        status="beoordeling",
        wacht_op="beoordeling",
        ingediend_op=PEILDATUM,
        feit=werkvoorraad_feit("beoordeling", feiten),
    )
    (rij,) = werkvoorraad([zaak], [], PEILDATUM, rol="beoordelaar")
    assert rij.feit == "bijstelling niet ontvangen"
    assert "beoordeling (bijstelling niet ontvangen)" in markdown([rij], PEILDATUM)
    regel = kaartregel(feiten)
    assert "met instemming van de aanvrager (Awb 4:15 lid 2 sub a)" in regel
    assert "**bijstelling niet ontvangen**" in regel and "28 dagen opgeschort" in regel
    zonder = kaartregel({**feiten, "instemming_opschorting": False, "opgeschort_dagen": 0})
    assert "zonder instemming: de beslistermijn loopt door" in zonder


def test_r_10_awb_4_15_the_letter_of_the_request_names_the_term_and_the_consent():
    """Every addressee reads by when the adjusted aanvraag is expected and whether the
    beslistermijn is suspended (Awb 4:15 lid 2 sub a)."""
    o = vraag_bijstelling(bijstelling_weken=3, instemming_opschorting=True)
    (regel, extra) = dictum("verzoek_bijstelling", o.besluit, aanvraag(), [], (), "MZ-2026-000001")
    assert regel.startswith("Het zorgkantoor verzoekt de zorgaanbieder")
    assert "uiterlijk 22 juni 2026 verwacht" in extra
    assert "ingestemd met opschorting van de beslistermijn" in extra and "4:15 lid 2" in extra
    zonder = vraag_bijstelling()
    (_, extra) = dictum("verzoek_bijstelling", zonder.besluit, aanvraag(), [], (), "MZ-2026-000001")
    assert "niet ingestemd met opschorting: de beslistermijn loopt door" in extra
