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
    # Awb 4:7, 4:8: a voornemen tot afwijzing waits for the parties' zienswijze
    # (models/zienswijze.py).
    ZIENSWIJZE = "zienswijze"
    BEZWAARTERMIJN = "bezwaartermijn"
    LOPEND = "lopend"
    HERBEOORDELING = "herbeoordeling"
    PASSENDE_OVERGANG = "passende_overgang"
    # Bezwaar (Awb chapters 6-7) as waits of the zaak (models/bezwaar.py says why).
    BEZWAAR_GRONDEN = "bezwaar_gronden"  # a pro forma bezwaar waits for its gronden (6:6)
    BEZWAAR_GRONDEN_VERSTREKEN = "bezwaar_gronden_verstreken"  # their term passed: a person
    BEZWAAR_TE_LAAT = "bezwaar_te_laat"
    BEZWAAR_HOREN = "bezwaar_horen"
    BEZWAAR_BESLISSEN = "bezwaar_beslissen"
    BUITEN_BEHANDELING = "buiten_behandeling"
    AFGEWEZEN = "afgewezen"
    BEEINDIGD = "beeindigd"


S = ZaakStatus
GESLOTEN = frozenset({S.BUITEN_BEHANDELING, S.AFGEWEZEN, S.BEEINDIGD})
# Statuses in which the zaak's beschikkingen run (their timers apply).
BESCHIKKING_ACTIEF = frozenset({S.LOPEND, S.HERBEOORDELING, S.PASSENDE_OVERGANG})
EVALUATIE_UITKOMSTEN = ("behaald", "deels", "niet")
PIJLERS = ("kwaliteit_van_leven", "doelmatigheid", "maatschappelijk_verantwoord")
# "operations": beheer of the system (cancel or delete runs, models/toegang.py); aanname:
# technical staff who take no part in a zaak, so no rule below lets them decide.
ROLLEN = ("beoordelaar", "teamleider", "cce", "analist", "jurist", "operations")
# R §10: the CCE advises and never takes part in the assessment; analysts only read.
BESLISSENDE_ROLLEN = ("beoordelaar", "teamleider")
# Awb 7:5: a bezwaar is handled by someone not involved in the primary besluit: a deciding
# role that did not take it, or a jurist (aanname: a zorgkantoor's bezwaar staff are legal
# staff who take no primary decisions, hence a role of their own). The CCE never (R §10).
BEZWAAR_ROLLEN = ("jurist", *BESLISSENDE_ROLLEN)
BEZWAAR_STATUSSEN = frozenset(
    {
        S.BEZWAAR_GRONDEN,
        S.BEZWAAR_GRONDEN_VERSTREKEN,
        S.BEZWAAR_TE_LAAT,
        S.BEZWAAR_HOREN,
        S.BEZWAAR_BESLISSEN,
    }
)


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
    # Awb 4:15: days the beslistermijn was suspended while the provider completed the aanvraag.
    opgeschort_dagen: int = 0
    # Awb 4:14: days the beslistermijn was extended, once, with a notice to the provider.
    verlengd_dagen: int = 0
    # R §10 bijstellen: the request's term and the applicant's consent to suspend the
    # beslistermijn (Awb 4:15 lid 2 sub a), and how it ended (models/bijstelling.py).
    bijstelling: dict | None = None


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
class BeslistermijnOpgeschort:
    """Awb 4:15: the days from the request to complete the aanvraag to its completion are
    added to the beslistermijn (the zaak's `opgeschort_dagen`)."""

    dagen: int


@dataclass(frozen=True, slots=True)
class BeslistermijnVerlengd:
    """Awb 4:14: the beslistermijn extended once by `dagen`, with a reason (the zaak's
    `verlengd_dagen`)."""

    dagen: int
    reden: str


@dataclass(frozen=True, slots=True)
class BezwaarGeregistreerd:
    """A bezwaarschrift against one besluit (models/bezwaar.py): a `bezwaar` row, the
    procedure, with its first indiener in `indieners`."""

    bezwaar: dict


@dataclass(frozen=True, slots=True)
class BezwaarBijgewerkt:
    """A step of the bezwaar's handling (another indiener, gronden, behandelaar, hoorzitting,
    verdaging, beslissing): the columns of the zaak's open bezwaar that get a new value.
    `timers_vervallen`: its 7:10 timers lapse (a verdaging plans new ones; a beslissing ends
    them, and the 6:6 term's too). `heropend_ronde` among the velden (gegrond): the zaak's
    ronde becomes it, the ronde in which the new besluit is taken."""

    velden: dict
    timers_vervallen: bool = False


@dataclass(frozen=True, slots=True)
class NieuweRonde:
    """A new round of assessment (the toets passed again, or a bezwaar reopened it)."""


@dataclass(frozen=True, slots=True)
class BesluitVastgelegd:
    besluit: dict
    # Its letters are made and sent (models/db/brieven.py); False for a historical besluit
    # the bulk import records, whose letters were sent long ago.
    bekendmaken: bool = True


@dataclass(frozen=True, slots=True)
class Mededeling:
    """A letter that is no besluit (an acknowledgement, an invitation to the hoorzitting, a
    verdaging) to the parties of some clients with some roles: a client-side indiener of a
    bezwaar hears every step of it (Awb 7:12 lid 2 and 6:14), as the provider does by its
    message. The text is the message template's (models/berichten.py), as a letter."""

    sjabloon: str
    context: dict
    client_ids: tuple[str, ...]
    rollen: tuple[str, ...] = ("client", "vertegenwoordiger", "budgethouder")


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
