"""Screenshots of the dashboard for the README, made with the browser tooling of the tests
(Playwright driving Debian's Chromium, tests/e2e/ui.py) against a fresh embedded system
with the demo caseload (`meerzorg up --demo`'s load_demo):

    .venv/bin/python docs/make_screenshots.py        # writes docs/screenshots/*.png

Takes a few minutes: ten lifecycle runs have to reach their first wait."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

from deployments.system import EmbeddedSystem, free_port, prefect_env  # noqa: E402

VIEW = {"width": 1400, "height": 900}


def _environment() -> tuple[int, Path]:
    """Own port, PREFECT_HOME and data dir, set before anything imports prefect."""
    port, tmp = free_port(), Path(tempfile.mkdtemp(prefix="meerzorg-screenshots-"))
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ.pop("MEERZORG_DATABASE_URL", None)
    os.environ.update(
        {
            k: v
            for k, v in prefect_env(port, tmp / "prefect").items()
            if k.startswith(("PREFECT_", "MEERZORG_"))
        }
    )
    # Behind the gateway (logins on): this script is a service, the browser logs in.
    from deployments.gateway_auth import service_auth_string

    os.environ["PREFECT_API_AUTH_STRING"] = service_auth_string(tmp / "data")
    return port, tmp


def _all_waiting(timeout: float = 900) -> None:
    """Until every open zaak's run is suspended on the zaak's current wait."""
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import Zaak
    from tasks import runs

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope() as session:
            open_ = {
                z.flow_run_id: z.wacht_key
                for z in session.exec(select(Zaak).where(Zaak.wacht_key.is_not(None)))
            }
        paused = runs.paused_runs()
        if open_ and all(paused.get(i, (None, None))[1] == k for i, k in open_.items()):
            return
        time.sleep(2)
    raise RuntimeError("the demo runs did not all reach their wait")


def _prepare(sink_url: str) -> tuple[str, str]:
    """Demo caseload, alerts and views, a fresh werkvoorraad; returns (zaak, run id) of a
    zaak that waits for a beoordeling."""
    from prefect.deployments import run_deployment

    from deployments.automations import inrichten
    from deployments.up import load_demo
    from models.dates import vandaag
    from models.db.store import session_scope
    from models.db.tables import Zaak

    inrichten([sink_url])
    # Submitted three weeks ago, so the werkvoorraad shows waiting days and deadlines.
    zaken = load_demo(sink_url, peildatum=vandaag() - dt.timedelta(days=21))
    _all_waiting()
    run = run_deployment("meerzorg-werkvoorraad/werkvoorraad", timeout=300, as_subflow=False)
    assert run.state.is_completed(), run.state
    with session_scope() as session:
        for key in zaken:
            z = session.get(Zaak, key)
            if z.wacht_op == "beoordeling" and z.vorm == "groep":
                return z.key, z.flow_run_id
    raise RuntimeError("no demo zaak waits for a beoordeling")


def _shoot(base: str, zaak: str, run_id: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.ui import CHROMIUM_ARGS, Dashboard, chromium_path

    OUT.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport=VIEW)
        ui = Dashboard(page, base)
        from deployments.up import demo_wachtwoord

        ui.login("demo-beoordelaar", demo_wachtwoord())

        # 1. The Runs page: the demo caseload, one run per zaak, named and tagged.
        page.set_viewport_size({"width": 1400, "height": 1500})
        ui.runs()
        page.get_by_role("link", name=zaak, exact=True).first.wait_for()
        time.sleep(2)
        shots.append(OUT / "dashboard-runs.png")
        page.screenshot(path=shots[-1])
        page.set_viewport_size(VIEW)

        # 2. The saved views per role (the menu at the top right of the Runs page).
        menu = page.locator(".saved-filters .p-select-button__control").first
        menu.focus()
        page.keyboard.press("ArrowDown")
        page.get_by_role("option", name="CCE: ontwikkeltraject met risico").wait_for()
        shots.append(OUT / "saved-views.png")
        page.screenshot(path=shots[-1], clip={"x": 900, "y": 0, "width": 500, "height": 420})
        page.keyboard.press("Escape")

        # 3. The werkvoorraad artifact (latest version of the stable key).
        page.set_viewport_size({"width": 1600, "height": 900})
        page.goto(f"{base}/artifacts/key/werkvoorraad")
        page.locator("a[href*='/artifacts/artifact/']").first.click()
        page.get_by_text("Werkvoorraad: alle wachtende zaken").first.wait_for()
        time.sleep(1)
        shots.append(OUT / "werkvoorraad.png")
        page.screenshot(path=shots[-1], full_page=True)

        # 4. The Resume form with the case card (a tall window: README, "Dashboard").
        page.set_viewport_size({"width": 1400, "height": 2400})
        ui.open_run(run_id)
        modal = ui.open_resume()
        ui.card(modal).wait_for()
        ui.choose(modal, "Uitkomst", "toekennen")
        ui.fill(modal, "Beoordelaar", "demo-beoordelaar")
        time.sleep(1)
        shots.append(OUT / "resume-form.png")
        modal.locator(".p-modal__card").screenshot(path=shots[-1])
        browser.close()
    return shots


def main() -> None:
    port, tmp = _environment()
    from deployments.sink import Sink
    from models.db.store import migrate

    migrate()
    system = EmbeddedSystem(port=port, home=tmp / "prefect", schedules=False)
    sink = Sink().start()
    try:
        system.start_server()
        system.start_runner()
        zaak, run_id = _prepare(sink.url)
        # Playwright's sync API runs an event loop in this thread; Prefect calls above ran
        # before it started, the browser gets a thread of its own to keep it that way.
        with ThreadPoolExecutor(1) as pool:
            shots = pool.submit(_shoot, system.ui_url, zaak, run_id).result()
        for shot in shots:
            print(shot.relative_to(ROOT))
    finally:
        system.stop()
        sink.stop()


if __name__ == "__main__":
    main()
