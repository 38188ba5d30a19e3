"""Serve every deployment of prefect.yaml from one runner process (the embedded default).

prefect.yaml stays the only definition: this reads it and hands each entry to
`flow.to_deployment`; only the intake interval may be overridden by settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from prefect import serve
from prefect.flows import load_flow_from_entrypoint
from prefect.schedules import Cron, Interval

from models.settings import PROJECT_DIR, get_settings

PREFECT_YAML = PROJECT_DIR / "prefect.yaml"


def _schedule(spec: dict, name: str):
    common = {"timezone": spec.get("timezone")}
    if "cron" in spec:
        return Cron(spec["cron"], **common)
    if "interval" in spec:
        seconds = spec["interval"]
        if name == "intake":
            seconds = get_settings().intake_interval_minutes * 60
        return Interval(seconds, **common)
    raise ValueError(f"prefect.yaml: deployment {name}: unsupported schedule {spec}")


def load_deployments(path: Path = PREFECT_YAML, with_schedules: bool = True):
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for spec in config["deployments"]:
        flow = load_flow_from_entrypoint(str(PROJECT_DIR / spec["entrypoint"]))
        out.append(
            flow.to_deployment(
                name=spec["name"],
                description=spec.get("description"),
                tags=spec.get("tags") or [],
                parameters=spec.get("parameters") or {},
                schedules=[_schedule(s, spec["name"]) for s in spec.get("schedules") or []]
                if with_schedules
                else [],
            )
        )
    return out


def main() -> None:
    os.chdir(PROJECT_DIR)
    sys.path.insert(0, str(PROJECT_DIR))
    with_schedules = os.environ.get("MEERZORG_SCHEDULES", "1") != "0"
    limit = int(os.environ.get("MEERZORG_RUNNER_LIMIT", "20"))
    serve(*load_deployments(with_schedules=with_schedules), limit=limit, pause_on_shutdown=False)


if __name__ == "__main__":
    main()
