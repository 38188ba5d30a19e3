"""The operations alerts as automations on the real Prefect server: a failed meerzorg run
and a sweep that did not complete reach the operations channel (an HTTP sink), and setting
them up twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.flows.conftest import wait_until


@pytest.fixture
def operations_sink():
    from deployments.sink import Sink

    s = Sink().start()
    yield s
    s.stop()


# The failed run is provoked: a lifecycle run for a zaak that does not exist.
@pytest.mark.logs_allowed(r"Flow run 'alarm-test'", r"zaak MZ-1999-999999 does not exist")
def test_failed_runs_and_a_missing_sweep_alert_the_operations_channel(system, operations_sink):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    from deployments import automations

    run = None
    try:
        first = automations.inrichten(
            [operations_sink.url, "mailto://ops@example.org"], sweep_within=dt.timedelta(seconds=12)
        )
        again = automations.inrichten(
            [operations_sink.url, "mailto://ops@example.org"], sweep_within=dt.timedelta(seconds=12)
        )
        assert first["kanalen"] == 1 and first["niet_ondersteund"] == ["mailto://…"]
        assert again["automations"] == first["automations"]
        assert set(first["automations"]) == {
            automations.AUTOMATION_MISLUKT,
            automations.AUTOMATION_SWEEP,
        }
        with get_client(sync_client=True) as client:
            for name in first["automations"]:
                assert len(client.read_automations_by_name(name)) == 1
            views = client.request("POST", "/saved_searches/filter", json={}).json()
        assert {"Beoordelaar: wacht op beoordeling", "CCE: ontwikkeltraject met risico"} <= {
            v["name"] for v in views
        }

        # A lifecycle run for a zaak that does not exist fails.
        run = run_deployment(
            "meerzorg-lifecycle/lifecycle",
            parameters={"zaak": "MZ-1999-999999"},
            flow_run_name="alarm-test",
            timeout=0,
            as_subflow=False,
            _sync=True,
        )
        alert = wait_until(
            lambda: next(
                (r for r in operations_sink.received if "alarm-test" in (r["title"] or "")), None
            ),
            150,
            what="the failed-run alert",
        )
        assert "meerzorg-lifecycle" in alert["title"] and "Failed" in alert["title"]
        assert f"/runs/flow-run/{run.id}" in alert["message"]
        assert "zaak MZ-1999-999999 does not exist" in alert["message"]
        assert "meerzorg sweep" in alert["message"]  # what to do about a lifecycle run

        # No sweep completed within the (shortened) window.
        wait_until(
            lambda: any("deadline-sweep" in (r["title"] or "") for r in operations_sink.received),
            150,
            what="the missing-sweep alert",
        )
    finally:
        cleared = automations.inrichten([])
        if run is not None:  # the sweep restarts failed lifecycle runs: leave none behind
            with get_client(sync_client=True) as client:
                client.delete_flow_run(run.id)
    assert cleared["automations"] == {}
    with get_client(sync_client=True) as client:
        assert client.read_automations_by_name(automations.AUTOMATION_MISLUKT) == []
        assert not [
            d
            for d in client.read_block_documents_by_type("custom-webhook")
            if (d.name or "").startswith(automations.BLOCK_PREFIX)
        ]


def test_apprise_targets_become_the_block_that_delivers_them():
    from prefect.blocks.notifications import CustomWebhookNotificationBlock, SlackWebhook

    from deployments.automations import webhook_voor

    block = webhook_voor("json://127.0.0.1:8080/ops?-X-Token=abc")
    assert isinstance(block, CustomWebhookNotificationBlock)
    assert block.url == "http://127.0.0.1:8080/ops"
    assert block.json_data["title"] == "{{subject}}"
    assert webhook_voor("jsons://alerts.example.org/hook").url == "https://alerts.example.org/hook"
    assert isinstance(webhook_voor("https://hooks.slack.com/services/T000/B000/XXXX"), SlackWebhook)
    assert webhook_voor("mailto://ops@example.org") is None
