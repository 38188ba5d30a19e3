"""Bijstellen on a real database (SQLite, and PostgreSQL when configured), transition by
transition (models/bijstelling.py; issue 26 point 1): the request with its term and the
applicant's consent (R §10, Awb 4:15 lid 2 sub a), the adjusted aanvraag acknowledged and
back at the beoordelaar, and no adjusted aanvraag: a person decides, never 4:5 by the sweep."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.db.kaart import zaakkaart
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import Besluit, Deadline, Notificatie
from tasks import werkvoorraad
from tasks import zaak as ops

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
DAG = dt.date(2026, 11, 22)
# Awb 3:46: bijstellen departs from the toets's advice (it never advises it): weigh why.
ONDERBOUWING = (
    "Anders dan het advies (toekennen) van de toets: de nachtzorg is ruimer dan de zorgvraag."
)
BIJSTELLEN = {"uitkomst": "bijstellen", "onderbouwing": ONDERBOUWING, "beoordelaar": "b-1"}
# R §10, Awb 3:46: the afwijzing names the pillar that does not meet, with its motivation.
AFWIJZEN = {
    "uitkomst": "afwijzen",
    "doelmatigheid": "voldoet niet",
    "doelmatigheid_motivering": "De nachtzorg is ruimer dan de zorgvraag; niet bijgesteld.",
    "onderbouwing": "Anders dan het advies van de toets: de gevraagde bijstelling kwam niet "
    "en de aanvraag zoals zij er ligt is niet doelmatig.",
    "beoordelaar": "b-1",
}


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
    return db_url


def zaak(key: str):
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def antwoord(key: str, invoer: dict, peildatum: dt.date) -> str:
    return ops.verwerk_invoer(key, zaak(key).wacht_key, invoer, peildatum)


def in_bijstelling(ref: str, **form) -> str:
    key, _ = ops.registreer(parse_aanvraag(EXAMPLE), DAG, provider_referentie=ref)
    assert ops.voer_actie_uit(key, DAG)
    assert antwoord(key, {**BIJSTELLEN, **form}, DAG) == "toegepast", zaak(key).laatste_fout
    return key


def besluiten(key: str) -> list[Besluit]:
    with session_scope() as session:
        return list(session.exec(select(Besluit).where(Besluit.zaak == key).order_by(Besluit.id)))


def onderwerpen(key: str) -> list[str]:
    with session_scope() as session:
        rows = session.exec(
            select(Notificatie)
            .where(Notificatie.zaak == key, Notificatie.kanaal == "aanbieder")
            .order_by(Notificatie.id)
        )
        return [n.onderwerp for n in rows]


def open_timers(key: str) -> dict[str, dt.date]:
    with session_scope() as session:
        rows = session.exec(select(Deadline).where(Deadline.zaak == key, Deadline.status == "open"))
        return {t.soort: t.datum for t in rows}


def sweep(dag: dt.date) -> None:
    for i in ops.due_deadlines(dag):
        ops.vuur_deadline(i, dag)


def test_r_10_awb_4_15_lid_2_a_the_request_records_its_term_and_the_consent(db):
    key = in_bijstelling("BST-1", bijstelling_weken=3, instemming_opschorting=True)
    z = zaak(key)
    uiterlijk = DAG + dt.timedelta(weeks=3)
    assert z.status == "bijstelling" and z.wacht_op == "bijstelling"
    assert z.bijstelling["uiterlijk"] == uiterlijk.isoformat()
    assert z.bijstelling["instemming_opschorting"] is True
    assert open_timers(key)["bijstelling_termijn"] == uiterlijk
    (verzoek,) = besluiten(key)
    assert verzoek.soort == "verzoek_bijstelling" and verzoek.onderbouwing == ONDERBOUWING
    assert verzoek.beoordeling["bijstelling"]["termijn_weken"] == 3
    assert onderwerpen(key)[-1] == f"Meerzorgaanvraag {key}: bijstelling gevraagd"
    with session_scope() as session:
        kaart = zaakkaart(session, lees_zaak(session=session, key=key))
    assert f"uiterlijk {uiterlijk.isoformat()}" in kaart
    assert "met instemming van de aanvrager (Awb 4:15 lid 2 sub a)" in kaart


def test_r_10_awb_4_5_no_adjusted_aanvraag_lands_at_the_beoordelaar_who_decides_afwijzen(db):
    """The sweep fires the term and takes no besluit; the zaak is in the beoordelaar's queue
    with "bijstelling niet ontvangen", and her afwijzing is the next besluit, with letters."""
    key = in_bijstelling("BST-2", instemming_opschorting=True)
    verstreken = DAG + dt.timedelta(weeks=4)
    sweep(verstreken - dt.timedelta(days=1))
    assert zaak(key).status == "bijstelling"
    sweep(verstreken)
    z = zaak(key)
    assert (z.status, z.wacht_op) == ("beoordeling", "beoordeling")
    assert z.bijstelling["niet_ontvangen_op"] == verstreken.isoformat()
    assert z.opgeschort_dagen == 28  # with consent: the four weeks are suspended
    assert [b.uitkomst for b in besluiten(key)] == ["bijstellen"]  # no 4:5 besluit
    assert "buiten_behandeling" not in {b.soort for b in besluiten(key)}
    assert onderwerpen(key)[-1] == f"Meerzorgaanvraag {key}: geen bijgestelde aanvraag ontvangen"
    (rij,) = [r for r in werkvoorraad.lees(verstreken, "beoordelaar") if r.zaak == key]
    assert rij.feit == "bijstelling niet ontvangen"
    sweep(verstreken)  # a second sweep of the day changes nothing
    assert zaak(key).status == "beoordeling"

    assert antwoord(key, AFWIJZEN, verstreken) == "toegepast", zaak(key).laatste_fout
    verzoek, afwijzing = besluiten(key)
    assert afwijzing.uitkomst == "afwijzen" and afwijzing.ronde == verzoek.ronde + 1
    assert afwijzing.beoordelaar == "b-1" and afwijzing.datum == verstreken
    assert zaak(key).status == "bezwaartermijn"


def test_awb_4_15_an_adjusted_aanvraag_keeps_its_receipt_date_and_is_acknowledged(db):
    """R §10 "bijstellen aanvraag": the same aanvraag, adjusted: its receipt date and
    beslistermijn stay (without consent nothing is suspended); it goes back to the
    beoordelaar with the adjusted content, and its term lapses."""
    key = in_bijstelling("BST-3")
    bijgesteld = copy.deepcopy(EXAMPLE)
    bijgesteld["vragenlijst"]["inzet"] = "Nachtzorg teruggebracht tot twee nachten."
    ontvangen = DAG + dt.timedelta(days=5)
    invoer = {"aanvraag": bijgesteld, "ingediend_door": "b-1"}
    assert antwoord(key, invoer, ontvangen) == "toegepast", zaak(key).laatste_fout
    z = zaak(key)
    assert (z.status, z.ingediend_op, z.opgeschort_dagen) == ("beoordeling", DAG, 0)
    assert z.aanvraag["vragenlijst"]["inzet"] == "Nachtzorg teruggebracht tot twee nachten."
    assert z.bijstelling["ontvangen_op"] == ontvangen.isoformat()
    assert onderwerpen(key)[-1] == f"Meerzorgaanvraag {key}: bijgestelde aanvraag ontvangen"
    assert "bijstelling_termijn" not in open_timers(key)
    sweep(DAG + dt.timedelta(weeks=4))
    assert zaak(key).status == "beoordeling" and len(besluiten(key)) == 1


def test_r_9_a_start_moved_by_the_zorgkantoor_is_no_advice_to_bijstellen(db):
    """A start in the past is moved by the zorgkantoor itself (R §9): the toets advises
    toekennen with that term; and a bijstelling with a term beyond the rule is refused in
    one Dutch line, with nothing changed."""
    data = {**copy.deepcopy(EXAMPLE), "gevraagde_start": "2026-10-01"}
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BST-4")
    ops.voer_actie_uit(key, DAG)
    toets = zaak(key).toets
    assert "START_IN_VERLEDEN" in {b["code"] for b in toets["bevindingen"]}
    assert toets["advies"] != "bijstellen" and "(R §9)" in toets["advies_toelichting"]
    fout = {**BIJSTELLEN, "bijstelling_weken": 20}
    assert antwoord(key, fout, DAG) == "ongeldig"
    z = zaak(key)
    assert z.status == "beoordeling" and "1 tot 12 weken" in z.laatste_fout
    assert besluiten(key) == [] and z.bijstelling is None
