"""Ingebrekestelling and dwangsom bij niet tijdig beslissen (models/dwangsom.py,
models/dwangsom_besluit.py) by themselves: each test names its article of the Awb (4:17 lid
1-3 and 6, 4:18); no database, no Prefect."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import dwangsom
from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.dwangsom import Ingebrekestelling
from models.dwangsom_besluit import vaststellen
from models.engine import OngeldigeInvoer
from models.overgang import BesluitVastgelegd, Stand
from models.planner import beslistermijn_einde
from models.werkvoorraad import WachtendeZaak, markdown, werkvoorraad
from models.zaak_termijnen import bij_deadline
from tests.factories import aanvraag

INGEDIEND = dt.date(2026, 1, 5)
TERMIJN = beslistermijn_einde(INGEDIEND, beleid_op(INGEDIEND))  # 2 March 2026, a Monday
PGB_VOORBEELD = Path(__file__).resolve().parents[2] / "examples" / "aanvraag-pgb-budgethouder.json"
ROLLEN = {"b-1": "beoordelaar", "j-1": "jurist", "cce-1": "cce", "a-1": "analist"}


def stand(status: str = "beoordeling", **changes) -> Stand:
    base = dict(
        key="MZ-2026-000009",
        status=status,
        stap=3,
        ronde=1,
        aanvraag=aanvraag(),
        ingediend_op=INGEDIEND,
    )
    return Stand(**{**base, **changes})


def registreer(ontvangen, peildatum=None, s=None, **kw):
    kw = {"besluit_genomen": False, "bestaande": None, "medewerker": "b-1", **kw}
    return dwangsom.registreer(s or stand(), ontvangen, peildatum or ontvangen, **kw)


def ib(ontvangen=TERMIJN + dt.timedelta(days=1), **kw) -> Ingebrekestelling:
    return Ingebrekestelling(ontvangen=ontvangen, beslistermijn=TERMIJN, **kw)


# --- 4:17 lid 1 and 2: the amount -------------------------------------------------------------


@pytest.mark.parametrize("dag, euro", [(1, 23), (14, 23), (15, 35), (28, 35), (29, 45), (42, 45)])
def test_awb_4_17_lid_2_23_euro_for_14_days_then_35_then_45(dag, euro):
    assert dwangsom.bedrag_per_dag(dag) == euro


@pytest.mark.parametrize(
    "dagen, euro", [(0, 0), (1, 23), (14, 322), (15, 357), (28, 812), (29, 857), (42, 1442)]
)
def test_awb_4_17_the_amount_at_the_boundaries_14_28_42(dagen, euro):
    assert dwangsom.bedrag(dagen) == euro


def test_awb_4_17_lid_1_at_most_42_days_and_1442_euro():
    assert dwangsom.MAX_DAGEN == 42 and dwangsom.MAX_BEDRAG == 1442
    assert dwangsom.bedrag(43) == dwangsom.bedrag(400) == 1442
    with pytest.raises(ValueError, match="42 dagen"):
        dwangsom.bedrag_per_dag(43)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_awb_4_17_the_amount_never_falls_and_never_exceeds_the_cap(a, b):
    lo, hi = sorted((a, b))
    assert 0 <= dwangsom.bedrag(lo) <= dwangsom.bedrag(hi) <= 1442


# --- 4:17 lid 3: when it counts and when it starts ---------------------------------------------


def test_awb_4_17_lid_3_the_dwangsom_runs_from_the_day_after_two_weeks_since_receipt():
    ontvangen = dt.date(2026, 3, 4)
    assert dwangsom.dwangsom_start(ontvangen) == dt.date(2026, 3, 19)
    o = registreer(ontvangen)
    assert o.details["dwangsom_start"] == "2026-03-19"
    assert o.details["beslistermijn"] == TERMIJN.isoformat()
    assert o.status == "beoordeling" and not o.nieuwe_wacht  # the assessor's form stays
    # Its vaststelling is due at the latest the day after the 42nd day (4:17 lid 1, 4:18).
    (timer,) = o.termijnen
    assert (timer.soort, timer.datum, timer.aan_wacht) == (
        dwangsom.TIMER,
        dt.date(2026, 3, 19) + dt.timedelta(days=42),
        False,
    )
    assert {b.sjabloon for b in o.berichten} == {
        "ingebrekestelling_ontvangen",
        "ingebrekestelling_beslissen",
    }


@pytest.mark.parametrize("ontvangen", [TERMIJN, TERMIJN - dt.timedelta(days=10)])
def test_awb_4_17_lid_3_an_ingebrekestelling_before_the_term_ended_does_not_count(ontvangen):
    with pytest.raises(OngeldigeInvoer, match=r"te vroeg en telt niet \(Awb 4:17 lid 3\)"):
        registreer(ontvangen, peildatum=TERMIJN + dt.timedelta(days=5))


def test_awb_4_17_lid_3_the_term_counts_its_suspension_and_extension():
    """Awb 4:14, 4:15: a term suspended for herstel and extended once ends later; an
    ingebrekestelling the day after the unextended term is still too early."""
    s = stand(opgeschort_dagen=10, verlengd_dagen=14)
    later = beslistermijn_einde(INGEDIEND, beleid_op(INGEDIEND), 10, 14)
    with pytest.raises(OngeldigeInvoer, match="te vroeg"):
        registreer(TERMIJN + dt.timedelta(days=1), s=s)
    assert registreer(later + dt.timedelta(days=1), s=s).details["beslistermijn"] == str(later)


@pytest.mark.parametrize(
    "kw, fout",
    [
        ({"bestaande": TERMIJN + dt.timedelta(days=2)}, "al een ingebrekestelling"),
        ({"besluit_genomen": True}, "wacht niet op een besluit op de aanvraag"),
        ({"s": stand("lopend")}, "wacht niet op een besluit op de aanvraag"),
        ({"s": stand("herstel")}, r"opgeschort .* \(Awb 4:15\)"),
        ({"peildatum": TERMIJN + dt.timedelta(days=2)}, "ligt in de toekomst"),
        ({"medewerker": "cce-1", "rollen": ROLLEN}, "registreert geen ingebrekestelling"),
        ({"medewerker": "x-9", "rollen": ROLLEN}, "niet geregistreerd"),
    ],
)
def test_awb_4_17_a_second_one_a_decided_zaak_or_a_future_date_is_refused_in_one_line(kw, fout):
    with pytest.raises(OngeldigeInvoer, match=fout) as exc:
        registreer(TERMIJN + dt.timedelta(days=3), **kw)
    assert "\n" not in str(exc.value)


def test_awb_4_13_a_verzoek_tot_bijstelling_is_no_besluit_on_the_aanvraag():
    """R §10, models/bijstelling.py: the adjusted aanvraag is the same aanvraag, still to be
    decided on; the request neither ends the wait (a later ingebrekestelling counts) nor
    stops a running dwangsom (models/db/dwangsom_store.bij_besluit)."""
    assert "verzoek_bijstelling" not in dwangsom.OP_AANVRAAG
    assert {"toekenning", "afwijzing"} <= dwangsom.OP_AANVRAAG


def test_awb_4_13_4_15_during_a_bijstelling_without_consent_the_term_runs_on():
    """Awb 4:13: without the applicant's consent nothing is suspended in a bijstelling, so
    an ingebrekestelling after the term counts there; with consent (4:15 lid 2 sub a) the
    term is suspended and it is refused with that reason."""
    zonder = stand("bijstelling", bijstelling={"instemming_opschorting": False})
    o = registreer(TERMIJN + dt.timedelta(days=1), s=zonder)
    assert o.status == "bijstelling" and o.details["beslistermijn"] == str(TERMIJN)
    met = stand("bijstelling", bijstelling={"instemming_opschorting": True})
    with pytest.raises(OngeldigeInvoer, match=r"instemming .* \(Awb 4:15 lid 2 onder a\)"):
        registreer(TERMIJN + dt.timedelta(days=1), s=met)


def test_awb_4_15_a_zienswijze_suspends_nothing_so_an_ingebrekestelling_counts_meanwhile():
    """Awb 4:15 suspends the beslistermijn for herstel, consent or force majeure, not while
    the parties give their zienswijze (4:7, 4:8): the zaak still waits for its besluit."""
    o = registreer(TERMIJN + dt.timedelta(days=1), s=stand("zienswijze"))
    assert o.status == "zienswijze" and o.details["beslistermijn"] == str(TERMIJN)


def test_awb_4_17_a_jurist_or_beoordelaar_registers_it():
    for wie in ("b-1", "j-1"):
        assert registreer(TERMIJN + dt.timedelta(days=1), medewerker=wie, rollen=ROLLEN)


# --- the amount to date, and where it stops ------------------------------------------------------


def test_awb_4_17_nothing_is_owed_in_the_two_weeks_after_receipt():
    i = ib()
    start = dwangsom.dwangsom_start(i.ontvangen)
    assert dwangsom.dagen_op(i, start - dt.timedelta(days=1)) == 0
    data = dwangsom.overzicht(i, start - dt.timedelta(days=1))
    assert data["loopt"] is False and data["bedrag_tot_nu"] == 0
    assert dwangsom.dagen_op(i, start) == 1
    assert dwangsom.overzicht(i, start + dt.timedelta(days=20))["bedrag_tot_nu"] == 14 * 23 + 7 * 35


def test_awb_4_17_lid_1_it_stops_by_itself_after_42_days():
    i = ib()
    eind = dwangsom.einde_maximum(i.ontvangen)
    assert dwangsom.gestopt_op(i, eind - dt.timedelta(days=1)) is None
    assert dwangsom.gestopt_op(i, eind) == eind
    data = dwangsom.overzicht(i, eind + dt.timedelta(days=100))
    assert (data["dagen"], data["bedrag_tot_nu"], data["loopt"]) == (42, 1442, False)


def test_awb_4_17_it_stops_on_the_day_the_besluit_is_taken():
    """aanname (models/dwangsom.py): the besluit is given the day it is taken; that day is
    no longer owed."""
    i = ib()
    start = dwangsom.dwangsom_start(i.ontvangen)
    besloten = dataclasses.replace(
        i, besluit_op=start + dt.timedelta(days=5), besluit_soort="afwijzing"
    )
    later = start + dt.timedelta(days=30)
    assert dwangsom.dagen_op(besloten, later) == 5
    data = dwangsom.overzicht(besloten, later)
    assert data["gestopt_op"] == (start + dt.timedelta(days=5)).isoformat()
    assert data["bedrag_tot_nu"] == 5 * 23 and data["loopt"] is False


def test_awb_4_17_lid_6_c_no_dwangsom_for_an_aanvraag_left_buiten_behandeling():
    """aanname: an aanvraag put buiten behandeling (4:5) counts as kennelijk niet-ontvankelijk."""
    i = ib(besluit_op=TERMIJN + dt.timedelta(days=30), besluit_soort="buiten_behandeling")
    data = dwangsom.overzicht(i, TERMIJN + dt.timedelta(days=60))
    assert data["dagen"] == 0 and data["bedrag_tot_nu"] == 0
    assert "4:17 lid 6 onder c" in data["geen_dwangsom"]


# --- 4:18: the besluit that fixes it ----------------------------------------------------------


def test_awb_4_18_the_sweep_fixes_the_dwangsom_after_the_besluit_with_a_letter():
    start = dwangsom.dwangsom_start(TERMIJN + dt.timedelta(days=1))
    besluit_op = start + dt.timedelta(days=20)
    i = ib(besluit_op=besluit_op, besluit_soort="toekenning")
    dag = dwangsom.vaststelling_op(besluit_op)
    assert dag - (besluit_op - dt.timedelta(days=1)) <= dt.timedelta(
        days=dwangsom.VASTSTELLING_DAGEN
    )
    o = bij_deadline(stand("lopend"), dwangsom.TIMER, dag, None, {"ingebrekestelling": i})
    assert o.status == "lopend" and not o.nieuwe_wacht
    record = o.een(BesluitVastgelegd).besluit
    assert record["soort"] == "dwangsom" and record["rechtsmiddel"] == "bezwaar"
    assert record["ronde"] == dwangsom.RONDE and record["datum"] == dag
    assert "€ 532,00" in record["dictum"][0] and "20 dagen" in record["dictum"][0]
    assert ["Dwangsom bij niet tijdig beslissen op een aanvraag", "Awb 4:17"] in record["regels"]
    assert any("Awb 4:18" in bron for _, bron in record["regels"])
    (bericht,) = o.berichten
    assert bericht.sjabloon == "dwangsom_vastgesteld" and bericht.bijlage
    assert o.details == {"dagen": 20, "bedrag": 14 * 23 + 6 * 35, "gestopt_op": str(besluit_op)}


def test_awb_4_17_lid_1_the_dwangsom_is_paid_to_the_aanvrager_the_budgethouder_without_provider():
    """Awb 4:17 lid 1: owed to the aanvrager; in a pgb aanvraag without provider (issue 25)
    that is the budgethouder, not a zorgaanbieder."""
    pgb = parse_aanvraag(PGB_VOORBEELD.read_text())
    assert pgb.agb is None
    besluit_op = dwangsom.dwangsom_start(TERMIJN + dt.timedelta(days=1)) + dt.timedelta(days=3)
    i = ib(besluit_op=besluit_op, besluit_soort="toekenning")
    dag = dwangsom.vaststelling_op(besluit_op)
    [zonder] = (
        vaststellen(stand("lopend", aanvraag=pgb), dag, None, {"ingebrekestelling": i})
        .een(BesluitVastgelegd)
        .besluit["dictum"]
    )
    assert "aan de budgethouder als aanvrager" in zonder and "zorgaanbieder" not in zonder
    [met] = (
        vaststellen(stand("lopend"), dag, None, {"ingebrekestelling": i})
        .een(BesluitVastgelegd)
        .besluit["dictum"]
    )
    assert "aan de zorgaanbieder als aanvrager" in met


def test_awb_4_18_a_besluit_within_the_two_weeks_is_fixed_at_nothing():
    i = ib(besluit_op=TERMIJN + dt.timedelta(days=5), besluit_soort="afwijzing")
    o = vaststellen(
        stand("bezwaartermijn"), TERMIJN + dt.timedelta(days=6), None, {"ingebrekestelling": i}
    )
    assert o.details["bedrag"] == 0
    assert "geen dwangsom verschuldigd" in o.een(BesluitVastgelegd).besluit["dictum"][0]


def test_awb_4_18_without_a_besluit_the_timer_fixes_42_days_and_nothing_twice():
    i = ib()
    eind = dwangsom.einde_maximum(i.ontvangen)
    o = vaststellen(stand(), eind, None, {"ingebrekestelling": i})
    assert o.details["dagen"] == 42 and o.details["bedrag"] == 1442
    assert "ten hoogste 42 dagen" in " ".join(o.een(BesluitVastgelegd).besluit["motivering"])
    vast = dataclasses.replace(i, vastgesteld_besluit=12)
    assert vaststellen(stand(), eind, None, {"ingebrekestelling": vast}) is None
    assert vaststellen(stand(), eind - dt.timedelta(days=1), None, {"ingebrekestelling": i}) is None


# --- what staff see ----------------------------------------------------------------------------


def test_awb_4_17_the_werkvoorraad_shows_the_amount_to_date():
    i = ib()
    peil = dwangsom.dwangsom_start(i.ontvangen) + dt.timedelta(days=2)
    z = WachtendeZaak(
        key="MZ-2026-000009",
        status="beoordeling",
        wacht_op="beoordeling",
        ingediend_op=INGEDIEND,
        ingebrekestelling=i,
    )
    (rij,) = werkvoorraad([z], [], peil)
    assert rij.dwangsom["dagen"] == 3 and rij.dwangsom["bedrag_tot_nu"] == 69
    assert rij.public()["dwangsom"]["loopt"] is True
    assert "dwangsom 69 euro, 3 dagen" in markdown([rij], peil)
    (zonder,) = werkvoorraad([dataclasses.replace(z, ingebrekestelling=None)], [], peil)
    assert zonder.dwangsom is None


def test_awb_4_17_the_card_names_dates_and_amounts_only():
    regels = dwangsom.kaart_regels(dwangsom.overzicht(ib(), TERMIJN + dt.timedelta(days=20)))
    tekst = "\n".join(regels)
    assert "Awb 4:17" in tekst and "**loopt**" in tekst and "euro tot nu" in tekst
    assert dwangsom.kaart_regels(None) == []
