"""The zorgkantoor's own contact with clients at home (N 2025, issue 13 item 4) on a real
database: a contact moment is a task for zorgkantoor staff in the werkvoorraad and a message
on operations, not to the provider; recording the contact with its bevinding closes the
task; the CCE cannot record it; after a rejected thuis verlenging contact tasks are planned
for the length of the passende overgang, also while the zaak is in its bezwaartermijn and
after it closed; the thuis figures count each decision once."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.contact import TAAK_SOORT, contactmomenten_na_afwijzing
from models.db.store import (
    audit,
    lees_zaak,
    migrate,
    registreer_medewerker,
    session_scope,
    stand_van,
)
from models.db.tables import Besluit, Contact, Deadline, Notificatie, Zaak
from models.db.zaak_store import pas_toe
from models.overgang import ZaakOvergang
from models.planner import bezwaartermijn_einde
from tasks import opvolging
from tasks import zaak as ops
from tasks.werkvoorraad import lees
from tests.factories import COULANTE_AFWEGING, afwijzen, toekennen
from tests.integration.bekendmaking import maak_bekend
from tests.integration.zienswijze_stap import wijs_af

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
THUIS = json.loads((EXAMPLES / "aanvraag-thuis-pgb.json").read_text())  # a pgb verlenging
CLIENT = "ANKER-003"
DAG = dt.date(2026, 11, 22)
# Issue 26 point 2: a failing pillar, the weighing against the advice and the coulante
# weighing of a thuis verlenging (N 2025).
AFWIJZEN = afwijzen("b-1", coulante_afweging=COULANTE_AFWEGING)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
        registreer_medewerker(session=session, id="cce-1", rol="cce")
    return db_url


def zaak(key: str) -> Zaak:
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def fire_until(peildatum: dt.date) -> None:
    for i in ops.due_deadlines(peildatum):
        ops.vuur_deadline(i, peildatum)


def taken(key: str) -> list[Deadline]:
    with session_scope() as session:
        return session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.soort == TAAK_SOORT)
        ).all()


def onderwerpen(key: str, kanaal: str) -> list[str]:
    with session_scope() as session:
        return [
            n.onderwerp
            for n in session.exec(
                select(Notificatie).where(Notificatie.zaak == key, Notificatie.kanaal == kanaal)
            )
        ]


def contact_rijen(key: str, peildatum: dt.date) -> list:
    return [r for r in lees(peildatum, rol="contact") if r.zaak == key]


def toegekend(ref: str) -> str:
    key, _ = ops.registreer(parse_aanvraag(copy.deepcopy(THUIS)), DAG, provider_referentie=ref)
    ops.voer_actie_uit(key, DAG)
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), DAG) == "toegepast"
    return key


def afgewezen(ref: str) -> str:
    key, _ = ops.registreer(parse_aanvraag(copy.deepcopy(THUIS)), DAG, provider_referentie=ref)
    ops.voer_actie_uit(key, DAG)
    assert wijs_af(key, AFWIJZEN, DAG) == "toegepast"
    maak_bekend(key, DAG)  # Awb 6:8: the term runs from the letters' bekendmaking
    return key


def eerste_contact(key: str) -> dt.date:
    with session_scope() as session:
        return min(
            d.datum
            for d in session.exec(
                select(Deadline).where(Deadline.zaak == key, Deadline.soort == "periodiek_contact")
            )
        )


# --- a running thuis beschikking ---------------------------------------------------------------


def test_periodiek_contact_is_a_task_for_zorgkantoor_staff_on_operations_not_the_provider(db):
    key = toegekend("CONTACT-1")
    moment = eerste_contact(key)
    fire_until(moment)
    (taak,) = taken(key)
    assert (taak.status, taak.client_id) == ("open", CLIENT)
    assert taak.datum == moment + dt.timedelta(days=14)  # contact_taak_dagen (aanname)
    assert any(f"contact met client {CLIENT}" in o for o in onderwerpen(key, "operations"))
    assert not [o for o in onderwerpen(key, "aanbieder") if "contact" in o]
    (rij,) = contact_rijen(key, moment)
    assert (rij.taak, rij.client_id, rij.status, rij.rollen) == (
        "contact-client",
        CLIENT,
        "lopend",
        ("contact", "analist"),
    )
    assert rij.termijn_datum == taak.datum and rij.signaal == "op-tijd"
    # The beoordelaar's view does not carry it; the zaak's own wait row is unchanged.
    assert not [r for r in lees(moment, rol="beoordelaar") if r.zaak == key]
    (wacht,) = [r for r in lees(moment) if r.zaak == key and r.taak is None]
    assert wacht.wacht_op == "einde-beschikking" and wacht.termijn != TAAK_SOORT


def test_recording_the_contact_on_the_form_with_its_bevinding_closes_the_task(db):
    key = toegekend("CONTACT-2")
    moment = eerste_contact(key)
    fire_until(moment)
    formulier = {
        "contact_client": CLIENT,
        "contact_datum": moment.isoformat(),
        "contact_bevinding": "zorgen",
        "ingediend_door": "b-1",
    }
    z = zaak(key)
    assert ops.verwerk_invoer(key, z.wacht_key, formulier, moment) == "ongeldig"  # no verslag
    assert "licht de bevinding" in zaak(key).laatste_fout
    z = zaak(key)
    formulier["contact_verslag"] = "Mantelzorger overbelast; extra dagbesteding besproken."
    assert ops.verwerk_invoer(key, z.wacht_key, formulier, moment) == "toegepast"
    assert [t.status for t in taken(key)] == ["afgehandeld"]
    assert contact_rijen(key, moment) == []
    with session_scope() as session:
        contact = session.exec(select(Contact).where(Contact.zaak == key)).one()
    assert (contact.bevinding, contact.medewerker) == ("zorgen", "b-1")
    assert zaak(key).wacht_op == "einde-beschikking"  # the run waits on, under a new key


def test_a_cce_member_or_an_unregistered_person_cannot_record_the_contact(db):
    key = toegekend("CONTACT-3")
    moment = eerste_contact(key)
    fire_until(moment)
    with pytest.raises(opvolging.Geweigerd, match="rol cce"):
        opvolging.registreer_contact(key, CLIENT, moment, "", "cce-1")
    with pytest.raises(opvolging.Geweigerd, match="niet geregistreerd"):
        opvolging.registreer_contact(key, CLIENT, moment, "", "iemand")
    z = zaak(key)
    cce_formulier = {"contact_client": CLIENT, "ingediend_door": "cce-1"}
    assert ops.verwerk_invoer(key, z.wacht_key, cce_formulier, moment) == "ongeldig"
    assert [t.status for t in taken(key)] == ["open"]  # nothing changed
    with session_scope() as session:
        assert session.exec(select(Contact).where(Contact.zaak == key)).all() == []


def test_a_task_past_its_day_escalates_once_and_stays_open_until_recorded(db):
    key = toegekend("CONTACT-4")
    moment = eerste_contact(key)
    fire_until(moment)
    (taak,) = taken(key)
    fire_until(taak.datum + dt.timedelta(days=1))
    fire_until(taak.datum + dt.timedelta(days=8))
    verlopen = [o for o in onderwerpen(key, "operations") if "niet vastgelegd" in o]
    assert len(verlopen) == 1
    (rij,) = contact_rijen(key, taak.datum + dt.timedelta(days=8))
    assert rij.signaal == "verlopen"
    result = opvolging.registreer_contact(
        key, CLIENT, taak.datum, "", "b-1", peildatum=taak.datum + dt.timedelta(days=8)
    )
    assert result["taken_afgehandeld"] == 1 and result["bevinding"] == "verantwoord"
    assert contact_rijen(key, taak.datum + dt.timedelta(days=8)) == []


# --- after a rejected thuis verlenging -----------------------------------------------------


def test_a_rejected_thuis_verlenging_plans_contact_tasks_for_zorgkantoor_staff(db):
    key = afgewezen("AFW-CONTACT-1")
    # The one line for models/besluit.afwijzing, applied here as it would be: the contact
    # moments of the passende overgang. A weekly rhythm, so that some fall after the close.
    basis = beleid_op(DAG)
    beleid = basis.model_copy(
        update={
            "termijnen": basis.termijnen.model_copy(
                update={"contact_na_afwijzing_interval_weken": 1}
            )
        }
    )
    momenten = contactmomenten_na_afwijzing(stand_van(zaak(key)), DAG, beleid)
    assert [t.datum for t in momenten][0] == DAG + dt.timedelta(weeks=2)
    with session_scope() as session:
        z = lees_zaak(session=session, key=key, lock=True)
        pas_toe(
            session=session,
            zaak=z,
            peildatum=DAG,
            overgang=ZaakOvergang(
                status=z.status, actie="contact_gepland", nieuwe_wacht=False, effecten=momenten
            ),
        )
    # In the bezwaartermijn (Awb 6:7) the first contact moment opens a task.
    fire_until(DAG + dt.timedelta(weeks=2))
    assert zaak(key).status == "bezwaartermijn"
    assert [(t.status, t.client_id) for t in taken(key)] == [("open", CLIENT)]
    assert not [o for o in onderwerpen(key, "aanbieder") if "contact met client" in o]
    # The bezwaartermijn passes: passende overgang; it is arranged: the zaak closes.
    na_termijn = bezwaartermijn_einde(DAG, beleid_op(DAG)) + dt.timedelta(days=1)
    fire_until(na_termijn)
    z = zaak(key)
    assert z.status == "passende_overgang"
    geregeld = {"geregeld": True, "toelichting": "Overgang naar mpt zonder meerzorg."}
    dicht = na_termijn + dt.timedelta(days=1)
    assert ops.verwerk_invoer(key, z.wacht_key, geregeld, dicht) == "toegepast"
    assert zaak(key).status == "afgewezen" and zaak(key).gesloten_op == dicht
    open_voor = len([t for t in taken(key) if t.status in ("open", "gevuurd")])
    assert open_voor >= 1  # the tasks outlive the close
    # Closed after the afwijzing, the next contact moments still open tasks (each moment
    # plans the next, until verantwoord after the end: tests/unit/test_thuis_rules.py).
    fire_until(DAG + dt.timedelta(weeks=12))
    na = [t for t in taken(key) if t.status in ("open", "gevuurd")]
    assert len(na) > open_voor
    assert zaak(key).gesloten_op == dicht  # firing on a closed zaak does not close it again
    rijen = contact_rijen(key, DAG + dt.timedelta(weeks=8))
    assert rijen and {r.status for r in rijen} == {"afgewezen"}
    # Recorded as not responsible: the tasks close and operations is signalled.
    opvolging.registreer_contact(
        key,
        CLIENT,
        DAG + dt.timedelta(weeks=8),
        "Geen passende zorg gevonden; client alleen thuis.",
        "b-1",
        bevinding="niet verantwoord",
    )
    # N 2025: the open tasks close, and one new task follows the signal up.
    assert [r.client_id for r in contact_rijen(key, DAG + dt.timedelta(weeks=8))] == [CLIENT]
    assert any("niet verantwoord" in o for o in onderwerpen(key, "operations"))


# --- the thuis figures, each once ------------------------------------------------------------


def test_thuiscijfers_count_a_decision_taken_again_after_a_bezwaar_once(db):
    key = afgewezen("CIJFERS-1")
    # A bezwaar, and the same decision taken again in the next ronde (as the bezwaar
    # procedure records them; written directly here, the procedure is tested on its own).
    with session_scope() as session:
        eerste = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        session.add(
            Besluit(
                zaak=key,
                ronde=eerste.ronde + 1,
                uitkomst="afwijzen",
                onderbouwing="Na bezwaar: nog steeds geen bijzondere zorgbehoefte.",
                beoordelaar="b-1",
                coulant=True,
                datum=DAG + dt.timedelta(days=20),
                beleidsversie=eerste.beleidsversie,
            )
        )
        audit(
            session=session,
            actor="b-1",
            actie="bezwaar_ontvangen",
            zaak=key,
            details={"datum": (DAG + dt.timedelta(days=3)).isoformat()},
        )
    cijfers = opvolging.thuiscijfers(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (cijfers["afwijzingen"], cijfers["bezwaren"], cijfers["aanvragen"]) == (1, 1, 1)
    assert cijfers["coulant_beoordeeld"] == 1 and cijfers["toekenningen"] == 0
    # Counted in the period of the last decision: the one taken again.
    assert opvolging.thuiscijfers(DAG, DAG + dt.timedelta(days=19))["afwijzingen"] == 0


def test_thuiscijfers_count_buiten_behandelingstellingen_and_contacts_by_bevinding(db):
    onvolledig = copy.deepcopy(THUIS)
    onvolledig["vragenlijst"]["inzet"] = ""
    key, _ = ops.registreer(parse_aanvraag(onvolledig), DAG, provider_referentie="CIJFERS-2")
    ops.voer_actie_uit(key, DAG)
    assert zaak(key).status == "herstel"
    fire_until(DAG + dt.timedelta(weeks=5))
    # N 2025: a thuis verlenging buiten behandeling waits for its passende overgang.
    assert zaak(key).status == "passende_overgang"
    lopend = toegekend("CIJFERS-3")
    opvolging.registreer_contact(lopend, CLIENT, DAG, "", "b-1")
    cijfers = opvolging.thuiscijfers(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert cijfers["buiten_behandelingstellingen"] == 1 and cijfers["toekenningen"] == 1
    assert cijfers["contacten"] == 1
    assert cijfers["contacten_per_bevinding"] == {
        "verantwoord": 1,
        "zorgen": 0,
        "niet verantwoord": 0,
    }
