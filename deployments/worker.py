"""`prefect worker start` for the process work pool: only prefect.yaml's deployments, forked.

A process worker runs whatever a deployment or a flow run asks: the job variables can set
the run's `command` (a shell command, run as the worker's user), its environment or its
working directory, and a deployment's pull steps or storage choose the code (the worker
itself runs the pull steps in Prefect's own start). Anyone who can create a deployment in the
pool could run anything on the worker machines (issue 23). So `python -m deployments.worker`
(the arguments of `prefect worker start`) first checks every run: it is started only when
its deployment is one of prefect.yaml's (name and entrypoint, as resolved by
deployments/specs.py), fetches its code as prefect.yaml says (the same pull steps, no
storage block) and its job variables change nothing about what runs (below, `weigering`).
Any other run is refused: it is not started, it ends Crashed with the reason as the state's
message (so the failed-run alert tells operations), and the worker logs one line. This is
defence in depth behind the gateway, which lets no person create deployments or set job
variables; the check holds in both start modes.

Started, a run is a fork of a warm process that imported prefect and the flows once
(deployments/forkstart.py), as the runner's runs are: Prefect's own start (`python -m
prefect.engine`) imports everything again, about 3 s of CPU for every step of a zaak.
MEERZORG_RUNNER_START=engine keeps Prefect's own start (after the same check). Everything
else is the process worker's own code: polling, the run's states, cancellation, a crash.

The flows are the ones of the code the worker started with (the worker's working directory
is the project): restart the workers after deploying new code, as the runner."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

from deployments.forkstart import chosen, entrypoint_module, install


@dataclass(frozen=True)
class Toegestaan:
    """What prefect.yaml lets a worker run: the entrypoint of each deployment name, and the
    pull steps `meerzorg deploy` registers with every deployment."""

    entrypoints: dict[str, str]
    pull_steps: list


def toegestaan() -> Toegestaan:
    from prefect.utilities.templating import apply_values

    from deployments.specs import PREFECT_YAML, resolved_config
    from models.settings import PROJECT_DIR

    config = resolved_config(PREFECT_YAML, with_schedules=False)
    # `prefect deploy` fills in `{{ $VAR }}` from its environment with this same function;
    # MEERZORG_PROJECT_DIR is this worker's project (the code it runs), whatever its own
    # environment says.
    env = {**os.environ, "MEERZORG_PROJECT_DIR": str(PROJECT_DIR)}
    return Toegestaan(
        entrypoints={s["name"]: s["entrypoint"] for s in config["deployments"]},
        pull_steps=apply_values(config.get("pull") or [], env, remove_notset=False),
    )


def _kort(value: Any, limit: int = 80) -> str:
    """A value someone else chose, for a one-line message: quoted, newlines escaped."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def weigering(
    deployment, configuration, veranderde_env: list[str], regels: Toegestaan
) -> str | None:
    """Why this run may not start, or None. `deployment` as the server has it (None for a
    run without one), `configuration` the job configuration Prefect built for the run from
    the work pool's template, the deployment's and the run's job variables."""
    if deployment is None:
        return "een run zonder deployment"
    if regels.entrypoints.get(deployment.name) != deployment.entrypoint:
        return (
            f"deployment {_kort(deployment.name)} met entrypoint "
            f"{_kort(deployment.entrypoint)} staat niet in prefect.yaml"
        )
    # Pull steps run code (run_shell_script, git_clone, pip install) in the worker itself in
    # Prefect's start; a storage block downloads other code. prefect.yaml has one step
    # (the project directory) and no storage.
    if deployment.storage_document_id is not None or (deployment.pull_steps or []) != (
        regels.pull_steps
    ):
        return (
            f"deployment {_kort(deployment.name)} haalt zijn code anders op dan prefect.yaml "
            "(pull steps of storage)"
        )
    if configuration._command_configured:
        return f"de job variables geven een eigen command: {_kort(configuration.command)}"
    # The working directory is where `python -m prefect.engine` imports from first (the
    # current directory leads sys.path): another directory is other code. prefect.yaml sets
    # none; the fork start never reads it, Prefect's start would.
    if configuration.working_dir is not None:
        return f"de job variables geven een working_dir: {_kort(str(configuration.working_dir))}"
    # No environment variable is allowed, rather than a list of dangerous ones: nearly any
    # can change what runs (PYTHONPATH, PYTHONHOME, LD_PRELOAD, PREFECT_LOGGING_SETTINGS_PATH
    # builds objects from a file, PREFECT__FLOW_RUN_ID runs another run, PREFECT_API_URL or
    # MEERZORG_DATABASE_URL point the run elsewhere, PREFECT_RUNNER_AUTO_INSTALL_DEPENDENCIES
    # installs packages), and prefect.yaml needs none: a run's settings come from the
    # worker's own environment. (A process work pool has no image.)
    if veranderde_env:
        return f"de job variables zetten omgevingsvariabelen: {_kort(veranderde_env)}"
    return None


def veranderde_env(configuration, flow_run, worker) -> list[str]:
    """The names of the run's environment variables that are not what the worker itself
    gives every run (its own environment and Prefect's variables for this run): set or
    changed by job variables, whether the deployment's, the run's or the work pool's."""
    related = configuration._related_objects
    base = {
        **configuration._base_environment(),
        **configuration._base_flow_run_environment(flow_run),
        **configuration._base_attribution_environment(
            flow_run=flow_run,
            deployment=related.get("deployment"),
            flow=related.get("flow"),
            worker_id=worker.backend_id,
            worker_name=worker.name,
        ),
    }
    expected = {**os.environ, **{k: v for k, v in base.items() if v is not None}}
    env = configuration.env
    return sorted(k for k in expected.keys() | env.keys() if expected.get(k) != env.get(k))


def _flows_by_entrypoint() -> dict[str, Any]:
    from deployments.serve import flow_of_entrypoint
    from deployments.specs import PREFECT_YAML, resolved_config

    specs = resolved_config(PREFECT_YAML, with_schedules=False)["deployments"]
    return {spec["entrypoint"]: flow_of_entrypoint(spec["entrypoint"]) for spec in specs}


async def _weiger(worker, flow_run, reden: str) -> None:
    """End the run Crashed with the reason, the way the worker ends a run it could not
    start; one line in the worker's log (and the run's), no traceback."""
    from prefect.exceptions import Abort, ObjectNotFound
    from prefect.states import Crashed
    from prefect.utilities.engine import propose_state

    bericht = f"Geweigerd door de worker: {reden}."
    worker.get_flow_run_logger(flow_run).warning(f"Flow run {flow_run.id}: {bericht}")
    try:
        await propose_state(worker.client, Crashed(message=bericht), flow_run_id=flow_run.id)
    except (Abort, ObjectNotFound):
        pass  # already ended or deleted: it does not run either way


def guard_process_worker(fork: bool) -> None:
    """Make ProcessWorker refuse what prefect.yaml does not define; with `fork`, start the
    runs it accepts as forks."""
    import anyio
    from prefect.runner._flow_run_executor import FlowRunExecutorContext
    from prefect.runner._starter_direct import DirectSubprocessStarter
    from prefect.workers.process import ProcessWorker, ProcessWorkerResult

    regels = toegestaan()
    flows = _flows_by_entrypoint() if fork else {}
    if fork:
        install(sorted({entrypoint_module(e) for e in flows}))
    prefect_start = ProcessWorker.run

    async def run(self, flow_run, configuration, task_status=None):
        task_status = task_status or anyio.TASK_STATUS_IGNORED
        # The deployment the configuration was built from (Prefect read it for this run),
        # so the job variables and the deployment are checked on one and the same reading.
        deployment = configuration._related_objects.get("deployment")
        if deployment is None and flow_run.deployment_id is not None:
            deployment = await self.client.read_deployment(flow_run.deployment_id)
        reden = weigering(
            deployment, configuration, veranderde_env(configuration, flow_run, self), regels
        )
        if reden is not None:
            await _weiger(self, flow_run, reden)
            # "Started" with no process: the worker records no process id for the run and
            # frees its slot; status 0, because the run's state is already final.
            task_status.started(None)
            return ProcessWorkerResult(status_code=0, identifier="geweigerd")
        if not fork:
            return await prefect_start(self, flow_run, configuration, task_status)
        flow = flows[deployment.entrypoint]
        async with FlowRunExecutorContext() as ctx:
            starter = DirectSubprocessStarter(flow=flow, control_channel=ctx.control_channel)

            async def resolve_flow(_):
                return flow

            executor = ctx.create_executor(
                flow_run, starter, resolve_flow=resolve_flow, propose_submitting=False
            )
            execution = None

            async def execute(*, task_status=anyio.TASK_STATUS_IGNORED) -> None:
                nonlocal execution
                execution = await executor.submit(task_status=task_status)

            async with anyio.create_task_group() as group:
                handle = await group.start(execute)
                task_status.started(handle.pid)
        if execution is None or execution.status_code is None:
            raise RuntimeError("Failed to start flow run process.")
        return ProcessWorkerResult(
            status_code=execution.status_code, identifier=str(execution.handle.pid)
        )

    ProcessWorker.run = run


def main() -> None:
    from deployments.bestanden import prive_umask
    from models.settings import PROJECT_DIR

    prive_umask()  # its runs' results and reports hold case data (deployments/bestanden.py)
    os.chdir(PROJECT_DIR)
    sys.path.insert(0, str(PROJECT_DIR))
    guard_process_worker(fork=chosen())
    from prefect.cli import app

    sys.argv = ["prefect", "worker", "start", *sys.argv[1:]]
    sys.exit(app())


if __name__ == "__main__":
    main()
