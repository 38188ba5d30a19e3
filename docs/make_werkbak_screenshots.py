"""Screenshots of the werkbak and the dossier (issue 27) for the README, at 1366×768: the
gateway's own pages on a fresh SQLite database with a few zaken registered and toetst by the
same code as the run (tasks/zaak.py), served by uvicorn and photographed by Chromium over
Playwright as the browser tests drive it (tests/e2e/ui.py). No Prefect is needed: the
werkbak and the dossier read the case database only.

    .venv/bin/python docs/make_werkbak_screenshots.py   # docs/screenshots/werkbak*.png
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

WACHTWOORD = "schermafdruk-wachtwoord"


def _omgeving() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-werkbak-shots-"))
    os.environ["MEERZORG_DATABASE_URL"] = f"sqlite:///{tmp / 'meerzorg.db'}"
    os.environ["MEERZORG_DATA_DIR"] = str(tmp / "data")
    os.environ["MEERZORG_MEDEWERKER"] = "beheerder"
    os.environ["MEERZORG_SERVICE_TOKEN"] = "schermafdruk-dienst"
    os.environ["PREFECT_API_AUTH_STRING"] = "meerzorg-service:schermafdruk-dienst"


def _zaken() -> str:
    from deployments.cli_beheer import medewerker_registreer
    from models.aanvraag import parse_aanvraag
    from models.dates import vandaag
    from models.db.claims import oppakken
    from models.db.store import migrate, registreer_aanbieder, session_scope
    from models.db.tables import Zaak
    from tasks.zaak import registreer, voer_actie_uit
    from tests.factories import AGB, aanvraag_dict, client_dict, vragenlijst

    migrate()
    for wie, rol in (("bo-1", "beoordelaar"), ("bo-2", "beoordelaar"), ("tl-1", "teamleider")):
        medewerker_registreer(wie, rol, WACHTWOORD)
    with session_scope() as session:
        registreer_aanbieder(session=session, agb=AGB, naam="Stichting Testzorg", notify=[])
    keys = []
    for i in range(6):
        dag = vandaag() - dt.timedelta(days=[40, 20, 12, 5, 3, 1][i])
        data = aanvraag_dict(
            gevraagde_start=dag + dt.timedelta(days=20),
            maanden=12 if i % 2 else 24,
            client=client_dict(i, client_id=f"LINDE-{500 + i}", vg7_plus=bool(i % 2)),
            vragenlijst=vragenlijst(
                huidige_situatie="Nachtelijke onrust en agressie naar medebewoners; "
                "twee incidenten per week met letsel."
            ),
        )
        key, _ = registreer(parse_aanvraag(data), dag)
        voer_actie_uit(key, vandaag())
        keys.append(key)
    with session_scope() as session:
        for key, wie in ((keys[1], "bo-2"), (keys[0], "bo-1")):
            z = session.get(Zaak, key)
            oppakken(session=session, taak=key, wacht_key=z.wacht_key, wie=wie, minuten=480)
    return keys[0]


def main() -> None:
    _omgeving()
    import uvicorn
    from playwright.sync_api import sync_playwright

    from deployments.gateway import create_app
    from deployments.system import free_port
    from tests.e2e.ui import CHROMIUM_ARGS, chromium_path

    zaak = _zaken()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app("http://127.0.0.1:9", "ongebruikt"), port=port, log_level="error")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.1)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/login?next=/werkbak")
        page.get_by_label("Medewerker-id").fill("bo-1")
        page.get_by_label("Wachtwoord").fill(WACHTWOORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/werkbak")
        page.screenshot(path=OUT / "werkbak.png")
        page.goto(f"{base}/zaken/{zaak}")
        page.screenshot(path=OUT / "werkbak-dossier.png")
        page.locator("#h-beslis").evaluate("h => h.scrollIntoView()")
        page.screenshot(path=OUT / "werkbak-formulier.png")
        browser.close()
    server.should_exit = True
    print(f"written: {', '.join(p.name for p in sorted(OUT.glob('werkbak*.png')))}")


if __name__ == "__main__":
    main()
