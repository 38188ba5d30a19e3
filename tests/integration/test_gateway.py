"""The dashboard gateway (issue 14) on a real database, with a stand-in for the Prefect
server behind it: no request without identity reaches Prefect, the login signs the
decision, each role does only its own, and a view of a zaak is an audit event."""

from __future__ import annotations

import base64
import datetime as dt
import json

import httpx
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from models.db.store import migrate, registreer_aanbieder, session_scope
from models.db.tables import AuditEvent, Zaak

RUN = "11111111-2222-3333-4444-555555555555"
LOOS = "99999999-2222-3333-4444-555555555555"  # a run that is no zaak (an analysis)
RAPPORT = "aaaaaaaa-2222-3333-4444-555555555555"
LIFECYCLE = "bbbbbbbb-2222-3333-4444-555555555555"
SWEEP = "cccccccc-2222-3333-4444-555555555555"
ZAAK = "MZ-2026-000001"
WACHTWOORD = "lang-genoeg-wachtwoord"
INTERN = "intern-geheim"
SERVICE_TOKEN = "dienst-token-voor-de-test"


class NepPrefect:
    """Records what reached 'Prefect' and answers like it would."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/api/health":
            return httpx.Response(200, content=b"true")
        if path == "/ui-settings":
            return httpx.Response(200, json={"api_url": "http://x/api", "auth": "BASIC"})
        if path == "/api/artifacts/filter":
            return httpx.Response(200, json=[{"key": f"zaak-{ZAAK.lower()}", "flow_run_id": RUN}])
        if path.startswith("/api/deployments/") and request.method == "GET":
            naam = {RAPPORT: "rapport", SWEEP: "deadline-sweep"}.get(
                path.split("/")[3], "lifecycle"
            )
            return httpx.Response(200, json={"name": naam})
        if path == f"/api/flow_runs/{RUN}/input/suspended-beoordeling-1-schema":
            return httpx.Response(200, text=json.dumps({"title": "Beoordeling"}))
        if path.startswith("/api/flow_runs/") and request.method == "GET":
            # Suspended on the beoordeling's key, as the lifecycle run would be.
            keyset = {k: f"suspended-beoordeling-1-{k}" for k in ("schema", "response")}
            state = {
                "type": "PAUSED",
                "state_details": {"pause_key": "beoordeling-1", "run_input_keyset": keyset},
            }
            return httpx.Response(200, json={"id": RUN, "name": ZAAK, "state": state})
        return httpx.Response(200, json={"status": "ACCEPT"})

    def paden(self) -> list[str]:
        return [r.url.path for r in self.requests]


@pytest.fixture
def gateway(db_url, monkeypatch, tmp_path):
    from argon2 import PasswordHasher

    from deployments.cli_beheer import medewerker_registreer
    from deployments.gateway import create_app

    # A cheap Argon2 for the tests only: the real cost is the point in production.
    monkeypatch.setattr(
        "deployments.gateway_auth._HASHER", PasswordHasher(time_cost=1, memory_cost=1024)
    )
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEERZORG_SERVICE_TOKEN", SERVICE_TOKEN)
    # This database's service credential, checked afresh: not a login another module of
    # the same process checked against its own token (the flow tests' system).
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", f"meerzorg-service:{SERVICE_TOKEN}")
    monkeypatch.setattr("deployments.aanmelding._ingelogd", {})
    monkeypatch.setenv("MEERZORG_MEDEWERKER", "beheerder")
    migrate(db_url)
    for wie, rol in (
        ("bo-1", "beoordelaar"),
        ("bo-2", "beoordelaar"),
        ("cce-1", "cce"),
        ("an-1", "analist"),
        ("ops-1", "operations"),
    ):
        medewerker_registreer(wie, rol, WACHTWOORD)
    with session_scope() as session:
        registreer_aanbieder(session=session, agb="73730001", naam="De Linde", notify=[])
    with session_scope() as session:
        session.add(
            Zaak(
                key=ZAAK,
                agb="73730001",
                soort="nieuw",
                vorm="individueel",
                leveringsvorm="verblijf",
                status="beoordeling",
                wacht_op="beoordeling",
                ingediend_op=dt.date(2026, 11, 22),
                aanvraag={"clienten": [{"client_id": "LINDE-014"}]},
                flow_run_id=RUN,
            )
        )
    prefect = NepPrefect()
    app = create_app("http://prefect.intern", INTERN, httpx.MockTransport(prefect))
    return TestClient(app, follow_redirects=False), prefect


def login(client: TestClient, wie: str, wachtwoord: str = WACHTWOORD) -> httpx.Response:
    return client.post("/login", data={"id": wie, "wachtwoord": wachtwoord, "next": "/runs"})


def basic(auth: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}


def audit(actie: str) -> list[AuditEvent]:
    with session_scope() as session:
        return session.exec(select(AuditEvent).where(AuditEvent.actie == actie)).all()


def resume(client, run=RUN, **run_input):
    return client.post(f"/api/flow_runs/{run}/resume", json={"run_input": run_input})


def test_no_request_without_identity_reaches_prefect(gateway):
    client, prefect = gateway
    assert client.get("/api/flow_runs/" + RUN).status_code == 401
    assert client.post("/api/flow_runs/filter", json={}).status_code == 401
    ui = client.get("/runs")
    # The page asked for is kept through the login (gateway_login.naar_login).
    assert ui.status_code == 303 and ui.headers["location"] == "/login?next=/runs"
    assert client.get("/api/flow_runs/" + RUN, headers=basic("bo-1:fout")).status_code == 401
    assert prefect.requests == []


def test_health_stays_open_for_probes(gateway):
    client, prefect = gateway
    assert client.get("/api/health").content == b"true"
    assert prefect.paden() == ["/api/health"]


def test_a_wrong_password_is_refused_and_logged_without_the_password(gateway):
    client, _ = gateway
    r = login(client, "bo-1", "verkeerd-wachtwoord")
    assert r.status_code == 401 and "verkeerd wachtwoord" in r.text
    assert [e.actor for e in audit("inloggen_mislukt")] == ["bo-1"]
    assert "meerzorg_sessie" not in client.cookies


def test_failed_logins_slow_the_id_but_never_lock_its_owner_out(gateway, monkeypatch):
    monkeypatch.setattr("deployments.gateway_rem.BASIS", 0.05)
    client, _ = gateway
    for _ in range(6):
        login(client, "bo-1", "verkeerd-wachtwoord")
    # Five failures used to lock the id for a quarter: now the right password still opens.
    r = login(client, "bo-1")
    assert r.status_code == 303 and r.headers["location"] == "/runs"


def test_the_login_page_redirects_only_within_the_site(gateway):
    client, _ = gateway
    r = client.post(
        "/login", data={"id": "bo-1", "wachtwoord": WACHTWOORD, "next": "//evil.example"}
    )
    # Not the other site: the login's own page (no page was asked for), a beoordelaar's
    # werkbak (issue 27 point 5).
    assert r.status_code == 303 and r.headers["location"] == "/werkbak"


def test_a_login_opens_on_its_roles_own_view(gateway):
    client, _ = gateway
    # Issue 27 point 5: roles with tasks (deciding, and the CCE's ontwikkeltrajecten and
    # dialogen) open the werkbak; operations and the analist their view in Prefect.
    for wie, pad in (
        ("bo-1", "/werkbak"),
        ("cce-1", "/werkbak"),
        ("an-1", "/artifacts/key/werkvoorraad"),
        ("ops-1", "/runs?tag=signaal:verlopen&"),
    ):
        r = client.post("/login", data={"id": wie, "wachtwoord": WACHTWOORD})
        assert r.status_code == 303 and r.headers["location"].startswith(pad), wie
    r = client.post("/login", data={"id": "bo-1", "wachtwoord": WACHTWOORD, "next": "/runs"})
    assert r.headers["location"] == "/runs"  # a page asked for is kept


def test_prefect_receives_the_internal_credential_not_the_users(gateway):
    client, prefect = gateway
    login(client, "bo-1")
    assert client.post("/api/flow_runs/filter", json={}).status_code == 200
    sent = prefect.requests[-1]
    assert sent.headers["authorization"] == basic(INTERN)["Authorization"]
    assert "cookie" not in sent.headers


def test_a_cce_login_cannot_resume_a_beoordeling(gateway):
    client, prefect = gateway
    login(client, "cce-1")
    r = resume(client, uitkomst="toekennen", beoordelaar="bo-1")
    assert r.status_code == 403
    assert "CCE" in r.json()["detail"] and "R §10" in r.json()["detail"]
    assert not any(p.endswith("/resume") for p in prefect.paden())
    [event] = audit("hervatten_geweigerd")
    assert (event.actor, event.zaak, event.client_id) == ("cce-1", ZAAK, "LINDE-014")


def test_the_decision_is_signed_by_the_login_not_the_typed_id(gateway):
    client, prefect = gateway
    login(client, "bo-1")
    r = resume(client, uitkomst="afwijzen", onderbouwing="x", beoordelaar="bo-2")
    assert r.status_code == 200
    sent = json.loads(prefect.requests[-1].content)
    assert sent["run_input"]["beoordelaar"] == "bo-1"
    assert sent["run_input"]["uitkomst"] == "afwijzen"
    [event] = audit("hervat")
    assert event.actor == "bo-1" and event.details["getypt_overschreven"] is True


def test_an_empty_identity_field_is_filled_with_the_login(gateway):
    client, prefect = gateway
    login(client, "bo-2")
    resume(client, uitkomst="toekennen")
    assert json.loads(prefect.requests[-1].content)["run_input"]["beoordelaar"] == "bo-2"


def test_an_analyst_resumes_no_lifecycle_run(gateway):
    client, prefect = gateway
    login(client, "an-1")
    r = resume(client, uitkomst="toekennen")
    assert r.status_code == 403 and "analist" in r.json()["detail"]
    assert not any(p.endswith("/resume") for p in prefect.paden())


def test_an_analyst_starts_the_analyses_but_no_lifecycle(gateway):
    client, prefect = gateway
    login(client, "an-1")
    assert client.post(f"/api/deployments/{RAPPORT}/create_flow_run", json={}).status_code == 200
    r = client.post(f"/api/deployments/{LIFECYCLE}/create_flow_run", json={})
    assert r.status_code == 403 and "backfill, rapport, whatif" in r.json()["detail"]


@pytest.mark.parametrize("wie", ["bo-1", "cce-1", "an-1"])
def test_only_operations_cancels_or_deletes_runs(gateway, wie):
    client, prefect = gateway
    login(client, wie)
    cancel = {"state": {"type": "CANCELLING"}}
    r = client.post(f"/api/flow_runs/{RUN}/set_state", json=cancel)
    assert r.status_code == 403 and "operations" in r.json()["detail"]
    assert client.delete(f"/api/flow_runs/{RUN}").status_code == 403
    assert prefect.requests == []
    client.cookies.clear()
    login(client, "ops-1")
    assert client.post(f"/api/flow_runs/{RUN}/set_state", json=cancel).status_code == 200
    assert client.delete(f"/api/flow_runs/{RUN}").status_code == 200


def test_operations_takes_no_decision(gateway):
    client, _ = gateway
    login(client, "ops-1")
    assert resume(client, uitkomst="toekennen").status_code == 403


def test_the_cce_changes_no_case(gateway):
    client, _ = gateway
    login(client, "cce-1")
    r = client.patch(f"/api/flow_runs/{RUN}", json={"tags": ["x"]})
    assert r.status_code == 403 and "R §10" in r.json()["detail"]
    assert client.post("/api/flow_runs/filter", json={}).status_code == 200


def test_viewing_a_run_and_its_card_is_in_the_audit_trail_once_per_window(gateway):
    client, _ = gateway
    login(client, "cce-1")
    for _ in range(3):  # the UI polls an open run
        assert client.get(f"/api/flow_runs/{RUN}").status_code == 200
    client.post("/api/artifacts/filter", json={})
    [run] = audit("run_bekeken")
    [kaart] = audit("kaart_bekeken")
    assert (run.actor, run.zaak, run.client_id) == ("cce-1", ZAAK, "LINDE-014")
    assert (kaart.actor, kaart.zaak, kaart.client_id) == ("cce-1", ZAAK, "LINDE-014")


def test_the_service_credential_is_the_service_and_keeps_the_typed_id(gateway):
    client, prefect = gateway
    headers = basic(f"meerzorg-service:{SERVICE_TOKEN}")
    r = client.post(f"/api/flow_runs/{RUN}/resume", json={"run_input": {}}, headers=headers)
    assert r.status_code == 200
    assert json.loads(prefect.requests[-1].content)["run_input"] == {}
    assert client.delete(f"/api/flow_runs/{LOOS}", headers=headers).status_code == 200
    assert client.get("/api/flow_runs/x", headers=basic("meerzorg-service:fout")).status_code == 401


def test_a_medewerker_scripts_with_its_own_password_as_basic_auth(gateway):
    client, prefect = gateway
    r = client.post(
        f"/api/flow_runs/{RUN}/resume",
        json={"run_input": {"beoordelaar": "bo-2"}},
        headers=basic(f"bo-1:{WACHTWOORD}"),
    )
    assert r.status_code == 200
    assert json.loads(prefect.requests[-1].content)["run_input"]["beoordelaar"] == "bo-1"


def test_the_ui_does_not_show_prefects_own_password_prompt(gateway):
    client, _ = gateway
    login(client, "bo-1")
    assert client.get("/ui-settings").json()["auth"] is None


def test_a_deactivated_medewerker_cannot_log_in(gateway):
    from models.db.tables import Medewerker

    client, _ = gateway
    with session_scope() as session:
        m = session.get(Medewerker, "bo-1")
        m.actief = False
        session.add(m)
    assert login(client, "bo-1").status_code == 401


def test_the_proxy_header_counts_only_from_a_trusted_network(gateway, monkeypatch):
    from deployments.gateway_auth import Identiteiten

    monkeypatch.setenv("MEERZORG_AUTH_PROXY_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("MEERZORG_AUTH_TRUSTED_NETWORKS", "10.0.0.0/8")
    ids = Identiteiten()
    headers = {"x-forwarded-user": "bo-1"}
    assert ids.proxy(headers, "10.1.2.3").id == "bo-1"
    assert ids.proxy(headers, "192.168.1.5") is None
    assert ids.proxy({"x-forwarded-user": "onbekend"}, "10.1.2.3") is None


def test_registering_a_password_stores_only_a_hash(gateway):
    from deployments.cli_beheer import medewerker_registreer
    from deployments.errors import CliFout
    from models.db.tables import Medewerker

    with session_scope() as session:
        hash_ = session.get(Medewerker, "bo-1").wachtwoord_hash
    assert hash_.startswith("$argon2id$") and WACHTWOORD not in hash_
    with pytest.raises(CliFout, match="minstens 12"):
        medewerker_registreer("bo-3", "beoordelaar", "kort")
    with pytest.raises(CliFout, match="meerzorg-service"):
        medewerker_registreer("meerzorg-service", "operations", WACHTWOORD)


def test_a_browser_that_leaves_mid_request_is_answered_quietly(gateway):
    """The UI cancels its polls when a page changes: the gateway answers 499 and logs no
    traceback (the log guard fails a test on one)."""
    import asyncio

    client, prefect = gateway
    app = client.app
    auth = basic(f"meerzorg-service:{SERVICE_TOKEN}")["Authorization"].encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/flow_runs/filter",
        "raw_path": b"/api/flow_runs/filter",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"authorization", auth), (b"content-length", b"2")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4200),
    }
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 499
    assert not prefect.requests  # nothing went on to Prefect
