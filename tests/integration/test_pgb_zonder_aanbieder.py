"""A pgb aanvraag by its budgethouder, without a provider (issue 25; Wlz pgb, `aanname` where
the seeds are silent: DOMAIN.md §19), on a real database (SQLite, and PostgreSQL when
configured) with the real HTTP sink as the budgethouder's channel: the herstel request
(Awb 4:5) reaches the budgethouder as a letter, and so does the besluit, addressed to it as
applicant, once (Awb 3:41); nothing is queued for a provider."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from deployments.sink import Sink
from models.aanvraag import parse_aanvraag
from models.db.brieven import brieven_van_zaak
from models.db.dialogen_lezen import actieve_aanbieders
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import Besluit, Client, Notificatie, Zorgaanbieder
from models.rapportage import spiegelinformatie
from tasks import notify, werkvoorraad
from tasks import zaak as ops
from tasks.analyse import laad_feiten
from tests.factories import toekennen

VOORBEELD = Path(__file__).resolve().parents[2] / "examples" / "aanvraag-pgb-budgethouder.json"
DAG = dt.date(2027, 1, 4)  # a Monday, after today: the outbox delivers at a moment after its rows


@pytest.fixture
def sink():
    s = Sink().start()
    yield s
    s.stop()


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
    return db_url


def aanvraag(sink: Sink) -> dict:
    data = json.loads(VOORBEELD.read_text())
    data["clienten"][0]["correspondentie"]["kanaal"] = sink.url + "budgethouder"
    return data


def zaak(key: str):
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def bezorg(op: dt.date) -> dict:
    return notify.deliver_pending(now=dt.datetime.combine(op, dt.time(9, 0), tzinfo=dt.UTC))


def tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def ontvangen_pdfs(sink: Sink) -> list[str]:
    return [
        tekst(sink.bestanden[b["sha256"]])
        for r in sink.received
        if r["path"] == "/budgethouder"
        for b in r["bijlagen"]
    ]


def test_wlz_pgb_a_budgethouder_applies_gets_the_herstel_request_and_the_besluit_as_applicant(
    db, sink
):
    volledig = aanvraag(sink)
    onvolledig = copy.deepcopy(volledig)
    onvolledig["vragenlijst"]["inzet"] = ""
    key, nieuw = ops.registreer(parse_aanvraag(onvolledig), DAG, provider_referentie="PGB-1")
    assert nieuw and zaak(key).agb is None
    with session_scope() as session:
        # No provider row is made up; the client has its own row without provider.
        assert session.exec(select(Zorgaanbieder)).all() == []
        assert session.exec(select(Client.agb).where(Client.client_id == "PGB-101")).all() == [None]

    # Awb 4:5: the aanvraag is incomplete; the request to complete it goes to the budgethouder.
    ops.voer_actie_uit(key, DAG)
    assert zaak(key).status == "herstel"
    assert bezorg(DAG)["dood"] == 0
    [herstel] = ontvangen_pdfs(sink)
    assert "Vul de aanvraag uiterlijk" in herstel and "inzet" in herstel
    assert "J. de Vries" in herstel and "999990172" not in herstel

    # Completed: the acknowledgement is a letter too, then the beoordelaar decides.
    antwoord = ops.verwerk_invoer(key, zaak(key).wacht_key, {"aanvraag": volledig}, DAG)
    assert antwoord == "toegepast" and zaak(key).status == "beoordeling"
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, toekennen("b-1"), DAG) == "toegepast"
    assert bezorg(DAG)["dood"] == 0

    with session_scope() as session:
        brieven = brieven_van_zaak(session=session, zaak=key)
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        kanalen = set(session.exec(select(Notificatie.kanaal).where(Notificatie.zaak == key)).all())
    # One person, one letter per step: herstel, ontvangen, the besluit (Awb 3:41).
    assert [(tuple(b.rollen), b.besluit_id is not None) for b in brieven] == [
        (("client", "budgethouder"), False),
        (("client", "budgethouder"), False),
        (("client", "budgethouder"), True),
    ]
    assert all(b.status == "bekendgemaakt" for b in brieven)
    assert "aanbieder" not in kanalen  # no webhook to a provider (there is none)
    besluit_pdf = tekst(brieven[-1].pdf)
    assert "U ontvangt dit besluit als aanvrager" in besluit_pdf
    assert "client PGB-101 meerzorg toe" in besluit_pdf and "zes weken" in besluit_pdf
    assert besluit.bekendgemaakt_op == DAG and besluit.uiterlijke_reactiedatum is not None
    assert len(ontvangen_pdfs(sink)) == 3

    # Provider-level parts (aanname, DOMAIN.md §19): no meerzorgdialoog for it; the report's
    # spiegelinformatie groups it as "pgb zonder aanbieder".
    with session_scope() as session:
        assert actieve_aanbieders(session=session) == []
        feiten = laad_feiten(session)
    assert [f.agb for f in feiten] == [""]
    [rij] = spiegelinformatie(DAG.year, feiten)
    assert rij["agb"] == "pgb zonder aanbieder" and rij["clienten"] == 1


def test_meerzorg_zaak_shows_agb_null_and_the_card_names_the_group(db, sink, monkeypatch):
    from deployments import operations
    from models.db.kaart import zaakkaart

    monkeypatch.setenv("MEERZORG_AUTH", "uit")
    monkeypatch.setenv("MEERZORG_MEDEWERKER", "b-1")
    key, _ = ops.registreer(parse_aanvraag(aanvraag(sink)), DAG, provider_referentie="PGB-2")
    ops.voer_actie_uit(key, DAG)
    uit = operations.zaak_overzicht(key, log_read=False, peildatum=DAG)
    assert uit["agb"] is None and json.loads(json.dumps(uit, default=str))["agb"] is None
    with session_scope() as session:
        kaart = zaakkaart(session, lees_zaak(session=session, key=key), DAG)
    assert "| Zorgaanbieder (AGB) | pgb zonder aanbieder," in kaart
    [rij] = [r for r in werkvoorraad.lees(DAG) if r.zaak == key]
    assert rij.agb == "pgb zonder aanbieder" and rij.wacht_op == "beoordeling"


def test_aanname_a_provider_aanvraag_still_writes_to_the_provider_not_the_budgethouder(db, sink):
    data = aanvraag(sink)
    data["zorgaanbieder"] = {"agb": "73730009", "naam": "Zorg Thuis"}
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="PGB-3")
    ops.voer_actie_uit(key, DAG)
    with session_scope() as session:
        kanalen = [
            n.kanaal for n in session.exec(select(Notificatie).where(Notificatie.zaak == key))
        ]
        brieven = brieven_van_zaak(session=session, zaak=key)
    assert zaak(key).agb == "73730009" and kanalen == ["aanbieder"] and brieven == []


def test_awb_3_41_meerzorg_besluit_document_gives_the_budgethouders_letter_by_default(
    db, sink, tmp_path, capsys, monkeypatch
):
    """Without a provider the applicant's letter is the budgethouder's (DOMAIN.md §19)."""
    from deployments.cli import main

    monkeypatch.setenv("MEERZORG_AUTH", "uit")
    monkeypatch.setenv("MEERZORG_MEDEWERKER", "b-1")
    key, _ = ops.registreer(parse_aanvraag(aanvraag(sink)), DAG, provider_referentie="PGB-4")
    ops.voer_actie_uit(key, DAG)
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, toekennen("b-1"), DAG) == "toegepast"
    with session_scope() as session:
        besluit_id = session.exec(select(Besluit.id).where(Besluit.zaak == key)).one()
    uit = tmp_path / "brief.pdf"
    assert main(["besluit", "document", str(besluit_id), "--uitvoer", str(uit)]) == 0
    antwoord = json.loads(capsys.readouterr().out)
    assert antwoord["rollen"] == ["client", "budgethouder"] and antwoord["kanaal"] == "digitaal"
    assert "U ontvangt dit besluit als aanvrager" in tekst(uit.read_bytes())
    code = main(
        ["besluit", "document", str(besluit_id), "--uitvoer", str(uit), "--rol", "zorgaanbieder"]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.strip().endswith(
        f"besluit {besluit_id} has no letter to the zorgaanbieder"
    )


def test_wlz_pgb_two_budgethouders_clients_with_one_client_id_stay_two_persons(db, sink):
    """Without a provider the client id is no one's key (issue 25): two budgethouders'
    aanvragen for `PGB-101` with different BSNs keep two client rows, each with its own BSN
    and persoon; the first person's beschikking is hers alone in the overlap check (R §5),
    her meerzorg_sinds and her CCE history (R §10)."""
    from models.db.overlap_lezen import meerzorg_elders
    from models.db.persoon import historie_elders, sleutel
    from models.db.tables_persoon import ClientPersoon, Persoon
    from models.db.zaakbeeld import spiegel_van
    from models.persoon import pseudoniem
    from tasks.opvolging import cce_per_zaak

    eerste, tweede = "999990172", "999990019"
    key_a, _ = ops.registreer(parse_aanvraag(aanvraag(sink)), DAG, provider_referentie="PGB-5")
    ops.voer_actie_uit(key_a, DAG)
    assert ops.verwerk_invoer(key_a, zaak(key_a).wacht_key, toekennen("b-1"), DAG) == "toegepast"
    data = aanvraag(sink)
    data["clienten"][0]["bsn"] = tweede
    data["clienten"][0]["correspondentie"]["naam"] = "K. Jansen"
    key_b, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="PGB-6")
    ops.voer_actie_uit(key_b, DAG)

    with session_scope() as session:
        rijen = session.exec(
            select(Client, Persoon.sleutel)
            .join(ClientPersoon, ClientPersoon.client_id == Client.id)
            .join(Persoon, Persoon.id == ClientPersoon.persoon_id)
            .where(Client.client_id == "PGB-101")
        ).all()
        per_bsn = {c.bsn: (c.agb, c.meerzorg_sinds, p) for c, p in rijen}
        geheim = sleutel()
        assert len(rijen) == 2 and set(per_bsn) == {eerste, tweede}
        assert per_bsn[eerste][0] is None and per_bsn[tweede][0] is None
        assert per_bsn[eerste][2] == pseudoniem(eerste, geheim)
        assert per_bsn[tweede][2] == pseudoniem(tweede, geheim)
        # Her beschikking started her meerzorg, not the other person's.
        assert per_bsn[eerste][1] is not None and per_bsn[tweede][1] is None
        # The overlap check of the second zaak: the first person's beschikking is not his.
        assert meerzorg_elders(session=session, zaak=key_b, bsns=[tweede]) == {tweede: ()}
        [elders] = meerzorg_elders(session=session, zaak=key_b, bsns=[eerste])[eerste]
        assert elders.zaak == key_a
        # CCE history by persoon: each finds only her own row, nothing elsewhere.
        sleutels = [(None, "PGB-101", eerste), (None, "PGB-101", tweede)]
        assert historie_elders(session=session, clienten=sleutels) == {s: [] for s in sleutels}
        [cce] = cce_per_zaak(session, [lees_zaak(session=session, key=key_a)], DAG)[key_a]
        assert cce["client_id"] == "PGB-101"
        # The spiegel of the second zaak counts the first person's beschikking once.
        assert spiegel_van(session, lees_zaak(session=session, key=key_b))["aantal"] == 1
