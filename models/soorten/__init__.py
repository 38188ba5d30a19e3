"""The case kinds, declared once each (models/engine.Soort): the one list of the pure
declarations that the rules of access (models/toegang.py), the gateway, the dashboard's
views and the tests read. What a kind needs at run time (its runs, its timers, its
planning) is its entry in tasks/soorten.py, which checks that it covers exactly these.

The zaak and the dialoog are named here, with their own tables and stores. Every other kind
is a simple one (models/eenvoudige_soort.py), found rather than listed: each package under
this one (models/soorten/<naam>/) and each module named in MEERZORG_SOORTEN (comma
separated, e.g. a test's kind) that exports `SOORT`. A package that exports no declaration,
or a second kind of one name, stops the import with a one-line error. No Prefect, no I/O."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from collections.abc import Iterable

from models.dialoog_proces import DIALOOG
from models.eenvoudige_soort import EenvoudigeSoort
from models.engine import Soort, Wacht
from models.proces import ZAAK

ENV = "MEERZORG_SOORTEN"

SOORTEN: dict[str, Soort] = {s.naam: s for s in (ZAAK, DIALOOG)}
# The simple kinds among them, with what the generic runtime needs (tasks/eenvoudig.py).
EENVOUDIG: dict[str, EenvoudigeSoort] = {}


def declaratie(module: str) -> EenvoudigeSoort:
    """The kind a module declares: its `SOORT`, which must be an EenvoudigeSoort."""
    # The one import named at run time besides the crash hook: a kind is found, not listed
    # (tests/unit/test_package_boundaries.py, DYNAMIC_ALLOWED).
    gevonden = getattr(importlib.import_module(module), "SOORT", None)
    if not isinstance(gevonden, EenvoudigeSoort):
        raise ImportError(f"{module}: a case kind exports SOORT = EenvoudigeSoort(...)")
    return gevonden


def neem_op(modules: Iterable[str]) -> list[EenvoudigeSoort]:
    """Add the kinds these modules declare to SOORTEN and EENVOUDIG; a name taken twice, by
    another module, is refused. Returns them in the order given."""
    nieuw = []
    for module in modules:
        kind = declaratie(module)
        bestaand = SOORTEN.get(kind.naam)
        if bestaand is not None and bestaand is not kind.soort:
            raise ImportError(f"{module}: a case kind named '{kind.naam}' exists already")
        SOORTEN[kind.naam] = kind.soort
        EENVOUDIG[kind.naam] = kind
        nieuw.append(kind)
    return nieuw


def pakketten(paden: Iterable[str], prefix: str) -> list[str]:
    """The kind packages under these directories (their subpackages, by name)."""
    return sorted(prefix + m.name for m in pkgutil.iter_modules(list(paden)) if m.ispkg)


def uit_omgeving(waarde: str | None) -> list[str]:
    """The modules MEERZORG_SOORTEN names: dotted names, separated by commas."""
    namen = [n.strip() for n in (waarde or "").split(",") if n.strip()]
    fout = [n for n in namen if not re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    if fout:
        raise ImportError(f"{ENV}: '{fout[0]}' is not a module name")
    return namen


neem_op(pakketten(__path__, __name__ + ".") + uit_omgeving(os.environ.get(ENV)))


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
