"""The runner's fork start (deployments/forkstart.py): what travels to the fork is the flow's
name, and the fork runs the preloaded flow object itself."""

from __future__ import annotations

import datetime as dt
import pickle

import cloudpickle
import pytest

from deployments.forkstart import _ByName, entrypoint_module
from deployments.serve import flow_of_entrypoint, flows_with_args


def test_a_prefect_yaml_entrypoint_names_its_module():
    assert entrypoint_module("flows/lifecycle.py:lifecycle") == "flows.lifecycle"
    assert entrypoint_module("flows/werkvoorraad.py:werkvoorraad_flow") == "flows.werkvoorraad"


def test_every_served_flow_travels_by_name_and_arrives_as_the_same_object():
    served = flows_with_args(with_schedules=False)
    assert {args["name"] for _, args in served} >= {"lifecycle", "deadline-sweep", "intake"}
    for flow, _ in served:
        assert pickle.loads(cloudpickle.dumps(_ByName(flow))) is flow


def test_the_lifecycle_validates_its_parameters_after_the_trip():
    # Pickled by value, the flow's function lost `Aanvraag` (a string annotation) and every
    # run failed its parameter validation before the first step.
    lifecycle = pickle.loads(
        cloudpickle.dumps(_ByName(flow_of_entrypoint("flows/lifecycle.py:lifecycle")))
    )
    checked = lifecycle.validate_parameters({"zaak": "MZ-2026-000001", "peildatum": "2026-12-01"})
    assert checked["peildatum"] == dt.date(2026, 12, 1)
    with pytest.raises(Exception, match="peildatum"):
        lifecycle.validate_parameters({"zaak": "MZ-2026-000001", "peildatum": "geen datum"})


def imported_after_the_preload(code: str, prefix: str) -> list[str]:
    """The modules starting with `prefix` that `code` imports in a process that imported
    the forkserver's preload first (deployments/forkstart.py: HEAVY)."""
    import subprocess
    import sys

    from deployments.forkstart import HEAVY

    script = (
        "import importlib, sys\n"
        f"for m in {list(HEAVY)!r}: importlib.import_module(m)\n"
        "before = set(sys.modules)\n"
        f"{code}\n"
        f"print(sorted(m for m in set(sys.modules) - before if m.startswith({prefix!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return eval(out.stdout.strip())


def test_a_fork_delivering_a_message_loads_no_apprise_plugin_of_its_own():
    """The preload loads apprise's plugins (tasks/notify_plugins.py), so a flow run's first
    delivery imports none of them in its fork (about 1 s of CPU each time otherwise)."""
    code = "import apprise\nassert apprise.Apprise().add('json://127.0.0.1:9/x')"
    assert imported_after_the_preload(code, "apprise") == []


def test_a_fork_counting_an_atw_term_imports_no_holiday_calendar_of_its_own():
    """`holidays` imports all 250 countries at the first calendar a process asks for: the
    preload has them, so a step that counts a bezwaar term does not (0.06 s of CPU)."""
    code = (
        "import datetime\nfrom models.dates import atw_einde\natw_einde(datetime.date(2027, 4, 27))"
    )
    assert imported_after_the_preload(code, "holidays") == []
