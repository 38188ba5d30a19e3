"""A finding of the toets: a code, how serious it is and why (DOMAIN.md: `ernst` is
`blokkerend` (cannot be granted as is), `aanpassing` (granted only adjusted) or `signaal`),
and whether it is about the *completeness* of the aanvraag or the *content* of the decision.

Awb 4:5: only an incomplete aanvraag goes to herstel (and, not completed in time, buiten
behandeling); whether the need exceeds the profile, the profile qualifies or VG7-plus may be
extended is the content of the decision, taken by a person. The toets only advises
(`advies`): aanvullen, afwijzen, bijstellen or toekennen."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Ernst = Literal["blokkerend", "aanpassing", "signaal"]
Aard = Literal["volledigheid", "inhoud"]
Advies = Literal["toekennen", "bijstellen", "afwijzen", "aanvullen"]

# code -> (aard, the short Dutch label of the advies line, source). Every code the toets can
# produce is here (tests/unit/test_advies.py checks it against the toets' scenarios).
AARD: dict[str, tuple[Aard, str, str]] = {
    # Completeness: the aanvraag lacks what the regeling asks of the provider (Awb 4:2:
    # the applicant supplies what is needed for the decision; 4:5 herstel).
    "VRAGENLIJST_ONVOLLEDIG": ("volledigheid", "vragenlijst of doelen onvolledig", "R §6"),
    "CHECK_VOORAF_ONVOLLEDIG": ("volledigheid", "check vooraf niet afgerond", "R §5, §10"),
    "EVALUATIE_ONTBREEKT": ("volledigheid", "evaluatie vorige periode ontbreekt", "R §11"),
    # Content: what the beoordelaar decides on (R §7–§10, NZa).
    # R §5 ("eerst een her-aanvraag bij het CIZ"), R §10 (the zorgkantoor checks that the
    # client has an indicatie for which meerzorg can be asked): the indicatie is a CIZ
    # besluit, not a document the applicant can supply, so no herstel (Awb 4:5, issue 26
    # point 9). The beoordelaar afwijst, or bijstelt to wait for the new indicatie.
    "INDICATIE_HERAANVRAAG": ("inhoud", "geen passende, lopende CIZ-indicatie", "R §5, §10"),
    "DREMPEL_NIET_GEHAALD": ("inhoud", "drempel niet gehaald", "R §10"),
    "PROFIEL_GEEN_MEERZORG": ("inhoud", "zorgprofiel komt niet in aanmerking", "ZK, R §10"),
    "VG7PLUS_GEEN_VERLENGING": ("inhoud", "VG7-plus: in principe geen verlenging", "R §9"),
    "ANDERE_TOESLAGEN": ("inhoud", "samen met andere toeslagen", "NZa 2019"),
    "GROEP_TE_KLEIN": ("inhoud", "groep van minder dan twee clienten", "R §8"),
    # Double funding: the client holds running meerzorg in another zaak (any provider) for
    # days of this period. No seed names it; the principle is the Wlz's (care is funded once),
    # the check's form (by BSN, running beschikkingen, first and last day counted) aanname.
    "OVERLAP_MEERZORG": ("inhoud", "overlap met lopende meerzorg", "Wlz, aanname"),
    "PREVENTIEF_TERMIJN": ("inhoud", "preventieve termijn buiten 3–6 maanden", "R §7"),
    "TERMIJN_TE_LANG": ("inhoud", "termijn ingekort tot het maximum", "R §9"),
    "EIND_NA_INDICATIE": ("inhoud", "eind ingekort tot het einde van de indicatie", "R §9"),
    "START_IN_VERLEDEN": ("inhoud", "start verschoven: geen terugwerkende kracht", "ZK"),
    "MAATWERK": ("inhoud", "maatwerkbedrag boven het hoogste profiel", "R §6"),
    "ONTWIKKELTRAJECT_ONTBREEKT": ("inhoud", "geen recent CCE-ontwikkeltraject", "R §10"),
    "CCE_CONSULTATIE_NIET_OVERWOGEN": ("inhoud", "consultatie niet overwogen", "R §5"),
    "LVHC_VOORWAARDEN": ("inhoud", "LVHC: specifieke voorwaarden", "VZ 5.4"),
    "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND": ("inhoud", "ontwikkeltraject over twee jaren", "R §10"),
    "COULANTE_MAATWERKBEOORDELING": ("inhoud", "coulante maatwerkbeoordeling", "N 2025"),
    "TOETS_GESTOPT": ("inhoud", "stapsgewijze toets gestopt", "2026.1"),
}

# N 2025: below the rules' line a thuis verlenging may still be granted; the person decides.
COULANCE_AFWIJZEN = (
    "coulante maatwerkbeoordeling (verlenging thuis, N 2025): toekennen kan, de beoordelaar beslist"
)
COULANCE = "verlenging thuis: coulante maatwerkbeoordeling (N 2025)"


@dataclass(frozen=True, slots=True)
class Bevinding:
    code: str
    ernst: Ernst
    toelichting: str

    def public(self) -> dict:
        return {"code": self.code, "ernst": self.ernst, "toelichting": self.toelichting}

    @property
    def volledigheid(self) -> bool:
        return is_volledigheid(self.code)


def is_volledigheid(code: str) -> bool:
    """A completeness finding (Awb 4:5); an unknown code counts as content, so that it reaches
    a person rather than closing the zaak by timer."""
    return AARD.get(code, ("inhoud",))[0] == "volledigheid"


def ontbrekend(bevindingen: Iterable[dict]) -> list[dict]:
    """The completeness findings of a stored toets (its `bevindingen` dicts)."""
    return [b for b in bevindingen if is_volledigheid(b["code"])]


def _label(b: Bevinding, overschrijding_pct: float) -> str:
    _, label, _ = AARD.get(b.code, ("inhoud", b.code.lower().replace("_", " "), ""))
    if b.code == "DREMPEL_NIET_GEHAALD":
        return f"{label}, {overschrijding_pct:.1f}%"
    if b.code == "INDICATIE_HERAANVRAAG":  # the assessor's other choice (issue 26 point 9)
        return f"{label} (of bijstellen: wachten op de nieuwe)"
    if b.code == "OVERLAP_MEERZORG" and (
        zaak := re.search(r"zaak (MZ-\d{4}-\d{6})", b.toelichting)
    ):
        return f"{label}: zaak {zaak.group(1)}"  # which one, for the beoordelaar
    if is_volledigheid(b.code):
        # What is missing, from the finding's own text (client ids only, no BSN or name).
        if ":" not in b.toelichting:
            return label
        detail = re.sub(r"\s*\([^()]*\)\s*$", "", b.toelichting.split(":", 1)[1].strip(" ."))
        return f"{label}: {detail}" if detail else label
    return label


def _uniek(labels: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(labels))


def advies(
    bevindingen: Iterable[Bevinding],
    overschrijding_pct: float,
    coulant: bool = False,
    niet_getoetst: Iterable[str] = (),
) -> tuple[Advies, str]:
    """The toets' advice and its one-line Dutch toelichting, e.g. "advies: afwijzen — drempel
    niet gehaald, 19.2%". Incomplete → aanvullen (Awb 4:5); a blocking content finding →
    afwijzen; else toekennen, naming the term the zorgkantoor sets itself when there are
    `aanpassing` findings (R §9). Bijstellen (R §10) is the beoordelaar's call on the
    criteria, never the toets's. `coulant` (N 2025, a thuis
    verlenging under a policy with coulante maatwerkbeoordeling) adds that the call is the
    beoordelaar's: the memo asks for a person's maatwerk, not the toets' threshold. Steps the
    stepwise thuis toets (2026.1) did not reach are named: the advice rests on fewer facts."""
    alle = list(bevindingen)
    onvolledig = [b for b in alle if b.volledigheid]
    blokkerend = [b for b in alle if b.ernst == "blokkerend" and not b.volledigheid]
    aanpassing = [b for b in alle if b.ernst == "aanpassing"]
    if onvolledig:
        soort: Advies = "aanvullen"
        redenen = _uniek(_label(b, overschrijding_pct) for b in onvolledig)
    elif blokkerend:
        soort, redenen = "afwijzen", _uniek(_label(b, overschrijding_pct) for b in blokkerend)
    elif aanpassing:
        # R §9: the zorgkantoor sets the definitive term itself (a capped term, a moved
        # start): its own setting in the toekenning, not a request to adjust (bijstellen).
        soort = "toekennen"
        redenen = [
            "termijn door het zorgkantoor vastgesteld (R §9): "
            + ", ".join(_uniek(_label(b, overschrijding_pct) for b in aanpassing))
        ]
    else:
        soort = "toekennen"
        redenen = [f"geen blokkerende bevindingen, overschrijding {overschrijding_pct:.1f}%"]
    tekst = f"advies: {soort} — {'; '.join(redenen)}"
    if stappen := list(niet_getoetst):
        tekst += f"; niet getoetst: {', '.join(stappen)}"
    if coulant and soort != "aanvullen":
        tekst += f"; {COULANCE_AFWIJZEN if soort == 'afwijzen' else COULANCE}"
    return soort, tekst
