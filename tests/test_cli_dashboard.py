"""`meerzorg werkvoorraad` and `meerzorg dashboard inrichten` as real subprocesses: JSON out,
exit 2 with one line for bad input or an unreachable server (the flows with data are in
tests/flows/test_werkvoorraad.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from deployments.system import free_port

SCRIPT = Path(sys.executable).parent / "meerzorg"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "deployments.cli"]


def meerzorg(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MEERZORG_"))}
    env.update(
        MEERZORG_DATA_DIR=str(tmp_path),
        MEERZORG_PREFECT_PORT=str(free_port()),  # nothing listens there
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_CLIENT_MAX_RETRIES="0",  # no server: fail at once instead of backing off
    )
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, env=env, timeout=120)


def test_an_empty_werkvoorraad_per_role(tmp_path):
    r = meerzorg(tmp_path, "werkvoorraad", "--rol", "beoordelaar", "--peildatum", "2027-01-10")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["rol"] == "beoordelaar" and data["peildatum"] == "2027-01-10"
    assert data["wachtend"] == 0 and data["zaken"] == []


def test_an_unknown_role_is_one_line_and_exit_2(tmp_path):
    r = meerzorg(tmp_path, "werkvoorraad", "--rol", "directeur")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "meerzorg: werkvoorraad: argument --rol: invalid choice: 'directeur' "
        "(choose from 'beoordelaar', 'cce', 'contact', 'bezwaar', 'analist')"
    ]


def test_inrichten_without_a_server_says_so_in_one_line(tmp_path):
    r = meerzorg(tmp_path, "dashboard", "inrichten", "--sweep-alarm-uren", "0")
    assert r.returncode == 2 and "--sweep-alarm-uren must be more than 0" in r.stderr
    r = meerzorg(tmp_path, "dashboard", "inrichten")
    assert r.returncode == 2 and r.stdout == ""
    ours = [line for line in r.stderr.splitlines() if line.startswith("meerzorg:")]
    assert len(ours) == 1 and "the Prefect server does not answer" in ours[0]
