"""`python -m deployments.gateway_serve --host H --port P`: the gateway as its own process
(started by deployments/system.py when MEERZORG_AUTH=aan)."""

from __future__ import annotations

import argparse

import uvicorn

from deployments.gateway import create_app
from models.settings import get_settings


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default=get_settings().gateway_host)
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    settings = get_settings()
    tls = {}
    if settings.tls_certfile:
        tls = {"ssl_certfile": settings.tls_certfile, "ssl_keyfile": settings.tls_keyfile or None}
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        # The trusted-network check reads the peer's own address: never one from a header.
        proxy_headers=False,
        log_level="warning",
        **tls,
    )


if __name__ == "__main__":
    main()
