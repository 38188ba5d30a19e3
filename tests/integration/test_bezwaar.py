"""Bezwaar as a procedure (Awb chapters 6-7) and the beslistermijn's extension (4:14) on a
real database (SQLite, and PostgreSQL when configured): each scenario names its article."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.bezwaar_termijnen import beslis_uiterlijk
from models.dates import atw_einde
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import Beschikking, Besluit, Bezwaar, Deadline, Notificatie
from models.planner import beslistermijn_einde, bezwaartermijn_einde
from tasks import bezwaar as bezwaar_ops
from tasks import zaak as ops
from tasks.opvolging_basis import Geweigerd
from tests.factories import toekennen
from tests.integration.bekendmaking import maak_bekend

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
DAG = dt.date(2026, 11, 22)
EINDE = bezwaartermijn_einde(DAG, beleid_op(DAG))
AFWIJZEN = {"uitkomst": "afwijzen", "onderbouwing": "Niet doelmatig.", "beoordelaar": "b-1"}


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        for id_, rol in (
            ("b-1", "beoordelaar"),
            ("b-2", "teamleider"),
            ("cce-1", "cce"),
            ("jur-1", "jurist"),
        ):
            registreer_medewerker(session=session, id=id_, rol=rol)
    return db_url


def zaak(key: str):
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def antwoord(key: str, invoer: dict, peildatum: dt.date) -> str:
    return ops.verwerk_invoer(key, zaak(key).wacht_key, invoer, peildatum)


def afgewezen(ref: str) -> str:
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie=ref)
    assert ops.voer_actie_uit(key, DAG)
    assert antwoord(key, AFWIJZEN, DAG) == "toegepast"
    assert zaak(key).status == "bezwaartermijn"
    maak_bekend(key, DAG)  # Awb 6:8: the term runs from the letters' bekendmaking
    return key


def bezwaarschrift(ontvangen: dt.date, **extra) -> dict:
    return {"ontvangen": ontvangen, "gronden": "Het plan is gereed.", **extra}


def bezwaar(key: str) -> Bezwaar:
    with session_scope() as session:
        return session.exec(
            select(Bezwaar).where(Bezwaar.zaak == key).order_by(Bezwaar.id.desc())
        ).first()


def berichten(key: str, kanaal: str = "aanbieder") -> list[Notificatie]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Notificatie)
                .where(Notificatie.zaak == key, Notificatie.kanaal == kanaal)
                .order_by(Notificatie.id)
            )
        )


def open_timers(key: str) -> dict[str, dt.date]:
    with session_scope() as session:
        rows = session.exec(select(Deadline).where(Deadline.zaak == key, Deadline.status == "open"))
        return {t.soort: t.datum for t in rows}


def fire_until(peildatum: dt.date) -> None:
    for i in ops.due_deadlines(peildatum):
        ops.vuur_deadline(i, peildatum)


def behandel(uitkomst: str = "gegrond", wie: str = "jur-1", **extra) -> dict:
    return {"behandelaar": wie, "uitkomst": uitkomst, "onderbouwing": "Heroverwogen.", **extra}


def test_awb_7_2_7_11_afwijzing_bezwaar_in_time_hoorzitting_gegrond_then_a_new_beschikking(db):
    key = afgewezen("BZW-1")
    ontvangen = DAG + dt.timedelta(days=10)
    assert antwoord(key, bezwaarschrift(ontvangen), ontvangen) == "toegepast"
    z, b = zaak(key), bezwaar(key)
    assert (z.status, z.wacht_op, b.tijdig) == ("bezwaar_horen", "hoorzitting", True)
    # Awb 7:10: six weeks after the bezwaartermijn ended, with a reminder a week before.
    assert (
        b.uiterlijk
        == beslis_uiterlijk(EINDE, ontvangen)
        == atw_einde(EINDE + dt.timedelta(weeks=6))
    )
    assert open_timers(key)["bezwaar_uiterlijk"] == b.uiterlijk
    assert "ontvangen op" in berichten(key)[-1].tekst  # the acknowledgement
    hoorzitting = DAG + dt.timedelta(days=20)
    plannen = {"behandelaar": "jur-1", "handeling": "plannen", "hoorzitting_op": hoorzitting}
    assert antwoord(key, plannen, ontvangen) == "toegepast"
    assert zaak(key).status == "bezwaar_beslissen" and bezwaar(key).hoorzitting_op == hoorzitting
    assert hoorzitting.isoformat() in berichten(key)[-1].tekst
    # Not before the hoorzitting has taken place (7:2).
    assert antwoord(key, behandel(), hoorzitting - dt.timedelta(days=1)) == "ongeldig"
    assert "nog niet gehouden" in zaak(key).laatste_fout
    assert antwoord(key, behandel(), hoorzitting) == "toegepast"
    z = zaak(key)
    assert (z.status, z.ronde, bezwaar(key).uitkomst) == ("beoordeling", 2, "gegrond")
    assert "herroepen" in berichten(key)[-1].tekst and "rechtbank" in berichten(key)[-1].tekst
    # The new besluit through the same rules and roles: a new beschikking per client.
    assert antwoord(key, toekennen("b-2"), hoorzitting + dt.timedelta(days=3)) == "toegepast"
    assert zaak(key).status == "lopend"
    with session_scope() as session:
        uitkomsten = [b.uitkomst for b in session.exec(select(Besluit).where(Besluit.zaak == key))]
        beschikkingen = session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()
    assert uitkomsten == ["afwijzen", "toekennen"] and len(beschikkingen) == 2
    # Awb 7:1, 8:1: the new besluit is the beslissing op bezwaar: beroep, no second bezwaar.
    with pytest.raises(Geweigerd, match="beroep open bij de rechtbank"):
        bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(hoorzitting), hoorzitting, "cli")


def test_awb_6_11_a_bezwaar_after_seven_weeks_is_niet_ontvankelijk(db):
    key = afgewezen("BZW-2")
    fire_until(EINDE)
    assert zaak(key).status == "bezwaartermijn"  # its last day is still within the term
    fire_until(EINDE + dt.timedelta(days=1))
    assert zaak(key).status == "afgewezen"
    ontvangen = DAG + dt.timedelta(weeks=7)
    uit = bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(ontvangen), ontvangen, "cli")
    assert uit["status"] == "bezwaar_te_laat" and uit["bezwaar"]["tijdig"] is False
    assert "verschoonbaar" in berichten(key)[-1].tekst
    oordeel = {
        "behandelaar": "jur-1",
        "oordeel": "niet-ontvankelijk",
        "onderbouwing": "Geen reden.",
    }
    assert antwoord(key, oordeel, ontvangen + dt.timedelta(days=2)) == "toegepast"
    z, b = zaak(key), bezwaar(key)
    assert (z.status, b.uitkomst, b.afzien_grond) == (
        "afgewezen",
        "niet-ontvankelijk",
        "kennelijk niet-ontvankelijk",
    )
    assert "beroep instellen bij de rechtbank" in berichten(key)[-1].tekst
    assert "bezwaar_uiterlijk" not in open_timers(key)


def test_awb_6_11_an_excusable_late_bezwaar_is_handled_as_one_in_time(db):
    key = afgewezen("BZW-3")
    fire_until(EINDE)
    ontvangen = EINDE + dt.timedelta(days=3)
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(ontvangen), ontvangen, "cli")
    oordeel = {"behandelaar": "jur-1", "oordeel": "verschoonbaar", "onderbouwing": "Ziekte."}
    assert antwoord(key, oordeel, ontvangen) == "toegepast"
    assert zaak(key).status == "bezwaar_horen" and bezwaar(key).verschoonbaar is True


def test_awb_7_12_ongegrond_keeps_the_besluit_and_the_message_carries_the_beroep_clause(db):
    key = afgewezen("BZW-4")
    ontvangen = DAG + dt.timedelta(days=5)
    antwoord(key, bezwaarschrift(ontvangen), ontvangen)
    afzien = {"behandelaar": "b-2", "handeling": "afzien", "grond_afzien": "kennelijk ongegrond"}
    assert antwoord(key, afzien, ontvangen) == "toegepast"
    # Awb 7:3 b: waived as kennelijk ongegrond, so gegrond cannot follow.
    assert antwoord(key, behandel("gegrond", "b-2"), ontvangen) == "ongeldig"
    assert antwoord(key, behandel("ongegrond", "b-2"), ontvangen) == "toegepast"
    assert zaak(key).status == "afgewezen"
    tekst = berichten(key)[-1].tekst
    assert "ongegrond" in tekst and "blijft in stand" in tekst
    assert "beroep instellen bij de rechtbank" in tekst and "Awb 6:7, 8:1" in tekst


def test_awb_7_5_the_primary_beoordelaar_and_the_cce_cannot_handle_the_bezwaar(db):
    key = afgewezen("BZW-5")
    antwoord(key, bezwaarschrift(DAG), DAG)
    for wie, fout in (("b-1", "Awb 7:5"), ("cce-1", "mag geen bezwaar behandelen")):
        plannen = {"behandelaar": wie, "handeling": "plannen", "hoorzitting_op": DAG}
        assert antwoord(key, plannen, DAG) == "ongeldig"
        assert fout in zaak(key).laatste_fout
    assert zaak(key).status == "bezwaar_horen" and bezwaar(key).behandelaar is None


def test_one_bezwaar_per_besluit_a_second_one_is_refused_with_the_beroep_route(db):
    key = afgewezen("BZW-6")
    antwoord(key, bezwaarschrift(DAG), DAG)
    antwoord(
        key,
        {"behandelaar": "jur-1", "handeling": "afzien", "grond_afzien": "indiener ziet af"},
        DAG,
    )
    antwoord(key, behandel("ongegrond"), DAG)
    assert zaak(key).status == "afgewezen"
    with pytest.raises(Geweigerd, match=r"tegen het besluit van 2026-11-22 is al bezwaar gemaakt"):
        bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    with session_scope() as session:
        assert len(session.exec(select(Bezwaar).where(Bezwaar.zaak == key)).all()) == 1


def test_awb_7_10_the_beslissing_is_postponed_once_with_a_notice_then_escalates(db):
    key = afgewezen("BZW-7")
    antwoord(key, bezwaarschrift(DAG), DAG)
    eerst = bezwaar(key).uiterlijk
    verdaag = {"behandelaar": "jur-1", "verdagen": True, "reden_verdaging": "Advies nodig."}
    assert antwoord(key, verdaag, DAG) == "toegepast"
    nieuw = atw_einde(eerst + dt.timedelta(weeks=6))
    assert bezwaar(key).uiterlijk == nieuw and open_timers(key)["bezwaar_uiterlijk"] == nieuw
    assert "verdaagd tot uiterlijk" in berichten(key)[-1].tekst
    assert antwoord(key, verdaag, DAG) == "ongeldig"
    assert "tweede verdaging kan niet" in zaak(key).laatste_fout
    fire_until(nieuw)
    onderwerpen = [n.onderwerp for n in berichten(key, "operations")]
    assert any("herinnering" in o or "uiterlijk" in o for o in onderwerpen)
    assert any("verstreken" in o for o in onderwerpen)
    assert zaak(key).status == "bezwaar_horen"  # the escalation keeps the wait


def test_a_bezwaar_against_a_running_toekenning_ongegrond_returns_the_zaak_to_lopend(db):
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BZW-8")
    ops.voer_actie_uit(key, DAG)
    antwoord(key, toekennen("b-2"), DAG)
    assert zaak(key).status == "lopend"
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    assert bezwaar(key).betrokken == ["b-2"]
    assert (
        antwoord(
            key,
            {"behandelaar": "b-2", "handeling": "afzien", "grond_afzien": "indiener ziet af"},
            DAG,
        )
        == "ongeldig"
    )
    antwoord(
        key, {"behandelaar": "b-1", "handeling": "afzien", "grond_afzien": "indiener ziet af"}, DAG
    )
    antwoord(key, behandel("ongegrond", "b-1"), DAG)
    z = zaak(key)
    assert (z.status, z.wacht_op) == ("lopend", "einde-beschikking")
    assert "einde_beschikking" in open_timers(key)  # the beschikking's timers still run


def test_awb_4_14_the_beslistermijn_is_extended_once_with_a_notice(db):
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BZW-9")
    ops.voer_actie_uit(key, DAG)
    wacht_key = zaak(key).wacht_key
    uit = bezwaar_ops.verleng_beslistermijn(key, 4, "Advies CCE nodig.", DAG, "b-1")
    nieuw = beslistermijn_einde(DAG, beleid_op(DAG), verlengd_dagen=28)
    assert uit["beslistermijn"] == nieuw.isoformat() and nieuw > beslistermijn_einde(
        DAG, beleid_op(DAG)
    )
    z = zaak(key)
    assert (z.verlengd_dagen, z.wacht_key) == (28, wacht_key)  # the beoordelaar's form stays
    assert "Advies CCE nodig." in berichten(key)[-1].tekst
    waarschuwing = [d for s, d in open_timers(key).items() if s == "beslistermijn_waarschuwing"]
    assert waarschuwing and waarschuwing[0] > DAG + dt.timedelta(weeks=7)
    with pytest.raises(Geweigerd, match="al eens verlengd"):
        bezwaar_ops.verleng_beslistermijn(key, 2, "Nog meer tijd.", DAG, "b-1")


def test_awb_7_11_gegrond_against_a_toekenning_the_new_beschikking_replaces_the_revoked_one(db):
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BZW-10")
    ops.voer_actie_uit(key, DAG)
    antwoord(key, toekennen("b-2"), DAG)
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    afzien = {"behandelaar": "jur-1", "handeling": "afzien", "grond_afzien": "indiener ziet af"}
    antwoord(key, afzien, DAG)
    assert antwoord(key, behandel("gegrond"), DAG) == "toegepast"
    # The revoked besluit's obligations lapse; the 7:10 term now bounds the new besluit.
    timers = open_timers(key)
    assert "einde_beschikking" not in timers and "bezwaar_uiterlijk" in timers
    with session_scope() as session:
        eerder = {
            b.client_id: b.eind
            for b in session.exec(select(Beschikking).where(Beschikking.zaak == key))
        }
    korter = toekennen("b-2", eind="2028-01-31", onderbouwing="Korter: doelen binnen een jaar.")
    assert antwoord(key, korter, DAG + dt.timedelta(days=7)) == "toegepast", zaak(key).laatste_fout
    with session_scope() as session:
        nu = session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()
    assert len(nu) == len(eerder) and {b.status for b in nu} == {"actief"}
    assert all(b.eind <= dt.date(2028, 1, 31) < eerder[b.client_id] for b in nu)
    assert "einde_beschikking" in open_timers(key)


def test_the_gronden_stay_in_the_database_not_on_the_card_in_messages_or_the_audit(db):
    from models.db.kaart import zaakkaart
    from models.db.tables import AuditEvent

    key = afgewezen("BZW-11")
    geheim = "Client 999990056 woont bij zijn moeder"
    antwoord(key, bezwaarschrift(DAG, gronden=geheim, indiener="vertegenwoordiger"), DAG)
    assert bezwaar(key).gronden == geheim
    with session_scope() as session:
        kaart = zaakkaart(session, lees_zaak(session=session, key=key))
        audit = [json.dumps(e.details) for e in session.exec(select(AuditEvent))]
    teksten = [n.tekst for n in berichten(key)] + [n.tekst for n in berichten(key, "operations")]
    for tekst in (kaart, *teksten, *audit):
        assert "999990056" not in tekst and "moeder" not in tekst
    assert "Neem de" not in kaart and "hoorzitting" in kaart  # the card says what to do now
