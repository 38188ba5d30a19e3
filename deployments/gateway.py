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

The login signs the decision: a Resume's identity field (`beoordelaar`, `behandelaar`,
`ingediend_door`, …) becomes the login's id, whatever was typed (overridden, not refused:
the form's default text would otherwise make every Resume fail), so four eyes are two
logins (models/besluit.py refuses one id twice). Views of a zaak's run, inputs and card
are audit events (deployments/gateway_audit.py)."""

from __future__ import annotations

import base64
import json
import re

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute

from deployments.gateway_audit import Logboek, geval_van_run, zaken_van
from deployments.gateway_auth import Identiteit, Identiteiten
from deployments.gateway_login import login_middleware, login_routes, naar_login
from deployments.gateway_ws import websocket_proxy
from models.settings import get_settings
from models.toegang import (
    ANALYSE_DEPLOYMENTS,
    Actie,
    actie_van,
    identiteit_veld,
    mag,
    mag_hervatten,
    onderteken,
    rol_bekend,
)

HOP = {
    "host", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailers", "transfer-encoding", "upgrade", "authorization", "cookie", "content-length",
    "accept-encoding",
}  # fmt: skip
_UUID = r"[0-9a-fA-F-]{36}"
_RUN = re.compile(rf"^/api/flow_runs/(?P<id>{_UUID})$")
_INVOER = re.compile(rf"^/api/flow_runs/(?P<id>{_UUID})/input(/.*)?$")
_ARTIFACTS = re.compile(r"^/api/artifacts/(filter|latest/filter|[^/]+(/latest)?)$")


class Gateway:
    def __init__(self, upstream: str, internal_auth: str, transport=None):
        self.upstream = upstream.rstrip("/")
        token = base64.b64encode(internal_auth.encode()).decode()
        self.internal_auth = internal_auth
        self.upstream_auth = f"Basic {token}"
        self.ids = Identiteiten()
        self.logboek = Logboek()
        # `transport`: a test's stand-in for the Prefect server (tests/integration).
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(60, connect=10), transport=transport)

    async def identiteit(self, conn) -> Identiteit | None:
        sessie = conn.session if "session" in conn.scope else {}
        host = conn.client.host if conn.client else None
        return await run_in_threadpool(self.ids.van, conn.headers, host, sessie)

    async def forward(self, request: Request, body: bytes) -> httpx.Response:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP]
        if self.ids.header:
            headers = [(k, v) for k, v in headers if k.lower() != self.ids.header]
        headers += [("authorization", self.upstream_auth), ("accept-encoding", "identity")]
        if "host" in request.headers:
            # Prefect builds links from the Host it sees (the event feed's next_page): the
            # gateway's, so a link goes through the door and not to the internal port.
            headers.append(("host", request.headers["host"]))
        url = self.upstream + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        req = self.client.build_request(request.method, url, headers=headers, content=body)
        return await self.client.send(req, stream=True)

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
        path = request.url.path
        if path == "/api/health":
            return self.stream(await self.forward(request, await request.body()))
        ident = await self.identiteit(request)
        if ident is None:
            if path.startswith("/api/"):
                return JSONResponse({"detail": "niet ingelogd: log in of gebruik een dienst-"
                                     "credential (PREFECT_API_AUTH_STRING)"}, 401)  # fmt: skip
            return naar_login(request)
        if not ident.service and not rol_bekend(ident.rol):
            return JSONResponse({"detail": f"rol {ident.rol} heeft geen toegang"}, 403)
        body = await request.body()
        state_type = _state_type(body) if path.endswith("/set_state") else None
        actie, obj = actie_van(request.method, path, state_type)
        if actie == Actie.HERVATTEN:
            return await self.hervat(request, ident, obj, body)
        reden = mag(ident.rol, actie)
        if reden is None and actie == Actie.STARTEN and ident.rol == "analist":
            reden = await self.analyse_deployment(obj)
        if reden is not None:
            geval = await run_in_threadpool(geval_van_run, obj) if obj else None
            await run_in_threadpool(
                self.logboek.gebeurd,
                ident.id,
                "dashboard_geweigerd",
                geval,
                {"actie": str(actie), "methode": request.method, "pad": path},
            )
            return JSONResponse({"detail": reden}, 403)
        if path == "/ui-settings":
            return await self.ui_settings(request)
        if ident.service or request.method not in ("GET", "POST"):
            return self.stream(await self.forward(request, body))
        return await self.met_audit(request, ident, body)

    async def met_audit(self, request: Request, ident: Identiteit, body: bytes) -> Response:
        """Forward a read; a read of a zaak's run, inputs or card is an audit event."""
        path = request.url.path
        if request.method == "GET" and (m := _RUN.match(path) or _INVOER.match(path)):
            resp = await self.forward(request, body)
            if resp.status_code == 200:
                actie = "run_bekeken" if _RUN.match(path) else "invoer_bekeken"
                geval = await run_in_threadpool(geval_van_run, m["id"])
                if geval:
                    await run_in_threadpool(self.logboek.bekeken, ident.id, actie, [geval], {})
            return self.stream(resp)
        if _ARTIFACTS.match(path):
            response, content = await self.buffered(await self.forward(request, body))
            if response.status_code == 200:
                await run_in_threadpool(self._kaarten, ident.id, content)
            return response
        return self.stream(await self.forward(request, body))

    def _kaarten(self, wie: str, content: bytes) -> None:
        try:
            data = json.loads(content)
        except ValueError:
            return
        items = data if isinstance(data, list) else [data]
        runs = {
            str(a["flow_run_id"]) for a in items if isinstance(a, dict) and a.get("flow_run_id")
        }
        keys = {a["key"] for a in items if isinstance(a, dict) and a.get("key")}
        self.logboek.bekeken(wie, "kaart_bekeken", zaken_van(runs, keys), {})

    async def hervat(self, request: Request, ident: Identiteit, run_id: str, body: bytes):
        geval = await run_in_threadpool(geval_van_run, run_id)
        soort, status = (geval.soort, geval.status) if geval else (None, None)
        reden = mag_hervatten(ident.rol, soort, status)
        if reden is not None:
            await run_in_threadpool(
                self.logboek.gebeurd, ident.id, "hervatten_geweigerd", geval, {"wacht": status}
            )
            return JSONResponse({"detail": reden}, 403)
        details = {"wacht": status}
        if not ident.service:
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return JSONResponse({"detail": "ongeldige JSON in het Resume-verzoek"}, 422)
            veld = identiteit_veld(soort, status)
            getypt = ((data.get("run_input") or {}).get(veld) or "").strip() if veld else ""
            data["run_input"] = onderteken(data.get("run_input") or {}, veld, ident.id)
            body = json.dumps(data).encode()
            details |= {"veld": veld, "getypt_overschreven": bool(getypt and getypt != ident.id)}
        resp = await self.forward(request, body)
        if resp.status_code < 300:
            await run_in_threadpool(self.logboek.gebeurd, ident.id, "hervat", geval, details)
        return self.stream(resp)

    async def analyse_deployment(self, deployment_id: str) -> str | None:
        resp = await self.client.get(
            f"{self.upstream}/api/deployments/{deployment_id}",
            headers={"authorization": self.upstream_auth},
        )
        naam = resp.json().get("name") if resp.status_code == 200 else None
        if naam in ANALYSE_DEPLOYMENTS:
            return None
        return f"een analist start alleen de analyses ({', '.join(sorted(ANALYSE_DEPLOYMENTS))})"

    async def ui_settings(self, request: Request) -> Response:
        """The UI asks whether to show Prefect's own password prompt: no, the gateway logs in."""
        response, content = await self.buffered(await self.forward(request, b""))
        try:
            data = json.loads(content)
        except ValueError:
            return response
        data["auth"] = None
        return JSONResponse(data, response.status_code)


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
        WebSocketRoute("/{path:path}", lambda ws: websocket_proxy(gw, ws)),
        Route("/{path:path}", gw.handle, methods=methods),
    ]
    middleware = login_middleware(settings)
    app = Starlette(routes=routes, middleware=middleware)
    app.state.gateway = gw
    return app
