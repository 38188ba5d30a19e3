"""The yearly meerzorgdialoog per provider (R §10, DOMAIN.md §9), as pure rules: its
vocabulary and its dates.

Every year the zorgkantoor holds a dialoog with each provider that has meerzorg, together
with the CCE, on five fixed agenda items. The dialoog for year J is prepared in the autumn
of J-1: the invitation goes out by `uitnodiging_uiterlijk`, the meerzorgplan (and group
evaluation) is due `meerzorgplan_weken_voor` weeks before the dialoog, a reminder precedes
that date and operations hear of a plan that is still missing after it. The afspraken of
J are the terugblik (item 1) of J+1.

States of one dialoog:
    gepland --uitnodigen--> uitgenodigd --meerzorgplan ontvangen--> plan_ontvangen
        --verslag--> afgerond          (gepland --provider has no meerzorg--> vervallen)

Here: the agenda, the statuses, the stand and the dates (invitation, plan, timers) of a
dialoog and the row of a newly planned one. The events, the case kind `DIALOOG` and the
card are in models/dialoog_proces.py; like models/proces.py they take a stand and an event
and return an Overgang, which tasks/dialoog.py applies in one transaction. The messages
are in models/berichten.py. No Prefect, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from models.beleid import DialoogBeleid
from models.engine import Bericht, Gewijzigd, Herpland, Overgang, Termijn

# (key, title, what the item covers) — the five fixed agenda items of R §10.
AGENDA: tuple[tuple[str, str, str], ...] = (
    (
        "terugblik",
        "1. Terugblik op de afspraken van vorig jaar",
        "lessen, materiele controle, dilemma's, successen",
    ),
    ("meerzorgplan", "2. Bespreken van het meerzorgplan", "het meerzorgplan en de groepsevaluatie"),
    (
        "samenwerking_cce",
        "3. Samenwerking zorgaanbieder en CCE rond de ontwikkeltrajecten",
        "voortgang en planning van de ontwikkeltrajecten",
    ),
    (
        "sturing",
        "4. Sturing op kwaliteit, doelmatigheid en betaalbaarheid komend jaar",
        "hoe de zorgaanbieder stuurt in het komende jaar",
    ),
    ("afspraken", "5. Samenvatting van gemaakte afspraken", "een afspraak per regel"),
)
AGENDA_KEYS = tuple(k for k, _, _ in AGENDA)


class DialoogStatus(StrEnum):
    GEPLAND = "gepland"
    UITGENODIGD = "uitgenodigd"
    PLAN_ONTVANGEN = "plan_ontvangen"
    AFGEROND = "afgerond"
    VERVALLEN = "vervallen"


GESLOTEN = frozenset({DialoogStatus.AFGEROND, DialoogStatus.VERVALLEN})
TE_LAAT = "meerzorgplan-te-laat"


def dialoog_key(agb: str, jaar: int) -> str:
    """The dialoog's public key: run name, notification and audit reference."""
    return f"dialoog-{agb}-{jaar}"


@dataclass(frozen=True, slots=True)
class Data:
    uitnodiging: dt.date
    meerzorgplan_uiterlijk: dt.date
    dialoog: dt.date


@dataclass(frozen=True, slots=True)
class DialoogStand:
    """What the rules need to know of one dialoog."""

    agb: str
    jaar: int
    status: str
    stap: int
    uitnodiging: dt.date
    meerzorgplan_uiterlijk: dt.date
    dialoog: dt.date
    vorige_afspraken: str | None = None
    notities: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return dialoog_key(self.agb, self.jaar)


@dataclass(frozen=True, slots=True)
class VolgendJaarGepland:
    """At completion: next year's dialoog, with these afspraken as its terugblik."""

    jaar: int
    vorige_afspraken: str


@dataclass(frozen=True, slots=True)
class VerslagNaarAanbieder:
    """At completion: the verslag as a letter to the provider (R §10), carried by this
    message (the dialoog key and dates only); the letter stays in the case database."""

    bericht: Bericht


class DialoogOvergang(Overgang):
    """The engine's Overgang, with readers for the dialoog's effects."""

    __slots__ = ()

    @property
    def wijzigingen(self) -> dict:
        out: dict = {}
        for e in self.alle(Gewijzigd):
            out.update(e.velden)
        return out

    @property
    def volgend_jaar(self) -> dict | None:
        e = self.een(VolgendJaarGepland)
        return {"jaar": e.jaar, "vorige_afspraken": e.vorige_afspraken} if e else None

    @property
    def verslag(self) -> Bericht | None:
        e = self.een(VerslagNaarAanbieder)
        return e.bericht if e else None

    @property
    def herplan(self) -> bool:
        return bool(self.alle(Herpland))


# --- dates -------------------------------------------------------------------------------


def data_voor(
    jaar: int,
    beleid: DialoogBeleid,
    uitnodiging: dt.date | None = None,
    dialoog: dt.date | None = None,
) -> Data:
    """The dates of the dialoog for `jaar`. Without `uitnodiging`: the policy's latest
    invitation date (in J-1). The dialoog keeps at least the policy's preparation time
    after the invitation, so a late invitation moves the dialoog, never the plan's lead."""
    uitnodiging = uitnodiging or beleid.maand_dag("uitnodiging_uiterlijk", jaar - 1)
    dialoog = dialoog or beleid.maand_dag("dialoog_standaard", jaar)
    voor = dt.timedelta(weeks=beleid.meerzorgplan_weken_voor)
    vroegst = uitnodiging + dt.timedelta(weeks=beleid.min_voorbereiding_weken) + voor
    dialoog = max(dialoog, vroegst)
    return Data(uitnodiging=uitnodiging, meerzorgplan_uiterlijk=dialoog - voor, dialoog=dialoog)


def planbare_jaren(peildatum: dt.date, beleid: DialoogBeleid) -> list[int]:
    """The years whose dialoog a provider that has meerzorg now, and no dialoog planned for
    that year, still gets (R §10: a dialoog every year). This year's when an invitation
    today leaves the policy's preparation time within the year (aanname: a dialoog that
    cannot be held this year is not planned into the next); next year's once the yearly
    planning (`planning_vanaf`, in J-1) has passed, before that the yearly planning will."""
    jaar = peildatum.year
    jaren = []
    if data_voor(jaar, beleid, uitnodiging=peildatum).dialoog.year == jaar:
        jaren.append(jaar)
    if peildatum >= beleid.maand_dag("planning_vanaf", jaar):
        jaren.append(jaar + 1)
    return jaren


def meerzorgplan_uiterlijk(dialoog: dt.date, beleid: DialoogBeleid) -> dt.date:
    return dialoog - dt.timedelta(weeks=beleid.meerzorgplan_weken_voor)


def plan_termijnen(data: Data, beleid: DialoogBeleid, peildatum: dt.date) -> tuple[Termijn, ...]:
    """Timers while waiting for the meerzorgplan: a reminder before the due date (skipped
    when that day has passed already) and an escalation after it."""
    out = []
    herinnering = data.meerzorgplan_uiterlijk - dt.timedelta(
        days=beleid.herinnering_dagen_voor_plan
    )
    if herinnering > peildatum:
        out.append(Termijn("herinnering_meerzorgplan", herinnering))
    out.append(
        Termijn(
            "escalatie_meerzorgplan",
            data.meerzorgplan_uiterlijk + dt.timedelta(days=beleid.escalatie_dagen_na_plan),
        )
    )
    return tuple(out)


def terugblik_prefill(jaar: int, afspraken: str | None) -> str:
    """Item 1 of next year's dialoog: this year's afspraken, one per line."""
    regels = afspraak_regels(afspraken)
    if not regels:
        return ""
    return f"Afspraken uit de meerzorgdialoog {jaar}:\n" + "\n".join(f"- {r}" for r in regels)


def afspraak_regels(tekst: str | None) -> list[str]:
    regels = []
    for regel in (tekst or "").splitlines():
        regel = regel.strip().lstrip("-*").strip()
        if regel:
            regels.append(regel)
    return regels


@dataclass(frozen=True, slots=True)
class NieuweDialoog:
    """The row of a newly planned dialoog."""

    agb: str
    jaar: int
    data: Data
    vorige_afspraken: str | None
    notities: dict
    termijnen: tuple[Termijn, ...]


def nieuwe_dialoog(
    agb: str, jaar: int, beleid: DialoogBeleid, vorige_afspraken: str | None = None
) -> NieuweDialoog:
    """A planned dialoog: dates from the policy, item 1 prefilled with last year's afspraken,
    and a safety timer: still not invited at the latest invitation date -> operations."""
    data = data_voor(jaar, beleid)
    prefill = terugblik_prefill(jaar - 1, vorige_afspraken)
    return NieuweDialoog(
        agb=agb,
        jaar=jaar,
        data=data,
        vorige_afspraken=vorige_afspraken,
        notities={"terugblik": prefill} if prefill else {},
        termijnen=(Termijn("uitnodiging_uiterlijk", data.uitnodiging),),
    )


def herplan_gepland(stand: DialoogStand, beleid: DialoogBeleid) -> Data | None:
    """A planned, not yet invited dialoog follows the policy in force when it is planned
    again (timers are data). None when its dates do not change."""
    if stand.status != "gepland":
        return None
    data = data_voor(stand.jaar, beleid)
    huidig = Data(stand.uitnodiging, stand.meerzorgplan_uiterlijk, stand.dialoog)
    return None if data == huidig else data


def verslag_termijn(dialoog: dt.date, beleid: DialoogBeleid) -> Termijn:
    return Termijn(
        "verslag_herinnering", dialoog + dt.timedelta(days=beleid.verslag_herinnering_dagen)
    )


class Berekend(NamedTuple):
    """The dialoog row's own date a timer is planned from (plan_termijnen, verslag_termijn),
    as the werkbak shows the wait's term (models/werkbak_overig.dialoog_termijn)."""

    naam: str  # the term's name in the werkbak
    veld: str  # the OpenDialoog date
    altijd: bool  # that date is the term even while the timer is open (the timer watches it)


# Timer kind -> the date behind it: the deadline where a wait's term is computed, not a row.
BEREKEND: dict[str, Berekend] = {
    # plan_termijnen: a reminder before and an escalation after the meerzorgplan's due date.
    # They watch the due date, they are not it: the wait's term is the due date itself,
    # overdue once it has passed, whichever of the two is still open.
    "herinnering_meerzorgplan": Berekend("meerzorgplan_uiterlijk", "meerzorgplan_uiterlijk", True),
    "escalatie_meerzorgplan": Berekend("meerzorgplan_uiterlijk", "meerzorgplan_uiterlijk", True),
    # verslag_termijn: the verslag is due on its reminder's day; once the reminder has fired
    # (or is gone) the wait is measured against the dialoog's own date.
    "verslag_herinnering": Berekend("dialoog_datum", "dialoog", False),
}
# How the werkbak names an open timer's day (else by its kind).
TERMIJN_NAAM = {"verslag_herinnering": "verslag_uiterlijk"}
