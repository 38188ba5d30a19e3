"""The zienswijze wait on a real database (SQLite, and PostgreSQL when configured): the
afwijzing of a thuis verlenging is first a voornemen (Awb 4:8), sent as a letter to the
client's parties and as a message to the provider; the zienswijze or the sweep at the end of
its term returns the zaak to the assessor, and the besluit's letter names it (Awb 3:46)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from deployments import operations
from models.aanvraag import parse_aanvraag
from models.db.brieven import brieven_van_zaak
from models.db.kaart import zaakkaart
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Besluit, Deadline, Notificatie
from models.zienswijze import ZIENSWIJZE_TIMER
from tasks import zaak as ops

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
THUIS = json.loads((EXAMPLES / "aanvraag-thuis-pgb.json").read_text())  # a pgb verlenging
DAG = dt.date(2026, 11, 23)
AFWIJZEN = {
    "uitkomst": "afwijzen",
    "doelmatigheid": "voldoet niet",
    "doelmatigheid_motivering": "De nachtzorg past binnen het zorgprofiel.",
    "onderbouwing": "Anders dan het advies (toekennen): de nachtzorg past binnen het profiel.",
    "coulante_afweging": "Coulant gewogen: ook met maatwerk past de zorg in het profiel.",
    "beoordelaar": "b-1",
}
SAMENVATTING = "De ouders: zonder nachtelijk toezicht is de epilepsie thuis onveilig."


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
        registreer_medewerker(session=session, id="j-1", rol="jurist")
    return db_url


def zaak(key: str):
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def voornemen(ref: str) -> str:
    key, _ = ops.registreer(parse_aanvraag(THUIS), DAG, provider_referentie=ref)
    ops.voer_actie_uit(key, DAG)
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, AFWIJZEN, DAG) == "toegepast"
    return key


def tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_awb_4_8_the_voornemen_reaches_the_parties_as_a_letter_and_no_besluit_is_taken(db):
    key = voornemen("ZW-1")
    z = zaak(key)
    assert (z.status, z.wacht_op) == ("zienswijze", "zienswijze")
    with session_scope() as session:
        assert session.exec(select(Besluit).where(Besluit.zaak == key)).all() == []
        brieven = brieven_van_zaak(session=session, zaak=key)
        timer = session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.soort == ZIENSWIJZE_TIMER)
        ).one()
        # Awb 4:13: the beslistermijn runs on, its warning moved along into the wait.
        waarschuwing = session.exec(
            select(Deadline).where(
                Deadline.zaak == key, Deadline.soort == "beslistermijn_waarschuwing"
            )
        ).one()
        onderwerpen = [
            n.onderwerp for n in session.exec(select(Notificatie).where(Notificatie.zaak == key))
        ]
        kaart = zaakkaart(session, z)
    # The client and its vertegenwoordiger (the budgethouder) get the voornemen as a letter
    # that is no besluit; the provider its message.
    assert sorted(tuple(b.rollen) for b in brieven) == [
        ("client",),
        ("vertegenwoordiger", "budgethouder"),
    ]
    assert all(b.besluit_id is None for b in brieven)
    inhoud = tekst(brieven[0].pdf)
    assert "voornemen tot afwijzing" in inhoud and "nog geen besluit" in inhoud
    assert "binnen het profiel" in inhoud and "999990032" not in inhoud
    assert any("voornemen tot afwijzing" in o for o in onderwerpen)
    # aanname: two weeks; the sweep fires the day after the last day.
    assert timer.datum == DAG + dt.timedelta(days=15) and timer.status == "open"
    assert waarschuwing.status == "open"
    assert "Voornemen en zienswijze" in kaart and "wacht op de zienswijze" in kaart
    overzicht = operations.zaak_overzicht(key, log_read=False)
    assert overzicht["zienswijze"]["status"] == "open"
    assert overzicht["zienswijze"]["uiterlijk"] == (DAG + dt.timedelta(weeks=2)).isoformat()


def test_awb_4_8_a_zienswijze_given_is_weighed_in_the_besluit_and_its_letter(db):
    key = voornemen("ZW-2")
    dag = DAG + dt.timedelta(days=6)
    form = {
        "ontvangen": dag.isoformat(),
        "van": "vertegenwoordiger",
        "samenvatting": SAMENVATTING,
        "ingediend_door": "j-1",
    }
    # Only deciding staff record it (R §10): the jurist is refused, the zaak keeps waiting.
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, form, dag) == "ongeldig"
    assert "rol jurist" in zaak(key).laatste_fout and zaak(key).status == "zienswijze"
    form["ingediend_door"] = "b-1"
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, form, dag) == "toegepast"
    z = zaak(key)
    assert (z.status, z.wacht_op) == ("beoordeling", "beoordeling")
    with session_scope() as session:
        kaart = zaakkaart(session, z)
        audit = json.dumps(
            [e.details for e in session.exec(select(AuditEvent).where(AuditEvent.zaak == key))]
        )
    assert "zienswijze ontvangen op" in kaart and "epilepsie" not in kaart
    assert "epilepsie" not in audit  # free text stays in the zaak's row
    assert ops.verwerk_invoer(key, z.wacht_key, AFWIJZEN, dag) == "toegepast"
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        (brief,) = [
            b
            for b in brieven_van_zaak(session=session, zaak=key)
            if b.besluit_id == besluit.id and b.rollen == ["client"]
        ]
        timer = session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.soort == ZIENSWIJZE_TIMER)
        ).one()
    assert zaak(key).status == "bezwaartermijn" and zaak(key).voorlopig_besluit is None
    assert besluit.beoordeling["zienswijze"]["samenvatting"] == SAMENVATTING
    inhoud = tekst(brief.pdf)
    assert "epilepsie" in inhoud and "4:8" in inhoud and "zienswijze" in inhoud
    assert timer.status == "vervallen"  # the wait's timer lapsed with the wait
    overzicht = operations.zaak_overzicht(key, log_read=False)["zienswijze"]
    assert (overzicht["status"], overzicht["van"]) == ("gegeven", "vertegenwoordiger")


def test_awb_4_8_no_zienswijze_the_sweep_returns_the_zaak_and_the_besluit_says_none_came(db):
    key = voornemen("ZW-3")
    einde = DAG + dt.timedelta(weeks=2)
    for i in ops.due_deadlines(einde):  # the last day of the term: nothing yet
        ops.vuur_deadline(i, einde)
    assert zaak(key).status == "zienswijze"
    volgende = einde + dt.timedelta(days=1)
    for i in ops.due_deadlines(volgende):
        ops.vuur_deadline(i, volgende)
    z = zaak(key)
    assert z.status == "beoordeling"
    assert z.voorlopig_besluit["voornemen"]["zienswijze"] == {
        "gegeven": False,
        "uiterlijk": einde.isoformat(),
    }
    assert ops.verwerk_invoer(key, z.wacht_key, AFWIJZEN, volgende) == "toegepast"
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        (brief,) = [
            b
            for b in brieven_van_zaak(session=session, zaak=key)
            if b.besluit_id == besluit.id and b.rollen == ["client"]
        ]
    assert "geen zienswijze ontvangen" in tekst(brief.pdf)
    assert operations.zaak_overzicht(key, log_read=False)["zienswijze"]["status"] == (
        "niet_gegeven"
    )
