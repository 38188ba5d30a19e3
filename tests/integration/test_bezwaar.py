"""Bezwaar as a procedure (Awb chapters 6-7) and the beslistermijn's extension (4:14) on a
real database (SQLite, and PostgreSQL when configured): each scenario names its article."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.bezwaar_termijnen import GRONDEN_TIMER, beslis_uiterlijk, gronden_uiterlijk
from models.dates import atw_einde
from models.db.brieven import brieven_van_zaak
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Beschikking, Besluit, Bezwaar, Deadline, Notificatie
from models.db.tables_brief import Brief
from models.planner import beslistermijn_einde, bezwaartermijn_einde
from tasks import bezwaar as bezwaar_ops
from tasks import zaak as ops
from tasks.opvolging_basis import Geweigerd
from tests.factories import toekennen
from tests.integration.bekendmaking import maak_bekend

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
# LINDE-014 has a digital channel of its own, so its letters can reach it (issue 25).
EXAMPLE["clienten"][0]["correspondentie"] = {
    "kanaal": "json://127.0.0.1:9/client/LINDE-014",
    "naam": "A. de Vries",
}
DAG = dt.date(2026, 11, 22)
EINDE = bezwaartermijn_einde(DAG, beleid_op(DAG))
# A complete afwijzing (issue 26 point 2): the failing pillar with its motivation, and the
# onderbouwing weighing the toets's advice it departs from (Awb 3:46).
AFWIJZEN = {
    "uitkomst": "afwijzen",
    "doelmatigheid": "voldoet niet",
    "doelmatigheid_motivering": "De basiszorg is niet op orde; eerst een verbeterplan.",
    "onderbouwing": "Anders dan het advies (toekennen): de basiszorg is niet op orde, dus "
    "meerzorg is niet doelmatig.",
    "beoordelaar": "b-1",
}


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
    # Awb 7:7: not before the verslag of the hoorzitting is recorded.
    assert antwoord(key, behandel(), hoorzitting) == "ongeldig"
    assert "verslag" in zaak(key).laatste_fout
    verslag = {"behandelaar": "jur-1", "verslag": True, "gehoord": "zorgaanbieder"}
    verslag["verslag_tekst"] = "De zorgaanbieder lichtte het plan toe."
    assert antwoord(key, verslag, hoorzitting) == "toegepast"
    assert bezwaar(key).verslag["gehoord"] == ["zorgaanbieder"]
    assert antwoord(key, behandel(), hoorzitting) == "toegepast"
    z = zaak(key)
    # The beslissing op bezwaar is a besluit of ronde 2; the new besluit is taken in ronde 3.
    assert (z.status, z.ronde, bezwaar(key).uitkomst) == ("beoordeling", 3, "gegrond")
    assert "herroepen" in berichten(key)[-1].tekst and "rechtbank" in berichten(key)[-1].tekst
    # The new besluit through the same rules and roles: a new beschikking per client.
    assert antwoord(key, toekennen("b-2"), hoorzitting + dt.timedelta(days=3)) == "toegepast"
    assert zaak(key).status == "lopend"
    with session_scope() as session:
        uitkomsten = [b.uitkomst for b in session.exec(select(Besluit).where(Besluit.zaak == key))]
        beschikkingen = session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()
    assert uitkomsten == ["afwijzen", "gegrond", "toekennen"] and len(beschikkingen) == 2
    with session_scope() as session:
        nieuw = session.exec(select(Besluit).where(Besluit.zaak == key, Besluit.ronde == 3)).one()
    assert nieuw.rechtsmiddel == "beroep"  # its letters carry the beroep clause (7:11, 8:1)
    # Awb 7:1, 8:1: the new besluit is part of the beslissing op bezwaar: beroep, no bezwaar.
    with pytest.raises(Geweigerd, match="beroep is het rechtsmiddel"):
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
    # The zaak's last besluit is now the beslissing op bezwaar: open to beroep only.
    with pytest.raises(Geweigerd, match="beroep is het rechtsmiddel"):
        bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    afwijzing = bezwaar(key).besluit_id
    with pytest.raises(Geweigerd, match=r"tegen het besluit van 2026-11-22 is al bezwaar gemaakt"):
        bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG, besluit=afwijzing), DAG, "cli")
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
    # The revoked beschikking runs on until the new besluit replaces it (Awb 6:16): its
    # obligations stay; the 7:10 term now bounds the new besluit.
    timers = open_timers(key)
    assert "einde_beschikking" in timers and "bezwaar_uiterlijk" in timers
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
    # The revoked beschikking's timers lapsed; only the new one's run.
    with session_scope() as session:
        einden = session.exec(
            select(Deadline.datum).where(
                Deadline.zaak == key,
                Deadline.soort == "einde_beschikking",
                Deadline.status == "open",
            )
        ).all()
    assert einden == [dt.date(2028, 2, 1)]


def test_the_gronden_stay_in_the_database_not_on_the_card_in_messages_or_the_audit(db):
    from models.db.kaart import zaakkaart
    from models.db.tables import AuditEvent

    key = afgewezen("BZW-11")
    geheim = "Client 999990056 woont bij zijn moeder"
    invoer = bezwaarschrift(DAG, gronden=geheim, indiener="vertegenwoordiger", client="LINDE-014")
    assert antwoord(key, invoer, DAG) == "toegepast", zaak(key).laatste_fout
    assert bezwaar(key).gronden == geheim
    with session_scope() as session:
        kaart = zaakkaart(session, lees_zaak(session=session, key=key))
        audit = [json.dumps(e.details) for e in session.exec(select(AuditEvent))]
    teksten = [n.tekst for n in berichten(key)] + [n.tekst for n in berichten(key, "operations")]
    for tekst in (kaart, *teksten, *audit):
        assert "999990056" not in tekst and "moeder" not in tekst
    assert "Neem de" not in kaart and "hoorzitting" in kaart  # the card says what to do now


# --- any belanghebbende against any besluit (issue 25 point 5) --------------------------------


def besluiten(key: str) -> list[Besluit]:
    with session_scope() as session:
        return list(session.exec(select(Besluit).where(Besluit.zaak == key).order_by(Besluit.id)))


def brieven(besluit_id: int) -> list[Brief]:
    with session_scope() as session:
        return list(
            session.exec(select(Brief).where(Brief.besluit_id == besluit_id).order_by(Brief.id))
        )


def pdf_tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


AFZIEN = {"behandelaar": "jur-1", "handeling": "afzien", "grond_afzien": "indiener ziet af"}


def test_awb_7_12_a_clients_bezwaar_joins_the_providers_and_the_client_receives_the_beslissing(
    db,
):
    key = afgewezen("BZW-20")
    eerst = DAG + dt.timedelta(days=5)
    assert antwoord(key, bezwaarschrift(eerst), eerst) == "toegepast"
    client = bezwaarschrift(
        DAG + dt.timedelta(days=6), indiener="client", client="LINDE-014", gronden="Ik wil blijven."
    )
    uit = bezwaar_ops.registreer_bezwaar(key, client, DAG + dt.timedelta(days=6), "cli")
    assert uit["status"] == "bezwaar_horen" and "waarschuwing" not in uit
    assert [(i["indiener"], i["client_id"], i["tijdig"]) for i in uit["bezwaar"]["indieners"]] == [
        ("zorgaanbieder", None, True),
        ("client", "LINDE-014", True),
    ]
    with session_scope() as session:
        assert len(session.exec(select(Bezwaar).where(Bezwaar.zaak == key)).all()) == 1
    ontvangst = berichten(key)[-1].tekst
    assert "Het bezwaarschrift van een cliënt" in ontvangst and "LINDE-014" not in ontvangst
    # The client hears the acknowledgement itself, as a letter to its party (6:14, 7:12 lid 2).
    with session_scope() as session:
        (mededeling,) = [
            b for b in brieven_van_zaak(session=session, zaak=key) if b.besluit_id is None
        ]
    assert (mededeling.rollen, mededeling.client_id) == (["client"], "LINDE-014")
    assert mededeling.details["sjabloon"] == "bezwaar_ontvangstbevestiging"
    brieftekst = pdf_tekst(mededeling.pdf)
    assert "Mededeling" in brieftekst and "ontvangen" in brieftekst and "bezwaar" in brieftekst
    # The same indiener twice: refused in one line, nothing written.
    with pytest.raises(Geweigerd, match="heeft al bezwaar gemaakt tegen dit besluit"):
        bezwaar_ops.registreer_bezwaar(key, client, DAG + dt.timedelta(days=6), "cli")
    assert antwoord(key, AFZIEN, DAG + dt.timedelta(days=7)) == "toegepast"
    dag = DAG + dt.timedelta(days=8)
    assert antwoord(key, behandel("ongegrond"), dag) == "toegepast"
    assert zaak(key).status == "afgewezen"
    # The beslissing op bezwaar is a besluit: its letters carry the beroep clause.
    b = besluiten(key)[-1]
    assert (b.soort, b.rechtsmiddel, b.uitkomst, b.datum) == (
        "beslissing_op_bezwaar",
        "beroep",
        "ongegrond",
        dag,
    )
    per_rol = {(tuple(r.rollen), r.client_id): r for r in brieven(b.id)}
    assert set(per_rol) == {(("zorgaanbieder",), None), (("client",), "LINDE-014")}
    tekst = pdf_tekst(per_rol[(("client",), "LINDE-014")].pdf)
    assert "beroep" in tekst and "rechtbank" in tekst
    assert "verklaart de bezwaren van de zorgaanbieder en een cliënt" in tekst
    assert f"kenmerk {key}/B{besluiten(key)[0].id}" in tekst and "ongegrond" in tekst
    with session_scope() as session:
        partij = session.exec(
            select(Notificatie).where(Notificatie.zaak == key, Notificatie.kanaal == "partij")
        ).all()
    assert per_rol[(("client",), "LINDE-014")].id in {n.brief_id for n in partij}
    # The provider's message carries its own letter as the attachment.
    assert berichten(key)[-1].brief_id == per_rol[(("zorgaanbieder",), None)].id
    assert maak_bekend(key, dag) == 3  # the notice and the two letters; the beroep term runs


def test_a_bezwaar_against_a_chosen_older_besluit(db):
    """A bijstelling asked (a besluit with bezwaar open), then the toekenning: a bezwaar
    against the first, chosen by its id, while the zaak runs."""
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BZW-21")
    ops.voer_actie_uit(key, DAG)
    # Awb 3:46: the toets never advises bijstellen (R §9, §10): the onderbouwing weighs why.
    weging = "Anders dan het advies (toekennen) van de toets: het bedrag is te hoog."
    bijstellen = {"uitkomst": "bijstellen", "onderbouwing": weging, "beoordelaar": "b-1"}
    assert antwoord(key, bijstellen, DAG) == "toegepast"
    assert zaak(key).status == "bijstelling"
    maak_bekend(key, DAG)
    later = DAG + dt.timedelta(days=3)
    assert antwoord(key, {"aanvraag": data, "ingediend_door": "b-1"}, later) == "toegepast"
    assert antwoord(key, toekennen("b-2"), later) == "toegepast", zaak(key).laatste_fout
    eerste, laatste = besluiten(key)
    assert (eerste.soort, laatste.uitkomst, zaak(key).status) == (
        "verzoek_bijstelling",
        "toekennen",
        "lopend",
    )
    uit = bezwaar_ops.registreer_bezwaar(
        key, bezwaarschrift(later, besluit=eerste.id), later, "cli"
    )
    assert uit["bezwaar"]["besluit_id"] == eerste.id and uit["status"] == "bezwaar_horen"
    assert bezwaar(key).terug_status == "lopend"


def test_a_besluit_of_another_zaak_or_an_unknown_id_is_refused_and_nothing_is_written(db):
    key, ander = afgewezen("BZW-22"), afgewezen("BZW-23")
    vreemd = besluiten(ander)[0].id
    for besluit_id in (vreemd, 999_999):
        with pytest.raises(Geweigerd, match=f"zaak {key} heeft geen besluit {besluit_id}"):
            bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG, besluit=besluit_id), DAG, "cli")
    with session_scope() as session:
        assert session.exec(select(Bezwaar)).all() == []
    assert zaak(key).status == "bezwaartermijn"


def test_bezwaar_during_a_bijstelling_ongegrond_gives_a_new_term_to_submit_it(db):
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BZW-24")
    ops.voer_actie_uit(key, DAG)
    # Awb 3:46: the toets never advises bijstellen (R §9, §10): the onderbouwing weighs why.
    weging = "Anders dan het advies (toekennen) van de toets: het bedrag is te hoog."
    bijstellen = {"uitkomst": "bijstellen", "onderbouwing": weging, "beoordelaar": "b-1"}
    antwoord(key, bijstellen, DAG)
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    assert zaak(key).status == "bezwaar_horen" and "bijstelling_termijn" not in open_timers(key)
    antwoord(key, AFZIEN, DAG)
    dag = DAG + dt.timedelta(days=14)
    assert antwoord(key, behandel("ongegrond"), dag) == "toegepast"
    assert zaak(key).status == "bijstelling"
    herstel = dag + dt.timedelta(weeks=beleid_op(dag).termijnen.herstel_aanvraag_weken)
    assert open_timers(key)["bijstelling_termijn"] == herstel


# --- pro forma (Awb 6:5, 6:6) ----------------------------------------------------------------


def test_awb_6_6_a_pro_forma_bezwaar_gets_its_term_and_continues_when_the_gronden_come(db):
    key = afgewezen("BZW-25")
    ontvangen = DAG + dt.timedelta(days=3)
    uit = bezwaar_ops.registreer_bezwaar(
        key, {"ontvangen": ontvangen, "pro_forma": True}, ontvangen, "cli"
    )
    uiterlijk = gronden_uiterlijk(ontvangen)
    assert (uit["status"], zaak(key).wacht_op) == ("bezwaar_gronden", "gronden")
    (indiener,) = uit["bezwaar"]["indieners"]
    assert (indiener["pro_forma"], indiener["gronden"], indiener["gronden_uiterlijk"]) == (
        True,
        False,
        uiterlijk.isoformat(),
    )
    assert open_timers(key)[GRONDEN_TIMER] == uiterlijk + dt.timedelta(days=1)
    assert "pro forma" in berichten(key)[-1].tekst
    eerst = bezwaar(key).uiterlijk
    gekomen = ontvangen + dt.timedelta(days=12)
    invoer = {"behandelaar": "jur-1", "handeling": "gronden", "gronden": "Het plan is gereed."}
    assert antwoord(key, invoer, gekomen) == "toegepast", zaak(key).laatste_fout
    z, b = zaak(key), bezwaar(key)
    assert (z.status, b.gronden) == ("bezwaar_horen", "Het plan is gereed.")
    # Awb 7:10 lid 2: the days from the request to the gronden do not count.
    assert b.uiterlijk >= eerst + dt.timedelta(days=12)
    assert open_timers(key)["bezwaar_uiterlijk"] == b.uiterlijk
    assert GRONDEN_TIMER not in open_timers(key)  # it belonged to the wait for the gronden


def test_awb_6_6_no_gronden_in_the_term_a_person_declares_it_niet_ontvankelijk(db):
    key = afgewezen("BZW-26")
    bezwaar_ops.registreer_bezwaar(key, {"ontvangen": DAG, "pro_forma": True}, DAG, "cli")
    na = gronden_uiterlijk(DAG) + dt.timedelta(days=1)
    fire_until(na)
    z = zaak(key)
    # No automatism: the procedure waits for a behandelaar, in the bezwaar staff's view.
    assert (z.status, z.wacht_op) == ("bezwaar_gronden_verstreken", "gronden-verstreken")
    assert any("gronden" in n.onderwerp for n in berichten(key, "operations"))
    oordeel = {"behandelaar": "jur-1", "handeling": "niet-ontvankelijk", "onderbouwing": "Geen."}
    assert antwoord(key, oordeel, na) == "toegepast", zaak(key).laatste_fout
    assert (zaak(key).status, bezwaar(key).uitkomst) == ("afgewezen", "niet-ontvankelijk")
    b = besluiten(key)[-1]
    assert (b.soort, b.uitkomst, b.rechtsmiddel) == (
        "beslissing_op_bezwaar",
        "niet-ontvankelijk",
        "beroep",
    )


# --- the command line: bad input exits 2 with one line and writes nothing -----------------------


def _meerzorg(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEERZORG_", "PREFECT_"))}
    env.update(
        MEERZORG_DATABASE_URL=db_url,
        MEERZORG_DATA_DIR=str(tmp_path / "cli-data"),
        MEERZORG_AUTH="uit",
        MEERZORG_MEDEWERKER="jur-1",
        PREFECT_API_URL="http://127.0.0.1:9/api",  # never reached: refused before the run
    )
    return subprocess.run(
        [sys.executable, "-m", "deployments.cli", "bezwaar", "registreer", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_cli_bezwaar_registreer_bad_input_exits_2_with_one_line_and_writes_nothing(db, tmp_path):
    key, ander = afgewezen("BZW-27"), afgewezen("BZW-28")
    vreemd = str(besluiten(ander)[0].id)
    for args, fout in (
        ((key, "--besluit", vreemd, "--gronden", "x"), f"zaak {key} heeft geen besluit {vreemd}"),
        ((key, "--besluit", "999999", "--gronden", "x"), "heeft geen besluit 999999"),
        ((key, "--indiener", "client", "--gronden", "x"), "kies de cliënt van de client"),
        ((key, "--pro-forma", "--gronden", "x"), "not allowed with argument"),
        ((key, "--besluit", "een", "--gronden", "x"), "invalid int value"),
    ):
        p = _meerzorg(db, tmp_path, *args)
        assert (p.returncode, p.stdout) == (2, ""), p.stderr
        assert len(p.stderr.splitlines()) == 1 and fout in p.stderr, p.stderr
    with session_scope() as session:
        assert session.exec(select(Bezwaar)).all() == []
        acties = {e.actie for e in session.exec(select(AuditEvent).where(AuditEvent.zaak == key))}
    assert not any(a.startswith("bezwaar") for a in acties)
