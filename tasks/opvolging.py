"""Follow-up of granted meerzorg on the case database: the CCE ontwikkeltraject rule,
group mutations, periodic contacts at home, signals, and the thuis figures."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from models import compliance
from models.aanvraag import Client as ClientIn
from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.db.store import lees_zaak, ontwikkeltrajecten_van, session_scope
from models.db.tables import Beschikking, Besluit, Client, Zaak
from models.db.zaak_store import pas_toe
from models.engine import Bericht, OngeldigeInvoer
from models.opvolging_regels import valideer_ontwikkeltraject
from models.overgang import (
    BESCHIKKING_ACTIEF,
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    ClientBeeindigd,
    ContactVastgelegd,
    OntwikkeltrajectVastgelegd,
    ZaakOvergang,
)
from models.toets import toets


class Geweigerd(ValueError):
    """The request is well-formed but cannot be applied to this zaak (exit 2, one line)."""


def _zaak(session: Session, key: str, lock: bool = True) -> Zaak:
    zaak = lees_zaak(session=session, key=key, lock=lock)
    if zaak is None:
        raise Geweigerd(f"zaak {key} does not exist")
    return zaak


def _zonder_wacht(
    session: Session,
    zaak: Zaak,
    peildatum: dt.date,
    actor: str,
    actie: str,
    effecten: tuple = (),
    details: dict | None = None,
) -> None:
    """A transition on a running zaak that keeps its wait: audit, outbox and data only."""
    pas_toe(
        session=session,
        zaak=zaak,
        peildatum=peildatum,
        actor=actor,
        overgang=ZaakOvergang(
            status=zaak.status,
            actie=actie,
            nieuwe_wacht=False,
            effecten=effecten,
            details=details or {},
        ),
    )


def cce_per_client(session: Session, zaak: Zaak, peildatum: dt.date) -> list[dict]:
    """CCE status of every client with an active beschikking in this zaak."""
    beleid = beleid_op(peildatum)
    out = []
    for b in session.exec(
        select(Beschikking).where(Beschikking.zaak == zaak.key, Beschikking.status == "actief")
    ):
        client = session.exec(
            select(Client).where(Client.agb == zaak.agb, Client.client_id == b.client_id)
        ).first()
        aanvraag_client = next(
            (c for c in zaak.aanvraag.get("clienten", []) if c["client_id"] == b.client_id), None
        )
        trajecten = ontwikkeltrajecten_van(
            session=session, agb=zaak.agb, client_id=b.client_id, aanvraag_client=aanvraag_client
        )
        sinds = (client.meerzorg_sinds if client else None) or b.start
        status, uiterlijk = compliance.status(trajecten, sinds, peildatum, beleid)
        out.append(
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
        zaken = session.exec(
            select(Zaak).where(Zaak.status.in_(tuple(BESCHIKKING_ACTIEF))).order_by(Zaak.key)
        ).all()
        return [row for zaak in zaken for row in cce_per_client(session, zaak, peildatum)]


def registreer_ontwikkeltraject(
    key: str, client_id: str, bijeenkomst_1, bijeenkomst_2, peildatum: dt.date, actor: str
) -> dict:
    with session_scope() as session:
        zaak = _zaak(session, key)
        clienten = {c["client_id"] for c in zaak.aanvraag.get("clienten", [])}
        try:
            traject = valideer_ontwikkeltraject(client_id, bijeenkomst_1, bijeenkomst_2, clienten)
        except OngeldigeInvoer as exc:
            raise Geweigerd(str(exc)) from None
        _zonder_wacht(
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


def registreer_contact(key: str, client_id: str, datum: dt.date, verslag: str, actor: str) -> dict:
    with session_scope() as session:
        zaak = _zaak(session, key)
        if not zaak.thuis:
            raise Geweigerd(f"zaak {key} is not meerzorg at home (mpt/pgb): no periodic contact")
        if client_id not in {c["client_id"] for c in zaak.aanvraag.get("clienten", [])}:
            raise Geweigerd(f"client {client_id} is not part of zaak {key}")
        _zonder_wacht(
            session,
            zaak,
            datum,
            actor,
            "periodiek_contact_geregistreerd",
            effecten=(
                ContactVastgelegd(
                    {"client_id": client_id, "datum": datum, "verslag": verslag[:4000]}
                ),
            ),
            details={"client_id": client_id, "datum": datum.isoformat()},
        )
    return {"zaak": key, "client_id": client_id, "datum": datum.isoformat()}


def signaal_geen_passende_zorg(key: str, toelichting: str, peildatum: dt.date, actor: str) -> dict:
    if not toelichting.strip():
        raise Geweigerd("--toelichting must say why no fitting care can be arranged")
    with session_scope() as session:
        zaak = _zaak(session, key)
        _zonder_wacht(
            session,
            zaak,
            peildatum,
            actor,
            "signaal_geen_passende_zorg",
            effecten=(Bericht("geen_passende_zorg", kanaal="operations"),),
            details={"toelichting": toelichting[:2000]},
        )
    return {"zaak": key, "signaal": "geen_passende_zorg"}


def mutatie_vertrek(key: str, client_id: str, per: dt.date, peildatum: dt.date, actor: str) -> dict:
    """A client leaves the group: its beschikking ends on `per`; below two → reassessment."""
    with session_scope() as session:
        zaak = _zaak(session, key)
        if zaak.status not in BESCHIKKING_ACTIEF:
            raise Geweigerd(f"zaak {key} has no running beschikking (status {zaak.status})")
        actief = session.exec(
            select(Beschikking).where(Beschikking.zaak == key, Beschikking.status == "actief")
        ).all()
        eigen = next((b for b in actief if b.client_id == client_id), None)
        if eigen is None:
            raise Geweigerd(f"client {client_id} has no running beschikking in zaak {key}")
        if per < eigen.start:
            raise Geweigerd(f"--per {per} is before the start {eigen.start} of the beschikking")
        blijvend = len(actief) - 1
        berichten = [
            Bericht(
                "mutatie_vertrek",
                client_id=client_id,
                context={"client_id": client_id, "eind": min(per, eigen.eind).isoformat()},
            )
        ]
        if zaak.vorm == "groep" and blijvend < 2:
            berichten.append(
                Bericht("groep_te_klein", kanaal="operations", context={"aantal": blijvend})
            )
        _zonder_wacht(
            session,
            zaak,
            peildatum,
            actor,
            "mutatie_vertrek",
            effecten=(ClientBeeindigd(client_id, per), *berichten),
            details={
                "client_id": client_id,
                "per": per.isoformat(),
                "herbeoordeling_groep": zaak.vorm == "groep" and blijvend < 2,
            },
        )
    return {
        "zaak": key,
        "client_id": client_id,
        "eind": min(per, eigen.eind).isoformat(),
        "groep_herbeoordelen": zaak.vorm == "groep" and blijvend < 2,
    }


def mutatie_instroom(key: str, client_data: dict, per: dt.date, actor: str) -> dict:
    """Long because each refusal is spelled out with its reason. A client joins the group: toets for the newcomer, then an own beschikking to the group's end."""
    try:
        nieuw = ClientIn.model_validate(client_data)
    except ValueError as exc:
        from models.aanvraag import fout_regel

        raise Geweigerd(f"invalid client: {fout_regel(exc)}") from None
    with session_scope() as session:
        zaak = _zaak(session, key)
        if zaak.vorm != "groep" or zaak.status not in BESCHIKKING_ACTIEF:
            raise Geweigerd(f"zaak {key} is not a running group beschikking")
        if nieuw.client_id in {c["client_id"] for c in zaak.aanvraag["clienten"]}:
            raise Geweigerd(f"client {nieuw.client_id} is already part of zaak {key}")
        groep = session.exec(
            select(Beschikking).where(Beschikking.zaak == key, Beschikking.status == "actief")
        ).all()
        if not groep:
            raise Geweigerd(f"zaak {key} has no running beschikking")
        data = dict(zaak.aanvraag)
        data["clienten"] = [*data["clienten"], nieuw.model_dump(mode="json")]
        data["gevraagde_start"] = max(per, min(b.start for b in groep)).isoformat()
        data["gevraagde_eind"] = max(b.eind for b in groep).isoformat()
        aanvraag = parse_aanvraag(data)
        resultaat = toets(aanvraag, per)
        eigen = [b.public() for b in resultaat.bevindingen if nieuw.client_id in b.toelichting]
        if any(b["ernst"] == "blokkerend" for b in eigen):
            return {
                "zaak": key,
                "client_id": nieuw.client_id,
                "toegevoegd": False,
                "bevindingen": eigen,
            }
        termijn = resultaat.termijnen_per_client[nieuw.client_id]
        eind = min(termijn.eind, max(b.eind for b in groep))
        session.add(
            Client(
                agb=zaak.agb,
                client_id=nieuw.client_id,
                bsn=nieuw.bsn,
                zorgprofiel=nieuw.zorgprofiel,
                leveringsvorm=nieuw.leveringsvorm,
                vg7_plus=nieuw.vg7_plus,
                indicatie_einddatum=nieuw.indicatie_einddatum,
                meerzorg_sinds=termijn.start,
            )
        )
        beschikking = {
            "client_id": nieuw.client_id,
            "start": termijn.start,
            "eind": eind,
            "bedrag_per_jaar": groep[0].bedrag_per_jaar,
            "uitkomst_rekentool": groep[0].uitkomst_rekentool,
            "beleidsversie": resultaat.beleidsversie,
            "besluitdatum": per,
        }
        _zonder_wacht(
            session,
            zaak,
            per,
            actor,
            "mutatie_instroom",
            effecten=(
                AanvraagGewijzigd(aanvraag.model_dump(mode="json")),
                BeschikkingAfgegeven(beschikking),
                Bericht(
                    "mutatie_instroom",
                    client_id=nieuw.client_id,
                    context={
                        "client_id": nieuw.client_id,
                        "start": termijn.start.isoformat(),
                        "eind": eind.isoformat(),
                    },
                ),
            ),
            details={"client_id": nieuw.client_id},
        )
    return {
        "zaak": key,
        "client_id": nieuw.client_id,
        "toegevoegd": True,
        "start": termijn.start.isoformat(),
        "eind": eind.isoformat(),
        "bevindingen": eigen,
    }


def thuiscijfers(van: dt.date, tot: dt.date) -> dict:
    """N 2025: aanvragen, toekenningen and afwijzingen of meerzorg at home in a period."""
    with session_scope() as session:
        zaken = session.exec(
            select(Zaak).where(Zaak.thuis, Zaak.ingediend_op >= van, Zaak.ingediend_op <= tot)
        ).all()
        besluiten = session.exec(
            select(Besluit, Zaak)
            .join(Zaak, Zaak.key == Besluit.zaak)
            .where(Zaak.thuis, Besluit.datum >= van, Besluit.datum <= tot)
        ).all()
    tel = {
        u: sum(1 for b, _ in besluiten if b.uitkomst == u)
        for u in ("toekennen", "bijstellen", "afwijzen")
    }
    return {
        "van": van.isoformat(),
        "tot": tot.isoformat(),
        "aanvragen": len(zaken),
        "verlengingen": sum(1 for z in zaken if z.soort == "verlenging"),
        "toekenningen": tel["toekennen"],
        "bijstellingen": tel["bijstellen"],
        "afwijzingen": tel["afwijzen"],
        "coulant_beoordeeld": sum(1 for b, _ in besluiten if b.coulant),
    }


def goede_voorbeelden() -> list[dict]:
    with session_scope() as session:
        zaken = session.exec(select(Zaak).where(Zaak.goed_voorbeeld).order_by(Zaak.key)).all()
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
