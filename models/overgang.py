"""The zaak's vocabulary: its statuses, the stand the rules read and the Overgang they
return (models/proces.py declares the kind; models/db/zaak_store.py applies an Overgang)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from models.aanvraag import Aanvraag
from models.engine import Overgang, Termijn


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


# --- the zaak's own effects (models/db/zaak_store.py applies each with one handler) --------------


@dataclass(frozen=True, slots=True)
class ToetsVastgelegd:
    toets: dict
    beleidsversie: str


@dataclass(frozen=True, slots=True)
class AanvraagGewijzigd:
    """A corrected or adjusted aanvraag replaces the one on the zaak."""

    aanvraag: dict


@dataclass(frozen=True, slots=True)
class NieuweRonde:
    """A new round of assessment (the toets passed again, or a bezwaar reopened it)."""


@dataclass(frozen=True, slots=True)
class BesluitVastgelegd:
    besluit: dict


@dataclass(frozen=True, slots=True)
class BeschikkingAfgegeven:
    """One client's beschikking (a group gets one per client)."""

    beschikking: dict


@dataclass(frozen=True, slots=True)
class VoorlopigBesluit:
    """The first beoordelaar's toekenning waiting for the second; None clears it."""

    besluit: dict | None


@dataclass(frozen=True, slots=True)
class EvaluatieVastgelegd:
    evaluatie: dict
    goed_voorbeeld: bool


@dataclass(frozen=True, slots=True)
class VervolgAangevraagd:
    """A verlenging aanvraag that starts a new zaak linked to this one."""

    aanvraag: dict


@dataclass(frozen=True, slots=True)
class OntwikkeltrajectVastgelegd:
    traject: dict  # client_id, bijeenkomst_1, bijeenkomst_2


@dataclass(frozen=True, slots=True)
class ContactVastgelegd:
    contact: dict  # client_id, datum, verslag


@dataclass(frozen=True, slots=True)
class ClientBeeindigd:
    """A client leaves the group: its beschikking ends early on `eind`."""

    client_id: str
    eind: dt.date


class ZaakOvergang(Overgang):
    """The engine's Overgang, with readers for the zaak's effects (rules and tests read
    them; models/db/zaak_store.py applies the effects one by one)."""

    __slots__ = ()

    @property
    def deadlines(self) -> tuple[Termijn, ...]:
        return self.termijnen

    @property
    def besluit(self) -> dict | None:
        e = self.een(BesluitVastgelegd)
        return e.besluit if e else None

    @property
    def beschikkingen(self) -> tuple[dict, ...]:
        return tuple(e.beschikking for e in self.alle(BeschikkingAfgegeven))

    @property
    def toets(self) -> dict | None:
        e = self.een(ToetsVastgelegd)
        return e.toets if e else None

    @property
    def nieuwe_ronde(self) -> bool:
        return bool(self.alle(NieuweRonde))
