"""One engine for long-running cases, as pure declarations: a case kind (the zaak, the
meerzorgdialoog, later a bezwaar) names its statuses, which of them are closed, which ask
for an action, and for each waiting status one `Wacht`: what it waits for (`wacht_op`, the
one spelling used in tags, views and the werkvoorraad), the explanation on the card, the
timers that bound it, its form and the rule that handles the answer.

The driver (flows/driver.py) asks `volgende_stap`; the apply (models/db/engine_store.py)
sets the wait with `wacht_key`. Adding a wait is one `Wacht` in its kind's declaration,
one form class and one handler. No Prefect, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal


class OngeldigeInvoer(ValueError):
    """Form input that cannot be applied; the run waits again with this message."""


def medewerker_met_rol(
    wie: str | None,
    rollen: dict[str, str] | None,
    toegestaan: tuple[str, ...],
    *,
    als: str,
    mag_niet: str,
    leeg: str,
    onbekend: str = "",
) -> str:
    """The one rule behind every path that changes a case (a decision, an instroom, a bezwaar
    step, a contact): a registered medewerker whose role may do it. `rollen` None: the
    caller has no staff list (pure use), only the id is checked."""
    wie = (wie or "").strip()
    if not wie:
        raise OngeldigeInvoer(leeg)
    if rollen is None:
        return wie
    rol = rollen.get(wie)
    if rol is None:
        raise OngeldigeInvoer(f"{als} '{wie}' is niet geregistreerd{onbekend}")
    if rol not in toegestaan:
        raise OngeldigeInvoer(f"'{wie}' heeft de rol {rol} en {mag_niet}")
    return wie


def invoer_datum(value, veld: str = "") -> dt.date | None:
    """A date from a form field; empty is None, anything else unreadable is OngeldigeInvoer."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise OngeldigeInvoer(
            f"{veld + ' ' if veld else ''}'{value}' is geen datum (JJJJ-MM-DD)"
        ) from None


@dataclass(frozen=True, slots=True)
class Stap:
    soort: Literal["actie", "wacht", "klaar"]
    wacht_op: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Bericht:
    """A notification to queue in the transition's transaction (the outbox)."""

    sjabloon: str
    kanaal: Literal["aanbieder", "operations", "cce"] = "aanbieder"
    context: dict = field(default_factory=dict)
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class Termijn:
    """A timer row to plan; the sweep fires it once on `datum`."""

    soort: str
    datum: dt.date
    client_id: str | None = None
    # True: belongs to the new wait and lapses when the case leaves it; False: it runs for
    # the life of the case (a beschikking's obligations).
    aan_wacht: bool = True


@dataclass(frozen=True, slots=True)
class Gewijzigd:
    """Columns of the case row that get a new value (column -> value)."""

    velden: dict


@dataclass(frozen=True, slots=True)
class Herpland:
    """The open timers of the current wait lapse: the Termijn effects replace them."""


# The effects every case kind knows; a kind adds its own (models/overgang.py) with a handler
# each (models/db/engine_store.py and the kind's store).
Effect = object


@dataclass(frozen=True, slots=True)
class Overgang:
    """One transition of a case: the new status and what else happens, as a list of small
    typed effects, each applied by one handler in one transaction."""

    status: str
    actie: str
    effecten: tuple[Effect, ...] = ()
    # False: the case keeps its current wait key (a reminder; nothing to answer anew).
    nieuwe_wacht: bool = True
    wacht_op: str | None = None  # one of the wait's `varianten` (an escalation)
    details: dict = field(default_factory=dict)

    def alle(self, soort: type) -> tuple:
        return tuple(e for e in self.effecten if isinstance(e, soort))

    def een(self, soort: type):
        gevonden = self.alle(soort)
        return gevonden[0] if gevonden else None

    @property
    def termijnen(self) -> tuple[Termijn, ...]:
        return self.alle(Termijn)

    @property
    def berichten(self) -> tuple[Bericht, ...]:
        return self.alle(Bericht)

    @property
    def sluit(self) -> bool:
        return self.status in GESLOTEN_STATUSSEN


# Every closed status of every declared kind (a Soort registers its own): a status string
# means the same in every kind, which Soort checks when it is declared.
GESLOTEN_STATUSSEN: set[str] = set()
OPEN_STATUSSEN: set[str] = set()


@dataclass(frozen=True, slots=True)
class Wacht:
    """One waiting status of a case kind."""

    status: str
    wacht_op: str
    uitleg: str
    # Timer soorten that bound this wait, shown in the werkvoorraad (earliest first).
    termijnen: tuple[str, ...]
    # The RunInput class (flows/inputs.py, flows/dialoog.py) by name: models stay pure.
    formulier: str
    # (stand, invoer, peildatum, feiten) -> Overgang | None; raises OngeldigeInvoer.
    handler: Callable
    # Who answers: "beoordelaar" (the assessor's queue), "aanbieder", "zorgkantoor".
    rol: str = "zorgkantoor"
    # Other values `wacht_op` takes in this status (an escalation the tags must show).
    varianten: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Beeld:
    """What the driver needs of a case for one loop, read in one transaction."""

    key: str
    status: str
    stap: Stap
    wacht_key: str | None
    tags: tuple[str, ...]
    kaart: str  # the pseudonymous card: the form's description and the run's artifact
    initieel: dict = field(default_factory=dict)  # the form's defaults


@dataclass(frozen=True)
class Soort:
    """A case kind: its statuses and waits, declared once."""

    naam: str
    statussen: type[StrEnum]
    wachten: tuple[Wacht, ...]
    gesloten: frozenset[str]
    # Statuses in which the driver performs the kind's action (the toets, the invitation).
    acties: frozenset[str]

    def __post_init__(self) -> None:
        alle = set(self.statussen)
        wachtend = {w.status for w in self.wachten}
        if len(wachtend) != len(self.wachten):
            raise ValueError(f"{self.naam}: a status has two waits")
        if not (wachtend | self.gesloten | self.acties) == alle or (
            wachtend & self.gesloten or wachtend & self.acties or self.gesloten & self.acties
        ):
            raise ValueError(f"{self.naam}: every status is exactly one of wacht, actie, gesloten")
        open_ = alle - self.gesloten
        if self.gesloten & OPEN_STATUSSEN or open_ & GESLOTEN_STATUSSEN:
            raise ValueError(f"{self.naam}: a status is closed in one kind and open in another")
        GESLOTEN_STATUSSEN.update(self.gesloten)
        OPEN_STATUSSEN.update(open_)

    @cached_property
    def per_status(self) -> dict[str, Wacht]:
        return {w.status: w for w in self.wachten}

    @cached_property
    def wacht_op(self) -> dict[str, str | None]:
        """status -> what it waits for (None: an action is due, or the case is closed)."""
        return {
            s.value: (w.wacht_op if (w := self.per_status.get(s)) else None) for s in self.statussen
        }

    def wacht(self, status: str) -> Wacht | None:
        return self.per_status.get(status)

    def wacht_key(self, status: str, stap: int) -> str:
        """The key a run suspends on; a new one for every new wait (Prefect refuses one twice)."""
        return f"{self.per_status[status].wacht_op}-{stap}"

    def volgende_stap(self, status: str, stap: int) -> Stap:
        if status in self.gesloten:
            return Stap("klaar")
        wacht = self.per_status.get(status)
        if wacht is None:
            return Stap("actie")
        return Stap("wacht", wacht_op=wacht.wacht_op, key=self.wacht_key(status, stap))

    def uitleg(self) -> dict[str, str]:
        """wacht_op (and its variants) -> the explanation on the card and in the werkvoorraad."""
        out = {}
        for w in self.wachten:
            out.setdefault(w.wacht_op, w.uitleg)
            out.update(w.varianten)
        return out

    def termijnen(self) -> dict[str, tuple[str, ...]]:
        """wacht_op -> the timer soorten that bound it."""
        out: dict[str, tuple[str, ...]] = {}
        for w in self.wachten:
            out.setdefault(w.wacht_op, w.termijnen)
            for variant in w.varianten:
                out.setdefault(variant, w.termijnen)
        return out
