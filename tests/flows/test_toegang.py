"""Who is at the keyboard (issue 14), against the session's real system, which runs as
production does (MEERZORG_AUTH=aan, the default): the gateway on the public port, Prefect on
an internal loopback port behind it, the runner or the workers with their service
credential. In MEERZORG_TEST_MODE=postgres-workers the same tests run on workers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path

import httpx
import pytest

from models.dates import vandaag
from tests.factories import toekennen
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PEILDATUM = dt.date(2026, 11, 22)  # the aanvragen's receipt
VANDAAG = vandaag()  # a person decides today: the gateway refuses any other date
AGB = "73730201"
WACHTWOORD = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def toegang(system, sink):
    """The session's system: logins are on by default, this process is the service."""
    from deployments import operations as ops
    from deployments.cli_beheer import medewerker_registreer

    assert system.auth, "the shared test system runs behind the gateway (MEERZORG_AUTH=aan)"
    for wie, rol in (
        ("bo-1", "beoordelaar"),
        ("bo-2", "beoordelaar"),
        ("cce-1", "cce"),
        ("an-1", "analist"),
        ("ops-1", "operations"),
    ):
        medewerker_registreer(wie, rol, WACHTWOORD)
    ops.aanbieder_registreer(AGB, "Zorggroep Met Toegang", [sink.url])
    return system


@contextlib.contextmanager
def sessie(iso, wie: str):
    """A browser's session: logged in through the gateway's login page."""
    with httpx.Client(base_url=iso.ui_url, follow_redirects=False, timeout=30) as client:
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
    ui = httpx.get(toegang.ui_url + "/runs", follow_redirects=False)
    # To the login page, which keeps the page asked for.
    assert ui.status_code == 303 and ui.headers["location"] == "/login?next=/runs"
    api = httpx.post(toegang.api_url + "/flow_runs/filter", json={})
    assert api.status_code == 401
    # Nor around the door: the internal server wants the credential only the gateway holds.
    intern = f"http://127.0.0.1:{toegang.internal_port}/api/flow_runs/filter"
    assert httpx.post(intern, json={}).status_code == 401
    assert httpx.get(toegang.api_url + "/health").content.strip() == b"true"


def test_the_cce_and_an_analyst_cannot_resume_a_beoordeling_and_it_keeps_waiting(toegang):
    from deployments import operations as ops
    from tasks import runs

    zaak, run_id = indienen("TOEGANG-CCE", "ZMT-001", "999990044")
    key = wait_for_wait(zaak, "beoordeling-")
    for wie in ("cce-1", "an-1"):
        with sessie(toegang, wie) as client:
            r = resume(client, run_id, toekennen("bo-1", peildatum=VANDAAG))
            assert r.status_code == 403, r.text
            assert "R §10" in r.json()["detail"]
    time.sleep(3)
    assert runs.paused_runs()[run_id][1] == key
    assert ops.zaak_overzicht(zaak, log_read=False)["status"] == "beoordeling"


def test_four_eyes_are_two_logins_whatever_the_form_says(toegang):
    from deployments import operations as ops
    from models.db.store import session_scope
    from models.db.tables import Besluit, Zaak
    from tasks import runs

    # A maatwerkbedrag needs a second, different beoordelaar (models/besluit.py).
    zaak, run_id = indienen(
        "TOEGANG-4OGEN", "ZMT-002", "999990056", context_middelen_per_jaar=200000
    )
    eerste = wait_for_wait(zaak, "beoordeling-")
    with sessie(toegang, "bo-1") as bo1:
        # A person cannot date a besluit back (issue 25): refused, and the run still waits.
        r = resume(bo1, run_id, toekennen("bo-1", peildatum=PEILDATUM))
        assert r.status_code == 422 and "vandaag" in r.json()["detail"], r.text
        assert runs.paused_runs()[run_id][1] == eerste
        # The form names bo-2: the login bo-1 signs.
        assert aangenomen(resume(bo1, run_id, toekennen("bo-2", peildatum=VANDAAG)))
        eerste_wacht = wait_for_wait(zaak, "tweede-beoordeling-")
        with session_scope() as session:
            assert session.get(Zaak, zaak).voorlopig_besluit["beoordelaar"] == "bo-1"
        # bo-1 cannot be the second pair of eyes by typing bo-2 either.
        assert aangenomen(resume(bo1, run_id, toekennen("bo-2", peildatum=VANDAAG)))
        wait_until(
            lambda: "vier ogen" in (ops.zaak_overzicht(zaak, log_read=False)["laatste_fout"] or ""),
            what="the four-eyes refusal",
        )
    key = wait_for_wait(zaak, "tweede-beoordeling-")
    with sessie(toegang, "bo-2") as bo2:
        assert aangenomen(resume(bo2, run_id, toekennen("bo-1", peildatum=VANDAAG)))
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


def test_only_operations_cancels_or_deletes_a_run(toegang):
    from prefect.client.orchestration import get_client
    from prefect.states import Scheduled

    # A werkvoorraad run scheduled far ahead: cancelling it touches no zaak.
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("meerzorg-werkvoorraad/werkvoorraad")
        run = client.create_flow_run_from_deployment(
            deployment.id,
            state=Scheduled(scheduled_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        )
    annuleer = {"state": {"type": "CANCELLING", "name": "Cancelling"}}
    for wie in ("bo-1", "cce-1", "an-1"):
        with sessie(toegang, wie) as client:
            r = client.post(f"/api/flow_runs/{run.id}/set_state", json=annuleer)
            assert r.status_code == 403 and "alleen operations" in r.json()["detail"], r.text
            assert client.delete(f"/api/flow_runs/{run.id}").status_code == 403
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(run.id).state.type.value == "SCHEDULED"
    with sessie(toegang, "ops-1") as client:
        r = client.post(f"/api/flow_runs/{run.id}/set_state", json=annuleer)
        # Prefect cancels a run without infrastructure at once (it answers REJECT with the
        # Cancelled state it set instead of Cancelling).
        assert r.status_code in (200, 201), r.text
        with get_client(sync_client=True) as prefect:
            assert prefect.read_flow_run(run.id).state.type.value in ("CANCELLED", "CANCELLING")
        assert client.delete(f"/api/flow_runs/{run.id}").status_code == 204


def test_the_cli_decides_as_its_login_through_the_gateway(toegang):
    import os
    import subprocess
    import sys

    from deployments.cli_beheer import audit_lijst
    from models.db.store import session_scope
    from models.db.tables import Besluit

    zaak, _ = indienen("TOEGANG-CLI", "ZMT-004", "999990081")
    wait_for_wait(zaak, "beoordeling-")
    formulier = Path(toegang.home) / "formulier-cli.json"
    formulier.write_text(json.dumps(toekennen("bo-1", peildatum=VANDAAG)))

    def meerzorg(wie: str, *extra: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PREFECT_API_AUTH_STRING=f"{wie}:{WACHTWOORD}")
        env.pop("MEERZORG_MEDEWERKER", None)
        cli = Path(sys.executable).parent / "meerzorg"
        args = [
            str(cli),
            "beoordeel",
            zaak,
            "--uitkomst",
            "toekennen",
            "--formulier",
            str(formulier),
        ]
        args += extra
        return subprocess.run(
            [*args, "--peildatum", VANDAAG.isoformat()],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=300,
        )

    p = meerzorg("bo-2", "--beoordelaar", "bo-1")  # bo-2 cannot sign as bo-1
    assert p.returncode == 2 and "u bent ingelogd als bo-2" in p.stderr, p.stderr
    p = meerzorg("cce-1")
    assert p.returncode == 2 and "cce" in p.stderr.lower(), p.stderr
    p = meerzorg("bo-2")  # the form file names bo-1: the login signs
    assert p.returncode == 0, p.stderr
    from deployments import operations as ops

    z = wait_until(
        lambda: (z := ops.zaak_overzicht(zaak, log_read=False))["status"] != "beoordeling" and z,
        what="the decision applied",
    )
    with session_scope() as session:
        from sqlmodel import select

        if z["status"] == "tweede_beoordeling":  # above the four-eyes amount
            from models.db.tables import Zaak

            assert session.get(Zaak, zaak).voorlopig_besluit["beoordelaar"] == "bo-2"
        else:
            besluit = session.exec(select(Besluit).where(Besluit.zaak == zaak)).one()
            assert besluit.beoordelaar == "bo-2"
    assert ("bo-2", "hervat") in [(e["actor"], e["actie"]) for e in audit_lijst(zaak)]


def test_behind_an_authenticating_proxy_its_header_is_the_login_from_its_network_only(toegang):
    """Production: an OIDC proxy (oauth2-proxy before Entra ID) logs the person in and passes
    the id in a header; a second gateway in front of the same server trusts it from the
    proxy's network (here loopback) and the case database still decides the role."""
    from deployments import operations as ops
    from deployments.system import free_port

    port = free_port()
    proxy_env = {
        "MEERZORG_AUTH_PROXY_HEADER": "X-Medewerker",
        "MEERZORG_AUTH_TRUSTED_NETWORKS": "127.0.0.1/32",
    }
    gateway = toegang.start_gateway(port, proxy_env, "gateway-proxy.log")
    api = f"http://127.0.0.1:{port}/api"
    try:
        zaak, run_id = indienen("TOEGANG-PROXY", "ZMT-005", "999990093")
        wait_for_wait(zaak, "beoordeling-")
        assert httpx.post(f"{api}/flow_runs/filter", json={}).status_code == 401
        onbekend = {"X-Medewerker": "niemand"}
        assert httpx.post(f"{api}/flow_runs/filter", json={}, headers=onbekend).status_code == 401
        cce = {"X-Medewerker": "cce-1"}
        r = httpx.post(
            f"{api}/flow_runs/{run_id}/resume",
            json={"run_input": toekennen("bo-1", peildatum=VANDAAG)},
            headers=cce,
        )
        assert r.status_code == 403 and "R §10" in r.json()["detail"]
        bo = {"X-Medewerker": "bo-1"}
        r = httpx.post(
            f"{api}/flow_runs/{run_id}/resume",
            json={"run_input": toekennen("bo-2", peildatum=VANDAAG)},
            headers=bo,
            timeout=30,
        )
        assert aangenomen(r), r.text
        wait_until(
            lambda: ops.zaak_overzicht(zaak, log_read=False)["status"] != "beoordeling",
            what="the decision applied",
        )
        # The public gateway of the system trusts no header at all.
        assert (
            httpx.post(toegang.api_url + "/flow_runs/filter", json={}, headers=bo).status_code
            == 401
        )
    finally:
        toegang._stop(gateway)
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import Besluit, Zaak

    with session_scope() as session:
        zaak_rij = session.get(Zaak, zaak)
        besluiten = session.exec(select(Besluit).where(Besluit.zaak == zaak)).all()
        wie = besluiten[0].beoordelaar if besluiten else zaak_rij.voorlopig_besluit["beoordelaar"]
    assert wie == "bo-1"
