"""A running beschikking's timers outlive a bezwaar against it (issue 26 point 5): Awb 6:16,
a bezwaar suspends nothing, so the beschikking's einde, its periodic contact and its CCE
reminders fire while the zaak waits in a bezwaar status or is assessed again after a
gegrond one (models/bezwaar_termijnen.tijdens_bezwaar). Pure rules: no database, no
Prefect. The same on the database: tests/integration/test_bezwaar_timers.py."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from models import bezwaar
from models.beleid import beleid_op
from models.contact import TAAK_SOORT
from models.overgang import BezwaarGeregistreerd, ClientBeeindigd, Stand
from models.planner import bezwaartermijn_einde
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag, client_dict

TOEKENNING = {
    "id": 3,
    "datum": PEILDATUM,
    "uitkomst": "toekennen",
    "ronde": 1,
    "beoordelaar": "b-1",
    "tweede_beoordelaar": None,
    "uiterlijke_reactiedatum": bezwaartermijn_einde(PEILDATUM, beleid_op(PEILDATUM)),
}
ROLLEN = {"b-1": "beoordelaar", "jur-1": "jurist"}
GROEP = aanvraag(clienten=[client_dict(0), client_dict(1)])
EINDE = PEILDATUM + dt.timedelta(days=60)
LOOPT = {"einde": EINDE, "actief": True}
# Where the zaak waits while the beschikking runs on: the bezwaar's waits, and the new
# assessment after a gegrond bezwaar until the new besluit replaces the beschikking.
ELDERS = ["bezwaar_horen", "bezwaar_beslissen", "bezwaar_te_laat", "beoordeling"]


def stand(status: str) -> Stand:
    return Stand(
        key="MZ-2026-000009",
        status=status,
        stap=4,
        ronde=1,
        aanvraag=GROEP,
        ingediend_op=PEILDATUM - dt.timedelta(weeks=8),
    )


def feiten(bezwaren=(), beschikking_actief=True):
    return SimpleNamespace(
        beoordelaars=ROLLEN,
        besluit=TOEKENNING,
        bezwaren=tuple(bezwaren),
        beschikking_actief=beschikking_actief,
    )


@pytest.mark.parametrize("status", ELDERS)
def test_awb_6_16_the_einde_during_a_bezwaar_ends_every_beschikking_and_keeps_the_wait(status):
    dag = EINDE + dt.timedelta(days=1)  # the sweep acts the day after the last day
    o = bij_deadline(stand(status), "einde_beschikking", dag, None, LOOPT)
    assert o is not None
    assert (o.status, o.nieuwe_wacht, o.actie) == (
        status,
        False,
        "beschikking_beeindigd_tijdens_bezwaar",
    )
    assert {(e.client_id, e.eind) for e in o.alle(ClientBeeindigd)} == {
        (c.client_id, EINDE) for c in GROEP.clienten
    }
    assert [(b.sjabloon, b.context["einde"]) for b in o.berichten] == [
        ("beeindigd_tijdens_bezwaar", EINDE.isoformat())
    ]


def test_awb_6_16_nothing_fires_when_no_beschikking_runs_any_more():
    """The einde fired already (or the beschikking was replaced): the timer lapses."""
    klaar = {"einde": EINDE, "actief": False}
    for soort in ("einde_beschikking", "periodiek_contact", "herbeoordeling_start"):
        assert bij_deadline(stand("bezwaar_horen"), soort, PEILDATUM, "C-0", klaar) is None


@pytest.mark.parametrize("status", ELDERS)
def test_n_2025_the_periodic_contact_becomes_a_task_during_a_bezwaar(status):
    o = bij_deadline(stand(status), "periodiek_contact", PEILDATUM, "LINDE-001", LOOPT)
    assert (o.status, o.nieuwe_wacht) == (status, False)
    assert [(t.soort, t.client_id) for t in o.termijnen] == [(TAAK_SOORT, "LINDE-001")]
    assert [b.kanaal for b in o.berichten] == ["operations"]


def test_r_10_the_cce_reminders_fire_during_the_new_assessment_after_gegrond():
    context = {**LOOPT, "cce_ok": False, "uiterlijk": "2027-01-01"}
    for soort in ("ontwikkeltraject_herinnering", "ontwikkeltraject_uiterlijk"):
        o = bij_deadline(stand("beoordeling"), soort, PEILDATUM, "LINDE-001", context)
        assert o is not None and (o.status, o.nieuwe_wacht) == ("beoordeling", False)
        assert {b.kanaal for b in o.berichten} >= {"cce"}
    assert (
        bij_deadline(stand("beoordeling"), soort, PEILDATUM, "X", {**context, "cce_ok": True})
        is None
    )


def test_aanname_the_herbeoordeling_and_passende_overgang_wait_a_week_during_a_bezwaar():
    for soort in ("herbeoordeling_start", "passende_overgang_start", "verlenging_uiterlijk"):
        o = bij_deadline(stand("beoordeling"), soort, PEILDATUM, None, LOOPT)
        assert o.status == "beoordeling" and o.nieuwe_wacht is False
        assert [(t.soort, t.datum, t.aan_wacht) for t in o.termijnen] == [
            (soort, PEILDATUM + dt.timedelta(days=7), False)
        ]


def test_a_first_assessment_is_untouched_its_own_timers_work_as_before():
    """Only a beschikking's timers get the bezwaar variant; the beslistermijn's warning in a
    beoordeling is its own rule, and a bezwaartermijn timer in a bezwaar wait still lapses."""
    o = bij_deadline(stand("beoordeling"), "beslistermijn_waarschuwing", PEILDATUM, None, {})
    assert o is not None and o.actie == "beslistermijn_waarschuwing"
    assert (
        bij_deadline(stand("bezwaar_horen"), "bezwaartermijn_einde", PEILDATUM, None, LOOPT) is None
    )


def _bezwaar_tegen_toekenning() -> dict:
    o = bezwaar.registreer(
        stand("lopend"), {"ontvangen": PEILDATUM, "gronden": "Te laag."}, PEILDATUM, feiten()
    )
    afgezien = {"afzien_grond": "indiener ziet af"}
    return {**o.een(BezwaarGeregistreerd).bezwaar, "uitkomst": None, **afgezien}


@pytest.mark.parametrize(
    "actief, status", [(True, "lopend"), (False, "beeindigd")], ids=["loopt", "geeindigd"]
)
def test_awb_7_11_ongegrond_returns_to_the_beschikking_or_ends_the_zaak_when_it_ended(
    actief, status
):
    """The besluit stands: the zaak returns to its running beschikking; when that ended on its
    einde during the bezwaar (Awb 6:16), the zaak ends with it."""
    b = _bezwaar_tegen_toekenning()
    assert b["terug_status"] == "lopend"
    invoer = {"behandelaar": "jur-1", "uitkomst": "ongegrond", "onderbouwing": "Doelmatig."}
    o = bezwaar.na_beslissing(
        stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([b], beschikking_actief=actief)
    )
    assert o.status == status
    assert ("inmiddels" in o.berichten[0].context["gevolg"]) is (not actief)


def test_awb_7_11_gegrond_after_the_einde_still_reassesses_the_aanvraag():
    b = _bezwaar_tegen_toekenning()
    invoer = {"behandelaar": "jur-1", "uitkomst": "gegrond", "onderbouwing": "Te laag."}
    o = bezwaar.na_beslissing(
        stand("bezwaar_beslissen"), invoer, PEILDATUM, feiten([b], beschikking_actief=False)
    )
    assert o.status == "beoordeling"
