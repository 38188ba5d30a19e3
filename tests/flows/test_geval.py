"""A simple case kind's run against the real Prefect server and runner (issue 24): the test's
kind (tests/soort_voorbeeld) is found by the runner through MEERZORG_SOORTEN, its one flow
`meerzorg-geval` takes its action, waits on its form with the card, is resumed with an
answer and closes. Nothing of the kind is in the source tree's registries."""

from __future__ import annotations

import secrets

import pytest

from tests.flows.conftest import wait_until

pytestmark = pytest.mark.usefixtures("system")


def test_a_run_of_a_simple_kind_waits_on_its_form_is_resumed_and_closes(soort_voorbeeld):
    from prefect.client.orchestration import get_client

    from models.db.store import session_scope
    from tasks import eenvoudig, runs

    key = f"vb-flow-{secrets.token_hex(3)}"
    with session_scope() as session:
        eenvoudig.start_geval(
            session=session, soort="voorbeeld", key=key, gegevens={"code": "VB-7"}
        )
    run_id = eenvoudig.start_run("voorbeeld", key)
    assert eenvoudig.start_run("voorbeeld", key) == run_id  # its key is the idempotency key

    def wacht(prefix: str):
        b = eenvoudig.beeld("voorbeeld", key)
        k = b.wacht_key
        if k and k.startswith(prefix) and runs.pause_key(run_id) == k:
            return runs.formulier_opgeslagen(run_id, k) and k
        return None

    sleutel = wait_until(lambda: wacht("bevestiging-"), 90, what=f"{key} waiting")
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
    # Prefect holds the kind's name and the key, and the tags of its wait.
    assert run.parameters == {"soort": "voorbeeld", "key": key}
    assert {"voorbeeld", "wacht-op:bevestiging", "status:te_bevestigen"} <= set(run.tags)

    assert runs.resume(run_id, {"akkoord": True, "medewerker": "b-001"})

    def klaar():
        with get_client(sync_client=True) as client:
            state = client.read_flow_run(run_id).state
        return state is not None and state.is_completed() and state

    wait_until(klaar, 90, what=f"{key} run completed")
    with session_scope() as session:
        rij = eenvoudig.opslag("voorbeeld").lees(session, key, False)
        assert (rij.status, rij.wacht_key, rij.gegevens["bevestigd_door"]) == (
            "bevestigd",
            None,
            "b-001",
        )
    assert sleutel == "bevestiging-1"
