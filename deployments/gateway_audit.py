"""The gateway's view of the case database: which zaak a run or an artifact belongs to, and
the audit events of what a login viewed or answered (NEN 7513: who, when, which zaak,
which client). Synchronous; the gateway calls these in a worker thread."""

from __future__ import annotations

import re
import threading
import time

from models.db.engine_store import audit
from models.db.gevallen import zaken_met_runs_of_keys
from models.db.store import session_scope
from tasks.soorten import REGISTER, RunGeval, zaak_geval

_ZAAK_KEY = re.compile(r"^zaak-(mz-\d{4}-\d{6})$")


def geval_van_run(run_id: str) -> RunGeval | None:
    """Which case of which kind a run belongs to: each kind of the registry is asked."""
    with session_scope() as session:
        for soort in REGISTER.values():
            geval = soort.run_geval(session, run_id)
            if geval is not None:
                return geval
    return None


def zaken_van(run_ids: set[str], artifact_keys: set[str]) -> list[RunGeval]:
    """The zaken behind artifacts (by their run, or by the card's key `zaak-mz-…`)."""
    keys = {m[1].upper() for k in artifact_keys if (m := _ZAAK_KEY.match(k or ""))}
    if not run_ids and not keys:
        return []
    with session_scope() as session:
        rows = zaken_met_runs_of_keys(session=session, run_ids=run_ids, keys=keys)
        return [zaak_geval(z) for z in rows]


_ONBEKEND = object()


class Zaakcache:
    """Which zaak a run or card belongs to, kept for a minute: the UI polls an open run
    every few seconds, and a view already logged in its window needs no database read at
    all (2 ms of the gateway's added latency per call, benchmarks/bench_gateway.py). A run
    never changes zaak; the status read here only names the view."""

    TTL = 60.0
    MAX = 10_000

    def __init__(self) -> None:
        self._runs: dict[str, tuple[float, RunGeval | None]] = {}
        self._lock = threading.Lock()

    ONBEKEND = _ONBEKEND

    def uit_cache(self, run_id: str):
        """The cached RunGeval (or None: no case), or ONBEKEND when not cached."""
        hit = self._runs.get(run_id)
        return hit[1] if hit and hit[0] > time.monotonic() else _ONBEKEND

    def van_run(self, run_id: str) -> RunGeval | None:
        geval = self.uit_cache(run_id)
        if geval is _ONBEKEND:
            geval = geval_van_run(run_id)
            with self._lock:
                if len(self._runs) > self.MAX:
                    self._runs.clear()
                self._runs[run_id] = (time.monotonic() + self.TTL, geval)
        return geval


class Logboek:
    """Audit events of views. The UI polls an open run every few seconds: one event per
    login, zaak and kind of view per window (aanname: 10 minutes tells who looked when,
    without thousands of equal rows)."""

    VENSTER = 600.0

    def __init__(self) -> None:
        self._gezien: dict[tuple[str, str, str], float] = {}
        self._lock = threading.Lock()

    def al_gelogd(self, wie: str, key: str, actie: str) -> bool:
        """Whether this view is logged in the current window (no write needed)."""
        return self._gezien.get((wie, key, actie), 0) > time.monotonic()

    def _nieuw(self, wie: str, key: str, actie: str) -> bool:
        nu = time.monotonic()
        with self._lock:
            if self._gezien.get((wie, key, actie), 0) > nu:
                return False
            self._gezien[(wie, key, actie)] = nu + self.VENSTER
            return True

    def bekeken(self, wie: str, actie: str, gevallen: list[RunGeval], details: dict) -> int:
        nieuw = [g for g in gevallen if g.soort == "zaak" and self._nieuw(wie, g.key, actie)]
        if not nieuw:
            return 0
        with session_scope() as session:
            for g in nieuw:
                for client_id in g.client_ids or (None,):
                    audit(
                        session=session,
                        actor=wie,
                        actie=actie,
                        zaak=g.key,
                        client_id=client_id,
                        details={"via": "dashboard", **details},
                    )
        return len(nieuw)

    @staticmethod
    def gebeurd(wie: str, actie: str, geval: RunGeval | None, details: dict) -> None:
        """A resume or a refusal: always logged, never deduplicated."""
        with session_scope() as session:
            audit(
                session=session,
                actor=wie,
                actie=actie,
                zaak=geval.key if geval and geval.soort == "zaak" else None,
                client_id=(geval.client_ids[0] if geval and len(geval.client_ids) == 1 else None),
                details={"via": "dashboard", **details},
            )
