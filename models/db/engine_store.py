"""The one apply of the case engine: an Overgang on a locked case row, in the caller's
transaction. Status, wait and wait key, the timers (one timer model for every kind), the
outbox, the audit trail; each effect of the kind's own by the one handler its store
registers (models/db/zaak_store.py for the zaak, tasks/dialoog.py for the dialoog).

Written once against the store port (models/db/port.py): the caller's Session for every
live transition (models/db/sql_store.py), rows in memory for the bulk historical import
(models/db/geheugen.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.db import persoon as _persoon  # noqa: F401  (links new client rows to a persoon)
from models.db.port import Store
from models.db.sql_store import SqlStore, store_van
from models.db.sql_store import queue_bericht as queue_bericht  # its callers outside the apply
from models.db.tables import AuditEvent
from models.engine import (
    ONGELDIGE_INVOER,
    Antwoord,
    Bericht,
    Gewijzigd,
    Herpland,
    OngeldigeInvoer,
    Overgang,
    Soort,
    Termijn,
)


@dataclass(frozen=True)
class Timers:
    """The timer rows of one case: a table (Deadline, DialoogTermijn) and the columns that
    tie a row to the case. `open` and `plan` take a Session as well as a store of
    models/db/port.py: the dialoog's tasks call them with theirs (tasks/dialoog.py)."""

    model: type
    eigenaar: dict

    def open(self, store: Store | Session, voor_status: str | None = None) -> list:
        return store_van(store).open_timers(self.model, self.eigenaar, voor_status)

    def laat_vervallen(
        self, store: Store, voor_status: str | None = None, naar_status: str | None = None
    ) -> None:
        """The open timers of the wait left (all when None) lapse; `naar_status`: where the
        case goes, for a kind whose timers may move with it (models/db/zaak_store.py)."""
        for t in store.open_timers(self.model, self.eigenaar, voor_status):
            t.status = "vervallen"
            store.save(t)

    def plan(self, store: Store | Session, key: str, termijn: Termijn, status: str) -> None:
        """Once per soort, day and client: a timer fired never fires twice; one that lapsed
        (the case moved away and back again) counts again."""
        store = store_van(store)
        suffix = f"-{termijn.client_id}" if termijn.client_id else ""
        sleutel = f"{key}-{termijn.soort}-{termijn.datum.isoformat()}{suffix}"
        voor_status = status if termijn.aan_wacht else None
        bestaand = store.timer(self.model, sleutel)
        if bestaand is not None:
            if bestaand.status == "vervallen":
                bestaand.status, bestaand.voor_status = "open", voor_status
                store.save(bestaand)
            return
        extra = {"client_id": termijn.client_id} if termijn.client_id else {}
        store.add(
            self.model,
            sleutel=sleutel,
            soort=termijn.soort,
            datum=termijn.datum,
            voor_status=voor_status,
            **self.eigenaar,
            **extra,
        )


@dataclass
class Context:
    """What an effect handler may need besides the row and the effect."""

    store: Store
    peildatum: dt.date
    actor: str
    details: dict  # the audit record's details: a handler may add to them
    audit_extra: dict = field(default_factory=dict)
    # The letter a message of this transition carries (Bericht.bijlage), set by the kind.
    bijlage: int | None = None
    # What a kind's handlers pass on to its `na_effecten` (the besluit row, its record).
    gedeeld: dict = field(default_factory=dict)

    @property
    def session(self) -> Session:
        """The SQL store's Session, for an effect that starts another record through the
        database's own store functions (a vervolg zaak, an ontwikkeltraject, the dialoog's
        next year); a store in memory has none and refuses (TypeError)."""
        return self.store.session


Handler = Callable[[Context, object, object], None]  # (context, row, effect)


def _gewijzigd(ctx: Context, rij, effect: Gewijzigd) -> None:
    for kolom, waarde in effect.velden.items():
        setattr(rij, kolom, waarde)


# The effects every kind has; a kind's own handler of the same effect goes first.
ENGINE_HANDLERS: dict[type, Handler] = {Gewijzigd: _gewijzigd}


def _volgende_wacht(soort: Soort, rij, overgang: Overgang, oude_status: str, peildatum) -> None:
    """The wait after the transition: none (an action is due), a new key (Prefect refuses a
    pause key twice), or the same wait with only its `wacht_op` variant changed."""
    wacht = soort.wacht(rij.status)
    if wacht is None:
        rij.wacht_op, rij.wacht_key = None, None
    elif overgang.nieuwe_wacht:
        rij.stap += 1
        rij.wacht_key = soort.wacht_key(rij.status, rij.stap)
        if overgang.wacht_op:
            rij.wacht_op = overgang.wacht_op
        elif rij.status != oude_status or rij.wacht_op not in (wacht.wacht_op, *wacht.varianten):
            rij.wacht_op = wacht.wacht_op
        if rij.status != oude_status and hasattr(rij, "wacht_sinds"):
            rij.wacht_sinds = peildatum
    elif overgang.wacht_op:
        rij.wacht_op = overgang.wacht_op


def pas_toe_geval(
    *,
    store: Store | None = None,
    session: Session | None = None,
    soort: Soort,
    rij,
    key: str,
    agb: str,
    overgang: Overgang,
    timers: Timers,
    handlers: dict[type, Handler],
    peildatum: dt.date,
    actor: str = "systeem",
    namens: str | None = None,
    bij_sluiten: Callable[[Context, object], None] | None = None,
    na_effecten: Callable[[Context, object], None] | None = None,
) -> None:
    """Apply one Overgang to a case row the caller has locked and checked. Long because the
    order is the contract: the old wait's timers lapse, status, the kind's effects, the new
    wait, then timers, outbox and audit, all in the caller's transaction. `store`: the
    store port; `session`: the SQL store's, for a caller that holds a Session."""
    if store is None:
        store = SqlStore(session)
    oude_status = rij.status
    if overgang.status != oude_status or overgang.alle(Herpland):
        timers.laat_vervallen(store, voor_status=oude_status, naar_status=overgang.status)
    rij.status = overgang.status
    rij.versie += 1
    rij.bijgewerkt = dt.datetime.now(dt.UTC)
    rij.laatste_fout = overgang.details.get("fout") if overgang.actie == ONGELDIGE_INVOER else None
    ctx = Context(store, peildatum, actor, overgang.details)
    termijnen, berichten = [], []  # the engine's own effects, below
    for effect in overgang.effecten:
        if isinstance(effect, Termijn):
            termijnen.append(effect)
        elif isinstance(effect, Bericht):
            berichten.append(effect)
        elif not isinstance(effect, Herpland):  # Herpland: its timers lapsed above
            handler = handlers.get(type(effect)) or ENGINE_HANDLERS.get(type(effect))
            if handler is None:
                raise TypeError(f"{soort.naam}: no handler for {type(effect).__name__}")
            handler(ctx, rij, effect)
    if overgang.sluit:
        rij.wacht_op, rij.wacht_key = None, None
        timers.laat_vervallen(store)
        if bij_sluiten is not None:
            bij_sluiten(ctx, rij)
    else:
        _volgende_wacht(soort, rij, overgang, oude_status, peildatum)
    store.save(rij)
    store.flush()
    if na_effecten is not None:  # after every effect: a besluit's letters see them all
        na_effecten(ctx, rij)
    for termijn in termijnen:
        timers.plan(store, key, termijn, rij.status)
    for bericht in berichten:
        client = f"-{bericht.client_id}" if bericht.client_id else ""
        kanaal = "" if bericht.kanaal == "aanbieder" else f"-{bericht.kanaal}"
        store.queue_bericht(
            sleutel=f"{key}-{rij.versie}-{bericht.sjabloon}{client}{kanaal}",
            sjabloon=bericht.sjabloon,
            kanaal=bericht.kanaal,
            zaak=key,
            agb=agb if bericht.kanaal == "aanbieder" else None,
            brief_id=ctx.bijlage if bericht.bijlage else None,
            **bericht.context,
        )
    store.add(
        AuditEvent,
        actor=actor,
        actie=overgang.actie,
        zaak=key,
        client_id=None,
        namens=namens,
        details={
            "status": [oude_status, rij.status],
            **jsonable(overgang.details),
            **ctx.audit_extra,
        },
    )


def beantwoord(
    *,
    soort: Soort,
    rij,
    wacht_key: str,
    antwoord: Callable[[], Overgang | None],
    ongeldig: Callable[[str], Overgang],
    toepassen: Callable[[Overgang], object],
) -> Antwoord:
    """Form input answered under `wacht_key`, for every case kind: what became of it
    (models/engine.Antwoord)."""
    if rij is None or rij.wacht_key != wacht_key:
        return Antwoord.VEROUDERD
    try:
        overgang = antwoord() if soort.wacht(rij.status) is not None else None
    except OngeldigeInvoer as exc:
        toepassen(ongeldig(str(exc)))
        return Antwoord.ONGELDIG
    if overgang is None:
        # Answered, but nothing to apply (an empty form on a timer wait): wait again under a
        # new key. Under the answered key suspend_flow_run would hand this same input back at
        # once, and the run would loop without end.
        toepassen(Overgang(status=rij.status, actie="lege_invoer", wacht_op=rij.wacht_op))
        return Antwoord.LEEG
    toepassen(overgang)
    return Antwoord.TOEGEPAST


def due(session: Session, model: type, peildatum: dt.date, limit: int = 10_000) -> list[int]:
    """The open timer rows of a table due on the peildatum, oldest first."""
    return list(
        session.exec(
            select(model.id)
            .where(model.status == "open", model.datum <= peildatum)
            .order_by(model.datum, model.id)
            .limit(limit)
        )
    )


def vuur(
    *,
    session: Session,
    model: type,
    timer_id: int,
    peildatum: dt.date,
    geval: Callable[[Session, object], object | None],
    regel: Callable[[Session, object, object], Overgang | None],
    pas_toe: Callable[..., object],
) -> tuple[object, bool] | None:
    """Fire one due timer row exactly once (row-locked; SKIP LOCKED on PostgreSQL, so two
    sweeps share the work). `geval` reads and locks its case, `regel` is the kind's rule for
    a due timer, `pas_toe` the kind's apply. Returns (the case row, it moved to a new wait),
    or None when another sweep fired it already or the case is gone."""
    stmt = select(model).where(model.id == timer_id, model.status == "open")
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    timer = session.exec(stmt).first()
    if timer is None:
        return None
    rij = geval(session, timer)
    timer.status, timer.gevuurd_op = "gevuurd", peildatum
    session.add(timer)
    if rij is None:
        return None
    overgang = regel(session, rij, timer)
    if overgang is None:
        timer.status = "vervallen"  # nothing to do any more: the case moved on
        return rij, False
    oude_key = rij.wacht_key
    pas_toe(
        session=session,
        rij=rij,
        overgang=overgang,
        peildatum=peildatum,
        actor="deadline-sweep",
        namens=timer.sleutel,
    )
    return rij, rij.wacht_key != oude_key


def jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def audit(
    *,
    session: Session,
    actor: str,
    actie: str,
    zaak: str | None = None,
    client_id: str | None = None,
    namens: str | None = None,
    details: dict | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor=actor,
            actie=actie,
            zaak=zaak,
            client_id=client_id,
            namens=namens,
            details=details or {},
        )
    )
