"""The zaak state machine on a real database (SQLite, and PostgreSQL when configured):
one transaction per transition, idempotent, roles and four-eyes, timers fired once."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Beschikking, Besluit, Deadline, Notificatie
from models.db.tables_brief import Brief
from models.planner import bezwaartermijn_einde
from tasks import zaak as ops
from tests.factories import afwijzen, toekennen
from tests.integration.bekendmaking import maak_bekend

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
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("cce-1"), DAG) == "ongeldig"
    z = zaak(key)
    assert z.status == "beoordeling" and z.wacht_key == "beoordeling-2"
    assert "mag niet beslissen" in z.laatste_fout


def test_an_unknown_beoordelaar_is_refused_and_the_zaak_keeps_waiting(db):
    key = nieuwe_zaak("REF-4")
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("x-9"), DAG) == "ongeldig"
    assert "niet geregistreerd" in zaak(key).laatste_fout
    with session_scope() as session:
        assert session.exec(select(Besluit).where(Besluit.zaak == key)).first() is None


def test_input_for_a_wait_the_zaak_already_left_is_ignored(db):
    key = nieuwe_zaak("REF-5")
    invoer = toekennen("b-1")
    assert ops.verwerk_invoer(key, "beoordeling-1", invoer, DAG) == "toegepast"
    assert ops.verwerk_invoer(key, "beoordeling-1", invoer, DAG) == "verouderd"
    with session_scope() as session:
        assert len(session.exec(select(Besluit).where(Besluit.zaak == key)).all()) == 1
        assert len(session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()) == 2


def test_a_toekenning_keeps_its_assessment_criteria_and_perspectief_with_the_besluit(db):
    """R §10: the pillars with their motivation, the criteria answered and the perspectief
    are part of the besluit, so a her-aanvraag can put the perspectief beside the evaluation."""
    key = nieuwe_zaak("REF-5b")
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), DAG) == "toegepast"
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
    assert besluit.pijlers["doelmatigheid"]["oordeel"] == "voldoet"
    assert besluit.beoordeling["perspectief"] == {
        "verwachting": "Afbouw van de extra avondbegeleiding na een jaar.",
        "evalueren_op": "2027-06-01",
    }
    assert besluit.beoordeling["criteria"] and all(besluit.beoordeling["criteria"].values())


def test_a_maatwerk_toekenning_needs_a_second_different_beoordelaar(db):
    data = copy.deepcopy(EXAMPLE)
    data["context_middelen_per_jaar"] = 200000  # far above the highest meerzorgprofiel
    key = nieuwe_zaak("REF-6", context_middelen_per_jaar=200000)
    assert zaak(key).toets["uitkomst_rekentool"]["soort"] == "maatwerk"
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), DAG) == "toegepast"
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


def test_awb_4_13_a_four_eyes_zaak_keeps_its_beslistermijn_warning_and_operations_hears_it(db):
    """Awb 4:13 and issue 24 item 8: the warning planned at the beoordeling applies in the
    tweede beoordeling too (models/opvolging_regels.BIJ_TERMIJN); it lapsed when the zaak
    moved there, so operations was never warned about a four-eyes zaak's beslistermijn."""
    key = nieuwe_zaak("REF-413", context_middelen_per_jaar=200000)
    with session_scope() as session:
        [warn] = session.exec(
            select(Deadline).where(
                Deadline.zaak == key, Deadline.soort == "beslistermijn_waarschuwing"
            )
        ).all()
        datum = warn.datum
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), DAG) == "toegepast"
    assert zaak(key).status == "tweede_beoordeling"
    with session_scope() as session:
        warn = session.exec(
            select(Deadline).where(
                Deadline.zaak == key, Deadline.soort == "beslistermijn_waarschuwing"
            )
        ).one()
        assert (warn.status, warn.voor_status, warn.datum) == ("open", "tweede_beoordeling", datum)
    gevuurd = [ops.vuur_deadline(i, datum) for i in ops.due_deadlines(datum)]
    assert gevuurd and all(r is not None for r in gevuurd)
    with session_scope() as session:
        berichten = session.exec(select(Notificatie).where(Notificatie.zaak == key)).all()
        assert any(
            n.kanaal == "operations" and "beslistermijn_waarschuwing" in n.sleutel
            for n in berichten
        ), [(n.kanaal, n.sleutel) for n in berichten]
        warn = session.get(Deadline, warn.id)
        assert warn.status != "open"
    # The second pair of eyes still decides; nothing of the wait was lost.
    assert zaak(key).status == "tweede_beoordeling"


def test_each_due_deadline_fires_once_and_a_second_sweep_changes_nothing(db):
    key = nieuwe_zaak("REF-7", gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31")
    ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), DAG)
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


def test_an_uncorrected_aanvraag_is_put_buiten_behandeling_by_a_besluit_with_bezwaar_clause(db):
    """Awb 4:5: not completed within the herstel termijn: a besluit (recorded, with
    onderbouwing) and a message to the provider with the bezwaar clause (Awb 6:7)."""
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
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        bericht = session.exec(
            select(Notificatie).where(
                Notificatie.zaak == key, Notificatie.onderwerp.contains("buiten behandeling")
            )
        ).one()
    assert (besluit.uitkomst, besluit.datum, besluit.beoordelaar) == (
        "buiten_behandeling",
        termijn.datum,
        "deadline-sweep",
    )
    assert "inzet ontbreekt" in besluit.onderbouwing and "4:5 Awb" in besluit.onderbouwing
    # The term runs from the letter's bekendmaking (Awb 6:8): the message carries the letter.
    assert "bezwaar" in bericht.tekst and bericht.brief_id is not None
    # The motivation is in the letter, not in the notification's text (no free text in a
    # notification: an onderbouwing may name a client).
    assert "inzet ontbreekt" not in bericht.tekst and "bijlage" in bericht.tekst
    assert EXAMPLE["clienten"][0]["bsn"] not in bericht.tekst
    with session_scope() as session:
        pdf = session.get(Brief, bericht.brief_id).pdf
    tekst = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "inzet ontbreekt" in tekst


def test_awb_4_5_an_aanvraag_below_the_threshold_reaches_the_beoordelaar_with_advice(db):
    data = copy.deepcopy(EXAMPLE)
    data["uren_per_week"] = {k: 0 for k in data["uren_per_week"]} | {"begeleiding": 10}
    key = nieuwe_zaak("REF-ADVIES", uren_per_week=data["uren_per_week"])
    z = zaak(key)
    assert (z.status, z.wacht_op) == ("beoordeling", "beoordeling")
    assert z.toets["ontvankelijk"] is False and z.toets["advies"] == "afwijzen"
    assert z.toets["advies_toelichting"].startswith("advies: afwijzen — drempel niet gehaald")
    with session_scope() as session:
        assert (
            session.exec(
                select(Deadline).where(Deadline.zaak == key, Deadline.soort == "herstel_termijn")
            ).first()
            is None
        )


def test_awb_4_15_the_beslistermijn_moves_by_the_days_in_herstel(db):
    data = copy.deepcopy(EXAMPLE)
    data["vragenlijst"]["inzet"] = ""
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="REF-OPGESCHORT")
    ops.voer_actie_uit(key, DAG)
    z = zaak(key)
    assert z.status == "herstel" and z.opgeschort_dagen == 0
    aangevuld = DAG + dt.timedelta(days=12)
    data["vragenlijst"]["inzet"] = "Extra begeleider in de avond."
    assert ops.verwerk_invoer(key, z.wacht_key, {"aanvraag": data}, aangevuld) == "toegepast"
    z = zaak(key)
    assert z.status == "beoordeling" and z.opgeschort_dagen == 12
    beslistermijn = (DAG + dt.timedelta(weeks=8, days=12)).isoformat()
    with session_scope() as session:
        ontvangen = session.exec(
            select(Notificatie).where(
                Notificatie.zaak == key, Notificatie.onderwerp.contains("ontvangen")
            )
        ).one()
        event = session.exec(
            select(AuditEvent).where(AuditEvent.zaak == key).order_by(AuditEvent.id.desc())
        ).first()
    assert beslistermijn in ontvangen.tekst
    assert event.details["opgeschort_dagen"] == 12


def test_a_rejection_closes_when_the_bezwaartermijn_passes_without_bezwaar(db):
    key = nieuwe_zaak("REF-9")
    ops.verwerk_invoer(
        key,
        "beoordeling-1",
        afwijzen("b-1"),
        DAG,
    )
    assert zaak(key).status == "bezwaartermijn"
    # Awb 6:8: six weeks from the day after the letters were made known; its last day is
    # still within it, the zaak closes the day after.
    verzonden = DAG + dt.timedelta(days=3)
    maak_bekend(key, verzonden)
    einde = bezwaartermijn_einde(verzonden, beleid_op(DAG))
    for i in ops.due_deadlines(einde):
        ops.vuur_deadline(i, einde)
    assert zaak(key).status == "bezwaartermijn"
    for i in ops.due_deadlines(einde + dt.timedelta(days=1)):
        ops.vuur_deadline(i, einde + dt.timedelta(days=1))
    assert zaak(key).status == "afgewezen"


def test_every_transition_appends_an_audit_event_naming_who(db):
    key = nieuwe_zaak("REF-10")
    ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-2"), DAG)
    with session_scope() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.zaak == key).order_by(AuditEvent.id)
        ).all()
    assert [e.actie for e in events] == ["zaak_geregistreerd", "toets_ontvankelijk", "toegekend"]
    assert events[-1].actor == "b-2"
