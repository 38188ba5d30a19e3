"""A person decides a zaak in the Prefect dashboard, in a real (headless) Chromium, against
the running embedded system: find the run, read the case card, fill the Resume form,
submit, and see the outcome in the dashboard, the database and the provider's inbox."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.ui import Dashboard
from tests.factories import unieke_bsn
from tests.flows.conftest import WACHTWOORD, wait_for_status, wait_for_wait, wait_until
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


DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHERMEN = {"1366x768": (1366, 768, 301, "999991000"), "1920x1080": (1920, 1080, 303, "999991024")}


def beoordeel_volledig(ui: Dashboard, modal, beoordelaar: str = "b-001", kies=None) -> None:
    """A complete toekenning in the order of the form: pillars with motivation, the R §10
    criteria, the uitkomst, the perspectief and who decides (term and amount from the toets).
    `kies`: how a dropdown is picked (ui.kies picks without pauses)."""
    kies = kies or ui.choose
    for pijler in ("Pijler 1", "Pijler 2", "Pijler 3"):
        kies(modal, pijler, "voldoet")
    ui.fill(modal, "Motivering kwaliteit van leven", "Minder incidenten, meer dagstructuur.")
    ui.fill(modal, "Motivering doelmatigheid", "Inzet past bij de doelen.")
    ui.fill(modal, "Motivering maatschappelijk verantwoord", "Andere opties zijn benut.")
    for criterium in (
        "Zorg en context",
        "Basiszorg en context",
        "Zorgvraag past niet",
        "Andere mogelijkheden",
        "Doelen geven perspectief",
        "Inzet en bedrag",
    ):
        ui.toggle(modal, criterium)
    kies(modal, "Uitkomst", "toekennen")
    start = dt.date.fromisoformat(ui.value(modal, "Start beschikking"))
    ui.fill(modal, "Perspectief: verwachte afbouw", "Afbouw van de avondbegeleiding na een jaar.")
    ui.fill(modal, "Perspectief evalueren op", (start + dt.timedelta(days=180)).isoformat())
    ui.fill(modal, "Beoordelaar", beoordelaar)


@pytest.mark.parametrize("scherm", list(SCHERMEN))
def test_an_assessor_grants_a_zaak_in_the_dashboard_on_a_normal_screen(
    system, aanbieders, page, scherm
):
    from deployments import operations as ops

    breedte, hoogte, n, _ = SCHERMEN[scherm]
    bsn = unieke_bsn()  # no other zaak of this process has her (the overlap check)
    client_id = f"LINDE-{n}"
    zaak, run_id = indienen(individueel(f"E2E-TOEKENNEN-{n}", client_id, bsn))
    wait_for_wait(zaak, "beoordeling-1")
    page.set_viewport_size({"width": breedte, "height": hoogte})
    ui = Dashboard(page, system.ui_url)
    # Logged in, the assessor's own page opens: her werkbak (issue 27 point 5).
    ui.login("b-001", WACHTWOORD)
    assert page.url.endswith("/werkbak"), page.url

    # The run is found by its name (the zaak key) on the Runs page.
    ui.open_run_by_name(zaak)
    assert run_id in page.url
    # Its Artifacts tab carries the full case card of this wait.
    ui.tab("Artifacts")
    page.get_by_text(f"zaak-{zaak.lower()}").first.wait_for()

    # On a normal screen the toets's essentials open the form, on screen beside the fields,
    # whatever room Prefect's dialog leaves the card above it.
    modal = ui.open_resume()
    samenvatting = modal.get_by_text("Overschrijding", exact=False).first
    samenvatting.wait_for()
    assert ui.in_view(samenvatting)
    assert ui.in_view(ui.field(modal, "Pijler 1"))
    assert bsn not in modal.inner_text()  # pseudonymous: no BSN on the form
    assert "(Optional)" in modal.inner_text() and "Property is type None" not in modal.inner_text()

    beoordeel_volledig(ui, modal)
    modal.locator(".p-modal__body").evaluate("b => b.scrollTo(0, 0)")
    # The README's screenshots are rewritten only when asked (MEERZORG_SCREENSHOTS=1): a test
    # run leaves the checkout as it was.
    doel = DOCS if os.environ.get("MEERZORG_SCREENSHOTS") else Path(tempfile.gettempdir())
    page.screenshot(path=str(doel / f"beoordeling-{scherm}.png"))
    ui.submit(modal)

    z = wait_for_status(zaak, "lopend", timeout=180)
    assert [b["uitkomst"] for b in z["besluiten"]] == ["toekennen"]
    assert z["besluiten"][0]["beoordelaar"] == "b-001"
    assert [b["client_id"] for b in z["beschikkingen"]] == [client_id]
    wait_until(
        lambda: any("toegekend" in t for t in berichten(aanbieders, zaak)),
        90,
        what="the provider's toekenning notification",
    )

    # Back in the dashboard: the run waits on its timers and its card shows the beschikking.
    wait_for_wait(zaak, "einde-beschikking-")
    ui.open_run(run_id)
    page.get_by_text("wacht-op:einde-beschikking").first.wait_for()
    assert ops.zaak_overzicht(zaak, log_read=False)["wacht_op"] == "einde-beschikking"


def test_toekennen_with_a_failing_pillar_waits_again_with_the_rule_on_the_form(
    system, aanbieders, page
):
    zaak, run_id = indienen(individueel("E2E-PIJLER", "LINDE-304", unieke_bsn()))
    wait_for_wait(zaak, "beoordeling-1")
    ui = Dashboard(page, system.ui_url)
    page.set_viewport_size({"width": 1366, "height": 768})
    ui.login("b-001", WACHTWOORD)
    ui.open_run(run_id)
    modal = ui.open_resume()
    beoordeel_volledig(ui, modal)
    ui.choose(modal, "Pijler 2", "voldoet niet")
    ui.submit(modal)
    wait_for_wait(zaak, "beoordeling-2")
    page.reload()
    # The reason opens the next form, on screen at 1366x768 (the card above may be squeezed).
    eerste = ui.field(ui.open_resume(), "Pijler 1")
    page.get_by_text("Invoer niet verwerkt").first.wait_for()
    assert "de pijler doelmatigheid voldoet niet (R §10)" in eerste.inner_text()
    assert ui.in_view(eerste)


def test_afwijzen_without_onderbouwing_shows_the_error_on_the_next_form(system, aanbieders, page):
    zaak, run_id = indienen(individueel("E2E-AFWIJZEN", "LINDE-302", unieke_bsn()))
    wait_for_wait(zaak, "beoordeling-1")
    ui = Dashboard(page, system.ui_url)
    page.set_viewport_size({"width": 1400, "height": 2600})
    ui.login("b-001", WACHTWOORD)

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
    # The reason is on the card and, whatever room the dialog leaves the card, on the form.
    eerste = ui.field(modal, "Pijler 1")
    page.get_by_text("Invoer niet verwerkt").first.wait_for()
    assert "afwijzen vraagt een onderbouwing" in eerste.inner_text()
    assert "afwijzen vraagt een onderbouwing" in ui.card(modal).text_content()

    # Corrected, the refusal goes through and the provider hears of it: its ground is the
    # failing pillar, and the onderbouwing weighs the advice it departs from (issue 26).
    ui.choose(modal, "Pijler 2", "voldoet niet")
    ui.fill(modal, "Motivering doelmatigheid", "Basiszorg niet op orde.")
    ui.choose(modal, "Uitkomst", "afwijzen")
    ui.fill(
        modal,
        "Onderbouwing",
        "Basiszorg is niet op orde; anders dan het advies toekennen eerst een verbeterplan.",
    )
    ui.fill(modal, "Beoordelaar", "b-002")  # typed: someone else; the login signs
    ui.submit(modal)
    z = wait_for_status(zaak, "bezwaartermijn", timeout=180)
    assert z["besluiten"][0]["onderbouwing"].startswith("Basiszorg")
    assert z["besluiten"][0]["beoordelaar"] == "b-001"
    wait_until(
        lambda: any("afgewezen" in t for t in berichten(aanbieders, zaak)),
        90,
        what="the provider's afwijzing notification",
    )
