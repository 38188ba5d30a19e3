"""The zaak's vocabulary: its statuses, the stand the rules read and the Overgang they
return (models/proces.py declares the kind; models/store.py applies an Overgang)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from models.aanvraag import Aanvraag
from models.engine import Bericht


class ZaakStatus(StrEnum):
    GEREGISTREERD = "geregistreerd"
    HERSTEL = "herstel"
    BEOORDELING = "beoordeling"
    TWEEDE_BEOORDELING = "tweede_beoordeling"
    BIJSTELLING = "bijstelling"
    BEZWAARTERMIJN = "bezwaartermijn"
    LOPEND = "lopend"
    HERBEOORDELING = "herbeoordeling"
    PASSENDE_OVERGANG = "passende_overgang"
    BUITEN_BEHANDELING = "buiten_behandeling"
    AFGEWEZEN = "afgewezen"
    BEEINDIGD = "beeindigd"


S = ZaakStatus
GESLOTEN = frozenset({S.BUITEN_BEHANDELING, S.AFGEWEZEN, S.BEEINDIGD})
# Statuses in which the zaak's beschikkingen run (their timers apply).
BESCHIKKING_ACTIEF = frozenset({S.LOPEND, S.HERBEOORDELING, S.PASSENDE_OVERGANG})
EVALUATIE_UITKOMSTEN = ("behaald", "deels", "niet")
PIJLERS = ("kwaliteit_van_leven", "doelmatigheid", "maatschappelijk_verantwoord")
ROLLEN = ("beoordelaar", "teamleider", "cce", "analist")
# R §10: the CCE advises and never takes part in the assessment; analysts only read.
BESLISSENDE_ROLLEN = ("beoordelaar", "teamleider")


@dataclass(frozen=True, slots=True)
class Stand:
    """What the rules need to know of a zaak."""

    key: str
    status: str
    stap: int
    ronde: int
    aanvraag: Aanvraag
    ingediend_op: dt.date
    toets: dict | None = None
    wacht_sinds: dt.date | None = None
    voorlopig_besluit: dict | None = None


@dataclass(frozen=True, slots=True)
class NieuweDeadline:
    soort: str
    datum: dt.date
    client_id: str | None = None
    # True: belongs to the new wait and lapses when the zaak leaves it.
    aan_wacht: bool = True


@dataclass(frozen=True, slots=True)
class Overgang:
    status: str
    actie: str
    nieuwe_wacht: bool = True
    wacht_op: str | None = None  # overrides WACHT_OP[status] (e.g. "verlenging")
    deadlines: tuple[NieuweDeadline, ...] = ()
    berichten: tuple[Bericht, ...] = ()
    toets: dict | None = None
    aanvraag: dict | None = None
    besluit: dict | None = None
    beschikkingen: tuple[dict, ...] = ()
    # Set: the first beoordelaar's toekenning waiting for the second; {}: clear it.
    voorlopig_besluit: dict | None = None
    evaluatie: dict | None = None
    goed_voorbeeld: bool | None = None
    # A verlenging aanvraag that starts a new zaak linked to this one.
    vervolg_aanvraag: dict | None = None
    ontwikkeltraject: dict | None = None
    contact: dict | None = None
    # client_id -> last day: beschikkingen that end early (a client leaves the group).
    beeindig_clienten: dict = field(default_factory=dict)
    nieuwe_ronde: bool = False
    beleidsversie: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def sluit(self) -> bool:
        return self.status in GESLOTEN
