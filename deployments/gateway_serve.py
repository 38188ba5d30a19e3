"""`python -m deployments.gateway_serve --host H --port P`: the gateway as its own process
(started by deployments/system.py when MEERZORG_AUTH=aan).

What a connection may hold (300 half-open requests were held before): uvicorn 0.54 with
h11 has a keep-alive timeout between requests, a cap on the header size and on concurrent
connections, but **no timeout for a request's headers** (a connection that sends nothing,
or half a request line, stays open until the client goes). `H11MetKoptijd` adds one: the
headers must be complete within KOPTIJD of the connection's first byte or of its start.
A body's read timeout and size limit are the ASGI middleware's (deployments/gateway_grenzen.py).
What is left: up to MAX_VERBINDINGEN connections may each hold KOPTIJD; beyond that uvicorn
answers 503 (a flood of connections needs a limit in front, at the proxy or firewall)."""

from __future__ import annotations

import argparse

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from models.settings import get_settings

KOPTIJD = 10.0  # aanname: a browser or the CLI sends its headers in one packet
KEEP_ALIVE = 5  # uvicorn's default, stated: an idle connection closes after it
MAX_KOP = 16 * 1024  # bytes of request line and headers (h11's default, stated)
MAX_VERBINDINGEN = 512


class H11MetKoptijd(H11Protocol):
    """uvicorn's h11 protocol with a timeout for the request's headers."""

    _kop_timer = None

    def _wekker(self) -> None:
        koptijd = getattr(self.config, "koptijd", KOPTIJD)
        self._kop_timer = self.loop.call_later(koptijd, self._kop_te_laat)

    def _stop_wekker(self) -> None:
        if self._kop_timer is not None:
            self._kop_timer.cancel()
            self._kop_timer = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._wekker()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # IDLE: h11 has not yet seen a whole request line and headers.
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            self._stop_wekker()
        elif self._kop_timer is None:
            self._wekker()

    def connection_lost(self, exc) -> None:
        self._stop_wekker()
        super().connection_lost(exc)

    def _kop_te_laat(self) -> None:
        self._kop_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def config(app, host: str, port: int, koptijd: float = KOPTIJD) -> uvicorn.Config:
    settings = get_settings()
    tls = {}
    if settings.tls_certfile:
        tls = {"ssl_certfile": settings.tls_certfile, "ssl_keyfile": settings.tls_keyfile or None}
    cfg = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=H11MetKoptijd,
        # The trusted-network check reads the peer's own address: never one from a header.
        proxy_headers=False,
        timeout_keep_alive=KEEP_ALIVE,
        h11_max_incomplete_event_size=MAX_KOP,
        limit_concurrency=MAX_VERBINDINGEN,
        log_level="warning",
        **tls,
    )
    cfg.koptijd = koptijd  # read by H11MetKoptijd (uvicorn hands its protocol the config)
    return cfg


def main() -> None:
    from deployments.gateway import create_app

    p = argparse.ArgumentParser()
    p.add_argument("--host", default=get_settings().gateway_host)
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    from deployments.bestanden import prive_umask

    prive_umask()  # the gateway's log and secrets are the service's alone (issue 23)
    try:
        uvicorn.Server(config(create_app(), args.host, args.port)).run()
    except KeyboardInterrupt:
        # Stopped with SIGINT, as uvicorn.run() treats it too: a stop, not a fault.
        pass


if __name__ == "__main__":
    main()
