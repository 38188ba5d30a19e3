"""Intake: poll the provider portal and start exactly one lifecycle per new aanvraag.

The portal answers a JSON list of `{"referentie": "...", "aanvraag": {...}}`. The
provider's reference is the idempotency key; an invalid item is reported back to the
provider (or to operations when the provider is unknown), once."""

from __future__ import annotations

from prefect import flow, get_run_logger

from models.settings import get_settings
from tasks import runs
from tasks.intake import haal_aanvragen
from tasks.notify import deliver_pending
from tasks.taken import intake_item_task


@flow(name="meerzorg-intake", log_prints=False)
def intake(url: str | None = None) -> dict:
    """Poll the provider portal (MEERZORG_INTAKE_URL) and start a lifecycle per new aanvraag."""
    log = get_run_logger()
    url = url or get_settings().intake_url
    if not url:
        log.warning("MEERZORG_INTAKE_URL is not set: nothing to poll")
        return {"nieuw": 0, "bekend": 0, "ongeldig": 0}
    items = haal_aanvragen(url)
    resultaten = [intake_item_task(item) for item in items]
    runs.start_missing_runs()
    deliver_pending()
    telling = {
        k: sum(r["resultaat"] == k for r in resultaten) for k in ("nieuw", "bekend", "ongeldig")
    }
    log.info("intake: %s", telling)
    return {**telling, "zaken": [r.get("zaak") for r in resultaten if r.get("zaak")]}
