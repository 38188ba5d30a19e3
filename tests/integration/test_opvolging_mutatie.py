"""Group mutations on a real database (R §8, §10; issue 12 item 6): a vertrek ends a
beschikking and a group below two is reassessed at once; an instroom is a decision by a
beoordelaar on the group's toets with the newcomer, with four eyes where the policy asks.
Each is a besluit of its own (issue 25): a Besluit row in its own ronde, the zaak's last, with
a letter to that client's parties and the provider whose bekendmaking starts the term."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from sqlmodel import select

from deployments.operations import zaak_overzicht
from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.db.brieven import brieven_van
from models.db.store import migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Beschikking, Besluit, Client, Notificatie, Zaak
from models.db.zaak_lezen import laatste_besluit
from models.planner import bezwaartermijn_einde
from models.toets import toets
from tasks import bezwaar as bezwaar_ops
from tasks import opvolging
from tests.factories import correspondentie, vertegenwoordiger
from tests.integration.bekendmaking import maak_bekend
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
        "besluit": result["besluit"],  # the vertrek is a besluit of its own (issue 25)
    }
    assert result["besluit"] == laatste(key).id
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


def laatste(key: str) -> Besluit:
    with session_scope() as session:
        return laatste_besluit(session=session, zaak=key)


def besluiten(key: str) -> list[Besluit]:
    with session_scope() as session:
        return session.exec(select(Besluit).where(Besluit.zaak == key).order_by(Besluit.id)).all()


def niets_veranderd(key: str, voor: Zaak) -> None:
    """A refused instroom writes nothing: no beschikking, no client, no decision audited,
    no besluit (the toekenning's only)."""
    assert set(beschikkingen(key)) == {"LINDE-014", "LINDE-022"}
    assert [b.soort for b in besluiten(key)] == ["toekenning"]
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


# --- each mutation is a besluit with its own letter (issue 25) -----------------------------


def tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def brieven(besluit_id: int) -> dict[tuple, object]:
    with session_scope() as session:
        return {
            (tuple(b.rollen), b.client_id): b
            for b in brieven_van(session=session, besluit_id=besluit_id)
        }


def aanbieder_bericht(key: str, sjabloon_onderwerp: str) -> Notificatie:
    return next(n for n in berichten(key, "aanbieder") if sjabloon_onderwerp in n.onderwerp)


def test_a_vertrek_is_a_besluit_with_its_own_letter(db):
    """R §8, Awb 3:41, 3:45: the departing client's own beschikking ends by a besluit to that
    client's parties (here the client and a vertegenwoordiger by post) and the provider, the
    other clients' parties get none; its term runs from the bekendmaking (Awb 6:8)."""
    data = copy.deepcopy(GROEP)
    data["clienten"][1]["correspondentie"] = correspondentie(
        "json://localhost:8099/client/LINDE-022", naam="B. Smit"
    )
    data["clienten"][1]["vertegenwoordiger"] = vertegenwoordiger("mentor")
    key = toegekend("GROEP-10", data)
    toekenning = laatste(key)
    vandaag = dt.date(2027, 6, 1)
    result = opvolging.mutatie_vertrek(key, "LINDE-022", dt.date(2027, 6, 30), vandaag, "ops-1")

    besluit = laatste(key)  # the zaak's last besluit: a bezwaar goes against it by default
    assert result["besluit"] == besluit.id != toekenning.id
    assert (besluit.soort, besluit.uitkomst, besluit.rechtsmiddel) == (
        "beeindiging",
        "vertrek",
        "bezwaar",
    )
    assert besluit.ronde == toekenning.ronde + 1 == zaak(key).ronde  # a ronde of its own
    assert (besluit.datum, besluit.beoordelaar) == (vandaag, "ops-1")
    start = beschikkingen(key)["LINDE-022"].start
    assert (besluit.ingangsdatum, besluit.vervaldatum) == (start, dt.date(2027, 6, 30))
    assert besluit.bekendgemaakt_op is None and besluit.uiterlijke_reactiedatum is None

    per_adres = brieven(besluit.id)
    assert set(per_adres) == {
        (("zorgaanbieder",), None),
        (("client",), "LINDE-022"),
        (("vertegenwoordiger",), "LINDE-022"),
    }  # not LINDE-014's party, who has a correspondentie too
    dictum = "De meerzorg voor cliënt LINDE-022 eindigt per 30 juni 2027 (vertrek uit de groep)."
    for brief in per_adres.values():
        inhoud = tekst(brief.pdf)
        assert dictum in inhoud and "bezwaar" in inhoud and "zes weken" in inhoud
        assert "R §8" in inhoud and "herbeoordeelt" in inhoud  # the group left with one
        assert "999990" not in inhoud  # no BSN in the letter
    client = tekst(per_adres[(("client",), "LINDE-022")].pdf)
    assert "B. Smit" in client and "LINDE-014" not in client
    assert "Voorbeeldstraat 12" in tekst(per_adres[(("vertegenwoordiger",), "LINDE-022")].pdf)
    # The provider's message is the one that carries the provider's letter.
    bericht = aanbieder_bericht(key, "vertrekt")
    assert bericht.brief_id == per_adres[(("zorgaanbieder",), None)].id
    assert "bijlage" in bericht.tekst and "bezwaar" in bericht.tekst

    dag = dt.date(2027, 6, 2)  # a Wednesday: six weeks later is a Wednesday too
    assert maak_bekend(key, dag) >= 3
    with session_scope() as session:
        besluit = session.get(Besluit, besluit.id)
        eigen = brieven_van(session=session, besluit_id=besluit.id)
    einde = dag + dt.timedelta(weeks=6)
    assert einde == bezwaartermijn_einde(dag, beleid_op(vandaag))
    assert {b.uiterlijke_reactiedatum for b in eigen} == {einde}
    assert (besluit.bekendgemaakt_op, besluit.uiterlijke_reactiedatum) == (dag, einde)
    # Later than a term counted from the original group besluit (where the bezwaar went).
    assert einde > bezwaartermijn_einde(toekenning.datum, beleid_op(toekenning.datum))
    # The client's bezwaar goes against the vertrek, by default, and is in time: the group
    # besluit's term ended long ago, the vertrek's runs from its own letter (Awb 6:7, 6:8).
    ontvangen = einde - dt.timedelta(days=1)
    uit = bezwaar_ops.registreer_bezwaar(
        key,
        {"ontvangen": ontvangen, "gronden": "Ik woon er nog.", "indiener": "client"},
        ontvangen,
        "b-1",
    )
    assert uit["bezwaar"]["besluit_id"] == besluit.id
    assert [(i["indiener"], i["client_id"], i["tijdig"]) for i in uit["bezwaar"]["indieners"]] == [
        ("client", "LINDE-022", True)
    ]


def test_an_instroom_is_a_toekenning_with_its_own_letter_to_the_newcomer(db):
    """The newcomer's own beschikking (R §8) is a besluit, written once when both pairs of
    eyes have decided; its letter reaches the newcomer's party (by post here) and the
    provider, not the other clients' parties; its term runs from the bekendmaking."""
    medewerkers(t_1="teamleider")
    key = toegekend("GROEP-11", copy.deepcopy(GROEP))
    toekenning = laatste(key)
    nieuw = dict(NIEUW, correspondentie=correspondentie("post", naam="C. Nieuw"))
    instroom = {"client": nieuw, "uren_per_week": meer_uren(begeleiding=100)}  # maatwerk
    with pytest.raises(opvolging.Geweigerd, match="vier ogen"):
        opvolging.mutatie_instroom(key, instroom, PER, "b-1")
    assert [b.id for b in besluiten(key)] == [toekenning.id]  # not at the first pair of eyes
    result = opvolging.mutatie_instroom(key, instroom, PER, "b-1", tweede_beoordelaar="t-1")
    assert result["toegevoegd"]

    besluit = laatste(key)
    assert result["besluit"] == besluit.id and len(besluiten(key)) == 2
    assert (besluit.soort, besluit.uitkomst, besluit.rechtsmiddel) == (
        "instroom",
        "instroom",
        "bezwaar",
    )
    assert (besluit.beoordelaar, besluit.tweede_beoordelaar) == ("b-1", "t-1")
    assert besluit.ronde == toekenning.ronde + 1 == zaak(key).ronde
    assert (besluit.ingangsdatum, besluit.vervaldatum, besluit.bedrag_per_jaar) == (
        dt.date.fromisoformat(result["start"]),
        dt.date.fromisoformat(result["eind"]),
        result["bedrag_per_jaar"],
    )

    per_adres = brieven(besluit.id)
    assert set(per_adres) == {(("zorgaanbieder",), None), (("client",), "LINDE-050")}
    brief = per_adres[(("client",), "LINDE-050")]
    assert (brief.kanaal, brief.naam) == ("post", "C. Nieuw")
    inhoud = tekst(brief.pdf)
    bedrag = f"{result['bedrag_per_jaar']:,.2f}".replace(",", "_").replace(".", ",")
    bedrag = bedrag.replace("_", ".")
    assert "kent cliënt LINDE-050 bij instroom in de groep meerzorg toe" in inhoud
    assert "1 mei 2027" in inhoud and f"{bedrag} per jaar" in inhoud
    assert "vier ogen" in inhoud and "R §6" in inhoud and "bezwaar" in inhoud
    assert "Voorbeeldstraat 12" in inhoud and "LINDE-014" not in inhoud
    assert "999990" not in inhoud
    bericht = aanbieder_bericht(key, "ingestroomd")
    assert bericht.brief_id == per_adres[(("zorgaanbieder",), None)].id
    assert f"{result['bedrag_per_jaar']:.2f} euro per jaar" in bericht.tekst

    dag = dt.date(2027, 5, 3)  # a Monday: six weeks later is a Monday too
    maak_bekend(key, dag)
    with session_scope() as session:
        besluit = session.get(Besluit, besluit.id)
        eigen = brieven_van(session=session, besluit_id=besluit.id)
    einde = dag + dt.timedelta(weeks=6)
    assert einde == bezwaartermijn_einde(dag, beleid_op(PER))
    assert {b.uiterlijke_reactiedatum for b in eigen} == {einde}
    assert (besluit.bekendgemaakt_op, besluit.uiterlijke_reactiedatum) == (dag, einde)


def test_every_mutation_takes_a_ronde_of_its_own_and_is_the_zaaks_last_besluit(db):
    """Besluit is unique per zaak and ronde: an instroom and two departures on one zaak are
    three besluiten, each the last when taken (the bezwaar rules take the last)."""
    key = toegekend("GROEP-12", copy.deepcopy(GROEP))
    instroom = {"client": NIEUW, "uren_per_week": meer_uren(begeleiding=45)}
    ids = [opvolging.mutatie_instroom(key, instroom, PER, "b-1")["besluit"]]
    vandaag = dt.date(2027, 6, 1)
    for client, per in (("LINDE-022", dt.date(2027, 9, 30)), ("LINDE-014", dt.date(2027, 10, 31))):
        ids.append(opvolging.mutatie_vertrek(key, client, per, vandaag, "ops-1")["besluit"])
        assert laatste(key).id == ids[-1]
    alle = besluiten(key)
    assert [b.soort for b in alle] == ["toekenning", "instroom", "beeindiging", "beeindiging"]
    assert [b.id for b in alle[1:]] == ids
    rondes = [b.ronde for b in alle]
    assert rondes == list(range(rondes[0], rondes[0] + 4)) and zaak(key).ronde == rondes[-1]
