"""Every route of Prefect's API × every role × every spelling of its path (issue 23): the
gateway forwards exactly what the role's allowlist lists, on the canonical path, and
nothing else reaches Prefect. Requests go to the ASGI app as raw bytes on the wire, since
an HTTP client would tidy the dot segments away before sending."""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import unquote

import pytest

from deployments.gateway_rechten import ANNULEER, HERVAT, START, TABEL, Handeling, handeling
from models.overgang import ROLLEN
from models.toegang import mag_hervatten
from tests.integration.test_gateway import RAPPORT, RUN, SWEEP, gateway, login  # noqa: F401

LOGINS = {
    "beoordelaar": "bo-1",
    "cce": "cce-1",
    "analist": "an-1",
    "operations": "ops-1",
    "teamleider": "tl-1",
    "jurist": "ju-1",
}
VARIANTEN_GOED = ("canoniek", "zonder-streepjes", "hoofdletters")
VARIANTEN_FOUT = ("punt", "puntpunt", "%2e", "%2f", "//", "backslash")


def concreet(template: str, id_: str) -> str:
    pad = re.sub(r"\{[a-z_]+:uuid\}", id_, template)
    return re.sub(r"\{[a-z_]+(:[a-z]+)?\}", "x", pad)


def spelling(template: str, variant: str, id_: str) -> str | None:
    """The path as an attacker spells it; None when the variant does not apply."""
    if variant == "zonder-streepjes":
        return concreet(template, id_.replace("-", "")) if ":uuid}" in template else None
    if variant == "hoofdletters":
        return concreet(template, id_.upper()) if ":uuid}" in template else None
    pad = concreet(template, id_)
    return {
        "canoniek": pad,
        "punt": pad.replace("/api/", "/api/./", 1),
        "puntpunt": pad.replace("/api/", "/api/ui/../", 1),
        "%2e": pad.replace("/api/", "/api/%2e/", 1),
        "%2f": pad.replace("/api/", "/api%2f", 1),
        "//": pad.replace("/api/", "/api//", 1),
        "backslash": pad.replace("/api/", "/api\\", 1),
    }[variant]


def body_voor(rol: str, methode: str, template: str) -> bytes:
    if (methode, template) == ANNULEER:
        return json.dumps({"state": {"type": "CANCELLING"}}).encode()
    if (methode, template) == HERVAT:
        return json.dumps({"run_input": {"uitkomst": "toekennen"}}).encode()
    return b"{}" if methode in ("POST", "PUT", "PATCH") else b""


async def asgi(app, methode: str, raw_path: str, cookie: str, body: bytes) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": methode,
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"gateway.test"),
            (b"cookie", cookie.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4200),
    }
    berichten = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        return berichten.pop(0) if berichten else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


@pytest.fixture
def matrix(gateway):  # noqa: F811
    from deployments.cli_beheer import medewerker_registreer
    from tests.integration.test_gateway import WACHTWOORD

    client, prefect = gateway
    medewerker_registreer("tl-1", "teamleider", WACHTWOORD)
    medewerker_registreer("ju-1", "jurist", WACHTWOORD)
    cookies = {}
    for rol, wie in LOGINS.items():
        client.cookies.clear()
        assert login(client, wie).status_code == 303
        cookies[rol] = f"meerzorg_sessie={client.cookies['meerzorg_sessie']}"
    client.cookies.clear()
    return client.app, prefect, cookies


def verwacht_doorgestuurd(rol: str, methode: str, template: str) -> bool:
    """The allowlist, and for a resume the rules of the wait the run is on (beoordeling)."""
    if handeling(rol, methode, template) is None:
        return False
    if (methode, template) == HERVAT:
        return mag_hervatten(rol, "zaak", "beoordeling") is None
    return True


def test_every_route_role_and_spelling(matrix):
    app, prefect, cookies = matrix
    rows = [(m, t) for m, t in TABEL.templates() if m not in ("WS", "HEAD")]
    fouten: list[str] = []

    async def alles():
        for rol in sorted(ROLLEN):
            for methode, template in rows:
                id_ = {START: RAPPORT if rol == "analist" else SWEEP}.get((methode, template), RUN)
                body = body_voor(rol, methode, template)
                for variant in VARIANTEN_GOED + VARIANTEN_FOUT:
                    pad = spelling(template, variant, id_)
                    if pad is None:
                        continue
                    voor = len(prefect.requests)
                    status = await asgi(app, methode, pad, cookies[rol], body)
                    nieuw = [r for r in prefect.requests[voor:] if r.method == methode]
                    doorgestuurd = [r for r in nieuw if r.url.path == concreet(template, id_)]
                    geval = f"{rol} {methode} {pad}"
                    if variant in VARIANTEN_FOUT:
                        if status != 400 or prefect.requests[voor:]:
                            fouten.append(f"{geval}: {status}, niet geweigerd als ongeldig pad")
                    elif handeling(rol, methode, template) == Handeling.LEEG_ANTWOORD:
                        if status != 200 or prefect.requests[voor:]:
                            fouten.append(f"{geval}: {status}, niet zelf beantwoord")
                    elif verwacht_doorgestuurd(rol, methode, template):
                        if status >= 400 or len(doorgestuurd) != 1:
                            fouten.append(f"{geval}: {status}, toegestaan maar niet doorgestuurd")
                    elif status != 403 or nieuw:
                        fouten.append(f"{geval}: {status}, niet geweigerd")

    asyncio.run(alles())
    assert not fouten, f"{len(fouten)} fouten, o.a.:\n" + "\n".join(fouten[:40])


def test_the_matrix_covers_every_route_prefect_answers():
    """Not a sample: the rows are Prefect's route table itself, which
    tests/unit/test_gateway_rechten.py holds equal to the installed server's."""
    rows = {(m, t) for m, t in TABEL.templates() if m not in ("WS", "HEAD")}
    assert len(rows) > 180 and HERVAT in rows and START in rows
