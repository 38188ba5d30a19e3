"""The zaak's apply: the engine's one apply (models/db/engine_store.py) with one handler
per effect of the zaak (the decision, its beschikkingen, the evaluation, a verlenging, a
group mutation, ...), in the caller's transaction with the zaak row locked. Written against
the store port (models/db/port.py): the live transitions on the database, the bulk
historical import on rows in memory (models/db/geheugen.py), by the same handlers."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from models.aanvraag import Aanvraag
from models.aanvrager import naar_budgethouder
from models.besluit_brief import besluit_soort
from models.bezwaar_procedure import HERROEPEN
from models.bezwaar_termijnen import TIMERS as BEZWAAR_TIMERS
from models.bijstelling import BijstellingBijgewerkt
from models.contact import BLIJFT_NA_SLUITEN, TAAK_AFGEHANDELD
from models.db.aanbieder_sleutels import meld_overgang, stand_voor, volgt
from models.db.brieven import maak_brieven, maak_mededeling
from models.db.dwangsom_store import bij_besluit, vastgelegd, vastgesteld
from models.db.engine_store import Context, Timers, jsonable, pas_toe_geval
from models.db.port import Store
from models.db.sql_store import SqlStore
from models.db.store import registreer_ontwikkeltraject, registreer_zaak
from models.db.tables import Beschikking, Besluit, Bezwaar, Contact, Deadline, Zaak
from models.db.zaak_lezen import bsn_in_aanvraag
from models.dwangsom import DwangsomVastgesteld, IngebrekestellingVastgelegd
from models.engine import Overgang
from models.overgang import (
    GESLOTEN,
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    BeslistermijnOpgeschort,
    BeslistermijnVerlengd,
    BesluitVastgelegd,
    BezwaarBijgewerkt,
    BezwaarGeregistreerd,
    ClientBeeindigd,
    ContactVastgelegd,
    EvaluatieVastgelegd,
    Mededeling,
    NieuweRonde,
    OntwikkeltrajectVastgelegd,
    ToetsVastgelegd,
    VervolgAangevraagd,
    VoorlopigBesluit,
    ZaakStatus,
)
from models.planner import CLIENT_TIMERS, ZAAK_TIMERS
from models.proces import ZAAK

# A running beschikking's own timers (models/planner.py plans them at a toekenning).
BESCHIKKING_TIMERS = frozenset(CLIENT_TIMERS) | frozenset(ZAAK_TIMERS)


class ZaakTimers(Timers):
    """The zaak's timer rows. When the zaak closes, its timers lapse except the contact
    tasks and the contact moments after an afwijzing (models/contact.py, N 2025): the
    client is still at home after the zaak closes. A wait's timer whose rule applies in the
    zaak's next status moves with it (models/engine.Soort.gaat_mee)."""

    def laat_vervallen(
        self, store: Store, voor_status: str | None = None, naar_status: str | None = None
    ) -> None:
        for t in store.open_timers(self.model, self.eigenaar, voor_status):
            if voor_status is None and t.soort in BLIJFT_NA_SLUITEN:
                continue
            if naar_status is not None and ZAAK.gaat_mee(t.soort, voor_status, naar_status):
                t.voor_status = naar_status
                store.save(t)
                continue
            t.status = "vervallen"
            store.save(t)


def pas_toe(
    *,
    session: Session | None = None,
    store: Store | None = None,
    zaak: Zaak,
    overgang: Overgang,
    peildatum: dt.date,
    actor: str = "systeem",
    namens: str | None = None,
) -> Zaak:
    """Apply one Overgang to a zaak that the caller has locked and checked. One transaction
    (the caller's): state, timers, decision, beschikkingen, outbox and audit together, by
    the engine's one apply (models/db/engine_store.py) with the zaak's effect handlers.
    `session`: the caller's, for the database; `store`: any store of models/db/port.py (the
    bulk import's in memory)."""
    if (
        overgang.status != zaak.status
        and zaak.status == ZaakStatus.TWEEDE_BEOORDELING
        and not overgang.alle(VoorlopigBesluit)
    ):
        zaak.voorlopig_besluit = None  # the four-eyes wait is over, whatever came of it
    if overgang.alle(NieuweRonde):
        zaak.ronde += 1
    # A transition on a zaak that is closed already (a contact task on it) does not close it
    # again: its gesloten_op and its beschikkingen stay as they were.
    al_gesloten = zaak.status in GESLOTEN
    if zaak.agb is None:  # the budgethouder applied: it hears what a provider would
        ids = tuple(c["client_id"] for c in zaak.aanvraag.get("clienten", []))
        overgang = naar_budgethouder(overgang, ids)
    # The provider's webhooks (issue 28) hear of what changed; only with a subscription.
    volgen = store is None and volgt(session=session, agb=zaak.agb)
    voor = stand_voor(session=session, zaak=zaak) if volgen else None
    pas_toe_geval(
        store=SqlStore(session) if store is None else store,
        soort=ZAAK,
        rij=zaak,
        key=zaak.key,
        agb=zaak.agb,
        overgang=overgang,
        timers=ZaakTimers(Deadline, {"zaak": zaak.key}),
        handlers=ZAAK_HANDLERS,
        peildatum=peildatum,
        actor=actor,
        namens=namens,
        bij_sluiten=None if al_gesloten else _bij_sluiten,
        na_effecten=_na_effecten,
    )
    if voor is not None:
        meld_overgang(session=session, zaak=zaak, voor=voor)
    return zaak


def _bij_sluiten(ctx: Context, zaak: Zaak) -> None:
    zaak.gesloten_op = ctx.peildatum
    if zaak.status == ZaakStatus.BEEINDIGD:
        for b in ctx.store.beschikkingen(zaak.key, status="actief"):
            b.status, b.beeindigd_op = "beeindigd", min(b.eind, ctx.peildatum)
            ctx.store.save(b)


# --- one handler per effect of the zaak ---------------------------------------------------


def _toets(ctx: Context, zaak: Zaak, e: ToetsVastgelegd) -> None:
    zaak.toets, zaak.beleidsversie = e.toets, e.beleidsversie


def _aanvraag(ctx: Context, zaak: Zaak, e: AanvraagGewijzigd) -> None:
    zaak.aanvraag = e.aanvraag


def _opgeschort(ctx: Context, zaak: Zaak, e: BeslistermijnOpgeschort) -> None:
    """Awb 4:15: the days in herstel add to the beslistermijn."""
    zaak.opgeschort_dagen = (zaak.opgeschort_dagen or 0) + e.dagen
    ctx.details["opgeschort_dagen"] = e.dagen


def _voorlopig(ctx: Context, zaak: Zaak, e: VoorlopigBesluit) -> None:
    zaak.voorlopig_besluit = e.besluit or None


# What a besluit record holds beyond its own columns (models/besluit.py): kept whole.
BEOORDELING_VELDEN = (
    "criteria",
    "perspectief",
    "korter_dan_gevraagd",
    "lager_dan_rekentool",
    "hoger_dan_rekentool",
    "contact_client_gepland",
    "contact_client_uiterlijk",
    "client_ids",  # a besluit about some clients only (a mutation): whom it concerns
    "zienswijze",  # Awb 4:7, 4:8: the zienswijze on the voornemen, or that none came
    "bijstelling",  # R §10 bijstellen: its term and the consent to suspend (Awb 4:15 lid 2)
    # Awb 3:46, 3:47 (models/motivering.py): an afwijzing's grounds, the blocking findings a
    # toekenning was given despite (four eyes), the coulante weighing (N 2025).
    "gronden",
    "ondanks_bevindingen",
    "coulante_afweging",
)


def _besluit(ctx: Context, zaak: Zaak, e: BesluitVastgelegd) -> None:
    b = e.besluit
    rij = ctx.store.add(
        Besluit,
        zaak=zaak.key,
        ronde=b["ronde"],
        uitkomst=b["uitkomst"],
        onderbouwing=b.get("onderbouwing", ""),
        beoordelaar=b["beoordelaar"],
        tweede_beoordelaar=b.get("tweede_beoordelaar"),
        coulant=bool(b.get("coulant")),
        pijlers=b.get("pijlers", {}),
        beoordeling=jsonable({k: b[k] for k in BEOORDELING_VELDEN if k in b}),
        start=b.get("start"),
        eind=b.get("eind"),
        bedrag_per_jaar=b.get("bedrag_per_jaar"),
        datum=b["datum"],
        beleidsversie=b["beleidsversie"],
        soort=besluit_soort(b),
        rechtsmiddel=b.get("rechtsmiddel") or "bezwaar",
        ingangsdatum=b.get("start"),
        vervaldatum=b.get("eind"),
        # ZGW's vervalreden: a besluit with an end date is "tijdelijk"; a revocation says so.
        vervalreden=b.get("vervalreden") or ("tijdelijk" if b.get("eind") else None),
    )
    ctx.audit_extra["besluit"] = jsonable(b)
    if e.bekendmaken:
        ctx.gedeeld["besluit"] = (rij, b)
        # Awb 4:17: the besluit on the aanvraag stops a running dwangsom (models/dwangsom.py).
        bij_besluit(ctx, zaak, rij)


def _na_effecten(ctx: Context, zaak: Zaak) -> None:
    """After every effect (the beschikkingen a toekenning gives included): the besluit's
    letters, the applicant's carried by the transition's own message to the provider."""
    if "besluit" in ctx.gedeeld:
        rij, record = ctx.gedeeld.pop("besluit")
        ctx.bijlage = maak_brieven(ctx, zaak, rij, record)


def _beschikking(ctx: Context, zaak: Zaak, e: BeschikkingAfgegeven) -> None:
    """A new beschikking; after a gegrond bezwaar the new one takes the place of the revoked
    one of the same client (Awb 7:11): that row gets the new term and amount."""
    b = e.beschikking
    bestaand = next(iter(ctx.store.beschikkingen(zaak.key, b["client_id"])), None)
    if bestaand is None:
        ctx.store.add(Beschikking, zaak=zaak.key, **b)
    else:
        for kolom, waarde in {**b, "status": "actief", "beeindigd_op": None}.items():
            setattr(bestaand, kolom, waarde)
        ctx.store.save(bestaand)
        ctx.details.setdefault("vervangen_beschikkingen", []).append(b["client_id"])
        # The revoked beschikking's timers kept running until now; the new one plans its
        # own after these effects (a timer on the same day is opened again).
        for t in ctx.store.open_timers(Deadline, {"zaak": zaak.key}):
            if t.soort in BESCHIKKING_TIMERS:
                t.status = "vervallen"
                ctx.store.save(t)
    client = ctx.store.client(
        zaak.agb, b["client_id"], bsn_in_aanvraag(zaak.aanvraag, b["client_id"])
    )
    if client is not None and client.meerzorg_sinds is None:
        client.meerzorg_sinds = b["start"]
        ctx.store.save(client)


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
    """The contact with its bevinding, and the client's open contact tasks are done."""
    contact = {"medewerker": ctx.actor, **e.contact}
    ctx.store.add(Contact, zaak=zaak.key, **contact)
    afgehandeld = 0
    for t in ctx.store.open_taken(zaak.key, contact["client_id"]):
        t.status = TAAK_AFGEHANDELD
        ctx.store.save(t)
        afgehandeld += 1
    ctx.details["taken_afgehandeld"] = afgehandeld


def _client_beeindigd(ctx: Context, zaak: Zaak, e: ClientBeeindigd) -> None:
    for b in ctx.store.beschikkingen(zaak.key, e.client_id):
        b.eind = min(b.eind, e.eind)
        if b.eind < ctx.peildatum or e.eind <= ctx.peildatum:
            b.status, b.beeindigd_op = "beeindigd", b.eind
        ctx.store.save(b)


def _bijstelling(ctx: Context, zaak: Zaak, e: BijstellingBijgewerkt) -> None:
    """R §10 bijstellen: its term and consent (Awb 4:15 lid 2 sub a), then how it ended."""
    zaak.bijstelling = {**({} if e.nieuw else (zaak.bijstelling or {})), **e.velden}


def _verlengd(ctx: Context, zaak: Zaak, e: BeslistermijnVerlengd) -> None:
    """Awb 4:14: the one extension of the beslistermijn."""
    zaak.verlengd_dagen = (zaak.verlengd_dagen or 0) + e.dagen
    ctx.details.update(verlengd_dagen=e.dagen, reden=e.reden)


def _bezwaar_geregistreerd(ctx: Context, zaak: Zaak, e: BezwaarGeregistreerd) -> None:
    ctx.store.add(Bezwaar, zaak=zaak.key, **e.bezwaar)
    ctx.store.flush()  # one procedure per besluit: a second one fails here, in this transaction


def _bezwaar_bijgewerkt(ctx: Context, zaak: Zaak, e: BezwaarBijgewerkt) -> None:
    """A step of the open bezwaar (another indiener among them). Its 7:10 timers lapse on a
    verdaging (new ones follow) and on a beslissing that lets the besluit stand; gegrond keeps
    them for the new besluit (7:11) and lets the revoked besluit's own timers lapse (the new
    besluit plans its own), and the zaak's ronde becomes the one of the new besluit (the
    beslissing op bezwaar, a besluit too, took the ronde before it)."""
    bezwaar = ctx.store.open_bezwaar(zaak.key)
    if bezwaar is None:
        raise ValueError(f"zaak {zaak.key} has no open bezwaar")
    for kolom, waarde in e.velden.items():
        setattr(bezwaar, kolom, waarde)
    ctx.store.save(bezwaar)
    gegrond = e.velden.get("uitkomst") in HERROEPEN  # Awb 7:11: wholly or partly
    if gegrond and e.velden.get("heropend_ronde"):
        zaak.ronde = max(zaak.ronde, e.velden["heropend_ronde"])
    for t in ctx.store.open_timers(Deadline, {"zaak": zaak.key}):
        eigen = t.soort in BEZWAAR_TIMERS
        # A running beschikking's own timers outlive the gegrond bezwaar (Awb 6:16): they
        # lapse when the new besluit replaces it (_beschikking).
        if (eigen and e.timers_vervallen) or (
            gegrond
            and not eigen
            and t.soort not in BLIJFT_NA_SLUITEN
            and t.soort not in BESCHIKKING_TIMERS
        ):
            t.status = "vervallen"
            ctx.store.save(t)


def _al_toegepast(ctx: Context, zaak: Zaak, e: NieuweRonde) -> None:
    """Counted before the apply (pas_toe): once per transition."""


ZAAK_HANDLERS = {
    Mededeling: lambda ctx, zaak, e: maak_mededeling(ctx, zaak, e),
    ToetsVastgelegd: _toets,
    AanvraagGewijzigd: _aanvraag,
    BeslistermijnOpgeschort: _opgeschort,
    NieuweRonde: _al_toegepast,
    VoorlopigBesluit: _voorlopig,
    BesluitVastgelegd: _besluit,
    BeschikkingAfgegeven: _beschikking,
    EvaluatieVastgelegd: _evaluatie,
    VervolgAangevraagd: _vervolg,
    OntwikkeltrajectVastgelegd: _ontwikkeltraject,
    ContactVastgelegd: _contact,
    ClientBeeindigd: _client_beeindigd,
    BeslistermijnVerlengd: _verlengd,
    BijstellingBijgewerkt: _bijstelling,
    BezwaarGeregistreerd: _bezwaar_geregistreerd,
    BezwaarBijgewerkt: _bezwaar_bijgewerkt,
    IngebrekestellingVastgelegd: vastgelegd,  # Awb 4:17 (models/db/dwangsom_store.py)
    DwangsomVastgesteld: vastgesteld,  # Awb 4:18
}
