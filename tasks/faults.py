"""Fault injection for the crash tests: `crash_point(name)` kills this process with SIGKILL
when MEERZORG_CRASH_AT names the point, as a power cut would at that step boundary.

MEERZORG_CRASH_AT   a point name, or several separated by commas (unset in production:
                    the call is then one dictionary lookup)
MEERZORG_CRASH_SCOPE  "run" (default): only the process executing the flow run dies, its
                    runner or worker survives and reports the run Crashed; "host": the
                    parent (runner or worker) is killed first, so nobody reports anything
                    and the run stays Running in Prefect, as when a machine dies.
MEERZORG_CRASH_ONCE a file path: crash only if it does not exist yet (it is created just
                    before the kill), so a restarted system runs through the point.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

POINTS = (
    "invoer-ontvangen",  # lifecycle: the form input arrived, nothing applied yet
    "na-commit",  # lifecycle: the transition is committed, its notifications not sent
    "na-toets",  # lifecycle: the toets is committed, the run did not go on yet
    "voor-aflevering",  # outbox: the row is claimed, nothing sent
    "tijdens-aflevering",  # outbox: the target accepted the message, the row is not marked
    "na-vuren",  # sweep: deadlines fired and committed, runs not resumed yet
)


def crash_point(name: str) -> None:
    wanted = os.environ.get("MEERZORG_CRASH_AT")
    if not wanted or name not in wanted.split(","):
        return
    once = os.environ.get("MEERZORG_CRASH_ONCE")
    if once:
        marker = Path(once)
        if marker.exists():
            return
        marker.write_text(f"{name} {os.getpid()}\n")
    if os.environ.get("MEERZORG_CRASH_SCOPE") == "host" and os.getppid() > 1:
        os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
