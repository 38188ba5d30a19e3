"""Motivation for every outcome on a real database (issue 26 point 2; Awb 3:46, 3:47, N 2025):
a refused answer changes nothing, a toekenning despite overlap goes to a second beoordelaar,
and the besluit keeps its grounds and records `coulant` only with the coulante weighing."""

from __future__ import annotations

from sqlmodel import select

from models.db.store import session_scope
from models.db.tables import Besluit
from tasks import zaak as ops
from tests.factories import afwijzen, toekennen
from tests.integration.test_transities import DAG, db, nieuwe_zaak, zaak

__all__ = ["db"]  # the fixture, used by name

AFWEGING = "Anders dan het advies: de overlap is een dag, de vorige beschikking eindigt dan."


def besluiten(key: str) -> list[Besluit]:
    with session_scope() as session:
        return list(session.exec(select(Besluit).where(Besluit.zaak == key)))


def test_awb_3_46_an_afwijzing_with_x_against_toekennen_is_refused_and_nothing_changes(db):
    key = nieuwe_zaak("MOT-1")
    assert zaak(key).toets["advies"] == "toekennen"
    x = {"uitkomst": "afwijzen", "onderbouwing": "x", "beoordelaar": "b-1"}
    assert ops.verwerk_invoer(key, "beoordeling-1", x, DAG) == "ongeldig"
    z = zaak(key)
    assert z.status == "beoordeling" and besluiten(key) == []
    assert z.laatste_fout.startswith("afwijzen noemt de grond") and "\n" not in z.laatste_fout


def test_awb_3_47_the_afwijzing_keeps_its_grounds_and_is_not_coulant(db):
    key = nieuwe_zaak("MOT-2")
    assert ops.verwerk_invoer(key, "beoordeling-1", afwijzen("b-1"), DAG) == "toegepast"
    (b,) = besluiten(key)
    assert b.coulant is False
    (grond,) = b.beoordeling["gronden"]
    assert grond["grond"] == "pijler doelmatigheid voldoet niet" and grond["bron"] == "R §10"


def test_wlz_a_toekenning_despite_overlap_needs_the_weighing_and_a_second_beoordelaar(db):
    eerste = nieuwe_zaak("MOT-3")
    assert ops.verwerk_invoer(eerste, "beoordeling-1", toekennen("b-1"), DAG) == "toegepast"
    tweede = nieuwe_zaak("MOT-4")  # the same clients at the same provider
    z = zaak(tweede)
    assert "OVERLAP_MEERZORG" in [b["code"] for b in z.toets["bevindingen"]]
    assert ops.verwerk_invoer(tweede, z.wacht_key, toekennen("b-1"), DAG) == "ongeldig"
    z = zaak(tweede)
    assert "vier ogen" in z.laatste_fout and besluiten(tweede) == []
    invoer = toekennen("b-1", onderbouwing=AFWEGING)
    assert ops.verwerk_invoer(tweede, z.wacht_key, invoer, DAG) == "toegepast"
    z = zaak(tweede)
    assert z.status == "tweede_beoordeling" and besluiten(tweede) == []
    bevestig = {"uitkomst": "toekennen", "beoordelaar": "b-2"}
    assert ops.verwerk_invoer(tweede, z.wacht_key, bevestig, DAG) == "toegepast"
    (b,) = besluiten(tweede)
    assert (b.beoordelaar, b.tweede_beoordelaar, b.onderbouwing) == ("b-1", "b-2", AFWEGING)
    assert b.beoordeling["ondanks_bevindingen"] == ["OVERLAP_MEERZORG"]
