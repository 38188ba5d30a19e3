"""A wait declares the rules of its own timers, and the kind's timers that keep running while
the case waits there (docs/uitbreiden.md, "Add a wait"): the kind takes them in when it is
declared, and refuses what does not fit."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import pytest

from models.engine import Formulier, Soort, TermijnRegel, Wacht
from models.overgang import ZaakStatus as S
from models.proces import ZAAK


def test_awb_4_13_the_warning_runs_on_in_the_four_eyes_the_bijstelling_and_the_zienswijze():
    regel = ZAAK.termijnregels["beslistermijn_waarschuwing"]
    assert regel.statussen == {S.BEOORDELING, S.TWEEDE_BEOORDELING, S.BIJSTELLING, S.ZIENSWIJZE}


def test_awb_4_5_the_herstel_term_runs_on_in_the_bijstelling():
    assert ZAAK.termijnregels["herstel_termijn"].statussen == {S.HERSTEL, S.BIJSTELLING}


def test_awb_4_8_and_r_10_the_zienswijze_and_bijstelling_timers_have_their_waits_rules():
    assert ZAAK.termijnregels["zienswijze_termijn"].statussen == {S.ZIENSWIJZE}
    assert ZAAK.termijnregels["bijstelling_termijn"].statussen == {S.BIJSTELLING}


class _S(StrEnum):
    A = "t_a"
    B = "t_b"


class _F(Formulier):
    wie: str = ""
    peildatum: dt.date | None = None


def _soort(*wachten_regels, kind_regels=None):
    regels, loopt_door = wachten_regels
    w = Wacht(_S.A, "a", "", (), _F, "wie", lambda *a: None, ("x",), termijnregels=regels,
              loopt_door=loopt_door)  # fmt: skip
    return Soort("t", _S, (w,), frozenset({_S.B}), frozenset(), termijnregels=kind_regels or {})


def test_a_timer_with_two_rules_is_refused_when_the_kind_is_declared():
    r = TermijnRegel(frozenset({_S.A}), lambda *a: None)
    with pytest.raises(ValueError, match="timer t1 has two rules"):
        _soort({"t1": r}, (), kind_regels={"t1": r})


def test_a_wait_that_lets_an_unknown_timer_run_on_is_refused():
    with pytest.raises(ValueError, match="t9 has no rule"):
        _soort({}, ("t9",))
