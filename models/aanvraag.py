"""The aanvraag and beschikking as validated data (DOMAIN.md "Stable interfaces")."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from models.beleid import alle_versies
from models.partijen import Budgethouder, Correspondentie, Vertegenwoordiger, zonder_aanbieder_fout

Soort = Literal["nieuw", "verlenging", "preventief"]
Vorm = Literal["individueel", "groep"]
Leveringsvorm = Literal["verblijf", "vpt", "mpt", "pgb"]
Uitkomst = Literal["toekennen", "bijstellen", "afwijzen"]


@functools.cache
def _bekende_profielen() -> frozenset[str]:
    return frozenset().union(*(b.bekende_profielen for b in alle_versies()))


class InvoerFout(ValueError):
    """Malformed input: the message is one human-readable line."""


def elfproef(bsn: str) -> bool:
    """BSN check: 9 digits (8 → leading zero), weights 9..2 and -1, sum % 11 == 0, not all zeros."""
    if len(bsn) == 8:
        bsn = "0" + bsn
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()) or bsn == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(bsn[:8], range(9, 1, -1), strict=True)) - int(bsn[8])
    return total % 11 == 0


EERSTE_DAG, LAATSTE_DAG = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _binnen_bereik(value: dt.date) -> dt.date:
    # Terms run years past these dates: keep every computed date representable.
    if not EERSTE_DAG <= value <= LAATSTE_DAG:
        raise ValueError(f"{value} is outside {EERSTE_DAG}..{LAATSTE_DAG}")
    return value


Datum = Annotated[dt.date, AfterValidator(_binnen_bereik)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Ontwikkeltraject(_Model):
    bijeenkomst_1: Datum
    bijeenkomst_2: Datum | None = None

    @model_validator(mode="after")
    def _separate_days(self):
        if self.bijeenkomst_2 is not None and self.bijeenkomst_2 <= self.bijeenkomst_1:
            raise ValueError("bijeenkomst_2 must be on a later day than bijeenkomst_1")
        return self

    @property
    def voltooid(self) -> bool:
        return self.bijeenkomst_2 is not None

    @property
    def afgerond_op(self) -> dt.date:
        return self.bijeenkomst_2 or self.bijeenkomst_1


class Zorgaanbieder(_Model):
    agb: str = Field(pattern=r"^\d{8}$", description="AGB code, 8 digits")
    naam: str = Field(min_length=1)


class Client(_Model):
    client_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    bsn: str
    zorgprofiel: str
    leveringsvorm: Leveringsvorm
    vg7_plus: bool = False
    lvhc: bool = False
    indicatie_einddatum: Datum
    ontwikkeltrajecten: list[Ontwikkeltraject] = []
    # The parties a besluit about this client goes to (models/partijen.py). Left out of a dump
    # at their default, so an aanvraag without them dumps as before these fields existed: the
    # stored aanvraag and the historical import's content key (models/historie.sleutel_van)
    # stay the same. Absent budgethouder on pgb means "client" (see _budgethouder).
    correspondentie: Correspondentie | None = Field(None, exclude_if=lambda v: v is None)
    vertegenwoordiger: Vertegenwoordiger | None = Field(None, exclude_if=lambda v: v is None)
    budgethouder: Budgethouder | None = Field(None, exclude_if=lambda v: v in (None, "client"))

    @field_validator("bsn", mode="before")
    @classmethod
    def _bsn(cls, value):
        text = str(value).strip()
        if not elfproef(text):
            raise ValueError("is not a valid BSN (9 digits passing the elfproef)")
        return text.zfill(9)

    @field_validator("zorgprofiel")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in _bekende_profielen():
            raise ValueError(f"unknown zorgprofiel '{value}'")
        return value

    @model_validator(mode="after")
    def _vg7_plus_is_vg7(self):
        if self.vg7_plus and self.zorgprofiel != "VG7":
            raise ValueError(
                f"vg7_plus is only possible with zorgprofiel VG7, not {self.zorgprofiel}"
            )
        return self

    @model_validator(mode="after")
    def _budgethouder(self):
        if self.leveringsvorm != "pgb":
            if self.budgethouder is not None:
                raise ValueError("budgethouder is only for leveringsvorm pgb")
        elif self.budgethouder is None:
            # aanname: the budgethouder is the client unless the aanvraag says otherwise (older
            # aanvragen name none); a pgb client always has one.
            self.budgethouder = "client"
        if self.budgethouder == "vertegenwoordiger" and self.vertegenwoordiger is None:
            raise ValueError("budgethouder 'vertegenwoordiger' needs a vertegenwoordiger")
        return self


class UrenPerWeek(_Model):
    begeleiding: float = Field(0, ge=0, le=168)
    verzorging: float = Field(0, ge=0, le=168)
    verpleging: float = Field(0, ge=0, le=168)
    dagbesteding: float = Field(0, ge=0, le=168)
    nachtzorg: float = Field(0, ge=0, le=168)

    @property
    def totaal(self) -> float:
        return (
            self.begeleiding
            + self.verzorging
            + self.verpleging
            + self.dagbesteding
            + self.nachtzorg
        )


class BehandelaarUren(_Model):
    gedragsdeskundige: float = Field(0, ge=0, le=168)
    psychiater: float = Field(0, ge=0, le=168)
    avg: float = Field(0, ge=0, le=168)
    sog: float = Field(0, ge=0, le=168)
    overig: float = Field(0, ge=0, le=168)


class Vragenlijst(_Model):
    huidige_situatie: str = ""
    gewenste_situatie: str = ""
    inzet: str = ""


class CheckVooraf(_Model):
    indicatie_passend: bool = False
    beeldvorming_helder: bool = False
    handelingsverlegenheid: bool = False
    basiszorg_op_orde: bool = False
    driehoek_betrokken: bool = False
    client_betrokken: bool = False
    cce_consultatie_overwogen: bool = False
    andere_toeslagen: bool = False


class Aanvraag(_Model):
    """One meerzorg aanvraag (individual or group), as the provider submits it."""

    soort: Soort
    vorm: Vorm
    # None: a pgb aanvraag by its budgethouder (models/partijen.zonder_aanbieder_fout); left
    # out of a dump then, as it is left out of the aanvraag.
    zorgaanbieder: Zorgaanbieder | None = Field(None, exclude_if=lambda v: v is None)
    clienten: list[Client] = Field(min_length=1)
    gevraagde_start: Datum
    gevraagde_eind: Datum
    uren_per_week: UrenPerWeek
    behandelaar_uren_per_week: BehandelaarUren = BehandelaarUren()
    context_middelen_per_jaar: float = Field(0, ge=0)
    vragenlijst: Vragenlijst = Vragenlijst()
    doelen: list[str] = []
    check_vooraf: CheckVooraf = CheckVooraf()
    evaluatie_vorige_periode: str | None = None
    provider_referentie: str | None = Field(None, max_length=128)
    vorige_zaak: str | None = Field(None, pattern=r"^MZ-\d{4}-\d{6}$")

    @model_validator(mode="after")
    def _consistent(self):
        if self.gevraagde_eind < self.gevraagde_start:
            raise ValueError(
                f"gevraagde_eind {self.gevraagde_eind} is before gevraagde_start {self.gevraagde_start}"
            )
        if self.vorm == "individueel" and len(self.clienten) > 1:
            raise ValueError(
                f"an individueel aanvraag has one client, not {len(self.clienten)}; use vorm 'groep'"
            )
        ids = [c.client_id for c in self.clienten]
        if len(set(ids)) != len(ids):
            raise ValueError("a client_id appears twice in clienten")
        bsns = [c.bsn for c in self.clienten]
        if len(set(bsns)) != len(bsns):
            raise ValueError("a BSN appears twice in clienten")
        if self.zorgaanbieder is None and (fout := zonder_aanbieder_fout(self.clienten)):
            raise ValueError(fout)
        return self

    @property
    def agb(self) -> str | None:
        """The provider's AGB; None when the budgethouder applies without one (issue 25)."""
        return self.zorgaanbieder.agb if self.zorgaanbieder is not None else None

    @property
    def is_thuis(self) -> bool:
        return any(c.leveringsvorm in ("mpt", "pgb") for c in self.clienten)


class Beschikking(Aanvraag):
    """What the system stores for a beschikking: its aanvraag plus the decided term."""

    start: Datum
    eind: Datum
    client_id: str | None = None
    uitkomst: Uitkomst = "toekennen"
    besluitdatum: Datum | None = None
    meerzorg_sinds: Datum | None = None

    @model_validator(mode="after")
    def _term(self):
        if self.eind < self.start:
            raise ValueError(f"eind {self.eind} is before start {self.start}")
        if self.client_id is not None and self.client_id not in {
            c.client_id for c in self.clienten
        }:
            raise ValueError(f"client_id {self.client_id} is not one of the clienten")
        return self


def fout_regel(exc: ValidationError) -> str:
    """One readable line for the first validation error (location: message)."""
    err = exc.errors()[0]
    loc = ""
    for part in err["loc"]:
        if isinstance(part, str) and not part.isprintable():  # a key like "\n" stays on the line
            part = repr(part)
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "is required"
    elif err["type"] == "extra_forbidden":
        msg = "is not a known field"
    extra = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{loc}: {msg}{extra}" if loc else f"{msg}{extra}"


def _load(model, data, what: str):
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InvoerFout(
                f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
    if not isinstance(data, dict):
        raise InvoerFout(f"{what} must be a JSON object, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvoerFout(f"invalid {what}: {fout_regel(exc)}") from None


def parse_aanvraag(data) -> Aanvraag:
    """Validate a dict or JSON text; raises InvoerFout with one readable line."""
    return _load(Aanvraag, data, "aanvraag")


def parse_beschikking(data) -> Beschikking:
    return _load(Beschikking, data, "beschikking")
