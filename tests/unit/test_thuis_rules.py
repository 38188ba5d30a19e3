"""Meerzorg at home when a thuis verlenging ends without meerzorg (N 2025; issue 26 point 6):
every way it ends plans the passende overgang and the contact, the overgang's deadline follows
the running beschikking's end, the contact goes on until a contact found the situation
verantwoord after that end, and signals become tasks for zorgkantoor staff. Pure rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.beleid import beleid_op
from models.besluit import na_beoordeling
from models.contact import (
    NA_AFWIJZING,
    TAAK_SOORT,
    contact_afgerond,
    contact_na_afwijzing,
    contact_vastgelegd,
    lopend_einde,
)
from models.opvolging_regels import na_passende_overgang
from models.proces import Feiten, antwoord_passende_overgang
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag, client_dict
from tests.unit.test_proces_rules import stand

BELEID = beleid_op(PEILDATUM)
WEKEN = BELEID.termijnen.passende_overgang_weken
INTERVAL = BELEID.termijnen.contact_na_afwijzing_interval_weken
AFWIJZING = {"uitkomst": "afwijzen", "onderbouwing": "Past in het profiel.", "beoordelaar": "b-1"}


def thuis_verlenging(start: dt.date, leveringsvorm: str = "pgb"):
    return aanvraag(
        soort="verlenging",
        evaluatie_vorige_periode="Doelen deels behaald.",
        gevraagde_start=start,
        clienten=[client_dict(0, leveringsvorm=leveringsvorm)],
    )


def termijnen(o) -> dict[str, dt.date]:
    return {t.soort: t.datum for t in o.termijnen}


# --- the overgang's deadline follows the running beschikking's end --------------------------


def test_n_2025_the_passende_overgang_is_due_when_the_running_beschikking_ends():
    """The verlenging continues the running beschikking: it ends the day before the
    requested start (aanname), and the overgang must be arranged by then."""
    start = PEILDATUM + dt.timedelta(weeks=20)
    s = stand(aanvraag=thuis_verlenging(start))
    o = na_beoordeling(s, AFWIJZING, PEILDATUM)
    assert lopend_einde(s) == start - dt.timedelta(days=1)
    assert termijnen(o)["passende_overgang_uiterlijk"] == start - dt.timedelta(days=1)
    assert o.besluit["contact_client_uiterlijk"] == start - dt.timedelta(days=1)


def test_n_2025_a_beschikking_that_already_ended_gives_the_overgang_the_policys_weeks():
    s = stand(aanvraag=thuis_verlenging(PEILDATUM - dt.timedelta(days=10)))
    o = na_beoordeling(s, AFWIJZING, PEILDATUM)
    assert termijnen(o)["passende_overgang_uiterlijk"] == PEILDATUM + dt.timedelta(weeks=WEKEN)


def test_the_case_databases_end_of_the_running_beschikking_comes_first():
    s = stand(aanvraag=thuis_verlenging(PEILDATUM))
    einde = PEILDATUM + dt.timedelta(days=40)
    assert lopend_einde(s, {"lopend_einde": einde}) == einde
    assert lopend_einde(s, {"lopend_einde": None}) == PEILDATUM - dt.timedelta(days=1)


def test_n_2025_the_overgangs_deadline_escalates_also_during_the_bezwaartermijn_or_a_bezwaar():
    for status in ("passende_overgang", "bezwaartermijn", "bezwaar_horen"):
        o = bij_deadline(stand(status), "passende_overgang_uiterlijk", PEILDATUM, None)
        assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [
            ("passende_overgang_ontbreekt", "operations")
        ]
        assert o.status == status and o.nieuwe_wacht is False


# --- buiten behandeling ends a thuis verlenging too ----------------------------------------


def test_n_2025_a_thuis_verlenging_buiten_behandeling_gets_the_passende_overgang_and_contact():
    """Awb 4:5 besluit, then (N 2025) the overgang and the contact, as after an afwijzing:
    the usual outcome when a new CIZ indicatie takes longer than the herstel term."""
    start = PEILDATUM + dt.timedelta(weeks=10)
    s = stand("herstel", aanvraag=thuis_verlenging(start))
    o = bij_deadline(s, "herstel_termijn", PEILDATUM, None)
    assert o.status == "passende_overgang" and o.besluit["uitkomst"] == "buiten_behandeling"
    t = termijnen(o)
    assert t["passende_overgang_uiterlijk"] == start - dt.timedelta(days=1)
    assert t[NA_AFWIJZING] == PEILDATUM + dt.timedelta(weeks=2)
    assert {b.sjabloon for b in o.berichten} >= {"buiten_behandeling", "contact_client_thuis"}


def test_awb_4_5_any_other_aanvraag_buiten_behandeling_closes_the_zaak():
    o = bij_deadline(stand("herstel"), "herstel_termijn", PEILDATUM, None)
    assert o.status == "buiten_behandeling" and o.termijnen == ()


def test_n_2025_the_overgang_arranged_after_buiten_behandeling_closes_the_zaak_as_such():
    s = stand("passende_overgang", aanvraag=thuis_verlenging(PEILDATUM))
    feiten = Feiten(
        beoordelaars={"b-1": "beoordelaar"},
        beschikking_actief=False,
        wacht_op="passende-overgang",
        besluit={"uitkomst": "buiten_behandeling"},
    )
    geregeld = {"geregeld": True, "ingediend_door": "b-1"}
    assert antwoord_passende_overgang(s, geregeld, PEILDATUM, feiten).status == (
        "buiten_behandeling"
    )
    na_afwijzing = dataclasses.replace(feiten, besluit={"uitkomst": "afwijzen"})
    assert antwoord_passende_overgang(s, geregeld, PEILDATUM, na_afwijzing).status == "afgewezen"


# --- contact until verantwoord after the end --------------------------------------------------


def test_n_2025_each_contact_moment_opens_a_task_and_plans_the_next():
    s = stand("afgewezen", aanvraag=thuis_verlenging(PEILDATUM))
    o = contact_na_afwijzing(s, PEILDATUM, "CL-001", {"contacten": []})
    assert [(t.soort, t.datum, t.client_id) for t in o.termijnen] == [
        (TAAK_SOORT, PEILDATUM + dt.timedelta(days=BELEID.termijnen.contact_taak_dagen), "CL-001"),
        (NA_AFWIJZING, PEILDATUM + dt.timedelta(weeks=INTERVAL), "CL-001"),
    ]


@pytest.mark.parametrize(
    "dagen_na_einde, bevinding, afgerond",
    [
        (1, "verantwoord", True),  # after the end, verantwoord: done
        (0, "verantwoord", False),  # on the last day the care still ran
        (-30, "verantwoord", False),  # before the end proves nothing about after
        (10, "zorgen", False),
        (10, "niet verantwoord", False),
    ],
)
def test_n_2025_contact_goes_on_until_verantwoord_after_the_beschikking_ended(
    dagen_na_einde, bevinding, afgerond
):
    s = stand("afgewezen", aanvraag=thuis_verlenging(PEILDATUM))
    einde = lopend_einde(s)
    contacten = [{"datum": einde + dt.timedelta(days=dagen_na_einde), "bevinding": bevinding}]
    assert contact_afgerond(contacten, einde) is afgerond
    o = contact_na_afwijzing(
        s, PEILDATUM + dt.timedelta(weeks=6), "CL-001", {"contacten": contacten}
    )
    assert (o is None) is afgerond


def test_n_2025_the_chain_fires_in_every_status_after_the_thuis_verlenging_ended():
    # Also while a bezwaar is handled and after one declared ongegrond: the besluit stands.
    for status in (
        "bezwaartermijn",
        "bezwaar_horen",
        "bezwaar_beslissen",
        "passende_overgang",
        "afgewezen",
        "buiten_behandeling",
    ):
        s = stand(status, aanvraag=thuis_verlenging(PEILDATUM))
        assert bij_deadline(s, NA_AFWIJZING, PEILDATUM, "CL-001", {"contacten": []}) is not None


# --- signals are tasks for staff ----------------------------------------------------------------


def test_n_2025_geen_passende_zorg_is_an_alert_and_a_task_per_client_with_a_due_date():
    s = stand("passende_overgang", aanvraag=thuis_verlenging(PEILDATUM))
    invoer = {"geen_passende_zorg": True, "toelichting": "Geen plek.", "ingediend_door": "b-1"}
    o = na_passende_overgang(s, invoer, beschikking_actief=False, peildatum=PEILDATUM)
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [("geen_passende_zorg", "operations")]
    dagen = BELEID.termijnen.contact_taak_dagen
    assert [(t.soort, t.datum, t.client_id, t.aan_wacht) for t in o.termijnen] == [
        (TAAK_SOORT, PEILDATUM + dt.timedelta(days=dagen), "CL-001", False)
    ]


def test_n_2025_niet_verantwoord_is_an_alert_and_a_task_to_follow_it_up():
    contact = {
        "client_id": "CL-001",
        "datum": PEILDATUM,
        "verslag": "Mantelzorger overbelast.",
        "bevinding": "niet verantwoord",
        "medewerker": "b-1",
    }
    o = contact_vastgelegd("afgewezen", contact)
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [
        ("contact_niet_verantwoord", "operations")
    ]
    assert [(t.soort, t.client_id) for t in o.termijnen] == [(TAAK_SOORT, "CL-001")]
    assert contact_vastgelegd("afgewezen", {**contact, "bevinding": "zorgen"}).termijnen == ()
