"""Follow-up of granted meerzorg on the case database: the CCE ontwikkeltraject rule,
group mutations, periodic contacts at home, signals, and the thuis figures."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from models import compliance
from models import thuiscijfers as thuisregels
from models.beleid import beleid_op
from models.contact import BEVINDINGEN, contact_vastgelegd, opvolg_taken, valideer_contact
from models.db.opvolging_lezen import (
    actieve_beschikkingen_van,
    afgewezen_thuisverlengingen,
    cce_clienten,
    cce_trajecten,
    goede_voorbeeld_zaken,
    lopende_zaken,
    thuiscontacten,
    thuistransities,
)
from models.db.persoon import client_sleutel, historie_elders
from models.db.store import medewerker_rollen, session_scope, trajecten_samen
from models.db.tables import AuditEvent, Zaak
from models.db.thuiscijfers_lezen import thuisbesluiten_feiten, thuiszaken_feiten
from models.db.zaak_lezen import bsn_in_aanvraag
from models.db.zaak_store import pas_toe
from models.engine import Bericht, OngeldigeInvoer
from models.opvolging_regels import valideer_ontwikkeltraject
from models.overgang import BESCHIKKING_ACTIEF, OntwikkeltrajectVastgelegd
from tasks.opvolging_basis import Geweigerd as Geweigerd
from tasks.opvolging_basis import zaak_of_weigering, zonder_wacht
from tasks.opvolging_mutatie import mutatie_instroom as mutatie_instroom
from tasks.opvolging_mutatie import mutatie_vertrek as mutatie_vertrek


def cce_per_client(session: Session, zaak: Zaak, peildatum: dt.date) -> list[dict]:
    """CCE status of every client with an active beschikking in this zaak."""
    return cce_per_zaak(session, [zaak], peildatum).get(zaak.key, [])


def cce_per_zaak(session: Session, zaken: list[Zaak], peildatum: dt.date) -> dict[str, list]:
    """CCE status per client with an active beschikking, for many zaken in a few queries (the
    werkvoorraad and the compliance list read every running zaak: three queries per zaak
    grew with their number, benchmarks/bench_werkvoorraad.py)."""
    if not zaken:
        return {}
    beleid = beleid_op(peildatum)
    per_key = {z.key: z for z in zaken}
    beschikkingen = actieve_beschikkingen_van(session=session, zaken=sorted(per_key))
    # Only the clients with an active beschikking here.
    ids = sorted({b.client_id for b in beschikkingen})
    clienten = {
        client_sleutel(c.agb, c.client_id, c.bsn): c
        for c in cce_clienten(session=session, client_ids=ids)
    }

    def sleutel_van(b) -> tuple:  # the client row of the beschikking, by its zaak's aanvraag
        zaak = per_key[b.zaak]
        return client_sleutel(zaak.agb, b.client_id, bsn_in_aanvraag(zaak.aanvraag, b.client_id))

    trajecten: dict[tuple[str, str], list] = {}
    for t in cce_trajecten(session=session, client_ids=ids):
        trajecten.setdefault((t.agb, t.client_id), []).append(t)
    # R §10 is per client: her history under other providers, by her persoon (DOMAIN.md §10).
    elders = historie_elders(
        session=session,
        clienten=sorted({sleutel_van(b) for b in beschikkingen}, key=str),
    )
    out: dict[str, list] = {}
    for b in sorted(beschikkingen, key=lambda b: b.id or 0):
        zaak = per_key[b.zaak]
        aanvraag_client = next(
            (c for c in zaak.aanvraag.get("clienten", []) if c["client_id"] == b.client_id), None
        )
        rijen = trajecten.get((zaak.agb, b.client_id), [])
        sleutel = sleutel_van(b)
        client = clienten.get(sleutel)
        sinds, alle = compliance.over_aanbieders(
            (client.meerzorg_sinds if client else None) or b.start,
            trajecten_samen(rijen, aanvraag_client),
            elders.get(sleutel, []),
        )
        status, uiterlijk = compliance.status(alle, sinds, peildatum, beleid)
        out.setdefault(zaak.key, []).append(
            {
                "zaak": zaak.key,
                "client_id": b.client_id,
                "status": status,
                "uiterlijk": uiterlijk.isoformat(),
            }
        )
    return out


def cce_tag(session: Session, zaak: Zaak, peildatum: dt.date) -> str | None:
    """The worst CCE status of a running zaak, for its run tag (`cce:risico`)."""
    if zaak.status not in BESCHIKKING_ACTIEF:
        return None
    statussen = {c["status"] for c in cce_per_client(session, zaak, peildatum)}
    for status in ("overtreding", "risico", "ok"):
        if status in statussen:
            return status
    return None


def compliance_lijst(peildatum: dt.date) -> list[dict]:
    with session_scope() as session:
        zaken = lopende_zaken(session=session)
        per_zaak = cce_per_zaak(session, list(zaken), peildatum)
        return [row for zaak in zaken for row in per_zaak.get(zaak.key, [])]


def registreer_ontwikkeltraject(
    key: str, client_id: str, bijeenkomst_1, bijeenkomst_2, peildatum: dt.date, actor: str
) -> dict:
    with session_scope() as session:
        zaak = zaak_of_weigering(session, key)
        clienten = {c["client_id"] for c in zaak.aanvraag.get("clienten", [])}
        try:
            traject = valideer_ontwikkeltraject(client_id, bijeenkomst_1, bijeenkomst_2, clienten)
        except OngeldigeInvoer as exc:
            raise Geweigerd(str(exc)) from None
        zonder_wacht(
            session,
            zaak,
            peildatum,
            actor,
            "ontwikkeltraject_geregistreerd",
            effecten=(OntwikkeltrajectVastgelegd(traject),),
            details={k: str(v) for k, v in traject.items()},
        )
        cce = [c for c in cce_per_client(session, zaak, peildatum) if c["client_id"] == client_id]
        waarschuwing = compliance.jaaroverschrijdend(traject)
    return {
        "zaak": key,
        "client_id": client_id,
        "bijeenkomst_1": traject["bijeenkomst_1"].isoformat(),
        "bijeenkomst_2": traject["bijeenkomst_2"].isoformat() if traject["bijeenkomst_2"] else None,
        "waarschuwing": "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND" if waarschuwing else None,
        "compliance": cce[0] if cce else None,
    }


def registreer_contact(
    key: str,
    client_id: str,
    datum: dt.date,
    verslag: str,
    actor: str,
    bevinding: str = "verantwoord",
    peildatum: dt.date | None = None,
) -> dict:
    """N 2025: zorgkantoor staff (a registered medewerker, not CCE) record a contact with a
    client at home and its bevinding; it closes the client's open contact tasks. Any status,
    also a zaak closed after a rejected verlenging: the contact outlives the zaak."""
    peildatum = peildatum or datum
    with session_scope() as session:
        zaak = zaak_of_weigering(session, key)
        if not zaak.thuis:
            raise Geweigerd(f"zaak {key} is not meerzorg at home (mpt/pgb): no periodic contact")
        invoer = {
            "contact_client": client_id,
            "contact_datum": datum,
            "contact_verslag": verslag,
            "contact_bevinding": bevinding,
            "ingediend_door": actor,
        }
        clienten = {c["client_id"] for c in zaak.aanvraag.get("clienten", [])}
        try:
            contact = valideer_contact(
                invoer, clienten, medewerker_rollen(session=session), peildatum
            )
        except OngeldigeInvoer as exc:
            raise Geweigerd(str(exc)) from None
        overgang = contact_vastgelegd(zaak.status, contact)
        pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=peildatum, actor=actor)
        afgehandeld = overgang.details.get("taken_afgehandeld", 0)
    return {
        "zaak": key,
        "client_id": client_id,
        "datum": contact["datum"].isoformat(),
        "bevinding": contact["bevinding"],
        "taken_afgehandeld": afgehandeld,
        "signaal": "contact_niet_verantwoord" if bevinding == "niet verantwoord" else None,
    }


def signaal_geen_passende_zorg(key: str, toelichting: str, peildatum: dt.date, actor: str) -> dict:
    if not toelichting.strip():
        raise Geweigerd("--toelichting must say why no fitting care can be arranged")
    with session_scope() as session:
        zaak = zaak_of_weigering(session, key)
        zonder_wacht(
            session,
            zaak,
            peildatum,
            actor,
            "signaal_geen_passende_zorg",
            # N 2025: an alert and a task per client for zorgkantoor staff (werkvoorraad).
            effecten=(
                Bericht("geen_passende_zorg", kanaal="operations"),
                *opvolg_taken([c["client_id"] for c in zaak.aanvraag["clienten"]], peildatum),
            ),
            # The signal's own date: the thuis figures count it in its period (N 2025).
            details={"toelichting": toelichting[:2000], "datum": peildatum.isoformat()},
        )
    return {"zaak": key, "signaal": "geen_passende_zorg"}


def _datum(event: AuditEvent) -> dt.date:
    """The date an audit event is about: its own `datum` where recorded, else when it was
    written (the two agree for everything done on the day itself)."""
    datum = (event.details or {}).get("datum")
    return dt.date.fromisoformat(datum) if isinstance(datum, str) else event.tijd.date()


def _overgang_gestart(events: list[AuditEvent], afwijzingen: list[tuple[str, dt.date]]) -> dict:
    """Per thuis zaak the first day a passende overgang started: the afwijzing of a thuis
    verlenging arranges one (N 2025, models/besluit.afwijzing), or the zaak entered the
    status passende_overgang (a VG7-plus or non-qualifying client at the end of a term)."""
    eerste: dict[str, dt.date] = {}
    for key, datum in afwijzingen:
        eerste[key] = min(datum, eerste.get(key, datum))
    for e in events:
        status = (e.details or {}).get("status")
        if (
            isinstance(status, list)
            and len(status) == 2
            and status[1] == "passende_overgang"
            and status[0] != "passende_overgang"
        ):
            datum = _datum(e)
            eerste[e.zaak] = min(datum, eerste.get(e.zaak, datum))
    return eerste


# The audit action by which a bezwaarschrift is registered (models/bezwaar.py).
BEZWAAR_ACTIES = ("bezwaar_ontvangen",)


def thuiscijfers(van: dt.date, tot: dt.date) -> dict:
    """N 2025 (collect figures) for meerzorg at home in a period: aanvragen (by receipt)
    and each aanvraag once by its final outcome (toekenning, coulant separately, bijstelling,
    afwijzing, buiten behandeling; in the period of that besluit), split mpt/pgb and
    nieuw/verlenging/verhoging (models/thuiscijfers.py); the bezwaren received, the signals
    that no fitting care is possible, the passende overgangen started, and the zorgkantoor's
    contacts with clients at home by bevinding."""
    with session_scope() as session:
        besluiten = thuisbesluiten_feiten(session=session)
        beslist = {
            b.zaak for b in thuisregels.eindoordelen(besluiten).values() if van <= b.datum <= tot
        }
        zaken = thuiszaken_feiten(session=session, keys=beslist, van=van, tot=tot)
        afwijzingen = afgewezen_thuisverlengingen(session=session)
        # Every transition of a thuis zaak (not the reads): the signals and status changes.
        events = thuistransities(session=session)
        gestart = _overgang_gestart(events, afwijzingen)
        in_periode = [e for e in events if van <= _datum(e) <= tot]
        contacten = thuiscontacten(session=session, van=van, tot=tot)
    geteld = thuisregels.tel(zaken, besluiten, van, tot)
    per_soort = geteld["per_soort"]
    return {
        "van": van.isoformat(),
        "tot": tot.isoformat(),
        **geteld,
        "nieuwe_aanvragen": per_soort["nieuw"]["aanvragen"],
        "verlengingen": per_soort["verlenging"]["aanvragen"],
        "verhogingen": per_soort["verhoging"]["aanvragen"],
        "bezwaren": sum(1 for e in in_periode if e.actie in BEZWAAR_ACTIES),
        "signalen_geen_passende_zorg": sum(
            1 for e in in_periode if e.actie == "signaal_geen_passende_zorg"
        ),
        "passende_overgangen_gestart": sum(1 for d in gestart.values() if van <= d <= tot),
        "contacten": len(contacten),
        "contacten_per_bevinding": {
            bevinding: sum(1 for c in contacten if c == bevinding) for bevinding in BEVINDINGEN
        },
    }


def goede_voorbeelden() -> list[dict]:
    with session_scope() as session:
        zaken = goede_voorbeeld_zaken(session=session)
        return [
            {
                "zaak": z.key,
                "agb": z.agb,
                "soort": z.soort,
                "leveringsvorm": z.leveringsvorm,
                "evaluatie": (z.evaluatie or {}).get("toelichting"),
            }
            for z in zaken
        ]
