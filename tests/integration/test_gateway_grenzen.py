"""What a request may cost the gateway before anyone is known (issue 23, Logins): a body's
size and read time (deployments/gateway_grenzen.py), a request's headers' time on a real
uvicorn (deployments/gateway_serve.py), and the session cookie's Secure flag over TLS."""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time

import httpx
import pytest
from starlette.testclient import TestClient

# The fixture `gateway` is imported (test_gateway.py's, one database setup).
# ruff: noqa: F811
from tests.integration.test_gateway import (  # noqa: F401
    INTERN,
    SERVICE_TOKEN,
    WACHTWOORD,
    audit,
    basic,
    gateway,
)

DIENST = basic(f"meerzorg-service:{SERVICE_TOKEN}")


def test_a_large_login_body_is_refused_before_it_is_parsed(gateway):
    client, _ = gateway
    groot = {"id": "bo-1", "wachtwoord": WACHTWOORD, "opvulling": "x" * 100_000}
    r = client.post("/login", data=groot)
    # Was: read whole, decoded and parsed (200 MiB took the gateway to 692 MiB).
    assert r.status_code == 413 and "te groot" in r.json()["detail"]
    assert audit("ingelogd") == [] and "meerzorg_sessie" not in client.cookies


def test_an_api_body_above_16_mib_is_refused_and_nothing_forwarded(gateway):
    client, prefect = gateway
    r = client.post("/api/logs/", content=b"[" + b" " * (16 * 1024 * 1024) + b"]", headers=DIENST)
    assert r.status_code == 413 and prefect.requests == []
    # What the Prefect client legitimately sends (a 4 MB log batch) still goes through.
    logs = b"[" + b" " * 4_000_000 + b"]"
    assert client.post("/api/logs/", content=logs, headers=DIENST).status_code == 200
    assert len(prefect.requests[-1].content) == len(logs)


def _scope(pad: str, headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": pad,
        "raw_path": pad.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4200),
    }


def _asgi(app, scope, receive) -> list[dict]:
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def test_a_body_without_a_length_is_cut_off_at_the_limit(gateway):
    """Chunked, no Content-Length: the gateway stops reading just past 64 KiB."""
    client, _ = gateway
    gelezen = []

    async def receive():  # 8 MiB in 8 KiB chunks (the old gateway read them all)
        gelezen.append(1)
        return {"type": "http.request", "body": b"x" * 8192, "more_body": len(gelezen) < 1024}

    sent = _asgi(client.app, _scope("/login", []), receive)
    assert sent[0]["status"] == 413
    assert len(gelezen) <= 64 // 8 + 1  # not the whole body: 72 KiB at most


def test_a_body_that_trickles_in_is_answered_408(gateway, monkeypatch):
    client, prefect = gateway
    monkeypatch.setattr("deployments.gateway_grenzen.BODY_TIJD", 0.3)
    eerste = [True]

    async def receive():
        if eerste.pop() if eerste else False:
            return {"type": "http.request", "body": b"{", "more_body": True}
        await asyncio.sleep(30)  # the rest never comes

    auth = DIENST["Authorization"].encode()
    headers = [(b"authorization", auth), (b"content-length", b"100")]
    begin = time.monotonic()
    sent = _asgi(client.app, _scope("/api/flow_runs/filter", headers), receive)
    assert sent[0]["status"] == 408 and time.monotonic() - begin < 5
    assert prefect.requests == []


# --- a real uvicorn: the request's headers -------------------------------------------


@pytest.fixture
def uvicorn_gateway(gateway, monkeypatch):
    """The gateway as deployments/gateway_serve.py runs it, on a free loopback port, with a
    header time of 0.5 s (production: 10 s)."""
    import uvicorn

    from deployments.gateway_serve import config

    client, prefect = gateway
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(config(client.app, "127.0.0.1", port, koptijd=0.5))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield port
    server.should_exit = True
    thread.join(10)


def _gesloten_binnen(sock: socket.socket, seconden: float) -> float | None:
    """Seconds until the server closed the connection (reading what it sent), or None."""
    begin = time.monotonic()
    sock.settimeout(seconden)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    return time.monotonic() - begin


def test_half_open_requests_are_closed_after_the_header_time(uvicorn_gateway):
    port = uvicorn_gateway
    stil = socket.create_connection(("127.0.0.1", port))  # sends nothing at all
    half = socket.create_connection(("127.0.0.1", port))
    half.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # headers never end
    # Was: held until the client went (300 held); now closed after the header time.
    assert (t := _gesloten_binnen(stil, 5)) is not None and t < 3
    assert (t := _gesloten_binnen(half, 5)) is not None and t < 3
    stil.close()
    half.close()
    # A keep-alive connection that starts a second request and stalls is closed as well.
    with socket.create_connection(("127.0.0.1", port)) as verder:
        verder.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        verder.settimeout(5)
        assert verder.recv(4096).startswith(b"HTTP/1.1 200")
        verder.sendall(b"GET /api/health HTTP/1.1\r\n")
        assert _gesloten_binnen(verder, 5) is not None
    # And a whole request is answered as before.
    assert httpx.get(f"http://127.0.0.1:{port}/api/health").content == b"true"


def test_a_slow_body_through_uvicorn_is_answered_408(uvicorn_gateway, monkeypatch):
    monkeypatch.setattr("deployments.gateway_grenzen.BODY_TIJD", 0.5)
    with socket.create_connection(("127.0.0.1", uvicorn_gateway)) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
            b"urlencoded\r\nContent-Length: 40\r\n\r\nid=bo-1"
        )
        sock.settimeout(5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 408")


# --- the session cookie's Secure flag -------------------------------------------------


def _cookie(client: TestClient, **headers) -> str:
    data = {"id": "bo-1", "wachtwoord": WACHTWOORD, "next": "/runs"}
    r = client.post("/login", data=data, headers=headers)
    assert r.status_code == 303
    return r.headers["set-cookie"].lower()


def _app(monkeypatch, prefect, client=("testclient", 50000), base_url="http://testserver", **env):
    from deployments.gateway import create_app

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    app = create_app("http://prefect.intern", INTERN, httpx.MockTransport(prefect))
    return TestClient(app, follow_redirects=False, client=client, base_url=base_url)


def test_the_session_cookie_is_secure_whenever_the_login_came_over_tls(gateway, monkeypatch):
    client, prefect = gateway
    assert "secure" not in _cookie(client)  # plain HTTP (development): it must still work
    # uvicorn's own TLS: the request's scheme is https.
    https = TestClient(client.app, follow_redirects=False, base_url="https://testserver")
    assert "; secure" in _cookie(https)
    # TLS ended by a trusted proxy, which says so; from elsewhere the header is not believed.
    env = {"MEERZORG_AUTH_TRUSTED_NETWORKS": "10.0.0.0/8"}
    proxy = _app(monkeypatch, prefect, ("10.0.0.5", 1), **env)
    assert "; secure" in _cookie(proxy, **{"x-forwarded-proto": "https"})
    buiten = _app(monkeypatch, prefect, ("192.0.2.1", 1), **env)
    assert "secure" not in _cookie(buiten, **{"x-forwarded-proto": "https"})
    # MEERZORG_TLS_CERTFILE set: Secure always (a plain-HTTP request is then a mistake).
    tls = _app(monkeypatch, prefect, MEERZORG_TLS_CERTFILE="/etc/meerzorg/cert.pem")
    assert "; secure" in _cookie(tls)


def test_a_service_basic_header_is_no_password_check(gateway, monkeypatch):
    """The service's token is compared in constant time, never through the Argon2 slots or
    the delay: the runner's many calls cost nothing."""
    client, _ = gateway
    monkeypatch.setattr("deployments.gateway_rem.SLOT_WACHT", 0.0)
    slots = client.app.state.gateway.ids.slots
    for _ in range(4):
        assert slots._sem.acquire(blocking=False)  # every slot taken
    try:
        assert client.post("/api/flow_runs/filter", json={}, headers=DIENST).status_code == 200
        # A person's unchecked password now hears "busy", quickly, in Dutch.
        auth = "Basic " + base64.b64encode(f"bo-1:{WACHTWOORD}".encode()).decode()
        r = client.post("/api/flow_runs/filter", json={}, headers={"Authorization": auth})
        assert r.status_code == 503 and "te druk" in r.json()["detail"]
    finally:
        for _ in range(4):
            slots.geven()
