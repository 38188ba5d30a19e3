"""`prefect worker start` for the process work pool, with flow runs started as forks.

Prefect's process worker starts every flow run as `python -m prefect.engine`: a new
interpreter that imports prefect and the flow again, about 3 s of CPU for every step of a
zaak (each resume is a new flow-run process). `python -m deployments.worker` takes the
arguments of `prefect worker start` and runs that command with one change: a run of a
deployment of prefect.yaml starts as a fork of a warm process that imported prefect and the
flows once (deployments/forkstart.py), as the runner's runs do. Everything else is the
process worker's own code: polling, the run's states, cancellation, the crash of a run.

The flows are the ones of the code the worker started with (the worker's working
directory is the project): restart the workers after deploying new code, as the runner.
A run of any other deployment, or a work pool whose job template sets its own command,
keeps Prefect's start. MEERZORG_RUNNER_START=engine keeps Prefect's start for all."""

from __future__ import annotations

import os
import sys
from typing import Any

from deployments.forkstart import chosen, entrypoint_module, install


def _flows_by_entrypoint() -> dict[str, Any]:
    from deployments.serve import flow_of_entrypoint
    from deployments.specs import PREFECT_YAML, resolved_config

    specs = resolved_config(PREFECT_YAML, with_schedules=False)["deployments"]
    return {spec["entrypoint"]: flow_of_entrypoint(spec["entrypoint"]) for spec in specs}


def fork_process_worker() -> None:
    """Make ProcessWorker start the runs of prefect.yaml's deployments as forks."""
    import anyio
    from prefect.runner._flow_run_executor import FlowRunExecutorContext
    from prefect.runner._starter_direct import DirectSubprocessStarter
    from prefect.workers.process import ProcessWorker, ProcessWorkerResult

    flows = _flows_by_entrypoint()
    install(sorted({entrypoint_module(e) for e in flows}))
    prefect_start = ProcessWorker.run
    entrypoints: dict[Any, str | None] = {}  # deployment id -> entrypoint, read once

    async def flow_of(worker, flow_run):
        if flow_run.deployment_id is None:
            return None
        if flow_run.deployment_id not in entrypoints:
            deployment = await worker.client.read_deployment(flow_run.deployment_id)
            entrypoints[flow_run.deployment_id] = deployment.entrypoint
        return flows.get(entrypoints[flow_run.deployment_id] or "")

    async def run(self, flow_run, configuration, task_status=None):
        flow = None if configuration._command_configured else await flow_of(self, flow_run)
        if flow is None:
            return await prefect_start(self, flow_run, configuration, task_status)
        task_status = task_status or anyio.TASK_STATUS_IGNORED
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
    from models.settings import PROJECT_DIR

    os.chdir(PROJECT_DIR)
    sys.path.insert(0, str(PROJECT_DIR))
    if chosen():
        fork_process_worker()
    from prefect.cli import app

    sys.argv = ["prefect", "worker", "start", *sys.argv[1:]]
    sys.exit(app())


if __name__ == "__main__":
    main()
