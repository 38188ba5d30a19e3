"""One year of a meerzorgdialoog against the real Prefect server, runner and notification sink:
planned for a provider with active meerzorg, invitation, a reminder from the sweep at a later
peildatum, the meerzorgplan, the verslag, and next year's dialoog with its terugblik."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.factories import toekennen
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PEILDATUM = dt.date(2026, 11, 22)
AGB = "73730007"
KEY = f"dialoog-{AGB}-2027"
pytestmark = pytest.mark.usefixtures("aanbieders")


def aanvraag() -> dict:
    data = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
    data["provider_referentie"] = "FLOW-DIALOOG"
    data["zorgaanbieder"] = {"agb": AGB, "naam": "Zorggroep De Dialoog"}
    data["vorm"] = "individueel"
    data["clienten"] = [dict(data["clienten"][0], client_id="DIALOOG-001", bsn="999990093")]
    data["uren_per_week"] = {
        "begeleiding": 24,
        "verzorging": 8,
        "verpleging": 2,
        "dagbesteding": 6,
        "nachtzorg": 5,
    }
    return data


def wacht_op(prefix: str) -> dict:
    """Until the dialoog waits on a key starting with `prefix` and its run is suspended on it."""
    from tasks import dialoog_lezen, runs

    def ready():
        d = dialoog_lezen.detail(AGB, 2027)
        key = d and d["wacht_key"]
        if key and key.startswith(prefix):
            if runs.pause_key(d["flow_run_id"]) == key:
                return d
        return None

    return wait_until(ready, 120, what=f"{KEY} waiting for {prefix}")


def berichten(sink) -> list[str]:
    return [r["title"] or "" for r in sink.received if KEY in (r["sleutel"] or "")]


def test_a_dialoog_year_from_invitation_to_next_years_terugblik(aanbieders):
    from deployments import cli_dialoog
    from deployments import operations as ops
    from tasks import dialoog as dialoog_ops
    from tasks import dialoog_lezen, dialoog_planning, runs

    ops.aanbieder_registreer(AGB, "Zorggroep De Dialoog", [aanbieders.url])
    zaak = ops.indienen(json.dumps(aanvraag()), PEILDATUM)["zaak"]
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(zaak, toekennen("b-001", peildatum=PEILDATUM))
    wait_for_status(zaak, "lopend")

    # The yearly planner (run now, late in the season): this provider has active meerzorg.
    gepland = cli_dialoog.plan(2027, PEILDATUM)
    assert AGB in gepland["gepland"]
    d = wacht_op("meerzorgplan-")
    assert (d["uitnodiging"], d["meerzorgplan_uiterlijk"], d["dialoog_datum"]) == (
        "2026-11-22",
        "2027-01-04",
        "2027-02-01",
    )
    assert {t["soort"]: t["datum"] for t in d["termijnen"]} == {
        "herinnering_meerzorgplan": "2026-12-21",
        "escalatie_meerzorgplan": "2027-01-11",
    }
    assert [n["kanaal"] for n in d["notificaties"]] == ["aanbieder", "cce"]  # R §10
    wait_until(
        lambda: any("Uitnodiging meerzorgdialoog 2027" in t for t in berichten(aanbieders)),
        60,
        what="invitation in the sink",
    )
    run_id = d["flow_run_id"]
    # Planning twice changes nothing; starting the run again returns the same run.
    assert dialoog_planning.plan_jaar(2027, PEILDATUM)["gepland"] == []
    assert dialoog_ops.start_run(AGB, 2027, PEILDATUM) == run_id

    # The deadline sweep at a later peildatum sends the reminder; the run keeps waiting.
    ops.sweep(dt.date(2026, 12, 21))
    wait_until(
        lambda: any("Herinnering: meerzorgplan" in t for t in berichten(aanbieders)),
        60,
        what="reminder in the sink",
    )
    assert dialoog_lezen.detail(AGB, 2027)["wacht_key"] == d["wacht_key"]

    # The meerzorgplan comes in: exactly what the Resume form sends.
    assert runs.resume(
        run_id, {"ontvangen": True, "medewerker": "b-001", "peildatum": "2026-12-28"}
    )
    d = wacht_op("dialoog-")
    assert d["meerzorgplan_ontvangen"] == "2026-12-28"
    assert [t["soort"] for t in d["termijnen"]] == ["verslag_herinnering"]

    # The dialoog is held; its verslag with the five agenda items closes the year.
    verslag = {
        "terugblik": "Eerste dialoog met deze zorgaanbieder.",
        "meerzorgplan": "Plan en groepsevaluatie besproken.",
        "samenwerking_cce": "Ontwikkeltraject gepland in het voorjaar.",
        "sturing": "Kwartaalgesprek over inzet en kosten.",
        "afspraken": "Evaluatie nachtzorg in juni\nCCE-bijeenkomst voor 1 april",
        "gehouden_op": "2027-02-01",
        "cce_aanwezig": True,
        "verslaglegger": "b-001",
        "peildatum": "2027-02-02",
    }
    assert runs.resume(run_id, verslag)
    wait_until(
        lambda: dialoog_lezen.detail(AGB, 2027)["status"] == "afgerond", 120, what="afgerond"
    )
    d = dialoog_lezen.detail(AGB, 2027)
    assert d["afspraken"] == ["Evaluatie nachtzorg in juni", "CCE-bijeenkomst voor 1 april"]
    volgend = dialoog_lezen.detail(AGB, 2028)
    assert volgend["status"] == "gepland"
    assert volgend["notities"]["terugblik"] == (
        "Afspraken uit de meerzorgdialoog 2027:\n"
        "- Evaluatie nachtzorg in juni\n- CCE-bijeenkomst voor 1 april"
    )
    assert (volgend["uitnodiging"], volgend["dialoog_datum"]) == ("2027-10-01", "2028-02-01")
    wait_until(
        lambda: any("Verslag meerzorgdialoog 2027" in t for t in berichten(aanbieders)),
        60,
        what="verslag notification",
    )
    # R §10: the verslag reaches the provider as a letter, its message the key only.
    brief = [r for r in aanbieders.received if r["sleutel"] == f"{KEY}-verslag"]
    assert [b["naam"] for b in brief[0]["bijlagen"]] == [f"verslag-{KEY}.pdf"]
    assert "Kwartaalgesprek" not in brief[0]["message"]
    assert d["cce_aanwezig"] is True and d["verslag"]["sha256"] == brief[0]["bijlagen"][0]["sha256"]
    regel = next(r for r in cli_dialoog.dialogen(2027) if r["agb"] == AGB)
    assert regel == {
        "agb": AGB,
        "uitnodiging": "2026-11-22",
        "meerzorgplan_uiterlijk": "2027-01-04",
        "dialoog": "2027-02-01",
        "status": "afgerond",
        "wacht_op": None,
        "meerzorgplan_ontvangen": "2026-12-28",
        "gehouden_op": "2027-02-01",
    }

    from uuid import UUID

    from prefect.client.orchestration import get_client

    def klaar():
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(UUID(run_id))
        return run.state.is_completed() and run

    run = wait_until(klaar, 120, what="the dialoog run to complete")
    assert run.name == KEY and {"meerzorgdialoog", f"agb:{AGB}", "status:afgerond"} <= set(run.tags)

    # One driver with the lifecycle's protections: the verslag's free text lives in the
    # database only; the answered forms were removed from Prefect's run inputs.
    with get_client(sync_client=True) as client:
        inputs = client.filter_flow_run_input(UUID(run_id), "", 200, set())
    stored = json.dumps([i.model_dump(mode="json") for i in inputs])
    assert not [i.key for i in inputs if i.key.endswith("-response")], stored
    assert "Evaluatie nachtzorg in juni" not in stored and "Kwartaalgesprek" not in stored
