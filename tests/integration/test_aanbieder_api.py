"""The provider's API (issue 28) on a real database, in process: a key sees exactly its own
AGB's zaken (another's is a 404), a retried submission creates one zaak, the answer carries
the receipt and the toets's findings at once, every error is one readable problem, every
call is audited with the key's id, and keys are stored hashed and can be revoked."""

from __future__ import annotations

import json
import threading
from datetime import timedelta, timezone

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from models.db.aanbieder_sleutels import maak_sleutel, trek_in
from models.db.store import migrate, registreer_aanbieder, session_scope
from models.db.tables import AuditEvent, Zaak
from models.db.tables_aanbieder import AanbiederSleutel
from tests.factories import aanvraag_dict, correspondentie

A, B = "73730001", "73730002"
PAD = "/aanbieder/v1"


@pytest.fixture
def api(db_url, monkeypatch, tmp_path):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware

    from deployments.aanbieder_api import Doorgang

    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEERZORG_SERVICE_TOKEN", "dienst-token-voor-de-test")
    # No Prefect here: a run that cannot start is left to the reconcile (and says so).
    monkeypatch.setattr("deployments.aanbieder_acties.start_run", lambda key: None)
    monkeypatch.setattr("deployments.aanbieder_api_routes.start_run", lambda key: None)
    migrate(db_url)
    sleutels = {}
    with session_scope() as session:
        for agb, naam in ((A, "De Linde"), (B, "Het Anker")):
            registreer_aanbieder(session=session, agb=agb, naam=naam, notify=[])
    for agb in (A, B):
        with session_scope() as session:
            sleutels[agb] = maak_sleutel(session=session, agb=agb, door="beheerder")
    # Behind its Doorgang, as in the gateway (deployments/gateway.py).
    app = Starlette(middleware=[Middleware(Doorgang)])
    with TestClient(app) as client:
        client.sleutels = sleutels
        yield client


def hdr(client, agb: str, **extra) -> dict:
    return {"authorization": f"Bearer {client.sleutels[agb]['sleutel']}", **extra}


def dien_in(client, agb: str, **overrides) -> tuple[int, dict]:
    body = aanvraag_dict(zorgaanbieder={"agb": agb, "naam": "x"}, **overrides)
    r = client.post(f"{PAD}/aanvragen", content=json.dumps(body), headers=hdr(client, agb))
    return r.status_code, r.json()


def test_a_key_is_stored_hashed_and_shown_once(api):
    sleutel = api.sleutels[A]
    with session_scope() as session:
        rij = session.get(AanbiederSleutel, sleutel["sleutel_id"])
    assert rij.agb == A
    assert sleutel["sleutel"] not in json.dumps(rij.model_dump(mode="json"))
    assert len(rij.sleutel_hash) == 64


def test_without_a_key_or_with_a_revoked_one_nothing_is_answered(api):
    r = api.get(f"{PAD}/zaken")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "Bearer" in r.json()["detail"]
    with session_scope() as session:
        trek_in(session=session, sleutel_id=api.sleutels[B]["sleutel_id"], door="beheerder")
    r = api.get(f"{PAD}/zaken", headers=hdr(api, B))
    assert r.status_code == 401
    assert r.json()["detail"] == "deze sleutel is onbekend of ingetrokken"


def test_a_submission_answers_at_once_with_the_receipt_and_the_missing_vragenlijst(api):
    """Awb 4:3/4:13: the receipt and its beslistermijn; Awb 4:5: what is missing, before any
    assessor looks."""
    status, body = dien_in(
        api, A, vragenlijst={"huidige_situatie": "", "gewenste_situatie": "", "inzet": ""}
    )
    assert status == 201, body
    assert body["zaak"].startswith("MZ-")
    ontvangst = body["ontvangstbevestiging"]
    assert ontvangst["beslistermijn_einde"] > ontvangst["ontvangen_op"]
    assert body["volledig"] is False
    assert any("VRAGENLIJST" in b["code"] for b in body["bevindingen"]), body["bevindingen"]


def test_each_provider_sees_exactly_its_own_zaken(api):
    """Two providers, four zaken: each key lists and reads its own two; another's is a 404."""
    eigen = {A: [], B: []}
    for agb in (A, B, A, B):
        status, body = dien_in(api, agb)
        assert status == 201
        eigen[agb].append(body["zaak"])
    for agb, andere in ((A, B), (B, A)):
        lijst = api.get(f"{PAD}/zaken", headers=hdr(api, agb)).json()
        assert sorted(z["zaak"] for z in lijst["zaken"]) == sorted(eigen[agb])
        for key in eigen[agb]:
            assert api.get(f"{PAD}/zaken/{key}", headers=hdr(api, agb)).status_code == 200
        for key in eigen[andere]:
            r = api.get(f"{PAD}/zaken/{key}", headers=hdr(api, agb))
            assert r.status_code == 404, r.text
            r = api.post(f"{PAD}/zaken/{key}/bezwaarschriften", json={}, headers=hdr(api, agb))
            assert r.status_code == 404, r.text


def test_a_submission_for_another_agb_is_refused_and_writes_nothing(api):
    body = aanvraag_dict(zorgaanbieder={"agb": B, "naam": "x"})
    r = api.post(f"{PAD}/aanvragen", content=json.dumps(body), headers=hdr(api, A))
    assert r.status_code == 422
    assert r.json()["detail"] == f"de aanvraag noemt AGB {B}; deze sleutel hoort bij AGB {A}"
    with session_scope() as session:
        assert session.exec(select(Zaak)).all() == []


def test_a_budgethouders_aanvraag_without_provider_is_no_submission_for_a_providers_key(api):
    """Issue 25: without `zorgaanbieder` the budgethouder applies (DOMAIN.md §19), not the
    provider whose key this is: refused in one line, nothing written."""
    body = aanvraag_dict(client={"leveringsvorm": "pgb", "correspondentie": correspondentie()})
    del body["zorgaanbieder"]
    r = api.post(f"{PAD}/aanvragen", content=json.dumps(body), headers=hdr(api, A))
    assert r.status_code == 422
    assert (
        r.json()["detail"]
        == f"de aanvraag noemt geen zorgaanbieder; deze sleutel hoort bij AGB {A}"
    )
    with session_scope() as session:
        assert session.exec(select(Zaak)).all() == []


def test_a_retry_with_the_same_idempotency_key_creates_one_zaak(api):
    body = json.dumps(aanvraag_dict(zorgaanbieder={"agb": A, "naam": "x"}))
    h = hdr(api, A, **{"idempotency-key": "poging-1"})
    eerste = api.post(f"{PAD}/aanvragen", content=body, headers=h)
    tweede = api.post(f"{PAD}/aanvragen", content=body, headers=h)
    assert (eerste.status_code, tweede.status_code) == (201, 200)
    assert eerste.json()["zaak"] == tweede.json()["zaak"]
    ander = json.dumps(aanvraag_dict(zorgaanbieder={"agb": A, "naam": "y"}))
    r = api.post(f"{PAD}/aanvragen", content=ander, headers=h)
    assert r.status_code == 422 and "ander verzoek" in r.json()["detail"]
    # The same key at another provider is another provider's own retry key.
    body_b = json.dumps(aanvraag_dict(zorgaanbieder={"agb": B, "naam": "x"}))
    r = api.post(
        f"{PAD}/aanvragen", content=body_b, headers=hdr(api, B, **{"idempotency-key": "poging-1"})
    )
    assert r.status_code == 201 and r.json()["zaak"] != eerste.json()["zaak"]
    with session_scope() as session:
        assert len(session.exec(select(Zaak)).all()) == 2


def test_concurrent_retries_create_one_zaak(api):
    body = json.dumps(aanvraag_dict(zorgaanbieder={"agb": A, "naam": "x"}))
    h = hdr(api, A, **{"idempotency-key": "tegelijk"})
    uit: list = []

    def stuur():
        try:
            r = api.post(f"{PAD}/aanvragen", content=body, headers=h)
            uit.append((r.status_code, r.json().get("zaak")))
        except Exception as e:  # a server error in a thread must fail the test, not vanish
            uit.append((500, repr(e)))

    draden = [threading.Thread(target=stuur) for _ in range(6)]
    for t in draden:
        t.start()
    for t in draden:
        t.join()
    assert len(uit) == len(draden), uit
    zaken = {z for s, z in uit if s in (200, 201)}
    assert len(zaken) == 1, uit
    assert all(s in (200, 201, 409) for s, _ in uit), uit
    with session_scope() as session:
        assert len(session.exec(select(Zaak)).all()) == 1


def test_an_answer_to_a_wait_the_zaak_is_not_in_is_refused_with_its_reason(api):
    _, body = dien_in(api, A)
    key = body["zaak"]
    r = api.post(f"{PAD}/zaken/{key}/aanvulling", json={"doelen": ["x"]}, headers=hdr(api, A))
    assert r.status_code == 409
    assert r.json()["detail"].startswith(f"{key} wacht nu op")


def test_bad_input_is_one_readable_line(api):
    r = api.post(f"{PAD}/aanvragen", content=b"{niet json", headers=hdr(api, A))
    assert r.status_code == 422
    assert "\n" not in r.json()["detail"] and "JSON" in r.json()["detail"]
    r = api.get(f"{PAD}/zaken?limiet=0", headers=hdr(api, A))
    assert r.status_code == 422 and r.json()["detail"].startswith("limiet:")
    # A number is not a moment (pydantic alone would read it as seconds since 1970).
    r = api.get(f"{PAD}/zaken?gewijzigd_sinds=2.680633718003403e-295", headers=hdr(api, A))
    assert r.status_code == 422 and r.json()["detail"].startswith("gewijzigd_sinds: geef")
    r = api.get(f"{PAD}/zaken?gewijzigd_sinds=2026-12-01T09:00:00Z", headers=hdr(api, A))
    assert r.status_code == 200
    r = api.get(f"{PAD}/bestaat-niet", headers=hdr(api, A))
    assert r.status_code == 404 and r.json()["title"] == "Niet gevonden"


def test_every_call_is_audited_with_the_keys_id(api):
    _, body = dien_in(api, A)
    api.get(f"{PAD}/zaken/{body['zaak']}", headers=hdr(api, A))
    with session_scope() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.actie == "api_verzoek")).all()
    wie = f"aanbieder:{api.sleutels[A]['sleutel_id']}"
    assert [e.actor for e in events] == [wie, wie]
    assert events[1].zaak == body["zaak"] and events[1].details["status"] == 200


def test_the_document_is_openapi_3_1_with_a_readable_page(api):
    doc = api.get(f"{PAD}/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/aanvragen" in doc["paths"] and "Aanvraag" in doc["components"]["schemas"]
    pagina = api.get(f"{PAD}/")
    assert pagina.status_code == 200 and 'lang="nl"' in pagina.text
    assert f"{PAD}/zaken/{{key}}/aanvulling" in pagina.text


def test_a_webhook_receives_signed_events_with_ids_only(api):
    """Each change reaches the subscribed URL as ids and codes, signed with the subscription's
    secret over time and body: the receiver's check holds, and fails on a changed body."""
    from deployments.sink import Sink
    from tasks import zaak as zaak_ops
    from tasks.webhooks import klopt, verzend_webhooks

    sink = Sink().start()
    try:
        r = api.post(
            f"{PAD}/abonnementen",
            json={"url": f"http://127.0.0.1:{sink.port}/hook"},
            headers=hdr(api, A),
        )
        assert r.status_code == 201, r.text
        geheim = r.json()["geheim"]
        _, body = dien_in(api, A)
        key = body["zaak"]
        zaak_ops.voer_actie_uit(key, vandaag())  # the toets: the zaak moves to a wait
        assert verzend_webhooks()["verzonden"] == 2
        ontvangen = [m for m in sink.received if m.get("handtekening")]
        gebeurtenissen = [json.loads(m["ruw"]) for m in ontvangen]
        assert [g["gebeurtenis"] for g in gebeurtenissen] == ["zaak.ingediend", "zaak.gewijzigd"]
        assert {g["zaak"] for g in gebeurtenissen} == {key}
        assert gebeurtenissen[1]["status"] == zaak(key).status
        for m in ontvangen:
            assert klopt(geheim, m["handtekening"], m["ruw"].encode())
            assert not klopt(
                geheim, m["handtekening"], m["ruw"].replace(key, "MZ-0000-000000").encode()
            )
            assert not klopt("ander-geheim", m["handtekening"], m["ruw"].encode())
        # Ids and codes only: no BSN, no name, no free text of the aanvraag.
        aanvraag = aanvraag_dict(zorgaanbieder={"agb": A, "naam": "x"})
        for m in ontvangen:
            assert aanvraag["clienten"][0]["bsn"] not in m["ruw"]
        assert verzend_webhooks()["verzonden"] == 0  # each event once
        # Another provider's events do not reach this subscription.
        dien_in(api, B)
        assert verzend_webhooks()["verzonden"] == 0
    finally:
        sink.stop()


def zaak(key: str) -> Zaak:
    with session_scope() as session:
        return session.get(Zaak, key)


def vandaag():
    from models.dates import vandaag as v

    return v()


def test_a_key_that_sends_too_fast_gets_429_and_another_key_does_not(api, monkeypatch):
    """The rate limit is per key (aanname: MEERZORG_AANBIEDER_API_PER_SECONDE, bursts of four
    seconds' worth): one provider flooding the API does not slow another down."""
    monkeypatch.setenv("MEERZORG_AANBIEDER_API_PER_SECONDE", "1")
    codes = [api.get(f"{PAD}/zaken", headers=hdr(api, A)).status_code for _ in range(8)]
    assert codes.count(200) in (4, 5) and codes[-1] == 429, codes
    r = api.get(f"{PAD}/zaken", headers=hdr(api, A))
    assert r.status_code == 429 and r.json()["title"] == "Te veel verzoeken"
    assert api.get(f"{PAD}/zaken", headers=hdr(api, B)).status_code == 200


def test_the_meerzorgplan_and_the_evaluatie_are_refused_while_nothing_waits_for_them(api):
    r = api.post(
        f"{PAD}/dialogen/2027/meerzorgplan", json={"document": "plan-2027"}, headers=hdr(api, A)
    )
    assert r.status_code == 404 and "dialoog-73730001-2027" in r.json()["detail"]
    _, body = dien_in(api, A)
    r = api.post(
        f"{PAD}/zaken/{body['zaak']}/evaluatie",
        json={"doelen_behaald": "deels"},
        headers=hdr(api, A),
    )
    assert r.status_code == 409 and "niet op evaluatie" in r.json()["detail"]


def test_the_answer_never_names_meerzorg_at_another_provider(api):
    """Privacy: the overlap check reads every provider's beschikkingen; a submission's answer
    gives only what is missing (Awb 4:5), never another zaak's key or dates."""
    import datetime as dt

    from models.db.tables import Beschikking

    status, eerste = dien_in(api, A)
    assert status == 201
    with session_scope() as session:
        client_id = session.get(Zaak, eerste["zaak"]).aanvraag["clienten"][0]["client_id"]
        session.add(
            Beschikking(
                zaak=eerste["zaak"], client_id=client_id, start=dt.date(2026, 1, 1),
                eind=dt.date(2028, 12, 31), bedrag_per_jaar=1000.0, uitkomst_rekentool="profiel",
                beleidsversie="2026.1", besluitdatum=dt.date(2026, 1, 1),
            )
        )  # fmt: skip
    status, tweede = dien_in(api, B)  # the same client (BSN) at provider B
    assert status == 201
    tekst = json.dumps(tweede)
    assert eerste["zaak"] not in tekst and "2028-12-31" not in tekst
    assert all(b["code"] != "OVERLAP_MEERZORG" for b in tweede["bevindingen"])
    assert "advies" not in tweede


def test_gewijzigd_sinds_is_compared_in_utc_whatever_the_offset(api):
    dien_in(api, A)
    nu = dt_nu()
    r = api.get(f"{PAD}/zaken", params={"gewijzigd_sinds": (nu - timedelta(minutes=5)).astimezone(timezone(timedelta(hours=2))).isoformat()}, headers=hdr(api, A))  # fmt: skip
    assert len(r.json()["zaken"]) == 1, r.text
    r = api.get(f"{PAD}/zaken", params={"gewijzigd_sinds": (nu + timedelta(minutes=5)).astimezone(timezone(timedelta(hours=2))).isoformat()}, headers=hdr(api, A))  # fmt: skip
    assert r.json()["zaken"] == [], r.text


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook",
     "https://169.254.169.254/latest", "https://localhost/hook", "ftp://example.org/x"],
)  # fmt: skip
def test_a_webhook_cannot_point_into_the_zorgkantoors_own_network(api, monkeypatch, url):
    """SSRF: only https to a public address (loopback over http only for demo and tests)."""
    monkeypatch.setenv("MEERZORG_AANBIEDER_WEBHOOK_LOKAAL", "0")
    r = api.post(f"{PAD}/abonnementen", json={"url": url}, headers=hdr(api, A))
    assert r.status_code == 422, r.text
    assert r.json()["title"] in ("Onveilige webhook", "Ongeldig verzoek")


def dt_nu():
    import datetime as dt

    return dt.datetime.now(dt.UTC)
