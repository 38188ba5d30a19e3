"""What the figures on meerzorg at home read (models/thuiscijfers.py, N 2025): the zaken at
home and their besluiten as plain facts, and which of them asked while a client held running
meerzorg of the same provider (a verhoging). Each function takes the caller's session."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, and_, select

from models.db.tables import Beschikking, Besluit, Zaak
from models.thuiscijfers import ThuisBesluit, ThuisZaak

IN_LIJST = 500


def thuisbesluiten_feiten(*, session: Session) -> list[ThuisBesluit]:
    """Every besluit of a zaak at home, of any date: which one is the final outcome is the
    rule's (models/thuiscijfers.eindoordelen)."""
    rijen = session.exec(
        select(
            Besluit.zaak,
            Besluit.ronde,
            Besluit.datum,
            Besluit.id,
            Besluit.uitkomst,
            Besluit.coulant,
        )
        .join(Zaak, Zaak.key == Besluit.zaak)
        .where(Zaak.thuis)
    ).all()
    return [ThuisBesluit(z, r, d, i or 0, u, bool(c)) for z, r, d, i, u, c in rijen]


def thuiszaken_feiten(
    *, session: Session, keys: set[str], van: dt.date, tot: dt.date
) -> list[ThuisZaak]:
    """The zaken at home received in the period, and those of `keys` (their final outcome
    falls in it), each with whether it asked while its client held running meerzorg."""
    zaken = list(
        session.exec(
            select(
                Zaak.key, Zaak.agb, Zaak.leveringsvorm, Zaak.soort, Zaak.ingediend_op, Zaak.aanvraag
            ).where(Zaak.thuis, Zaak.ingediend_op >= van, Zaak.ingediend_op <= tot)
        )
    )
    bekend = {z[0] for z in zaken}
    rest = sorted(keys - bekend)
    for i in range(0, len(rest), IN_LIJST):
        zaken += session.exec(
            select(
                Zaak.key, Zaak.agb, Zaak.leveringsvorm, Zaak.soort, Zaak.ingediend_op, Zaak.aanvraag
            ).where(Zaak.key.in_(rest[i : i + IN_LIJST]))
        ).all()
    lopend = _lopend_bij_ontvangst(session, zaken)
    return [
        ThuisZaak(key, vorm, soort, ontvangen, key in lopend)
        for key, _, vorm, soort, ontvangen, _ in zaken
    ]


def _lopend_bij_ontvangst(session: Session, zaken: list) -> set[str]:
    """The zaken one of whose clients held a beschikking of another zaak of the same provider
    that ran on the day the aanvraag was received."""
    clienten: dict[tuple, list[tuple[str, dt.date]]] = {}
    for key, agb, _, _, ontvangen, aanvraag in zaken:
        for c in (aanvraag or {}).get("clienten", []):
            clienten.setdefault((agb, c.get("client_id")), []).append((key, ontvangen))
    ids = sorted({cid for _, cid in clienten if cid})
    uit: set[str] = set()
    for i in range(0, len(ids), IN_LIJST):
        for agb, cid, zaak, start, eind, beeindigd in session.exec(
            select(
                Zaak.agb,
                Beschikking.client_id,
                Beschikking.zaak,
                Beschikking.start,
                Beschikking.eind,
                Beschikking.beeindigd_op,
            )
            .join(Zaak, and_(Zaak.key == Beschikking.zaak))
            .where(Beschikking.client_id.in_(ids[i : i + IN_LIJST]))
        ):
            laatste = min(eind, beeindigd) if beeindigd else eind
            for key, ontvangen in clienten.get((agb, cid), []):
                if zaak != key and start <= ontvangen <= laatste:
                    uit.add(key)
    return uit
