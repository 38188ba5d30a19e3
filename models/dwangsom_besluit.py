"""The besluit that fixes the dwangsom (Awb 4:18), as pure rules: the due timer of
models/dwangsom.py takes it, with its dictum (the amount and the days), the motivation and
the rules applied; open to bezwaar (3:45, 4:19). The sweep takes it by itself, because the
amount follows from the law alone (docs/DOMAIN.md §13)."""

from __future__ import annotations

import datetime as dt

from models.berichten import sjablonen
from models.besluit_brief import bedrag_nl
from models.brief_teksten import datum_nl
from models.dwangsom import (
    GEEN_DWANGSOM,
    RONDE,
    SOORT,
    TARIEVEN,
    DwangsomVastgesteld,
    Ingebrekestelling,
    bedrag,
    beleid_van,
    dagen_op,
    dwangsom_start,
    gestopt_op,
)
from models.engine import Bericht, Overgang
from models.overgang import BesluitVastgelegd, Stand, ZaakOvergang

# The messages of this wait's rules (models/berichten.sjablonen).
sjablonen(
    # Awb 4:18: the besluit that fixes the dwangsom is the attachment.
    dwangsom_vastgesteld=(
        "Meerzorgaanvraag {zaak}: dwangsom vastgesteld",
        "Het zorgkantoor heeft de dwangsom wegens niet tijdig beslissen op aanvraag {zaak} "
        "vastgesteld op {bedrag} ({dagen} dagen, Awb 4:17, 4:18). Het besluit staat in de brief in "
        "de bijlage, met hoe u bezwaar kunt maken.",
    ),
)


def vaststellen(stand: Stand, datum: dt.date, client_id, context: dict) -> Overgang | None:
    """Awb 4:18: the due timer takes the besluit that fixes the dwangsom, with its letter to
    the applicant; also when none is owed (the besluit came within the two weeks, or 4:17 lid
    6), so the applicant knows where it stands. `context["ingebrekestelling"]`: the zaak's
    (tasks/zaak.deadline_context). None: nothing to fix (already fixed, or still running)."""
    ib = context.get("ingebrekestelling")
    if ib is None or ib.vastgesteld_besluit is not None:
        return None
    stop = gestopt_op(ib, datum)
    if stop is None:
        return None
    dagen = dagen_op(ib, datum)
    record = besluit_record(stand, ib, stop, dagen, datum)
    geen = GEEN_DWANGSOM.get(ib.besluit_soort or "")
    return ZaakOvergang(
        status=stand.status,
        actie="dwangsom_vastgesteld",
        nieuwe_wacht=False,
        details={"dagen": dagen, "bedrag": bedrag(dagen), "gestopt_op": stop.isoformat()},
        effecten=(
            BesluitVastgelegd(record),
            DwangsomVastgesteld(
                {"gestopt_op": stop, "dagen": dagen, "bedrag": bedrag(dagen), "geen_dwangsom": geen}
            ),
            Bericht(
                "dwangsom_vastgesteld",
                bijlage=True,
                context={"bedrag": bedrag_nl(bedrag(dagen)), "dagen": str(dagen)},
            ),
        ),
    )


def besluit_record(
    stand: Stand, ib: Ingebrekestelling, stop: dt.date, dagen: int, datum: dt.date
) -> dict:
    """The 4:18 besluit: its dictum (the amount and the days), the motivation (the term, the
    ingebrekestelling, the start, what stopped it, the amounts per period) and the rules
    applied; open to bezwaar (3:45, 4:19)."""
    start = dwangsom_start(ib.ontvangen)
    aanvraag_van = f"de aanvraag om meerzorg in zaak {stand.key}"
    motivering = [
        f"De beslistermijn voor {aanvraag_van} liep tot en met {datum_nl(ib.beslistermijn)}. "
        f"Het zorgkantoor heeft op {datum_nl(ib.ontvangen)} uw schriftelijke ingebrekestelling "
        "ontvangen, na afloop van die termijn (artikel 4:17, derde lid, Awb).",
        "Een dwangsom is verschuldigd vanaf de dag waarop twee weken zijn verstreken na de "
        f"ontvangst van de ingebrekestelling: vanaf {datum_nl(start)}.",
    ]
    if ib.besluit_op is not None and ib.besluit_op == stop:
        motivering.append(f"Het zorgkantoor heeft op {datum_nl(stop)} op de aanvraag beslist.")
    else:
        motivering.append(
            "Het zorgkantoor heeft binnen de 42 dagen van de dwangsom niet op de aanvraag "
            "beslist; de dwangsom is verschuldigd voor ten hoogste 42 dagen (artikel 4:17, "
            "eerste lid, Awb)."
        )
    geen = GEEN_DWANGSOM.get(ib.besluit_soort or "")
    if geen:
        dictum = f"Het zorgkantoor stelt vast dat geen dwangsom verschuldigd is: {geen}."
        motivering.append(f"Er is geen dwangsom verschuldigd: {geen}.")
    elif dagen == 0:
        dictum = (
            f"Het zorgkantoor stelt vast dat geen dwangsom verschuldigd is wegens niet tijdig "
            f"beslissen op {aanvraag_van}: het besluit is genomen binnen twee weken na de "
            "ontvangst van de ingebrekestelling."
        )
    else:
        laatste = start + dt.timedelta(days=dagen - 1)
        dictum = (
            f"Het zorgkantoor stelt de dwangsom wegens niet tijdig beslissen op {aanvraag_van} "
            f"vast op {bedrag_nl(bedrag(dagen))}, over {dagen} dagen van {datum_nl(start)} tot "
            f"en met {datum_nl(laatste)}. Het zorgkantoor betaalt dit bedrag binnen zes weken "
            f"aan {_aanvrager(stand)} als aanvrager (artikel 4:17, eerste lid, Awb)."
        )
        motivering.append("Berekening (artikel 4:17, tweede lid, Awb): " + _berekening(dagen) + ".")
    return {
        "uitkomst": SOORT,
        "soort": SOORT,
        "onderbouwing": "",
        "beoordelaar": "deadline-sweep",
        "pijlers": {},
        "coulant": False,
        "datum": datum,
        "ronde": RONDE,
        "beleidsversie": beleid_van(stand, datum).versie,
        "rechtsmiddel": "bezwaar",
        "dictum": [dictum],
        "motivering": motivering,
        "regels": [
            ["Dwangsom bij niet tijdig beslissen op een aanvraag", "Awb 4:17"],
            ["Vaststelling binnen twee weken na de laatste dag van de dwangsom", "Awb 4:18"],
            [
                "Bezwaar tegen het besluit op de aanvraag geldt ook voor deze vaststelling",
                "Awb 4:19",
            ],
            ["Betaling van een geldsom binnen zes weken", "Awb 4:87"],
        ],
    }


def _aanvrager(stand: Stand) -> str:
    """Awb 4:17 lid 1: the dwangsom is owed to the aanvrager, the provider or, in a pgb
    aanvraag without provider, the budgethouder (models/aanvrager.py)."""
    return "de budgethouder" if stand.aanvraag.agb is None else "de zorgaanbieder"


def _berekening(dagen: int) -> str:
    delen, gehad = [], 0
    for aantal, euro in TARIEVEN:
        n = min(aantal, max(0, dagen - gehad))
        if n:
            delen.append(f"{n} dagen x {bedrag_nl(euro)} = {bedrag_nl(n * euro)}")
        gehad += aantal
    return "; ".join(delen) + f"; totaal {bedrag_nl(bedrag(dagen))}"
