"""The gateway's login page (Dutch) and logout. A login is an audit event, and so is a
failed one (NEN 7513 logs access). A guesser is slowed, never a colleague locked out: every
password check waits a delay that grows with the recent failures of the id and of the
address (deployments/gateway_rem.py), the right password still opens. A login is a row in
the case database (models/db/sessies.py) named in the signed cookie: a logout or a password
change ends it on every gateway, not only in the browser that logged out."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from deployments.gateway_grenzen import LOGIN_PADEN, Grenzen, VeiligeCookie
from deployments.gateway_rem import DRUK, BasicPoort, klant_adres, wachtwoord_poort

MAX_NEXT = 2048
PAGINA = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Meerzorg: inloggen</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}}
label{{display:block;margin-top:1rem}}input{{width:100%;padding:.4rem}}
button{{margin-top:1.2rem;padding:.5rem 1.5rem}}.fout{{color:#b00020}}</style></head>
<body><h1>Meerzorg</h1><p>Log in met uw medewerker-id en wachtwoord.</p>{fout}
<form method="post" action="/login"><input type="hidden" name="next" value="{next}">
<label for="id">Medewerker-id</label><input id="id" name="id" autocomplete="username" required>
<label for="wachtwoord">Wachtwoord</label>
<input id="wachtwoord" name="wachtwoord" type="password" autocomplete="current-password" required>
<button type="submit">Inloggen</button></form></body></html>"""


def veilig_next(waarde: str) -> str:
    """Only a path on this site, else "/": no scheme or host, no '//' (another host to a
    browser), no backslash ('/\\evil.example' is another host to a browser as well), nothing
    but printable ASCII (no control character or space that a browser strips), and not the
    login or logout page itself."""
    if (
        not waarde.startswith("/")
        or waarde.startswith("//")
        or "\\" in waarde
        or len(waarde) > MAX_NEXT
        or any(not 0x20 < ord(c) < 0x7F for c in waarde)
    ):
        return "/"
    delen = urlsplit(waarde)
    if delen.scheme or delen.netloc or delen.path in LOGIN_PADEN:
        return "/"
    return waarde


def naar_login(request: Request) -> Response:
    """An unauthenticated page goes to the login page, which keeps the page asked for: a
    link from the werkvoorraad or a colleague opens after the login."""
    pad = (request.scope.get("raw_path") or b"").decode("latin-1") or request.url.path
    doel = veilig_next(pad + (f"?{request.url.query}" if request.url.query else ""))
    location = "/login" if doel == "/" else "/login?next=" + quote(doel, safe="/")
    return Response(status_code=303, headers={"location": location})


def pagina(fout: str = "", next_: str = "/", status: int = 200) -> HTMLResponse:
    melding = f'<p class="fout" role="alert">{html.escape(fout)}</p>' if fout else ""
    return HTMLResponse(PAGINA.format(fout=melding, next=html.escape(next_)), status)


def _formulier(body: bytes) -> dict[str, str] | None:
    try:
        velden = parse_qs(body.decode(), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None
    return {k: v[0] for k, v in velden.items()}


def login_routes(gw) -> list[Route]:
    async def login(request: Request) -> Response:
        if request.method == "GET":
            return pagina(next_=veilig_next(request.query_params.get("next", "/")))
        form = _formulier(await request.body())  # at most 64 KiB (gateway_grenzen)
        if form is None:
            return pagina("Ongeldig formulier; vul id en wachtwoord opnieuw in.", "/", 400)
        wie, wachtwoord = form.get("id", "").strip(), form.get("wachtwoord", "")
        next_ = veilig_next(form.get("next", "/"))
        if not wie or len(wie) > 64 or not wachtwoord:
            return pagina(
                "Vul uw medewerker-id (hoogstens 64 tekens) en wachtwoord in.", next_, 400
            )
        adres = klant_adres(request.scope, gw.ids.netwerken)
        ident = await wachtwoord_poort(gw.ids, wie, wachtwoord, adres, "formulier")
        if ident == DRUK:
            return pagina("Het is even te druk met inloggen; probeer het zo opnieuw.", next_, 503)
        if ident is None:
            return pagina("Onbekend id of verkeerd wachtwoord.", next_, 401)
        if next_ == "/":  # no page asked for: the werkbak or the role's Prefect view (issue 27)
            from deployments.automations import startpagina

            next_ = startpagina(ident.rol)
        token = await run_in_threadpool(gw.ids.sessie_openen, ident.id)
        request.session.clear()
        request.session.update(medewerker=ident.id, sessie=token)
        details = {"rol": ident.rol, "adres": adres}
        await run_in_threadpool(gw.logboek.gebeurd, ident.id, "ingelogd", None, details)
        return Response(status_code=303, headers={"location": next_})

    async def logout(request: Request) -> Response:
        wie, token = request.session.get("medewerker"), request.session.get("sessie")
        request.session.clear()
        if token:  # ended in the database: a copy of the cookie no longer works either
            await run_in_threadpool(gw.ids.sessie_sluiten, token)
        if wie:
            await run_in_threadpool(gw.logboek.gebeurd, wie, "uitgelogd", None, {})
        return Response(status_code=303, headers={"location": "/login"})

    return [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["GET", "POST"]),
    ]


def login_middleware(settings) -> list[Middleware]:
    """The gateway's middleware, outermost first: the request limits, the cookie's Secure
    flag, compression, the signed session cookie, the HTTP Basic password gate."""
    from deployments.gateway_auth import geheim

    secret = geheim("session-secret", settings.session_secret)
    # TLS for certain: the gateway's own, or ended in front of it (MEERZORG_TLS_ERVOOR).
    tls = bool(settings.tls_certfile) or settings.tls_ervoor
    return [
        Middleware(Grenzen),
        Middleware(VeiligeCookie, altijd=tls),
        Middleware(GZipMiddleware, minimum_size=1000),
        # SameSite=Lax: a cross-site POST (CSRF) carries no session; HttpOnly by default.
        Middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie="meerzorg_sessie",
            max_age=settings.session_max_age_seconds,
            same_site="lax",
            https_only=tls,
        ),
        Middleware(BasicPoort),
    ]
