"""A running beschikking's timers outlive a bezwaar against it (issue 26 point 5, Awb 6:16) on
a real database (SQLite, and PostgreSQL when configured): the transitions a sweep makes
while the zaak waits in a bezwaar status or in its new assessment after a gegrond one. The
rules by themselves: tests/unit/test_bezwaar_timers_rules.py."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.db.store import session_scope
from models.db.tables import AuditEvent, Beschikking, Deadline
from tasks import bezwaar as bezwaar_ops
from tasks import zaak as ops
from tests.factories import toekennen
from tests.integration.test_bezwaar import (  # noqa: F401 - db is the shared fixture
    DAG,
    EXAMPLE,
    antwoord,
    behandel,
    berichten,
    bezwaarschrift,
    db,
    fire_until,
    open_timers,
    zaak,
)

pytestmark = pytest.mark.usefixtures("db")
AFZIEN = {"behandelaar": "jur-1", "handeling": "afzien", "grond_afzien": "indiener ziet af"}


def toegekend(ref: str, eind: str = "2027-04-30") -> str:
    """A running beschikking (a short one, so its einde comes during the bezwaar)."""
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie=ref)
    assert ops.voer_actie_uit(key, DAG)
    assert antwoord(
        key,
        toekennen("b-2", eind=eind, evalueren_op="2027-04-01", onderbouwing="Kort: doelen."),
        DAG,
    ) == ("toegepast"), zaak(key).laatste_fout
    assert zaak(key).status == "lopend"
    return key


def beschikkingen(key: str) -> list[Beschikking]:
    with session_scope() as session:
        return list(session.exec(select(Beschikking).where(Beschikking.zaak == key)))


def timers(key: str, soort: str) -> list[tuple[dt.date, str]]:
    with session_scope() as session:
        rows = session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.soort == soort)
        ).all()
        return sorted((t.datum, t.status) for t in rows)


def test_awb_6_16_the_einde_fires_during_the_new_assessment_after_a_gegrond_bezwaar():
    """Gegrond (7:11): the zaak is assessed again, and meanwhile the beschikking runs on: its
    einde ends the care on its last day, the zaak keeps its beoordeling wait; the new
    besluit then replaces the beschikking and plans its own timers."""
    key = toegekend("BZT-1")
    einde = open_timers(key)["einde_beschikking"]
    assert einde == dt.date(2027, 5, 1)
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    antwoord(key, AFZIEN, DAG)
    assert antwoord(key, behandel("gegrond"), DAG) == "toegepast"
    assert zaak(key).status == "beoordeling"
    blijven = {"einde_beschikking", "ontwikkeltraject_uiterlijk", "bezwaar_uiterlijk"}
    assert blijven <= set(open_timers(key))
    wacht_key = zaak(key).wacht_key

    fire_until(einde)
    z = zaak(key)
    assert (z.status, z.wacht_key) == ("beoordeling", wacht_key)  # the wait is untouched
    assert {(b.status, b.beeindigd_op) for b in beschikkingen(key)} == {
        ("beeindigd", dt.date(2027, 4, 30))
    }
    assert "bezwaar loopt door" in berichten(key)[-1].tekst.lower()
    assert timers(key, "einde_beschikking") == [(einde, "gevuurd")]
    with session_scope() as session:
        acties = session.exec(select(AuditEvent.actie).where(AuditEvent.zaak == key)).all()
    assert "beschikking_beeindigd_tijdens_bezwaar" in acties

    # The new besluit (the beslissing op bezwaar's, open to beroep) replaces the beschikking.
    nieuw = toekennen("b-1", eind="2027-11-30", onderbouwing="Herzien.")
    assert antwoord(key, nieuw, einde) == "toegepast", zaak(key).laatste_fout
    assert {(b.status, b.eind) for b in beschikkingen(key)} == {("actief", dt.date(2027, 11, 30))}
    assert ("einde_beschikking", dt.date(2027, 12, 1)) in open_timers(key).items()


def test_awb_6_16_the_einde_during_a_bezwaar_then_ongegrond_ends_the_zaak():
    """In a bezwaar wait the einde ends the beschikking (the zaak keeps its wait); the
    beslissing ongegrond then closes the zaak instead of returning it to a beschikking that
    no longer runs. (The periodic contact of a zaak at home fires there too:
    tests/unit/test_bezwaar_timers_rules.py.)"""
    key = toegekend("BZT-2")
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    antwoord(key, AFZIEN, DAG)
    assert zaak(key).status == "bezwaar_beslissen"
    einde = open_timers(key)["einde_beschikking"]
    fire_until(einde)
    assert zaak(key).status == "bezwaar_beslissen"
    assert {b.status for b in beschikkingen(key)} == {"beeindigd"}
    assert antwoord(key, behandel("ongegrond"), einde) == "toegepast", zaak(key).laatste_fout
    z = zaak(key)
    assert z.status == "beeindigd" and z.gesloten_op == einde
    assert "inmiddels" in berichten(key)[-1].tekst


def test_awb_6_16_a_herbeoordeling_due_in_a_bezwaar_waits_and_starts_after_ongegrond():
    """aanname: the herbeoordeling is a wait of its own; during the bezwaar it is planned a
    week later, and after ongegrond (back to lopend) it starts."""
    key = toegekend("BZT-3", eind="2027-12-31")
    start = open_timers(key)["herbeoordeling_start"]
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    antwoord(key, AFZIEN, DAG)
    fire_until(start)
    assert zaak(key).status == "bezwaar_beslissen"
    assert open_timers(key)["herbeoordeling_start"] == start + dt.timedelta(days=7)
    antwoord(key, behandel("ongegrond"), start)
    assert zaak(key).status == "lopend"
    fire_until(start + dt.timedelta(days=7))
    assert zaak(key).status == "herbeoordeling"
