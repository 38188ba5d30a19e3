"""The sweep's own work, without Prefect: fire every due timer row of every case kind once.
flows/sweep.py runs it with its tasks (retries, chunks); tests run it day by day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tasks import dialoog as dialoog_ops
from tasks import zaak as zaak_ops

CHUNK = 500


def vuur_chunk(ids: list[int], peildatum: dt.date) -> list[tuple[str, bool]]:
    return [r for i in ids if (r := zaak_ops.vuur_deadline(i, peildatum)) is not None]


def vuur_dialogen(peildatum: dt.date) -> int:
    return len(dialoog_ops.vuur_dialoog_termijnen(peildatum))


def vuur_termijnen(
    peildatum: dt.date,
    zaken: Callable[[list[int], dt.date], list[tuple[str, bool]]] = vuur_chunk,
    dialogen: Callable[[dt.date], int] = vuur_dialogen,
) -> tuple[list[tuple[str, bool]], int]:
    """(zaak, its run must be resumed) per fired zaak timer, and the dialoog timers fired."""
    ids = zaak_ops.due_deadlines(peildatum)
    fired: list[tuple[str, bool]] = []
    for start in range(0, len(ids), CHUNK):
        fired += zaken(ids[start : start + CHUNK], peildatum)
    return fired, dialogen(peildatum)
