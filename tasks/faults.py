"""Fault injection for the crash tests: `crash_point(name)` kills this process with SIGKILL
when MEERZORG_CRASH_AT names the point, as a power cut would at that step boundary.

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

POINTS = (
    "invoer-ontvangen",  # lifecycle and dialoog: the form input arrived, nothing applied yet
    "na-commit",  # lifecycle and dialoog: the transition is committed, its notifications not sent
    "na-toets",  # lifecycle: the toets is committed, the run did not go on yet
    "na-uitnodiging",  # dialoog: the invitation is committed, the run did not go on yet
    "voor-aflevering",  # outbox: the row is claimed, nothing sent
    "tijdens-aflevering",  # outbox: the target accepted the message, the row is not marked
    "na-vuren",  # sweep: deadlines fired and committed, runs not resumed yet
)


def crash_point(name: str, zaak: str | None = None) -> None:
    wanted = os.environ.get("MEERZORG_CRASH_AT")
    if not wanted:
        return
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
        os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
