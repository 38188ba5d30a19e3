"""Prefect's floor for one transition, for bench_transition.py: a trivial flow that keeps its
state in a file (as the lifecycle keeps it in the database) and suspends on a wait keyed by
that state, served the way deployments/serve.py serves prefect.yaml, with the same
environment and runner settings: by default its runs start as forks of a preloaded process
(deployments/forkstart.py); with MEERZORG_RUNNER_START=engine as Prefect's own `serve`
starts them (load the flow from its entrypoint in a new interpreter per run).

A resumed run re-executes from the top: the answered wait returns its stored input at once,
the state moves on, and the run suspends on the next key, as the lifecycle's driver does.

    python benchmarks/trivial_flow.py   # serves the deployment "bench-trivial/trivial"
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput

DEPLOYMENT = "bench-trivial/trivial"
SUSPEND_TIMEOUT = 10 * 365 * 24 * 3600


class Antwoord(RunInput):
    uitkomst: str = "ok"


@flow(name="bench-trivial", persist_result=True, log_prints=False)
def trivial(pad: str) -> None:
    stand = Path(pad)
    while True:
        n = int(stand.read_text()) if stand.exists() else 0
        suspend_flow_run(wait_for_input=Antwoord, key=f"stap-{n}", timeout=SUSPEND_TIMEOUT)
        stand.write_text(str(n + 1))


def main() -> None:
    import os
    import sys

    from prefect import serve
    from prefect.flows import load_flow_from_entrypoint

    project = Path(__file__).resolve().parents[1]
    os.chdir(project)
    sys.path.insert(0, str(project))
    from deployments.forkstart import chosen, serve_forked

    if chosen():
        # The module form, as deployments/serve.py loads prefect.yaml's flows.
        served = load_flow_from_entrypoint("benchmarks.trivial_flow:trivial")
        serve_forked([(served, {"name": "trivial"})], limit=20)
        return
    served = load_flow_from_entrypoint(str(project / "benchmarks" / "trivial_flow.py:trivial"))
    serve(served.to_deployment(name="trivial"), limit=20, pause_on_shutdown=False)


if __name__ == "__main__":
    main()
