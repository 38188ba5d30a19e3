"""The figures on meerzorg at home (N 2025: "verzamelen zorgkantoren gegevens over het aantal
aanvragen, toekenningen en afwijzingen voor meerzorg in de thuissituatie"), as pure counts:
each aanvraag once, by its final outcome, split by leveringsvorm (mpt, pgb) and by what was
asked (nieuw, verlenging, verhoging: N 2025 names "verlenging of verhoging").

The caller (tasks/opvolging.thuiscijfers) reads the zaken, their besluiten and whether a
client held running meerzorg at receipt; the other figures of `meerzorg thuiscijfers`
(bezwaren, signals, overgangen, contacts) are counted there. No database, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The uitkomsten that end an aanvraag, each under its figure's name (N 2025; Awb 4:5 buiten
# behandeling). A beslissing op bezwaar or a mutation's besluit is no outcome of the aanvraag.
UITKOMST_CIJFERS = {
    "toekennen": "toekenningen",
    "bijstellen": "bijstellingen",
    "afwijzen": "afwijzingen",
    "buiten_behandeling": "buiten_behandelingstellingen",
}
LEVERINGSVORMEN = ("mpt", "pgb")
SOORTEN = ("nieuw", "verlenging", "verhoging")


@dataclass(frozen=True, slots=True)
class ThuisZaak:
    key: str
    leveringsvorm: str
    soort: str  # the aanvraag's: nieuw | verlenging | preventief
    ingediend_op: dt.date
    # A client of the aanvraag held running meerzorg of the same provider on receipt.
    lopende_meerzorg: bool = False


@dataclass(frozen=True, slots=True)
class ThuisBesluit:
    zaak: str
    ronde: int
    datum: dt.date
    id: int
    uitkomst: str
    coulant: bool = False


def gevraagd(zaak: ThuisZaak) -> str:
    """What the aanvraag asks: a verlenging is one (the aanvraag says so); another aanvraag
    for a client who holds running meerzorg at receipt asks for more: a verhoging (aanname:
    the aanvraag has no soort verhoging); otherwise new meerzorg, preventief included."""
    if zaak.soort == "verlenging":
        return "verlenging"
    return "verhoging" if zaak.lopende_meerzorg else "nieuw"


def eindoordelen(besluiten: list[ThuisBesluit]) -> dict[str, ThuisBesluit]:
    """Per zaak its final outcome: the last besluit with an outcome of the aanvraag (highest
    ronde, then date and id). A decision taken again after a bezwaar replaces the first; an
    afwijzing followed by a toekenning after a gegrond bezwaar counts once, as a toekenning."""
    laatste: dict[str, ThuisBesluit] = {}
    for b in besluiten:
        if b.uitkomst not in UITKOMST_CIJFERS:
            continue
        huidig = laatste.get(b.zaak)
        if huidig is None or (b.ronde, b.datum, b.id) > (huidig.ronde, huidig.datum, huidig.id):
            laatste[b.zaak] = b
    return laatste


def _leeg() -> dict:
    return {"aanvragen": 0, **{naam: 0 for naam in UITKOMST_CIJFERS.values()}}


def tel(zaken: list[ThuisZaak], besluiten: list[ThuisBesluit], van: dt.date, tot: dt.date) -> dict:
    """The aanvragen received in the period, and the aanvragen whose final outcome was
    decided in it, each once: in total, per leveringsvorm, per soort and per pair."""
    per_key = {z.key: z for z in zaken}
    uitkomsten = [b for b in eindoordelen(besluiten).values() if van <= b.datum <= tot]
    totaal = _leeg()
    per_vorm = {v: _leeg() for v in LEVERINGSVORMEN}
    per_soort = {s: _leeg() for s in SOORTEN}
    paren = {(v, s): _leeg() for v in LEVERINGSVORMEN for s in SOORTEN}

    def boek(zaak: ThuisZaak, veld: str) -> None:
        soort = gevraagd(zaak)
        for teller in (totaal, per_vorm.get(zaak.leveringsvorm), per_soort[soort]):
            if teller is not None:
                teller[veld] += 1
        if (zaak.leveringsvorm, soort) in paren:
            paren[(zaak.leveringsvorm, soort)][veld] += 1

    for z in zaken:
        if van <= z.ingediend_op <= tot:
            boek(z, "aanvragen")
    for b in uitkomsten:
        if b.zaak in per_key:
            boek(per_key[b.zaak], UITKOMST_CIJFERS[b.uitkomst])
    return {
        **totaal,
        "coulant_beoordeeld": sum(1 for b in uitkomsten if b.coulant),
        "coulante_toekenningen": sum(
            1 for b in uitkomsten if b.coulant and b.uitkomst == "toekennen"
        ),
        "per_leveringsvorm": per_vorm,
        "per_soort": per_soort,
        "uitsplitsing": [
            {"leveringsvorm": v, "soort": s, **paren[(v, s)]}
            for v in LEVERINGSVORMEN
            for s in SOORTEN
        ],
    }
