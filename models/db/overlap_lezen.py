"""What the overlap check of the toets reads (models/toetsstappen.py: check_overlap): the
running meerzorg beschikkingen of the aanvraag's clients in other zaken, at any provider,
found by BSN. A beschikking knows its zaak and the provider's client id; the provider's
Client row (agb, client_id) holds the BSN. Takes the caller's session, so the zaak's toets
reads in the transaction of its transition (tasks/zaak.py)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, and_, select

from models.db.tables import Beschikking, Client, Zaak
from models.db.zaak_lezen import bsn_in_aanvraag
from models.toetsstappen import MeerzorgElders


def meerzorg_elders(
    *, session: Session, zaak: str, bsns: Iterable[str], vorige_zaak: str | None = None
) -> dict[str, tuple[MeerzorgElders, ...]]:
    """Per BSN (every one asked is a key, also with nothing found) the active beschikkingen of
    that client in any zaak but `zaak` itself, by start. The one in `vorige_zaak` (the zaak a
    verlenging continues) is marked `voortgezet`: the rule lets the verlenging touch its end,
    not overlap it. The BSN stays here and in the pure check: the findings name zaak keys."""
    gevraagd = sorted(set(bsns))
    uit: dict[str, list[MeerzorgElders]] = {bsn: [] for bsn in gevraagd}
    if not gevraagd:
        return {}
    rijen = session.exec(
        select(
            Client.bsn,
            Beschikking.zaak,
            Beschikking.start,
            Beschikking.eind,
            Beschikking.client_id,
            Zaak.agb,
            Zaak.aanvraag,
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
            Client.bsn.in_(gevraagd),
            Beschikking.status == "actief",
            Beschikking.zaak != zaak,
        )
        .order_by(Beschikking.start, Beschikking.zaak, Beschikking.id)
    ).all()
    for bsn, andere, start, eind, client_id, agb, aanvraag in rijen:
        # Without a provider the client id is no one's key: another budgethouder's client
        # with the same id has a row of her own (models/db/store.registreer_zaak), which the
        # join also finds; the beschikking is hers only if her zaak's aanvraag names her BSN.
        if agb is None and bsn_in_aanvraag(aanvraag, client_id) != bsn:
            continue
        uit[bsn].append(
            MeerzorgElders(
                zaak=andere,
                start=start,
                eind=eind,
                voortgezet=vorige_zaak is not None and andere == vorige_zaak,
            )
        )
    return {bsn: tuple(gevonden) for bsn, gevonden in uit.items()}
