"""Races through the real Prefect server (embedded runner, or two workers with
MEERZORG_TEST_MODE=postgres-workers): two assessors resuming the same run at once, many
resumed runs picked up by the workers, and an empty Resume on a timer wait."""

from __future__ import annotations

import collections

import pytest

from tests.factories import afwijzen
from tests.factories import toekennen as volledig
from tests.flows.conftest import MODE, wait_for_wait, wait_until
from tests.reliability.scenario import (
    DAG,
    bsn,
    individueel,
    resume_actor,
    submit,
    task_runs,
    transitions,
)

pytestmark = pytest.mark.usefixtures("aanbieders")


def decided(zaak: str) -> list[dict]:
    from deployments import operations as ops

    return ops.zaak_overzicht(zaak, log_read=False)["besluiten"]


# Provoked: on a PostgreSQL-backed server the loser's answer violates the run input's unique
# key, and the server logs that before answering 409/500 (tasks/runs.resume reports it).
@pytest.mark.logs_allowed(r"uq_flow_run_input__flow_run_id_key")
def test_two_assessors_resuming_the_same_run_at_once_one_decision_counts(actors, sink):
    zaak, run_id = submit(individueel("RUN-RACE-1", "LINDE-201", bsn(201)))
    key = wait_for_wait(zaak, "beoordeling-")
    toekennen = volledig("b-001", peildatum=DAG.isoformat())
    afgewezen = afwijzen("b-002", peildatum=DAG.isoformat())
    a, b = actors.run([(resume_actor, run_id, toekennen), (resume_actor, run_id, afgewezen)])
    assert sorted([a, b]) == [False, True]  # the second is told it was too late
    winner = "toekennen" if a else "afwijzen"
    nxt = wait_for_wait(zaak, "einde-beschikking-" if a else "bezwaar-")
    assert nxt != key
    assert [d["uitkomst"] for d in decided(zaak)] == [winner]
    assert transitions(zaak)[-1] in ("toegekend", "afgewezen")
    assert len([t for t in transitions(zaak) if t in ("toegekend", "afgewezen")]) == 1


def test_many_resumed_runs_are_each_executed_once(sink, system):
    from tasks import runs

    zaken = [submit(individueel(f"RUN-MANY-{n}", f"LINDE-21{n}", bsn(210 + n))) for n in range(4)]
    for zaak, _ in zaken:
        wait_for_wait(zaak, "beoordeling-")
    form = volledig("b-001", peildatum=DAG.isoformat())
    assert all(runs.resume(run_id, form) for _, run_id in zaken)
    for zaak, _ in zaken:
        wait_for_wait(zaak, "einde-beschikking-", timeout=240)
    for zaak, run_id in zaken:
        assert [d["uitkomst"] for d in decided(zaak)] == ["toekennen"]
        assert transitions(zaak).count("toegekend") == 1
        assert task_runs(run_id, "verwerk-invoer") == 1
    wait_until(
        lambda: (
            len(
                [r for r in sink.received if any(f"{z}-" in (r["sleutel"] or "") for z, _ in zaken)]
            )
            >= 8
        ),
        60,
        what="ontvangst and toekenning messages",
    )
    keys = [
        r["sleutel"]
        for r in sink.received
        if any(f"{z}-" in (r["sleutel"] or "") for z, _ in zaken)
    ]
    assert set(collections.Counter(keys).values()) == {1}
    if MODE == "postgres-workers":  # both workers took part
        logs = [(system.log_dir / f"worker-{i}.log").read_text() for i in (1, 2)]
        ran = [sum(f"'{z}'" in log for z, _ in zaken) for log in logs]
        assert all(ran), ran


def test_an_unreachable_target_and_an_empty_resume_leave_the_run_waiting(sink):
    """Bad input around a run: the provider's only notification target cannot be reached,
    and someone presses Resume on a timer wait with the form left empty."""
    from deployments import operations as ops
    from tasks import runs

    ops.aanbieder_registreer("73730009", "Zorggroep Onbereikbaar", ["json://127.0.0.1:9/"])
    data = individueel("RUN-ONBEREIKBAAR", "ONB-001", bsn(230))
    data["zorgaanbieder"] = {"agb": "73730009", "naam": "Zorggroep Onbereikbaar"}
    zaak, run_id = submit(data)
    wait_for_wait(zaak, "beoordeling-")
    runs.resume(run_id, volledig("b-001", peildatum=str(DAG)))
    key = wait_for_wait(zaak, "einde-beschikking-")  # the decision went through all the same
    notificaties = ops.zaak_overzicht(zaak, log_read=False)["notificaties"]
    assert len(notificaties) >= 2
    for n in notificaties:  # still queued, with the reason visible
        assert n["status"] == "wachtend" and n["pogingen"] >= 1
        assert "weigerde of was onbereikbaar" in n["fout"]
    assert not [r for r in sink.received if zaak in (r["sleutel"] or "")]
    # The UI's Resume button with the form left empty: nothing to apply, a new wait.
    assert runs.resume(run_id, {})
    stap = int(key.rsplit("-", 1)[1])
    wait_for_wait(zaak, f"einde-beschikking-{stap + 1}")
    assert task_runs(run_id, "verwerk-invoer") == 2  # the decision and the empty form, no loop
    assert transitions(zaak)[-1] == "lege_invoer"
