"""The step boundaries where the crash drills cut the power. In production MEERZORG_CRASH_AT
is unset and a point costs one environment lookup. The drills set it together with
MEERZORG_CRASH_HOOK ("module:function", their killer in tests/reliability/faults.py), which
is imported only then: production code names no test module (issue 24)."""

from __future__ import annotations

import importlib
import os

POINTS = (
    "invoer-ontvangen",  # lifecycle and dialoog: the form input arrived, nothing applied yet
    "na-commit",  # lifecycle and dialoog: the transition is committed, its notifications not sent
    "na-toets",  # lifecycle: the toets is committed, the run did not go on yet
    "na-uitnodiging",  # dialoog: the invitation is committed, the run did not go on yet
    "na-actie",  # a simple kind (flows/geval.py): its action is committed, the run did not go on
    "voor-aflevering",  # outbox: the row is claimed, nothing sent
    "tijdens-aflevering",  # outbox: the target accepted the message, the row is not marked
    "na-vuren",  # sweep: deadlines fired and committed, runs not resumed yet
)


def crash_point(name: str, key: str | None = None) -> None:
    if not os.environ.get("MEERZORG_CRASH_AT"):
        return
    module, _, functie = os.environ.get("MEERZORG_CRASH_HOOK", "").partition(":")
    if not module or not functie:
        raise RuntimeError("MEERZORG_CRASH_AT is set without MEERZORG_CRASH_HOOK=module:function")
    getattr(importlib.import_module(module), functie)(name, key)
