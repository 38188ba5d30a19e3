"""Flow runs of the runner start as forks of a warm process instead of fresh interpreters.

Prefect's `serve` starts every flow run in a new interpreter (`python -m prefect.engine`, or
`multiprocessing`'s "spawn" for a flow added with `Runner.add_flow`) that imports prefect and
the flow's modules again: about 3 s of CPU for every step of a zaak, as each resume is a new
flow-run process. Here the runner is given the flows (`add_flow`) and a "forkserver" context: one process imports prefect and the flows once (the preload), and
each flow run is a fork of it, ready in milliseconds. Everything else is Prefect's own code
path (`run_flow_in_subprocess`): the child still sets the run's environment and builds a
fresh Settings() from it before it runs, so nothing the preload read at import is trusted.

The forkserver is a child of the runner, started before the runner serves; when it dies,
multiprocessing starts a new one at the next run."""

from __future__ import annotations

import signal
import types
from multiprocessing.context import ForkServerContext, ForkServerProcess

# What a flow run imports lazily: preloaded, so no run pays for it.
HEAVY = (
    "prefect.flow_engine",
    "sqlmodel",
    "models.db.store",
    "models.db.kaart",
    "models.engine",
    "models.proces",
    "models.formulieren_kaart",
    "tasks.taken",
    "tasks.runs",
    "tasks.zaak",
    "tasks.dialoog",
    "tasks.opvolging",
    "tasks.notify",
    "tasks.notify_plugins",
    "tasks.reconcile",
    "tasks.dialoog_planning",
    # Measured in the forks of a lifecycle run (about 0.1 s of CPU each): what Prefect
    # imports at a run's first task, concurrency slot or suspension, and what httpx reads
    # for a new client; and `holidays.countries`, which imports every country (250 modules)
    # at the first Atw term.
    "holidays.countries",
    "dateutil.easter",
    "prefect.task_engine",
    "prefect.utilities.visualization",
    "prefect.concurrency._sync",
    "prefect.concurrency.services",
    "prefect._internal.observers",
    "prefect.deployments.flow_runs",
    "anyio._backends._asyncio",
    "anyio.streams.tls",
    "rich._emoji_codes",
    "sqlite3",
    "netrc",
    # A besluit's letters (issue 25): fpdf2 and the reduced fonts, once for every fork.
    "deployments.forkstart_brief",
)


class _ByName:
    """A flow pickled as its module and name: the fork takes the preloaded flow object.
    Pickled by value instead, its function would lose the names its string annotations
    need (Prefect validates the parameters against them)."""

    def __init__(self, flow):
        import sys

        self.module = sys.modules[flow.fn.__module__]
        self.name = next(k for k, v in vars(self.module).items() if v is flow)

    def __reduce__(self):
        # cloudpickle pickles an importable module by its name: the fork looks it up.
        return (getattr, (self.module, self.name))


def _run_by_name(flow, **kwargs):
    import prefect.flow_engine

    return prefect.flow_engine.run_flow_in_subprocess(_ByName(flow), **kwargs)


class RunProcess(ForkServerProcess):
    """A flow run's process. It ignores SIGINT, the signal the runner is stopped with: a
    step in progress (or a run still leaving after it suspended) finishes and reports its
    own state instead of ending as Crashed. Cancelling a run (SIGTERM) and SIGKILL still
    end it at once."""

    def run(self):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        super().run()


class _RunContext(ForkServerContext):
    Process = RunProcess


class _Forkserver(types.SimpleNamespace):
    """Stands in for the `multiprocessing` module inside prefect.flow_engine."""

    def get_context(self, method: str | None = None):
        return self.ctx


def install(modules: list[str]) -> None:
    """Make this process's runner start flow runs as forks; `modules` are preloaded."""
    import prefect.flow_engine
    import prefect.runner._starter_direct

    ctx = _RunContext()
    # Last, once the flows imported their tables: what a run's first query did on its own
    # (deployments/forkstart_db.py).
    preload = list(dict.fromkeys([*HEAVY, *modules, "deployments.forkstart_db"]))
    ctx.set_forkserver_preload(preload)
    # run_flow_in_subprocess asks `multiprocessing.get_context("spawn")` for its context;
    # that is the one name it reads from the module, so the stand-in answers only that.
    prefect.flow_engine.multiprocessing = _Forkserver(ctx=ctx)
    # The runner's documented seam for starting a run (prefect/runner/_starter_direct.py).
    prefect.runner._starter_direct.run_flow_in_subprocess = _run_by_name
    # Start it now (the preload takes seconds), not inside the runner's first run.
    from multiprocessing import forkserver

    forkserver.ensure_running()


def chosen() -> bool:
    """MEERZORG_RUNNER_START: "fork" (default) or "engine", Prefect's own start (a new
    interpreter per run); the runner and the benchmark's trivial flow read it alike."""
    import os

    return os.environ.get("MEERZORG_RUNNER_START", "fork") == "fork"


def serve_forked(flows: list[tuple], *, limit: int) -> None:
    """Prefect's `serve`, with each (flow, deployment arguments) handed to the runner as a
    flow (`Runner.add_flow`): the runner then starts a run from the flow object (Prefect's
    direct start, `run_flow_in_subprocess`), here a fork, instead of `python -m
    prefect.engine` loading it again from its entrypoint."""
    import asyncio

    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    install(sorted({flow.fn.__module__ for flow, _ in flows}))
    runner = Runner(limit=limit, pause_on_shutdown=False)
    for flow, arguments in flows:
        runner.add_flow(flow, **arguments)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass  # stopped as `serve` is stopped: without a traceback


def entrypoint_module(entrypoint: str) -> str:
    """'flows/lifecycle.py:lifecycle' -> 'flows.lifecycle'."""
    path = entrypoint.split(":", 1)[0]
    return path.removesuffix(".py").replace("/", ".")
