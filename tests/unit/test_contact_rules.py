"""The zorgkantoor's own contact with clients at home (models/contact.py, N 2025): pure rules,
no database. A contact moment is a task for zorgkantoor staff, not a message to the provider."""

from __future__ import annotations

import datetime as dt

import pytest

from models.beleid import beleid_op
from models.berichten import maak_bericht
from models.contact import (
    NA_AFWIJZING,
    TAAK_SOORT,
    contact_vastgelegd,
    contactmomenten_na_afwijzing,
    valideer_contact,
)
from models.engine import OngeldigeInvoer
from models.opvolging_regels import na_melding
from models.overgang import ContactVastgelegd
from models.werkvoorraad import OpenTermijn, WachtendeZaak, samenvatting, voor_rol, werkvoorraad
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag, client_dict
from tests.unit.test_proces_rules import stand

STAF = {"b-1": "beoordelaar", "t-1": "teamleider", "a-1": "analist", "cce-1": "cce"}


def thuis_verlenging(*leveringsvormen: str):
    return aanvraag(
        soort="verlenging",
        evaluatie_vorige_periode="Doelen deels behaald.",
        clienten=[client_dict(i, leveringsvorm=lv) for i, lv in enumerate(leveringsvormen)],
    )


def formulier(**changes) -> dict:
    return {"contact_client": "CL-001", "ingediend_door": "b-1", **changes}


# --- a contact moment opens a task ---------------------------------------------------------


def test_n_2025_periodiek_contact_is_a_task_for_staff_and_a_message_on_operations():
    o = bij_deadline(stand("lopend"), "periodiek_contact", PEILDATUM, "CL-001")
    (taak,) = o.termijnen
    assert (taak.soort, taak.client_id, taak.aan_wacht) == (TAAK_SOORT, "CL-001", False)
    assert taak.datum == PEILDATUM + dt.timedelta(days=14)
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [("periodiek_contact", "operations")]
    assert (o.status, o.nieuwe_wacht) == ("lopend", False)
    onderwerp, tekst = maak_bericht("periodiek_contact", zaak="MZ-1", **o.berichten[0].context)
    assert "CL-001" in onderwerp and taak.datum.isoformat() in tekst


@pytest.mark.parametrize("status", ["bezwaartermijn", "passende_overgang", "afgewezen"])
def test_n_2025_a_contact_moment_after_afwijzing_opens_a_task_also_when_closed(status):
    o = bij_deadline(stand(status), NA_AFWIJZING, PEILDATUM, "CL-001")
    # The task, and the next moment (until verantwoord after the end, N 2025).
    assert [t.soort for t in o.termijnen] == [TAAK_SOORT, NA_AFWIJZING] and o.status == status


@pytest.mark.parametrize("status", ["beoordeling", "lopend", "beeindigd"])
def test_a_contact_moment_after_afwijzing_lapses_after_a_bezwaar_or_a_toekenning(status):
    assert bij_deadline(stand(status), NA_AFWIJZING, PEILDATUM, "CL-001") is None


def test_a_task_past_its_day_escalates_to_operations_in_any_status():
    for status in ("lopend", "afgewezen", "beeindigd"):
        o = bij_deadline(stand(status), TAAK_SOORT, PEILDATUM, "CL-001")
        assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [
            ("contact_taak_verlopen", "operations")
        ]
        assert o.termijnen == () and o.status == status


# --- after a rejected thuis verlenging ------------------------------------------------------


def test_n_2025_the_first_contact_moment_after_afwijzing_is_within_two_weeks():
    """N 2025 (numbers aanname): the first moment within two weeks; each moment plans the
    next (tests/unit/test_thuis_rules.py), no fixed end."""
    beleid = beleid_op(PEILDATUM)
    momenten = contactmomenten_na_afwijzing(
        stand(aanvraag=thuis_verlenging("pgb")), PEILDATUM, beleid
    )
    assert [(t.soort, t.datum, t.client_id, t.aan_wacht) for t in momenten] == [
        (NA_AFWIJZING, PEILDATUM + dt.timedelta(weeks=2), "CL-001", False),
    ]


def test_contact_moments_only_for_the_clients_at_home_of_a_thuis_verlenging():
    beleid = beleid_op(PEILDATUM)
    groep = contactmomenten_na_afwijzing(
        stand(aanvraag=thuis_verlenging("mpt", "verblijf")), PEILDATUM, beleid
    )
    assert {t.client_id for t in groep} == {"CL-001"}
    nieuw = aanvraag(clienten=[client_dict(0, leveringsvorm="pgb")])
    assert contactmomenten_na_afwijzing(stand(aanvraag=nieuw), PEILDATUM, beleid) == ()
    verblijf = thuis_verlenging("verblijf")
    assert contactmomenten_na_afwijzing(stand(aanvraag=verblijf), PEILDATUM, beleid) == ()


# --- recording the contact -----------------------------------------------------------------


def test_only_zorgkantoor_staff_record_a_contact_not_the_cce():
    with pytest.raises(OngeldigeInvoer, match="rol cce"):
        valideer_contact(formulier(ingediend_door="cce-1"), {"CL-001"}, STAF, PEILDATUM)
    with pytest.raises(OngeldigeInvoer, match="niet geregistreerd"):
        valideer_contact(formulier(ingediend_door="x"), {"CL-001"}, STAF, PEILDATUM)
    with pytest.raises(OngeldigeInvoer, match="medewerker"):
        valideer_contact(formulier(ingediend_door=" "), {"CL-001"}, STAF, PEILDATUM)
    for wie in ("b-1", "t-1", "a-1"):
        c = valideer_contact(formulier(ingediend_door=wie), {"CL-001"}, STAF, PEILDATUM)
        assert (c["medewerker"], c["bevinding"], c["datum"]) == (wie, "verantwoord", PEILDATUM)


def test_a_bevinding_other_than_verantwoord_needs_a_verslag_and_a_known_value():
    with pytest.raises(OngeldigeInvoer, match="licht de bevinding 'zorgen' toe"):
        valideer_contact(formulier(contact_bevinding="zorgen"), {"CL-001"}, STAF, PEILDATUM)
    with pytest.raises(OngeldigeInvoer, match="kies bij de bevinding"):
        valideer_contact(formulier(contact_bevinding="prima"), {"CL-001"}, STAF, PEILDATUM)
    with pytest.raises(OngeldigeInvoer, match="toekomst"):
        morgen = PEILDATUM + dt.timedelta(days=1)
        valideer_contact(formulier(contact_datum=morgen), {"CL-001"}, STAF, PEILDATUM)
    with pytest.raises(OngeldigeInvoer, match="hoort niet bij"):
        valideer_contact(formulier(contact_client="CL-999"), {"CL-001"}, STAF, PEILDATUM)


def test_niet_verantwoord_signals_operations_and_keeps_the_verslag_out_of_the_audit():
    c = valideer_contact(
        formulier(contact_bevinding="niet verantwoord", contact_verslag="Client vereenzaamt."),
        {"CL-001"},
        STAF,
        PEILDATUM,
    )
    o = contact_vastgelegd("lopend", c)
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [
        ("contact_niet_verantwoord", "operations")
    ]
    assert o.details["bevinding"] == "niet verantwoord" and o.details["medewerker"] == "b-1"
    assert "Client vereenzaamt." not in str(o.details) + str([b.context for b in o.berichten])
    assert o.een(ContactVastgelegd).contact["verslag"] == "Client vereenzaamt."
    assert contact_vastgelegd("lopend", {**c, "bevinding": "zorgen"}).berichten == ()


def test_the_termijnmelding_form_checks_the_role_and_waits_anew():
    s = stand("lopend")
    with pytest.raises(OngeldigeInvoer, match="rol cce"):
        na_melding(s, formulier(ingediend_door="cce-1"), PEILDATUM, "einde-beschikking", STAF)
    o = na_melding(s, formulier(), PEILDATUM, "einde-beschikking", STAF)
    assert o.nieuwe_wacht and o.wacht_op == "einde-beschikking"
    assert o.actie == "periodiek_contact_geregistreerd"


# --- the werkvoorraad -------------------------------------------------------------------------


def test_an_open_contact_task_is_a_row_in_the_contact_view_also_of_a_closed_zaak():
    lopend = WachtendeZaak("MZ-1", "lopend", "einde-beschikking", PEILDATUM, agb="1")
    dicht = WachtendeZaak("MZ-2", "afgewezen", "", PEILDATUM, agb="1")
    taken = [
        OpenTermijn("MZ-1", TAAK_SOORT, PEILDATUM + dt.timedelta(days=10), "CL-001"),
        OpenTermijn("MZ-2", TAAK_SOORT, PEILDATUM - dt.timedelta(days=1), "CL-002"),
        OpenTermijn("MZ-1", "einde_beschikking", PEILDATUM + dt.timedelta(days=400)),
    ]
    rows = werkvoorraad([lopend, dicht], taken, PEILDATUM)
    contact = voor_rol(rows, "contact")
    assert [(r.zaak, r.client_id, r.signaal) for r in contact] == [
        ("MZ-2", "CL-002", "verlopen"),
        ("MZ-1", "CL-001", "op-tijd"),
    ]
    assert all(r.taak == "contact-client" and r.flow_run_id is None for r in contact)
    (wacht,) = [r for r in rows if r.taak is None]
    assert wacht.termijn == "einde_beschikking"  # the task is not the wait's deadline
    assert voor_rol(rows, "beoordelaar") == [] and voor_rol(rows, "cce") == []
    s = samenvatting(rows)
    assert (s["wachtend"], s["contact_taken"]) == (1, 2)
