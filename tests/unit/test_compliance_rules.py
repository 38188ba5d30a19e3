"""The CCE ontwikkeltraject rule as a status on a peildatum (models/compliance.py, DOMAIN.md
§10). R §10: "Voor iedere cliënt met meerzorg geldt dat er minimaal 1x per 3 jaar
betrokkenheid van het CCE is in de vorm van een ontwikkeltraject. Een ontwikkeltraject
bestaat uit twee aparte bijeenkomsten"."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from models.beleid import beleid_op
from models.compliance import afgerond, status, uiterlijk
from tests.factories import d, traject
from tests.unit.test_properties import SETTINGS

BELEID = beleid_op(d("2027-01-15"))
# The example group (examples/beschikking-groep-vg.json): meerzorg from 2027-02-01.
SINDS = d("2027-02-01")
ZONDER = d("2030-01-31")  # the last day of the first window without any traject


# --- only a traject that took place counts ------------------------------------------------


def test_r_10_a_traject_whose_second_bijeenkomst_lies_after_the_peildatum_does_not_count():
    # Recorded in advance: planned, not held. The old rule counted it as completed, and the
    # client showed `ok` (until 2033-05-31) while the first window had passed.
    gepland = [traject("2030-03-01", "2030-06-01")]
    assert status(gepland, SINDS, d("2029-09-01"), BELEID) == ("risico", ZONDER)
    assert status(gepland, SINDS, d("2030-02-01"), BELEID) == ("overtreding", ZONDER)
    assert status(gepland, SINDS, d("2030-05-31"), BELEID) == ("overtreding", ZONDER)


def test_r_10_a_traject_counts_from_the_day_of_its_second_bijeenkomst():
    gehouden = [traject("2030-03-01", "2030-06-01")]
    assert status(gehouden, SINDS, d("2030-06-01"), BELEID) == ("ok", d("2033-05-31"))
    assert afgerond(gehouden, d("2030-05-31")) == []
    assert afgerond(gehouden, d("2030-06-01")) == [d("2030-06-01")]


def test_r_10_two_bijeenkomsten_one_held_is_no_traject():
    half = [traject("2028-03-01")]
    assert uiterlijk(half, SINDS, d("2029-01-01"), BELEID) == ZONDER


# --- the window starts at meerzorg's start or the last traject, whichever is later --------


def test_r_10_aanname_a_traject_before_meerzorg_counts_for_the_first_window_from_the_start():
    # LINDE-022 of the example: a traject in 2024, before its meerzorg. The first window
    # runs from the start as LINDE-014's without any traject; the old rule ended it on
    # 2027-06-02, 3 years after the traject, so consulting the CCE early shortened it.
    eerder = [traject("2024-02-12", "2024-06-03")]
    assert uiterlijk(eerder, SINDS, d("2027-01-15"), BELEID) == ZONDER
    assert status(eerder, SINDS, d("2027-03-01"), BELEID) == ("ok", ZONDER)


def test_r_10_a_traject_the_day_before_meerzorg_gives_no_less_than_one_on_the_start():
    daarvoor = uiterlijk([traject("2027-01-10", "2027-01-31")], SINDS, SINDS, BELEID)
    op_de_start = uiterlijk([traject("2027-01-10", "2027-02-01")], SINDS, SINDS, BELEID)
    assert daarvoor == op_de_start == ZONDER


def test_r_10_the_window_restarts_at_the_last_traject_held_during_meerzorg():
    trajecten = [traject("2028-03-01", "2028-09-01"), traject("2031-01-05", "2031-03-02")]
    assert uiterlijk(trajecten, SINDS, d("2030-01-01"), BELEID) == d("2031-08-31")
    assert uiterlijk(trajecten, SINDS, d("2031-03-02"), BELEID) == d("2034-03-01")


def test_r_10_risico_from_the_reminder_lead_time_before_the_last_day():
    # Six months, an example value of the policy.
    assert status([], SINDS, d("2029-07-30"), BELEID) == ("ok", ZONDER)
    assert status([], SINDS, d("2029-07-31"), BELEID) == ("risico", ZONDER)
    assert status([], SINDS, d("2030-01-31"), BELEID) == ("risico", ZONDER)


# --- properties ---------------------------------------------------------------------------

dagen = st.integers(-2000, 3000).map(lambda n: SINDS + dt.timedelta(days=n))


@st.composite
def trajecten(draw) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        b1 = draw(dagen)
        b2 = b1 + dt.timedelta(days=draw(st.integers(1, 400))) if draw(st.booleans()) else None
        out.append(traject(b1.isoformat(), b2 and b2.isoformat()))
    return out


@SETTINGS
@given(trajecten(), dagen)
def test_r_10_a_traject_never_shortens_the_window_and_one_still_to_come_never_moves_it(
    trajecten, peildatum
):
    grens = uiterlijk(trajecten, SINDS, peildatum, BELEID)
    assert grens >= uiterlijk([], SINDS, peildatum, BELEID)
    gehouden = [t for t in trajecten if t["bijeenkomst_2"] and d(t["bijeenkomst_2"]) <= peildatum]
    assert grens == uiterlijk(gehouden, SINDS, peildatum, BELEID)
