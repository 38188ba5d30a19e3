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


class Bezwaarschrift(Formulier):
    """Een ontvangen bezwaarschrift tegen het besluit (Awb 6:7-6:9)."""

    ontvangen: dt.date = Field(default_factory=vandaag, title="Ontvangen op")
    verzonden: str = Field(
        "",
        title="Verzonden op (JJJJ-MM-DD)",
        description="Alleen bij verzending per post: tijdig verzonden telt (Awb 6:9)",
    )
    gronden: str = Field("", title="Gronden van het bezwaar (Awb 6:5)")
    indiener: Literal["zorgaanbieder", "client", "vertegenwoordiger"] = Field(
        "zorgaanbieder", title="Indiener"
    )
    ingediend_door: str = Field("", title="Geregistreerd door (medewerker-id)")
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
    hoorzitting_op: dt.date = Field(default_factory=vandaag, title="Datum van de hoorzitting")
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
    uitkomst: Literal["kies", "gegrond", "ongegrond", "niet-ontvankelijk"] = Field(
        "kies", title="Uitkomst", description="Gegrond: het besluit wordt herroepen (Awb 7:11)"
    )
    onderbouwing: str = Field("", title="Onderbouwing")
    verdagen: bool = _verdagen()
    reden_verdaging: str = _reden()
    peildatum: dt.date = _peildatum()
