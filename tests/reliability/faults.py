"""Fault injection for the crash tests: at a crash point (tasks/crashpunt.py) of the running
code, kill this process with SIGKILL when MEERZORG_CRASH_AT names the point, as a power cut
would at that step boundary. Test machinery: it is not installed with the packages.

MEERZORG_CRASH_AT   point names separated by commas; "point@MZ-2026-000001" crashes only
                    the step of that zaak (unset in production: the call is then one
                    dictionary lookup)
MEERZORG_CRASH_SCOPE  "run" (default): only the process executing the flow run dies, its
                    runner or worker survives and reports the run Crashed; "host": the
                    parent (runner or worker) is killed first, so nobody reports anything
                    and the run stays Running in Prefect, as when a machine dies.
MEERZORG_CRASH_ONCE a directory: each entry of MEERZORG_CRASH_AT crashes once; a marker
                    file named after it is written just before the kill, so a restarted
                    system runs through the point (and a test sees that it was reached).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path


def crash(name: str, zaak: str | None = None) -> None:
    wanted = os.environ.get("MEERZORG_CRASH_AT", "")
    entries = wanted.split(",")
    entry = next((e for e in (f"{name}@{zaak}", name) if e in entries), None)
    if entry is None:
        return
    once = os.environ.get("MEERZORG_CRASH_ONCE")
    if once:
        marker = Path(once) / entry
        if marker.exists():
            return
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{os.getpid()} {os.getppid()}\n")
    if os.environ.get("MEERZORG_CRASH_SCOPE") == "host" and os.getppid() > 1:
        os.kill(_host(os.getppid()), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def is_forkserver(pid: int) -> bool:
    """Whether the process is a forkserver runs are forked from (deployments/forkstart.py)."""
    return b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])  # the field after the command's name


def _host(parent: int) -> int:
    """The runner or worker: the parent, or the parent's parent when the run is a fork of
    the runner's forkserver (deployments/forkstart.py), which ends with the runner."""
    return parent_of(parent) if is_forkserver(parent) else parent
