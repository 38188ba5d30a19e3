"""The lifecycle against a real Prefect server, runner and notification sink."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from models.beleid import beleid_op
from models.planner import bezwaartermijn_einde
from tests.factories import COULANTE_AFWEGING, afwijzen, toekennen
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until
from tests.flows.zienswijze_stap import afwijzen_na_zienswijze

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PEILDATUM = dt.date(2026, 11, 22)
pytestmark = pytest.mark.usefixtures("aanbieders")


def aanvraag(ref: str, **changes) -> dict:
    data = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
    for client in data["clienten"]:  # the provider alone receives the besluit here
        client.pop("correspondentie", None)
    data["provider_referentie"] = ref
    data.update(changes)
    return data


def individueel(ref: str, client_id: str, bsn: str, **changes) -> dict:
    data = aanvraag(ref, **changes)
    data["vorm"] = "individueel"
    data["clienten"] = [dict(data["clienten"][0], client_id=client_id, bsn=bsn)]
    data["uren_per_week"] = {
        "begeleiding": 24,
        "verzorging": 8,
        "verpleging": 2,
        "dagbesteding": 6,
        "nachtzorg": 5,
    }
    return data


def indienen(data: dict) -> tuple[str, str]:
    from deployments import operations as ops

    result = ops.indienen(json.dumps(data), PEILDATUM)
    return result["zaak"], result["flow_run_id"]


def messages_for(sink, zaak: str) -> list[dict]:
    return [r for r in sink.received if zaak in (r["title"] or "") or zaak in (r["sleutel"] or "")]


def test_toekennen_issues_one_beschikking_per_client_and_notifies_the_provider(aanbieders):
    from deployments import operations as ops

    zaak, run_id = indienen(aanvraag("FLOW-TOEKENNEN"))
    key = wait_for_wait(zaak, "beoordeling-")
    result = ops.beoordeel(zaak, toekennen("b-001", peildatum=PEILDATUM))
    assert result["verwerkt"] is True
    z = wait_for_status(zaak, "lopend")
    assert sorted(b["client_id"] for b in z["beschikkingen"]) == ["LINDE-014", "LINDE-022"]
    assert {b["start"] for b in z["beschikkingen"]} == {"2027-02-01"}
    assert "einde_beschikking" in {d["soort"] for d in z["deadlines"]}
    wait_until(
        lambda: any("toegekend" in (m["title"] or "") for m in messages_for(aanbieders, zaak)),
        60,
        what="toekenning notification",
    )
    wait_for_wait(zaak, "einde-beschikking-")
    assert key == "beoordeling-1"


def test_invalid_decision_waits_again_with_the_error_on_the_form(aanbieders):
    from prefect.client.orchestration import get_client

    from tasks import runs

    zaak, run_id = indienen(individueel("FLOW-ONGELDIG", "LINDE-101", "999990032"))
    wait_for_wait(zaak, "beoordeling-1")
    # Exactly what the Resume form would send: afwijzen without onderbouwing.
    assert runs.resume(run_id, {"uitkomst": "afwijzen", "beoordelaar": "b-001"})
    key = wait_for_wait(zaak, "beoordeling-2")
    with get_client(sync_client=True) as client:
        from uuid import UUID

        run = client.read_flow_run(UUID(run_id))
        keyset = run.state.state_details.run_input_keyset
        description = json.loads(client.read_flow_run_input(UUID(run_id), keyset["description"]))
    assert key == "beoordeling-2"
    assert "afwijzen vraagt een onderbouwing" in description
    assert run.state.is_paused()
    # End before start is refused the same way.
    assert runs.resume(run_id, toekennen("b-001", start="2027-03-01", eind="2027-01-01"))
    wait_for_wait(zaak, "beoordeling-3")


def test_bijstellen_then_toekennen(aanbieders):
    from deployments import operations as ops
    from tasks import runs

    data = individueel("FLOW-BIJSTELLEN", "LINDE-102", "999990044")
    zaak, run_id = indienen(data)
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(
        zaak,
        {
            "uitkomst": "bijstellen",
            # Awb 3:46: the toets never advises bijstellen (R §9, §10), so weigh why.
            "onderbouwing": "Anders dan het advies (toekennen) van de toets: nachtzorg niet "
            "onderbouwd.",
            "beoordelaar": "b-001",
            "peildatum": PEILDATUM,
        },
    )
    wait_for_wait(zaak, "bijstelling-")
    aangepast = copy.deepcopy(data)
    aangepast["uren_per_week"]["nachtzorg"] = 3
    assert runs.resume(run_id, {"aanvraag": aangepast, "peildatum": PEILDATUM.isoformat()})
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(zaak, toekennen("b-002", peildatum=PEILDATUM))
    z = wait_for_status(zaak, "lopend")
    assert [b["uitkomst"] for b in z["besluiten"]] == ["bijstellen", "toekennen"]
    titles = [m["title"] for m in messages_for(aanbieders, zaak)]
    wait_until(lambda: len(messages_for(aanbieders, zaak)) >= 3, 60, what="three notifications")
    assert any("bijstelling gevraagd" in t for t in titles)


def test_afwijzen_then_a_bezwaar_in_time_waits_for_the_hoorzitting(aanbieders):
    """Awb 6:7/6:9: a bezwaarschrift registered in the bezwaartermijn's form goes to its
    handling (7:2: the hoorzitting); the assessment reopens only when it is gegrond."""
    from deployments import operations as ops
    from tasks import runs

    zaak, run_id = indienen(individueel("FLOW-AFWIJZEN", "LINDE-103", "999990056"))
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(zaak, afwijzen("b-001", peildatum=PEILDATUM))
    wait_for_wait(zaak, "bezwaar-")
    # Awb 6:8: the term runs from the day after the letter was delivered (the run delivers it
    # at once, so today), not from the besluit's date; the zaak's timer is the day after it.
    z = wait_until(
        lambda: (
            (o := ops.zaak_overzicht(zaak, log_read=False))["besluiten"][-1][
                "uiterlijke_reactiedatum"
            ]
            and o
        ),
        what="the letter made known",
    )
    besluit = z["besluiten"][-1]
    assert besluit["datum"] == PEILDATUM.isoformat()
    bekend = dt.date.fromisoformat(besluit["bekendgemaakt_op"])
    einde = bezwaartermijn_einde(bekend, beleid_op(PEILDATUM))
    assert besluit["uiterlijke_reactiedatum"] == einde.isoformat()
    volgende_dag = (einde + dt.timedelta(days=1)).isoformat()
    assert {"soort": "bezwaartermijn_einde", "datum": volgende_dag, "client_id": None} in z[
        "deadlines"
    ]
    assert runs.resume(
        run_id,
        {
            "ontvangen": PEILDATUM.isoformat(),
            "gronden": "Verbeterplan is gereed.",
            "indiener": "zorgaanbieder",
            "peildatum": PEILDATUM.isoformat(),
        },
    )
    wait_for_wait(zaak, "hoorzitting-")
    assert ops.zaak_overzicht(zaak, log_read=False)["status"] == "bezwaar_horen"


def test_an_afwijzing_of_a_pgb_verlenging_reaches_the_budgethouder_and_the_vertegenwoordiger(
    aanbieders,
):
    """Issue 25 against the real server: the run takes the afwijzing, its outbox delivers the
    letters (the client's to its own digital channel, the vertegenwoordiger's, who is the
    budgethouder, to the print queue, the provider's with its message), each a PDF with the
    full clause (Awb 3:45), and the bezwaartermijn counts from their delivery (Awb 6:8)."""
    import io

    from pypdf import PdfReader

    from deployments import operations as ops

    sink = aanbieders
    data = json.loads((EXAMPLES / "aanvraag-thuis-pgb.json").read_text())
    data["provider_referentie"] = "FLOW-BRIEVEN"
    data["clienten"][0]["correspondentie"]["kanaal"] = sink.url + "client-brieven"
    zaak, _ = indienen(data)
    wait_for_wait(zaak, "beoordeling-")
    # Issue 26 point 2: the failing pillar, the weighing against the advice, and the
    # coulante weighing of this thuis verlenging (N 2025).
    afgewezen = afwijzen(
        "b-001",
        onderbouwing="De nachtzorg past binnen het pgb, anders dan het advies toekennen.",
        coulante_afweging=COULANTE_AFWEGING,
        peildatum=PEILDATUM,
    )
    # Awb 4:8: a thuis verlenging's afwijzing is first a voornemen (tests/flows/zienswijze_stap.py).
    assert afwijzen_na_zienswijze(zaak, afgewezen)["verwerkt"] is True
    z = wait_until(
        lambda: (
            (o := ops.zaak_overzicht(zaak, log_read=False))["besluiten"]
            and o["besluiten"][-1]["uiterlijke_reactiedatum"]
            and o
        ),
        what="every letter made known",
    )
    besluit = z["besluiten"][-1]
    assert besluit["soort"] == "afwijzing" and besluit["rechtsmiddel"] == "bezwaar"
    assert sorted((g["rol"], g["kanaal"], g["status"]) for g in besluit["geadresseerden"]) == [
        ("client", "digitaal", "bekendgemaakt"),
        ("vertegenwoordiger+budgethouder", "post", "bekendgemaakt"),
        ("zorgaanbieder", "digitaal", "bekendgemaakt"),
    ]
    (brief,) = [
        r
        for r in sink.received
        if r["path"] == "/client-brieven" and r["title"].startswith("Besluit")
    ]
    assert zaak in brief["title"] and "999990032" not in json.dumps(brief)
    pdf = sink.bestanden[brief["bijlagen"][0]["sha256"]]
    tekst = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    for deel in ("zes weken", "de dag na", "pro forma", "6:7", "6:8", "3:45", "Postbus 1234"):
        assert deel in tekst, deel
    bekend = dt.date.fromisoformat(besluit["bekendgemaakt_op"])
    einde = bezwaartermijn_einde(bekend, beleid_op(PEILDATUM))
    assert besluit["uiterlijke_reactiedatum"] == einde.isoformat()
    volgende_dag = (einde + dt.timedelta(days=1)).isoformat()
    assert {"soort": "bezwaartermijn_einde", "datum": volgende_dag, "client_id": None} in z[
        "deadlines"
    ]


def test_incomplete_aanvraag_is_corrected_and_then_assessed(aanbieders):
    from tasks import runs

    data = individueel("FLOW-HERSTEL", "LINDE-104", "999990068")
    data["vragenlijst"]["inzet"] = ""
    zaak, run_id = indienen(data)
    wait_for_wait(zaak, "aanvulling-")
    wait_until(
        lambda: any(
            "aanvulling nodig" in (m["title"] or "") for m in messages_for(aanbieders, zaak)
        ),
        60,
        what="aanvulling notification",
    )
    data["vragenlijst"]["inzet"] = "Extra begeleider in de avond."
    assert runs.resume(run_id, {"aanvraag": data})
    wait_for_wait(zaak, "beoordeling-")


def test_herbeoordeling_and_end_are_fired_by_the_sweep_once(aanbieders):
    from deployments import operations as ops

    # The sink is the session's: the crash tests before may have had a message sent twice
    # on purpose (same key, dropped by the receiver). What this test sends is counted.
    eerder = len(aanbieders.received)
    data = individueel("FLOW-SWEEP", "LINDE-105", "999990081")
    data["gevraagde_start"], data["gevraagde_eind"] = "2027-01-01", "2027-12-31"
    zaak, run_id = indienen(data)
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(zaak, toekennen("b-001", peildatum=PEILDATUM))
    wait_for_wait(zaak, "einde-beschikking-")
    herbeoordeling = next(
        d["datum"]
        for d in ops.zaak_overzicht(zaak, log_read=False)["deadlines"]
        if d["soort"] == "herbeoordeling_start"
    )
    assert herbeoordeling == "2027-06-30"

    first = ops.sweep(dt.date.fromisoformat(herbeoordeling))
    assert zaak in first.get("zaken", [zaak])
    wait_until(
        lambda: any("herbeoordeling" in (m["title"] or "") for m in messages_for(aanbieders, zaak)),
        60,
        what="herbeoordeling notification",
    )
    assert ops.zaak_overzicht(zaak, log_read=False)["wacht_op"] == "evaluatie"
    # (The sweep also plans the dialogen of providers with meerzorg, whose runs send their
    # invitations meanwhile: count this zaak's messages.)
    sent = len(messages_for(aanbieders, zaak))

    ops.sweep(dt.date.fromisoformat(herbeoordeling))  # the same day again: nothing new
    assert len(messages_for(aanbieders, zaak)) == sent
    nieuw = [r["sleutel"] for r in aanbieders.received[eerder:] if r["sleutel"]]
    oud = {r["sleutel"] for r in aanbieders.received[:eerder]}
    assert len(set(nieuw)) == len(nieuw) and not oud & set(nieuw), "a message sent twice"

    ops.sweep(dt.date(2028, 1, 1))
    z = wait_for_status(zaak, "beeindigd")
    assert z["beschikkingen"][0]["status"] == "beeindigd"
    from uuid import UUID

    from prefect.client.orchestration import get_client

    def completed():
        with get_client(sync_client=True) as client:
            return client.read_flow_run(UUID(run_id)).state.is_completed()

    wait_until(completed, 90, what="the run to complete")


def test_run_name_and_tags_carry_the_zaak_key_and_no_bsn(aanbieders):
    from uuid import UUID

    from prefect.client.orchestration import get_client

    zaak, run_id = indienen(individueel("FLOW-PRIVACY", "LINDE-106", "999990093"))
    wait_for_wait(zaak, "beoordeling-")
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(run_id))
    assert run.name == zaak
    assert "agb:73730001" in run.tags and "leveringsvorm:verblijf" in run.tags
    assert "wacht-op:beoordeling" in run.tags
    assert run.parameters == {"zaak": zaak}
    assert "999990093" not in json.dumps(run.model_dump(mode="json"))


def test_a_restarted_runner_polls_for_every_deployment_before_start_runner_returns(system):
    """`start_runner` (the session's, `meerzorg up`'s) returns once the new runner serves:
    after a restart the deployments already exist, and on a first start the runner registers
    them one by one, so their existence says nothing (test_up once saw 3 of 4 schedules)."""
    import httpx

    from deployments.specs import deployment_names
    from deployments.system import polled_since
    from tests.flows.conftest import MODE

    if MODE != "embedded":
        pytest.skip("the workers' start waits for their heartbeats (tests/flows/workers.py)")
    system.stop_runner()
    restarted = dt.datetime.now(dt.UTC)
    system.start_runner()
    deployments = httpx.post(
        f"{system.api_url}/deployments/filter",
        json={"limit": 200},
        headers=system.auth_headers(),
        timeout=5,
    ).json()
    assert set(deployment_names()) <= polled_since(deployments, restarted)
    assert len(deployment_names()) >= 8
