"""Group mutations on the case database (R §8). A vertrek ends a client's beschikking by a
besluit (a beëindiging) and, when fewer than two clients keep one, signals reassessment at
once. An instroom is a toekenning for the newcomer: decided by a beoordelaar (four eyes
where the policy asks) on the group's toets with the newcomer. Each is a Besluit row of its
own with its letters (issue 25). The rules, and the Overgang each applies, are in
models/mutatie_vertrek.py and models/mutatie_instroom.py (what both share:
models/mutatie.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from sqlmodel import Session

from models.aanvraag import Aanvraag, InvoerFout, fout_regel, parse_aanvraag
from models.aanvraag import Client as ClientIn
from models.beleid import beleid_op
from models.db.opvolging_lezen import actieve_beschikkingen, client_van
from models.db.store import medewerker_rollen, session_scope, stand_van
from models.db.tables import Beschikking, Client, Zaak
from models.db.zaak_lezen import laatste_besluit
from models.db.zaak_store import pas_toe
from models.engine import OngeldigeInvoer
from models.mutatie import Lopend, lopend_op
from models.mutatie_instroom import (
    Instroom,
    bedrag_nieuwkomer,
    controleer_beslisser,
    controleer_vier_ogen,
    groepsaanvraag,
    lees_instroom,
    vier_ogen_reden,
    weigering,
)
from models.mutatie_vertrek import vertrek
from models.overgang import BESCHIKKING_ACTIEF, Stand
from models.toets import Toetsresultaat, toets
from tasks.opvolging_basis import Geweigerd, zaak_of_weigering


def _lopend(rijen: list[Beschikking]) -> list[Lopend]:
    return [Lopend(b.client_id, b.eind, b.bedrag_per_jaar, b.start) for b in rijen]


def _besluit_id(session: Session, key: str) -> int | None:
    """The id of the besluit the transition just took (the zaak's last)."""
    besluit = laatste_besluit(session=session, zaak=key)
    return besluit.id if besluit is not None else None


def mutatie_vertrek(key: str, client_id: str, per: dt.date, peildatum: dt.date, actor: str) -> dict:
    """A client leaves the group: its beschikking ends on `per`, by a besluit (a beëindiging,
    decided by `actor`) with a letter to the client's parties and the provider. Fewer than
    two clients with a beschikking running after that day → reassessment at once (R §8).
    The rules: models/mutatie_vertrek.vertrek."""
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
        overgang = vertrek(
            stand_van(zaak),
            _lopend([eigen])[0],
            per,
            _lopend([b for b in actief if b.client_id != client_id]),
            actor,
            peildatum,
            zaak.beleidsversie,
        )
        pas_toe(session=session, zaak=zaak, peildatum=peildatum, actor=actor, overgang=overgang)
        besluit_id = _besluit_id(session, key)
    return {
        "zaak": key,
        "client_id": client_id,
        "eind": overgang.details["eind"],
        "groep_herbeoordelen": overgang.details["herbeoordeling_groep"],
        "besluit": besluit_id,
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


def _tweede(
    zaak: Zaak,
    aanvraag: Aanvraag,
    resultaat: Toetsresultaat,
    bedrag: float,
    eerste: str,
    tweede: str | None,
    rollen: dict[str, str],
    peildatum: dt.date,
) -> tuple[str | None, str | None]:
    """Four eyes as for any toekenning (models/besluit.vier_ogen_nodig, via
    models/mutatie_instroom): the second beoordelaar and why one was needed."""
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
        return controleer_vier_ogen(reden, eerste, tweede, rollen), reden
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
    what the group's new total adds to the running beschikkingen (models/mutatie_instroom.py)."""
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
        tweede, vier_ogen = _tweede(
            zaak, aanvraag, resultaat, bedrag, eerste, tweede_beoordelaar, rollen, peildatum
        )
        instroom = Instroom(
            nieuw,
            aanvraag,
            resultaat,
            bedrag,
            groep_eind,
            peildatum,
            eerste,
            tweede,
            lopend=tuple(lopend),
            vier_ogen=vier_ogen,
        )
        _client_vastleggen(session, zaak.agb, nieuw)
        pas_toe(
            session=session,
            zaak=zaak,
            peildatum=peildatum,
            actor=eerste,
            overgang=instroom.overgang(stand_van(zaak), zaak.beleidsversie),
        )
        besluit_id = _besluit_id(session, key)
    return {**instroom.public(key), "besluit": besluit_id}


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
