"""The whole aanvraag in view (issue 12 item 5): what the assessor reads of the aanvraag
itself, shaped once for the case card and for `meerzorg zaak`.

Pseudonymous: client_id only, never a BSN or name. The provider writes free text (the
vragenlijst, doelen, the evaluation) and may type a BSN into it; every such number is
masked here, so neither the card nor the JSON can show one (DOMAIN.md "Privacy").

Pure: the stored aanvraag and toets dicts in, plain data out.
"""

from __future__ import annotations

import re

from models.aanvraag import CheckVooraf, Vragenlijst, elfproef
from models.beleid import BEHANDELAARS, ZORG_CATEGORIEEN, Beleid

# The check vooraf of the provider (R §5) and of the zorgkantoor on other toeslagen (NZa,
# since 2019), as the card names them. `andere_toeslagen` is the one where "ja" is a problem.
CHECK_VOORAF_LABELS = {
    "indicatie_passend": "Indicatie en zorgprofiel passen nog",
    "beeldvorming_helder": "Beeldvorming en diagnostiek helder",
    "handelingsverlegenheid": "Handelingsverlegenheid",
    "basiszorg_op_orde": "Basiszorg op orde",
    "driehoek_betrokken": "Driehoek manager, begeleider en behandelaar betrokken",
    "client_betrokken": "Client of vertegenwoordiger betrokken",
    "cce_consultatie_overwogen": "Interne of externe consultatie (bijv. CCE) overwogen",
    "andere_toeslagen": "Andere toeslagen tegelijk (mag niet, NZa)",
}
# The questionnaire of R §6, numbered as the regeling numbers it.
VRAGENLIJST_LABELS = {
    "huidige_situatie": "1. Huidige situatie",
    "gewenste_situatie": "2. Gewenste situatie",
    "inzet": "3. Inzet om die te bereiken",
}
assert set(CHECK_VOORAF_LABELS) == set(CheckVooraf.model_fields)
assert set(VRAGENLIJST_LABELS) == set(Vragenlijst.model_fields)

ADVIES_SLEUTELS = ("advies", "advies_toelichting", "volledig")

# 8 or 9 digits, optionally written in groups ("9999.90.007", "999 990 007").
_GETAL = re.compile(r"(?<!\d)\d(?:[ .-]?\d){7,8}(?!\d)")
BSN_MASKER = "[BSN verwijderd]"


def zonder_bsn(tekst: str | None) -> str:
    """Free text with every number that passes the elfproef masked (over-masking a number
    that merely looks like a BSN is the safe side)."""

    def masker(m: re.Match) -> str:
        cijfers = re.sub(r"\D", "", m.group(0))
        return BSN_MASKER if elfproef(cijfers) else m.group(0)

    return _GETAL.sub(masker, tekst or "")


def _uren(aanvraag: dict, beleid: Beleid | None) -> dict:
    """Care hours against the norm hours of the clients' profiles: the excess of R §10 is
    measured on these (care only; for a group the norms add up, models/toets.norm_uren)."""
    opgave = aanvraag.get("uren_per_week") or {}
    per_week = {c: float(opgave.get(c) or 0) for c in ZORG_CATEGORIEEN}
    totaal = round(sum(per_week.values()), 2)
    norm_per_client = [
        {
            "client_id": c.get("client_id"),
            "zorgprofiel": c.get("zorgprofiel"),
            "norm_per_week": beleid.norm_uren_per_week.get(c.get("zorgprofiel"))
            if beleid
            else None,
        }
        for c in aanvraag.get("clienten", [])
    ]
    normen = [n["norm_per_week"] for n in norm_per_client]
    norm = round(sum(normen), 2) if normen and None not in normen else None
    return {
        "per_week": per_week,
        "totaal_per_week": totaal,
        "norm_per_week": norm,
        "boven_norm_per_week": None if norm is None else round(max(0.0, totaal - norm), 2),
        "norm_per_client": norm_per_client,
    }


def aanvraag_inhoud(aanvraag: dict, beleid: Beleid | None) -> dict:
    """The content of the aanvraag (R §6): vragenlijst, doelen, check vooraf and the
    rekentool's input (care hours against the norm, behandelaar hours, context-middelen).
    `beleid` gives the norm hours (the version the toets applied); None leaves them out."""
    vragen = aanvraag.get("vragenlijst") or {}
    check = aanvraag.get("check_vooraf") or {}
    behandeling = aanvraag.get("behandelaar_uren_per_week") or {}
    beh_per_week = {b: float(behandeling.get(b) or 0) for b in BEHANDELAARS}
    return {
        "vragenlijst": {k: zonder_bsn(vragen.get(k)) for k in VRAGENLIJST_LABELS},
        "doelen": [zonder_bsn(d) for d in aanvraag.get("doelen") or []],
        "check_vooraf": {k: bool(check.get(k, False)) for k in CHECK_VOORAF_LABELS},
        "uren": _uren(aanvraag, beleid),
        "behandelaar_uren": {
            "per_week": beh_per_week,
            "totaal_per_week": round(sum(beh_per_week.values()), 2),
        },
        # euro per jaar (DOMAIN.md: context_middelen_per_jaar)
        "context_middelen": float(aanvraag.get("context_middelen_per_jaar") or 0),
    }


def advies_van(toets: dict | None) -> dict:
    """The toets's advice (issue 12 item 1: the toets advises, a person decides), as stored:
    `advies`, `advies_toelichting`, `volledig`. An older toets has none: all None."""
    toets = toets or {}
    return {
        "advies": toets.get("advies"),
        "advies_toelichting": zonder_bsn(toets.get("advies_toelichting")) or None,
        "volledig": toets.get("volledig"),
    }


def advies_regel(advies: dict) -> str | None:
    """One line for the card, e.g. "**afwijzen**: drempel niet gehaald, 19.2% (aanvraag
    volledig)"; None when the toets gave no advice."""
    if not advies.get("advies"):
        return None
    regel = f"**{advies['advies']}**"
    # The toets may write its line as "advies: afwijzen — drempel ...": say the advice once.
    toelichting = re.sub(
        rf"^advies:\s*{re.escape(advies['advies'])}\s*[—:-]?\s*",
        "",
        advies.get("advies_toelichting") or "",
    )
    if toelichting:
        regel += f": {toelichting}"
    if advies.get("volledig") is not None:
        regel += " (aanvraag volledig)" if advies["volledig"] else " (aanvraag onvolledig)"
    return regel
