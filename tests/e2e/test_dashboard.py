"""A person decides a zaak in the Prefect dashboard, in a real (headless) Chromium, against
the running embedded system: find the run, read the case card, fill the Resume form,
submit, and see the outcome in the dashboard, the database and the provider's inbox."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.ui import Dashboard
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until
from tests.flows.test_lifecycle import individueel

pytestmark = pytest.mark.usefixtures("aanbieders")


def indienen(data: dict) -> tuple[str, str]:
    from deployments import operations as ops
    from models.dates import vandaag

    # Playwright's sync API keeps an event loop running in this thread, which makes
    # Prefect's dual sync/async functions (run_deployment) return coroutines: submit the
    # aanvraag from another thread, as a separate process would.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(ops.indienen, json.dumps(data), vandaag()).result()
    return result["zaak"], result["flow_run_id"]


def berichten(sink, zaak: str) -> list[str]:
    return [r["title"] or "" for r in sink.received if zaak in (r["title"] or "")]


def test_an_assessor_grants_a_zaak_in_the_dashboard(system, aanbieders, page):
    from deployments import operations as ops

    zaak, run_id = indienen(individueel("E2E-TOEKENNEN", "LINDE-301", "999991000"))
    wait_for_wait(zaak, "beoordeling-1")
    ui = Dashboard(page, system.ui_url)

    # The run is found by its name (the zaak key) on the Runs page.
    ui.open_run_by_name(zaak)
    assert run_id in page.url
    # Its Artifacts tab carries the case card of this wait.
    ui.tab("Artifacts")
    page.get_by_text(f"zaak-{zaak.lower()}").first.wait_for()

    # Prefect 3.8.8's Resume modal lets the description shrink to nothing when the form
    # is taller than the window (README, "Dashboard"): a tall window shows both.
    page.set_viewport_size({"width": 1400, "height": 2600})
    modal = ui.open_resume()
    card = ui.card(modal)
    card.wait_for()
    assert f"Zaak {zaak}" in card.inner_text()
    assert "Beoordeel de aanvraag" in card.inner_text()
    assert card.bounding_box()["height"] > 200
    assert "999991000" not in modal.inner_text()  # pseudonymous: no BSN on the form

    ui.choose(modal, "Uitkomst", "toekennen")
    ui.choose(modal, "Kwaliteit Van Leven", "voldoet")
    ui.fill(modal, "Onderbouwing", "Zorgvraag overstijgt het profiel ruim; doelen helder.")
    ui.fill(modal, "Beoordelaar", "b-001")
    ui.submit(modal)

    z = wait_for_status(zaak, "lopend", timeout=180)
    assert [b["uitkomst"] for b in z["besluiten"]] == ["toekennen"]
    assert z["besluiten"][0]["beoordelaar"] == "b-001"
    assert [b["client_id"] for b in z["beschikkingen"]] == ["LINDE-301"]
    wait_until(
        lambda: any("toegekend" in t for t in berichten(aanbieders, zaak)),
        90,
        what="the provider's toekenning notification",
    )

    # Back in the dashboard: the run waits on its timers and its card shows the beschikking.
    wait_for_wait(zaak, "einde-beschikking-")
    page.set_viewport_size({"width": 1400, "height": 900})
    ui.open_run(run_id)
    page.get_by_text("wacht-op:einde-beschikking").first.wait_for()
    assert ops.zaak_overzicht(zaak, log_read=False)["wacht_op"] == "einde-beschikking"


def test_afwijzen_without_onderbouwing_shows_the_error_on_the_next_form(system, aanbieders, page):
    zaak, run_id = indienen(individueel("E2E-AFWIJZEN", "LINDE-302", "999991012"))
    wait_for_wait(zaak, "beoordeling-1")
    ui = Dashboard(page, system.ui_url)
    page.set_viewport_size({"width": 1400, "height": 2600})

    # The assessor's view: the Runs page filtered on wacht-op:beoordeling.
    ui.open_run_by_name(zaak, tag="wacht-op:beoordeling")
    modal = ui.open_resume()
    ui.choose(modal, "Uitkomst", "afwijzen")
    ui.fill(modal, "Beoordelaar", "b-001")
    # The server refuses the first Submit (as SQLite does under heavy load): the UI says so,
    # the run keeps waiting, and Submit again goes through.
    refused = []

    def refuse_once(route):
        if refused:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.fulfill(status=500, body='{"detail": "database is locked"}')

    page.route("**/api/flow_runs/*/resume", refuse_once)
    ui.submit(modal)
    assert refused == [f"{system.api_url}/flow_runs/{run_id}/resume"]
    page.unroute("**/api/flow_runs/*/resume")

    wait_for_wait(zaak, "beoordeling-2")
    page.reload()
    modal = ui.open_resume()
    card = ui.card(modal)
    card.wait_for()
    assert "Invoer niet verwerkt" in card.inner_text()
    assert "afwijzen vraagt een onderbouwing" in card.inner_text()

    # Corrected, the refusal goes through and the provider hears of it.
    ui.choose(modal, "Uitkomst", "afwijzen")
    ui.fill(modal, "Onderbouwing", "Basiszorg is niet op orde; eerst een verbeterplan.")
    ui.fill(modal, "Beoordelaar", "b-001")
    ui.submit(modal)
    z = wait_for_status(zaak, "bezwaartermijn", timeout=180)
    assert z["besluiten"][0]["onderbouwing"].startswith("Basiszorg")
    wait_until(
        lambda: any("afgewezen" in t for t in berichten(aanbieders, zaak)),
        90,
        what="the provider's afwijzing notification",
    )
