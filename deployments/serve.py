"""Serve every deployment of prefect.yaml from one runner process (the embedded default).

prefect.yaml stays the only definition: this reads it with the settings' overrides applied
(deployments/specs.py) and hands each entry to `flow.to_deployment`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prefect import serve
from prefect.flows import load_flow_from_entrypoint
from prefect.schedules import Cron, Interval

from deployments.specs import PREFECT_YAML, SpecFout, resolved_config
from models.settings import PROJECT_DIR


def _schedule(spec: dict, name: str):
    common = {"timezone": spec.get("timezone")}
    if "cron" in spec:
        return Cron(spec["cron"], **common)
    if "interval" in spec:
        return Interval(spec["interval"], **common)
    raise SpecFout(f"prefect.yaml: deployment {name}: unsupported schedule {spec}")


def flow_of_entrypoint(entrypoint: str):
    """The flow of a prefect.yaml entrypoint, loaded in Prefect's module form
    ("flows.lifecycle:lifecycle"), so it lives under its module's own name and a flow run
    started as a fork finds it preloaded."""
    from deployments.forkstart import entrypoint_module

    return load_flow_from_entrypoint(f"{entrypoint_module(entrypoint)}:{entrypoint.split(':')[1]}")


def _deployment_args(spec: dict) -> dict:
    schedules = [_schedule(s, spec["name"]) for s in spec.get("schedules") or []]
    return {
        "name": spec["name"],
        "description": spec.get("description"),
        "tags": spec.get("tags") or [],
        "parameters": spec.get("parameters") or {},
        # None, not []: Prefect 3.9 reads an empty list as "clear the schedules".
        "schedules": schedules or None,
    }


def load_deployments(path: Path = PREFECT_YAML, with_schedules: bool = True):
    out = []
    for spec in resolved_config(path, with_schedules=with_schedules)["deployments"]:
        flow = load_flow_from_entrypoint(str(PROJECT_DIR / spec["entrypoint"]))
        out.append(flow.to_deployment(**_deployment_args(spec)))
    return out


def flows_with_args(with_schedules: bool) -> list[tuple]:
    specs = resolved_config(PREFECT_YAML, with_schedules=with_schedules)["deployments"]
    return [(flow_of_entrypoint(spec["entrypoint"]), _deployment_args(spec)) for spec in specs]


def main() -> None:
    from deployments.bestanden import prive_umask

    prive_umask()  # its runs' results and reports hold case data (deployments/bestanden.py)
    os.chdir(PROJECT_DIR)
    sys.path.insert(0, str(PROJECT_DIR))
    with_schedules = os.environ.get("MEERZORG_SCHEDULES", "1") != "0"
    limit = int(os.environ.get("MEERZORG_RUNNER_LIMIT", "20"))
    from deployments.forkstart import chosen, serve_forked

    if chosen():
        serve_forked(flows_with_args(with_schedules), limit=limit)
    else:
        serve(
            *load_deployments(with_schedules=with_schedules), limit=limit, pause_on_shutdown=False
        )


if __name__ == "__main__":
    main()
