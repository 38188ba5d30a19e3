"""The forms of the meerzorgdialoog's waits (models/dialoog_proces.py: DIALOOG), as pydantic
models; the flow wraps them as Prefect's RunInput (flows/driver.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from models.engine import Formulier


class Meerzorgplan(Formulier):
    """Het meerzorgplan en de groepsevaluatie van de zorgaanbieder, of een nieuwe dialoogdatum."""

    ontvangen: bool = Field(False, description="Meerzorgplan en groepsevaluatie zijn ontvangen")
    ontvangen_op: dt.date | None = Field(None, description="Datum van ontvangst (leeg: vandaag)")
    document: str = Field("", description="Kenmerk of vindplaats van het meerzorgplan")
    dialoog_datum: dt.date | None = Field(
        None, description="Nieuwe datum van de dialoog (alleen invullen om te verplaatsen)"
    )
    medewerker: str = Field("", description="Medewerker-id")
    peildatum: dt.date | None = Field(None, description="Verwerkingsdatum (leeg: vandaag)")


class DialoogVerslag(Formulier):
    """Verslag van de meerzorgdialoog: de vijf vaste agendapunten (R §10) en de afspraken."""

    terugblik: str = Field(
        "",
        description="1. Terugblik op de afspraken van vorig jaar (lessen, materiele controle, "
        "dilemma's, successen)",
    )
    meerzorgplan: str = Field("", description="2. Bespreken van het meerzorgplan")
    samenwerking_cce: str = Field(
        "", description="3. Samenwerking zorgaanbieder en CCE rond de ontwikkeltrajecten"
    )
    sturing: str = Field(
        "",
        description="4. Hoe de zorgaanbieder stuurt op kwaliteit, doelmatigheid en "
        "betaalbaarheid komend jaar",
    )
    afspraken: str = Field(
        "", description="5. Samenvatting van gemaakte afspraken (een afspraak per regel)"
    )
    gehouden_op: dt.date | None = Field(None, description="Datum waarop de dialoog is gehouden")
    cce_aanwezig: bool = Field(
        False, description="Het CCE nam deel (vereist: de dialoog is met het CCE, R §10)"
    )
    verslaglegger: str = Field("", description="Medewerker-id van de verslaglegger")
    dialoog_datum: dt.date | None = Field(
        None, description="Nieuwe datum (alleen invullen om de dialoog te verplaatsen)"
    )
    peildatum: dt.date | None = Field(None, description="Verwerkingsdatum (leeg: vandaag)")
