"""What every group mutation shares, in pure rules (R §8; issue 12 item 6, issue 25).

A group mutation is a vertrek (models/mutatie_vertrek.py) or an instroom
(models/mutatie_instroom.py). Both read the beschikkingen still running in the group
(`Lopend`), both touch the signal that a group below two clients must be reassessed (a
vertrek raises it, an instroom that brings the group back to two answers it, R §8), and
both start their besluit record from the same base (`besluit_basis`). Those pieces live
here so the two mutation modules import this one and never each other.
tasks/opvolging_mutatie.py reads and writes; nothing here does.

Each mutation is a besluit of its own (issue 25; Awb 1:3, R §8 "een eigen beschikking"): a
vertrek a beëindiging of the departing client's beschikking, an instroom a toekenning to
the newcomer. Each gets a Besluit row in a ronde of its own (the zaak's last besluit, so a
bezwaar against it lands there) and a letter to that client's parties and the provider
(models/besluit_brief.py), from whose bekendmaking the bezwaartermijn runs (Awb 6:8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from models.bevinding import Bevinding
from models.engine import Bericht
from models.overgang import Stand


@dataclass(frozen=True, slots=True)
class Lopend:
    """A client's beschikking in the group that has not ended (status `actief`)."""

    client_id: str
    eind: dt.date
    bedrag_per_jaar: float
    start: dt.date | None = None


def lopend_op(beschikkingen: Iterable[Lopend], datum: dt.date) -> list[Lopend]:
    """The beschikkingen still running on `datum`: a pending vertrek (an eind shortened to a
    future date) counts until that date and no longer (R §8)."""
    return [b for b in beschikkingen if b.eind >= datum]


# --- a group below two --------------------------------------------------------------------


def groep_te_klein(vorm: str, aantal: int) -> bool:
    """R §8: group meerzorg is for two or more clients."""
    return vorm == "groep" and aantal < 2


def groep_signaal(aantal: int, per: dt.date) -> tuple[Bericht, dict]:
    """The message to operations and the finding on the zaak: reassess the group (R §8).
    A signaal, not blokkerend: the beschikkingen run until the reassessment decides."""
    bevinding = Bevinding(
        "GROEP_TE_KLEIN",
        "signaal",
        f"Per {per.isoformat()} heeft de groep nog {aantal} client(en) met een lopende "
        "beschikking: herbeoordeel de groepsmeerzorg (R §8).",
    )
    bericht = Bericht(
        "groep_te_klein", kanaal="operations", context={"aantal": aantal, "per": per.isoformat()}
    )
    return bericht, bevinding.public()


def met_bevinding(toets: dict | None, bevinding: dict) -> dict:
    """The zaak's toets with `bevinding` added (an earlier one of the same code replaced)."""
    toets = dict(toets or {})
    eerder = [b for b in toets.get("bevindingen", []) if b.get("code") != bevinding["code"]]
    toets["bevindingen"] = [*eerder, bevinding]
    return toets


def zonder_bevinding(toets: dict | None, code: str) -> dict | None:
    """The zaak's toets without the findings of `code`, or None when it has none (an
    instroom that brings the group back to two answers the GROEP_TE_KLEIN signal, R §8)."""
    bevindingen = (toets or {}).get("bevindingen", [])
    if not any(b.get("code") == code for b in bevindingen):
        return None
    return {**toets, "bevindingen": [b for b in bevindingen if b.get("code") != code]}


# --- each mutation is a besluit (issue 25) ------------------------------------------------


def besluit_basis(stand: Stand, peildatum: dt.date, beleidsversie: str) -> dict:
    """What every mutation's besluit record holds (models/besluit.py's keys): taken today by
    the one who decided, in a ronde of its own (Besluit is unique per zaak and ronde, and the
    zaak's last besluit is the one a bezwaar goes against by default)."""
    return {
        "onderbouwing": "",
        "pijlers": {},
        "coulant": False,
        "datum": peildatum,
        "ronde": stand.ronde + 1,
        "beleidsversie": beleidsversie,
        "rechtsmiddel": "bezwaar",
    }
