"""The step boundaries where the crash drills cut the power (tests/reliability/faults.py).
In production MEERZORG_CRASH_AT is unset and a point costs one environment lookup; the
drills set it, and only then is the killer (test machinery, not installed) imported."""

from __future__ import annotations

import os

POINTS = (
    "invoer-ontvangen",  # lifecycle and dialoog: the form input arrived, nothing applied yet
    "na-commit",  # lifecycle and dialoog: the transition is committed, its notifications not sent
    "na-toets",  # lifecycle: the toets is committed, the run did not go on yet
    "na-uitnodiging",  # dialoog: the invitation is committed, the run did not go on yet
    "voor-aflevering",  # outbox: the row is claimed, nothing sent
    "tijdens-aflevering",  # outbox: the target accepted the message, the row is not marked
    "na-vuren",  # sweep: deadlines fired and committed, runs not resumed yet
)


def crash_point(name: str, key: str | None = None) -> None:
    if not os.environ.get("MEERZORG_CRASH_AT"):
        return
    from tests.reliability.faults import crash

    crash(name, key)
