"""Who calls the provider's API (issue 28): the key behind the bearer token, its rate limit,
and the shape of every refusal (an RFC 9457 problem)."""

from __future__ import annotations

import threading
import time

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from deployments.aanbieder_acties import Aanbieder, Probleem, lezen
from models.db.aanbieder_sleutels import sleutel_van
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
    with lezen() as session:
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
