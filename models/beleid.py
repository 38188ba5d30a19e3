"""Policy as versioned data: the TOML files in `models/beleid/`, chosen by peildatum.

A version may name a `basis` version and override only what changed; the loader merges
and validates, so a malformed policy file stops the program at start with a clear message.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

BELEID_DIR = Path(__file__).parent / "beleid"
LEVERINGSVORMEN = ("verblijf", "vpt", "mpt", "pgb")
THUIS = ("mpt", "pgb")
ZORG_CATEGORIEEN = ("begeleiding", "verzorging", "verpleging", "dagbesteding", "nachtzorg")
BEHANDELAARS = ("gedragsdeskundige", "psychiater", "avg", "sog", "overig")
THUIS_STAPPEN = ("indicatie", "profiel", "volledigheid", "andere_toeslagen", "drempel", "termijn")


class BeleidsFout(ValueError):
    """A policy file or policy choice that cannot be used."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Termijnen(_Strict):
    max_maanden: int = Field(gt=0)
    vg7_plus_max_maanden: int = Field(gt=0)
    preventief_min_maanden: int = Field(gt=0)
    preventief_max_maanden: int = Field(gt=0)
    bezwaar_weken: int = Field(gt=0)
    beslistermijn_weken: int = Field(gt=0)
    beslistermijn_waarschuwing_dagen: int = Field(ge=0)
    herstel_aanvraag_weken: int = Field(gt=0)
    herbeoordeling_voor_einde_maanden: int = Field(gt=0)
    verlenging_uiterlijk_voor_einde_maanden: int = Field(gt=0)
    ontwikkeltraject_periode_maanden: int = Field(gt=0)
    ontwikkeltraject_bijeenkomsten: int = Field(gt=0)
    ontwikkeltraject_herinnering_maanden: int = Field(ge=0)
    periodiek_contact_maanden: int = Field(gt=0)
    passende_overgang_weken: int = Field(8, gt=0)
    # N 2025: the zorgkantoor's own contact with a client at home (models/contact.py).
    contact_taak_dagen: int = Field(14, gt=0)
    contact_na_afwijzing_eerste_weken: int = Field(2, gt=0)
    contact_na_afwijzing_interval_weken: int = Field(4, gt=0)
    # Awb 6:6: the term to supply the gronden of a pro forma bezwaar (aanname: four weeks,
    # as the herstel term of an aanvraag; the Awb says only "een termijn").
    bezwaar_gronden_weken: int = Field(4, gt=0)
    # Awb 4:7, 4:8: the term for a zienswijze on a voornemen tot afwijzing (aanname: two
    # weeks; the Awb names none, models/zienswijze.py).
    zienswijze_weken: int = Field(2, gt=0)


class ToetsInstellingen(_Strict):
    thuis_stapsgewijs: tuple[str, ...] = ()
    coulante_verlenging_thuis: bool = False

    @model_validator(mode="after")
    def _known_steps(self):
        unknown = [s for s in self.thuis_stapsgewijs if s not in THUIS_STAPPEN]
        if unknown:
            raise ValueError(f"unknown toets step(s) {unknown}; known: {list(THUIS_STAPPEN)}")
        return self


class Tarieven(_Strict):
    zorg: dict[str, float]
    behandelaar: dict[str, float]

    @model_validator(mode="after")
    def _complete(self):
        for naam, keys, table in (
            ("zorg", ZORG_CATEGORIEEN, self.zorg),
            ("behandelaar", BEHANDELAARS, self.behandelaar),
        ):
            if set(table) != set(keys):
                raise ValueError(f"tarieven.{naam} must have exactly {list(keys)}")
            if any(v < 0 for v in table.values()):
                raise ValueError(f"tarieven.{naam} has a negative tariff")
        return self


class VierOgen(_Strict):
    """When a toekenning needs a second, different beoordelaar before the beschikking."""

    maatwerk: bool = True
    boven_bedrag_per_client: float | None = Field(None, gt=0)


class DialoogBeleid(_Strict):
    """The yearly meerzorgdialoog per provider (R §10; VGZ practice): the dialoog for year J
    is held in J (from `dialoog_standaard`, month-day), the invitation goes out in J-1 by
    `uitnodiging_uiterlijk` (month-day), and the meerzorgplan is due some weeks before."""

    uitnodiging_uiterlijk: str = "10-01"
    dialoog_standaard: str = "02-01"
    # The dialogen of J are planned from this month-day in J-1 (prefect.yaml's plan-dialogen
    # cron runs that day); a provider whose meerzorg starts later is planned by the sweep.
    planning_vanaf: str = "09-01"
    meerzorgplan_weken_voor: int = Field(4, gt=0)
    min_voorbereiding_weken: int = Field(4, ge=0)
    herinnering_dagen_voor_plan: int = Field(14, ge=0)
    escalatie_dagen_na_plan: int = Field(7, ge=0)
    verslag_herinnering_dagen: int = Field(14, gt=0)

    @model_validator(mode="after")
    def _maand_dagen(self):
        for veld in ("uitnodiging_uiterlijk", "dialoog_standaard", "planning_vanaf"):
            waarde = getattr(self, veld)
            try:
                maand, dag = (int(x) for x in waarde.split("-"))
                dt.date(2001, maand, dag)  # not a leap year: 02-29 has no date every year
            except ValueError:
                raise ValueError(f"dialoog.{veld} '{waarde}' is not a month-day (MM-DD)") from None
        return self

    def maand_dag(self, veld: str, jaar: int) -> dt.date:
        maand, dag = (int(x) for x in getattr(self, veld).split("-"))
        return dt.date(jaar, maand, dag)


class Meerzorgprofiel(_Strict):
    naam: str
    tot: float = Field(gt=0)


class Beleid(_Strict):
    versie: str
    ingangsdatum: dt.date
    omschrijving: str = ""
    basis: str | None = None
    voorbeeldwaarden: tuple[str, ...] = ()
    drempel: float = Field(gt=0, lt=10)
    termijnen: Termijnen
    toets: ToetsInstellingen = ToetsInstellingen()
    profielen: dict[str, frozenset[str]]
    norm_uren_per_week: dict[str, float]
    tarieven: Tarieven
    meerzorgprofielen: tuple[Meerzorgprofiel, ...]
    vier_ogen: VierOgen = VierOgen()
    dialoog: DialoogBeleid = DialoogBeleid()

    @model_validator(mode="after")
    def _consistent(self):
        if set(self.profielen) != set(LEVERINGSVORMEN):
            raise ValueError(f"profielen must list exactly {list(LEVERINGSVORMEN)}")
        for vorm, namen in self.profielen.items():
            missing = sorted(n for n in namen if n not in self.norm_uren_per_week)
            if missing:
                raise ValueError(f"profielen.{vorm} names {missing} without norm_uren_per_week")
        if any(v <= 0 for v in self.norm_uren_per_week.values()):
            raise ValueError("norm_uren_per_week must be positive")
        grenzen = [p.tot for p in self.meerzorgprofielen]
        if not grenzen or grenzen != sorted(grenzen):
            raise ValueError("meerzorgprofielen must be non-empty and in ascending order of 'tot'")
        return self

    @property
    def bekende_profielen(self) -> frozenset[str]:
        return frozenset(self.norm_uren_per_week)

    def is_voorbeeld(self, veld: str) -> bool:
        return any(veld == v or veld.startswith(v + ".") for v in self.voorbeeldwaarden)

    def public(self) -> dict:
        """The JSON shape of `meerzorg beleid`."""
        return {
            "versie": self.versie,
            "ingangsdatum": self.ingangsdatum.isoformat(),
            "omschrijving": self.omschrijving,
            "voorbeeldwaarden": list(self.voorbeeldwaarden),
            "drempel": self.drempel,
            "profielen": {v: sorted(self.profielen[v]) for v in LEVERINGSVORMEN},
            "norm_uren_per_week": dict(self.norm_uren_per_week),
            "termijnen": self.termijnen.model_dump(),
            "toets": {
                "thuis_stapsgewijs": list(self.toets.thuis_stapsgewijs),
                "coulante_verlenging_thuis": self.toets.coulante_verlenging_thuis,
            },
            "tarieven": self.tarieven.model_dump(),
            "meerzorgprofielen": [p.model_dump() for p in self.meerzorgprofielen],
            "vier_ogen": self.vier_ogen.model_dump(),
            "dialoog": self.dialoog.model_dump(),
        }


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_raw(directory: Path) -> dict[str, dict]:
    raw: dict[str, dict] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise BeleidsFout(f"policy file {path.name}: {exc}") from None
        versie = data.get("versie")
        if not isinstance(versie, str) or not versie:
            raise BeleidsFout(f"policy file {path.name}: missing 'versie'")
        if versie in raw:
            raise BeleidsFout(f"policy file {path.name}: version {versie} is defined twice")
        raw[versie] = data
    if not raw:
        raise BeleidsFout(f"no policy files in {directory}")
    return raw


def _resolve(versie: str, raw: dict[str, dict], seen: tuple[str, ...] = ()) -> dict:
    if versie in seen:
        raise BeleidsFout(
            f"policy version {versie}: circular basis {' -> '.join(seen + (versie,))}"
        )
    data = raw[versie]
    basis = data.get("basis")
    if basis is None:
        return data
    if basis not in raw:
        raise BeleidsFout(f"policy version {versie}: basis {basis} does not exist")
    inherited = {
        k: v
        for k, v in _resolve(basis, raw, seen + (versie,)).items()
        if k not in ("versie", "basis", "ingangsdatum", "omschrijving")
    }
    return _merge(inherited, data)


def laad_beleid(directory: Path = BELEID_DIR) -> tuple[Beleid, ...]:
    """Load, merge and validate every policy version, sorted by ingangsdatum."""
    raw = _read_raw(directory)
    versies = []
    for versie in raw:
        try:
            versies.append(Beleid.model_validate(_resolve(versie, raw)))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "file"
            raise BeleidsFout(f"policy version {versie}: {where}: {first['msg']}") from None
    versies.sort(key=lambda b: b.ingangsdatum)
    datums = [b.ingangsdatum for b in versies]
    if len(set(datums)) != len(datums):
        raise BeleidsFout("two policy versions share an ingangsdatum")
    return tuple(versies)


def laad_beleid_bestand(path: Path) -> Beleid:
    """A single (draft) policy file, e.g. for a what-if run; its basis is looked up in BELEID_DIR."""
    raw = _read_raw(BELEID_DIR)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BeleidsFout(f"policy file {path}: {exc}") from None
    versie = str(data.get("versie") or "concept")
    raw = {**raw, versie: {**data, "versie": versie}}
    try:
        return Beleid.model_validate(_resolve(versie, raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BeleidsFout(
            f"policy file {path}: {'.'.join(map(str, first['loc']))}: {first['msg']}"
        ) from None


@functools.cache
def alle_versies() -> tuple[Beleid, ...]:
    return laad_beleid()


def beleid_op(peildatum: dt.date, versies: tuple[Beleid, ...] | None = None) -> Beleid:
    """The policy version in force on the peildatum."""
    versies = versies or alle_versies()
    geldig = [b for b in versies if b.ingangsdatum <= peildatum]
    if not geldig:
        raise BeleidsFout(
            f"no policy in force on {peildatum.isoformat()}; the first starts {versies[0].ingangsdatum.isoformat()}"
        )
    return geldig[-1]


def beleid_versie(versie: str) -> Beleid:
    for b in alle_versies():
        if b.versie == versie:
            return b
    raise BeleidsFout(f"unknown policy version {versie}")
