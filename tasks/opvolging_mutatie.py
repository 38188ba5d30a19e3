"""Group mutations on the case database (R §8). A vertrek ends a client's beschikking and,
when fewer than two clients keep one, signals reassessment at once. An instroom is a
toekenning for the newcomer: decided by a beoordelaar (four eyes where the policy asks) on
the group's toets with the newcomer. The rules are in models/mutatie.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError
from sqlmodel import Session

from models.aanvraag import Aanvraag, InvoerFout, fout_regel, parse_aanvraag
from models.aanvraag import Client as ClientIn
from models.beleid import beleid_op
from models.db.opvolging_lezen import actieve_beschikkingen, client_van
from models.db.store import medewerker_rollen, session_scope
from models.db.tables import Beschikking, Client, Zaak
from models.engine import Bericht, OngeldigeInvoer
from models.mutatie import (
    Lopend,
    bedrag_nieuwkomer,
    controleer_beslisser,
    controleer_vier_ogen,
    groep_signaal,
    groep_te_klein,
    groepsaanvraag,
    lees_instroom,
    lopend_op,
    met_bevinding,
    vier_ogen_reden,
    weigering,
    zonder_bevinding,
)
from models.overgang import (
    BESCHIKKING_ACTIEF,
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    ClientBeeindigd,
    Stand,
    ToetsVastgelegd,
)
from models.toets import Toetsresultaat, toets
from tasks.opvolging_basis import Geweigerd, zaak_of_weigering, zonder_wacht


def _lopend(rijen: list[Beschikking]) -> list[Lopend]:
    return [Lopend(b.client_id, b.eind, b.bedrag_per_jaar) for b in rijen]


def _groep_te_klein_effecten(zaak: Zaak, aantal: int, per: dt.date) -> tuple:
    """R §8: the message to operations and the GROEP_TE_KLEIN finding on the zaak's toets
    (shown with the zaak's findings on its card), in the same transaction."""
    bericht, bevinding = groep_signaal(aantal, per)
    return bericht, ToetsVastgelegd(met_bevinding(zaak.toets, bevinding), zaak.beleidsversie)


def mutatie_vertrek(key: str, client_id: str, per: dt.date, peildatum: dt.date, actor: str) -> dict:
    """A client leaves the group: its beschikking ends on `per`. Fewer than two clients with a
    beschikking running after that day (a pending vertrek of another counts as gone by its
    own date) → reassessment at once (R §8)."""
    with session_scope() as session:
        zaak = zaak_of_weigering(session, key)
        if zaak.status not in BESCHIKKING_ACTIEF:
            raise Geweigerd(f"zaak {key} has no running beschikking (status {zaak.status})")
        actief = actieve_beschikkingen(session=session, zaak=key)
        eigen = next((b for b in actief if b.client_id == client_id), None)
        if eigen is None:
            raise Geweigerd(f"client {client_id} has no running beschikking in zaak {key}")
        if per < eigen.start:
            raise Geweigerd(f"--per {per} is before the start {eigen.start} of the beschikking")
        eind = min(per, eigen.eind)
        anderen = _lopend([b for b in actief if b.client_id != client_id])
        blijvend = len(lopend_op(anderen, eind + dt.timedelta(days=1)))
        herbeoordelen = groep_te_klein(zaak.vorm, blijvend)
        effecten = [
            ClientBeeindigd(client_id, per),
            Bericht(
                "mutatie_vertrek",
                client_id=client_id,
                context={"client_id": client_id, "eind": eind.isoformat()},
            ),
        ]
        if herbeoordelen:
            effecten += _groep_te_klein_effecten(zaak, blijvend, eind)
        zonder_wacht(
            session,
            zaak,
            peildatum,
            actor,
            "mutatie_vertrek",
            effecten=tuple(effecten),
            details={
                "client_id": client_id,
                "per": per.isoformat(),
                "blijvend": blijvend,
                "herbeoordeling_groep": herbeoordelen,
            },
        )
    return {
        "zaak": key,
        "client_id": client_id,
        "eind": eind.isoformat(),
        "groep_herbeoordelen": herbeoordelen,
    }


def _nieuwkomer(client_data: dict) -> tuple[ClientIn, dict]:
    try:
        data, cijfers = lees_instroom(client_data)
        return ClientIn.model_validate(data), cijfers
    except OngeldigeInvoer as exc:
        raise Geweigerd(str(exc)) from None
    except ValidationError as exc:
        raise Geweigerd(f"invalid client: {fout_regel(exc)}") from None


def _beslisser(medewerker: str, rollen: dict[str, str]) -> str:
    try:
        return controleer_beslisser(medewerker, rollen)
    except OngeldigeInvoer as exc:
        raise Geweigerd(str(exc)) from None


def _groep_met_nieuwkomer(
    zaak: Zaak, nieuw: ClientIn, cijfers: dict, actief: list[Beschikking], per: dt.date
) -> tuple[Aanvraag, list[Lopend], dt.date]:
    """The group's aanvraag from the instroom on, the beschikkingen running then, and the
    group's end (the newcomer's beschikking runs to it at most)."""
    if nieuw.client_id in {c["client_id"] for c in zaak.aanvraag["clienten"]}:
        raise Geweigerd(f"client {nieuw.client_id} is already part of zaak {zaak.key}")
    if not actief:
        raise Geweigerd(f"zaak {zaak.key} has no running beschikking")
    groep_eind = max(b.eind for b in actief)
    start = max(per, min(b.start for b in actief))
    lopend = lopend_op(_lopend(actief), start)
    data = groepsaanvraag(
        zaak.aanvraag, nieuw.model_dump(mode="json"), lopend, start, groep_eind, cijfers
    )
    try:
        return parse_aanvraag(data), lopend, groep_eind
    except InvoerFout as exc:
        raise Geweigerd(str(exc)) from None


def _geweigerd(key: str, client_id: str, reden: str, resultaat: Toetsresultaat) -> dict:
    """A refusal on the content (exit 0, as any "not eligible" answer): nothing is written."""
    return {
        "zaak": key,
        "client_id": client_id,
        "toegevoegd": False,
        "reden": reden,
        "overschrijding_pct": resultaat.rekentool.overschrijding_pct,
        "bevindingen": [b.public() for b in resultaat.bevindingen if b.ernst == "blokkerend"],
    }


@dataclass(frozen=True, slots=True)
class _Instroom:
    """An instroom decided: what the group's toets with the newcomer gave, and who decided."""

    nieuw: ClientIn
    aanvraag: Aanvraag
    resultaat: Toetsresultaat
    bedrag: float
    groep_eind: dt.date
    peildatum: dt.date
    beoordelaar: str
    tweede_beoordelaar: str | None

    def beschikking(self) -> dict:
        termijn = self.resultaat.termijnen_per_client[self.nieuw.client_id]
        rekentool = self.resultaat.rekentool
        return {
            "client_id": self.nieuw.client_id,
            "start": termijn.start,
            "eind": min(termijn.eind, self.groep_eind),
            "bedrag_per_jaar": self.bedrag,
            "uitkomst_rekentool": rekentool.profiel or rekentool.soort,
            "beleidsversie": self.resultaat.beleidsversie,
            "besluitdatum": self.peildatum,
        }

    def public(self, key: str) -> dict:
        b = self.beschikking()
        return {
            "zaak": key,
            "client_id": self.nieuw.client_id,
            "toegevoegd": True,
            "start": b["start"].isoformat(),
            "eind": b["eind"].isoformat(),
            "bedrag_per_jaar": self.bedrag,
            "groep_bedrag_per_jaar": self.resultaat.rekentool.bedrag_per_jaar,
            "overschrijding_pct": self.resultaat.rekentool.overschrijding_pct,
            "beoordelaar": self.beoordelaar,
            "tweede_beoordelaar": self.tweede_beoordelaar,
            "bevindingen": [b.public() for b in self.resultaat.bevindingen],
        }


def _tweede(
    zaak: Zaak,
    aanvraag: Aanvraag,
    resultaat: Toetsresultaat,
    bedrag: float,
    eerste: str,
    tweede: str | None,
    rollen: dict[str, str],
    peildatum: dt.date,
) -> str | None:
    """Four eyes as for any toekenning (models/besluit.vier_ogen_nodig, via models/mutatie)."""
    stand = Stand(
        key=zaak.key,
        status=zaak.status,
        stap=zaak.stap,
        ronde=zaak.ronde,
        aanvraag=aanvraag,
        ingediend_op=zaak.ingediend_op,
        toets=resultaat.public(),
    )
    reden = vier_ogen_reden(
        stand, resultaat.rekentool.bedrag_per_jaar, bedrag, beleid_op(peildatum)
    )
    try:
        return controleer_vier_ogen(reden, eerste, tweede, rollen)
    except OngeldigeInvoer as exc:
        raise Geweigerd(str(exc)) from None


def mutatie_instroom(
    key: str,
    client_data: dict,
    per: dt.date,
    beoordelaar: str,
    *,
    tweede_beoordelaar: str | None = None,
    peildatum: dt.date | None = None,
) -> dict:
    """A client joins the group: a toekenning for the newcomer by `beoordelaar` (R §10), on
    the group's toets with the newcomer at the peildatum (default `per`). The newcomer gets
    what the group's new total adds to the running beschikkingen (models/mutatie.py)."""
    peildatum = peildatum or per
    nieuw, cijfers = _nieuwkomer(client_data)
    with session_scope() as session:
        zaak = zaak_of_weigering(session, key)
        rollen = medewerker_rollen(session=session)
        eerste = _beslisser(beoordelaar, rollen)
        if zaak.vorm != "groep" or zaak.status not in BESCHIKKING_ACTIEF:
            raise Geweigerd(f"zaak {key} is not a running group beschikking")
        aanvraag, lopend, groep_eind = _groep_met_nieuwkomer(
            zaak, nieuw, cijfers, actieve_beschikkingen(session=session, zaak=key), per
        )
        resultaat = toets(aanvraag, peildatum)
        reden = weigering(resultaat)
        bedrag = None
        if reden is None:
            bedrag, reden = bedrag_nieuwkomer(resultaat.rekentool.bedrag_per_jaar, lopend)
        if bedrag is None:
            return _geweigerd(key, nieuw.client_id, reden, resultaat)
        tweede = _tweede(
            zaak, aanvraag, resultaat, bedrag, eerste, tweede_beoordelaar, rollen, peildatum
        )
        instroom = _Instroom(
            nieuw, aanvraag, resultaat, bedrag, groep_eind, peildatum, eerste, tweede
        )
        _leg_vast(session, zaak, instroom)
    return instroom.public(key)


def _client_vastleggen(session: Session, agb: str, nieuw: ClientIn) -> None:
    """The newcomer's client row (BSN in the database only), unless the provider's client
    is known already (one row per agb and client_id)."""
    if client_van(session=session, agb=agb, client_id=nieuw.client_id) is None:
        session.add(
            Client(
                agb=agb,
                client_id=nieuw.client_id,
                bsn=nieuw.bsn,
                zorgprofiel=nieuw.zorgprofiel,
                leveringsvorm=nieuw.leveringsvorm,
                vg7_plus=nieuw.vg7_plus,
                indicatie_einddatum=nieuw.indicatie_einddatum,
            )
        )


def _leg_vast(session: Session, zaak: Zaak, instroom: _Instroom) -> None:
    """The newcomer's beschikking, the group's aanvraag and the message, in one transition
    whose audit names who decided (actor) and who confirmed (tweede_beoordelaar)."""
    _client_vastleggen(session, zaak.agb, instroom.nieuw)
    beschikking = instroom.beschikking()
    client_id = instroom.nieuw.client_id
    effecten = [
        AanvraagGewijzigd(instroom.aanvraag.model_dump(mode="json")),
        BeschikkingAfgegeven(beschikking),
        Bericht(
            "mutatie_instroom",
            client_id=client_id,
            context={
                "client_id": client_id,
                "start": beschikking["start"].isoformat(),
                "eind": beschikking["eind"].isoformat(),
            },
        ),
    ]
    hersteld = zonder_bevinding(zaak.toets, "GROEP_TE_KLEIN")
    if hersteld is not None:
        effecten.append(ToetsVastgelegd(hersteld, zaak.beleidsversie))
    rekentool = instroom.resultaat.rekentool
    zonder_wacht(
        session,
        zaak,
        instroom.peildatum,
        instroom.beoordelaar,
        "mutatie_instroom",
        effecten=tuple(effecten),
        details={
            "client_id": client_id,
            "beoordelaar": instroom.beoordelaar,
            "tweede_beoordelaar": instroom.tweede_beoordelaar,
            "bedrag_per_jaar": instroom.bedrag,
            "groep_bedrag_per_jaar": rekentool.bedrag_per_jaar,
            "overschrijding_pct": rekentool.overschrijding_pct,
            "beleidsversie": instroom.resultaat.beleidsversie,
        },
    )
