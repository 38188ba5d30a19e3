"""Overlap on a real database (SQLite, and PostgreSQL when configured): the zaak's toets reads
the clients' running meerzorg in other zaken by BSN (models/db/overlap_lezen.py), across
providers (issue 26 point 8; Wlz: no double funding; the check's form is `aanname`,
DOMAIN.md §5). The rules themselves: tests/unit/test_overlap_rules.py."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.db.overlap_lezen import meerzorg_elders
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import Beschikking, Zaak
from models.toetsstappen import MeerzorgElders
from tasks import zaak as ops
from tests.factories import BSNS, aanvraag_dict, toekennen, vragenlijst

DAG = dt.date(2026, 6, 1)
BSN = BSNS[0]
ELDERS_AGB = {"agb": "73739999", "naam": "Zorg Elders"}


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
    return db_url


def geregistreerd(ref: str, data: dict, dag: dt.date = DAG) -> str:
    key, _ = ops.registreer(parse_aanvraag(data), dag, provider_referentie=ref)
    assert ops.voer_actie_uit(key, dag)
    return key


def toegekend(ref: str, data: dict) -> str:
    key = geregistreerd(ref, data)
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), DAG) == "toegepast"
    assert zaak(key).status == "lopend"
    return key


def zaak(key: str) -> Zaak:
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def overlap(key: str) -> list[dict]:
    return [b for b in zaak(key).toets["bevindingen"] if b["code"] == "OVERLAP_MEERZORG"]


def test_wlz_a_second_zaak_for_the_same_bsn_at_another_provider_is_blocked_and_advised_afwijzen(
    db,
):
    eerste = toegekend("OVL-1", aanvraag_dict())  # CL-001, 2026-07-01 t/m 2028-06-30
    assert zaak(eerste).toets["niet_getoetst"] == [] and not overlap(eerste)
    # Another provider, its own client id, the same person (BSN), from 2027.
    tweede = geregistreerd(
        "ELDERS-1",
        aanvraag_dict(
            zorgaanbieder=ELDERS_AGB,
            client={"client_id": "ELD-77"},
            gevraagde_start="2027-01-01",
        ),
    )
    z = zaak(tweede)
    # Content for the beoordelaar (Awb 4:5), not herstel.
    assert z.status == "beoordeling" and z.agb == ELDERS_AGB["agb"]
    (b,) = overlap(tweede)
    assert b["ernst"] == "blokkerend"
    assert b["toelichting"] == (
        "Client ELD-77: de periode 2027-01-01 t/m 2028-12-31 overlapt van 2027-01-01 t/m "
        f"2028-06-30 met lopende meerzorg in zaak {eerste} (2026-07-01 t/m 2028-06-30): "
        "dubbele financiering (Wlz)."
    )
    assert BSN not in b["toelichting"] and BSN not in z.toets["advies_toelichting"]
    assert z.toets["ontvankelijk"] is False and z.toets["volledig"] is True
    assert z.toets["advies"] == "afwijzen"
    assert z.toets["advies_toelichting"] == (
        f"advies: afwijzen — overlap met lopende meerzorg: zaak {eerste}"
    )
    assert z.toets["niet_getoetst"] == []


def test_aanname_a_verlenging_that_follows_on_without_overlap_gets_no_finding(db):
    vorige = toegekend(
        "OVL-2", aanvraag_dict(gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31")
    )
    for i in ops.due_deadlines(dt.date(2027, 6, 30)):
        ops.vuur_deadline(i, dt.date(2027, 6, 30))
    z = zaak(vorige)
    assert z.status == "herbeoordeling" and z.wacht_op == "evaluatie"
    verlenging = aanvraag_dict(gevraagde_start="2028-01-01", gevraagde_eind="2029-12-31")
    invoer = {
        "doelen_behaald": "deels",
        "toelichting": "Minder incidenten.",
        "verlenging": verlenging,
    }
    assert ops.verwerk_invoer(vorige, z.wacht_key, invoer, dt.date(2027, 7, 15)) == "toegepast"
    with session_scope() as session:
        vervolg = session.exec(select(Zaak).where(Zaak.vorige_zaak == vorige)).one()
    assert ops.voer_actie_uit(vervolg.key, dt.date(2027, 7, 15))
    z = zaak(vervolg.key)
    assert z.soort == "verlenging" and z.status == "beoordeling"
    # The beschikking it continues still runs (until 2027-12-31): touched, not overlapped.
    assert not overlap(vervolg.key) and z.toets["niet_getoetst"] == []
    assert z.toets["advies"] == "toekennen"


def test_aanname_a_verlenging_that_starts_before_the_old_one_ends_is_named_as_such(db):
    vorige = toegekend(
        "OVL-3", aanvraag_dict(gevraagde_start="2026-07-01", gevraagde_eind="2027-06-30")
    )
    vroeg = geregistreerd(
        "OVL-3-verlenging",
        aanvraag_dict(
            soort="verlenging",
            vorige_zaak=vorige,
            gevraagde_start="2027-06-01",
            gevraagde_eind="2028-05-31",
        ),
    )
    (b,) = overlap(vroeg)
    assert (
        "overlapt van 2027-06-01 t/m 2027-06-30 met de beschikking die deze verlenging"
        in (b["toelichting"])
    )
    assert f"zaak {vorige} (2026-07-01 t/m 2027-06-30)" in b["toelichting"]
    assert zaak(vroeg).toets["advies"] == "afwijzen"


def test_wlz_a_resubmission_after_herstel_is_toetsed_with_the_facts_again(db):
    eerste = toegekend("OVL-4", aanvraag_dict())
    onvolledig = aanvraag_dict(
        zorgaanbieder=ELDERS_AGB, client={"client_id": "ELD-4"}, vragenlijst=vragenlijst(inzet="")
    )
    tweede = geregistreerd("ELDERS-4", onvolledig)
    z = zaak(tweede)
    assert z.status == "herstel" and len(overlap(tweede)) == 1  # beside the missing inzet
    volledig = aanvraag_dict(zorgaanbieder=ELDERS_AGB, client={"client_id": "ELD-4"})
    assert ops.verwerk_invoer(tweede, z.wacht_key, {"aanvraag": volledig}, DAG) == "toegepast"
    z = zaak(tweede)
    assert z.status == "beoordeling" and z.toets["advies"] == "afwijzen"
    (b,) = overlap(tweede)
    assert f"zaak {eerste} " in b["toelichting"] and z.toets["niet_getoetst"] == []


def test_the_read_counts_only_active_beschikkingen_of_other_zaken(db):
    eerste = toegekend("OVL-5", aanvraag_dict())
    with session_scope() as session:
        # The zaak itself never counts; another zaak's active beschikking does.
        assert meerzorg_elders(session=session, zaak=eerste, bsns=[BSN]) == {BSN: ()}
        assert meerzorg_elders(session=session, zaak="MZ-2026-999999", bsns=[BSN, BSNS[1]]) == {
            BSN: (MeerzorgElders(eerste, dt.date(2026, 7, 1), dt.date(2028, 6, 30)),),
            BSNS[1]: (),
        }
        assert meerzorg_elders(
            session=session, zaak="MZ-2026-999999", bsns=[BSN], vorige_zaak=eerste
        ) == {BSN: (MeerzorgElders(eerste, dt.date(2026, 7, 1), dt.date(2028, 6, 30), True),)}
        assert meerzorg_elders(session=session, zaak="MZ-2026-999999", bsns=[]) == {}
        # Ended (a vertrek, the end): no longer running meerzorg.
        for rij in session.exec(select(Beschikking).where(Beschikking.zaak == eerste)).all():
            rij.status, rij.beeindigd_op = "beeindigd", dt.date(2026, 12, 31)
            session.add(rij)
    with session_scope() as session:
        assert meerzorg_elders(session=session, zaak="MZ-2026-999999", bsns=[BSN]) == {BSN: ()}
