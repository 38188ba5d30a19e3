"""deployments/worker.py: which runs a worker refuses (issue 23, point 4). The same against a
real server and worker: tests/flows/test_worker_weigert.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from deployments.worker import toegestaan, weigering
from models.settings import PROJECT_DIR

REGELS = toegestaan()
PULL = [{"prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT_DIR)}}]


def _deployment(**changes):
    fields = {
        "name": "lifecycle",
        "entrypoint": "flows/lifecycle.py:lifecycle",
        "pull_steps": PULL,
        "storage_document_id": None,
    }
    return SimpleNamespace(**{**fields, **changes})


def _configuration(**changes):
    fields = {"_command_configured": False, "command": "python -m prefect.engine"}
    return SimpleNamespace(**{**fields, "working_dir": None, **changes})


def test_prefect_yaml_is_what_a_worker_may_run():
    assert REGELS.entrypoints["lifecycle"] == "flows/lifecycle.py:lifecycle"
    assert REGELS.entrypoints["deadline-sweep"] == "flows/sweep.py:deadline_sweep"
    # The pull step as `meerzorg deploy` registers it: the worker's own project directory.
    assert REGELS.pull_steps == PULL


def test_a_deployment_of_prefect_yaml_without_job_variables_runs():
    assert weigering(_deployment(), _configuration(), [], REGELS) is None


@pytest.mark.parametrize(
    ("deployment", "configuration", "env", "reden"),
    [
        (None, _configuration(), [], "een run zonder deployment"),
        (
            _deployment(name="opruimen"),
            _configuration(),
            [],
            "deployment 'opruimen' met entrypoint 'flows/lifecycle.py:lifecycle' staat niet",
        ),
        (
            _deployment(entrypoint="flows/sweep.py:deadline_sweep"),
            _configuration(),
            [],
            "deployment 'lifecycle' met entrypoint 'flows/sweep.py:deadline_sweep' staat niet",
        ),
        (
            _deployment(pull_steps=[{"prefect.deployments.steps.run_shell_script": {}}]),
            _configuration(),
            [],
            "haalt zijn code anders op",
        ),
        (_deployment(pull_steps=None), _configuration(), [], "haalt zijn code anders op"),
        (
            _deployment(storage_document_id="6f1c…"),
            _configuration(),
            [],
            "haalt zijn code anders op",
        ),
        (
            _deployment(),
            _configuration(_command_configured=True, command="touch /tmp/x"),
            [],
            "de job variables geven een eigen command: 'touch /tmp/x'",
        ),
        (
            _deployment(),
            _configuration(working_dir="/tmp"),
            [],
            "de job variables geven een working_dir: '/tmp'",
        ),
        (
            _deployment(),
            _configuration(),
            ["PYTHONPATH"],
            "de job variables zetten omgevingsvariabelen: ['PYTHONPATH']",
        ),
    ],
)
def test_anything_else_is_refused_with_its_reason(deployment, configuration, env, reden):
    assert reden in weigering(deployment, configuration, env, REGELS)


def test_the_reason_is_one_short_line_whatever_the_names():
    reden = weigering(_deployment(name="x\n" * 100), _configuration(), [], REGELS)
    assert "\n" not in reden
    assert len(reden) < 200
