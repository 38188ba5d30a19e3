"""The live apply of a zaak (models/db/engine_store.pas_toe_geval with the handlers of
models/db/zaak_store.py), mirrored on rows held in memory: the bulk import
(tasks/historie_bulk.py) registers a historical zaak and brings it to where its history left
it in one transaction, so none of its rows exists in the database yet and every read the
live apply makes of them is answered here, from memory.

Only what a historical transition holds is mirrored; any other effect (a notification, a
bezwaar, a vervolg zaak) is refused with a TypeError, so a rule that starts to produce one
fails the import and its equality test (tests/integration/test_import_bulk.py) instead of being
dropped silently. The order of the steps is the live apply's, as it is the contract."""

from __future__ import annotations

import datetime as dt

from models.contact import BLIJFT_NA_SLUITEN
from models.db.engine_store import jsonable
from models.db.zaak_store import BEOORDELING_VELDEN
from models.engine import Bericht, Gewijzigd, Herpland, Overgang, Termijn
from models.opvolging_regels import gaat_mee
from models.overgang import (
    GESLOTEN,
    BeschikkingAfgegeven,
    BesluitVastgelegd,
    NieuweRonde,
    ToetsVastgelegd,
    VoorlopigBesluit,
    ZaakStatus,
)
from models.proces import ZAAK


class ZaakInGeheugen:
    """One new zaak and the rows of its own that its transitions write, in the order the
    live apply would insert them (so their ids follow the same order)."""

    __slots__ = ("rij", "timers", "besluiten", "beschikkingen", "audit")

    def __init__(self, rij: dict) -> None:
        self.rij = rij  # the zaak row: every column
        self.timers: dict[str, dict] = {}  # deadline rows by sleutel
        self.besluiten: list[dict] = []
        self.beschikkingen: dict[str, dict] = {}  # by client_id: one per client (unique)
        self.audit: list[dict] = []


class Rijen:
    """Complete rows for a table, for a bulk insert: every column, its model's default
    where the caller gives none (a bulk insert bypasses the model's constructor), and the
    batch's one `nu` for every creation time."""

    def __init__(self, model: type, nu: dt.datetime) -> None:
        self.vast: dict = {}
        for naam, veld in model.model_fields.items():
            if naam not in model.__table__.columns or naam == "id":
                continue
            if veld.default_factory is not None:
                waarde = veld.default_factory()
                self.vast[naam] = nu if isinstance(waarde, dt.datetime) else waarde
            elif not veld.is_required():
                self.vast[naam] = veld.default

    def __call__(self, **waarden) -> dict:
        return {**self.vast, **waarden}


def pas_toe(
    zaak: ZaakInGeheugen,
    overgang: Overgang,
    peildatum: dt.date,
    actor: str,
    clienten: dict[tuple[str, str], dict],
    rijen: dict[str, Rijen],
    nu: dt.datetime,
) -> None:
    """models/db/zaak_store.pas_toe and engine_store.pas_toe_geval, step by step, on a zaak
    in memory. `clienten`: the client rows by (agb, client_id), as the batch holds them;
    `rijen`: the row builders by table (besluit, beschikking, deadline, auditevent)."""
    rij = zaak.rij
    # zaak_store.pas_toe
    if (
        overgang.status != rij["status"]
        and rij["status"] == ZaakStatus.TWEEDE_BEOORDELING
        and not overgang.alle(VoorlopigBesluit)
    ):
        rij["voorlopig_besluit"] = None
    if overgang.alle(NieuweRonde):
        rij["ronde"] += 1
    al_gesloten = rij["status"] in GESLOTEN
    # engine_store.pas_toe_geval
    oude_status = rij["status"]
    if overgang.status != oude_status or overgang.alle(Herpland):
        _laat_vervallen(zaak, voor_status=oude_status, naar_status=overgang.status)
    rij["status"] = overgang.status
    rij["versie"] += 1
    rij["bijgewerkt"] = nu
    rij["laatste_fout"] = (
        overgang.details.get("fout") if overgang.actie == "ongeldige_invoer" else None
    )
    # The live handlers add to the transition's own details dict; so do these.
    details, audit_extra = overgang.details, {}
    for effect in overgang.effecten:
        if isinstance(effect, (Termijn, Herpland)):
            continue
        handler = HANDLERS.get(type(effect))
        if handler is None:
            raise TypeError(
                f"the bulk import has no handler for {type(effect).__name__}"
                + (": history queues no notifications" if isinstance(effect, Bericht) else "")
            )
        handler(zaak, effect, details, audit_extra, clienten, rijen)
    if overgang.sluit:
        rij["wacht_op"], rij["wacht_key"] = None, None
        _laat_vervallen(zaak)
        if not al_gesloten:
            _bij_sluiten(zaak, peildatum)
    else:
        _volgende_wacht(rij, overgang, oude_status, peildatum)
    for termijn in overgang.termijnen:
        _plan(zaak, termijn, rijen["deadline"])
    zaak.audit.append(
        rijen["auditevent"](
            actor=actor,
            actie=overgang.actie,
            zaak=rij["key"],
            details={
                "status": [oude_status, rij["status"]],
                **jsonable(details),
                **audit_extra,
            },
        )
    )


def _laat_vervallen(
    zaak: ZaakInGeheugen, voor_status: str | None = None, naar_status: str | None = None
) -> None:
    """zaak_store.ZaakTimers.laat_vervallen: the open timers of that wait, or all of them
    when the zaak closes except the contact tasks that outlive it; a timer whose rule
    applies in the next status moves with the zaak."""
    for t in zaak.timers.values():
        if t["status"] != "open":
            continue
        if voor_status is not None and t["voor_status"] != voor_status:
            continue
        if voor_status is None and t["soort"] in BLIJFT_NA_SLUITEN:
            continue
        if naar_status is not None and gaat_mee(t["soort"], voor_status, naar_status):
            t["voor_status"] = naar_status
            continue
        t["status"] = "vervallen"


def _plan(zaak: ZaakInGeheugen, termijn: Termijn, deadline) -> None:
    """engine_store.Timers.plan: once per soort, day and client. The zaak's key is new, so
    no row of that sleutel can exist outside this zaak."""
    rij = zaak.rij
    suffix = f"-{termijn.client_id}" if termijn.client_id else ""
    sleutel = f"{rij['key']}-{termijn.soort}-{termijn.datum.isoformat()}{suffix}"
    voor_status = rij["status"] if termijn.aan_wacht else None
    bestaand = zaak.timers.get(sleutel)
    if bestaand is not None:
        if bestaand["status"] == "vervallen":
            bestaand["status"], bestaand["voor_status"] = "open", voor_status
        return
    zaak.timers[sleutel] = deadline(
        sleutel=sleutel,
        zaak=rij["key"],
        soort=termijn.soort,
        client_id=termijn.client_id or None,
        datum=termijn.datum,
        voor_status=voor_status,
    )


def _volgende_wacht(rij: dict, overgang: Overgang, oude_status: str, peildatum) -> None:
    """engine_store's wait after the transition, for the zaak kind."""
    wacht = ZAAK.wacht(rij["status"])
    if wacht is None:
        rij["wacht_op"], rij["wacht_key"] = None, None
    elif overgang.nieuwe_wacht:
        rij["stap"] += 1
        rij["wacht_key"] = ZAAK.wacht_key(rij["status"], rij["stap"])
        if overgang.wacht_op:
            rij["wacht_op"] = overgang.wacht_op
        elif rij["status"] != oude_status or rij["wacht_op"] not in (
            wacht.wacht_op,
            *wacht.varianten,
        ):
            rij["wacht_op"] = wacht.wacht_op
        if rij["status"] != oude_status:
            rij["wacht_sinds"] = peildatum
    elif overgang.wacht_op:
        rij["wacht_op"] = overgang.wacht_op


def _bij_sluiten(zaak: ZaakInGeheugen, peildatum: dt.date) -> None:
    rij = zaak.rij
    rij["gesloten_op"] = peildatum
    if rij["status"] == ZaakStatus.BEEINDIGD:
        for b in zaak.beschikkingen.values():
            if b["status"] == "actief":
                b["status"], b["beeindigd_op"] = "beeindigd", min(b["eind"], peildatum)


# --- the zaak_store handlers a historical transition uses --------------------------------


def _toets(zaak, e: ToetsVastgelegd, details, audit_extra, clienten, rijen) -> None:
    zaak.rij["toets"], zaak.rij["beleidsversie"] = e.toets, e.beleidsversie


def _gewijzigd(zaak, e: Gewijzigd, details, audit_extra, clienten, rijen) -> None:
    zaak.rij.update(e.velden)


def _voorlopig(zaak, e: VoorlopigBesluit, details, audit_extra, clienten, rijen) -> None:
    zaak.rij["voorlopig_besluit"] = e.besluit or None


def _al_toegepast(zaak, e: NieuweRonde, details, audit_extra, clienten, rijen) -> None:
    """Counted before the apply, as in zaak_store.pas_toe: once per transition."""


def _besluit(zaak, e: BesluitVastgelegd, details, audit_extra, clienten, rijen) -> None:
    b = e.besluit
    zaak.besluiten.append(
        rijen["besluit"](
            zaak=zaak.rij["key"],
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
        )
    )
    audit_extra["besluit"] = jsonable(b)


def _beschikking(zaak, e: BeschikkingAfgegeven, details, audit_extra, clienten, rijen) -> None:
    b = e.beschikking
    bestaand = zaak.beschikkingen.get(b["client_id"])
    if bestaand is None:
        zaak.beschikkingen[b["client_id"]] = rijen["beschikking"](zaak=zaak.rij["key"], **b)
    else:
        bestaand.update({**b, "status": "actief", "beeindigd_op": None})
        details.setdefault("vervangen_beschikkingen", []).append(b["client_id"])
    client = clienten.get((zaak.rij["agb"], b["client_id"]))
    if client is not None and client["meerzorg_sinds"] is None:
        client["meerzorg_sinds"] = b["start"]


HANDLERS = {
    ToetsVastgelegd: _toets,
    Gewijzigd: _gewijzigd,
    VoorlopigBesluit: _voorlopig,
    NieuweRonde: _al_toegepast,
    BesluitVastgelegd: _besluit,
    BeschikkingAfgegeven: _beschikking,
}
