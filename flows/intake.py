"""Intake: poll the provider portal and start exactly one lifecycle per new aanvraag.

The portal answers a JSON list of `{"referentie": "...", "aanvraag": {...}}`. The
provider's reference is the idempotency key; an invalid item is reported back to the
provider (or to operations when the provider is unknown), once."""

from __future__ import annotations

import time

import httpx
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import ValidationError

from models.aanvraag import InvoerFout, fout_regel, parse_aanvraag
from models.dates import vandaag
from models.db.engine_store import queue_bericht
from models.db.store import session_scope
from models.db.tables import Zorgaanbieder
from models.settings import get_settings
from tasks import runs
from tasks import zaak as zaak_ops
from tasks.notify import deliver_pending


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


def _referentie(item) -> str | None:
    if isinstance(item, dict):
        ref = item.get("referentie") or (item.get("aanvraag") or {}).get("provider_referentie")
        return str(ref)[:128] if ref else None
    return None


@task(name="verwerk-intake-item", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def verwerk_item(item) -> dict:
    ref = _referentie(item)
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
    run_id = runs.start_lifecycle(
        key, aanvraag.zorgaanbieder.agb, aanvraag.clienten[0].leveringsvorm
    )
    return {
        "referentie": ref,
        "resultaat": "nieuw" if nieuw else "bekend",
        "zaak": key,
        "flow_run_id": run_id,
    }


@flow(name="meerzorg-intake", log_prints=False)
def intake(url: str | None = None) -> dict:
    """Poll the provider portal (MEERZORG_INTAKE_URL) and start a lifecycle per new aanvraag."""
    log = get_run_logger()
    url = url or get_settings().intake_url
    if not url:
        log.warning("MEERZORG_INTAKE_URL is not set: nothing to poll")
        return {"nieuw": 0, "bekend": 0, "ongeldig": 0}
    items = haal_aanvragen(url)
    resultaten = [verwerk_item(item) for item in items]
    runs.start_missing_runs()
    deliver_pending()
    telling = {
        k: sum(r["resultaat"] == k for r in resultaten) for k in ("nieuw", "bekend", "ongeldig")
    }
    log.info("intake: %s", telling)
    return {**telling, "zaken": [r.get("zaak") for r in resultaten if r.get("zaak")]}
