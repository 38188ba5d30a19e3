"""What the assessor needs beside the zaak row (issue 12 item 5), read from the database
once for the case card (models/db/kaart.py) and `meerzorg zaak` (deployments/operations.py):
the aanvraag's content, the toets's advice, the coulante maatwerkbeoordeling, the spiegel of
comparable beschikkingen and, for a verlenging, the previous period. JSON-ready, no BSN."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, and_, select

from models.beleid import Beleid, BeleidsFout, beleid_op, beleid_versie
from models.besluit import coulant
from models.db.store import stand_van
from models.db.tables import Beschikking, Besluit, Client, Zaak
from models.db.zaak_lezen import bsn_in_aanvraag
from models.spiegel import Vergelijkbare, spiegel
from models.zaakinhoud import aanvraag_inhoud, advies_van, zonder_bsn


def beleid_van(zaak: Zaak) -> Beleid | None:
    """The policy the toets applied (its version on the zaak), else the one in force when the
    aanvraag came in; None for a date before any policy."""
    try:
        if zaak.beleidsversie:
            return beleid_versie(zaak.beleidsversie)
        return beleid_op(zaak.ingediend_op)
    except BeleidsFout:
        return None


def spiegel_van(session: Session, zaak: Zaak) -> dict:
    """The spiegel figure (models/spiegel.py) over every other zaak's beschikkingen.

    aanname: a beschikking's zorgprofiel and leveringsvorm are its client's as registered
    (models/db/store.registreer_zaak updates them at every aanvraag); the Beschikking row
    does not carry them itself."""
    clienten = zaak.aanvraag.get("clienten", [])
    paren = [(c["zorgprofiel"], c["leveringsvorm"]) for c in clienten]
    rijen = session.exec(
        select(
            Client.zorgprofiel,
            Client.leveringsvorm,
            Beschikking.bedrag_per_jaar,
            Zaak.agb,
            Beschikking.zaak,
            Beschikking.client_id,
            Client.bsn,
        )
        .join(Zaak, Zaak.key == Beschikking.zaak)
        # IS NOT DISTINCT FROM: a zaak without provider (agb NULL) finds its own client row.
        .join(
            Client,
            and_(
                Client.agb.is_not_distinct_from(Zaak.agb),
                Client.client_id == Beschikking.client_id,
            ),
        )
        .where(
            Beschikking.zaak != zaak.key,
            Client.zorgprofiel.in_({p for p, _ in paren}),
            Client.leveringsvorm.in_({v for _, v in paren}),
        )
    ).all()
    # Without a provider the client id is no one's key: another budgethouder's client with
    # the same id has a row of her own (models/db/store.registreer_zaak), which the join also
    # finds; the beschikking counts once, with the row of the BSN its zaak's aanvraag names.
    zonder = sorted({r.zaak for r in rijen if r.agb is None})
    aanvragen = {
        key: aanvraag
        for deel in (zonder[i : i + 500] for i in range(0, len(zonder), 500))
        for key, aanvraag in session.exec(select(Zaak.key, Zaak.aanvraag).where(Zaak.key.in_(deel)))
    }
    uitkomst = spiegel(
        (
            Vergelijkbare(*r[:3])
            for r in rijen
            if r.agb is not None or bsn_in_aanvraag(aanvragen[r.zaak], r.client_id) == r.bsn
        ),
        paren,
    )
    rekentool = (zaak.toets or {}).get("uitkomst_rekentool") or {}
    uitkomst["aanvraag_bedrag_per_client_per_jaar"] = rekentool.get("bedrag_per_client_per_jaar")
    return uitkomst


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def perspectief_van(besluit: Besluit | None) -> dict | None:
    """The perspectief recorded at toekenning (issue 12 item 4: expected afbouw, when to
    evaluate): {verwachting, evaluatie_op}. A besluit from before it was recorded has none."""
    if besluit is None:
        return None
    p = (besluit.beoordeling or {}).get("perspectief")
    if not isinstance(p, dict):
        return None
    return {
        "verwachting": zonder_bsn(p.get("verwachting")) or None,
        "evalueren_op": _iso(p.get("evalueren_op")),
    }


def _toekenning(session: Session, key: str) -> Besluit | None:
    return session.exec(
        select(Besluit)
        .where(Besluit.zaak == key, Besluit.uitkomst == "toekennen")
        .order_by(Besluit.id.desc())
    ).first()


def vorige_periode_van(session: Session, zaak: Zaak) -> dict | None:
    """For a verlenging, the previous period beside this aanvraag (PDCA, R §10-11): its
    doelen, the besluit's perspectief and term, the provider's evaluation (Zaak.evaluatie,
    written at herbeoordeling: models/opvolging_regels.na_evaluatie), and this aanvraag's
    `evaluatie_vorige_periode`. None for an aanvraag that continues nothing."""
    key = zaak.vorige_zaak or zaak.aanvraag.get("vorige_zaak")
    if zaak.soort != "verlenging" and not key:
        return None
    vorige = session.get(Zaak, key) if key else None
    out = {
        "zaak": key,
        "gevonden": vorige is not None,
        "doelen": [],
        "perspectief": None,
        "besluit": None,
        "evaluatie": None,
        "evaluatie_vorige_periode": zonder_bsn(zaak.aanvraag.get("evaluatie_vorige_periode"))
        or None,
    }
    if vorige is None:
        return out
    besluit = _toekenning(session, vorige.key)
    evaluatie = vorige.evaluatie or None
    out.update(
        doelen=[zonder_bsn(d) for d in vorige.aanvraag.get("doelen") or []],
        perspectief=perspectief_van(besluit),
        besluit=None
        if besluit is None
        else {
            "datum": _iso(besluit.datum),
            "start": _iso(besluit.start),
            "eind": _iso(besluit.eind),
            "bedrag_per_jaar": besluit.bedrag_per_jaar,
        },
        evaluatie=None
        if evaluatie is None
        else {
            "doelen_behaald": evaluatie.get("doelen_behaald"),
            "toelichting": zonder_bsn(evaluatie.get("toelichting")) or None,
            "datum": evaluatie.get("datum"),
        },
    )
    return out


def is_coulant(zaak: Zaak, beleid: Beleid | None) -> bool:
    """N 2025: a thuis verlenging gets the coulante maatwerkbeoordeling (models/besluit.coulant)."""
    return beleid is not None and coulant(stand_van(zaak), beleid)


def zaak_feiten(session: Session, zaak: Zaak) -> dict:
    """Everything above as one JSON-ready dict (the extra fields of `meerzorg zaak`)."""
    beleid = beleid_van(zaak)
    return {
        "aanvraag_inhoud": aanvraag_inhoud(zaak.aanvraag, beleid),
        **advies_van(zaak.toets),
        "drempel": beleid.drempel if beleid else None,
        "coulant": is_coulant(zaak, beleid),
        "perspectief": perspectief_van(_toekenning(session, zaak.key)),
        "spiegel": spiegel_van(session, zaak),
        "vorige_periode": vorige_periode_van(session, zaak),
    }
