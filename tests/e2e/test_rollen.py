"""Each role's own work in the dashboard, through the gateway's login page (issue 23, "Done
when"): a four-eyes toekenning by two logins, a CCE ontwikkeltraject on a running beschikking,
an analist's backfill started with parameters, an operations cancel. Every test records the
API requests the UI made and asserts the gateway refused none of them (a 403), but the one a
test provokes: what the gateway's allowlist per role has to let through. One zaak serves the
first two tests; the requests seen are printed per role and kept in the data directory
(ui-verzoeken.json)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.test_dashboard import beoordeel_volledig, indienen
from tests.e2e.ui import Dashboard
from tests.factories import toekennen, unieke_bsn
from tests.flows.conftest import WACHTWOORD, wait_for_status, wait_for_wait, wait_until
from tests.flows.test_lifecycle import individueel

pytestmark = pytest.mark.usefixtures("aanbieders")

# Logins of this module only (test_toegang registers its own with another password).
LOGINS = {
    "e2e-bo-1": "beoordelaar",
    "e2e-bo-2": "beoordelaar",
    "e2e-cce": "cce",
    "e2e-an": "analist",
    "e2e-ops": "operations",
}
CLIENT = "LINDE-401"


@pytest.fixture(scope="module")
def logins(system):
    from deployments.cli_beheer import medewerker_registreer

    for wie, rol in LOGINS.items():
        medewerker_registreer(wie, rol, WACHTWOORD)
    return LOGINS


@pytest.fixture(scope="module")
def maatwerkzaak(system, aanbieders):
    """An aanvraag whose rekentool gives a maatwerkbedrag (context-gebonden middelen of
    200,000 euro a year): its toekenning needs a second, different beoordelaar."""
    data = individueel("E2E-ROLLEN-4OGEN", CLIENT, unieke_bsn(), context_middelen_per_jaar=200000)
    return indienen(data)


@pytest.fixture(scope="module")
def lopende_zaak(maatwerkzaak, logins):
    """The maatwerkzaak with its beschikking running: toegekend by the four-eyes test when it
    ran first, else here by the service for the two beoordelaars (as a script would)."""
    from deployments import operations as ops
    from models.dates import vandaag
    from tasks import runs

    zaak, run_id = maatwerkzaak
    formulier = toekennen("e2e-bo-1", evalueren_op=vandaag() + dt.timedelta(days=365))
    for _ in range(4):
        status = ops.zaak_overzicht(zaak, log_read=False)["status"]
        if status == "lopend":
            return maatwerkzaak
        if status in ("geregistreerd", "beoordeling"):
            wie, wacht = "e2e-bo-1", "beoordeling-"
        elif status == "tweede_beoordeling":
            wie, wacht = "e2e-bo-2", "tweede-beoordeling-"
        else:
            break
        key = wait_for_wait(zaak, wacht)
        assert runs.resume(run_id, {**formulier, "beoordelaar": wie})
        wait_until(
            lambda key=key: ops.zaak_overzicht(zaak, log_read=False)["wacht_key"] != key,
            what=f"{zaak} past {key}",
        )
    pytest.fail(f"{zaak} did not reach lopend: {ops.zaak_overzicht(zaak, log_read=False)}")


def scherm(page, system) -> Dashboard:
    page.set_viewport_size({"width": 1366, "height": 768})
    return Dashboard(page, system.ui_url)


def verslag(ui: Dashboard, naam: str, behalve=()) -> None:
    """Print the UI's requests per role, keep them in the data directory, and assert the
    gateway refused none of them (but the provoked ones at the indexes `behalve`)."""
    verzoeken = ui.verzoeken()
    for rol, regels in verzoeken.items():
        print(f"{naam} [{rol}]: {len(regels)} distinct requests")
        for regel in regels:
            print(f"  {regel}")
    bestand = Path(os.environ.get("MEERZORG_DATA_DIR", ".")) / "ui-verzoeken.json"
    alles = json.loads(bestand.read_text()) if bestand.exists() else {}
    alles[naam] = verzoeken
    bestand.write_text(json.dumps(alles, indent=1, sort_keys=True))
    geweigerd = Counter(
        f"{r['rol']}: {r['methode']} {r['pad']} body={r['body'] or '-'}"
        for r in ui.geweigerd(behalve)
    )
    regels = [f"{regel} ({n}x)" if n > 1 else regel for regel, n in geweigerd.items()]
    assert not regels, "the gateway refused requests the UI made:\n" + "\n".join(regels)


def toekenning_volledig(ui: Dashboard, modal) -> None:
    """A complete toekenning (test_dashboard.beoordeel_volledig, with the dropdowns picked
    without pauses); the beoordelaar typed is someone else."""
    beoordeel_volledig(ui, modal, beoordelaar="e2e-bo-2", kies=ui.kies)


def aangenomen(response) -> bool:
    return response.status in (200, 201) and response.json().get("status") == "ACCEPT"


def weigering(response) -> str:
    """A refused request, as a failure message: method, path, body and the answer."""
    request = response.request
    return (
        f"{request.method} {request.url} -> {response.status} {response.text()[:300]}\n"
        f"body: {(request.post_data or '')[:600]}"
    )


def test_four_eyes_a_maatwerk_toekenning_takes_two_logins_in_the_dashboard(
    system, page, logins, maatwerkzaak
):
    from sqlmodel import select

    from deployments import operations as ops
    from models.db.store import session_scope
    from models.db.tables import Besluit, Zaak

    zaak, run_id = maatwerkzaak
    wait_for_wait(zaak, "beoordeling-")
    ui = scherm(page, system)
    run = f"/runs/flow-run/{run_id}"

    # The first beoordelaar decides toekennen on the full form; the zaak waits for four eyes.
    ui.bewaak("beoordelaar")
    ui.login_op("e2e-bo-1", WACHTWOORD, run)
    modal = ui.open_resume()
    toekenning_volledig(ui, modal)  # types e2e-bo-2 as beoordelaar: the login signs
    r = ui.klik_en_wacht_op(modal.get_by_role("button", name="Submit"), "**/resume")
    assert aangenomen(r), weigering(r)
    modal.wait_for(state="hidden")
    eerste = wait_for_wait(zaak, "tweede-beoordeling-")
    with session_scope() as session:
        assert session.get(Zaak, zaak).voorlopig_besluit["beoordelaar"] == "e2e-bo-1"

    # She cannot be the second pair of eyes herself: the gateway refuses the Resume, or the
    # rules do and the zaak waits again for a second beoordelaar, with the reason on the form.
    page.reload()
    modal = ui.open_resume()
    ui.kies(modal, "Uitkomst", "toekennen")
    voor = len(ui.verkeer)
    r = ui.klik_en_wacht_op(modal.get_by_role("button", name="Submit"), "**/resume")
    door_de_gateway = not aangenomen(r)
    if door_de_gateway:
        assert r.status in (403, 409), weigering(r)
        # The UI shows the gateway's reason; the dialog stays open.
        page.get_by_text(r.json()["detail"]).first.wait_for()
        assert modal.is_visible()
    ui.logout()
    provoked = next(
        i
        for i, v in enumerate(ui.verkeer)
        if i >= voor and v["methode"] == "POST" and v["pad"].endswith("/resume")
    )
    if door_de_gateway:
        assert wait_for_wait(zaak, "tweede-beoordeling-") == eerste
    else:
        wait_until(
            lambda: "vier ogen" in (ops.zaak_overzicht(zaak, log_read=False)["laatste_fout"] or ""),
            60,
            what="the four-eyes refusal",
        )
        assert wait_for_wait(zaak, "tweede-beoordeling-") != eerste
    assert ops.zaak_overzicht(zaak, log_read=False)["status"] == "tweede_beoordeling"

    # A second beoordelaar logs in and confirms: the zaak is toegekend, signed by both logins.
    ui.login_op("e2e-bo-2", WACHTWOORD, run)
    modal = ui.open_resume()
    if not door_de_gateway:  # the form says why the first login's second answer was not used
        page.get_by_text("Invoer niet verwerkt").first.wait_for()
        assert "vier ogen" in modal.inner_text()
    ui.kies(modal, "Uitkomst", "toekennen")
    r = ui.klik_en_wacht_op(modal.get_by_role("button", name="Submit"), "**/resume")
    assert aangenomen(r), weigering(r)
    z = wait_for_status(zaak, "lopend", timeout=90)
    assert [b["uitkomst"] for b in z["besluiten"]] == ["toekennen"]
    assert [b["client_id"] for b in z["beschikkingen"]] == [CLIENT]
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == zaak)).one()
        assert (besluit.beoordelaar, besluit.tweede_beoordelaar) == ("e2e-bo-1", "e2e-bo-2")
    verslag(ui, "vier_ogen", behalve={provoked})


def test_the_cce_records_an_ontwikkeltraject_on_a_running_beschikking(
    system, page, logins, lopende_zaak
):
    from sqlmodel import select

    from deployments import operations as ops
    from deployments.cli_beheer import audit_lijst
    from models.dates import vandaag
    from models.db.store import session_scope
    from models.db.tables import Ontwikkeltraject

    zaak, run_id = lopende_zaak
    key = wait_for_wait(zaak, "einde-beschikking-")
    ui = scherm(page, system)
    ui.bewaak("cce")
    ui.login_op("e2e-cce", WACHTWOORD, f"/runs/flow-run/{run_id}")
    modal = ui.open_resume()
    b1, b2 = vandaag() - dt.timedelta(days=45), vandaag() - dt.timedelta(days=12)
    ui.fill(modal, "Ontwikkeltraject Client", CLIENT)
    ui.kies_datum(modal, "Bijeenkomst 1", b1)
    ui.kies_datum(modal, "Bijeenkomst 2", b2)
    r = ui.klik_en_wacht_op(modal.get_by_role("button", name="Submit"), "**/resume")
    assert aangenomen(r), weigering(r)

    def trajecten():
        with session_scope() as session:
            rijen = session.exec(select(Ontwikkeltraject).where(Ontwikkeltraject.zaak == zaak))
            return [(o.client_id, o.bijeenkomst_1, o.bijeenkomst_2) for o in rijen]

    assert wait_until(trajecten, 60, what="the ontwikkeltraject") == [(CLIENT, b1, b2)]
    # Recorded in the CCE login's name; the beschikking runs on and the run waits again.
    assert ("e2e-cce", "ontwikkeltraject_geregistreerd") in [
        (e["actor"], e["actie"]) for e in audit_lijst(zaak)
    ]
    assert wait_for_wait(zaak, "einde-beschikking-") != key
    z = ops.zaak_overzicht(zaak, log_read=False)
    assert z["status"] == "lopend" and not z["laatste_fout"]
    verslag(ui, "cce_ontwikkeltraject")


def test_an_analist_starts_a_backfill_with_parameters_from_the_dashboard(system, page, logins):
    from prefect.client.orchestration import get_client

    from models.dates import vandaag

    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("meerzorg-backfill/backfill")
    ui = scherm(page, system)
    ui.bewaak("analist")
    ui.login_op("e2e-an", WACHTWOORD, f"/deployments/deployment/{deployment.id}")
    ui.custom_run(str(deployment.id))
    van, tot = vandaag() - dt.timedelta(days=31), vandaag()
    ui.kies_datum(page, "van", van)
    ui.kies_datum(page, "tot", tot)
    r = ui.klik_en_wacht_op(page.get_by_role("button", name="Submit"), "**/create_flow_run")
    assert r.status == 201, "the gateway refused the Custom run:\n" + weigering(r)
    run_id, naam = r.json()["id"], r.json()["name"]
    # The UI goes back to the deployment's page, whose Runs tab lists the new run.
    # (The list may render a row twice while it refreshes: the first will do. It refreshes
    # about every half minute, so a loaded machine may need a second or third refresh; a
    # clean clone's CI once missed the first within the default 30 s.)
    regel = page.locator(".flow-run-list-item").filter(has_text=naam).first
    regel.wait_for(timeout=90_000)

    def klaar():
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(run_id)
        return run.state and run.state.is_final() and run

    run = wait_until(klaar, 120, what="the backfill run finished")
    assert run.state.type.value == "COMPLETED", run.state
    assert (run.parameters["van"], run.parameters["tot"]) == (van.isoformat(), tot.isoformat())
    # Its page (the list refreshes only every half minute) shows it Completed.
    regel.get_by_role("link", name=naam, exact=True).click()
    page.wait_for_url(f"**/runs/flow-run/{run_id}**")
    page.get_by_text("Completed", exact=True).first.wait_for()
    verslag(ui, "analist_backfill")


def test_operations_cancels_a_waiting_run_from_the_dashboard(system, page, logins):
    from prefect.client.orchestration import get_client
    from prefect.states import Scheduled

    # A werkvoorraad run scheduled far ahead: it waits, and cancelling it touches no zaak.
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("meerzorg-werkvoorraad/werkvoorraad")
        run = client.create_flow_run_from_deployment(
            deployment.id,
            state=Scheduled(scheduled_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        )
    ui = scherm(page, system)
    ui.bewaak("operations")
    ui.login_op("e2e-ops", WACHTWOORD, f"/runs/flow-run/{run.id}")
    r = ui.annuleer_run()
    assert r.status in (200, 201), weigering(r)

    def staat():
        with get_client(sync_client=True) as client:
            return client.read_flow_run(run.id).state.type.value

    # Prefect cancels a run without infrastructure at once (Cancelled, not Cancelling).
    wait_until(lambda: staat() == "CANCELLED", 60, what="the run cancelled")
    page.get_by_text("Cancelled", exact=True).first.wait_for(timeout=60_000)
    verslag(ui, "operations_annuleren")
