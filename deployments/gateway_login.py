"""The gateway's login page (Dutch) and logout. A login is an audit event, and so is a
failed one (NEN 7513 logs access); after five failures for one id or address within a
quarter of an hour, that id or address waits the quarter out (aanname: OWASP's advice
against guessing, without locking the account for good)."""

from __future__ import annotations

import html
import time
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

MAX_POGINGEN = 5
VENSTER = 15 * 60

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


def _veilig_next(waarde: str) -> str:
    # Only a path on this site: no open redirect to another host.
    return waarde if waarde.startswith("/") and not waarde.startswith("//") else "/"


def naar_login(request: Request) -> Response:
    """An unauthenticated page goes to the login page, which keeps the page asked for."""
    return Response(status_code=303, headers={"location": "/login"})


def pagina(fout: str = "", next_: str = "/", status: int = 200) -> HTMLResponse:
    melding = f'<p class="fout" role="alert">{html.escape(fout)}</p>' if fout else ""
    return HTMLResponse(PAGINA.format(fout=melding, next=html.escape(next_)), status)


def login_routes(gw) -> list[Route]:
    mislukt: dict[str, list[float]] = {}

    def geblokkeerd(*sleutels: str) -> bool:
        grens = time.monotonic() - VENSTER
        for s in sleutels:
            mislukt[s] = [t for t in mislukt.get(s, []) if t > grens]
        return any(len(mislukt[s]) >= MAX_POGINGEN for s in sleutels)

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return pagina(next_=_veilig_next(request.query_params.get("next", "/")))
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        wie, wachtwoord = form.get("id", "").strip()[:64], form.get("wachtwoord", "")
        next_ = _veilig_next(form.get("next", "/"))
        adres = request.client.host if request.client else "?"
        sleutels = (f"id:{wie}", f"adres:{adres}")
        if geblokkeerd(*sleutels):
            return pagina("Te veel mislukte pogingen; probeer het over een kwartier opnieuw.",
                          next_, 429)  # fmt: skip
        ident = await run_in_threadpool(gw.ids.login, wie, wachtwoord)
        bekend = ident is not None or await run_in_threadpool(gw.ids.rol, wie) is not None
        actor = wie if bekend else "onbekend"
        if ident is None:
            for s in sleutels:
                mislukt.setdefault(s, []).append(time.monotonic())
            await run_in_threadpool(gw.logboek.gebeurd, actor, "inloggen_mislukt", None, {})
            return pagina("Onbekend id of verkeerd wachtwoord.", next_, 401)
        if next_ == "/":  # no page asked for: the role's own view (issue 14)
            from deployments.automations import startpagina

            next_ = startpagina(ident.rol)
        request.session.clear()
        request.session["medewerker"] = ident.id
        await run_in_threadpool(gw.logboek.gebeurd, ident.id, "ingelogd", None, {"rol": ident.rol})
        return Response(status_code=303, headers={"location": next_})

    async def logout(request: Request) -> Response:
        wie = request.session.get("medewerker")
        request.session.clear()
        if wie:
            await run_in_threadpool(gw.logboek.gebeurd, wie, "uitgelogd", None, {})
        return Response(status_code=303, headers={"location": "/login"})

    return [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["GET", "POST"]),
    ]


def login_middleware(settings) -> list[Middleware]:
    """The gateway's middleware: compression and the signed session cookie."""
    from deployments.gateway_auth import geheim

    secret = geheim("session-secret", settings.session_secret)
    return [
        Middleware(GZipMiddleware, minimum_size=1000),
        # SameSite=Lax: a cross-site POST (CSRF) carries no session; HttpOnly by default.
        Middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie="meerzorg_sessie",
            max_age=settings.session_max_age_seconds,
            same_site="lax",
        ),
    ]
