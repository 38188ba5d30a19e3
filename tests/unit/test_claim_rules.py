"""Claims on tasks (issue 27, models/claim.py): one holder per wait, lapsing after a set time
without activity (aanname), only the holder submits, a teamleider reassigns to someone who may
answer the wait, and Prefect's Resume follows the claim."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from models.claim import (
    Claim,
    houder,
    reden_hervatten,
    reden_herverdelen,
    reden_indienen,
    reden_oppakken,
    reden_vrijgeven,
)

NU = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
CLAIM = Claim("MZ-2026-000001", "beoordeling-1", "bo-1", NU - dt.timedelta(minutes=5), NU)


def test_a_held_task_answers_al_opgepakt_door_with_the_holder_and_the_time():
    reden = reden_oppakken(CLAIM, "bo-2", "beoordeling-1", NU, 30)
    # 08:55 UTC is 09:55 in Amsterdam in winter: the assessor reads her own clock.
    assert reden == "al opgepakt door bo-1 (sinds 09:55)"
    assert reden_oppakken(CLAIM, "bo-1", "beoordeling-1", NU, 30) is None


def test_a_claim_lapses_after_the_set_time_without_activity():
    later = NU + dt.timedelta(minutes=30)
    assert houder(CLAIM, "beoordeling-1", later - dt.timedelta(seconds=1), 30) == "bo-1"
    assert houder(CLAIM, "beoordeling-1", later, 30) is None
    assert reden_oppakken(CLAIM, "bo-2", "beoordeling-1", later, 30) is None


def test_a_claim_on_an_earlier_wait_holds_nothing():
    # The first beoordelaar's claim does not block the second pair of eyes.
    assert houder(CLAIM, "tweede-beoordeling-1", NU, 30) is None
    assert reden_oppakken(CLAIM, "bo-2", "tweede-beoordeling-1", NU, 30) is None
    assert reden_oppakken(None, "bo-2", None, NU, 30).startswith("deze zaak wacht nu niet")


def test_only_the_holder_submits_in_the_dossier():
    assert reden_indienen(CLAIM, "bo-1", "beoordeling-1", NU, 30) is None
    assert reden_indienen(CLAIM, "bo-2", "beoordeling-1", NU, 30).startswith(
        "al opgepakt door bo-1"
    )
    assert "pak de taak eerst op" in reden_indienen(None, "bo-1", "beoordeling-1", NU, 30)


def test_prefects_resume_follows_the_claim_but_an_unclaimed_task_stays_open_there():
    assert "opgepakt door bo-1" in reden_hervatten(CLAIM, "bo-2", "beoordeling-1", NU, 30)
    assert reden_hervatten(CLAIM, "bo-1", "beoordeling-1", NU, 30) is None
    assert reden_hervatten(None, "bo-2", "beoordeling-1", NU, 30) is None


def test_release_by_the_holder_or_a_teamleider():
    assert reden_vrijgeven(CLAIM, "bo-1", "beoordelaar", "beoordeling-1", NU, 30) is None
    assert reden_vrijgeven(CLAIM, "tl-1", "teamleider", "beoordeling-1", NU, 30) is None
    assert reden_vrijgeven(CLAIM, "bo-2", "beoordelaar", "beoordeling-1", NU, 30) == (
        "alleen bo-1 of een teamleider geeft deze taak vrij"
    )


def test_only_a_teamleider_reassigns_and_only_to_someone_who_may_answer_the_wait():
    w = ("beoordeling", "beoordeling-1")
    assert reden_herverdelen("teamleider", "bo-2", "beoordelaar", *w) is None
    assert reden_herverdelen("beoordelaar", "bo-2", "beoordelaar", *w) == (
        "alleen een teamleider verdeelt taken opnieuw"
    )
    assert reden_herverdelen("teamleider", "x", None, *w) == "x is geen actieve medewerker"
    # R §10: the CCE takes no part in the assessment; a jurist does not decide it either.
    assert "kan deze taak niet doen" in reden_herverdelen("teamleider", "cce-1", "cce", *w)
    assert "kan deze taak niet doen" in reden_herverdelen("teamleider", "ju-1", "jurist", *w)
    assert (
        reden_herverdelen("teamleider", "ju-1", "jurist", "bezwaar_horen", "hoorzitting-1") is None
    )


@given(
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=1, max_value=240),
    st.sampled_from(["bo-1", "bo-2"]),
)
def test_at_most_one_holder_and_the_holder_is_never_refused(minuut, minuten, wie):
    nu = NU + dt.timedelta(minutes=minuut)
    h = houder(CLAIM, "beoordeling-1", nu, minuten)
    assert h in (None, "bo-1")
    assert (h is None) == (minuut >= minuten)
    mag = reden_oppakken(CLAIM, wie, "beoordeling-1", nu, minuten) is None
    assert mag == (h is None or h == wie)
