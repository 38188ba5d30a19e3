"""The one case service: answer a wait, fire a timer, take the kind's action and tie a run
to its case, for every case kind. What differs per kind is its `Opslag`: how its row is read
and locked, its stand for the rules, what its handlers read besides the stand, how a refused
answer is recorded, the kind's apply and its timer table (tasks/zaak.py, tasks/dialoog.py).
Each function is one transaction; the flows wrap them as Prefect tasks with retries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from models.dates import vandaag
from models.db.engine_store import beantwoord, due, vuur
from models.db.store import session_scope
from models.engine import Antwoord, Overgang, Soort


@dataclass(frozen=True)
class Opslag:
    """How one case kind is stored: the kind's side of the service."""

    soort: Soort
    # (session, key, lock) -> the case row or None.
    lees: Callable[[Session, str, bool], object | None]
    # The row as the kind's rules read it.
    stand: Callable[[object], object]
    # What the kind's wait handlers take besides the stand (the zaak's Feiten, the
    # dialoog's policy), read in the answer's transaction.
    feiten: Callable[[Session, object, dt.date], object]
    # (row, error, input) -> the transition that records a refused answer.
    ongeldig: Callable[[object, str, dict], Overgang]
    # The kind's apply: (session, row, overgang, peildatum, actor, namens).
    pas_toe: Callable[..., None]
    # Its timer rows, the case of a timer row (locked), and the kind's rule of a due one.
    timer_model: type
    timer_geval: Callable[[Session, object], object | None]
    timer_regel: Callable[[Session, object, object], Overgang | None]


def verwerk_invoer(
    opslag: Opslag,
    key: str,
    wacht_key: str,
    invoer: dict,
    peildatum: dt.date,
    actor: str | None = None,
) -> Antwoord:
    """Apply a form answered under `wacht_key` (models/db/engine_store.beantwoord says what
    becomes of it). Who answered is the field the wait's form names (`Wacht.identiteit`),
    which the gateway filled with the login."""
    with session_scope() as session:
        rij = opslag.lees(session, key, True)
        wacht = opslag.soort.wacht(rij.status) if rij is not None else None
        wie = actor or str((invoer.get(wacht.identiteit) if wacht else None) or "onbekend")

        def antwoord() -> Overgang | None:
            feiten = opslag.feiten(session, rij, peildatum)
            overgang = wacht.handler(opslag.stand(rij), invoer, peildatum, feiten)
            if overgang is not None and peildatum != (vandaag_ := vandaag()):
                # Only the service passes another date (a backfill, a test; the gateway
                # refuses it for a person): the audit trail shows it (issue 25).
                overgang.details["peildatum_niet_vandaag"] = {
                    "peildatum": peildatum.isoformat(),
                    "vandaag": vandaag_.isoformat(),
                }
            return overgang

        return beantwoord(
            soort=opslag.soort,
            rij=rij,
            wacht_key=wacht_key,
            antwoord=antwoord,
            ongeldig=lambda fout: opslag.ongeldig(rij, fout, invoer),
            toepassen=lambda o: opslag.pas_toe(
                session=session, rij=rij, overgang=o, peildatum=peildatum, actor=wie
            ),
        )


def due_termijnen(opslag: Opslag, peildatum: dt.date, limit: int = 10_000) -> list[int]:
    with session_scope() as session:
        return due(session, opslag.timer_model, peildatum, limit)


def vuur_termijn(opslag: Opslag, timer_id: int, peildatum: dt.date) -> tuple[object, bool] | None:
    """Fire one due timer exactly once: (the case row, it moved to a new wait), or None when
    another sweep fired it already or the case is gone."""
    with session_scope() as session:
        return vuur(
            session=session,
            model=opslag.timer_model,
            timer_id=timer_id,
            peildatum=peildatum,
            geval=opslag.timer_geval,
            regel=opslag.timer_regel,
            pas_toe=opslag.pas_toe,
        )


def koppel_flow_run(opslag: Opslag, key: str, flow_run_id: str, verplicht: bool = False) -> None:
    """The case's run is this one (a run replaced after a crash takes over)."""
    with session_scope() as session:
        rij = opslag.lees(session, key, True)
        if rij is None:
            if verplicht:
                raise ValueError(f"{key} does not exist")
            return
        if rij.flow_run_id != flow_run_id:
            rij.flow_run_id = flow_run_id
            session.add(rij)
