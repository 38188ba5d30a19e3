"""The ingebrekestelling on the case database, for the CLI (`meerzorg ingebrekestelling`):
registered in one transaction with the zaak locked, audited; the zaak keeps its wait, so its
run needs nothing (models/dwangsom.py has the rules)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from models import dwangsom
from models.db.dwangsom_store import besluit_op_aanvraag_genomen, ingebrekestelling_van
from models.db.store import lees_zaak, medewerker_rollen, session_scope, stand_van
from models.db.zaak_store import pas_toe
from models.engine import OngeldigeInvoer
from tasks.opvolging_basis import Geweigerd


def registreer_ingebrekestelling(key: str, ontvangen: dt.date, peildatum: dt.date, actor: str):
    """Awb 4:17 lid 3. Refused with one Dutch line, nothing written: an unknown zaak and
    whatever models/dwangsom.registreer refuses."""
    try:
        with session_scope() as session:
            zaak = lees_zaak(session=session, key=key, lock=True)
            if zaak is None:
                raise Geweigerd(f"zaak {key} bestaat niet")
            bestaand = ingebrekestelling_van(session=session, zaak=key)
            try:
                overgang = dwangsom.registreer(
                    stand_van(zaak),
                    ontvangen,
                    peildatum,
                    besluit_genomen=besluit_op_aanvraag_genomen(session=session, zaak=key),
                    bestaande=bestaand.ontvangen if bestaand else None,
                    medewerker=actor,
                    rollen=medewerker_rollen(session=session),
                )
            except OngeldigeInvoer as exc:
                raise Geweigerd(str(exc)) from None
            pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=peildatum, actor=actor)
    except IntegrityError:  # two registrations at the same moment
        raise Geweigerd(
            f"in zaak {key} is zojuist al een ingebrekestelling geregistreerd"
        ) from None
    return {"zaak": key, **overzicht(key, peildatum)}


def overzicht(key: str, peildatum: dt.date) -> dict:
    """The zaak's ingebrekestelling and dwangsom on the peildatum (models/dwangsom.overzicht)."""
    with session_scope() as session:
        ib = ingebrekestelling_van(session=session, zaak=key)
    return {"ingebrekestelling": dwangsom.overzicht(ib, peildatum)}
