"""Who is at the keyboard (issue 14), against a real system with MEERZORG_AUTH=aan: the
gateway on the public port, Prefect on an internal loopback port behind it, the runner
with its service credential. One isolated system for the module."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path

import httpx
import pytest

from tests.factories import toekennen
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until
from tests.flows.isolated import isolated_system

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PEILDATUM = dt.date(2026, 11, 22)
AGB = "73730201"
WACHTWOORD = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def toegang():
    from prefect.settings import PREFECT_API_AUTH_STRING, temporary_settings

    from deployments.sink import Sink

    sink = Sink().start()
    with isolated_system({"MEERZORG_AUTH": "aan"}) as iso, pytest.MonkeyPatch.context() as mp:
        auth = iso.system.env["PREFECT_API_AUTH_STRING"]
        mp.setenv("PREFECT_API_AUTH_STRING", auth)  # this process is a script: the service
        with temporary_settings(updates={PREFECT_API_AUTH_STRING: auth}):
            from deployments import operations as ops
            from deployments.cli_beheer import medewerker_registreer

            for wie, rol in (
                ("bo-1", "beoordelaar"),
                ("bo-2", "beoordelaar"),
                ("cce-1", "cce"),
                ("an-1", "analist"),
            ):
                medewerker_registreer(wie, rol, WACHTWOORD)
            ops.aanbieder_registreer(AGB, "Zorggroep Met Toegang", [sink.url])
            yield iso
    sink.stop()


@contextlib.contextmanager
def sessie(iso, wie: str):
    """A browser's session: logged in through the gateway's login page."""
    with httpx.Client(base_url=iso.system.ui_url, follow_redirects=False, timeout=30) as client:
        r = client.post("/login", data={"id": wie, "wachtwoord": WACHTWOORD})
        assert r.status_code == 303, r.text
        yield client


def indienen(ref: str, client_id: str, bsn: str, **changes) -> tuple[str, str]:
    from deployments import operations as ops

    data = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
    data.update(provider_referentie=ref, vorm="individueel", **changes)
    data["zorgaanbieder"]["agb"] = AGB
    data["clienten"] = [dict(data["clienten"][0], client_id=client_id, bsn=bsn)]
    result = ops.indienen(json.dumps(data), PEILDATUM)
    return result["zaak"], result["flow_run_id"]


def resume(client: httpx.Client, run_id: str, run_input: dict) -> httpx.Response:
    return client.post(f"/api/flow_runs/{run_id}/resume", json={"run_input": run_input})


def aangenomen(r: httpx.Response) -> bool:
    """Prefect accepted the Resume (it answers 200 or 201 with status ACCEPT)."""
    return r.status_code in (200, 201) and r.json()["status"] == "ACCEPT"


def test_without_a_login_neither_the_ui_nor_the_api_answers(toegang):
    ui = httpx.get(toegang.system.ui_url + "/runs", follow_redirects=False)
    assert ui.status_code == 303 and ui.headers["location"] == "/login"
    api = httpx.post(toegang.system.api_url + "/flow_runs/filter", json={})
    assert api.status_code == 401
    # Nor around the door: the internal server wants the credential only the gateway holds.
    intern = f"http://127.0.0.1:{toegang.system.internal_port}/api/flow_runs/filter"
    assert httpx.post(intern, json={}).status_code == 401
    assert httpx.get(toegang.system.api_url + "/health").content.strip() == b"true"


def test_the_cce_and_an_analyst_cannot_resume_a_beoordeling_and_it_keeps_waiting(toegang):
    from deployments import operations as ops
    from tasks import runs

    zaak, run_id = indienen("TOEGANG-CCE", "ZMT-001", "999990044")
    key = wait_for_wait(zaak, "beoordeling-")
    for wie in ("cce-1", "an-1"):
        with sessie(toegang, wie) as client:
            r = resume(client, run_id, toekennen("bo-1", peildatum=PEILDATUM))
            assert r.status_code == 403, r.text
            assert "R §10" in r.json()["detail"]
    time.sleep(3)
    assert runs.paused_runs()[run_id][1] == key
    assert ops.zaak_overzicht(zaak, log_read=False)["status"] == "beoordeling"


def test_four_eyes_are_two_logins_whatever_the_form_says(toegang):
    from deployments import operations as ops
    from models.db.store import session_scope
    from models.db.tables import Besluit, Zaak

    # A maatwerkbedrag needs a second, different beoordelaar (models/besluit.py).
    zaak, run_id = indienen(
        "TOEGANG-4OGEN", "ZMT-002", "999990056", context_middelen_per_jaar=200000
    )
    wait_for_wait(zaak, "beoordeling-")
    with sessie(toegang, "bo-1") as bo1:
        # The form names bo-2: the login bo-1 signs.
        assert aangenomen(resume(bo1, run_id, toekennen("bo-2", peildatum=PEILDATUM)))
        eerste_wacht = wait_for_wait(zaak, "tweede-beoordeling-")
        with session_scope() as session:
            assert session.get(Zaak, zaak).voorlopig_besluit["beoordelaar"] == "bo-1"
        # bo-1 cannot be the second pair of eyes by typing bo-2 either.
        assert aangenomen(resume(bo1, run_id, toekennen("bo-2", peildatum=PEILDATUM)))
        wait_until(
            lambda: "vier ogen" in (ops.zaak_overzicht(zaak, log_read=False)["laatste_fout"] or ""),
            what="the four-eyes refusal",
        )
    key = wait_for_wait(zaak, "tweede-beoordeling-")
    with sessie(toegang, "bo-2") as bo2:
        assert aangenomen(resume(bo2, run_id, toekennen("bo-1", peildatum=PEILDATUM)))
    wait_for_status(zaak, "lopend")
    with session_scope() as session:
        from sqlmodel import select

        besluit = session.exec(select(Besluit).where(Besluit.zaak == zaak)).one()
    assert (besluit.beoordelaar, besluit.tweede_beoordelaar) == ("bo-1", "bo-2")
    assert key != eerste_wacht  # bo-1's second try was refused and waited again


def test_viewing_a_case_card_is_in_the_audit_trail(toegang):
    from deployments.cli_beheer import audit_lijst

    zaak, run_id = indienen("TOEGANG-KIJK", "ZMT-003", "999990068")
    wait_for_wait(zaak, "beoordeling-")
    with sessie(toegang, "cce-1") as client:
        assert client.get(f"/api/flow_runs/{run_id}").status_code == 200
        body = {"artifacts": {"key": {"any_": [f"zaak-{zaak.lower()}"]}}}
        kaarten = client.post("/api/artifacts/filter", json=body)
        assert kaarten.status_code == 200 and kaarten.json()
    events = [(e["actor"], e["actie"], e["client_id"]) for e in audit_lijst(zaak)]
    assert ("cce-1", "run_bekeken", "ZMT-003") in events
    assert ("cce-1", "kaart_bekeken", "ZMT-003") in events
