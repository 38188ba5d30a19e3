"""The ingebrekestelling in the case database (models/dwangsom.py has the rules): the zaak's
effect handlers for its registration and its vaststelling, the besluit on the aanvraag that
stops the dwangsom and brings its vaststelling forward, and the reads for `meerzorg zaak`,
the card, the werkvoorraad and the sweep."""

from __future__ import annotations

from sqlmodel import Session, select

from models import dwangsom
from models.db.engine_store import Context, Timers
from models.db.tables import Besluit, Deadline, Zaak
from models.db.tables_dwangsom import Ingebrekestelling
from models.engine import Termijn


def vastgelegd(ctx: Context, zaak: Zaak, e: dwangsom.IngebrekestellingVastgelegd) -> None:
    ctx.store.add(
        Ingebrekestelling,
        zaak=zaak.key,
        geregistreerd_op=ctx.peildatum,
        geregistreerd_door=ctx.actor,
        **e.velden,
    )
    ctx.store.flush()  # one per zaak: a second one at the same moment fails here


def vastgesteld(ctx: Context, zaak: Zaak, e: dwangsom.DwangsomVastgesteld) -> None:
    """After the transition's BesluitVastgelegd: the row points at the 4:18 besluit."""
    rij = _van(ctx.session, zaak.key)
    besluit, _ = ctx.gedeeld["besluit"]
    ctx.store.flush()
    for kolom, waarde in {**e.velden, "vastgesteld_besluit": besluit.id}.items():
        setattr(rij, kolom, waarde)
    ctx.store.save(rij)


def bij_besluit(ctx: Context, zaak: Zaak, besluit: Besluit) -> None:
    """A besluit on the aanvraag stops a running dwangsom (models/dwangsom.py: the day it is
    taken) and its vaststelling is due the day after, instead of after the 42nd day."""
    if besluit.soort not in dwangsom.OP_AANVRAAG:
        return
    rij = _van(ctx.session, zaak.key)
    if rij is None or rij.besluit_op is not None or rij.vastgesteld_besluit is not None:
        return
    ctx.store.flush()
    rij.besluit_id, rij.besluit_op, rij.besluit_soort = besluit.id, besluit.datum, besluit.soort
    ctx.store.save(rij)
    timers = Timers(Deadline, {"zaak": zaak.key})
    for t in timers.open(ctx.store):
        if t.soort == dwangsom.TIMER:
            t.status = "vervallen"
            ctx.store.save(t)
    termijn = Termijn(dwangsom.TIMER, dwangsom.vaststelling_op(besluit.datum), aan_wacht=False)
    timers.plan(ctx.store, zaak.key, termijn, zaak.status)
    ctx.details["dwangsom_gestopt_op"] = besluit.datum.isoformat()


def _van(session: Session, zaak: str) -> Ingebrekestelling | None:
    return session.exec(select(Ingebrekestelling).where(Ingebrekestelling.zaak == zaak)).first()


def regel_van(rij: Ingebrekestelling | None) -> dwangsom.Ingebrekestelling | None:
    if rij is None:
        return None
    return dwangsom.Ingebrekestelling(
        ontvangen=rij.ontvangen,
        beslistermijn=rij.beslistermijn,
        besluit_op=rij.besluit_op,
        besluit_soort=rij.besluit_soort,
        vastgesteld_besluit=rij.vastgesteld_besluit,
    )


def ingebrekestelling_van(*, session: Session, zaak: str) -> dwangsom.Ingebrekestelling | None:
    """The zaak's ingebrekestelling as the rules read it (None: none registered)."""
    return regel_van(_van(session, zaak))


def besluit_op_aanvraag_genomen(*, session: Session, zaak: str) -> bool:
    """Whether a besluit on the aanvraag was taken (models/dwangsom.OP_AANVRAAG)."""
    return (
        session.exec(
            select(Besluit.id).where(
                Besluit.zaak == zaak, Besluit.soort.in_(sorted(dwangsom.OP_AANVRAAG))
            )
        ).first()
        is not None
    )


def per_zaak(*, session: Session, zaken: list[str]) -> dict[str, dwangsom.Ingebrekestelling]:
    """The ingebrekestellingen of these zaken, for the werkvoorraad (one query)."""
    if not zaken:
        return {}
    rijen = session.exec(select(Ingebrekestelling).where(Ingebrekestelling.zaak.in_(zaken)))
    return {r.zaak: regel_van(r) for r in rijen}
