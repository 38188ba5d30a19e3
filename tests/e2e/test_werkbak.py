"""The assessor's werkbak and dossier in real Chromium (issue 27, "Done when"), logged in
through the gateway of the shared test system, at 1366×768: a beoordelaar picks up a
VG7-plus zaak in the werkbak, reads the aanvraag's own text in the dossier, is refused with
the rule's reason for a 32-month term before anything reaches Prefect, and grants it; the
tweede beoordeling is held by the teamleider, so a second beoordelaar sees it claimed and
cannot submit (neither in the dossier nor through Prefect's Resume); the teamleider gives it
to her and she confirms the first assessment in the dossier. axe-core finds no serious or
critical violation on werkbak, dossier and form; the audit trail shows the openings and
claims; the privacy scan finds no BSN, name or free text of the zaak in Prefect.
One zaak, one test of several steps: the suite is at its time budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from models.besluit_regels import CRITERIA
from tests.e2e.test_dashboard import indienen
from tests.e2e.ui import Dashboard
from tests.flows.conftest import WACHTWOORD, wait_for_status, wait_for_wait
from tests.flows.test_lifecycle import individueel
from tests.reliability.scenario import bsn

pytestmark = pytest.mark.usefixtures("aanbieders")

LOGINS = {"e2e-wb-1": "beoordelaar", "e2e-wb-2": "beoordelaar", "e2e-wb-tl": "teamleider"}
NAAM = "Zwaluwstaart-Brink"
TEKST = f"Mevrouw {NAAM} raakt 's nachts in paniek; wakende nacht nodig sinds de verhuizing."
BSN = bsn(461)


def axe_zonder_ernstige(page, waar: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    opties = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    gevonden = Axe().run(page, options=opties).response["violations"]
    ernstig = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in gevonden
        if v.get("impact") in ("serious", "critical")
    ]
    assert not ernstig, f"axe-core on the {waar}:\n" + "\n".join(ernstig)


def past_op_schermen(page, waar: str) -> None:
    """Readable at 1366×768 and 1920×1080: nothing wider than the window (no sideways scroll)."""
    for breedte, hoogte in ((1920, 1080), (1366, 768)):
        page.set_viewport_size({"width": breedte, "height": hoogte})
        breed = page.evaluate("document.documentElement.scrollWidth")
        assert breed <= breedte, f"the {waar} is {breed} px wide at {breedte}×{hoogte}"


def scherm(browser, system) -> tuple[Dashboard, object]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    page = context.new_page()
    return Dashboard(page, system.ui_url), context


def kies(page, groep: str, waarde: str) -> None:
    page.get_by_role("group", name=re.compile(groep)).get_by_label(waarde, exact=True).check()


def vul_toekenning(page, start: str, eind: str) -> None:
    """The whole form as an assessor fills it, field by field by its label."""
    for groep in ("Pijler 1", "Pijler 2", "Pijler 3"):
        kies(page, groep, "voldoet")
    for naam in ("kwaliteit van leven", "doelmatigheid", "maatschappelijk verantwoord"):
        page.get_by_label(f"Motivering {naam}").fill(f"Onderbouwd in de aanvraag ({naam}).")
    for naam in CRITERIA:  # the R §10 criteria, each confirmed
        page.locator(f"#v-{naam}").check()
    kies(page, "Uitkomst", "toekennen")
    page.get_by_label("Start beschikking").fill(start)
    page.get_by_label("Eind beschikking").fill(eind)
    page.get_by_label("Perspectief: verwachte afbouw").fill("Nachtzorg afbouwen na een half jaar.")
    evalueren = dt.date.fromisoformat(start) + dt.timedelta(days=90) if start else None
    page.get_by_label("Perspectief evalueren op").fill(
        (evalueren or dt.date.today() + dt.timedelta(days=120)).isoformat()
    )


def test_claim_read_refuse_grant_reassign_and_confirm_in_the_dossier(system, browser):
    from deployments import operations as ops
    from deployments.cli_beheer import medewerker_registreer
    from models.dates import termijn_einde, vandaag
    from models.db.store import session_scope
    from models.db.zaakoverzicht import audit_trail
    from tests.reliability.test_privacy import everything_prefect_keeps

    for wie, rol in LOGINS.items():
        medewerker_registreer(wie, rol, WACHTWOORD)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    start = vandaag() + dt.timedelta(days=14)
    data = individueel(
        "E2E-WERKBAK-1",
        "LINDE-461",
        BSN,
        gevraagde_start=start.isoformat(),
        gevraagde_eind=(termijn_einde(start, 12)).isoformat(),
        context_middelen_per_jaar=200000,  # maatwerk: the toekenning takes four eyes
    )
    data["clienten"][0]["vg7_plus"] = True
    data["vragenlijst"]["huidige_situatie"] = TEKST
    zaak, _ = indienen(data)
    wait_for_wait(zaak, "beoordeling-")

    # 1. The first beoordelaar picks it up in her werkbak and reads the aanvraag's text.
    ui, ctx1 = scherm(browser, system)
    page = ui.page
    ui.login_op("e2e-wb-1", WACHTWOORD, "/werkbak")
    rij = page.get_by_role("row").filter(has_text=zaak)
    rij.get_by_text("beslistermijn").wait_for()
    axe_zonder_ernstige(page, "werkbak")
    past_op_schermen(page, "werkbak")
    rij.get_by_role("button", name=f"Oppakken {zaak}").focus()
    page.keyboard.press("Enter")  # by keyboard alone
    page.wait_for_url(f"**/zaken/{zaak}")
    page.get_by_text(f"U heeft {zaak} opgepakt.").wait_for()
    assert TEKST in page.inner_text("main")
    axe_zonder_ernstige(page, "dossier with its form")
    past_op_schermen(page, "dossier")

    # 2. A 32-month term for VG7-plus: the rule's reason next to the field, nothing sent.
    wacht_key = ops.zaak_overzicht(zaak, log_read=False)["wacht_key"]
    vul_toekenning(page, start.isoformat(), termijn_einde(start, 32).isoformat())
    page.get_by_role("button", name="Beslissing indienen").click()
    page.locator(".fout[role=alert]").first.wait_for()
    fout = page.locator("#fout-eind")
    assert fout.count() == 1, page.locator("[role=alert]").all_inner_texts()
    assert "een VG7-plus-beschikking duurt ten hoogste 12 maanden (R §9)" in fout.inner_text()
    axe_zonder_ernstige(page, "form with a refusal")
    z = ops.zaak_overzicht(zaak, log_read=False)
    assert (z["wacht_key"], z["laatste_fout"]) == (wacht_key, None)
    # 3. The toets's own term (empty fields): granted, the zaak waits for four eyes.
    vul_toekenning(page, "", "")
    page.get_by_role("button", name="Beslissing indienen").click()
    page.get_by_text("Uw beslissing is verwerkt.").wait_for(timeout=60_000)
    assert "tweede beoordeling" in page.inner_text("main")
    wait_for_wait(zaak, "tweede-beoordeling-")
    ctx1.close()

    # 4. The teamleider holds the tweede beoordeling; a second beoordelaar sees it claimed.
    tl, ctx_tl = scherm(browser, system)
    tl.login_op("e2e-wb-tl", WACHTWOORD, "/werkbak")
    tl.page.get_by_role("row").filter(has_text=zaak).get_by_role("button", name="Oppakken").click()
    tl.page.wait_for_url(f"**/zaken/{zaak}")
    bo2, ctx2 = scherm(browser, system)
    bo2.login_op("e2e-wb-2", WACHTWOORD, "/werkbak")
    rij2 = bo2.page.get_by_role("row").filter(has_text=zaak)
    assert "e2e-wb-tl" in rij2.inner_text()
    assert rij2.get_by_role("button", name=re.compile("Oppakken")).count() == 0
    bo2.page.goto(f"{system.ui_url}/zaken/{zaak}")
    bo2.page.get_by_text("Al opgepakt door e2e-wb-tl").wait_for()
    assert bo2.page.get_by_role("button", name="Beslissing indienen").count() == 0
    run_id = ops.zaak_overzicht(zaak, log_read=False)["flow_run_id"]
    r = bo2.page.request.post(
        f"{system.ui_url}/api/flow_runs/{run_id}/resume",
        data={"run_input": {"uitkomst": "toekennen"}},
    )
    assert r.status == 409 and "opgepakt door e2e-wb-tl" in r.json()["detail"]

    # 5. The teamleider gives it to her; she confirms the first assessment in the dossier.
    tl.page.goto(f"{system.ui_url}/werkbak")
    rij_tl = tl.page.get_by_role("row").filter(has_text=zaak)
    rij_tl.get_by_label("Geef aan").select_option("e2e-wb-2")
    rij_tl.get_by_role("button", name=f"Herverdelen {zaak}").click()
    tl.page.get_by_text(f"{zaak}: herverdeeld aan e2e-wb-2.").wait_for()
    ctx_tl.close()
    bo2.page.goto(f"{system.ui_url}/zaken/{zaak}")
    eerste = bo2.page.get_by_role("region", name="Eerste beoordeling (vier ogen)")
    assert "e2e-wb-1" in eerste.inner_text()
    kies(bo2.page, "Uitkomst", "toekennen")
    bo2.page.get_by_role("button", name="Beslissing indienen").click()
    bo2.page.get_by_text("Uw beslissing is verwerkt.").wait_for(timeout=60_000)
    z = wait_for_status(zaak, "lopend", timeout=90)
    assert [b["uitkomst"] for b in z["besluiten"]] == ["toekennen"]
    besluiten = bo2.page.get_by_role("region", name="Besluiten").inner_text()
    assert "e2e-wb-1" in besluiten and "e2e-wb-2" in besluiten
    # The audit trail shows the openings and the claims, in the dossier itself.
    trail = bo2.page.get_by_role("region", name="Audittrail (NEN 7513)").inner_text()
    for actie in ("dossier_geopend", "taak_opgepakt", "taak_herverdeeld", "hervat"):
        assert actie in trail, actie
    ctx2.close()
    with session_scope() as session:
        gebeurd = {(a.actor, a.actie) for a in audit_trail(session=session, zaak=zaak)}
    assert {("e2e-wb-1", "taak_opgepakt"), ("e2e-wb-tl", "taak_herverdeeld")} <= gebeurd
    assert ("e2e-wb-2", "dossier_geopend") in gebeurd

    # 6. Nothing of the client's data or the aanvraag's text went to Prefect.
    places = everything_prefect_keeps(system.api_url, since, system.auth_headers())
    geheimen = [BSN, NAAM, "paniek"]
    lekken = {(s, waar) for s in geheimen for waar, tekst in places.items() if s in tekst}
    assert lekken == set(), lekken
    assert zaak in places["runs"] or zaak in places["artifacts"]
