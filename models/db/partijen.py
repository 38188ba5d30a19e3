"""The parties of a zaak changed after the aanvraag (issue 25): a client's correspondentie,
vertegenwoordiger or budgethouder, written into the zaak's stored aanvraag (where the
letters of its next besluiten read them) with the zaak row locked, and audited by which
fields changed (never their values: names and addresses stay in the case database)."""

from __future__ import annotations

import copy

from sqlmodel import Session

from models.aanvraag import InvoerFout, parse_aanvraag
from models.db.engine_store import audit
from models.db.store import lees_zaak

VELDEN = ("correspondentie", "vertegenwoordiger", "budgethouder")


def wijzig_partijen(
    *, session: Session, zaak_key: str, client_id: str, wijziging: dict, actor: str
) -> list[str]:
    """Apply `wijziging` ({veld: value or None to remove}) to one client of the zaak; the
    whole aanvraag is validated again (InvoerFout: one line, nothing written). Returns the
    fields changed."""
    onbekend = sorted(set(wijziging) - set(VELDEN))
    if onbekend:
        raise InvoerFout(f"unknown party field {', '.join(onbekend)}; use {', '.join(VELDEN)}")
    zaak = lees_zaak(session=session, key=zaak_key, lock=True)
    if zaak is None:
        raise InvoerFout(f"zaak {zaak_key} does not exist")
    data = copy.deepcopy(zaak.aanvraag)
    client = next((c for c in data["clienten"] if c["client_id"] == client_id), None)
    if client is None:
        raise InvoerFout(f"zaak {zaak_key} has no client {client_id}")
    for veld, waarde in wijziging.items():
        if waarde is None:
            client.pop(veld, None)
        else:
            client[veld] = waarde
    zaak.aanvraag = parse_aanvraag(data).model_dump(mode="json")
    session.add(zaak)
    gewijzigd = sorted(wijziging)
    audit(
        session=session,
        actor=actor,
        actie="partijen_gewijzigd",
        zaak=zaak_key,
        client_id=client_id,
        details={"velden": gewijzigd},
    )
    return gewijzigd
