"""The forms of the bezwaar's waits (models/bezwaar.py) and their Dutch titles.
Every field has a default (a timer resumes a run with `{}`), choices are Literals with a
first "kies" value, no `X | None` unions; the rules check what a field must hold."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from models.dates import vandaag
from models.engine import Formulier


def _behandelaar():
    return Field(
        "",
        title="Behandelaar (medewerker-id)",
        description="Niet wie het besluit nam of bevestigde (Awb 7:5); geen CCE",
    )


def _peildatum():
    return Field(default_factory=vandaag, title="Datum", description="Standaard vandaag")


def _verdagen():
    return Field(False, title="Verdagen", description="Eenmaal zes weken (Awb 7:10 lid 3)")


def _reden():
    return Field("", title="Reden van de verdaging", description="Komt in de brief")


Indiener = Literal["zorgaanbieder", "client", "vertegenwoordiger", "budgethouder"]


class Bezwaarschrift(Formulier):
    """Een ontvangen bezwaarschrift tegen het besluit (Awb 6:7-6:9), met gronden of pro forma
    (Awb 6:5, 6:6)."""

    ontvangen: dt.date = Field(default_factory=vandaag, title="Ontvangen op")
    verzonden: str = Field(
        "",
        title="Verzonden op (JJJJ-MM-DD)",
        description="Alleen bij verzending per post: tijdig verzonden telt (Awb 6:9)",
    )
    gronden: str = Field("", title="Gronden van het bezwaar (Awb 6:5)")
    pro_forma: bool = Field(
        False,
        title="Pro forma",
        description="Nog zonder gronden: de indiener krijgt een termijn om ze aan te vullen "
        "(Awb 6:6)",
    )
    indiener: Indiener = Field("zorgaanbieder", title="Indiener")
    client: str = Field(
        "",
        title="Cliënt (id)",
        description="Bij een cliënt, vertegenwoordiger of budgethouder: om welke cliënt het gaat",
    )
    adviescommissie: bool = Field(
        False,
        title="Adviescommissie",
        description="Een commissie adviseert over het bezwaar: de beslistermijn is twaalf weken "
        "in plaats van zes (Awb 7:13, 7:10 lid 1)",
    )
    ingediend_door: str = Field("", title="Geregistreerd door (medewerker-id)")
    peildatum: dt.date = _peildatum()


def _over_een_week() -> dt.date:
    # Awb 7:4 lid 2: the stukken lie open at least a week before the hoorzitting.
    return vandaag() + dt.timedelta(days=7)


class BezwaarGronden(Formulier):
    """De gronden van een pro forma bezwaar (Awb 6:5, 6:6), of na de termijn: niet-ontvankelijk."""

    behandelaar: str = Field(
        "",
        title="Medewerker-id",
        description="Wie de gronden registreert of beslist; niet-ontvankelijk alleen door wie "
        "het besluit niet nam (Awb 7:5)",
    )
    handeling: Literal["kies", "gronden", "niet-ontvankelijk"] = Field(
        "kies",
        title="Gronden",
        description="De ontvangen gronden invullen, of na de termijn niet-ontvankelijk (Awb 6:6)",
    )
    gronden: str = Field("", title="Gronden van het bezwaar (Awb 6:5)")
    ontvangen: dt.date = Field(default_factory=vandaag, title="Gronden ontvangen op")
    indiener: Literal["kies", "zorgaanbieder", "client", "vertegenwoordiger", "budgethouder"] = (
        Field(
            "kies", title="Indiener", description="Alleen nodig als meer indieners gronden missen"
        )
    )
    client: str = Field(
        "", title="Cliënt (id)", description="Idem, bij een indiener van een cliënt"
    )
    onderbouwing: str = Field("", title="Onderbouwing (bij niet-ontvankelijk)")
    verdagen: bool = _verdagen()
    reden_verdaging: str = _reden()
    peildatum: dt.date = _peildatum()


class Verschoonbaarheid(Formulier):
    """Het bezwaar kwam te laat: is dat verschoonbaar (Awb 6:11)?"""

    behandelaar: str = _behandelaar()
    oordeel: Literal["kies", "verschoonbaar", "niet-ontvankelijk"] = Field("kies", title="Oordeel")
    onderbouwing: str = Field("", title="Onderbouwing")
    verdagen: bool = _verdagen()
    reden_verdaging: str = _reden()
    peildatum: dt.date = _peildatum()


class Hoorzitting(Formulier):
    """De hoorzitting plannen (Awb 7:2) of ervan afzien op een grond van Awb 7:3."""

    behandelaar: str = _behandelaar()
    handeling: Literal["kies", "plannen", "afzien"] = Field("kies", title="Hoorzitting")
    hoorzitting_op: dt.date = Field(
        default_factory=_over_een_week,
        title="Datum van de hoorzitting",
        description="Ten minste een week na de uitnodiging, die vandaag uitgaat (Awb 7:4)",
    )
    grond_afzien: Literal[
        "kies",
        "kennelijk niet-ontvankelijk",
        "kennelijk ongegrond",
        "indiener ziet af",
        "volledig tegemoetgekomen",
    ] = Field("kies", title="Grond om af te zien van horen (Awb 7:3)")
    verdagen: bool = _verdagen()
    reden_verdaging: str = _reden()
    peildatum: dt.date = _peildatum()


class BeslissingOpBezwaar(Formulier):
    """De beslissing op bezwaar met onderbouwing (Awb 7:11, 7:12)."""

    behandelaar: str = _behandelaar()
    uitkomst: Literal[
        "kies", "gegrond", "gedeeltelijk-gegrond", "ongegrond", "niet-ontvankelijk"
    ] = Field(
        "kies",
        title="Uitkomst",
        description="(Gedeeltelijk) gegrond: het besluit wordt (voor dat deel) herroepen en "
        "de aanvraag opnieuw beoordeeld (Awb 7:11)",
    )
    onderbouwing: str = Field(
        "", title="Onderbouwing", description="Bij gedeeltelijk gegrond: welk deel"
    )
    advies_commissie: Literal[
        "kies", "gegrond", "gedeeltelijk-gegrond", "ongegrond", "niet-ontvankelijk"
    ] = Field(
        "kies",
        title="Advies van de commissie",
        description="Alleen met een adviescommissie; wijkt de beslissing af, zeg waarom "
        "(Awb 7:13 lid 7)",
    )
    kosten_gevraagd: bool = Field(
        False, title="Kostenvergoeding gevraagd", description="Voor de beslissing (Awb 7:15)"
    )
    kosten_toegekend: bool = Field(
        False, title="Kostenvergoeding toegekend", description="Alleen bij herroepen (Awb 7:15)"
    )
    kosten_bedrag: float = Field(0.0, title="Bedrag kostenvergoeding (euro)")
    verslag: bool = Field(
        False,
        title="Verslag van de hoorzitting vastleggen",
        description="In plaats van beslissen: eerst het verslag (Awb 7:7)",
    )
    gehoord: str = Field(
        "",
        title="Gehoord",
        description="Rollen van de gehoorde indieners, komma-gescheiden, of 'niemand'",
    )
    verslag_op: dt.date = Field(default_factory=vandaag, title="Verslag opgemaakt op")
    verslag_verzonden_op: str = Field(
        "", title="Verslag verzonden op (JJJJ-MM-DD)", description="Aan de indieners"
    )
    verslag_tekst: str = Field("", title="Verslag van de hoorzitting")
    verdagen: bool = _verdagen()
    reden_verdaging: str = _reden()
    peildatum: dt.date = _peildatum()
