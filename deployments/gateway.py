"""The front door of the Prefect UI and API (issue 14): an ASGI gateway on the public port,
with Prefect on an internal loopback port behind it.

Why a gateway of our own: Prefect's open-source server knows one shared credential, no
users and no roles, so "who is at the keyboard" must be decided in front of it. Every
request gets an identity (deployments/gateway_auth.py) or goes no further (`/api/health`
stays open for probes); the role then decides what it may do (models/toegang.py). The
internal server holds a credential only this gateway knows (PREFECT_SERVER_API_AUTH_STRING),
so a process on the machine cannot go around the door either.

Production: behind an authenticating proxy (oauth2-proxy, an Entra ID application proxy),
whose identity header is trusted only from configured networks. That rather than validating
OIDC tokens here: the proxy already does the login flow, token refresh and MFA of the
zorgkantoor's identity provider, well kept by others; the gateway keeps one code path
(an id, then our database's role) for both setups. TLS goes in front (README).

How a request is decided (issue 23): its path is made canonical or refused (400), matched to
Prefect's own route table (deployments/gateway_routes.py) and looked up in the role's
allowlist (deployments/gateway_rechten.py); anything not listed is 403 and an audit event,
and what is forwarded is the canonical path of the matched route. The login signs the
decision: a Resume's identity field (`beoordelaar`, `behandelaar`, `ingediend_door`, …) of
the form the run waits on becomes the login's id, whatever was typed
(deployments/gateway_hervat.py), so four eyes are two logins (models/besluit.py refuses one
id twice). Views of a zaak's run, inputs and card are audit events
(deployments/gateway_audit.py)."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl, urlencode

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute

from deployments.dossier import dossier_routes
from deployments.gateway_audit import Logboek, Zaakcache, geval_van_run, zaken_van
from deployments.gateway_auth import Identiteit, Identiteiten
from deployments.gateway_hervat import hervat
from deployments.gateway_login import login_middleware, login_routes, naar_login
from deployments.gateway_rechten import (
    START_VELDEN,
    TABEL,
    Handeling,
    annuleren_toegestaan,
    handeling,
    reden_geweigerd,
    start_toegestaan,
)
from deployments.gateway_routes import OngeldigPad, Treffer, canoniek_pad
from deployments.gateway_ws import websocket_proxy
from deployments.werkbak import werkbak_routes
from models.settings import get_settings
from models.toegang import rol_bekend

HOP = {
    "host", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailers", "transfer-encoding", "upgrade", "authorization", "cookie", "content-length",
    "accept-encoding",
}  # fmt: skip
H = Handeling
VIEWS = (H.RUN_LEZEN, H.INVOER_LEZEN)  # views: logged once per window, not every poll


class Gateway:
    def __init__(self, upstream: str, internal_auth: str, transport=None):
        self.upstream = upstream.rstrip("/")
        token = base64.b64encode(internal_auth.encode()).decode()
        self.internal_auth = internal_auth
        self.upstream_auth = f"Basic {token}"
        self.ids = Identiteiten()
        self.logboek = Logboek()
        self.zaken = Zaakcache()
        # `transport`: a test's stand-in for the Prefect server (tests/integration).
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(60, connect=10), transport=transport)

    async def identiteit(self, conn) -> Identiteit | None:
        sessie = conn.session if "session" in conn.scope else {}
        host = conn.client.host if conn.client else None
        return await run_in_threadpool(self.ids.van, conn.headers, host, sessie)

    async def forward(
        self, request: Request, body: bytes, pad: str | None = None, query: str | None = None
    ) -> httpx.Response:
        """Send the request to Prefect: `pad` is the canonical path (quoted), `query` the
        query as decided on; by default the path and query as received."""
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP]
        if self.ids.header:
            headers = [(k, v) for k, v in headers if k.lower() != self.ids.header]
        headers += [("authorization", self.upstream_auth), ("accept-encoding", "identity")]
        if "host" in request.headers:
            # Prefect builds links from the Host it sees (the event feed's next_page): the
            # gateway's, so a link goes through the door and not to the internal port.
            headers.append(("host", request.headers["host"]))
        if pad is None:
            pad = (request.scope.get("raw_path") or request.url.path.encode()).decode("ascii")
        query = request.url.query if query is None else query
        url = self.upstream + pad + ("?" + query if query else "")
        req = self.client.build_request(request.method, url, headers=headers, content=body)
        return await self.client.send(req, stream=True)

    async def upstream_get(self, pad: str) -> httpx.Response:
        """A read of the gateway's own (the deployment to start, the wait of a run)."""
        return await self.client.get(
            self.upstream + pad, headers={"authorization": self.upstream_auth}
        )

    @staticmethod
    def stream(resp: httpx.Response) -> Response:
        headers = {
            k: v for k, v in resp.headers.items() if k.lower() not in HOP | {"content-encoding"}
        }
        return StreamingResponse(
            resp.aiter_bytes(),  # decoded: content-encoding is dropped above
            status_code=resp.status_code,
            headers=headers,
            background=BackgroundTask(resp.aclose),
        )

    @staticmethod
    async def buffered(resp: httpx.Response) -> tuple[Response, bytes]:
        content = await resp.aread()
        await resp.aclose()
        headers = {k: v for k, v in resp.headers.items() if k.lower() not in HOP}
        return Response(content, status_code=resp.status_code, headers=headers), content

    async def handle(self, request: Request) -> Response:
        try:
            return await self._handle(request)
        except ClientDisconnect:
            # The browser went elsewhere mid-request (the UI cancels its polls when a page
            # changes): nothing to answer, and no fault of ours to log.
            return Response(status_code=499)
        except httpx.TransportError as exc:
            return JSONResponse(
                {"detail": f"de Prefect-server antwoordt niet ({type(exc).__name__})"}, 502
            )

    async def _handle(self, request: Request) -> Response:
        try:
            pad = canoniek_pad(request.scope.get("raw_path") or request.url.path.encode())
        except OngeldigPad as exc:
            return JSONResponse({"detail": f"ongeldig pad: {exc}"}, 400)
        if pad == "/api/health":
            return self.stream(await self.forward(request, await request.body()))
        ident = await self.identiteit(request)
        if ident is None:
            if pad.startswith("/api/"):
                return JSONResponse({"detail": "niet ingelogd: log in of gebruik een dienst-"
                                     "credential (PREFECT_API_AUTH_STRING)"}, 401)  # fmt: skip
            return naar_login(request)
        if not ident.service and not rol_bekend(ident.rol):
            return JSONResponse({"detail": f"rol {ident.rol} heeft geen toegang"}, 403)
        body = await request.body()
        if ident.service:
            # Runner, workers and scripts carry out what the rules decided.
            if pad == "/ui-settings":
                return await self.ui_settings(request)
            return self.stream(await self.forward(request, body))
        if not pad.startswith("/api/"):
            # The UI's pages, scripts and styles: no case data; they only read.
            if request.method not in ("GET", "HEAD"):
                return await self.geweigerd(request, ident, None, "alleen lezen buiten /api")
            if pad == "/ui-settings":
                return await self.ui_settings(request)
            return self.stream(await self.forward(request, body))
        treffer = TABEL.match(request.method, pad)
        h = handeling(ident.rol, treffer.methode, treffer.template) if treffer else None
        if h is None:
            reden = (
                reden_geweigerd(ident.rol, treffer.methode, treffer.template)
                if treffer
                else "de Prefect-API kent dit verzoek niet"
            )
            return await self.geweigerd(request, ident, treffer, reden)
        return await self.uitvoeren(request, ident, treffer, h, body)

    async def uitvoeren(
        self, request: Request, ident: Identiteit, t: Treffer, h: Handeling, body: bytes
    ) -> Response:
        """Carry out an allowed route, always on its canonical path."""
        query = request.url.query
        if h == H.GEHEIM_LEZEN:
            query, body = zonder_geheimen(query, body)
        if h == H.HERVATTEN:
            return await hervat(self, request, ident, t, body)
        if h == H.LEEG_ANTWOORD:
            return JSONResponse({})
        if h == H.ANNULEREN:
            if reden := annuleren_toegestaan(_state_type(body)):
                return await self.geweigerd(request, ident, t, reden)
            # Forward what was decided on, not the bytes: JSON with a key twice could be
            # read one way here and another way by another parser.
            body = json.dumps(json.loads(body)).encode()
        deployment = None
        if h == H.STARTEN:
            body_of_reden = await self.start_body(ident, t, body)
            if isinstance(body_of_reden, str):
                return await self.geweigerd(request, ident, t, body_of_reden)
            body, deployment = body_of_reden
        resp = await self.forward(request, body, t.pad, query)
        if h == H.KAART_LEZEN:
            response, content = await self.buffered(resp)
            if response.status_code == 200:
                await self.kaarten_bekeken(ident.id, content)
            return response
        if resp.status_code < 300 and t.run_id:
            gebeurd = {
                H.RUN_LEZEN: "run_bekeken",
                H.INVOER_LEZEN: "invoer_bekeken",
                H.ANNULEREN: "run_geannuleerd",
                H.VERWIJDEREN: "run_verwijderd",
            }.get(h)
            if gebeurd and not (h in VIEWS and self.al_gelogd(ident.id, gebeurd, t.run_id)):
                await run_in_threadpool(self.audit_run, ident.id, gebeurd, t.run_id)
        if h == H.STARTEN and resp.status_code < 300:
            await run_in_threadpool(
                self.logboek.gebeurd, ident.id, "run_gestart", None, {"deployment": deployment}
            )
        return self.stream(resp)

    def al_gelogd(self, wie: str, actie: str, run_id: str) -> bool:
        """A view with nothing to write: of a run known to be no zaak, or of a zaak already
        logged in this window (the event loop answers it without a thread or the database)."""
        geval = self.zaken.uit_cache(run_id)
        if geval is Zaakcache.ONBEKEND:
            return False
        return (
            geval is None or geval.soort != "zaak" or self.logboek.al_gelogd(wie, geval.key, actie)
        )

    def audit_run(self, wie: str, actie: str, run_id: str) -> None:
        geval = self.zaken.van_run(run_id)
        if actie.endswith("_bekeken"):
            if geval:
                self.logboek.bekeken(wie, actie, [geval], {})
        else:
            self.logboek.gebeurd(wie, actie, geval, {"run": run_id})

    async def geweigerd(
        self, request: Request, ident: Identiteit, t: Treffer | None, reden: str
    ) -> Response:
        """403, and an audit event of what was asked (the route, not the body)."""
        geval = await run_in_threadpool(geval_van_run, t.run_id) if t and t.run_id else None
        details = {"methode": request.method, "pad": t.pad if t else request.url.path[:200]}
        if t:
            details["route"] = t.template
        await run_in_threadpool(
            self.logboek.gebeurd, ident.id, "dashboard_geweigerd", geval, details
        )
        return JSONResponse({"detail": reden}, 403)

    @staticmethod
    def _kaart_runs(content: bytes) -> tuple[set[str], set[str]]:
        """(run ids, artifact keys without a run) of an artifact answer."""
        try:
            data = json.loads(content)
        except ValueError:
            return set(), set()
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            items = data["results"]
        items = [a for a in items if isinstance(a, dict)]
        runs = {str(a["flow_run_id"]) for a in items if a.get("flow_run_id")}
        keys = {a["key"] for a in items if a.get("key") and not a.get("flow_run_id")}
        return runs, keys

    async def kaarten_bekeken(self, wie: str, content: bytes) -> None:
        runs, keys = self._kaart_runs(content)
        if keys or not all(self.al_gelogd(wie, "kaart_bekeken", r) for r in runs):
            await run_in_threadpool(self._kaarten, wie, runs, keys)

    def _kaarten(self, wie: str, runs: set[str], keys: set[str]) -> None:
        gevallen = [g for r in runs if (g := self.zaken.van_run(r))]
        gevallen += zaken_van(set(), keys) if keys else []
        self.logboek.bekeken(wie, "kaart_bekeken", gevallen, {})

    async def start_body(
        self, ident: Identiteit, t: Treffer, body: bytes
    ) -> tuple[bytes, str] | str:
        """(the body to start a run with, the deployment), or why this start is refused."""
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return "ongeldige JSON in het startverzoek"
        if not isinstance(data, dict):
            return "het startverzoek is geen JSON-object"
        resp = await self.upstream_get(f"/api/deployments/{t.params['id']}")
        naam = resp.json().get("name") if resp.status_code == 200 else None
        if reden := start_toegestaan(ident.rol, naam, data):
            return reden
        schoon = {k: v for k, v in data.items() if k in START_VELDEN}
        return json.dumps(schoon).encode(), naam

    async def ui_settings(self, request: Request) -> Response:
        """The UI asks whether to show Prefect's own password prompt: no, the gateway logs in."""
        response, content = await self.buffered(await self.forward(request, b""))
        try:
            data = json.loads(content)
        except ValueError:
            return response
        data["auth"] = None
        return JSONResponse(data, response.status_code)


def zonder_geheimen(query: str, body: bytes) -> tuple[str, bytes]:
    """A person's read of block documents, with `include_secrets` taken out: Prefect then
    answers a Secret's value obfuscated."""
    paren = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "include_secrets"]
    if body:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict) and "include_secrets" in data:
            data["include_secrets"] = False
            body = json.dumps(data).encode()
    return urlencode(paren), body


def _state_type(body: bytes) -> str | None:
    try:
        return (json.loads(body or b"{}").get("state") or {}).get("type")
    except (ValueError, AttributeError):
        return None


def create_app(
    upstream: str | None = None, internal_auth: str | None = None, transport=None
) -> Starlette:
    settings = get_settings()
    gw = Gateway(
        upstream or settings.gateway_upstream,
        internal_auth or settings.gateway_internal_auth,
        transport,
    )
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    routes = [
        *login_routes(gw),
        # Issue 27: the werkbak and the dossier, served by the gateway from the case database.
        *werkbak_routes(gw),
        *dossier_routes(gw),
        WebSocketRoute("/{path:path}", lambda ws: websocket_proxy(gw, ws)),
        Route("/{path:path}", gw.handle, methods=methods),
    ]
    middleware = login_middleware(settings)
    # The providers' API (issue 28): after the request limits, before the staff's cookies
    # and logins; its own keys, not the staff's roles (deployments/aanbieder_api.py).
    from deployments.aanbieder_api import Doorgang

    middleware.insert(1, Middleware(Doorgang))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.gateway = gw
    return app
