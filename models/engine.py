"""One engine for long-running cases, as pure declarations: a case kind (the zaak, the
meerzorgdialoog) names its statuses, which of them are closed, which ask for an action, the
rule of every timer it plans, and for each waiting status one `Wacht` holding everything
about that wait: what it waits for (`wacht_op`, the one spelling used in tags, views and the
werkvoorraad), the explanation on the card, the timers that bound it, its form (a pydantic
model, wrapped as Prefect's RunInput only at the flow's edge), the form's field the login
signs, the roles that may answer and the rule that handles the answer.

A kind checks itself when it is declared (`Soort.__post_init__`), and a message checks its
template when it is made (`Bericht`), so a forgotten piece fails at import or in the rule's
own test instead of silently at run time. The driver (flows/driver.py) asks
`volgende_stap`; the apply (models/db/engine_store.py) sets the wait with `wacht_key`.
docs/uitbreiden.md is the checklist for a new wait or kind. No Prefect, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from string import Formatter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from models.berichten import SJABLONEN


class OngeldigeInvoer(ValueError):
    """Form input that cannot be applied; the run waits again with this message."""


# The action of a transition that refuses an answer: the case waits again, the error on its
# card (its `laatste_fout`).
ONGELDIGE_INVOER = "ongeldige_invoer"


class Antwoord(StrEnum):
    """What became of an answer to a wait (models/db/engine_store.beantwoord)."""

    TOEGEPAST = "toegepast"
    ONGELDIG = "ongeldig"  # refused: the case waits again with the error on its card
    LEEG = "leeg"  # nothing to apply (a timer's `{}`): it waits again under a new key
    VEROUDERD = "verouderd"  # the case already left that wait, or is gone


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


@cache
def sjabloon_velden(sjabloon: str) -> frozenset[str]:
    """The fields a message template fills in; the zaak key is the outbox's own."""
    if sjabloon not in SJABLONEN:
        raise ValueError(f"bericht '{sjabloon}' heeft geen sjabloon (models/berichten.py)")
    return frozenset(
        naam for deel in SJABLONEN[sjabloon] for _, naam, _, _ in Formatter().parse(deel) if naam
    ) - {"zaak"}


@dataclass(frozen=True, slots=True)
class Bericht:
    """A notification to queue in the transition's transaction (the outbox). Made only with
    a template that exists and every field it fills in: a rule that forgets one fails in its
    own test, not at delivery."""

    sjabloon: str
    kanaal: Literal["aanbieder", "operations", "cce"] = "aanbieder"
    context: dict = field(default_factory=dict)
    client_id: str | None = None
    # It carries the letter of the besluit this transition took (the applicant's copy,
    # models/db/brieven.py) as its attachment.
    bijlage: bool = False

    def __post_init__(self) -> None:
        ontbreekt = sjabloon_velden(self.sjabloon) - set(self.context)
        if ontbreekt:
            raise ValueError(f"bericht '{self.sjabloon}' mist {', '.join(sorted(ontbreekt))}")


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


class Formulier(BaseModel):
    """The form of a wait. Every field has a default, because a timer resumes a run with
    `{}`; what a field must hold is the handler's check. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class TermijnRegel:
    """What a due timer of one kind does, and in which statuses of the case it still
    applies; in any other status it lapses (or, planned at a wait, it moves with the case to
    a status where it still applies: `Soort.gaat_mee`)."""

    statussen: frozenset[str]
    # (stand, datum, client_id, context) -> Overgang | None (None: nothing to do any more).
    doe: Callable


@dataclass(frozen=True, slots=True)
class Wacht:
    """One waiting status of a case kind: everything about the wait, in one place."""

    status: str
    wacht_op: str
    uitleg: str
    # Timers that bound this wait, shown in the werkvoorraad (earliest first): each has its
    # rule in the kind's `termijnregels` or is one of its computed `berekende_termijnen`.
    termijnen: tuple[str, ...]
    # The form; the flow wraps it as Prefect's RunInput (flows/driver.py).
    formulier: type[Formulier]
    # The form's field that names who answered: the gateway fills it with the login.
    identiteit: str
    # (stand, invoer, peildatum, feiten) -> Overgang | None; raises OngeldigeInvoer.
    handler: Callable
    # The logins' roles that may answer it (models/toegang.mag_hervatten).
    rollen: tuple[str, ...]
    # Whose queue it is: "beoordelaar" (the assessor's), "aanbieder", "zorgkantoor".
    rol: str = "zorgkantoor"
    # Other values `wacht_op` takes in this status (an escalation the tags must show).
    varianten: dict[str, str] = field(default_factory=dict)
    # The rules of the timers this wait plans itself (timer kind -> TermijnRegel), declared
    # with the wait; the kind takes them into its `termijnregels`.
    termijnregels: dict[str, TermijnRegel] = field(default_factory=dict)
    # Timers of the kind planned elsewhere that keep running while the case waits here (the
    # Awb 4:13 warning while the parties give their zienswijze): their rules apply here too.
    loopt_door: tuple[str, ...] = ()


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
    # Every timer the kind plans, with its rule (timer kind -> TermijnRegel).
    termijnregels: dict[str, TermijnRegel] = field(default_factory=dict)
    # Terms a wait shows that are computed, not planned as a timer row.
    berekende_termijnen: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "termijnregels", self._met_regels_van_wachten())
        alle = set(self.statussen)
        wachtend = {w.status for w in self.wachten}
        if len(wachtend) != len(self.wachten):
            raise ValueError(f"{self.naam}: a status has two waits")
        if not (wachtend | self.gesloten | self.acties) == alle or (
            wachtend & self.gesloten or wachtend & self.acties or self.gesloten & self.acties
        ):
            raise ValueError(f"{self.naam}: every status is exactly one of wacht, actie, gesloten")
        for w in self.wachten:
            self._controleer_wacht(w)
        for soort, regel in self.termijnregels.items():
            if not regel.statussen <= alle:
                raise ValueError(f"{self.naam}: timer {soort} names a status of another kind")
        open_ = alle - self.gesloten
        if self.gesloten & OPEN_STATUSSEN or open_ & GESLOTEN_STATUSSEN:
            raise ValueError(f"{self.naam}: a status is closed in one kind and open in another")
        GESLOTEN_STATUSSEN.update(self.gesloten)
        OPEN_STATUSSEN.update(open_)

    def _met_regels_van_wachten(self) -> dict[str, TermijnRegel]:
        """The kind's timer rules with those its waits declare: a wait's own timers, and the
        kind's timers that keep running in the wait's status (`Wacht.loopt_door`)."""
        regels = dict(self.termijnregels)
        for w in self.wachten:
            for naam, regel in w.termijnregels.items():
                if naam in regels:
                    raise ValueError(f"{self.naam}, wacht {w.status}: timer {naam} has two rules")
                regels[naam] = regel
        for w in self.wachten:
            for naam in w.loopt_door:
                if naam not in regels:
                    raise ValueError(f"{self.naam}, wacht {w.status}: {naam} has no rule")
                regel = regels[naam]
                regels[naam] = TermijnRegel(regel.statussen | {w.status}, regel.doe)
        return regels

    def _controleer_wacht(self, w: Wacht) -> None:
        waar = f"{self.naam}, wacht {w.status}"
        onbekend = set(w.termijnen) - set(self.termijnregels) - self.berekende_termijnen
        if onbekend:
            raise ValueError(f"{waar}: timer without a rule: {', '.join(sorted(onbekend))}")
        velden = w.formulier.model_fields
        if w.identiteit not in velden:
            raise ValueError(f"{waar}: form {w.formulier.__name__} has no field {w.identiteit}")
        if "peildatum" not in velden:  # the driver takes the answer's date from it
            raise ValueError(f"{waar}: form {w.formulier.__name__} has no field peildatum")
        verplicht = [naam for naam, veld in velden.items() if veld.is_required()]
        if verplicht:
            raise ValueError(f"{waar}: a timer resumes with {{}}, give {verplicht} a default")
        if not w.rollen:
            raise ValueError(f"{waar}: no role may answer it")

    def gaat_mee(self, soort: str, van: str | None, naar: str) -> bool:
        """Whether a wait's timer moves with the case to its new status instead of lapsing:
        its rule still applies there. The Awb 4:13 warning, planned at the beoordeling,
        applies in the tweede beoordeling too (the beslistermijn bounds the four-eyes
        decision as well)."""
        regel = self.termijnregels.get(soort)
        return van != naar and regel is not None and naar in regel.statussen

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
