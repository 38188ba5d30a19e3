"""The provider's channel end to end (issue 28), against the session's real system behind its
front door: a provider's key submits an aanvraag without its vragenlijst and gets the
finding in the answer, completes it through /aanvulling and the zaak moves to beoordeling;
after the afwijzing it fetches the besluit's PDF and files a bezwaarschrift; a second
provider's key sees none of it; a retried submission creates one zaak; the webhook receives
signed events of each change."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from models.dates import vandaag
from tests.factories import afwijzen, unieke_bsn
from tests.flows.conftest import WACHTWOORD, wait_for_status, wait_for_wait, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
A, B = "73730401", "73730402"


@pytest.fixture(scope="module")
def kanaal(system, sink):
    from deployments import operations as ops
    from deployments.cli_beheer import medewerker_registreer
    from models.db.aanbieder_sleutels import maak_sleutel
    from models.db.store import session_scope

    medewerker_registreer("bo-api", "beoordelaar", WACHTWOORD)
    sleutels = {}
    for agb in (A, B):
        ops.aanbieder_registreer(agb, f"Aanbieder {agb}", [sink.url])
        with session_scope() as session:
            sleutels[agb] = maak_sleutel(session=session, agb=agb, door="beheerder")["sleutel"]
    with httpx.Client(base_url=system.ui_url + "/aanbieder/v1", timeout=60) as client:
        client.sleutels = sleutels
        yield client


def als(kanaal, agb: str, **extra) -> dict:
    return {"authorization": f"Bearer {kanaal.sleutels[agb]}", **extra}


def test_a_provider_submits_completes_reads_its_besluit_and_objects_by_api(kanaal, system, sink):
    from tasks.webhooks import klopt

    geheim = kanaal.post(
        "/abonnementen", json={"url": f"http://127.0.0.1:{sink.port}/hook"}, headers=als(kanaal, A)
    ).json()["geheim"]
    aanvraag = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
    aanvraag["zorgaanbieder"]["agb"] = A
    for client in aanvraag["clienten"]:  # clients of no other zaak here (the overlap check)
        client["bsn"] = unieke_bsn()
    volledig_vragenlijst = aanvraag.pop("vragenlijst")
    h = als(kanaal, A, **{"idempotency-key": "api-flow-1"})

    # Awb 4:5 at once: the missing vragenlijst is in the answer, before any assessor looks.
    eerste = kanaal.post("/aanvragen", json=aanvraag, headers=h)
    assert eerste.status_code == 201, eerste.text
    antwoord = eerste.json()
    key = antwoord["zaak"]
    assert antwoord["volledig"] is False
    assert any(b["code"].startswith("VRAGENLIJST") for b in antwoord["bevindingen"]), antwoord
    assert antwoord["ontvangstbevestiging"]["ontvangen_op"] == vandaag().isoformat()
    # A retry creates nothing twice.
    opnieuw = kanaal.post("/aanvragen", json=aanvraag, headers=h)
    assert (opnieuw.status_code, opnieuw.json()["zaak"]) == (200, key)

    # The zaak's run started by itself and waits for the provider's completion.
    wait_for_wait(key, "aanvulling-")
    zaak = kanaal.get(f"/zaken/{key}", headers=als(kanaal, A)).json()
    assert zaak["gevraagd"]["wat"] == "aanvulling" and zaak["gevraagd"]["uiterlijk"]
    r = kanaal.post(
        f"/zaken/{key}/aanvulling",
        json={"vragenlijst": volledig_vragenlijst},
        headers=als(kanaal, A),
    )
    assert r.status_code == 200, r.text
    wait_for_status(key, "beoordeling")

    # The beoordelaar rejects it in the dashboard (the login signs).
    run_id = _run(key)
    wacht = wait_for_wait(key, "beoordeling-")
    with httpx.Client(base_url=system.ui_url, timeout=60) as staf:
        assert (
            staf.post("/login", data={"id": "bo-api", "wachtwoord": WACHTWOORD}).status_code == 303
        )
        r = staf.post(
            f"/api/flow_runs/{run_id}/resume",
            json={"run_input": afwijzen("bo-api", peildatum=vandaag().isoformat())},
        )
        assert r.status_code in (200, 201) and r.json()["status"] == "ACCEPT", (wacht, r.text)
    wait_until(
        lambda: (
            (z := kanaal.get(f"/zaken/{key}", headers=als(kanaal, A)).json())["besluiten"]
            and z["besluiten"][-1]["document"]
        ),
        what="the afwijzing's letter to the provider",
    )
    besluit = kanaal.get(f"/zaken/{key}", headers=als(kanaal, A)).json()["besluiten"][-1]
    assert besluit["uitkomst"] == "afwijzen"
    pdf = kanaal.get(besluit["document"].removeprefix("/aanbieder/v1"), headers=als(kanaal, A))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Awb 6:4: the provider objects through its channel.
    r = kanaal.post(
        f"/zaken/{key}/bezwaarschriften",
        json={"besluit": besluit["id"], "gronden": "De basiszorg is wel op orde."},
        headers=als(kanaal, A),
    )
    assert r.status_code == 201, r.text
    wait_until(
        lambda: kanaal.get(f"/zaken/{key}", headers=als(kanaal, A)).json()["bezwaren"],
        what="the bezwaar",
    )

    # The other provider sees none of it.
    assert key not in {
        z["zaak"] for z in kanaal.get("/zaken", headers=als(kanaal, B)).json()["zaken"]
    }
    assert kanaal.get(f"/zaken/{key}", headers=als(kanaal, B)).status_code == 404
    assert (
        kanaal.get(
            besluit["document"].removeprefix("/aanbieder/v1"), headers=als(kanaal, B)
        ).status_code
        == 404
    )
    assert (
        kanaal.post(f"/zaken/{key}/bezwaarschriften", json={}, headers=als(kanaal, B)).status_code
        == 404
    )

    # The webhook heard each change, signed.
    def gebeurtenissen():
        ontvangen = [m for m in sink.received if m.get("handtekening") and key in m["ruw"]]
        return (
            ontvangen
            if any(json.loads(m["ruw"])["gebeurtenis"] == "besluit.genomen" for m in ontvangen)
            else None
        )

    ontvangen = wait_until(gebeurtenissen, what="the webhook's events")
    soorten = [json.loads(m["ruw"])["gebeurtenis"] for m in ontvangen]
    assert (
        soorten[0] == "zaak.ingediend"
        and "zaak.gewijzigd" in soorten
        and "besluit.genomen" in soorten
    )
    assert all(klopt(geheim, m["handtekening"], m["ruw"].encode()) for m in ontvangen)

    # Privacy (issue 28): the API's own log and its events carry no BSN and no free text.
    geheimen = [c["bsn"] for c in aanvraag["clienten"]] + [volledig_vragenlijst["inzet"][:30]]
    log = (system.log_dir / "gateway.log").read_text(errors="replace")
    gebeurtenis_tekst = " ".join(m["ruw"] for m in ontvangen)
    assert [g for g in geheimen if g in log or g in gebeurtenis_tekst] == []


def _run(key: str) -> str:
    from models.db.store import session_scope
    from models.db.tables import Zaak

    with session_scope() as session:
        return session.get(Zaak, key).flow_run_id
