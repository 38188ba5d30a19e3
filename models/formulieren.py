"""The forms of the zaak's waits (models/proces.py: ZAAK), as pydantic models with their
Dutch titles; the flow wraps them as Prefect's RunInput (flows/driver.py). Every field has a
default so that a timer can resume a run with `{}`; what a field must hold is checked by the
rules, and an invalid answer comes back as a new wait with the error on the case card."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from models.aanvraag import Aanvraag
from models.dates import vandaag
from models.engine import Formulier

# Choices as dropdowns with an explicit first "kies" value: a default that a timer's `{}`
# can take, and no `X | None` union (Prefect's form renders those as a type toggle).
Oordeel = Literal["kies", "voldoet", "voldoet deels", "voldoet niet"]
Uitkomst = Literal["kies", "toekennen", "bijstellen", "afwijzen"]


def _pijler(nummer: int, naam: str, vraag: str):
    return Field("kies", title=f"Pijler {nummer}: {naam}", description=f"{vraag} (R §10)")


# Help texts only where they say something the title does not: the form must stay short.
def _motivering(naam: str):
    return Field("", title=f"Motivering {naam}")


def _criterium(vraag: str, uitleg: str | None = None):
    return Field(False, title=vraag, description=uitleg)


class Beoordeling(Formulier):
    """Beslissing van de beoordelaar van het zorgkantoor, in de volgorde van de beoordeling:
    de drie pijlers, de toetsingscriteria, de uitkomst en bij toekennen termijn, bedrag en
    perspectief (models/besluit_regels.py controleert alles)."""

    kwaliteit_van_leven: Oordeel = _pijler(
        1, "kwaliteit van leven", "Draagt de meerzorg bij aan behoud of verbetering?"
    )
    kwaliteit_van_leven_motivering: str = _motivering("kwaliteit van leven")
    doelmatigheid: Oordeel = _pijler(
        2, "doelmatigheid", "Worden de middelen effectief en efficiënt ingezet?"
    )
    doelmatigheid_motivering: str = _motivering("doelmatigheid")
    maatschappelijk_verantwoord: Oordeel = _pijler(
        3, "maatschappelijk verantwoord", "Is het redelijk, zijn andere opties benut?"
    )
    maatschappelijk_verantwoord_motivering: str = _motivering("maatschappelijk verantwoord")
    zorg_en_context: bool = _criterium(
        "Zorg en context, geen welzijnsactiviteiten",
        "Algemene toetsingscriteria (R §10): toekennen vraagt bij elk ja",
    )
    basis_op_orde: bool = _criterium("Basiszorg en context vanuit het zorgprofiel op orde")
    past_niet_in_profiel: bool = _criterium("Zorgvraag past niet in het reguliere zorgprofiel")
    andere_opties_eerst: bool = _criterium("Andere mogelijkheden eerst ingezet of afgewogen")
    afbouw_overwogen: bool = _criterium("Doelen geven perspectief; afbouw overwogen")
    in_verhouding: bool = _criterium("Inzet en bedrag in verhouding (ook tot vergelijkbare)")
    uitkomst: Uitkomst = Field(
        "kies",
        title="Uitkomst",
        description="Toekennen: drie pijlers met motivering (geen 'voldoet niet'), alle criteria "
        "ja en het perspectief",
    )
    onderbouwing: str = Field(
        "",
        title="Onderbouwing",
        description="Verplicht bij bijstellen, afwijzen en bij minder of meer dan gevraagd "
        "(Awb 3:47); wijkt u af van het advies van de toets, noem het advies en weeg af "
        "(Awb 3:46)",
    )
    coulante_afweging: str = Field(
        "",
        title="Coulante afweging (verlenging thuis)",
        description="N 2025: verplicht bij afwijzen van een verlenging thuis; alleen daar",
    )
    bijstelling_weken: int = Field(
        0,
        title="Bijstellen: termijn in weken",
        description="Alleen bij bijstellen (R §10), 1–12; 0: de standaardtermijn (4 weken)",
    )
    instemming_opschorting: bool = Field(
        False,
        title="Bijstellen: aanvrager stemt in met opschorting van de beslistermijn",
        description="Awb 4:15 lid 2 sub a; zonder instemming loopt de beslistermijn door",
    )
    start: str = Field(
        "", title="Start beschikking", description="JJJJ-MM-DD; leeg: de start uit de toets"
    )
    eind: str = Field(
        "", title="Eind beschikking", description="JJJJ-MM-DD; leeg: het eind uit de toets"
    )
    bedrag_per_jaar: float = Field(
        0.0,
        ge=0,
        title="Bedrag per jaar (euro)",
        description="0: het bedrag van de rekentool; meer vraagt een tweede beoordelaar",
    )
    perspectief_verwachting: str = Field(
        "",
        title="Perspectief: verwachte afbouw",
        description="Verplicht bij toekennen (R §10)",
    )
    evalueren_op: str = Field(
        "",
        title="Perspectief evalueren op",
        description="JJJJ-MM-DD, binnen de termijn; verplicht bij toekennen",
    )
    beoordelaar: str = Field("", title="Beoordelaar", description="Uw medewerker-id")
    peildatum: dt.date = Field(
        default_factory=vandaag, title="Besluitdatum", description="Standaard vandaag"
    )


class AangepasteAanvraag(Formulier):
    """Aangepaste of bijgestelde aanvraag van de zorgaanbieder."""

    aanvraag: Aanvraag | None = None
    ingediend_door: str = ""
    peildatum: dt.date | None = Field(None, description="Datum van ontvangst (leeg: vandaag)")


class Termijnmelding(Formulier):
    """De beschikking loopt; de deadline-sweep hervat deze zaak op zijn termijnen. Hier kunt u
    een CCE-ontwikkeltraject of een periodiek contact van het zorgkantoor met de client thuis
    (met de bevinding) vastleggen."""

    ontwikkeltraject_client: str = Field("", description="Client-id van het ontwikkeltraject")
    bijeenkomst_1: dt.date | None = None
    bijeenkomst_2: dt.date | None = None
    contact_client: str = Field("", description="Client-id van het periodieke contact (thuis)")
    contact_datum: dt.date | None = None
    contact_verslag: str = ""
    # N 2025: is the situation at home responsible? `niet verantwoord` signals operations.
    contact_bevinding: Literal["verantwoord", "zorgen", "niet verantwoord"] = Field(
        "verantwoord", description="Bevinding van het contact (zorgen: licht toe in het verslag)"
    )
    ingediend_door: str = Field(
        "", description="Medewerker-id (het contact legt alleen het zorgkantoor vast, niet het CCE)"
    )
    peildatum: dt.date | None = None


class Evaluatie(Formulier):
    """Herbeoordeling (PDCA): evaluatie van de doelen en eventueel de aanvraag tot verlenging."""

    doelen_behaald: Literal["behaald", "deels", "niet"] | None = None
    toelichting: str = ""
    verlenging: Aanvraag | None = Field(
        None, description="De aanvraag tot verlenging (leeg: geen verlenging)"
    )
    ingediend_door: str = ""
    peildatum: dt.date | None = None


class PassendeOvergang(Formulier):
    """Passende overgang (VG7-plus, of een afgewezen verlenging thuis)."""

    geregeld: bool = False
    geen_passende_zorg: bool = Field(
        False, description="Signaal: binnen de regels geen passende zorg mogelijk"
    )
    toelichting: str = ""
    ingediend_door: str = ""
    peildatum: dt.date | None = None
