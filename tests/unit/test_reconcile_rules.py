"""The rule that makes Prefect's runs follow the case database (tasks/reconcile.beslis), and
the operator's health findings (tasks/status.problemen): plain data in, actions out."""

from __future__ import annotations

import datetime as dt

from tasks.reconcile import GevalRij, RunStand, beslis
from tasks.status import problemen

NU = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)


def acties(gevallen, runs=(), live=None, beantwoord=frozenset()):
    by_id = {r.id: r for r in runs}
    live = (
        [r for r in runs if r.state in ("PAUSED", "SCHEDULED", "PENDING", "RUNNING")]
        if live is None
        else live
    )
    return [(a.soort, a.key, a.run_id) for a in beslis(gevallen, by_id, live, set(beantwoord), NU)]


def run(id, state, pause_key=None, pause_keys=(), sinds=NU, name="MZ-1"):
    return RunStand(id, name, state, pause_key, frozenset(pause_keys), sinds)


def test_a_run_waiting_on_the_current_key_needs_nothing():
    assert (
        acties([GevalRij("MZ-1", "r1", "beoordeling-1")], [run("r1", "PAUSED", "beoordeling-1")])
        == []
    )


def test_an_open_zaak_without_a_run_gets_one():
    assert acties([GevalRij("MZ-1", None, "beoordeling-1")]) == [("start", "MZ-1", None)]


def test_a_run_the_prefect_database_lost_gets_a_successor():
    assert acties([GevalRij("MZ-1", "r1", "beoordeling-1")]) == [("start", "MZ-1", "r1")]


def test_a_run_waiting_on_a_key_the_zaak_left_is_resumed():
    gevallen = [GevalRij("MZ-1", "r1", "bezwaar-3")]
    assert acties(gevallen, [run("r1", "PAUSED", "beoordeling-2")]) == [("hervat", "MZ-1", "r1")]


def test_a_run_cancelled_while_waiting_unanswered_gets_a_successor():
    # Prefect refuses a pause key twice: the same run could not wait on it again.
    r = run("r1", "CANCELLED", pause_keys={"beoordeling-1"})
    assert acties([GevalRij("MZ-1", "r1", "beoordeling-1")], [r]) == [("start", "MZ-1", "r1")]


def test_a_crashed_run_holding_the_answer_is_restarted_so_it_replays_it():
    r = run("r1", "CRASHED", pause_keys={"beoordeling-1"})
    gevallen = [GevalRij("MZ-1", "r1", "beoordeling-1")]
    assert acties(gevallen, [r], beantwoord={"r1"}) == [("herstart", "MZ-1", "r1")]


def test_failed_completed_or_cancelled_before_the_current_wait_are_restarted():
    for state in ("FAILED", "COMPLETED", "CANCELLED", "CRASHED"):
        r = run("r1", state, pause_keys={"toets-0"})
        assert acties([GevalRij("MZ-1", "r1", "beoordeling-1")], [r]) == [
            ("herstart", "MZ-1", "r1")
        ]


def test_a_running_run_is_left_alone_until_it_is_stale():
    bezig = run("r1", "RUNNING", sinds=NU - dt.timedelta(minutes=5))
    assert acties([GevalRij("MZ-1", "r1", None)], [bezig]) == []
    stil = run("r1", "RUNNING", sinds=NU - dt.timedelta(minutes=31))
    assert acties([GevalRij("MZ-1", "r1", None)], [stil]) == [("herstart", "MZ-1", "r1")]


def test_a_scheduled_run_is_about_to_start_and_left_alone():
    assert acties([GevalRij("MZ-1", "r1", "beoordeling-1")], [run("r1", "SCHEDULED")]) == []


def test_a_closed_zaak_with_a_waiting_run_lets_it_finish():
    gevallen = [GevalRij("MZ-1", "r1", None, open=False)]
    assert acties(gevallen, [run("r1", "PAUSED", "einde-beschikking-4")]) == [
        ("hervat", "MZ-1", "r1")
    ]


def test_a_second_live_run_of_a_zaak_is_cancelled():
    gevallen = [GevalRij("MZ-1", "r1", "beoordeling-1")]
    runs = [run("r1", "PAUSED", "beoordeling-1"), run("r2", "PAUSED", "beoordeling-1")]
    assert acties(gevallen, runs) == [("annuleer", "MZ-1", "r2")]


def test_runs_of_unknown_cases_are_not_touched():
    assert acties([], [run("r9", "PAUSED", "x-1", name="alarm-test")]) == []


def feiten(**over):
    base = {
        "server": {"url": "http://127.0.0.1:4200/api", "bereikbaar": True},
        "scheduler": {
            "volgende": {},
            "ontbrekend": [],
            "gepauzeerd": [],
            "zonder_geplande_run": [],
        },
        "laatste_sweep": {"tijd": NU - dt.timedelta(hours=1), "gevuurd": 3},
        "runs": {"zaak": [], "dialoog": []},
        "outbox": {"wachtend": 0, "dood": 0, "oudste_wachtend": None},
        "automations": {"kanalen": 1, "ontbrekend": []},
    }
    base.update(over)
    return base


WINDOW = dt.timedelta(hours=25)


def test_a_healthy_system_has_no_findings():
    assert problemen(feiten(), NU, WINDOW) == []


def test_a_cancelled_lifecycle_run_is_a_finding():
    runs = {
        "zaak": [{"soort": "start", "key": "MZ-7", "run_id": "r", "reden": "run is CANCELLED"}],
        "dialoog": [],
    }
    (regel,) = problemen(feiten(runs=runs), NU, WINDOW)
    assert "1 zaak(en) zonder live run" in regel and "MZ-7" in regel


def test_a_sweep_older_than_the_window_or_none_at_all_is_a_finding():
    oud = {"tijd": NU - dt.timedelta(hours=26)}
    assert problemen(feiten(laatste_sweep=oud), NU, WINDOW) == [
        "de laatste voltooide deadline-sweep is 26 uur oud"
    ]
    assert problemen(feiten(laatste_sweep=None), NU, WINDOW) == [
        "er is nog nooit een deadline-sweep voltooid"
    ]


def test_a_scheduler_without_upcoming_runs_is_a_finding():
    sched = {
        "volgende": {},
        "ontbrekend": [],
        "gepauzeerd": [],
        "zonder_geplande_run": ["deadline-sweep"],
    }
    assert problemen(feiten(scheduler=sched), NU, WINDOW) == [
        "de scheduler heeft geen geplande run voor deadline-sweep"
    ]


def test_dead_letters_and_an_old_backlog_are_findings_a_fresh_one_is_not():
    vers = {"wachtend": 2, "dood": 0, "oudste_wachtend": NU - dt.timedelta(minutes=5)}
    assert problemen(feiten(outbox=vers), NU, WINDOW) == []
    oud = {"wachtend": 2, "dood": 1, "oudste_wachtend": NU - dt.timedelta(hours=2)}
    assert len(problemen(feiten(outbox=oud), NU, WINDOW)) == 2


def test_an_unreachable_server_is_a_finding():
    server = {"url": "http://x/api", "bereikbaar": False, "fout": "connection refused"}
    (regel,) = problemen(
        feiten(server=server, scheduler=None, runs=None, automations=None), NU, WINDOW
    )
    assert regel.startswith("Prefect-server http://x/api antwoordt niet")


def test_a_deployment_without_its_schedule_is_a_finding():
    sched = {
        "volgende": {},
        "ontbrekend": [],
        "zonder_schema": ["deadline-sweep"],
        "gepauzeerd": [],
        "zonder_geplande_run": [],
    }
    assert problemen(feiten(scheduler=sched), NU, WINDOW) == [
        "deployment deadline-sweep heeft op de server geen schema (prefect.yaml wel)"
    ]


def test_missing_automations_or_no_operations_channel_are_findings():
    assert problemen(feiten(automations={"kanalen": 0, "ontbrekend": []}), NU, WINDOW)
    assert problemen(feiten(automations={"kanalen": 1, "ontbrekend": ["meerzorg: x"]}), NU, WINDOW)
