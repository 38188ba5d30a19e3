"""A simple case kind for the tests, and the example of docs/uitbreiden.md: the whole kind is
this package. It is loaded through MEERZORG_SOORTEN (tests/flows/conftest.py) or
tasks/soorten.neem_op (the integration tests), never from the source tree's models/soorten/.

A "voorbeeld" is announced (the action plans a reminder in 14 days), then waits for a
confirmation by a deciding role; the reminder counts in its data and renews the wait; an
answer with `akkoord` closes it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from models.eenvoudige_soort import EenvoudigeSoort, Gegevens, GevalStand
from models.engine import Formulier, OngeldigeInvoer, Overgang, Soort, Termijn, TermijnRegel, Wacht
from models.overgang import BESLISSENDE_ROLLEN

HERINNERING_NA = dt.timedelta(days=14)


class VoorbeeldStatus(StrEnum):
    AANGEMELD = "aangemeld"
    TE_BEVESTIGEN = "te_bevestigen"
    BEVESTIGD = "bevestigd"


class Voorbeeld(BaseModel):
    """The case's own data: a code, never a name."""

    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Z0-9-]+$")
    herinneringen: int = 0
    bevestigd_door: str | None = None


class Bevestiging(Formulier):
    """Bevestig het voorbeeldgeval."""

    akkoord: bool = Field(False, description="Het geval is bevestigd")
    medewerker: str = Field("", description="Medewerker-id")
    peildatum: dt.date | None = Field(None, description="Verwerkingsdatum (leeg: vandaag)")


def aanmelden(stand: GevalStand, peildatum: dt.date) -> Overgang:
    return Overgang(
        status=VoorbeeldStatus.TE_BEVESTIGEN,
        actie="voorbeeld_aangemeld",
        effecten=(Termijn("herinnering", peildatum + HERINNERING_NA),),
    )


def bevestig(stand: GevalStand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    if not invoer.get("akkoord"):
        raise OngeldigeInvoer("vink akkoord aan om het geval te bevestigen")
    medewerker = str(invoer.get("medewerker") or "").strip()
    return Overgang(
        status=VoorbeeldStatus.BEVESTIGD,
        actie="voorbeeld_bevestigd",
        nieuwe_wacht=False,
        effecten=(Gegevens(stand.gegevens.model_copy(update={"bevestigd_door": medewerker})),),
    )


def herinner(stand: GevalStand, datum: dt.date) -> Overgang:
    """The reminder: counted in the case's data, and a new wait (its run is resumed)."""
    n = stand.gegevens.herinneringen + 1
    return Overgang(
        status=stand.status,
        actie="voorbeeld_herinnering",
        effecten=(Gegevens(stand.gegevens.model_copy(update={"herinneringen": n})),),
    )


def kaart(stand: GevalStand) -> str:
    g = stand.gegevens
    return (
        f"## Voorbeeld {stand.key}\n\nCode {g.code}, status {stand.status}, "
        f"{g.herinneringen} herinnering(en)."
    )


SOORT = EenvoudigeSoort(
    soort=Soort(
        naam="voorbeeld",
        statussen=VoorbeeldStatus,
        gesloten=frozenset({VoorbeeldStatus.BEVESTIGD}),
        acties=frozenset({VoorbeeldStatus.AANGEMELD}),
        termijnregels={
            "herinnering": TermijnRegel(frozenset({VoorbeeldStatus.TE_BEVESTIGEN}), herinner)
        },
        wachten=(
            Wacht(
                VoorbeeldStatus.TE_BEVESTIGEN,
                "bevestiging",
                "Wacht op de **bevestiging** van het geval: vink **akkoord** aan.",
                ("herinnering",),
                Bevestiging,
                "medewerker",
                bevestig,
                rollen=BESLISSENDE_ROLLEN,
            ),
        ),
    ),
    stand=Voorbeeld,
    kaart=kaart,
    begin=VoorbeeldStatus.AANGEMELD,
    actie=aanmelden,
)
