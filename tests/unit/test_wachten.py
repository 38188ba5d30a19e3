"""One table of waits per case kind (models/engine.py): every waiting status declares all of
what the rest of the system reads from it, in one spelling."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from models.soorten import SOORTEN as PER_NAAM

SOORTEN = list(PER_NAAM.values())


def bekende_termijnen(soort) -> set[str]:
    """Timers that bound a wait: those the kind plans with a rule, and the terms it computes
    (the CCE rule's last day, the Awb 4:13 decision term): the kind's own declaration."""
    return set(soort.termijnregels) | soort.berekende_termijnen


@pytest.mark.parametrize("soort", SOORTEN, ids=lambda s: s.naam)
def test_every_waiting_status_declares_its_wait_explanation_timers_form_and_handler(soort):
    from flows.driver import run_input

    wachtend = set(soort.statussen) - soort.gesloten - soort.acties
    assert wachtend == {w.status for w in soort.wachten}
    for w in soort.wachten:
        assert w.wacht_op and w.wacht_op == w.wacht_op.lower() and "_" not in w.wacht_op
        assert len(w.uitleg) > 20, w.status
        assert w.termijnen and set(w.termijnen) <= bekende_termijnen(soort), w.status
        assert run_input(w.formulier).__name__ == w.formulier.__name__
        assert list(inspect.signature(w.handler).parameters)[:3] == ["stand", "invoer", "peildatum"]
        assert w.rol in ("beoordelaar", "aanbieder", "zorgkantoor")
        assert soort.uitleg()[w.wacht_op] == w.uitleg


@pytest.mark.parametrize("soort", SOORTEN, ids=lambda s: s.naam)
def test_a_wait_key_is_its_wacht_op_and_step_and_closed_cases_have_none(soort):
    for w in soort.wachten:
        stap = soort.volgende_stap(w.status, 7)
        assert (stap.soort, stap.wacht_op, stap.key) == ("wacht", w.wacht_op, f"{w.wacht_op}-7")
    for status in soort.gesloten:
        assert soort.volgende_stap(status, 7).soort == "klaar"
    for status in soort.acties:
        assert soort.volgende_stap(status, 7).soort == "actie"


def test_the_dashboards_views_filter_on_declared_waits():
    from deployments.automations import SAVED_VIEWS

    declared = {w.wacht_op for s in SOORTEN for w in s.wachten} | {
        v for s in SOORTEN for w in s.wachten for v in w.varianten
    }
    tags = [t.removeprefix("wacht-op:") for t in SAVED_VIEWS.values() if t.startswith("wacht-op:")]
    assert tags and set(tags) <= declared


def test_a_kind_with_a_status_both_waiting_and_closed_is_refused():
    from enum import StrEnum

    from models.engine import Formulier, Soort, Wacht

    class S(StrEnum):
        A = "test_a"
        B = "test_b"

    w = Wacht(
        S.A, "a", "Een uitleg van voldoende lengte.", (), Formulier, "x", print, rollen=("x",)
    )
    with pytest.raises(ValueError, match="exactly one"):
        Soort("test", S, (w,), gesloten=frozenset({S.A, S.B}), acties=frozenset())


@pytest.mark.parametrize(
    ("minuten", "tekst"),
    [(25 * 60, "25 uur"), (90, "90 minuten"), (1, "1 minuut"), (0.2, "1 minuut"), (120, "2 uur")],
)
def test_the_missing_sweep_alert_names_its_window_in_words(minuten, tekst):
    import datetime as dt

    from deployments.automations import venster_tekst

    assert venster_tekst(dt.timedelta(minutes=minuten)) == tekst


# --- a kind checks itself when it is declared (issue 24) -------------------------------------


def _kind(**wacht):
    from enum import StrEnum

    from models.engine import Formulier, Soort, TermijnRegel, Wacht

    class S(StrEnum):
        A = "test_wacht_a"
        B = "test_klaar_b"

    class F(Formulier):
        wie: str = ""
        peildatum: dt.date | None = None

    velden = {"termijnen": ("t",), "formulier": F, "identiteit": "wie", "rollen": ("r",)}
    velden.update(wacht)
    w = Wacht(S.A, "a", "Een uitleg van voldoende lengte.", handler=print, **velden)
    regels = {"t": TermijnRegel(frozenset({S.A}), print)}
    return Soort("test", S, (w,), frozenset({S.B}), frozenset(), termijnregels=regels)


def test_a_well_declared_kind_is_accepted():
    assert _kind().wacht("test_wacht_a").identiteit == "wie"


def test_a_wait_whose_timer_has_no_rule_is_refused():
    # Before: a timer without a rule was silently marked `vervallen` when due.
    with pytest.raises(ValueError, match="timer without a rule: zonder_regel"):
        _kind(termijnen=("zonder_regel",))


def test_a_wait_whose_form_lacks_its_identity_field_is_refused():
    # Before: without IDENTITEIT_VELD the login did not sign the answer (issue 24).
    with pytest.raises(ValueError, match="has no field beoordelaar"):
        _kind(identiteit="beoordelaar")


def test_a_form_field_without_a_default_is_refused_as_a_timer_resumes_with_nothing():
    from models.engine import Formulier

    class Verplicht(Formulier):
        wie: str
        peildatum: dt.date | None = None

    with pytest.raises(ValueError, match="default"):
        _kind(formulier=Verplicht)


def test_a_wait_nobody_may_answer_is_refused():
    with pytest.raises(ValueError, match="no role"):
        _kind(rollen=())


def test_a_message_without_a_template_or_without_its_fields_is_refused_when_made():
    from models.engine import Bericht

    with pytest.raises(ValueError, match="geen sjabloon"):
        Bericht("bestaat_niet")
    with pytest.raises(ValueError, match="mist beslistermijn"):
        Bericht("ontvangen")  # before: KeyError at delivery
    assert Bericht("ontvangen", context={"beslistermijn": "2026-01-01"}).sjabloon == "ontvangen"


@pytest.mark.parametrize("soort", SOORTEN, ids=lambda s: s.naam)
def test_every_rule_of_a_timer_applies_in_statuses_of_its_own_kind(soort):
    for naam, regel in soort.termijnregels.items():
        assert regel.statussen and regel.statussen <= set(soort.statussen), naam


def test_every_obligation_the_planner_plans_has_its_rule_in_the_zaak():
    from models.planner import SOORTEN as PLAN_SOORTEN
    from models.proces import ZAAK

    assert set(PLAN_SOORTEN) <= set(ZAAK.termijnregels)


def test_every_kinds_flow_is_watched_by_the_failed_run_alert():
    from fnmatch import fnmatch

    from deployments.automations import ALERT_FLOWS
    from tasks.soorten import REGISTER

    for soort in REGISTER.values():
        assert any(fnmatch(soort.flow, patroon) for patroon in ALERT_FLOWS), soort.naam
        assert soort.reconcile().flow == soort.flow, soort.naam
