"""Bezwaar (models/bezwaar.py) and the beslistermijn's extension (models/beslistermijn.py)
by themselves: given this stand, these facts and this input, this transition or this
refusal. Each test names its Awb article; no database, no Prefect."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest

from models import bezwaar
from models import bezwaar_termijnen as termijnen
from models.beleid import beleid_op
from models.beslistermijn import verleng
from models.besluit_brief import datum_nl
from models.dates import is_werkdag
from models.engine import OngeldigeInvoer
from models.overgang import (
    BesluitVastgelegd,
    BezwaarBijgewerkt,
    BezwaarGeregistreerd,
    Stand,
    ZaakOvergang,
)
from models.planner import beslistermijn_einde, bezwaartermijn_einde
from models.werkvoorraad import OpenTermijn, WachtendeZaak, werkvoorraad
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag, client_dict, correspondentie

BESLUIT = {
    "id": 7,
    "datum": PEILDATUM,
    "uitkomst": "afwijzen",
    "ronde": 1,
    "beoordelaar": "b-1",
    "tweede_beoordelaar": None,
}
ROLLEN = {"b-1": "beoordelaar", "b-2": "teamleider", "cce-1": "cce", "jur-1": "jurist"}
EINDE = bezwaartermijn_einde(PEILDATUM, beleid_op(PEILDATUM))
BESLUIT["uiterlijke_reactiedatum"] = EINDE  # its letters made known on the day it was taken


def stand(status: str = "bezwaartermijn", **changes) -> Stand:
    base = dict(
        key="MZ-2026-000001",
        status=status,
        stap=1,
        ronde=1,
        aanvraag=aanvraag(),
        ingediend_op=PEILDATUM - dt.timedelta(weeks=4),
    )
    return Stand(**{**base, **changes})


def feiten(bezwaren=(), besluit=BESLUIT, beschikking_actief=True):
    return SimpleNamespace(
        beoordelaars=ROLLEN,
        besluit=besluit,
        bezwaren=tuple(bezwaren),
        beschikking_actief=beschikking_actief,
    )


def geregistreerd(ontvangen=PEILDATUM, **invoer) -> dict:
    o = bezwaar.registreer(
        stand(), {"ontvangen": ontvangen, "gronden": "Plan gereed.", **invoer}, ontvangen, feiten()
    )
    return {**o.een(BezwaarGeregistreerd).bezwaar, "uitkomst": None}


# --- 6:7-6:9, 6:11: in time or late ---------------------------------------------------------


def test_awb_6_9_received_by_the_end_of_the_term_is_in_time():
    assert termijnen.tijdig(EINDE, None, EINDE)
    assert not termijnen.tijdig(EINDE + dt.timedelta(days=1), None, EINDE)


def test_awb_6_9_posted_in_time_and_received_within_a_week_counts():
    assert termijnen.tijdig(EINDE + dt.timedelta(days=5), EINDE, EINDE)
    assert not termijnen.tijdig(EINDE + dt.timedelta(days=5), EINDE + dt.timedelta(days=1), EINDE)
    assert not termijnen.tijdig(EINDE + dt.timedelta(days=30), EINDE, EINDE)


def test_awb_6_11_a_late_bezwaar_waits_for_the_decision_on_excusability():
    ontvangen = PEILDATUM + dt.timedelta(weeks=7)
    o = bezwaar.registreer(
        stand("afgewezen"), {"ontvangen": ontvangen, "gronden": "x"}, ontvangen, feiten()
    )
    assert o.status == "bezwaar_te_laat" and o.details["tijdig"] is False
    assert [b.sjabloon for b in o.berichten] == ["bezwaar_ontvangstbevestiging"]
    # aanname: for a late bezwaar the 7:10 term counts from its receipt.
    assert o.een(BezwaarGeregistreerd).bezwaar["uiterlijk"] >= ontvangen + dt.timedelta(weeks=6)


def test_awb_6_8_a_bezwaar_against_a_besluit_not_yet_made_known_is_never_late():
    """The term starts the day after the bekendmaking; a letter not delivered has none."""
    ontvangen = PEILDATUM + dt.timedelta(weeks=10)
    onbekend = {**BESLUIT, "uiterlijke_reactiedatum": None}
    o = bezwaar.registreer(
        stand("bezwaartermijn"),
        {"ontvangen": ontvangen, "gronden": "x"},
        ontvangen,
        feiten(besluit=onbekend),
    )
    assert o.status == "bezwaar_horen" and o.details["tijdig"] is True


def test_a_bezwaar_in_the_bezwaartermijn_goes_to_the_hoorzitting_and_returns_afgewezen():
    b = geregistreerd()
    assert b["tijdig"] and b["terug_status"] == "afgewezen" and b["betrokken"] == ["b-1"]


def test_awb_7_10_the_term_is_six_weeks_after_the_bezwaartermijn_on_a_working_day():
    b = geregistreerd()
    assert b["uiterlijk"] >= EINDE + dt.timedelta(weeks=6) and is_werkdag(b["uiterlijk"])
    # Christmas 2026 is a Friday: a term ending on it runs to Monday 28 December (Atw art. 1).
    kerst = dt.date(2026, 12, 25) - dt.timedelta(weeks=6)
    assert termijnen.beslis_uiterlijk(kerst, kerst) == dt.date(2026, 12, 28)


@pytest.mark.parametrize("status", ["beoordeling", "herstel", "bezwaar_horen"])
def test_no_bezwaar_where_no_besluit_can_be_contested(status):
    with pytest.raises(OngeldigeInvoer, match="geen besluit waartegen"):
        bezwaar.registreer(stand(status), {"gronden": "x"}, PEILDATUM, feiten())


@pytest.mark.parametrize(
    "invoer, fout",
    [
        ({"gronden": ""}, "gronden"),
        ({"gronden": "x", "ontvangen": PEILDATUM + dt.timedelta(days=1)}, "na vandaag"),
        ({"gronden": "x", "ontvangen": PEILDATUM - dt.timedelta(days=1)}, "voor het besluit"),
        ({"gronden": "x", "indiener": "buurman"}, "indiener"),
        ({"gronden": "x", "ontvangen": "morgen"}, "geen datum"),
    ],
)
def test_a_bezwaarschrift_with_bad_input_is_refused_in_one_line(invoer, fout):
    with pytest.raises(OngeldigeInvoer, match=fout):
        bezwaar.registreer(stand(), invoer, PEILDATUM, feiten())


def test_one_bezwaar_per_besluit_a_second_is_refused_with_the_beroep_route():
    eerste = {**geregistreerd(), "uitkomst": "ongegrond"}
    with pytest.raises(OngeldigeInvoer) as exc:
        bezwaar.registreer(stand("afgewezen"), {"gronden": "x"}, PEILDATUM, feiten([eerste]))
    assert str(exc.value).startswith(
        f"tegen het besluit van {PEILDATUM} is al bezwaar gemaakt (ongegrond"
    )
    assert str(exc.value).endswith("daarna staat beroep open bij de rechtbank")


def test_awb_7_1_the_new_besluit_after_a_gegrond_bezwaar_is_open_to_beroep_only():
    eerste = {**geregistreerd(), "uitkomst": "gegrond", "heropend_ronde": 2}
    nieuw = {**BESLUIT, "id": 8, "ronde": 2, "uitkomst": "toekennen"}
    with pytest.raises(OngeldigeInvoer, match="is de beslissing op bezwaar"):
        bezwaar.registreer(stand("lopend"), {"gronden": "x"}, PEILDATUM, feiten([eerste], nieuw))


# --- 7:5, 7:2/7:3, 7:10, the beslissing ---------------------------------------------------


@pytest.mark.parametrize(
    "wie, fout",
    [("b-1", "Awb 7:5"), ("cce-1", "mag geen bezwaar"), ("x-9", "niet geregistreerd"), ("", "id")],
)
def test_awb_7_5_only_someone_not_involved_with_a_handling_role_handles_the_bezwaar(wie, fout):
    invoer = {"behandelaar": wie, "handeling": "afzien", "grond_afzien": "indiener ziet af"}
    with pytest.raises(OngeldigeInvoer, match=fout):
        bezwaar.na_hoorzitting(stand("bezwaar_horen"), invoer, PEILDATUM, feiten([geregistreerd()]))


def test_awb_7_3_waiving_the_hoorzitting_needs_one_of_its_grounds():
    invoer = {"behandelaar": "jur-1", "handeling": "afzien", "grond_afzien": "kies"}
    with pytest.raises(OngeldigeInvoer, match="Awb 7:3"):
        bezwaar.na_hoorzitting(stand("bezwaar_horen"), invoer, PEILDATUM, feiten([geregistreerd()]))


def test_awb_7_3_e_fully_met_binds_the_outcome_to_gegrond():
    b = {**geregistreerd(), "afzien_grond": "volledig tegemoetgekomen"}
    invoer = {"behandelaar": "jur-1", "uitkomst": "ongegrond", "onderbouwing": "x"}
    with pytest.raises(OngeldigeInvoer, match="de uitkomst is dan gegrond"):
        bezwaar.na_beslissing(stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([b]))


def test_awb_7_12_a_beslissing_without_onderbouwing_is_refused():
    invoer = {"behandelaar": "jur-1", "uitkomst": "ongegrond", "onderbouwing": " "}
    with pytest.raises(OngeldigeInvoer, match="onderbouwing"):
        bezwaar.na_beslissing(
            stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([geregistreerd()])
        )


def test_awb_7_11_gegrond_reopens_the_assessment_in_a_new_ronde_and_keeps_the_7_10_timers():
    invoer = {"behandelaar": "jur-1", "uitkomst": "gegrond", "onderbouwing": "Plan is gereed."}
    o = bezwaar.na_beslissing(
        stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([geregistreerd()])
    )
    assert o.status == "beoordeling" and o.nieuwe_ronde
    e = o.een(BezwaarBijgewerkt)
    # The beslissing op bezwaar takes ronde 2 as a besluit; the new besluit follows in 3.
    assert e.velden["heropend_ronde"] == 3 and e.timers_vervallen is False
    assert o.besluit["ronde"] == 2
    (bericht,) = o.berichten
    assert bericht.bijlage and "herroepen" in bericht.context["gevolg"]


def test_awb_7_12_the_beslissing_op_bezwaar_is_a_besluit_with_the_beroep_clause():
    """Its letters (models/db/brieven.py) carry the dictum, the motivation, the rules and
    the beroep clause (6:7, 8:1) to the applicant and the parties of the clients."""
    verslag = {"gehoord": ["zorgaanbieder"], "opgemaakt_op": PEILDATUM.isoformat()}
    b = {**geregistreerd(), "hoorzitting_op": PEILDATUM, "verslag": verslag}
    invoer = {"behandelaar": "jur-1", "uitkomst": "ongegrond", "onderbouwing": "Niet doelmatig."}
    o = bezwaar.na_beslissing(stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([b]))
    r = o.besluit
    assert (r["soort"], r["rechtsmiddel"], r["uitkomst"]) == (
        "beslissing_op_bezwaar",
        "beroep",
        "ongegrond",
    )
    assert (r["datum"], r["beoordelaar"], r["onderbouwing"]) == (
        PEILDATUM,
        "jur-1",
        "Niet doelmatig.",
    )
    assert r["dictum"][0] == (
        "Het zorgkantoor verklaart het bezwaar van de zorgaanbieder tegen het besluit van "
        f"{datum_nl(PEILDATUM)} (kenmerk MZ-2026-000001/B7) ongegrond."
    )
    assert "blijft in stand" in r["dictum"][-1]
    assert "gehoord op" in r["motivering"][0]
    assert {bron for _, bron in r["regels"]} >= {"Awb 7:11", "Awb 7:12", "Awb 7:2"}
    assert r["client_ids"] is None  # every client of the aanvraag


@pytest.mark.parametrize("uitkomst", ["ongegrond", "niet-ontvankelijk"])
def test_the_besluit_stands_the_zaak_returns_where_it_was_and_its_timers_lapse(uitkomst):
    invoer = {"behandelaar": "jur-1", "uitkomst": uitkomst, "onderbouwing": "x"}
    o = bezwaar.na_beslissing(
        stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([geregistreerd()])
    )
    assert o.status == "afgewezen"
    assert o.een(BezwaarBijgewerkt).timers_vervallen is True
    # A besluit of its own (Besluit is unique per zaak and ronde): the ronde after the zaak's.
    assert o.nieuwe_ronde and o.besluit["ronde"] == 2


def test_awb_7_10_lid_3_one_verdaging_of_six_weeks_with_a_reason_a_second_is_refused():
    b = geregistreerd()
    invoer = {"behandelaar": "jur-1", "verdagen": True, "reden_verdaging": "Advies."}
    o = bezwaar.na_hoorzitting(stand("bezwaar_horen"), invoer, PEILDATUM, feiten([b]))
    nieuw = o.een(BezwaarBijgewerkt).velden["uiterlijk"]
    assert nieuw >= b["uiterlijk"] + dt.timedelta(weeks=6) and is_werkdag(nieuw)
    assert {t.soort: t.datum for t in o.termijnen}["bezwaar_uiterlijk"] == nieuw
    with pytest.raises(OngeldigeInvoer, match="reden"):
        bezwaar.verdaging(
            stand("bezwaar_horen"), {**invoer, "reden_verdaging": ""}, PEILDATUM, feiten([b])
        )
    verdaagd = {**b, "verdaagd": True}
    with pytest.raises(OngeldigeInvoer, match="tweede verdaging kan niet"):
        bezwaar.verdaging(stand("bezwaar_horen"), invoer, PEILDATUM, feiten([verdaagd]))


def test_a_herbeoordeling_due_during_a_bezwaar_waits_a_week_instead_of_lapsing():
    """aanname: the herbeoordeling is a wait of its own; the bezwaar's wait goes first. (The
    einde and the other timers: tests/unit/test_bezwaar_timers_rules.py.)"""
    lopend = {"actief": True}
    o = bij_deadline(stand("bezwaar_horen"), "herbeoordeling_start", PEILDATUM, None, lopend)
    assert o is not None and o.nieuwe_wacht is False
    assert [(t.soort, t.datum) for t in o.termijnen] == [
        ("herbeoordeling_start", PEILDATUM + dt.timedelta(days=7))
    ]
    assert bij_deadline(stand("bezwaar_horen"), "bezwaartermijn_einde", PEILDATUM, None) is None


def test_awb_7_10_the_term_passing_escalates_to_operations_and_keeps_the_wait():
    o = bij_deadline(stand("bezwaar_beslissen"), "bezwaar_uiterlijk", PEILDATUM, None, {})
    assert o.nieuwe_wacht is False and [b.kanaal for b in o.berichten] == ["operations"]
    assert bij_deadline(stand("lopend"), "bezwaar_uiterlijk", PEILDATUM, None, {}) is None


# --- any belanghebbende against any besluit (issue 25 point 5) --------------------------------

GROEP = aanvraag(
    clienten=[client_dict(0, correspondentie=correspondentie()), client_dict(1)],
)


def groep(status: str = "bezwaartermijn", **changes) -> Stand:
    return stand(status, aanvraag=GROEP, **changes)


def brief(rol: str, client_id: str | None, einde: dt.date | None) -> dict:
    return {"rollen": [rol], "client_id": client_id, "uiterlijke_reactiedatum": einde}


@pytest.mark.parametrize("status", ["bijstelling", "lopend", "herbeoordeling", "beeindigd"])
def test_awb_6_7_bezwaar_in_every_status_where_a_besluit_stands(status):
    """A bijstelling's letter offers bezwaar; a preventive beschikking enters herbeoordeling
    on day one and is contested during its whole bezwaartermijn."""
    o = bezwaar.registreer(stand(status), {"gronden": "x"}, PEILDATUM, feiten())
    assert o.status == "bezwaar_horen"
    assert o.een(BezwaarGeregistreerd).bezwaar["terug_status"] == status


def test_awb_6_8_each_indiener_is_timely_by_its_own_letter():
    """The provider's letter was made known earlier than the client's: a bezwaar on the same
    day is late for the provider and in time for the client; without a letter of its own
    (the vertegenwoordiger), the besluit's term; a letter not made known, no term at all."""
    vroeg = EINDE - dt.timedelta(days=10)
    besluit = {
        **BESLUIT,
        "uiterlijke_reactiedatum": EINDE,
        "brieven": [
            brief("zorgaanbieder", None, vroeg),
            brief("client", "CL-001", EINDE),
            brief("client", "CL-002", None),
        ],
    }

    def tijdig(ontvangen=vroeg + dt.timedelta(days=3), **invoer) -> bool:
        o = bezwaar.registreer(
            groep("afgewezen"),
            {"gronden": "x", "ontvangen": ontvangen, **invoer},
            ontvangen,
            feiten(besluit=besluit),
        )
        return o.een(BezwaarGeregistreerd).bezwaar["indieners"][0]["tijdig"]

    assert tijdig() is False
    assert tijdig(indiener="client", client="CL-001") is True
    assert tijdig(indiener="vertegenwoordiger", client="CL-001") is True
    later = EINDE + dt.timedelta(days=30)
    assert tijdig(later, indiener="client", client="CL-002") is True


@pytest.mark.parametrize(
    "invoer, fout",
    [
        ({"indiener": "client"}, "kies de cliënt van de client: CL-001, CL-002"),
        ({"indiener": "client", "client": "CL-009"}, "cliënt CL-009 hoort niet bij zaak"),
        ({"client": "CL-001"}, "laat de cliënt leeg"),
        ({"pro_forma": True}, "kies een van beide"),
    ],
)
def test_a_bezwaarschrift_names_a_client_of_the_zaak_and_has_gronden_or_is_pro_forma(invoer, fout):
    with pytest.raises(OngeldigeInvoer, match=fout):
        bezwaar.registreer(groep(), {"gronden": "x", **invoer}, PEILDATUM, feiten())


def test_awb_7_12_a_client_after_the_provider_joins_the_open_procedure():
    eerste = geregistreerd()
    o = bezwaar.registreer(
        groep("bezwaar_horen"),
        {"gronden": "Ik wil thuis blijven.", "indiener": "vertegenwoordiger", "client": "CL-002"},
        PEILDATUM,
        feiten([eerste]),
    )
    assert o.status == "bezwaar_horen" and o.nieuwe_wacht is False  # the run keeps its form
    assert o.actie == "bezwaar_indiener_toegevoegd" and not o.alle(BezwaarGeregistreerd)
    lijst = o.een(BezwaarBijgewerkt).velden["indieners"]
    assert [(i["indiener"], i["client_id"]) for i in lijst] == [
        ("zorgaanbieder", None),
        ("vertegenwoordiger", "CL-002"),
    ]
    (ontvangst,) = o.berichten
    assert ontvangst.kanaal == "aanbieder"
    assert ontvangst.context["indiener"] == "de vertegenwoordiger van een cliënt"
    assert "CL-002" not in str(ontvangst.context)  # by role only
    # The same indiener twice is refused in one line.
    tweede = {**eerste, "indieners": lijst}
    with pytest.raises(OngeldigeInvoer, match="heeft al bezwaar gemaakt tegen dit besluit"):
        bezwaar.registreer(
            groep("bezwaar_horen"),
            {"gronden": "x", "indiener": "vertegenwoordiger", "client": "CL-002"},
            PEILDATUM,
            feiten([tweede]),
        )


def test_the_beslissing_names_every_indiener_by_role_and_reaches_their_clients():
    b = {
        **geregistreerd(),
        "afzien_grond": "indiener ziet af",
        "clienten": ["CL-001"],
        "indieners": [
            {"indiener": "zorgaanbieder", "client_id": None, "tijdig": True},
            {"indiener": "client", "client_id": "CL-002", "tijdig": True},
        ],
    }
    invoer = {"behandelaar": "jur-1", "uitkomst": "gegrond", "onderbouwing": "x"}
    o = bezwaar.na_beslissing(groep("bezwaar_beslissen"), invoer, PEILDATUM, feiten([b]))
    r = o.besluit
    assert r["dictum"][0].startswith(
        "Het zorgkantoor verklaart de bezwaren van de zorgaanbieder en een cliënt tegen"
    )
    assert "herroept" in r["dictum"][-1]
    assert r["client_ids"] == ["CL-001", "CL-002"]
    assert o.berichten[0].context["indieners"] == "de zorgaanbieder en een cliënt"


def test_a_bezwaar_against_another_besluit_waits_for_the_open_procedure():
    with pytest.raises(OngeldigeInvoer, match="behandelt al een bezwaar tegen het besluit van"):
        bezwaar.registreer(
            stand("bezwaar_horen"),
            {"gronden": "x", "indiener": "client"},
            PEILDATUM,
            feiten([geregistreerd()], {**BESLUIT, "id": 9}),
        )


@pytest.mark.parametrize(
    "besluit",
    [
        {**BESLUIT, "id": 9, "ronde": 2, "uitkomst": "ongegrond", "soort": "beslissing_op_bezwaar"},
        {**BESLUIT, "id": 9, "ronde": 3, "uitkomst": "toekennen", "rechtsmiddel": "beroep"},
    ],
    ids=["beslissing-op-bezwaar", "besluit-na-gegrond"],
)
def test_awb_7_1_no_bezwaar_against_a_besluit_open_to_beroep(besluit):
    with pytest.raises(OngeldigeInvoer, match="beroep is het rechtsmiddel"):
        bezwaar.registreer(stand("afgewezen"), {"gronden": "x"}, PEILDATUM, feiten([], besluit))


def test_awb_7_11_the_new_besluit_after_a_gegrond_bezwaar_carries_the_beroep_clause():
    gegrond = {**geregistreerd(), "uitkomst": "gegrond", "heropend_ronde": 3}
    nieuw = ZaakOvergang(
        status="lopend",
        actie="toegekend",
        effecten=(BesluitVastgelegd({"uitkomst": "toekennen", "ronde": 3}),),
    )
    o = bezwaar.met_beroep(stand("beoordeling", ronde=3), feiten([gegrond]), nieuw)
    assert o.besluit["rechtsmiddel"] == "beroep"
    eerder = bezwaar.met_beroep(stand("beoordeling", ronde=1), feiten([gegrond]), nieuw)
    assert "rechtsmiddel" not in eerder.besluit


# --- pro forma (Awb 6:5, 6:6) ----------------------------------------------------------------


def pro_forma(**invoer) -> tuple[dict, ZaakOvergang]:
    o = bezwaar.registreer(stand(), {"pro_forma": True, **invoer}, PEILDATUM, feiten())
    return {**o.een(BezwaarGeregistreerd).bezwaar, "uitkomst": None}, o


def test_awb_6_6_a_pro_forma_bezwaar_waits_for_its_gronden_with_a_term_and_a_timer():
    b, o = pro_forma()
    uiterlijk = termijnen.gronden_uiterlijk(PEILDATUM)
    assert o.status == "bezwaar_gronden" and o.details["pro_forma"] is True
    assert uiterlijk >= PEILDATUM + dt.timedelta(weeks=4) and is_werkdag(uiterlijk)
    assert (b["gronden"], b["indieners"][0]["gronden_uiterlijk"]) == ("", uiterlijk.isoformat())
    timer = next(t for t in o.termijnen if t.soort == termijnen.GRONDEN_TIMER)
    assert (timer.datum, timer.aan_wacht) == (uiterlijk + dt.timedelta(days=1), True)
    assert "pro forma" in o.berichten[0].context["aanvulling"]


def test_awb_6_6_gronden_supplied_go_on_to_the_hoorzitting_7_10_lid_2_suspends_the_term():
    b, _ = pro_forma()
    dag = PEILDATUM + dt.timedelta(days=10)
    invoer = {"behandelaar": "jur-1", "handeling": "gronden", "gronden": "Plan gereed."}
    o = bezwaar.na_gronden(stand("bezwaar_gronden"), invoer, dag, feiten([b]))
    assert o.status == "bezwaar_horen"
    velden = o.een(BezwaarBijgewerkt).velden
    assert velden["gronden"] == "Plan gereed."
    assert velden["uiterlijk"] >= b["uiterlijk"] + dt.timedelta(days=10)
    assert {t.soort: t.datum for t in o.termijnen}["bezwaar_uiterlijk"] == velden["uiterlijk"]


def test_awb_6_6_after_the_term_a_person_decides_never_the_timer():
    b, _ = pro_forma()
    o = bij_deadline(stand("bezwaar_gronden"), termijnen.GRONDEN_TIMER, PEILDATUM, None, {})
    assert o.status == "bezwaar_gronden_verstreken"
    assert not o.alle(BesluitVastgelegd) and [m.kanaal for m in o.berichten] == ["operations"]
    invoer = {"behandelaar": "jur-1", "handeling": "niet-ontvankelijk", "onderbouwing": "Geen."}
    with pytest.raises(OngeldigeInvoer, match="loopt nog tot en met"):
        bezwaar.na_gronden(stand("bezwaar_gronden"), invoer, PEILDATUM, feiten([b]))
    na = termijnen.gronden_uiterlijk(PEILDATUM) + dt.timedelta(days=1)
    o = bezwaar.na_gronden(stand("bezwaar_gronden_verstreken"), invoer, na, feiten([b]))
    assert o.status == "afgewezen" and o.besluit["uitkomst"] == "niet-ontvankelijk"
    assert ["De gronden zijn niet binnen de gestelde termijn aangevuld", "Awb 6:5, 6:6"] in (
        o.besluit["regels"]
    )


def test_a_late_joiner_is_judged_alone_the_procedure_goes_on_for_the_others():
    eerste = geregistreerd()
    laat = EINDE + dt.timedelta(days=20)
    o = bezwaar.registreer(
        groep("bezwaar_horen"),
        {"gronden": "x", "indiener": "client", "client": "CL-001", "ontvangen": laat},
        laat,
        feiten([eerste]),
    )
    assert o.status == "bezwaar_te_laat" and o.nieuwe_wacht
    b = {**eerste, "indieners": o.een(BezwaarBijgewerkt).velden["indieners"]}
    oordeel = {"behandelaar": "jur-1", "oordeel": "niet-ontvankelijk", "onderbouwing": "Te laat."}
    o = bezwaar.na_verschoonbaarheid(groep("bezwaar_te_laat"), oordeel, laat, feiten([b]))
    assert o.status == "bezwaar_horen" and not o.alle(BesluitVastgelegd)
    b = {**b, "indieners": o.een(BezwaarBijgewerkt).velden["indieners"], "afzien_grond": "x"}
    invoer = {"behandelaar": "jur-1", "uitkomst": "ongegrond", "onderbouwing": "x"}
    dictum = bezwaar.na_beslissing(groep("bezwaar_beslissen"), invoer, laat, feiten([b])).besluit[
        "dictum"
    ]
    assert dictum[0].startswith("Het zorgkantoor verklaart het bezwaar van de zorgaanbieder")
    assert dictum[1] == (
        "Het zorgkantoor verklaart het bezwaar van een cliënt niet-ontvankelijk (Awb 6:11)."
    )


# --- Awb 4:14 --------------------------------------------------------------------------------


def test_awb_4_14_the_beslistermijn_is_extended_once_with_a_reason():
    s = stand("beoordeling", ingediend_op=PEILDATUM)
    o = verleng(s, 4, "Advies nodig.", PEILDATUM)
    nieuw = beslistermijn_einde(PEILDATUM, beleid_op(PEILDATUM), verlengd_dagen=28)
    assert o.details["beslistermijn"] == nieuw.isoformat()
    assert [b.sjabloon for b in o.berichten] == ["beslistermijn_verlengd"]
    with pytest.raises(OngeldigeInvoer, match="al eens verlengd"):
        verleng(dataclasses.replace(s, verlengd_dagen=28), 2, "x", PEILDATUM)


@pytest.mark.parametrize(
    "weken, reden, peildatum, fout",
    [
        (0, "x", PEILDATUM, "1 tot 8 weken"),
        (4, "", PEILDATUM, "reden"),
        (4, "x", PEILDATUM + dt.timedelta(weeks=9), "verstreken"),
    ],
)
def test_awb_4_14_an_extension_without_reason_too_long_or_too_late_is_refused(
    weken, reden, peildatum, fout
):
    with pytest.raises(OngeldigeInvoer, match=fout):
        verleng(stand("beoordeling", ingediend_op=PEILDATUM), weken, reden, peildatum)


def test_awb_4_14_an_extension_moves_the_beslistermijn_by_its_days():
    beleid = beleid_op(PEILDATUM)
    gewoon = PEILDATUM + dt.timedelta(weeks=8)
    assert beslistermijn_einde(PEILDATUM, beleid, 3, 14) >= gewoon + dt.timedelta(days=17)


# --- the werkvoorraad shows the term that applies now ------------------------------------------


def _zaak(wacht_op: str, status: str) -> WachtendeZaak:
    return WachtendeZaak(
        key="MZ-2026-000001",
        status=status,
        wacht_op=wacht_op,
        ingediend_op=PEILDATUM - dt.timedelta(weeks=12),
        wacht_sinds=PEILDATUM,
    )


def test_during_a_bezwaar_the_werkvoorraad_shows_the_7_10_term_in_the_bezwaar_view():
    uiterlijk = PEILDATUM + dt.timedelta(weeks=5)
    t = [OpenTermijn("MZ-2026-000001", "bezwaar_uiterlijk", uiterlijk)]
    (rij,) = werkvoorraad([_zaak("hoorzitting", "bezwaar_horen")], t, PEILDATUM, rol="bezwaar")
    assert (rij.termijn, rij.termijn_datum, rij.signaal) == (
        "bezwaar_uiterlijk",
        uiterlijk,
        "op-tijd",
    )


def test_after_a_gegrond_bezwaar_the_new_decision_shows_the_bezwaar_term_not_a_lapsed_4_13():
    uiterlijk = PEILDATUM + dt.timedelta(weeks=2)
    t = [OpenTermijn("MZ-2026-000001", "bezwaar_uiterlijk", uiterlijk)]
    (rij,) = werkvoorraad([_zaak("beoordeling", "beoordeling")], t, PEILDATUM)
    assert rij.termijn == "bezwaar_uiterlijk" and rij.signaal != "verlopen"
    (zonder,) = werkvoorraad([_zaak("beoordeling", "beoordeling")], [], PEILDATUM)
    assert (zonder.termijn, zonder.signaal) == ("beslistermijn", "verlopen")


def test_an_extended_beslistermijn_shows_in_the_werkvoorraad():
    z = WachtendeZaak(
        key="MZ-2026-000002",
        status="beoordeling",
        wacht_op="beoordeling",
        ingediend_op=PEILDATUM - dt.timedelta(weeks=9),
        verlengd_dagen=28,
    )
    (rij,) = werkvoorraad([z], [], PEILDATUM)
    assert rij.signaal != "verlopen"
