"""The verslag of a meerzorgdialoog as a letter to the provider (R §10, DOMAIN.md §9): data in,
`BriefInhoud` out, rendered by models/brief.py like every letter of the zorgkantoor.

R §10: the afspraken of the dialoog are laid down in the provider's meerzorgplan, so the
provider receives the verslag. The letter is a notice (no besluit, no rechtsmiddel) and lives
in the case database (models/db/tables_dialoog.DialoogVerslag); the message that carries it
names the dialoog key and dates only. Pure: no database, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from models.brief import TEKENS, Afzender, BriefInhoud, Geadresseerde
from models.brief_teksten import datum_nl
from models.dialoog import AGENDA, afspraak_regels, dialoog_key
from models.zaakinhoud import zonder_bsn

# Line breaks separate paragraphs of the verslag; every other character must be in the font.
_TOEGESTAAN = frozenset(chr(c) for c in TEKENS) | {"\n", "\r", "\t"}


def onafdrukbaar(teksten: Iterable[str]) -> str:
    """The characters of these texts the letter's font cannot print, in a quoted string for a
    refusal ("" when every one can): the verslag is refused before it is recorded, never a
    letter that fails to render."""
    vreemd = sorted({c for t in teksten for c in (t or "") if c not in _TOEGESTAAN})
    return repr("".join(vreemd)) if vreemd else ""


def verslag_kenmerk(agb: str, jaar: int) -> str:
    return f"{dialoog_key(agb, jaar)}/verslag"


def verslag_inhoud(
    *,
    agb: str,
    jaar: int,
    aanbieder_naam: str | None,
    gehouden_op: dt.date,
    datum: dt.date,
    notities: dict,
    afspraken: str,
    afzender: Afzender,
) -> BriefInhoud:
    """The letter: the five agenda items with their notes and the afspraken, one per line.
    `datum`: the day the verslag was recorded (the letter's date)."""
    alineas = [
        f"Op {datum_nl(gehouden_op)} hielden wij met u en het CCE de meerzorgdialoog {jaar} "
        "(R §10). Hieronder leest u het verslag. De afspraken komen terug in de terugblik van "
        f"de meerzorgdialoog {jaar + 1}; neem ze op in uw meerzorgplan.",
    ]
    for key, titel, _ in AGENDA:
        if key == "afspraken":
            continue
        alineas.append(f"{titel}:")
        alineas += _regels(notities.get(key)) or ["(geen notities)"]
    alineas.append(f"{AGENDA[-1][1]}:")
    alineas += [f"- {zonder_bsn(regel)}" for regel in afspraak_regels(afspraken)]
    return BriefInhoud(
        afzender=afzender,
        geadresseerde=Geadresseerde(
            rol="zorgaanbieder",
            naam=aanbieder_naam or f"Zorgaanbieder {agb}",
            adres=(),
            kanaal="digitaal",
        ),
        kenmerk=verslag_kenmerk(agb, jaar),
        zaak=dialoog_key(agb, jaar),
        datum=datum,
        onderwerp=f"Verslag meerzorgdialoog {jaar}",
        besluit_soort="mededeling",
        dictum=tuple(alineas),
        motivering=(),
        regels=(),
        ondertekening_functie="afdeling Meerzorg",
        ondertekening_naam=None,
        rechtsmiddel="geen",
    )


def _regels(tekst: str | None) -> list[str]:
    # DOMAIN.md §17: a BSN typed into the notes is masked, as on the case card; a letter of
    # the zorgkantoor never carries one.
    return [zonder_bsn(r).strip() for r in (tekst or "").splitlines() if r.strip()]
