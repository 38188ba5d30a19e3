"""Deciding in the dossier (issue 27): the assessment form checked by the very rules the run
applies, before anything reaches Prefect. Nothing is copied: the wait's own handler
(models/proces.py: the Beoordeling's `antwoord_beoordeling`, which calls models/besluit.py
and models/besluit_regels.py) is run on the form as the login signs it; its one-line
OngeldigeInvoer is the answer, placed next to the field it is about. Pure: the stand, the
facts and the peildatum come from the caller.

Who may open a dossier: the roles that decide or handle a zaak (beoordelaar, teamleider,
jurist). The dossier shows the aanvraag's free text; the CCE advises and never takes part
in the assessment (R §10), analysts and operations need no client's text."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass

from pydantic import ValidationError

from models.engine import OngeldigeInvoer, Wacht
from models.overgang import BEZWAAR_ROLLEN
from models.overgang import ZaakStatus as S

DOSSIER_ROLLEN = BEZWAAR_ROLLEN  # jurist, beoordelaar, teamleider
BESLISSEN_IN_DOSSIER = frozenset({S.BEOORDELING, S.TWEEDE_BEOORDELING})

# Which field an error of the rules is about, by the words the rules use (first match wins;
# none: the message stands above the form).
_VELD_WOORDEN: tuple[tuple[str, str], ...] = (
    ("kies een uitkomst", "uitkomst"),
    ("vraagt een onderbouwing", "onderbouwing"),
    ("vul een onderbouwing in", "onderbouwing"),
    ("pijler kwaliteit van leven", "kwaliteit_van_leven"),
    ("kwaliteit van leven:", "kwaliteit_van_leven"),
    ("pijler doelmatigheid", "doelmatigheid"),
    ("doelmatigheid:", "doelmatigheid"),
    ("pijler maatschappelijk verantwoord", "maatschappelijk_verantwoord"),
    ("maatschappelijk verantwoord:", "maatschappelijk_verantwoord"),
    ("terugwerkende kracht", "start"),
    ("start", "start"),
    ("duurt ten hoogste", "eind"),
    ("duurt", "eind"),
    ("indicatie", "eind"),
    ("eind", "eind"),
    ("bedrag", "bedrag_per_jaar"),
    ("rekentool", "bedrag_per_jaar"),
    ("evalueer het perspectief", "evalueren_op"),
    ("wanneer het perspectief", "evalueren_op"),
    ("perspectief", "perspectief_verwachting"),
)


@dataclass(frozen=True, slots=True)
class Fout:
    melding: str
    veld: str | None  # the form field it is about, or None (the whole form)


def mag_dossier_openen(rol: str) -> str | None:
    if rol in DOSSIER_ROLLEN:
        return None
    return (
        f"uw rol {rol} opent geen dossier: het bevat de vrije tekst van de aanvraag en is er "
        "voor wie beoordeelt of een bezwaar behandelt"
    )


def veld_van_fout(melding: str, velden: typing.Iterable[str]) -> str | None:
    """The field a rule's message is about (criteria by their own statement)."""
    from models.besluit_regels import CRITERIA

    tekst = melding.lower()
    bekend = set(velden)
    for veld, vraag in CRITERIA.items():
        if vraag.lower() in tekst and veld in bekend:
            return veld
    for woord, veld in _VELD_WOORDEN:
        if woord in tekst and veld in bekend:
            return veld
    return None


def _titel(model, veld: str) -> str:
    info = model.model_fields.get(veld)
    return (info.title if info and info.title else veld.replace("_", " ")).lower()


def formulier_invoer(wacht: Wacht, velden: dict[str, str], login: str, peildatum: dt.date):
    """The posted fields as the wait's form (checkboxes: present is yes), signed by the login
    and dated `peildatum` (a person answers today). Returns the input dict or a Fout."""
    model = wacht.formulier
    data: dict[str, typing.Any] = {}
    for naam, info in model.model_fields.items():
        if naam in (wacht.identiteit, "peildatum"):
            continue
        if info.annotation is bool:
            data[naam] = velden.get(naam) == "ja"
        elif naam in velden:
            waarde = velden[naam].strip()
            if info.annotation in (int, float):
                if not waarde:  # left empty: the form's default (0: none, or the rekentool's)
                    continue
                waarde = waarde.replace(",", ".") if info.annotation is float else waarde
            data[naam] = waarde
    onbekend = sorted(set(velden) - set(model.model_fields) - {"csrf"})
    if onbekend:
        return Fout(f"onbekend veld '{onbekend[0][:40]}' op het formulier", None)
    data[wacht.identiteit] = login
    data["peildatum"] = peildatum
    try:
        form = model.model_validate(data)
    except ValidationError as exc:
        fout = exc.errors()[0]
        veld = str(fout["loc"][0]) if fout.get("loc") else None
        soort = {
            "float_parsing": "vul een bedrag in (cijfers, bijv. 12500,50)",
            "int_parsing": "vul een heel getal in",
            "greater_than_equal": "kan niet negatief zijn",
            "literal_error": "kies een van de mogelijkheden",
        }.get(fout.get("type"), "ongeldige waarde")
        return Fout(f"{_titel(model, veld) if veld else 'formulier'}: {soort}", veld)
    return form.model_dump(mode="json")


def controleer_beslissing(
    wacht: Wacht, stand, invoer: dict, peildatum: dt.date, feiten
) -> Fout | None:
    """The wait's own handler on the input: None when the run would take it, else the rule's
    reason with the field it concerns. The transition it returns is not applied: the run
    applies it when Prefect hands it the same input."""
    try:
        wacht.handler(stand, invoer, peildatum, feiten)
    except OngeldigeInvoer as exc:
        melding = str(exc)
        return Fout(melding, veld_van_fout(melding, wacht.formulier.model_fields))
    return None
