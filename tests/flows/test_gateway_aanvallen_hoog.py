"""Issue 23, "What was found", the High findings and the bezwaar registered on the CLI, on the
real system: each attack is refused (or, for a view, audited) and changes nothing, read back
with the service identity; the legitimate path beside it still works. The Critical findings:
test_gateway_aanvallen.py; helpers: tests/flows/aanvallen.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from types import SimpleNamespace

import pytest

from tests.factories import afwijzen
from tests.flows.aanvallen import (
    LATER,
    PEILDATUM,
    WACHTWOORD,
    aanvalsopzet,
    audit_marker,
    audit_sinds,
    basic,
    bsn,
    deployment,
    geweigerd_gelogd,
    hoofdletters,
    indienen,
    op_de_lijn,
    zaak_rij,
    zonder_streepjes,
)
from tests.flows.conftest import pause_key_or_none, wait_for_wait, wait_until

AGB = "73730302"
ROLLEN = {
    "aanvh-bo-1": "beoordelaar",
    "aanvh-tl-1": "teamleider",
    "aanvh-jur-1": "jurist",
    "aanvh-cce-1": "cce",
    "aanvh-an-1": "analist",
    "aanvh-ops-1": "operations",
}
PERSONEN = tuple(ROLLEN)
# One login per spelling of a view: the gateway records a login's view of a zaak once per
# window, so each spelling is a first view.
KIJKERS = {f"aanvh-kijk-{i}": "cce" for i in range(1, 7)}
GEHEIM = f"aanvh-geheim-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def hoog(system, sink):
    medewerkers = ROLLEN | KIJKERS
    with aanvalsopzet(system, sink, medewerkers, AGB, "Zorggroep Aanval Hoog", "AANVH-W", 60) as a:
        yield a


@pytest.fixture(scope="module")
def blokken(hoog):
    """A Secret block and an operations alert webhook block, saved by the service."""
    from prefect.blocks.system import Secret

    from deployments.automations import webhook_voor

    Secret(value=GEHEIM).save("aanvh-geheim", overwrite=True)
    webhook_voor("json://127.0.0.1:9/ops").save("aanvh-ops-alarm", overwrite=True)
    d = hoog.dienst
    docs = {}
    for slug, naam in (("secret", "aanvh-geheim"), ("custom-webhook", "aanvh-ops-alarm")):
        r = d.get(
            f"/block_types/slug/{slug}/block_documents/name/{naam}",
            params={"include_secrets": "true"},
        )
        assert r.status_code == 200, r.text
        docs[slug] = r.json()
    assert docs["secret"]["data"]["value"] == GEHEIM
    yield SimpleNamespace(geheim=docs["secret"], alarm=docs["custom-webhook"])
    for doc in docs.values():
        d.delete(f"/block_documents/{doc['id']}")


# --- High: runs, system configuration, secrets --------------------------------------------


def test_only_operations_cancels_and_nobody_bulk_sets_fails_or_deletes_runs(hoog):
    """High: a beoordelaar cancelled, failed and deleted runs via `bulk_set_state`,
    `bulk_delete` and `set_state` with a hyphenless id. For every person the bulk routes,
    any state but operations' cancel, and DELETE by non-operations are 403 in every spelling
    of the id; the run stays as it was. Operations still cancels and deletes it."""
    d = hoog.dienst
    werk = deployment(d, "werkvoorraad")["id"]
    r = d.post(f"/deployments/{werk}/create_flow_run", json={"state": LATER})
    assert r.status_code == 201, r.text
    run = r.json()["id"]
    try:
        marker = audit_marker()
        filter_ = {"id": {"any_": [run]}}
        for wie, rol in ROLLEN.items():
            aanvallen = [
                ("/api/flow_runs/bulk_set_state", {"flow_runs": filter_, "state": {"type": "CANCELLED"}}),
                ("/api/flow_runs/bulk_set_state", {"flow_runs": filter_, "state": {"type": "FAILED"}, "force": True}),
                ("/api/flow_runs/bulk_delete", {"flow_runs": filter_}),
            ]  # fmt: skip
            for spelling in (run, zonder_streepjes(run), hoofdletters(run)):
                pad = f"/api/flow_runs/{spelling}/set_state"
                aanvallen += [
                    (pad, {"state": {"type": "FAILED", "name": "Failed"}}),
                    (pad, {"state": {"type": "COMPLETED", "name": "Completed"}, "force": True}),
                ]
                if rol != "operations":
                    aanvallen.append((pad, {"state": {"type": "CANCELLING", "name": "Cancelling"}}))
            client = hoog.als(wie)
            for pad, body in aanvallen:
                r = op_de_lijn(client.post(pad, json=body), pad)
                assert r.status_code == 403, (wie, pad, body, r.status_code, r.text)
            if rol != "operations":
                for spelling in (run, zonder_streepjes(run), hoofdletters(run)):
                    pad = f"/api/flow_runs/{spelling}"
                    r = op_de_lijn(client.delete(pad), pad)
                    assert r.status_code == 403, (wie, pad, r.status_code, r.text)
        gelezen = d.get(f"/flow_runs/{run}")
        assert gelezen.status_code == 200 and gelezen.json()["state"]["type"] == "SCHEDULED"
        geweigerd_gelogd(marker, *PERSONEN)

        ops = hoog.als("aanvh-ops-1")
        annuleer = {"state": {"type": "CANCELLING", "name": "Cancelling"}}
        r = ops.post(f"/api/flow_runs/{run}/set_state", json=annuleer)
        assert r.status_code in (200, 201), r.text
        assert d.get(f"/flow_runs/{run}").json()["state"]["type"] in ("CANCELLED", "CANCELLING")
        assert ops.delete(f"/api/flow_runs/{run}").status_code == 204
        assert d.get(f"/flow_runs/{run}").status_code == 404
    finally:
        d.delete(f"/flow_runs/{run}")


def _nep_event(event_id: str) -> dict:
    """A forged "Completed" of the sweep, as would silence the missing-sweep alert."""
    return {
        "id": event_id,
        "occurred": dt.datetime.now(dt.UTC).isoformat(),
        "event": "prefect.flow-run.Completed",
        "resource": {"prefect.resource.id": f"prefect.flow-run.{uuid.uuid4()}"},
        "related": [
            {
                "prefect.resource.id": f"prefect.flow.{uuid.uuid4()}",
                "prefect.resource.role": "flow",
                "prefect.resource.name": "meerzorg-deadline-sweep",
            }
        ],
        "payload": {},
    }


# An automation that could act (cancel-flow-run) but never fires: disabled, on no resource.
AUTOMATION = {
    "name": "aanvh-annuleer",
    "enabled": False,
    "trigger": {
        "type": "event",
        "posture": "Reactive",
        "match": {"prefect.resource.id": "prefect.flow-run.aanvh-bestaat-niet"},
        "expect": ["prefect.flow-run.Running"],
        "threshold": 1,
        "within": 0,
    },
    "actions": [{"type": "cancel-flow-run"}],
}


def test_staff_cannot_change_blocks_automations_variables_pools_limits_or_events(hoog, blokken):
    """High: a beoordelaar changed the operations alert webhook block (alerts went to the
    attacker), created automations, variables, work pools and concurrency limits, and posted
    events (a forged "Completed" sweep silences the missing-sweep alert). Every person is
    refused each of these writes, and none of them happened."""
    d = hoog.dienst
    alarm, geheim = blokken.alarm, blokken.geheim
    event_id = str(uuid.uuid4())
    schrijven = [
        ("PATCH", f"/api/block_documents/{alarm['id']}",
         {"data": {"url": "http://aanvaller.example/haak"}, "merge_existing_data": True}),
        ("POST", "/api/block_documents/",
         {"name": "aanvh-nep", "data": {"value": "x"}, "block_schema_id": geheim["block_schema_id"],
          "block_type_id": geheim["block_type_id"]}),
        ("POST", "/api/automations/", AUTOMATION),
        ("POST", "/api/variables/", {"name": "aanvh_var", "value": "x"}),
        ("POST", "/api/work_pools/", {"name": "aanvh-pool", "type": "process"}),
        ("POST", "/api/concurrency_limits/", {"tag": "aanvh-tag", "concurrency_limit": 1}),
        ("POST", "/api/v2/concurrency_limits/", {"name": "aanvh-limiet", "limit": 1}),
        ("POST", "/api/events", [_nep_event(event_id)]),
    ]  # fmt: skip
    automations = {"automations": {"name": {"any_": [AUTOMATION["name"]]}}}
    marker = audit_marker()
    try:
        for wie in PERSONEN:
            client = hoog.als(wie)
            for methode, pad, body in schrijven:
                r = client.request(methode, pad, json=body)
                assert r.status_code == 403, (wie, methode, pad, r.status_code, r.text)
        time.sleep(2)  # events are stored a moment after they are accepted
        na = d.get(f"/block_documents/{alarm['id']}", params={"include_secrets": "true"})
        assert na.json()["data"] == alarm["data"]
        assert d.get("/block_types/slug/secret/block_documents/name/aanvh-nep").status_code == 404
        assert d.post("/automations/filter", json=automations).json() == []
        assert d.get("/variables/name/aanvh_var").status_code == 404
        assert d.get("/work_pools/aanvh-pool").status_code == 404
        assert d.get("/concurrency_limits/tag/aanvh-tag").status_code == 404
        assert d.get("/v2/concurrency_limits/aanvh-limiet").status_code == 404
        sinds = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
        events = d.post(
            "/events/filter",
            json={"filter": {"id": {"id": [event_id]}, "occurred": {"since": sinds}}},
        )
        assert events.status_code == 200 and events.json()["events"] == [], events.text
        geweigerd_gelogd(marker, *PERSONEN)
    finally:
        d.patch(f"/block_documents/{alarm['id']}", json={"data": alarm["data"]})
        nep = d.get("/block_types/slug/secret/block_documents/name/aanvh-nep")
        if nep.status_code == 200:
            d.delete(f"/block_documents/{nep.json()['id']}")
        for a in d.post("/automations/filter", json=automations).json():
            d.delete(f"/automations/{a['id']}")
        d.delete("/variables/name/aanvh_var")
        d.delete("/work_pools/aanvh-pool")
        d.delete("/concurrency_limits/tag/aanvh-tag")
        d.delete("/v2/concurrency_limits/aanvh-limiet")


def test_include_secrets_is_stripped_for_people(hoog, blokken):
    """High: `include_secrets=true` on `/api/block_documents/…` returned Secret block values
    to an analist or a CCE member. For every person and every way to ask (query in other
    spellings, repeated, by type and name, the filter's body) the value stays obfuscated;
    the service still reads it."""
    doc = blokken.geheim["id"]
    per_id = [
        f"/api/block_documents/{doc}?include_secrets=true",
        f"/api/block_documents/{doc}?include_secrets=True",
        f"/api/block_documents/{doc}?include_secrets=1",
        f"/api/block_documents/{doc}?include_secrets=false&include_secrets=true",
        f"/api/block_documents/{doc}?include%5Fsecrets=true",
        f"/api/block_documents/{zonder_streepjes(doc)}?include_secrets=true",
    ]
    anders = [
        "/api/block_types/slug/secret/block_documents?include_secrets=true",
        "/api/block_types/slug/secret/block_documents/name/aanvh-geheim?include_secrets=true",
    ]
    filter_ = {"include_secrets": True, "block_documents": {"name": {"any_": ["aanvh-geheim"]}}}
    for wie in PERSONEN:
        client = hoog.als(wie)
        for pad in per_id + anders:
            r = client.get(pad)
            assert GEHEIM not in r.text, (wie, pad)
            if pad in per_id and r.status_code == 200:
                assert r.json()["data"]["value"] == "********", (wie, pad, r.text)
        r = client.post("/api/block_documents/filter", json=filter_)
        assert GEHEIM not in r.text, (wie, "filter")
    r = hoog.dienst.get(f"/block_documents/{doc}", params={"include_secrets": "true"})
    assert r.json()["data"]["value"] == GEHEIM


# --- High: views and the WebSockets ----------------------------------------------------------


def test_views_of_a_zaak_are_audited_whatever_the_spelling(hoog):
    """High: views were not audited on other spellings (an uppercase or hyphenless id,
    `POST …/filter` for a run's inputs and for artifacts). Each such view of a zaak's run,
    answers or card still answers the CCE and is an audit event with the login and the
    zaak. (The dot-segment spellings are refused before forwarding:
    test_dot_segment_and_encoded_paths_are_refused_before_anything_is_forwarded.)"""
    zaak, run_id, key = hoog.wachtend()
    kaart = {"artifacts": {"key": {"any_": [f"zaak-{zaak.lower()}"]}}}
    wait_until(
        lambda: hoog.dienst.post("/artifacts/filter", json=kaart).json(), 30, what="the card"
    )
    marker = audit_marker()
    kijken = [
        ("run_bekeken", "GET", f"/api/flow_runs/{hoofdletters(run_id)}", None),
        ("run_bekeken", "GET", f"/api/flow_runs/{zonder_streepjes(run_id)}", None),
        ("invoer_bekeken", "POST", f"/api/flow_runs/{run_id}/input/filter",
         {"prefix": "suspended-", "limit": 10}),
        ("invoer_bekeken", "GET",
         f"/api/flow_runs/{zonder_streepjes(run_id)}/input/suspended-{key}-description", None),
        ("kaart_bekeken", "POST", "/api/artifacts/filter",
         {"flow_runs": {"id": {"any_": [zonder_streepjes(run_id)]}}}),
        ("kaart_bekeken", "POST", "/api/artifacts/latest/filter", kaart),
    ]  # fmt: skip
    for wie, (actie, methode, pad, body) in zip(KIJKERS, kijken, strict=True):
        r = op_de_lijn(hoog.als(wie).request(methode, pad, json=body), pad)
        assert r.status_code == 200 and r.json(), (wie, pad, r.status_code, r.text)
        wait_until(
            lambda w=wie, a=actie: (w, a, zaak) in audit_sinds(marker, actor=w),
            10,
            what=f"{actie} by {wie} via {methode} {pad}",
        )


SOCKETS = ("/api/events/out", "/api/logs/out", "/api/task_runs/subscriptions/scheduled")
WEIGERINGEN = {"auth_failure", "gesloten 1008", "http 401", "http 403"}


def socket(url: str, token: str | None, headers: dict | None = None) -> str:
    """What a Prefect socket answers to its first (auth) message: the message type, or how
    it was closed or refused."""
    from websockets.exceptions import ConnectionClosed, InvalidStatus
    from websockets.sync.client import connect

    try:
        with connect(
            url, subprotocols=["prefect"], additional_headers=headers, open_timeout=15
        ) as ws:
            try:
                ws.send(json.dumps({"type": "auth", "token": token}))
                return str(json.loads(ws.recv(timeout=15)).get("type"))
            except ConnectionClosed as exc:
                return f"gesloten {exc.rcvd.code if exc.rcvd else None}"
            except TimeoutError:
                return "geen antwoord"
    except InvalidStatus as exc:
        return f"http {exc.response.status_code}"


def test_event_log_and_task_websockets_are_refused_to_people(hoog):
    """High: the WebSockets `/api/events/out`, `/api/logs/out` and
    `/api/task_runs/subscriptions/scheduled` streamed case events and logs to any role,
    unaudited. Every person is refused (a login in the auth message, a session cookie, or
    Basic on the upgrade); the service credential still gets through."""
    basis = hoog.system.ui_url.replace("http", "ws", 1)
    uitkomst = {}
    for pad in SOCKETS:
        for wie in PERSONEN:
            uitkomst[pad, wie, "auth"] = socket(basis + pad, f"{wie}:{WACHTWOORD}")
        koek = {"Cookie": f"meerzorg_sessie={hoog.als.cookie('aanvh-cce-1')}"}
        uitkomst[pad, "aanvh-cce-1", "cookie"] = socket(basis + pad, None, koek)
        uitkomst[pad, "aanvh-an-1", "basic"] = socket(
            basis + pad, None, basic(f"aanvh-an-1:{WACHTWOORD}")
        )
    doorgelaten = {k: v for k, v in uitkomst.items() if v not in WEIGERINGEN}
    assert not doorgelaten, doorgelaten
    service = os.environ["PREFECT_API_AUTH_STRING"]
    for pad in SOCKETS:
        assert socket(basis + pad, service) == "auth_success", pad


def test_staff_cannot_rename_a_run(hoog):
    """High: `PATCH /api/flow_runs/{id}` let staff rename a run (a BSN and a name went into
    its name and became searchable). Every person, every spelling of the id: 403, and the
    name is as it was."""
    zaak, run_id, _ = hoog.wachtend()
    d = hoog.dienst
    naam = d.get(f"/flow_runs/{run_id}").json()["name"]
    nieuw = f"{bsn(99)} J. de Vries"
    try:
        for wie in PERSONEN:
            for spelling in (run_id, zonder_streepjes(run_id), hoofdletters(run_id)):
                pad = f"/api/flow_runs/{spelling}"
                r = op_de_lijn(hoog.als(wie).patch(pad, json={"name": nieuw}), pad)
                assert r.status_code == 403, (wie, pad, r.status_code, r.text)
        assert d.get(f"/flow_runs/{run_id}").json()["name"] == naam
        zoek = {"flow_runs": {"name": {"like_": bsn(99)}}}
        assert d.post("/flow_runs/filter", json=zoek).json() == []
    finally:
        if d.get(f"/flow_runs/{run_id}").json()["name"] != naam:
            d.patch(f"/flow_runs/{run_id}", json={"name": naam})


# --- Medium/low: the bezwaar registered on the CLI ------------------------------------------


def test_a_bezwaar_registered_on_the_cli_moves_the_run_on_at_once(hoog, monkeypatch, capsys):
    """`meerzorg bezwaar registreer` (which writes the case first) left the zaak's run
    waiting on the bezwaartermijn's form: the gateway signed the run's resume for the zaak's
    new status, Prefect answered REJECT, and every next bezwaar step failed until the next
    day's sweep. Run in this process as a logged-in jurist, the command leaves the run on
    the old key at once, and it waits on the zaak's new wait (the hoorzitting), no sweep."""
    from prefect.settings import PREFECT_API_AUTH_STRING, temporary_settings

    from deployments import cli
    from deployments import operations as ops

    zaak, run_id = indienen(AGB, "AANVH-BEZWAAR", 70)
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(zaak, afwijzen("aanvh-bo-1", peildatum=PEILDATUM))
    oud = wait_for_wait(zaak, "bezwaar-")

    login = f"aanvh-jur-1:{WACHTWOORD}"
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", login)
    monkeypatch.delenv("MEERZORG_MEDEWERKER", raising=False)
    monkeypatch.setattr("deployments.aanmelding._ingelogd", {})
    capsys.readouterr()
    dag = PEILDATUM.isoformat()
    with temporary_settings(updates={PREFECT_API_AUTH_STRING: login}):
        code = cli.main(
            ["bezwaar", "registreer", zaak, "--gronden", "Het verbeterplan is gereed."]
            + ["--ontvangen", dag, "--peildatum", dag]
        )
    uit, fout = capsys.readouterr()
    assert code == 0, fout
    assert json.loads(uit)["status"] == "bezwaar_horen", uit
    wait_until(
        lambda: pause_key_or_none(run_id) != oud, 5, 0.2, what="the run leaving its old wait"
    )
    nieuw = wait_for_wait(zaak, "hoorzitting-", timeout=30)
    z = zaak_rij(zaak)
    assert (z["status"], z["wacht_key"]) == ("bezwaar_horen", nieuw)
