"""Motivation for every outcome (issue 26 point 2), as plain functions over the decision
form's values (`invoer`, the fields of models/formulieren.Beoordeling) and the zaak's stored
toets (its `public()` dict). Each returns the problems as (field, reason), one Dutch line
naming the rule and its source, so that the run refuses the answer with the first of them
(models/besluit.valideer_beoordeling) and a work screen can show each next to its field.

- Awb 3:46: a besluit rests on a deugdelijke motivering; 3:47: the motivation is in the
  besluit. An afwijzing therefore names its grounds: a pillar judged "voldoet niet" with its
  motivation (R §10), or a blocking content finding of the toets (the rule it names, R §7–§10,
  NZa, Wlz). The criteria on the form are checkboxes a toekenning confirms; a box left empty
  cannot tell "nee" from "not answered", so it is no ground by itself (`aanname`): R §10 asks
  the criteria's questions under the three pillars, whose motivation names them.
- Deciding against the toets's advice needs a weighing in the onderbouwing: it names the
  advice it departs from ("advies") and is more than a token (`aanname`: at least
  MIN_AFWEGING characters).
- A toekenning despite a blocking content finding needs that weighing and four eyes
  (models/besluit.vier_ogen_nodig reads `blokkerende_bevindingen`).
- N 2025, coulante maatwerkbeoordeling of a thuis verlenging: the besluit records `coulant`
  only when the assessor recorded the coulante weighing (`coulante_afweging`); an afwijzing
  of such a verlenging must record it (`aanname`: the memo promises the coulante beoordeling
  per casus, so a refusal shows it was made)."""

from __future__ import annotations

from dataclasses import dataclass

from models.bevinding import AARD, is_volledigheid
from models.overgang import PIJLERS

# aanname (issue 26 point 2): "more than a token" as a length a reader can check; 40
# characters is about one short sentence ("x", "zie dossier" or "akkoord" are refused).
MIN_AFWEGING = 40
ADVIES_WOORD = "advies"
PIJLER_LABELS = {
    "kwaliteit_van_leven": "kwaliteit van leven",
    "doelmatigheid": "doelmatigheid",
    "maatschappelijk_verantwoord": "maatschappelijk verantwoord",
}


@dataclass(frozen=True, slots=True)
class Probleem:
    """A form field and the one-line Dutch reason the answer is refused."""

    veld: str
    reden: str


def _tekst(invoer: dict, veld: str) -> str:
    return str(invoer.get(veld) or "").strip()


def is_afweging(tekst: str) -> bool:
    """More than a token (`aanname`: MIN_AFWEGING characters)."""
    return len(tekst.strip()) >= MIN_AFWEGING


def noemt_advies(tekst: str) -> bool:
    return ADVIES_WOORD in tekst.lower()


def blokkerende_bevindingen(toets: dict | None) -> list[dict]:
    """The blocking content findings of a stored toets (not completeness: those went to
    herstel, Awb 4:5), e.g. a profile without meerzorg, andere toeslagen, the threshold not
    met, overlap, an indicatie that does not fit."""
    return [
        b
        for b in (toets or {}).get("bevindingen") or ()
        if b.get("ernst") == "blokkerend" and not is_volledigheid(b.get("code", ""))
    ]


def _label(code: str) -> str:
    return AARD.get(code, ("inhoud", code.lower().replace("_", " "), ""))[1]


def _bron(code: str) -> str:
    return AARD.get(code, ("inhoud", "", "aanname"))[2] or "aanname"


def wijkt_af_van_advies(advies: str | None, uitkomst: str) -> bool:
    """Against the advice's direction: an adverse outcome on advice toekennen, a toekenning on
    advice afwijzen, an afwijzing on advice bijstellen. A toekenning on advice bijstellen
    follows it (the zorgkantoor sets the adjusted term itself, R §9), and bijstellen on advice
    afwijzen asks the provider to remove the ground (e.g. wait for the new CIZ indicatie)."""
    if advies not in ("toekennen", "afwijzen", "bijstellen") or uitkomst == advies:
        return False
    if advies == "bijstellen":
        return uitkomst == "afwijzen"
    if advies == "afwijzen":
        return uitkomst == "toekennen"
    return True


def afwijzingsgronden(invoer: dict, toets: dict | None) -> list[dict]:
    """The grounds an afwijzing names (Awb 3:46, 3:47), for the besluit record: each pillar
    judged "voldoet niet" with its motivation (R §10), and each blocking content finding of
    the toets with its rule's source and the toets's own explanation."""
    out = [
        {
            "grond": f"pijler {PIJLER_LABELS[p]} voldoet niet",
            "bron": "R §10",
            "motivering": _tekst(invoer, f"{p}_motivering"),
        }
        for p in PIJLERS
        if invoer.get(p) == "voldoet niet"
    ]
    out += [
        {"grond": _label(b["code"]), "bron": _bron(b["code"]), "motivering": b["toelichting"]}
        for b in blokkerende_bevindingen(toets)
    ]
    return out


def problemen_pijlers(invoer: dict) -> list[Probleem]:
    """Awb 3:46, R §10: a pillar judged "voldoet niet" carries its motivation, whatever the
    outcome."""
    return [
        Probleem(
            f"{p}_motivering",
            f"motiveer waarom de pijler {PIJLER_LABELS[p]} niet voldoet (R §10, Awb 3:46)",
        )
        for p in PIJLERS
        if invoer.get(p) == "voldoet niet" and not _tekst(invoer, f"{p}_motivering")
    ]


def problemen_afwijzing(invoer: dict, toets: dict | None) -> list[Probleem]:
    """Awb 3:46, 3:47: an afwijzing names at least one ground (`afwijzingsgronden`)."""
    if invoer.get("uitkomst") != "afwijzen" or afwijzingsgronden(invoer, toets):
        return []
    return [
        Probleem(
            "uitkomst",
            "afwijzen noemt de grond: kies bij de pijler die niet voldoet 'voldoet niet' en "
            "motiveer die (R §10, Awb 3:46); de toets vond geen blokkerende bevinding",
        )
    ]


def problemen_afweging(invoer: dict, toets: dict | None) -> list[Probleem]:
    """Awb 3:46: a toekenning despite a blocking content finding, or any outcome against the
    toets's advice, weighs it in the onderbouwing: it names the advice and is more than a
    token (`aanname`, MIN_AFWEGING)."""
    uitkomst = invoer.get("uitkomst")
    advies = (toets or {}).get("advies")
    onderbouwing = _tekst(invoer, "onderbouwing")
    if is_afweging(onderbouwing) and noemt_advies(onderbouwing):
        return []
    blokkerend = blokkerende_bevindingen(toets)
    if uitkomst == "toekennen" and blokkerend:
        labels = "; ".join(dict.fromkeys(_label(b["code"]) for b in blokkerend))
        return [
            Probleem(
                "onderbouwing",
                f"toekennen ondanks '{labels}' vraagt een afweging in de onderbouwing die het "
                f"advies noemt, ten minste {MIN_AFWEGING} tekens (Awb 3:46), en een tweede "
                "beoordelaar (vier ogen)",
            )
        ]
    if uitkomst in ("toekennen", "bijstellen", "afwijzen") and wijkt_af_van_advies(
        advies, uitkomst
    ):
        return [
            Probleem(
                "onderbouwing",
                f"{uitkomst} wijkt af van het advies '{advies}' van de toets: noem het advies in "
                f"de onderbouwing en weeg af waarom, ten minste {MIN_AFWEGING} tekens "
                "(Awb 3:46)",
            )
        ]
    return []


def problemen_coulant(invoer: dict, coulante_beoordeling: bool) -> list[Probleem]:
    """N 2025: the coulante weighing belongs to a thuis verlenging under a policy with the
    coulante maatwerkbeoordeling (`coulante_beoordeling`, models/besluit.coulant); there an
    afwijzing records it (`aanname`), and whenever it is filled it is more than a token."""
    afweging = _tekst(invoer, "coulante_afweging")
    if afweging and not coulante_beoordeling:
        return [
            Probleem(
                "coulante_afweging",
                "een coulante afweging hoort alleen bij een verlenging van meerzorg thuis onder "
                "de coulante maatwerkbeoordeling (N 2025): laat het veld leeg",
            )
        ]
    if not coulante_beoordeling:
        return []
    if afweging and not is_afweging(afweging):
        return [
            Probleem(
                "coulante_afweging",
                f"de coulante afweging is te kort: ten minste {MIN_AFWEGING} tekens (N 2025, "
                "Awb 3:46)",
            )
        ]
    if invoer.get("uitkomst") == "afwijzen" and not afweging:
        return [
            Probleem(
                "coulante_afweging",
                "een verlenging van meerzorg thuis wordt coulant beoordeeld (N 2025): leg bij "
                "afwijzen de coulante afweging vast",
            )
        ]
    return []


def motiveringsproblemen(
    invoer: dict, toets: dict | None, coulante_beoordeling: bool
) -> list[Probleem]:
    """Every motivation problem of a decision form, in the form's order (pillars, uitkomst,
    onderbouwing, coulante afweging). The onderbouwing itself of afwijzen and bijstellen
    (Awb 3:47) and the toekenning's own checks stay in models/besluit*.py."""
    return [
        *problemen_pijlers(invoer),
        *problemen_afwijzing(invoer, toets),
        *problemen_afweging(invoer, toets),
        *problemen_coulant(invoer, coulante_beoordeling),
    ]


def coulant_vastgelegd(invoer: dict, coulante_beoordeling: bool) -> bool:
    """N 2025 figures: a besluit counts as coulant only when the coulante weighing was
    recorded on a zaak that gets the coulante maatwerkbeoordeling."""
    return coulante_beoordeling and is_afweging(_tekst(invoer, "coulante_afweging"))
