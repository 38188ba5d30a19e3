"""The zaak state machine on a real database (SQLite, and PostgreSQL when configured):
one transaction per transition, idempotent, roles and four-eyes, timers fired once."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Beschikking, Besluit, Deadline, Notificatie
from tasks import zaak as ops

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
DAG = dt.date(2026, 11, 22)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        for id_, rol in (
            ("b-1", "beoordelaar"),
            ("b-2", "teamleider"),
            ("cce-1", "cce"),
            ("an-1", "analist"),
        ):
            registreer_medewerker(session=session, id=id_, rol=rol)
    return db_url


def nieuwe_zaak(ref: str, **changes) -> str:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie=ref)
    assert ops.voer_actie_uit(key, DAG)
    return key


def zaak(key: str):
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def test_registering_the_same_provider_reference_twice_creates_one_zaak(db):
    a = parse_aanvraag(EXAMPLE)
    first = ops.registreer(a, DAG, provider_referentie="REF-1")
    second = ops.registreer(a, DAG, provider_referentie="REF-1")
    assert first == (first[0], True) and second == (first[0], False)


def test_the_toets_runs_once_even_when_asked_twice(db):
    key = nieuwe_zaak("REF-2")
    assert ops.voer_actie_uit(key, DAG) is False
    assert zaak(key).wacht_key == "beoordeling-1"


def test_a_cce_member_can_never_decide(db):
    key = nieuwe_zaak("REF-3")
    assert (
        ops.verwerk_invoer(
            key, "beoordeling-1", {"uitkomst": "toekennen", "beoordelaar": "cce-1"}, DAG
        )
        == "ongeldig"
    )
    z = zaak(key)
    assert z.status == "beoordeling" and z.wacht_key == "beoordeling-2"
    assert "mag niet beslissen" in z.laatste_fout


def test_an_unknown_beoordelaar_is_refused_and_the_zaak_keeps_waiting(db):
    key = nieuwe_zaak("REF-4")
    assert (
        ops.verwerk_invoer(
            key, "beoordeling-1", {"uitkomst": "toekennen", "beoordelaar": "x-9"}, DAG
        )
        == "ongeldig"
    )
    assert "niet geregistreerd" in zaak(key).laatste_fout
    with session_scope() as session:
        assert session.exec(select(Besluit).where(Besluit.zaak == key)).first() is None


def test_input_for_a_wait_the_zaak_already_left_is_ignored(db):
    key = nieuwe_zaak("REF-5")
    invoer = {"uitkomst": "toekennen", "beoordelaar": "b-1"}
    assert ops.verwerk_invoer(key, "beoordeling-1", invoer, DAG) == "toegepast"
    assert ops.verwerk_invoer(key, "beoordeling-1", invoer, DAG) == "verouderd"
    with session_scope() as session:
        assert len(session.exec(select(Besluit).where(Besluit.zaak == key)).all()) == 1
        assert len(session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()) == 2


def test_a_maatwerk_toekenning_needs_a_second_different_beoordelaar(db):
    data = copy.deepcopy(EXAMPLE)
    data["context_middelen_per_jaar"] = 200000  # far above the highest meerzorgprofiel
    key = nieuwe_zaak("REF-6", context_middelen_per_jaar=200000)
    assert zaak(key).toets["uitkomst_rekentool"]["soort"] == "maatwerk"
    assert (
        ops.verwerk_invoer(
            key, "beoordeling-1", {"uitkomst": "toekennen", "beoordelaar": "b-1"}, DAG
        )
        == "toegepast"
    )
    z = zaak(key)
    assert z.status == "tweede_beoordeling" and z.wacht_op == "tweede-beoordeling"
    with session_scope() as session:
        assert session.exec(select(Beschikking).where(Beschikking.zaak == key)).first() is None
    # The same beoordelaar cannot be the second pair of eyes.
    assert (
        ops.verwerk_invoer(key, z.wacht_key, {"uitkomst": "toekennen", "beoordelaar": "b-1"}, DAG)
        == "ongeldig"
    )
    z = zaak(key)
    assert "vier ogen" in z.laatste_fout
    assert (
        ops.verwerk_invoer(key, z.wacht_key, {"uitkomst": "toekennen", "beoordelaar": "b-2"}, DAG)
        == "toegepast"
    )
    z = zaak(key)
    assert z.status == "lopend" and z.voorlopig_besluit is None
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        assert (besluit.beoordelaar, besluit.tweede_beoordelaar) == ("b-1", "b-2")


def test_each_due_deadline_fires_once_and_a_second_sweep_changes_nothing(db):
    key = nieuwe_zaak("REF-7", gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31")
    ops.verwerk_invoer(key, "beoordeling-1", {"uitkomst": "toekennen", "beoordelaar": "b-1"}, DAG)
    peil = dt.date(2027, 7, 1)
    first = [ops.vuur_deadline(i, peil) for i in ops.due_deadlines(peil)]
    assert first and all(r is not None for r in first)
    with session_scope() as session:
        sent = session.exec(select(Notificatie).where(Notificatie.zaak == key)).all()
    assert [ops.vuur_deadline(i, peil) for i in ops.due_deadlines(peil)] == []
    with session_scope() as session:
        assert len(session.exec(select(Notificatie).where(Notificatie.zaak == key)).all()) == len(
            sent
        )
    assert (zaak(key).status, zaak(key).wacht_op) == ("herbeoordeling", "evaluatie")


def test_an_uncorrected_aanvraag_is_closed_as_buiten_behandeling_after_the_herstel_termijn(db):
    data = copy.deepcopy(EXAMPLE)
    data["vragenlijst"]["inzet"] = ""
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="REF-8")
    ops.voer_actie_uit(key, DAG)
    assert zaak(key).status == "herstel"
    with session_scope() as session:
        termijn = session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.soort == "herstel_termijn")
        ).one()
    assert termijn.datum == DAG + dt.timedelta(weeks=4)
    for i in ops.due_deadlines(termijn.datum):
        ops.vuur_deadline(i, termijn.datum)
    z = zaak(key)
    assert (
        z.status == "buiten_behandeling" and z.gesloten_op == termijn.datum and z.wacht_key is None
    )


def test_a_rejection_closes_when_the_bezwaartermijn_passes_without_bezwaar(db):
    key = nieuwe_zaak("REF-9")
    ops.verwerk_invoer(
        key,
        "beoordeling-1",
        {"uitkomst": "afwijzen", "onderbouwing": "Niet doelmatig.", "beoordelaar": "b-1"},
        DAG,
    )
    assert zaak(key).status == "bezwaartermijn"
    einde = DAG + dt.timedelta(weeks=6)
    for i in ops.due_deadlines(einde - dt.timedelta(days=1)):
        ops.vuur_deadline(i, einde - dt.timedelta(days=1))
    assert zaak(key).status == "bezwaartermijn"
    for i in ops.due_deadlines(einde):
        ops.vuur_deadline(i, einde)
    assert zaak(key).status == "afgewezen"


def test_every_transition_appends_an_audit_event_naming_who(db):
    key = nieuwe_zaak("REF-10")
    ops.verwerk_invoer(key, "beoordeling-1", {"uitkomst": "toekennen", "beoordelaar": "b-2"}, DAG)
    with session_scope() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.zaak == key).order_by(AuditEvent.id)
        ).all()
    assert [e.actie for e in events] == ["zaak_geregistreerd", "toets_ontvankelijk", "toegekend"]
    assert events[-1].actor == "b-2"
