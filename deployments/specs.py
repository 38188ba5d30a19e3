"""prefect.yaml with the settings applied: the one definition of every deployment.

The file holds the defaults; a setting may override two values an installation (or a test)
must be able to choose: the deadline sweep's cron (MEERZORG_SWEEP_CRON) and the intake
interval (MEERZORG_INTAKE_INTERVAL_MINUTES). The runner (`deployments/serve.py`) and
`meerzorg deploy` (process work pool, workers) read the same resolved specs."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from models.settings import PROJECT_DIR, get_settings

PREFECT_YAML = PROJECT_DIR / "prefect.yaml"
SWEEP_DEPLOYMENT = "deadline-sweep"
INTAKE_DEPLOYMENT = "intake"


class SpecFout(ValueError):
    """prefect.yaml or a setting that overrides it cannot be used."""


def _check_cron(cron: str) -> str:
    from prefect._internal.schemas.validators import validate_cron_string  # the server's check

    try:
        return validate_cron_string(cron)
    except ValueError:
        raise SpecFout(f"MEERZORG_SWEEP_CRON '{cron}' is not a valid cron expression") from None


def resolved_config(path: Path = PREFECT_YAML, with_schedules: bool = True) -> dict:
    """The parsed prefect.yaml with the settings' overrides (a copy; the file is untouched)."""
    config = copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))
    settings = get_settings()
    for spec in config["deployments"]:
        schedules = spec.get("schedules") or []
        if not with_schedules:
            spec.pop("schedules", None)
            continue
        for schedule in schedules:
            if spec["name"] == SWEEP_DEPLOYMENT and "cron" in schedule and settings.sweep_cron:
                schedule["cron"] = _check_cron(settings.sweep_cron.strip())
            if spec["name"] == INTAKE_DEPLOYMENT and "interval" in schedule:
                if settings.intake_interval_minutes < 1:
                    raise SpecFout("MEERZORG_INTAKE_INTERVAL_MINUTES must be at least 1")
                schedule["interval"] = settings.intake_interval_minutes * 60
    return config


def deployment_names(path: Path = PREFECT_YAML) -> list[str]:
    """Every deployment of prefect.yaml: what the runner serves."""
    return [s["name"] for s in resolved_config(path, with_schedules=False)["deployments"]]


def scheduled_deployments(path: Path = PREFECT_YAML) -> list[str]:
    """The names of the deployments that have a schedule: what the scheduler must keep
    upcoming runs for."""
    return [s["name"] for s in resolved_config(path)["deployments"] if s.get("schedules")]


def write_resolved(dest: Path, with_schedules: bool = True) -> Path:
    """The resolved prefect.yaml as a file, for `prefect deploy --all --prefect-file`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(
        yaml.safe_dump(resolved_config(with_schedules=with_schedules), sort_keys=False),
        encoding="utf-8",
    )
    return dest
