"""Websockets through the gateway: the runner's and workers' event stream (`/api/events/in`)
and any other Prefect socket. The Prefect UI of 3.9.1 opens none (it polls), so a socket is
a service's or a script's, and only the service identity gets one (issue 23: a person's
`/api/events/out` or `/api/logs/out` would read every run's events unaudited). Prefect authenticates a socket by its first message
(`{"type": "auth", "token": …}`, the client's PREFECT_API_AUTH_STRING); the gateway checks
that identity (or the upgrade's Basic header) and hands the internal credential on."""

from __future__ import annotations

import asyncio
import base64
import json

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from deployments.gateway_routes import OngeldigPad, canoniek_pad

POLICY_VIOLATION = 1008


async def websocket_proxy(gw, ws: WebSocket) -> None:
    try:
        path = canoniek_pad(ws.scope.get("raw_path") or ws.url.path.encode())
    except OngeldigPad:
        await ws.close(POLICY_VIOLATION)
        return
    ident = await gw.identiteit(ws)
    prefect = "prefect" in ws.scope.get("subprotocols", [])
    await ws.accept(subprotocol="prefect" if prefect else None)
    eerste = None
    if prefect:
        try:
            eerste = json.loads(await ws.receive_text())
        except (ValueError, WebSocketDisconnect):
            return
        if ident is None and eerste.get("type") == "auth" and eerste.get("token"):
            basic = "Basic " + base64.b64encode(str(eerste["token"]).encode()).decode()
            ident = await run_in_threadpool(gw.ids.basic, basic)
    if ident is None or not ident.service:
        if prefect:
            await ws.send_text(json.dumps({"type": "auth_failure", "reason": "niet toegestaan"}))
        await ws.close(POLICY_VIOLATION)
        return
    url = gw.upstream.replace("http", "ws", 1) + path
    if ws.url.query:
        url += "?" + ws.url.query
    try:
        async with connect(
            url,
            additional_headers={"Authorization": gw.upstream_auth},
            subprotocols=[Subprotocol("prefect")] if prefect else None,
            max_size=None,
        ) as up:
            if eerste is not None:
                if eerste.get("type") == "auth":
                    eerste["token"] = gw.internal_auth
                await up.send(json.dumps(eerste))
            await _pomp(ws, up)
    except (OSError, ConnectionClosed):
        pass
    finally:
        try:
            await ws.close()
        except (RuntimeError, WebSocketDisconnect):
            pass  # the client already went: nothing to close


async def _pomp(ws: WebSocket, up) -> None:
    async def naar_boven():
        while True:
            msg = await ws.receive()
            if msg["type"] == "websocket.disconnect":
                return
            await up.send(msg.get("text") if msg.get("text") is not None else msg.get("bytes"))

    async def naar_beneden():
        async for msg in up:
            if isinstance(msg, bytes):
                await ws.send_bytes(msg)
            else:
                await ws.send_text(msg)

    taken = [asyncio.create_task(naar_boven()), asyncio.create_task(naar_beneden())]
    done, pending = await asyncio.wait(taken, return_when=asyncio.FIRST_COMPLETED)
    for t in pending:
        t.cancel()
    for t in done:
        if t.exception() and not isinstance(t.exception(), (ConnectionClosed, WebSocketDisconnect)):
            raise t.exception()
