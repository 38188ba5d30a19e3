"""The CCE rule follows the client, not the provider (R §10: "voor iedere cliënt met meerzorg
... minimaal 1x per 3 jaar"; DOMAIN.md §10, §17): her history across providers by a
pseudonymous identity, HMAC-SHA256 of the BSN under the zorgkantoor's key."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from models.beleid import beleid_op
from models.compliance import over_aanbieders, status, uiterlijk
from models.persoon import pseudoniem

BELEID = beleid_op(dt.date(2026, 7, 1))
A_SINDS = dt.date(2024, 2, 1)  # meerzorg at provider A
B_SINDS = dt.date(2026, 6, 1)  # she moved to provider B
TRAJECT_A = {"bijeenkomst_1": dt.date(2025, 1, 15), "bijeenkomst_2": dt.date(2025, 3, 10)}


def test_r10_a_client_who_moves_from_a_to_b_keeps_her_completed_traject_and_is_not_due_early():
    """At B the provider states meerzorg since A's start (one period, R §10): without her
    history the traject at A is lost and she is due 3 years after A's start, early; with it
    she is due 3 years after that traject."""
    sinds, trajecten = over_aanbieders(A_SINDS, [], [(A_SINDS, [TRAJECT_A])])
    peildatum = dt.date(2027, 3, 1)
    assert uiterlijk(trajecten, sinds, peildatum, BELEID) == dt.date(2028, 3, 9)
    assert uiterlijk([], A_SINDS, peildatum, BELEID) == dt.date(2027, 1, 31)  # without: early
    assert status(trajecten, sinds, peildatum, BELEID) == ("ok", dt.date(2028, 3, 9))
    assert status([], A_SINDS, peildatum, BELEID)[0] == "overtreding"


def test_r10_her_three_year_window_runs_on_at_the_new_provider_and_does_not_restart():
    """B's own row starts meerzorg at the move; her window still runs from the traject at A,
    not from the move (which would postpone the obligation by more than a year)."""
    sinds, trajecten = over_aanbieders(B_SINDS, [], [(A_SINDS, [TRAJECT_A])])
    assert sinds == A_SINDS and trajecten == [TRAJECT_A]
    assert uiterlijk(trajecten, sinds, dt.date(2027, 3, 1), BELEID) == dt.date(2028, 3, 9)
    assert uiterlijk([], B_SINDS, dt.date(2027, 3, 1), BELEID) == dt.date(2029, 5, 31)


def test_r10_a_traject_known_at_both_providers_counts_once_and_no_meerzorg_elsewhere_is_no_start():
    sinds, trajecten = over_aanbieders(B_SINDS, [TRAJECT_A], [(None, [TRAJECT_A]), (None, [])])
    assert sinds == B_SINDS and trajecten == [TRAJECT_A]
    assert over_aanbieders(B_SINDS, [], []) == (B_SINDS, [])


def test_the_pseudonym_is_an_hmac_of_the_bsn_not_the_bsn_and_changes_with_the_key():
    """DOMAIN.md §17: the BSN is never a key; the pseudonym cannot be recomputed without the
    zorgkantoor's key (a plain SHA-256 of 10^9 numbers can)."""
    waarde = pseudoniem("999990093", b"sleutel-1")
    assert waarde == hmac.new(b"sleutel-1", b"999990093", hashlib.sha256).hexdigest()
    assert "999990093" not in waarde and len(waarde) == 64
    assert waarde != hashlib.sha256(b"999990093").hexdigest()
    assert pseudoniem("999990093", b"sleutel-2") != waarde
    assert pseudoniem("999990093", b"sleutel-1") == waarde


@pytest.mark.parametrize(
    ("bsn", "sleutel"), [("12345", b"k"), ("99999009a", b"k"), ("999990093", b"")]
)
def test_a_malformed_bsn_or_a_missing_key_is_refused_in_one_dutch_line(bsn, sleutel):
    with pytest.raises(ValueError) as fout:
        pseudoniem(bsn, sleutel)
    assert "\n" not in str(fout.value) and bsn not in str(fout.value)  # never echoed
