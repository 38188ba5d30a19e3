"""One table of waits per case kind (models/engine.py): every waiting status declares all of
what the rest of the system reads from it, in one spelling."""

from __future__ import annotations

import inspect

import pytest

from models.dialoog_proces import DIALOOG
from models.planner import SOORTEN as PLAN_SOORTEN
from models.proces import ZAAK

# Timers that bound a wait: the plan's, the zaak's own during assessment, the dialoog's,
# the CCE rule's last day and the Awb 4:13 decision term (computed, not a row).
BEKENDE_TERMIJNEN = {
    *PLAN_SOORTEN,
    "herstel_termijn",
    "beslistermijn",
    "beslistermijn_waarschuwing",
    "ontwikkeltraject",
    "uitnodiging_uiterlijk",
    "herinnering_meerzorgplan",
    "escalatie_meerzorgplan",
    "verslag_herinnering",
    # Awb 7:10: the beslissing op bezwaar (models/bezwaar.py).
    "bezwaar_uiterlijk",
}
SOORTEN = [ZAAK, DIALOOG]


@pytest.mark.parametrize("soort", SOORTEN, ids=lambda s: s.naam)
def test_every_waiting_status_declares_its_wait_explanation_timers_form_and_handler(soort):
    import flows.dialoog
    import flows.inputs

    formulieren = {"zaak": flows.inputs.FORMULIER, "dialoog": flows.dialoog.FORMULIER}[soort.naam]
    wachtend = set(soort.statussen) - soort.gesloten - soort.acties
    assert wachtend == {w.status for w in soort.wachten}
    for w in soort.wachten:
        assert w.wacht_op and w.wacht_op == w.wacht_op.lower() and "_" not in w.wacht_op
        assert len(w.uitleg) > 20, w.status
        assert w.termijnen and set(w.termijnen) <= BEKENDE_TERMIJNEN, w.status
        assert formulieren[w.status].__name__ == w.formulier
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

    from models.engine import Soort, Wacht

    class S(StrEnum):
        A = "test_a"
        B = "test_b"

    w = Wacht(S.A, "a", "Een uitleg van voldoende lengte.", ("herstel_termijn",), "F", print)
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
