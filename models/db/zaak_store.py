"""The zaak's apply: the engine's one apply (models/db/engine_store.py) with one handler
per effect of the zaak (the decision, its beschikkingen, the evaluation, a verlenging, a
group mutation, ...), in the caller's transaction with the zaak row locked."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from models.aanvraag import Aanvraag
from models.db.engine_store import Context, Timers, jsonable, pas_toe_geval
from models.db.store import registreer_ontwikkeltraject, registreer_zaak
from models.db.tables import Beschikking, Besluit, Client, Contact, Deadline, Zaak
from models.engine import Overgang
from models.overgang import (
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    BesluitVastgelegd,
    ClientBeeindigd,
    ContactVastgelegd,
    EvaluatieVastgelegd,
    NieuweRonde,
    OntwikkeltrajectVastgelegd,
    ToetsVastgelegd,
    VervolgAangevraagd,
    VoorlopigBesluit,
    ZaakStatus,
)
from models.proces import ZAAK


def pas_toe(
    *,
    session: Session,
    zaak: Zaak,
    overgang: Overgang,
    peildatum: dt.date,
    actor: str = "systeem",
    namens: str | None = None,
) -> Zaak:
    """Apply one Overgang to a zaak that the caller has locked and checked. One transaction
    (the caller's): state, timers, decision, beschikkingen, outbox and audit together, by
    the engine's one apply (models/db/engine_store.py) with the zaak's effect handlers."""
    if (
        overgang.status != zaak.status
        and zaak.status == ZaakStatus.TWEEDE_BEOORDELING
        and not overgang.alle(VoorlopigBesluit)
    ):
        zaak.voorlopig_besluit = None  # the four-eyes wait is over, whatever came of it
    if overgang.alle(NieuweRonde):
        zaak.ronde += 1
    pas_toe_geval(
        session=session,
        soort=ZAAK,
        rij=zaak,
        key=zaak.key,
        agb=zaak.agb,
        overgang=overgang,
        timers=Timers(Deadline, {"zaak": zaak.key}),
        handlers=ZAAK_HANDLERS,
        peildatum=peildatum,
        actor=actor,
        namens=namens,
        bij_sluiten=_bij_sluiten,
    )
    return zaak


def _bij_sluiten(ctx: Context, zaak: Zaak) -> None:
    zaak.gesloten_op = ctx.peildatum
    if zaak.status == ZaakStatus.BEEINDIGD:
        for b in ctx.session.exec(
            select(Beschikking).where(Beschikking.zaak == zaak.key, Beschikking.status == "actief")
        ):
            b.status, b.beeindigd_op = "beeindigd", min(b.eind, ctx.peildatum)
            ctx.session.add(b)


# --- one handler per effect of the zaak ---------------------------------------------------


def _toets(ctx: Context, zaak: Zaak, e: ToetsVastgelegd) -> None:
    zaak.toets, zaak.beleidsversie = e.toets, e.beleidsversie


def _aanvraag(ctx: Context, zaak: Zaak, e: AanvraagGewijzigd) -> None:
    zaak.aanvraag = e.aanvraag


def _voorlopig(ctx: Context, zaak: Zaak, e: VoorlopigBesluit) -> None:
    zaak.voorlopig_besluit = e.besluit or None


def _besluit(ctx: Context, zaak: Zaak, e: BesluitVastgelegd) -> None:
    b = e.besluit
    ctx.session.add(
        Besluit(
            zaak=zaak.key,
            ronde=b["ronde"],
            uitkomst=b["uitkomst"],
            onderbouwing=b.get("onderbouwing", ""),
            beoordelaar=b["beoordelaar"],
            tweede_beoordelaar=b.get("tweede_beoordelaar"),
            coulant=bool(b.get("coulant")),
            pijlers=b.get("pijlers", {}),
            start=b.get("start"),
            eind=b.get("eind"),
            bedrag_per_jaar=b.get("bedrag_per_jaar"),
            datum=b["datum"],
            beleidsversie=b["beleidsversie"],
        )
    )
    ctx.audit_extra["besluit"] = jsonable(b)


def _beschikking(ctx: Context, zaak: Zaak, e: BeschikkingAfgegeven) -> None:
    b = e.beschikking
    ctx.session.add(Beschikking(zaak=zaak.key, **b))
    client = ctx.session.exec(
        select(Client).where(Client.agb == zaak.agb, Client.client_id == b["client_id"])
    ).first()
    if client is not None and client.meerzorg_sinds is None:
        client.meerzorg_sinds = b["start"]
        ctx.session.add(client)


def _evaluatie(ctx: Context, zaak: Zaak, e: EvaluatieVastgelegd) -> None:
    zaak.evaluatie, zaak.goed_voorbeeld = e.evaluatie, e.goed_voorbeeld


def _vervolg(ctx: Context, zaak: Zaak, e: VervolgAangevraagd) -> None:
    vervolg, _ = registreer_zaak(
        session=ctx.session,
        aanvraag=Aanvraag.model_validate(e.aanvraag),
        ingediend_op=ctx.peildatum,
        actor=ctx.actor,
    )
    ctx.details["vervolg_zaak"] = vervolg.key


def _ontwikkeltraject(ctx: Context, zaak: Zaak, e: OntwikkeltrajectVastgelegd) -> None:
    registreer_ontwikkeltraject(session=ctx.session, agb=zaak.agb, zaak=zaak.key, **e.traject)


def _contact(ctx: Context, zaak: Zaak, e: ContactVastgelegd) -> None:
    ctx.session.add(Contact(zaak=zaak.key, medewerker=ctx.actor, **e.contact))


def _client_beeindigd(ctx: Context, zaak: Zaak, e: ClientBeeindigd) -> None:
    for b in ctx.session.exec(
        select(Beschikking).where(
            Beschikking.zaak == zaak.key, Beschikking.client_id == e.client_id
        )
    ):
        b.eind = min(b.eind, e.eind)
        if b.eind < ctx.peildatum or e.eind <= ctx.peildatum:
            b.status, b.beeindigd_op = "beeindigd", b.eind
        ctx.session.add(b)


def _al_toegepast(ctx: Context, zaak: Zaak, e: NieuweRonde) -> None:
    """Counted before the apply (pas_toe): once per transition."""


ZAAK_HANDLERS = {
    ToetsVastgelegd: _toets,
    AanvraagGewijzigd: _aanvraag,
    NieuweRonde: _al_toegepast,
    VoorlopigBesluit: _voorlopig,
    BesluitVastgelegd: _besluit,
    BeschikkingAfgegeven: _beschikking,
    EvaluatieVastgelegd: _evaluatie,
    VervolgAangevraagd: _vervolg,
    OntwikkeltrajectVastgelegd: _ontwikkeltraject,
    ContactVastgelegd: _contact,
    ClientBeeindigd: _client_beeindigd,
}
