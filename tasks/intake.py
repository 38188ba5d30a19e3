"""Intake from the provider portal, as plain functions: fetch the list with retries, and
register one item (the provider's reference is the idempotency key; an invalid item is
reported back once). flows/intake.py runs them as tasks."""

from __future__ import annotations

import time

import httpx
from pydantic import ValidationError

from models.aanvraag import InvoerFout, fout_regel, parse_aanvraag
from models.dates import vandaag
from models.db.engine_store import queue_bericht
from models.db.store import session_scope
from models.db.tables import Zorgaanbieder
from tasks import runs
from tasks import zaak as zaak_ops


class PortaalFout(RuntimeError):
    pass


def haal_aanvragen(
    url: str, pogingen: int = 4, backoff: float = 1.0, timeout: float = 10.0
) -> list:
    """GET the portal with timeouts and retries (exponential backoff on errors and 5xx)."""
    laatste = ""
    for poging in range(pogingen):
        try:
            response = httpx.get(url, timeout=httpx.Timeout(timeout, connect=5.0))
            if response.status_code < 500:
                response.raise_for_status()
                data = response.json()
                if not isinstance(data, list):
                    raise PortaalFout(
                        f"portal answered {type(data).__name__}, expected a JSON list"
                    )
                return data
            laatste = f"HTTP {response.status_code}"
        except (httpx.TransportError, httpx.HTTPStatusError, ValueError) as exc:
            if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code < 500:
                raise PortaalFout(f"portal refused: HTTP {exc.response.status_code}") from None
            if isinstance(exc, ValueError) and not isinstance(exc, httpx.TransportError):
                raise PortaalFout("portal answered something that is not JSON") from None
            laatste = f"{type(exc).__name__}: {exc}"
        time.sleep(backoff * (2**poging))
    raise PortaalFout(f"portal unreachable after {pogingen} attempts: {laatste}")


def referentie(item) -> str | None:
    if isinstance(item, dict):
        ref = item.get("referentie") or (item.get("aanvraag") or {}).get("provider_referentie")
        return str(ref)[:128] if ref else None
    return None


def verwerk_item(item) -> dict:
    ref = referentie(item)
    if ref is None:
        with session_scope() as session:
            queue_bericht(
                session=session,
                sleutel=f"intake-zonder-referentie-{hash(str(item)) & 0xFFFFFFFF:x}",
                sjabloon="intake_ongeldig",
                kanaal="operations",
                referentie="(geen)",
                fout="item heeft geen referentie",
            )
        return {"referentie": None, "resultaat": "ongeldig"}
    try:
        aanvraag = parse_aanvraag(item.get("aanvraag"))
    except (InvoerFout, ValidationError) as exc:
        fout = str(exc) if isinstance(exc, InvoerFout) else fout_regel(exc)
        agb = (
            ((item.get("aanvraag") or {}).get("zorgaanbieder") or {}).get("agb")
            if isinstance(item.get("aanvraag"), dict)
            else None
        )
        with session_scope() as session:
            bekend = agb is not None and session.get(Zorgaanbieder, str(agb)) is not None
            queue_bericht(
                session=session,
                sleutel=f"intake-{ref}-ongeldig",
                sjabloon="intake_ongeldig",
                kanaal="aanbieder" if bekend else "operations",
                agb=str(agb) if bekend else None,
                referentie=ref,
                fout=fout,
            )
        return {"referentie": ref, "resultaat": "ongeldig", "fout": fout}
    key, nieuw = zaak_ops.registreer(aanvraag, vandaag(), provider_referentie=ref, actor="intake")
    run_id = runs.start_lifecycle(key, aanvraag.agb, aanvraag.clienten[0].leveringsvorm)
    return {
        "referentie": ref,
        "resultaat": "nieuw" if nieuw else "bekend",
        "zaak": key,
        "flow_run_id": run_id,
    }
