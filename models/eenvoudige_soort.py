"""A simple case kind as one declaration (issue 24): the pure `Soort` of models/engine.py
plus what the generic runtime needs to run it without code of its own elsewhere: the
shape of the case's own data (its `stand`, a pydantic model stored as JSON with a schema
version), the first action, the card, and the deployment its runs start on.

A kind is a package under models/soorten/ (or a module named in MEERZORG_SOORTEN) that
exports `SOORT = EenvoudigeSoort(...)`; models/soorten/__init__.py finds it, tasks/eenvoudig.py
stores and runs it in the generic tables (models/db/tables_geval.py), flows/geval.py drives
it. What a kind's rules see is a `GevalStand`; what they change of the case's data they
return as a `Gegevens` effect. A kind that needs its own queries, its own planning or
columns of its own takes the specific path of the zaak and the dialoog instead
(docs/uitbreiden.md). No Prefect, no I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from models.engine import Overgang, Soort

# The deployment of prefect.yaml every simple kind may run on (flow `meerzorg-geval`): a
# kind names another only when it needs its own (a work pool, a description of its own).
GEDEELDE_DEPLOYMENT = "geval"
# A case's key is its run's name, its artifact's key and its idempotency key: Prefect's
# artifact keys take lower case letters, digits and dashes only.
KEY_PATROON = re.compile(r"[a-z][a-z0-9-]{2,63}")


@dataclass(frozen=True, slots=True)
class GevalStand:
    """A case of a simple kind as its rules read it: the key and status of its row and its
    own data, validated as the kind's `stand` model."""

    key: str
    status: str
    stap: int
    gegevens: BaseModel


@dataclass(frozen=True, slots=True)
class Gegevens:
    """Effect: the case's own data becomes this (a whole new `stand`, validated when stored)."""

    waarde: BaseModel


def geen_actie(stand: GevalStand, peildatum: dt.date) -> Overgang | None:
    return None


def geen_invulling(stand: GevalStand) -> dict:
    return {}


@dataclass(frozen=True)
class EenvoudigeSoort:
    """A case kind on the generic path. Its waits' handlers take `(stand, invoer, peildatum,
    feiten)` with a `GevalStand` and `feiten` None; its timer rules' `doe` takes `(stand,
    datum)`; both return an Overgang whose data changes are one `Gegevens` effect."""

    soort: Soort
    # The case's own data: a pydantic model, stored as JSON under `schema_versie`.
    stand: type[BaseModel]
    # (stand) -> the card in markdown: pseudonymous, the key and codes only, never a name
    # or a BSN (it is the run's form description and its artifact).
    kaart: Callable[[GevalStand], str]
    # The status a new case starts in (an action status, or a wait).
    begin: str
    # Raise it when `stand` changes shape; a stored case of another version is refused
    # rather than read wrongly.
    schema_versie: int = 1
    # (stand, peildatum) -> the Overgang of an action status (required when it has one).
    actie: Callable[[GevalStand, dt.date], Overgang | None] = geen_actie
    # (stand) -> the wait's form defaults.
    invulling: Callable[[GevalStand], dict] = geen_invulling
    deployment: str = GEDEELDE_DEPLOYMENT

    def __post_init__(self) -> None:
        if not isinstance(self.soort, Soort):
            raise ValueError(f"soort must be a Soort (models/engine.py), not {self.soort!r:.60}")
        naam = self.soort.naam
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,31}", naam):
            raise ValueError(f"{naam}: a kind's name is lower case letters, digits and _")
        if not (isinstance(self.stand, type) and issubclass(self.stand, BaseModel)):
            raise ValueError(f"{naam}: stand must be a pydantic model of the case's data")
        if self.begin not in set(self.soort.statussen) - self.soort.gesloten:
            raise ValueError(f"{naam}: begin '{self.begin}' is not an open status of the kind")
        if self.soort.acties and self.actie is geen_actie:
            raise ValueError(f"{naam}: statuses {sorted(self.soort.acties)} need an actie")
        if not callable(self.kaart):
            raise ValueError(f"{naam}: kaart must be a function (stand) -> markdown")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.deployment):
            raise ValueError(f"{naam}: deployment '{self.deployment}' is not a deployment name")

    @property
    def naam(self) -> str:
        return self.soort.naam

    def lees(self, gegevens: dict, versie: int) -> BaseModel:
        """The stored JSON as the kind's stand; another schema version is refused."""
        if versie != self.schema_versie:
            raise ValueError(
                f"{self.naam}: gegevens of schema {versie}, the kind reads {self.schema_versie}"
            )
        return self.stand.model_validate(gegevens)

    def bij_termijn(self, stand: GevalStand, soort: str, datum: dt.date) -> Overgang | None:
        """A due timer. None: nothing to do (the case moved on, or no rule)."""
        regel = self.soort.termijnregels.get(soort)
        if regel is None or stand.status not in regel.statussen:
            return None
        return regel.doe(stand, datum)
