"""The Resume forms. Every field has a default so that a timer can resume a run with `{}`;
what a field must hold is checked by the rules (models/proces.py), and an invalid answer
comes back as a new wait with the error on the case card."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from prefect.input import RunInput
from pydantic import Field

from models.aanvraag import Aanvraag
from models.proces import ZAAK

Oordeel = Literal["voldoet", "voldoet deels", "voldoet niet"]


class Beoordeling(RunInput):
    """Beslissing van de beoordelaar van het zorgkantoor."""

    uitkomst: Literal["toekennen", "bijstellen", "afwijzen"] | None = Field(
        None, description="toekennen, bijstellen of afwijzen"
    )
    onderbouwing: str = Field("", description="Verplicht bij bijstellen en afwijzen (Awb 3:47)")
    kwaliteit_van_leven: Oordeel | None = Field(None, description="Pijler 1")
    doelmatigheid: Oordeel | None = Field(None, description="Pijler 2")
    maatschappelijk_verantwoord: Oordeel | None = Field(None, description="Pijler 3")
    bedrag_per_jaar: float | None = Field(
        None, description="Toegekend bedrag per jaar (leeg: rekentool)"
    )
    start: dt.date | None = Field(
        None, description="Start van de beschikking (standaard uit de toets)"
    )
    eind: dt.date | None = Field(
        None, description="Eind van de beschikking (standaard uit de toets)"
    )
    beoordelaar: str = Field("", description="Medewerker-id van de beoordelaar")
    peildatum: dt.date | None = Field(None, description="Besluitdatum (leeg: vandaag)")


class AangepasteAanvraag(RunInput):
    """Aangepaste of bijgestelde aanvraag van de zorgaanbieder."""

    aanvraag: Aanvraag | None = None
    ingediend_door: str = ""
    peildatum: dt.date | None = Field(None, description="Datum van ontvangst (leeg: vandaag)")


class Bezwaar(RunInput):
    """Bezwaar tegen het besluit (Awb 6:7): heropent de beoordeling."""

    bezwaar: bool = False
    toelichting: str = ""
    ingediend_door: str = ""
    peildatum: dt.date | None = Field(None, description="Datum van ontvangst (leeg: vandaag)")


class Termijnmelding(RunInput):
    """De beschikking loopt; de deadline-sweep hervat deze zaak op zijn termijnen. Hier kunt u
    een CCE-ontwikkeltraject of een periodiek contact (thuis) vastleggen."""

    ontwikkeltraject_client: str = Field("", description="Client-id van het ontwikkeltraject")
    bijeenkomst_1: dt.date | None = None
    bijeenkomst_2: dt.date | None = None
    contact_client: str = Field("", description="Client-id van het periodieke contact (thuis)")
    contact_datum: dt.date | None = None
    contact_verslag: str = ""
    ingediend_door: str = ""
    peildatum: dt.date | None = None


class Evaluatie(RunInput):
    """Herbeoordeling (PDCA): evaluatie van de doelen en eventueel de aanvraag tot verlenging."""

    doelen_behaald: Literal["behaald", "deels", "niet"] | None = None
    toelichting: str = ""
    verlenging: Aanvraag | None = Field(
        None, description="De aanvraag tot verlenging (leeg: geen verlenging)"
    )
    ingediend_door: str = ""
    peildatum: dt.date | None = None


class PassendeOvergang(RunInput):
    """Passende overgang (VG7-plus, of een afgewezen verlenging thuis)."""

    geregeld: bool = False
    geen_passende_zorg: bool = Field(
        False, description="Signaal: binnen de regels geen passende zorg mogelijk"
    )
    toelichting: str = ""
    ingediend_door: str = ""
    peildatum: dt.date | None = None


# status -> its form, as each wait of the zaak declares it (models/proces.py: ZAAK).
FORMULIER = {w.status.value: globals()[w.formulier] for w in ZAAK.wachten}


def initial_data(status: str, toets: dict | None) -> dict:
    """Defaults shown in the form: the term from the toets for a decision."""
    wacht = ZAAK.wacht(status)
    if wacht is not None and wacht.rol == "beoordelaar" and toets:
        termijn = toets.get("termijn") or {}
        return {"start": termijn.get("start"), "eind": termijn.get("eind")}
    return {}
