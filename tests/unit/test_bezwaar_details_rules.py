"""The bezwaar's details (issue 26 point 10) as pure rules, each named after its Awb article:
the verdaging only within the 7:10 term, the hoorzitting at least a week after the
invitation (7:4), its verslag (7:7), the adviescommissie's twelve weeks (7:13, 7:10 lid 1),
the kostenvergoeding (7:15) and a bezwaar gedeeltelijk gegrond (7:11). No database, no
Prefect; the same on the database: tests/integration/test_bezwaar_details.py."""

from __future__ import annotations

import datetime as dt

import pytest

from models import bezwaar
from models import bezwaar_termijnen as termijnen
from models.bezwaar_beslissing import kostenvergoeding
from models.engine import OngeldigeInvoer
from models.overgang import BesluitVastgelegd, BezwaarBijgewerkt, BezwaarGeregistreerd
from tests.factories import PEILDATUM
from tests.unit.test_bezwaar_rules import EINDE, feiten, geregistreerd, stand

JURIST = {"behandelaar": "jur-1"}
HOORZITTING = PEILDATUM + dt.timedelta(days=14)


def gehoord_op(dag: dt.date = HOORZITTING, **extra) -> dict:
    return {**geregistreerd(), "hoorzitting_op": dag, "uitgenodigd_op": PEILDATUM, **extra}


def verslag(**invoer) -> dict:
    return {
        **JURIST,
        "verslag": True,
        "gehoord": "zorgaanbieder",
        "verslag_tekst": "De zorgaanbieder lichtte het plan toe; de jurist vroeg naar de doelen.",
        **invoer,
    }


def beslis(b: dict, uitkomst: str, **invoer):
    invoer = {**JURIST, "uitkomst": uitkomst, "onderbouwing": "Heroverwogen.", **invoer}
    return bezwaar.na_beslissing(stand("bezwaar_beslissen"), invoer, HOORZITTING, feiten([b]))


# --- Awb 7:10 lid 3: the verdaging only within the term ---------------------------------------


def test_awb_7_10_lid_3_a_verdaging_after_the_term_ended_is_refused_on_its_last_day_not():
    b = geregistreerd()
    invoer = {**JURIST, "verdagen": True, "reden_verdaging": "Advies nodig."}
    laatste = b["uiterlijk"]
    o = bezwaar.verdaging(stand("bezwaar_horen"), invoer, laatste, feiten([b]))
    assert o.een(BezwaarBijgewerkt).velden["verdaagd"] is True
    with pytest.raises(OngeldigeInvoer, match=r"verstreken op .*alleen binnen de termijn"):
        bezwaar.verdaging(
            stand("bezwaar_horen"), invoer, laatste + dt.timedelta(days=1), feiten([b])
        )


# --- Awb 7:4: the stukken lie open a week before the hoorzitting ------------------------------


def test_awb_7_4_the_hoorzitting_is_at_least_a_week_after_the_invitation():
    plannen = {**JURIST, "handeling": "plannen"}
    te_vroeg = {**plannen, "hoorzitting_op": PEILDATUM + dt.timedelta(days=6)}
    for invoer in (te_vroeg, {**plannen, "hoorzitting_op": PEILDATUM}):
        with pytest.raises(OngeldigeInvoer, match=r"ten minste een week ter inzage.*Awb 7:4"):
            bezwaar.na_hoorzitting(
                stand("bezwaar_horen"), invoer, PEILDATUM, feiten([geregistreerd()])
            )
    week = {**plannen, "hoorzitting_op": PEILDATUM + dt.timedelta(days=7)}
    o = bezwaar.na_hoorzitting(stand("bezwaar_horen"), week, PEILDATUM, feiten([geregistreerd()]))
    velden = o.een(BezwaarBijgewerkt).velden
    assert (velden["hoorzitting_op"], velden["uitgenodigd_op"]) == (
        PEILDATUM + dt.timedelta(days=7),
        PEILDATUM,
    )
    assert [b.sjabloon for b in o.berichten] == ["bezwaar_hoorzitting"]  # the invitation


# --- Awb 7:7: the verslag of the hoorzitting --------------------------------------------------


def test_awb_7_7_the_beslissing_waits_for_the_verslag_of_the_hoorzitting():
    with pytest.raises(OngeldigeInvoer, match=r"verslag van de hoorzitting .*Awb 7:7"):
        beslis(gehoord_op(), "ongegrond")
    o = bezwaar.na_beslissing(
        stand("bezwaar_beslissen"), verslag(), HOORZITTING, feiten([gehoord_op()])
    )
    assert (o.status, o.actie) == ("bezwaar_beslissen", "bezwaar_verslag_vastgelegd")
    v = o.een(BezwaarBijgewerkt).velden["verslag"]
    assert (v["gehoord"], v["opgemaakt_op"], v["verzonden_op"]) == (
        ["zorgaanbieder"],
        HOORZITTING.isoformat(),
        None,
    )
    # The text is free text: in the bezwaar row only, never in the audit's details.
    assert "doelen" in v["tekst"] and "doelen" not in str(o.details)
    besluit = beslis(gehoord_op(verslag=v), "ongegrond").besluit
    assert "verslag gemaakt" in " ".join(besluit["motivering"])
    assert ["Verslag van de hoorzitting", "Awb 7:7"] in besluit["regels"]


def test_awb_7_7_the_verslag_after_the_hoorzitting_with_who_was_heard_and_when_it_was_sent():
    b = gehoord_op()
    s = stand("bezwaar_beslissen")
    voor = HOORZITTING - dt.timedelta(days=1)
    with pytest.raises(OngeldigeInvoer, match="nog niet gehouden"):
        bezwaar.na_beslissing(s, verslag(), voor, feiten([b]))
    fout = {
        "gehoord": ("client", "geen indiener in dit bezwaar"),
        "verslag_tekst": ("", "vul het verslag"),
        "verslag_op": (voor.isoformat(), "tussen de hoorzitting"),
        "verslag_verzonden_op": ((HOORZITTING + dt.timedelta(days=2)).isoformat(), "verzonden"),
    }
    for veld, (waarde, melding) in fout.items():
        with pytest.raises(OngeldigeInvoer, match=melding):
            bezwaar.na_beslissing(s, verslag(**{veld: waarde}), HOORZITTING, feiten([b]))
    later = HOORZITTING + dt.timedelta(days=3)
    o = bezwaar.na_beslissing(
        s, verslag(gehoord="niemand", verslag_verzonden_op=later), later, feiten([b])
    )
    v = o.een(BezwaarBijgewerkt).velden["verslag"]
    assert (v["gehoord"], v["verzonden_op"]) == ([], later.isoformat())


def test_awb_7_3_7_7_no_verslag_when_the_hoorzitting_was_waived():
    b = {**geregistreerd(), "afzien_grond": "indiener ziet af"}
    with pytest.raises(OngeldigeInvoer, match="geen hoorzitting gehouden"):
        bezwaar.na_beslissing(stand("bezwaar_beslissen"), verslag(), PEILDATUM, feiten([b]))
    assert beslis(b, "ongegrond").status == "afgewezen"  # and no verslag is asked


# --- Awb 7:13, 7:10 lid 1: the adviescommissie ------------------------------------------------


def test_awb_7_13_with_an_adviescommissie_the_term_is_twelve_weeks_instead_of_six():
    zes, twaalf = (
        termijnen.beslis_uiterlijk(EINDE, PEILDATUM, commissie) for commissie in (False, True)
    )
    assert zes < twaalf and twaalf >= EINDE + dt.timedelta(weeks=12)
    assert twaalf < EINDE + dt.timedelta(weeks=12, days=4)  # a working day (Atw), no later
    o = bezwaar.registreer(
        stand(),
        {"ontvangen": PEILDATUM, "gronden": "x", "adviescommissie": True},
        PEILDATUM,
        feiten(),
    )
    b = o.een(BezwaarGeregistreerd).bezwaar
    assert (b["adviescommissie"], b["uiterlijk"]) == (True, twaalf)
    assert {t.soort: t.datum for t in o.termijnen}["bezwaar_uiterlijk"] == twaalf
    assert geregistreerd()["adviescommissie"] is False and geregistreerd()["uiterlijk"] == zes
    regels = beslis(
        {**geregistreerd(), **b, "afzien_grond": "indiener ziet af"},
        "ongegrond",
        advies_commissie="ongegrond",
    )
    assert ["Advies van de commissie voor de bezwaarschriften", "Awb 7:13"] in regels.besluit[
        "regels"
    ]


def test_awb_7_13_lid_7_the_beslissing_names_the_commissies_advice_and_why_it_departs():
    o = bezwaar.registreer(
        stand(),
        {"ontvangen": PEILDATUM, "gronden": "x", "adviescommissie": True},
        PEILDATUM,
        feiten(),
    )
    b = {**o.een(BezwaarGeregistreerd).bezwaar, "uitkomst": None}
    b["afzien_grond"] = "indiener ziet af"
    with pytest.raises(OngeldigeInvoer, match=r"advies van de commissie .*7:13 lid 7"):
        beslis(b, "ongegrond")
    gevolgd = beslis(b, "ongegrond", advies_commissie="ongegrond")
    assert gevolgd.een(BezwaarBijgewerkt).velden["advies_commissie"] == "ongegrond"
    assert "volgt dat advies." in " ".join(gevolgd.besluit["motivering"])
    afwijkend = beslis(b, "gegrond", advies_commissie="ongegrond").besluit["motivering"]
    assert "wijkt daarvan af" in " ".join(afwijkend) and "7:13 lid 7" in " ".join(afwijkend)
    zonder = {**geregistreerd(), "afzien_grond": "indiener ziet af"}
    with pytest.raises(OngeldigeInvoer, match="geen adviescommissie"):
        beslis(zonder, "ongegrond", advies_commissie="ongegrond")


# --- Awb 7:15: the kostenvergoeding -----------------------------------------------------------


def test_awb_7_15_costs_granted_on_request_when_the_besluit_is_revoked():
    b = {**geregistreerd(), "afzien_grond": "indiener ziet af"}
    kosten = {"kosten_gevraagd": True, "kosten_toegekend": True, "kosten_bedrag": "637.50"}
    o = beslis(b, "gegrond", **kosten)
    assert o.een(BezwaarBijgewerkt).velden["kostenvergoeding"] == {
        "gevraagd": True,
        "toegekend": True,
        "bedrag": 637.5,
    }
    assert "EUR 637.50 (artikel 7:15 Awb)" in o.besluit["dictum"][-1]
    afgewezen = beslis(b, "gegrond", kosten_gevraagd=True).besluit["dictum"][-1]
    assert "wijst het verzoek om vergoeding" in afgewezen
    assert "kostenvergoeding" not in beslis(b, "gegrond").een(BezwaarBijgewerkt).velden


@pytest.mark.parametrize(
    "uitkomst, invoer, melding",
    [
        (
            "ongegrond",
            {"kosten_gevraagd": True, "kosten_toegekend": True, "kosten_bedrag": 100},
            "lid 2",
        ),
        ("gegrond", {"kosten_toegekend": True, "kosten_bedrag": 100}, "lid 3"),
        ("gegrond", {"kosten_gevraagd": True, "kosten_toegekend": True}, "vul het bedrag"),
        ("gegrond", {"kosten_gevraagd": True, "kosten_bedrag": 100}, "alleen bij een toegekende"),
        (
            "gegrond",
            {"kosten_gevraagd": True, "kosten_toegekend": True, "kosten_bedrag": "veel"},
            "geen bedrag",
        ),
        (
            "gegrond",
            {"kosten_gevraagd": True, "kosten_toegekend": True, "kosten_bedrag": -5},
            "geen geldig",
        ),
    ],
)
def test_awb_7_15_costs_refused_without_request_revocation_or_amount(uitkomst, invoer, melding):
    with pytest.raises(OngeldigeInvoer, match=melding):
        kostenvergoeding(uitkomst, invoer)


# --- Awb 7:11: gedeeltelijk gegrond -----------------------------------------------------------


def test_awb_7_11_gedeeltelijk_gegrond_revokes_for_that_part_and_a_new_besluit_replaces_it():
    """The zaak is assessed again as after gegrond; the new besluit replaces the contested one
    as a whole and is open to beroep only (7:1, 8:1); no new bezwaar against it."""
    b = {**geregistreerd(), "afzien_grond": "indiener ziet af"}
    o = beslis(b, "gedeeltelijk-gegrond", onderbouwing="Het bedrag klopt niet; de duur wel.")
    assert o.status == "beoordeling" and o.nieuwe_ronde
    velden = o.een(BezwaarBijgewerkt).velden
    assert velden["heropend_ronde"] == 3 and o.een(BezwaarBijgewerkt).timers_vervallen is False
    dictum = o.besluit["dictum"]
    assert dictum[0].endswith("gedeeltelijk gegrond.") and "voor zover" in dictum[1]
    assert "voor zover het bezwaar gegrond is" in o.berichten[0].context["gevolg"]
    beslist = {**b, **velden}
    nieuw = bezwaar.met_beroep(
        stand("beoordeling", ronde=3),
        feiten([beslist]),
        o.__class__(
            status="lopend",
            actie="toegekend",
            effecten=(BesluitVastgelegd({"uitkomst": "toekennen", "ronde": 3}),),
        ),
    )
    assert nieuw.besluit["rechtsmiddel"] == "beroep"
    tegen_nieuw = {"id": 9, "datum": PEILDATUM, "uitkomst": "toekennen", "ronde": 3}
    with pytest.raises(OngeldigeInvoer, match="beroep"):
        bezwaar.registreer(
            stand("lopend", ronde=3),
            {"ontvangen": PEILDATUM, "gronden": "x"},
            PEILDATUM,
            feiten([beslist], besluit={**tegen_nieuw, "uiterlijke_reactiedatum": EINDE}),
        )


def test_awb_7_3_e_fully_met_is_gegrond_not_partly():
    b = {**geregistreerd(), "afzien_grond": "volledig tegemoetgekomen"}
    with pytest.raises(OngeldigeInvoer, match="de uitkomst is dan gegrond"):
        beslis(b, "gedeeltelijk-gegrond")
