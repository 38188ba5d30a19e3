"""The werkvoorraad deployment on the real server: artifacts with stable keys per role,
links to the runs, attention tags kept current; the case card artifact of a waiting run."""

from __future__ import annotations

import datetime as dt
import json
from uuid import UUID

import pytest

from models.dates import vandaag
from tests.flows.conftest import wait_for_wait
from tests.flows.test_lifecycle import individueel

pytestmark = pytest.mark.usefixtures("aanbieders")


def latest(client, key: str) -> str:
    r = client.request("GET", f"/artifacts/{key}/latest")
    r.raise_for_status()
    return r.json()["data"]


def werkvoorraad_run(peildatum: dt.date) -> dict:
    from prefect.deployments import run_deployment

    run = run_deployment(
        "meerzorg-werkvoorraad/werkvoorraad",
        parameters={"peildatum": peildatum.isoformat()},
        timeout=300,
        as_subflow=False,
        _sync=True,
    )
    assert run.state.is_completed(), run.state
    return run


def test_the_werkvoorraad_lists_a_waiting_zaak_per_role_and_tags_its_run(system):
    from prefect.client.orchestration import get_client

    from deployments import operations as ops
    from deployments.cli_dashboard import werkvoorraad_overzicht

    result = ops.indienen(
        json.dumps(individueel("FLOW-WERKVOORRAAD", "LINDE-311", "999991024")), vandaag()
    )
    zaak, run_id = result["zaak"], result["flow_run_id"]
    wait_for_wait(zaak, "beoordeling-1")

    with get_client(sync_client=True) as client:
        # The case card of the wait is an artifact with the zaak's stable key.
        kaart = latest(client, f"zaak-{zaak.lower()}")
        assert f"## Zaak {zaak}" in kaart and "999991024" not in kaart

        # Nine weeks on, the beslistermijn (eight weeks after receipt) has passed.
        later = vandaag() + dt.timedelta(weeks=9)
        werkvoorraad_run(later)
        tabel = latest(client, "werkvoorraad-beoordelaar")
        regel = next(line for line in tabel.splitlines() if zaak in line)
        assert f"[{zaak}]({system.ui_url}/runs/flow-run/{run_id})" in regel
        assert "| beoordeling |" in regel and "beslistermijn" in regel and "verlopen" in regel
        alles = latest(client, "werkvoorraad")
        assert zaak in alles
        # The operator's health view on top (`meerzorg status`): the test system runs
        # without schedules, which it says.
        assert alles.startswith("## Systeemstatus: **")
        assert "deployment deadline-sweep heeft op de server geen schema" in alles
        assert zaak not in latest(client, "werkvoorraad-cce")
        assert "signaal:verlopen" in client.read_flow_run(UUID(run_id)).tags

        # Today it is on time again: the tag comes off, the lifecycle's tags stay.
        werkvoorraad_run(vandaag())
        tags = client.read_flow_run(UUID(run_id)).tags
        assert not [t for t in tags if t.startswith("signaal:")]
        assert "wacht-op:beoordeling" in tags

    # The same rows from the command line, with the link to the run.
    overzicht = werkvoorraad_overzicht(vandaag(), "beoordelaar")
    rij = next(r for r in overzicht["zaken"] if r["zaak"] == zaak)
    assert rij["run_url"] == f"{system.ui_url}/runs/flow-run/{run_id}"
    assert rij["termijn"] == "beslistermijn" and rij["signaal"] == "op-tijd"
    assert zaak not in {r["zaak"] for r in werkvoorraad_overzicht(vandaag(), "cce")["zaken"]}
