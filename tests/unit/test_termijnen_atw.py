"""The Algemene termijnenwet: a term the Awb counts that ends on a Saturday, Sunday or
algemeen erkende feestdag (Atw art. 3) runs on to the next working day (Atw art. 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.beleid import beleid_op
from models.dates import atw_einde, is_werkdag
from models.planner import beslistermijn_einde, bezwaartermijn_einde

d = dt.date.fromisoformat
BELEID = beleid_op(d("2026-06-01"))


@pytest.mark.parametrize(
    "dag, volgende",
    [
        ("2026-04-05", "2026-04-07"),  # Paaszondag, then tweede Paasdag
        ("2026-04-06", "2026-04-07"),  # tweede Paasdag
        ("2026-04-27", "2026-04-28"),  # Koningsdag
        ("2025-04-26", "2025-04-28"),  # Koningsdag on the 26th (the 27th is a Sunday), Sunday
        ("2026-05-05", "2026-05-06"),  # Bevrijdingsdag, every year under the Atw
        ("2026-05-14", "2026-05-15"),  # Hemelvaartsdag
        ("2026-05-25", "2026-05-26"),  # tweede Pinksterdag
        ("2026-12-25", "2026-12-28"),  # eerste and tweede Kerstdag, then the weekend
        ("2027-01-01", "2027-01-04"),  # Nieuwjaarsdag on a Friday, then the weekend
        ("2026-06-13", "2026-06-15"),  # a Saturday
        ("2026-06-14", "2026-06-15"),  # a Sunday
    ],
)
def test_a_term_ending_on_a_weekend_or_feestdag_runs_to_the_next_working_day(dag, volgende):
    assert not is_werkdag(d(dag))
    assert atw_einde(d(dag)) == d(volgende)


def test_goede_vrijdag_is_no_feestdag_of_the_atw_and_a_working_day_stays():
    assert is_werkdag(d("2026-04-03"))  # Goede Vrijdag: not in Atw art. 3
    assert atw_einde(d("2026-06-16")) == d("2026-06-16")


def test_a_bezwaartermijn_ending_on_koningsdag_ends_the_day_after():
    # Besluit on 2026-03-16: six weeks later is Monday 27 April 2026, Koningsdag.
    assert bezwaartermijn_einde(d("2026-03-16"), BELEID) == d("2026-04-28")


def test_a_bezwaartermijn_ending_on_a_saturday_ends_on_monday():
    assert bezwaartermijn_einde(d("2026-05-02"), BELEID) == d("2026-06-15")


def test_a_beslistermijn_ending_on_christmas_ends_on_the_next_working_day():
    # Received 2026-10-30: eight weeks later is Friday 25 December.
    assert beslistermijn_einde(d("2026-10-30"), BELEID) == d("2026-12-28")


def test_a_suspended_beslistermijn_ends_later_by_exactly_the_suspension_on_working_days():
    ontvangen = d("2026-06-01")  # + 8 weeks = Monday 27 July
    assert beslistermijn_einde(ontvangen, BELEID) == d("2026-07-27")
    assert beslistermijn_einde(ontvangen, BELEID, opgeschort_dagen=10) == d("2026-08-06")
