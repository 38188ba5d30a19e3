"""What a zaak's decision form opens with: the term and the rekentool's amount from the
toets as defaults, and the toets's essentials on top of the form (the forms themselves are
the waits' own, models/formulieren.py). Pure: the run reads it through tasks/zaak.beeld."""

from __future__ import annotations

import re

from pydantic.fields import FieldInfo

from models.formulieren import Beoordeling
from models.proces import ZAAK


def initial_data(status: str, toets: dict | None, fout: str | None = None) -> dict:
    """The form's defaults for a decision: the term and the rekentool's amount from the toets,
    and the toets's essentials on top of the form (the first field's description).

    Prefect's Resume dialog squeezes its description (the case card) to nothing when the form
    is taller than the window, as this one is at 1366x768; the fields scroll, and the summary
    at their top stays readable, and so does the reason a previous answer was refused
    (`fout`, the zaak's laatste_fout). Each value is the field itself with a new default, so its
    Dutch title and help text survive `with_initial_data` (which keeps the annotation only).
    """
    wacht = ZAAK.wacht(status)
    if wacht is None or wacht.rol != "beoordelaar" or not toets:
        return {}
    termijn = toets.get("termijn") or {}
    waarden = {
        "start": termijn.get("start"),
        "eind": termijn.get("eind"),
        "bedrag_per_jaar": toets.get("bedrag_per_jaar"),
    }
    velden = Beoordeling.model_fields
    out = {
        k: FieldInfo.merge_field_infos(velden[k], default=v)
        for k, v in waarden.items()
        if v is not None
    }
    eerste = velden["kwaliteit_van_leven"]
    out["kwaliteit_van_leven"] = FieldInfo.merge_field_infos(
        eerste, description=f"{samenvatting(toets, fout)}\n\n{eerste.description}"
    )
    return out


MOGELIJK_BSN = re.compile(r"\b\d{8,9}\b")


def samenvatting(toets: dict, fout: str | None = None) -> str:
    """The toets in a few paragraphs (Prefect's field help joins single lines), pseudonymous:
    client ids and codes; a number that could be a BSN is masked in the refusal's text."""
    reken = toets.get("uitkomst_rekentool") or {}
    termijn = toets.get("termijn") or {}
    profiel = reken.get("profiel") or reken.get("soort") or "-"
    regels = []
    if fout:
        regels.append("**Invoer niet verwerkt:** " + MOGELIJK_BSN.sub("…", fout))
    if toets.get("advies"):
        regels.append(f"**{toets.get('advies_toelichting') or 'advies: ' + toets['advies']}**")
    bedrag = f"{toets.get('bedrag_per_jaar', 0):,.0f}".replace(",", ".")
    regels.append(
        f"Overschrijding {toets.get('overschrijding_pct', 0):.1f}% · rekentool "
        f"{bedrag} euro per jaar ({profiel}) · termijn "
        f"{termijn.get('start', '-')} t/m {termijn.get('eind', '-')}"
    )
    codes = [b["code"] for b in toets.get("bevindingen", []) if b.get("ernst") != "signaal"]
    signalen = [b["code"] for b in toets.get("bevindingen", []) if b.get("ernst") == "signaal"]
    regels.append(
        f"Bevindingen: {', '.join(codes) or 'geen'}; signalen: {', '.join(signalen) or 'geen'}. "
        "De volledige zaakkaart: tabblad Artifacts (of boven dit formulier in een hoog venster)."
    )
    return "\n\n".join(regels)
