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

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from deployments.aanbieder_acties import Aanbieder, Probleem, schrijven
from deployments.aanbieder_api_routes import router
from deployments.aanbieder_toegang import PREFIX, PROBLEEM, Emmer, probleem
from models.aanvraag import Aanvraag
from models.db.engine_store import audit

__all__ = ["PREFIX", "Doorgang", "create_api"]


def _audit(request: Request, status: int) -> None:
    wie: Aanbieder | None = getattr(request.state, "aanbieder", None)
    if wie is None or (getattr(request.state, "geaudit", False) and status < 300):
        return  # a submission that succeeded was audited in its own transaction
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
