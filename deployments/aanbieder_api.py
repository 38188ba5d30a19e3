"""The provider's channel (issue 28): an OpenAPI 3.1 API under /aanbieder/v1/, served by the
same front door as the dashboard (mounted in deployments/gateway.py), authenticated by the
provider's own key (`Authorization: Bearer <sleutel>`, models/db/aanbieder_sleutels.py).

FastAPI here because the OpenAPI document is the product: the provider's developers read
it, and the tests check the API against it (schemathesis). Every error is an RFC 9457
problem with one line a person can read; every call is an audit event with the key's id;
what a key may see is decided by the data (every query is scoped to its AGB, so another
provider's zaak is a 404). Production may put mTLS or an identity broker in front of this
path (docs/aanbieder-api.md); the embedded default runs on keys."""

from __future__ import annotations

import html
import threading
import time

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from deployments.aanbieder_acties import Aanbieder, Probleem, schrijven
from models.aanvraag import Aanvraag
from models.db.aanbieder_sleutels import sleutel_van
from models.db.engine_store import audit
from models.db.store import read_engine_for, session_scope
from models.settings import get_settings

PREFIX = "/aanbieder/v1"
PROBLEEM = "application/problem+json"
bearer = HTTPBearer(
    auto_error=False, description="De sleutel van uw AGB (meerzorg aanbieder sleutel maak)"
)


def probleem(status: int, titel: str, detail: str, headers: dict | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": titel, "status": status, "detail": detail}
    return JSONResponse(body, status, headers=headers, media_type=PROBLEEM)


class Emmer:
    """Rate limit per key: a token bucket (aanname: `aanbieder_api_per_seconde` a second with
    bursts of four seconds' worth; the front door's own limits stand in front of it)."""

    def __init__(self) -> None:
        self._stand: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def mag(self, sleutel_id: str) -> bool:
        tempo = float(get_settings().aanbieder_api_per_seconde)
        nu = time.monotonic()
        with self._lock:
            tokens, toen = self._stand.get(sleutel_id, (tempo * 4, nu))
            tokens = min(tempo * 4, tokens + (nu - toen) * tempo)
            if tokens < 1:
                self._stand[sleutel_id] = (tokens, nu)
                return False
            self._stand[sleutel_id] = (tokens - 1, nu)
            return True


def _aanbieder_van(geheim: str) -> Aanbieder | None:
    with session_scope(read_engine_for(get_settings().db_url)) as session:
        rij = sleutel_van(session=session, geheim=geheim)
        return Aanbieder(agb=rij.agb, sleutel_id=rij.sleutel_id) if rij is not None else None


async def aanbieder(request: Request) -> Aanbieder:
    """The provider behind the request's key (a dependency of every route but the docs)."""
    cred: HTTPAuthorizationCredentials | None = await bearer(request)
    if cred is None:
        raise Probleem(
            401, "Niet ingelogd", "stuur uw sleutel mee: Authorization: Bearer <sleutel>"
        )
    wie = await run_in_threadpool(_aanbieder_van, cred.credentials)
    if wie is None:
        raise Probleem(401, "Sleutel onbekend", "deze sleutel is onbekend of ingetrokken")
    if not request.app.state.emmer.mag(wie.sleutel_id):
        raise Probleem(
            429, "Te veel verzoeken", "te veel verzoeken met deze sleutel; probeer het zo opnieuw"
        )
    request.state.aanbieder = wie
    return wie


def _audit(request: Request, status: int) -> None:
    wie: Aanbieder | None = getattr(request.state, "aanbieder", None)
    if wie is None:
        return
    route = request.scope.get("route")
    with schrijven() as session:
        audit(
            session=session,
            actor=wie.wie,
            actie="api_verzoek",
            zaak=request.path_params.get("key"),
            details={
                "methode": request.method,
                "route": getattr(route, "path", None),
                "status": status,
                "agb": wie.agb,
            },
        )


class Doorgang:
    """ASGI middleware of the gateway: every path under PREFIX goes to the API, whatever its
    characters (a Mount matches by a regex in which `.` stops at a newline, and such a path
    would get the router's plain-text 404 instead of a problem). Placed after the request
    limits and before the staff's cookies and logins, which the API does not use."""

    def __init__(self, app, api: FastAPI | None = None) -> None:
        self.app = app
        self.api = api or create_api()

    async def __call__(self, scope, receive, send) -> None:
        pad = scope.get("path", "")
        if scope["type"] == "http" and (pad == PREFIX or pad.startswith(PREFIX + "/")):
            scope = {**scope, "root_path": scope.get("root_path", "") + PREFIX}
            return await self.api(scope, receive, send)
        return await self.app(scope, receive, send)


def create_api() -> FastAPI:
    from deployments.aanbieder_api_routes import router

    app = FastAPI(
        title="Meerzorg: API voor zorgaanbieders",
        version="1.0.0",
        description=(
            "Aanvragen indienen en aanvullen, besluiten ophalen en bezwaar maken, als "
            "zorgaanbieder met uw eigen sleutel. Elk antwoord met een fout is een RFC 9457 "
            "probleem met één leesbare regel. U ziet alleen de zaken van uw eigen AGB."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.emmer = Emmer()
    app.include_router(router)

    @app.middleware("http")
    async def audit_per_verzoek(request: Request, call_next):
        response = await call_next(request)
        await run_in_threadpool(_audit, request, response.status_code)
        return response

    @app.exception_handler(Probleem)
    async def _probleem(request: Request, exc: Probleem):
        return probleem(exc.status, exc.titel, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _ongeldig(request: Request, exc: RequestValidationError):
        return probleem(422, "Ongeldig verzoek", _regel(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        titels = {400: "Onleesbaar verzoek", 404: "Niet gevonden", 405: "Methode niet toegestaan"}
        detail = exc.detail if isinstance(exc.detail, str) else "verzoek geweigerd"
        if exc.status_code == 400:
            detail = "het verzoek is geen leesbare JSON"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"{request.url.path} bestaat niet in deze API"
        if exc.status_code == 405:
            detail = f"{request.method} kan niet op {request.url.path}"
        return probleem(exc.status_code, titels.get(exc.status_code, "Geweigerd"), detail)

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    async def leesbaar():
        return HTMLResponse(_pagina(app.openapi()))

    _met_aanvraag_schema(app)
    return app


def _regel(fouten) -> str:
    """One line for the first validation error (where: what)."""
    if not fouten:
        return "ongeldig verzoek"
    e = fouten[0]
    plek = ".".join(
        str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "header")
    )
    msg = str(e.get("msg", "ongeldig")).removeprefix("Value error, ")
    if e.get("type") == "missing":
        msg = "ontbreekt"
    elif e.get("type") == "extra_forbidden":
        msg = "is geen bekend veld"
    meer = f" (en nog {len(fouten) - 1})" if len(fouten) > 1 else ""
    return f"{plek}: {msg}{meer}" if plek else f"{msg}{meer}"


def _met_aanvraag_schema(app: FastAPI) -> None:
    """The submission reads its body itself (the aanvraag's own parser and its one-line
    errors); its schema is added to the document here, so clients and tests know it."""
    basis = app.openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        doc = basis()
        schema = Aanvraag.model_json_schema(ref_template="#/components/schemas/{model}")
        defs = schema.pop("$defs", {})
        componenten = doc.setdefault("components", {}).setdefault("schemas", {})
        componenten.update(defs)
        componenten.setdefault("Aanvraag", schema)
        from deployments.aanbieder_api_schema import Probleem as ProbleemSchema

        componenten["Probleem"] = ProbleemSchema.model_json_schema()
        # FastAPI documents its own 422 as application/json; here every error is a problem.
        for methoden in doc["paths"].values():
            for op in methoden.values():
                if "422" in op.get("responses", {}):
                    op["responses"]["422"] = {
                        "description": "Ongeldige invoer",
                        "content": {
                            PROBLEEM: {"schema": {"$ref": "#/components/schemas/Probleem"}}
                        },
                    }
        for naam in ("HTTPValidationError", "ValidationError"):
            componenten.pop(naam, None)
        post = doc["paths"]["/aanvragen"]["post"]
        post["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Aanvraag"}}},
        }
        app.openapi_schema = doc
        return doc

    app.openapi = openapi


def _pagina(doc: dict) -> str:
    """The readable page beside the document: every route with what it does, plain HTML."""
    e = html.escape
    rijen = []
    for pad, methoden in doc.get("paths", {}).items():
        for methode, op in methoden.items():
            rijen.append(
                f"<tr><td><code>{e(methode.upper())}</code></td><td><code>{e(PREFIX + pad)}</code></td>"
                f"<td>{e(op.get('summary', ''))}</td></tr>"
            )
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(doc['info']['title'])}</title></head><body><main>"
        f"<h1>{e(doc['info']['title'])}</h1><p>{e(doc['info'].get('description', ''))}</p>"
        f'<p>Het volledige document: <a href="{PREFIX}/openapi.json">openapi.json</a> (OpenAPI '
        f"{e(doc.get('openapi', ''))}).</p>"
        "<table><caption>Routes</caption><thead><tr><th scope=col>Methode</th>"
        "<th scope=col>Pad</th><th scope=col>Wat</th></tr></thead><tbody>"
        + "".join(rijen)
        + "</tbody></table></main></body></html>"
    )
