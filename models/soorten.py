"""The case kinds, declared once each (models/engine.Soort): the one list of the pure
declarations that the rules of access (models/toegang.py), the gateway, the dashboard's
views and the tests read. What a kind needs at run time (its runs, its timers, its
planning) is its entry in tasks/soorten.py, which checks that it covers exactly these."""

from __future__ import annotations

import re

from models.dialoog_proces import DIALOOG
from models.engine import Soort, Wacht
from models.proces import ZAAK

SOORTEN: dict[str, Soort] = {s.naam: s for s in (ZAAK, DIALOOG)}


def wacht_van(soort: str | None, status: str | None) -> Wacht | None:
    """The wait of a case of this kind in this status (None: no such kind, or no wait)."""
    kind = SOORTEN.get(soort or "")
    return kind.wacht(status or "") if kind is not None else None


def wacht_met_key(soort: str | None, pause_key: str) -> Wacht | None:
    """The wait a run's pause key belongs to (`beoordeling-3` -> the beoordeling)."""
    kind = SOORTEN.get(soort or "")
    if kind is None:
        return None
    wacht_op = re.sub(r"-\d+$", "", pause_key)  # the key is `{wacht_op}-{stap}`
    return next((w for w in kind.wachten if w.wacht_op == wacht_op), None)
