"""The sweep's own work, without Prefect, for every case kind of the registry
(tasks/soorten.py): first the day's new cases (a provider that got meerzorg after the yearly
planning gets its dialoog) each with its first action, then every due timer row fired once.
In that order one sweep completes its day: a timer the new case's action plans for that day
fires in the same sweep, so a second sweep of the day changes nothing. flows/sweep.py runs
it with its tasks (retries, chunks); tests run it day by day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tasks.soorten import REGISTER

CHUNK = 500

Vuur = Callable[[str, list[int], dt.date], list[tuple[str, bool]]]


def plan_dag(peildatum: dt.date) -> dict[str, list[str]]:
    """The new cases of the day per kind, each having taken its first action."""
    gepland = {}
    for soort in REGISTER.values():
        keys = soort.plan(peildatum)
        for key in keys:
            soort.actie(key, peildatum)
        gepland[soort.naam] = keys
    return gepland


def vuur_chunk(soort: str, ids: list[int], peildatum: dt.date) -> list[tuple[str, bool]]:
    vuur = REGISTER[soort].vuur
    return [r for i in ids if (r := vuur(i, peildatum)) is not None]


def vuur_termijnen(
    peildatum: dt.date, vuur: Vuur = vuur_chunk
) -> dict[str, list[tuple[str, bool]]]:
    """Per kind: (case key, its run must be resumed) for every timer fired."""
    gevuurd: dict[str, list[tuple[str, bool]]] = {}
    for soort in REGISTER.values():
        ids = soort.due(peildatum)
        gevuurd[soort.naam] = []
        for start in range(0, len(ids), CHUNK):
            gevuurd[soort.naam] += vuur(soort.naam, ids[start : start + CHUNK], peildatum)
    return gevuurd


def dag(peildatum: dt.date) -> dict[str, dict]:
    """One sweep's work on the case database: plan, then fire (the runs are the flow's)."""
    return {"gepland": plan_dag(peildatum), "gevuurd": vuur_termijnen(peildatum)}
