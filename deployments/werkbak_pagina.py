"""What the werkbak's and the dossier's pages share (issue 27): the page frame (Dutch, a skip
link, landmarks, a visible focus, readable at 1366×768 and 1920×1080 without a framework),
who is asking (a logged-in person of the gateway, never the service), the CSRF token of the
login's session, and one-line refusals. Plain server-rendered HTML: every action is a form
POST that works without JavaScript."""

from __future__ import annotations

import hmac
import html
import re
import secrets
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from deployments.gateway_auth import Identiteit
from deployments.gateway_login import naar_login
from models.toegang import rol_bekend

ZAAK_KEY = re.compile(r"^MZ-\d{4}-\d{6}$")
MAX_VELDEN = 80
e = html.escape

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;
background:#fff;line-height:1.5;font-size:1rem}
a{color:#0b4fa8}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{
outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
header{background:#0b3d7a;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;
align-items:center;flex-wrap:wrap}
header a{color:#fff}header .wie{margin-left:auto}
main{padding:1rem 1.5rem;max-width:110rem}
h1{font-size:1.6rem;margin:.4rem 0 1rem}h2{font-size:1.25rem;margin:1.6rem 0 .5rem;
border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f0f3f7}
.melding{border-left:6px solid #0b6e2f;background:#eef8f0;padding:.5rem 1rem}
.fout{border-left:6px solid #a4001d;background:#fdecee;padding:.5rem 1rem;color:#6d0013}
.veldfout{color:#a4001d;font-weight:600;display:block}
.verlopen{color:#a4001d;font-weight:700}.urgent{color:#8a4b00;font-weight:700}
.op-tijd{color:#0b6e2f}
form.inline{display:inline}
button{font:inherit;padding:.35rem .9rem;border:2px solid #0b3d7a;background:#0b3d7a;
color:#fff;border-radius:3px;cursor:pointer}
button.tweede{background:#fff;color:#0b3d7a}
label{font-weight:600}fieldset{border:1px solid #bbb;margin:.8rem 0;padding:.5rem 1rem}
legend{font-weight:700}
input[type=text],input[type=date],input[type=number],select,textarea{font:inherit;
padding:.3rem;border:1px solid #555;border-radius:3px;max-width:100%}
textarea{width:100%;min-height:4rem}
.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-end}
.filters div{display:flex;flex-direction:column}
.kolommen{display:grid;grid-template-columns:repeat(auto-fit,minmax(32rem,1fr));gap:0 2rem}
.tekst{white-space:pre-wrap;background:#f7f7f7;padding:.4rem .6rem;border-radius:3px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0}
.hint{color:#444;font-size:.92rem;display:block}
"""


def pagina(
    titel: str, inhoud: str, ident: Identiteit | None = None, status: int = 200
) -> HTMLResponse:
    wie = (
        f'<span class="wie">{e(ident.id)} ({e(ident.rol)}) · <a href="/logout">Uitloggen</a></span>'
        if ident
        else ""
    )
    return HTMLResponse(
        f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{e(titel)} · Meerzorg</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{CSS}</style></head><body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header><nav aria-label="Hoofdmenu"><a href="/werkbak">Werkbak</a> ·
<a href="/runs">Prefect-dashboard</a></nav>{wie}</header>
<main id="inhoud" tabindex="-1">{inhoud}</main></body></html>""",
        status,
        headers={"cache-control": "no-store"},
    )


def weigering(titel: str, reden: str, ident: Identiteit | None, status: int) -> HTMLResponse:
    """A refusal as a page: one line of Dutch, nothing changed."""
    return pagina(
        titel, f'<h1>{e(titel)}</h1><p class="fout" role="alert">{e(reden)}</p>', ident, status
    )


async def persoon(gw, request: Request) -> Identiteit | Response:
    """The logged-in person, or the answer to give instead: the login page for nobody, 403
    for the service (it decides nothing here) or a role the system does not know."""
    ident = await gw.identiteit(request)
    if ident is None:
        return naar_login(request)
    if ident.service or not rol_bekend(ident.rol):
        return weigering("Geen toegang", "deze pagina's zijn voor ingelogde medewerkers", None, 403)
    return ident


def csrf_token(request: Request) -> str:
    """The login session's form token (made once per session): a form posted from another
    site cannot know it."""
    token = request.session.get("csrf") if "session" in request.scope else None
    if not token:
        token = secrets.token_urlsafe(24)
        if "session" in request.scope:
            request.session["csrf"] = token
    return token


def csrf_veld(request: Request) -> str:
    return f'<input type="hidden" name="csrf" value="{e(csrf_token(request))}">'


def csrf_klopt(request: Request, form: dict[str, str]) -> bool:
    verwacht = request.session.get("csrf") if "session" in request.scope else None
    gegeven = form.get("csrf") or ""
    return bool(verwacht) and hmac.compare_digest(verwacht.encode(), gegeven.encode())


async def formulier(request: Request) -> dict[str, str] | None:
    """A posted urlencoded form as one value per field (the last one: an unchecked box has
    a hidden "nee" before it), or None when it is no such form."""
    soort = request.headers.get("content-type", "").split(";")[0].strip()
    if soort != "application/x-www-form-urlencoded":
        return None
    try:
        velden = parse_qs(
            (await request.body()).decode(), keep_blank_values=True, max_num_fields=MAX_VELDEN
        )
    except (UnicodeDecodeError, ValueError):
        return None
    return {k: v[-1] for k, v in velden.items()}


def melding_uit(request: Request) -> str:
    """A one-line message left by the previous POST (kept in the session, not the URL)."""
    if "session" not in request.scope:
        return ""
    soort, tekst = request.session.pop("melding", [None, None]) or [None, None]
    if not tekst:
        return ""
    klasse = "fout" if soort == "fout" else "melding"
    rol = "alert" if soort == "fout" else "status"
    return f'<p class="{klasse}" role="{rol}">{e(tekst)}</p>'


def melden(request: Request, tekst: str, fout: bool = False) -> None:
    if "session" in request.scope:
        request.session["melding"] = ["fout" if fout else "ok", tekst[:300]]


def terug(pad: str) -> Response:
    return Response(status_code=303, headers={"location": pad})
