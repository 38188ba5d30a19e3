"""Group mutations on a real database (R §8, §10; issue 12 item 6): a vertrek ends a
beschikking and a group below two is reassessed at once; an instroom is a decision by a
beoordelaar on the group's toets with the newcomer, with four eyes where the policy asks."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlmodel import select

from deployments.operations import zaak_overzicht
from models.aanvraag import parse_aanvraag
from models.db.store import migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Beschikking, Client, Zaak
from models.toets import toets
from tasks import opvolging
from tests.integration.test_opvolging import GROEP, berichten, toegekend, zaak


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
    return db_url


def test_a_client_leaving_a_group_of_two_ends_its_beschikking_and_asks_for_reassessment(db):
    key = toegekend("GROEP-1", copy.deepcopy(GROEP))
    result = opvolging.mutatie_vertrek(
        key, "LINDE-022", dt.date(2027, 6, 30), dt.date(2027, 6, 1), "ops-1"
    )
    assert result == {
        "zaak": key,
        "client_id": "LINDE-022",
        "eind": "2027-06-30",
        "groep_herbeoordelen": True,
    }
    with session_scope() as session:
        b = session.exec(
            select(Beschikking).where(Beschikking.zaak == key, Beschikking.client_id == "LINDE-022")
        ).one()
    assert b.eind == dt.date(2027, 6, 30)
    assert any("onder twee" in n.onderwerp for n in berichten(key, "operations"))
    assert any("vertrekt" in n.onderwerp for n in berichten(key, "aanbieder"))


NIEUW = dict(GROEP["clienten"][0], client_id="LINDE-050", bsn="999990147", zorgprofiel="VG8")
PER = dt.date(2027, 5, 1)


def meer_uren(**extra: float) -> dict:
    uren = dict(GROEP["uren_per_week"])
    for k, v in extra.items():
        uren[k] += v
    return uren


def medewerkers(**rollen: str) -> None:
    with session_scope() as session:
        for id, rol in rollen.items():
            registreer_medewerker(session=session, id=id.replace("_", "-"), rol=rol)


def beschikkingen(key: str) -> dict[str, Beschikking]:
    with session_scope() as session:
        rows = session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()
    return {b.client_id: b for b in rows}


def audit_acties(key: str) -> list[AuditEvent]:
    with session_scope() as session:
        return session.exec(
            select(AuditEvent).where(AuditEvent.zaak == key).order_by(AuditEvent.id)
        ).all()


def niets_veranderd(key: str, voor: Zaak) -> None:
    """A refused instroom writes nothing: no beschikking, no client, no decision audited."""
    assert set(beschikkingen(key)) == {"LINDE-014", "LINDE-022"}
    assert "mutatie_instroom" not in [e.actie for e in audit_acties(key)]
    na = zaak(key)
    assert (na.aanvraag, na.toets, na.versie) == (voor.aanvraag, voor.toets, voor.versie)
    with session_scope() as session:
        assert session.exec(select(Client).where(Client.client_id == "LINDE-050")).first() is None


def test_a_cce_member_cannot_decide_an_instroom_and_nothing_changes(db):
    medewerkers(cce_1="cce")
    key = toegekend("GROEP-2", copy.deepcopy(GROEP))
    voor = zaak(key)
    instroom = {"client": NIEUW, "uren_per_week": meer_uren(begeleiding=45)}
    with pytest.raises(opvolging.Geweigerd, match=r"'cce-1' heeft de rol cce .* \(R §10\)"):
        opvolging.mutatie_instroom(key, instroom, PER, "cce-1")
    niets_veranderd(key, voor)


def test_an_unknown_id_cannot_decide_an_instroom(db):
    key = toegekend("GROEP-3", copy.deepcopy(GROEP))
    voor = zaak(key)
    with pytest.raises(opvolging.Geweigerd, match="'ops-1' is niet geregistreerd"):
        opvolging.mutatie_instroom(key, NIEUW, PER, "ops-1")
    niets_veranderd(key, voor)


def test_an_instroom_whose_group_toets_fails_the_threshold_is_refused_naming_the_finding(db):
    data = copy.deepcopy(GROEP)
    # 84 hours: 50% above the VG7 + VG8 norm (56), but 2.33% below it with a VG8 newcomer (86).
    data["uren_per_week"] = {
        "begeleiding": 50,
        "verzorging": 10,
        "verpleging": 4,
        "dagbesteding": 5,
        "nachtzorg": 15,
    }
    key = toegekend("GROEP-4", data)
    voor = zaak(key)
    result = opvolging.mutatie_instroom(key, NIEUW, PER, "b-1")
    assert result["toegevoegd"] is False
    assert result["reden"] == (
        "de groep met de nieuwe client haalt de drempel niet (\u22122.33%, R §10): "
        "dien een nieuwe aanvraag in"
    )
    assert [b["code"] for b in result["bevindingen"]] == ["DREMPEL_NIET_GEHAALD"]
    niets_veranderd(key, voor)


def test_a_beoordelaars_instroom_gives_the_newcomer_what_the_group_toets_adds(db):
    key = toegekend("GROEP-5", copy.deepcopy(GROEP))
    voor = {c: b.bedrag_per_jaar for c, b in beschikkingen(key).items()}
    instroom = {"client": NIEUW, "uren_per_week": meer_uren(begeleiding=45)}
    result = opvolging.mutatie_instroom(key, instroom, PER, "b-1")
    assert result["toegevoegd"] and (result["start"], result["eind"]) == (
        "2027-05-01",
        "2029-01-31",
    )
    alle = beschikkingen(key)
    # The running beschikkingen stay as decided; the group total is the toets's total for
    # the group with the newcomer, not the old total plus a full share.
    assert {c: alle[c].bedrag_per_jaar for c in voor} == voor
    aanvraag = parse_aanvraag(zaak(key).aanvraag)
    assert [c.client_id for c in aanvraag.clienten] == ["LINDE-014", "LINDE-022", "LINDE-050"]
    groep_toets = toets(aanvraag, PER)
    totaal = round(sum(b.bedrag_per_jaar for b in alle.values()), 2)
    assert totaal == groep_toets.rekentool.bedrag_per_jaar == result["groep_bedrag_per_jaar"]
    assert alle["LINDE-050"].bedrag_per_jaar == result["bedrag_per_jaar"] == 48405.61
    besluit = [e for e in audit_acties(key) if e.actie == "mutatie_instroom"]
    assert len(besluit) == 1 and besluit[0].actor == "b-1"
    assert (
        besluit[0].details["beoordelaar"] == "b-1"
        and besluit[0].details["client_id"] == "LINDE-050"
    )
    assert any("ingestroomd" in n.onderwerp for n in berichten(key, "aanbieder"))


def test_a_newcomer_without_a_meerzorg_profile_is_refused(db):
    key = toegekend("GROEP-6", copy.deepcopy(GROEP))
    instroom = {
        "client": dict(NIEUW, zorgprofiel="VG6"),
        "uren_per_week": meer_uren(begeleiding=45),
    }
    weigering = opvolging.mutatie_instroom(key, instroom, PER, "b-1")
    assert not weigering["toegevoegd"]
    assert [b["code"] for b in weigering["bevindingen"]] == ["PROFIEL_GEEN_MEERZORG"]
    assert weigering["reden"].startswith("PROFIEL_GEEN_MEERZORG")


def test_an_instroom_into_a_maatwerk_group_needs_a_second_different_beoordelaar(db):
    medewerkers(t_1="teamleider", cce_1="cce")
    key = toegekend("GROEP-7", copy.deepcopy(GROEP))
    voor = zaak(key)
    instroom = {"client": NIEUW, "uren_per_week": meer_uren(begeleiding=100)}
    with pytest.raises(opvolging.Geweigerd, match=r"vier ogen \(.*\).*--tweede-beoordelaar"):
        opvolging.mutatie_instroom(key, instroom, PER, "b-1")
    for tweede, fout in (("b-1", "ander dan b-1"), ("cce-1", "rol cce")):
        with pytest.raises(opvolging.Geweigerd, match=fout):
            opvolging.mutatie_instroom(key, instroom, PER, "b-1", tweede_beoordelaar=tweede)
    niets_veranderd(key, voor)
    result = opvolging.mutatie_instroom(key, instroom, PER, "b-1", tweede_beoordelaar="t-1")
    assert result["toegevoegd"] and result["tweede_beoordelaar"] == "t-1"
    besluit = next(e for e in audit_acties(key) if e.actie == "mutatie_instroom")
    assert (besluit.actor, besluit.details["tweede_beoordelaar"]) == ("b-1", "t-1")


def test_a_pending_vertrek_that_leaves_one_client_signals_groep_te_klein_at_once(db):
    key = toegekend("GROEP-8", copy.deepcopy(GROEP))
    instroom = {"client": NIEUW, "uren_per_week": meer_uren(begeleiding=45)}
    assert opvolging.mutatie_instroom(key, instroom, PER, "b-1")["toegevoegd"]
    vandaag = dt.date(2027, 6, 1)
    eerste = opvolging.mutatie_vertrek(key, "LINDE-022", dt.date(2027, 9, 30), vandaag, "ops-1")
    assert eerste["groep_herbeoordelen"] is False  # two stay: LINDE-014 and LINDE-050
    assert not berichten(key, "operations")
    # Both departures are still pending (their beschikkingen are active until September and
    # October), yet after 31 October only LINDE-050 is left: signal now, not then.
    tweede = opvolging.mutatie_vertrek(key, "LINDE-014", dt.date(2027, 10, 31), vandaag, "ops-1")
    assert tweede["groep_herbeoordelen"] is True
    assert {b.client_id for b in beschikkingen(key).values() if b.status == "actief"} == {
        "LINDE-014",
        "LINDE-022",
        "LINDE-050",
    }
    assert [n.onderwerp for n in berichten(key, "operations")] == [
        f"Zaak {key}: groep onder twee clienten"
    ]
    vlag = [b for b in zaak(key).toets["bevindingen"] if b["code"] == "GROEP_TE_KLEIN"]
    assert (
        len(vlag) == 1 and vlag[0]["ernst"] == "signaal" and "2027-10-31" in vlag[0]["toelichting"]
    )
    overzicht = zaak_overzicht(key, log_read=False)
    assert any("groep onder twee" in n["onderwerp"] for n in overzicht["notificaties"])
    assert "999990" not in json.dumps(vlag)  # pseudonymous: no BSN on the zaak's flag


def test_a_newcomer_after_the_departures_joins_the_remaining_client_and_answers_the_signal(db):
    medewerkers(t_1="teamleider")
    key = toegekend("GROEP-9", copy.deepcopy(GROEP))
    instroom = {"client": NIEUW, "uren_per_week": meer_uren(begeleiding=45)}
    assert opvolging.mutatie_instroom(key, instroom, PER, "b-1")["toegevoegd"]
    vandaag = dt.date(2027, 6, 1)
    opvolging.mutatie_vertrek(key, "LINDE-022", dt.date(2027, 9, 30), vandaag, "ops-1")
    assert opvolging.mutatie_vertrek(key, "LINDE-014", dt.date(2027, 10, 31), vandaag, "ops-1")[
        "groep_herbeoordelen"
    ]
    tweede = dict(NIEUW, client_id="LINDE-051", bsn="999990159")
    result = opvolging.mutatie_instroom(
        key, tweede, dt.date(2027, 11, 1), "b-1", tweede_beoordelaar="t-1", peildatum=vandaag
    )
    assert result["toegevoegd"] and result["start"] == "2027-11-01"
    # The group's toets from 1 November holds the clients still there, not the departed.
    assert [c["client_id"] for c in zaak(key).aanvraag["clienten"]] == ["LINDE-050", "LINDE-051"]
    assert result["groep_bedrag_per_jaar"] == round(
        result["bedrag_per_jaar"] + beschikkingen(key)["LINDE-050"].bedrag_per_jaar, 2
    )
    assert not [b for b in zaak(key).toets["bevindingen"] if b["code"] == "GROEP_TE_KLEIN"]
