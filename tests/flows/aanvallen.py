"""Shared helpers of the gateway's attack tests (issue 23: test_gateway_aanvallen*.py): staff
logins on the session's real system, requests sent exactly as written (a raw request line,
so no client normalises `/../` away), the service's read-back, zaken of our own provider,
and the audit trail since a moment.

Safety on a gateway that still lets an attack through: a start of a run is first asked held
back until 2030 (nothing runs; the run is deleted at once) and only when that is refused
sent exactly as the attacker would (`start`), so a failing test does not end other tests'
beschikkingen in the shared system. Every other write an attack could make is undone by
its test (`finally`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.flows.conftest import pause_key_or_none, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WACHTWOORD = "aanval-wachtwoord-van-de-staf"
PEILDATUM = dt.date(2026, 11, 22)
# A start held back: a run scheduled far ahead, which no runner picks up.
LATER = {
    "type": "SCHEDULED",
    "name": "Scheduled",
    "state_details": {"scheduled_time": "2030-01-01T00:00:00+00:00"},
}


def registreer(medewerkers: dict[str, str]) -> None:
    from deployments.cli_beheer import medewerker_registreer

    for wie, rol in medewerkers.items():
        medewerker_registreer(wie, rol, WACHTWOORD)


def basic(auth: str) -> dict[str, str]:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}


class Sessies:
    """One browser session per login (the gateway's login page), opened on first use."""

    def __init__(self, system) -> None:
        self.system = system
        self._clients: dict[str, httpx.Client] = {}

    def __call__(self, wie: str) -> httpx.Client:
        if wie not in self._clients:
            client = httpx.Client(base_url=self.system.ui_url, follow_redirects=False, timeout=60)
            r = client.post("/login", data={"id": wie, "wachtwoord": WACHTWOORD})
            assert r.status_code == 303, (wie, r.status_code, r.text)
            self._clients[wie] = client
        return self._clients[wie]

    def cookie(self, wie: str) -> str:
        return self(wie).cookies.get("meerzorg_sessie")

    def sluit(self) -> None:
        for client in self._clients.values():
            client.close()


def dienst(system) -> httpx.Client:
    """The service identity, through the gateway: the read-back of every test."""
    return httpx.Client(base_url=system.api_url, headers=system.auth_headers(), timeout=60)


def op_de_lijn(r: httpx.Response, pad: str) -> httpx.Response:
    """The request went out with exactly this path (httpx keeps ids as written)."""
    assert r.request.url.raw_path.decode().split("?")[0] == pad, r.request.url.raw_path
    return r


class _Opname(http.client.HTTPConnection):
    """A connection that keeps the bytes it sent: proof of the request line on the wire."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verzonden = b""

    def send(self, data) -> None:
        if isinstance(data, (bytes, bytearray)):
            self.verzonden += bytes(data)
        super().send(data)


def rauw(
    system, sessies: Sessies, wie: str, methode: str, pad: str, body=None
) -> tuple[int, bytes]:
    """A request with the path exactly as written (http.client normalises nothing), as the
    login `wie` (its session cookie). Returns (status, body)."""
    conn = _Opname("127.0.0.1", system.port, timeout=60)
    headers = {"Cookie": f"meerzorg_sessie={sessies.cookie(wie)}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(methode, pad, body=data, headers=headers)
        resp = conn.getresponse()
        inhoud = resp.read()
    finally:
        conn.close()
    regel = f"{methode} {pad} HTTP/1.1\r\n".encode()
    assert conn.verzonden.startswith(regel), conn.verzonden[:200]
    return resp.status, inhoud


def zonder_streepjes(run_id: str) -> str:
    return uuid.UUID(str(run_id)).hex


def hoofdletters(run_id: str) -> str:
    return str(uuid.UUID(str(run_id))).upper()


# --- zaken ---------------------------------------------------------------------------------


def bsn(n: int) -> str:
    """The n-th valid BSN (elfproef) of the 99993… range, which no other test uses."""
    gevonden = -1
    for kandidaat in range(99993000, 99994000):
        cijfers = str(kandidaat)
        controle = sum(int(c) * (9 - i) for i, c in enumerate(cijfers)) % 11
        if controle < 10:
            gevonden += 1
            if gevonden == n:
                return cijfers + str(controle)
    raise ValueError(n)


def aanbieder(agb: str, naam: str, sink) -> None:
    from deployments import operations as ops

    ops.aanbieder_registreer(agb, naam, [sink.url])


def indienen(agb: str, ref: str, n: int, **changes) -> tuple[str, str]:
    """An individual aanvraag of client number n at provider `agb`; (zaak, run id)."""
    from deployments import operations as ops

    data = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
    data.update(provider_referentie=ref, vorm="individueel", **changes)
    data["zorgaanbieder"]["agb"] = agb
    data["clienten"] = [dict(data["clienten"][0], client_id=f"{ref}-C", bsn=bsn(n))]
    result = ops.indienen(json.dumps(data), PEILDATUM)
    return result["zaak"], result["flow_run_id"]


def zaak_rij(zaak: str) -> dict:
    from deployments import operations as ops

    return ops.zaak_overzicht(zaak, log_read=False)


def besluiten(zaak: str) -> list:
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import Besluit

    with session_scope() as session:
        rows = session.exec(select(Besluit).where(Besluit.zaak == zaak)).all()
        return [(b.uitkomst, b.beoordelaar, b.tweede_beoordelaar) for b in rows]


def voorlopig(zaak: str) -> dict | None:
    from models.db.store import session_scope
    from models.db.tables import Zaak

    with session_scope() as session:
        return session.get(Zaak, zaak).voorlopig_besluit


def wacht_nog(dienst_client: httpx.Client, zaak: str, run_id: str, key: str, status: str):
    """Nothing moved: the run is suspended on the same key with no answer stored, the zaak
    has its status and wait, no besluit was taken."""
    time.sleep(1)
    assert pause_key_or_none(run_id) == key
    antwoord = dienst_client.get(f"/flow_runs/{run_id}/input/suspended-{key}-response")
    assert antwoord.status_code == 404, antwoord.text
    z = zaak_rij(zaak)
    assert (z["status"], z["wacht_key"]) == (status, key)
    assert besluiten(zaak) == []


class Wachtend:
    """A zaak of our own provider waiting on its beoordeling; a fresh one when an attack
    moved the last one on (on a gateway that still lets it through), so each test starts
    from a waiting zaak."""

    def __init__(self, agb: str, prefix: str, eerste_client: int) -> None:
        self.agb, self.prefix, self.n = agb, prefix, eerste_client
        self.huidig: tuple[str, str, str] | None = None

    def __call__(self) -> tuple[str, str, str]:
        if self.huidig:
            zaak, run_id, key = self.huidig
            if zaak_rij(zaak)["status"] == "beoordeling" and pause_key_or_none(run_id) == key:
                return self.huidig
        from tests.flows.conftest import wait_for_wait

        zaak, run_id = indienen(self.agb, f"{self.prefix}-{self.n}", self.n)
        self.n += 1
        self.huidig = (zaak, run_id, wait_for_wait(zaak, "beoordeling-"))
        return self.huidig


# --- deployments and runs --------------------------------------------------------------------


def deployment(dienst_client: httpx.Client, naam: str) -> dict:
    flow_naam = naam if naam in ("meerzorgdialoog", "plan-dialogen") else f"meerzorg-{naam}"
    r = dienst_client.get(f"/deployments/name/{flow_naam}/{naam}")
    assert r.status_code == 200, r.text
    return r.json()


def aantal_runs(dienst_client: httpx.Client, deployment_id: str) -> int:
    r = dienst_client.post(
        "/flow_runs/count", json={"deployments": {"id": {"any_": [deployment_id]}}}
    )
    assert r.status_code == 200, r.text
    return r.json()


def weg(dienst_client: httpx.Client, run_id: str) -> None:
    dienst_client.delete(f"/flow_runs/{run_id}")


def start(
    client: httpx.Client, dienst_client: httpx.Client, deployment_id: str, body: dict
) -> httpx.Response:
    """A start of a run as the login asks it: first held back until 2030, and only when that
    is refused exactly as asked. A run an attack did create is deleted at once; the answer
    that let it through is returned, so the test's assertion fails on it."""
    pad = f"/api/deployments/{deployment_id}/create_flow_run"
    r = client.post(pad, json={**body, "state": LATER})
    if r.status_code < 300:
        weg(dienst_client, r.json()["id"])
        return r
    exact = client.post(pad, json=body)
    if exact.status_code < 300:
        weg(dienst_client, exact.json()["id"])
    return exact


# --- the audit trail -----------------------------------------------------------------------


def audit_marker() -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import AuditEvent

    with session_scope() as session:
        return session.exec(select(func.max(AuditEvent.id))).one() or 0


def audit_sinds(marker: int, **waar) -> list[tuple[str, str, str | None]]:
    """(actor, actie, zaak) of the audit events after `marker` that match `waar`."""
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import AuditEvent

    with session_scope() as session:
        q = select(AuditEvent).where(AuditEvent.id > marker)
        for veld, waarde in waar.items():
            q = q.where(getattr(AuditEvent, veld) == waarde)
        return [(e.actor, e.actie, e.zaak) for e in session.exec(q.order_by(AuditEvent.id))]


WEIGERING = ("dashboard_geweigerd", "hervatten_geweigerd")


def geweigerd_gelogd(marker: int, *wie: str) -> None:
    """Each login's refusal is in the audit trail (dashboard_geweigerd; a resume refused for
    the role: hervatten_geweigerd), with the login as actor."""
    for w in wie:
        try:
            wait_until(
                lambda w=w: [e for e in audit_sinds(marker, actor=w) if e[1] in WEIGERING],
                10,
                what=f"dashboard_geweigerd of {w}",
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}; in the trail since: {audit_sinds(marker)}") from None


# --- a listener that records what reaches it (the SSRF target) ------------------------------


@contextlib.contextmanager
def luisteraar():
    """An HTTP server on loopback that records every request and answers an empty list."""
    gezien: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            gezien.append(self.path)
            body = b"[]"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/aanvragen", gezien
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def aanvalsopzet(system, sink, medewerkers: dict[str, str], agb: str, naam: str, ref: str, n: int):
    """A module's attackers on the session's system: its logins, a provider, a session per
    login, the service's client and a zaak waiting for its beoordeling on demand."""
    from types import SimpleNamespace

    assert system.auth, "the shared test system runs behind the gateway (MEERZORG_AUTH=aan)"
    registreer(medewerkers)
    aanbieder(agb, naam, sink)
    sessies, service = Sessies(system), dienst(system)
    try:
        yield SimpleNamespace(
            system=system, als=sessies, dienst=service, wachtend=Wachtend(agb, ref, n)
        )
    finally:
        sessies.sluit()
        service.close()
