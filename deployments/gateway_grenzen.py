"""What a request may cost the gateway before anyone is known, and the cookie's Secure flag.

`Grenzen` (ASGI middleware, outermost): a body above its limit is answered 413 — at once
when Content-Length says so, else as soon as the bytes read pass it — and a client that
takes more than BODY_TIJD in all to send its body is answered 408. Before, a 200 MiB
`POST /login` took the gateway to 692 MiB: the body was read whole, then decoded and
parsed. The limits: the login form is three short fields (64 KiB is far above it); the
API's largest legitimate bodies are the Prefect client's log batches (at most 4 MB,
PREFECT_LOGGING_TO_API_BATCH_SIZE) and flows' artifacts, so 16 MiB.

Headers: uvicorn (0.54, h11) has no timeout for a request's headers; gateway_serve.py adds
one in its protocol. This middleware sees a request only once its headers are complete.

`VeiligeCookie`: the session cookie carries `Secure` whenever the request came over TLS —
uvicorn's own (MEERZORG_TLS_CERTFILE), or a trusted proxy's (`X-Forwarded-Proto: https`
from MEERZORG_AUTH_TRUSTED_NETWORKS) — so the browser never sends it over plain HTTP."""

from __future__ import annotations

import time

import anyio
from starlette.responses import JSONResponse

from deployments.gateway_rem import in_netwerk

LOGIN_MAX = 64 * 1024
API_MAX = 16 * 1024 * 1024
BODY_TIJD = 30.0  # aanname: a 16 MiB body over a slow office line takes well under this
LOGIN_PADEN = ("/login", "/logout")


class _Grens(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def _te_groot(grens: int) -> _Grens:
    return _Grens(413, f"het verzoek is te groot (meer dan {grens // 1024} KiB)")


class Grenzen:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        grens = LOGIN_MAX if scope["path"] in LOGIN_PADEN else API_MAX
        body_tijd = BODY_TIJD  # read per request: a test shortens it
        try:
            lengtes = [int(v) for k, v in scope["headers"] if k == b"content-length"]
        except ValueError:
            return await _antwoord(scope, receive, send, _Grens(400, "ongeldige Content-Length"))
        if lengtes and max(lengtes) > grens:
            return await _antwoord(scope, receive, send, _te_groot(grens))
        stand = {"gelezen": 0, "klaar": False, "gewacht": 0.0, "begonnen": False}

        async def ontvang():
            if stand["klaar"]:  # the body is in; a later receive waits for a disconnect
                return await receive()
            begin = time.monotonic()
            try:
                with anyio.fail_after(max(0.0, body_tijd - stand["gewacht"])):
                    message = await receive()
            except TimeoutError:
                raise _Grens(408, "het verzoek kwam te traag binnen") from None
            stand["gewacht"] += time.monotonic() - begin
            if message["type"] == "http.request":
                stand["gelezen"] += len(message.get("body", b""))
                if stand["gelezen"] > grens:
                    raise _te_groot(grens)
                stand["klaar"] = not message.get("more_body", False)
            else:
                stand["klaar"] = True
            return message

        async def zend(message) -> None:
            if message["type"] == "http.response.start":
                stand["begonnen"] = True
            await send(message)

        try:
            await self.app(scope, ontvang, zend)
        except _Grens as grens_fout:
            if not stand["begonnen"]:  # else the answer is under way: the connection ends
                await _antwoord(scope, receive, send, grens_fout)


async def _antwoord(scope, receive, send, fout: _Grens) -> None:
    # Connection: close: the rest of the body is not read, so the connection cannot serve
    # another request.
    response = JSONResponse({"detail": fout.detail}, fout.status, {"connection": "close"})
    await response(scope, receive, send)


class VeiligeCookie:
    def __init__(self, app, altijd: bool) -> None:
        self.app, self.altijd = app, altijd

    def _tls(self, scope) -> bool:
        if self.altijd or scope.get("scheme") == "https":
            return True
        # The trusted proxies as the gateway's identities parsed them (one reading).
        netwerken = scope["app"].state.gateway.ids.netwerken
        if not netwerken or not in_netwerk((scope.get("client") or ("?",))[0], netwerken):
            return False
        proto = [v for k, v in scope["headers"] if k == b"x-forwarded-proto"]
        return bool(proto) and proto[-1].split(b",")[-1].strip().lower() == b"https"

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not self._tls(scope):
            return await self.app(scope, receive, send)

        async def zend(message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [_secure(k, v) for k, v in message.get("headers", [])],
                }
            await send(message)

        await self.app(scope, receive, zend)


def _secure(naam: bytes, waarde: bytes) -> tuple[bytes, bytes]:
    if naam.lower() != b"set-cookie":
        return naam, waarde
    vlaggen = {d.strip().lower() for d in waarde.split(b";")[1:]}
    return naam, waarde if b"secure" in vlaggen else waarde + b"; secure"
