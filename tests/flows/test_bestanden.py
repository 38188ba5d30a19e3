"""After a real start, and a zaak that reached its first wait, every file of the system is
its user's alone (issue 23, point 6): the data directory, Prefect's home and the logs hold
the app and Prefect databases, the runs' results, the logs and the secrets, and another
local user read 22 BSNs from them when they were 0644 in 0755 directories. The rules
themselves: tests/unit/test_bestanden.py."""

from __future__ import annotations

import json
import stat

import pytest

from models.dates import vandaag
from models.settings import get_settings
from tests.flows.conftest import MODE, wait_for_wait
from tests.flows.test_lifecycle import individueel

pytestmark = pytest.mark.usefixtures("aanbieders")


def test_every_file_of_the_started_system_is_the_services_alone(system):
    from deployments import operations as ops

    result = ops.indienen(
        json.dumps(individueel("FLOW-BESTANDEN", "LINDE-312", "999991036")), vandaag()
    )
    wait_for_wait(result["zaak"], "beoordeling-1")  # its run wrote results and logs

    mappen = {system.data_dir, system.home, system.log_dir}
    gezien, open_voor_anderen = [], []
    for map_ in mappen:
        for pad in [map_, *map_.rglob("*")]:
            rechten = stat.S_IMODE(pad.lstat().st_mode)
            gezien.append(pad)
            if not pad.is_symlink() and rechten & 0o077:
                open_voor_anderen.append(f"{oct(rechten)} {pad}")
    assert open_voor_anderen == []
    # What the finding was about is among what was checked: the databases on SQLite (the
    # suspended run's form and input are in Prefect's), the logs.
    namen = {p.name for p in gezien}
    verwacht = {"server.log", "runner.log" if MODE == "embedded" else "worker-1.log"}
    if get_settings().db_url.startswith("sqlite"):
        verwacht.add("meerzorg.db")
    if MODE == "embedded":
        verwacht.add("prefect.db")
    assert verwacht <= namen, sorted(namen)
