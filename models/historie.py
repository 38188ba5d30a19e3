"""Historical zaken as JSON Lines: validation of every line before anything is imported.

One line is the aanvraag of DOMAIN.md plus `ingediend_op` and, when it was decided, the
`besluit` {uitkomst, datum, onderbouwing, start, eind, bedrag_per_jaar}. Pure: text in,
validated lines or a list of (line number, reason) out. What the import then writes, and in
which state a zaak continues, is decided here too (`historische_status`), so the CLI, the
tests and the benchmark agree on it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.aanvraag import Aanvraag, Uitkomst, fout_regel
from models.beleid import Beleid, alle_versies, beleid_op
from models.planner import bezwaartermijn_einde

MAX_FOUTEN_GETOOND = 50


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HistorischBesluit(_Model):
    uitkomst: Uitkomst
    datum: dt.date
    onderbouwing: str = ""
    start: dt.date | None = None
    eind: dt.date | None = None
    bedrag_per_jaar: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _complete(self):
        if self.uitkomst in ("afwijzen", "bijstellen") and not self.onderbouwing:
            raise ValueError(f"{self.uitkomst} needs an onderbouwing (Awb 3:47)")
        if self.uitkomst == "toekennen":
            if self.start is None or self.eind is None:
                raise ValueError("toekennen needs the start and eind of the beschikking")
            if self.eind < self.start:
                raise ValueError(f"eind {self.eind} is before start {self.start}")
        return self


class HistorischeZaak(Aanvraag):
    ingediend_op: dt.date
    besluit: HistorischBesluit | None = None

    @model_validator(mode="after")
    def _chronologie(self):
        if self.besluit is not None and self.besluit.datum < self.ingediend_op:
            raise ValueError(
                f"besluit.datum {self.besluit.datum} is before ingediend_op {self.ingediend_op}"
            )
        return self

    def aanvraag(self) -> Aanvraag:
        return Aanvraag.model_validate(
            self.model_dump(mode="json", exclude={"ingediend_op", "besluit"})
        )


@dataclass(frozen=True, slots=True)
class Regel:
    nummer: int
    zaak: HistorischeZaak
    sleutel: str  # idempotency key: the provider's reference, else a hash of the content


@dataclass(frozen=True, slots=True)
class Fout:
    nummer: int
    reden: str

    def __str__(self) -> str:
        return f"line {self.nummer}: {self.reden}"


def sleutel_van(zaak: HistorischeZaak) -> str:
    """The provider's reference when there is one (`registreer_zaak` is idempotent on it);
    otherwise a hash of the normalised content, so a re-import finds the same zaak."""
    if zaak.provider_referentie:
        return zaak.provider_referentie
    body = json.dumps(zaak.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return "historie-" + hashlib.sha256(body.encode()).hexdigest()[:32]


def valideer_regels(regels: Iterable[str], peildatum: dt.date) -> tuple[list[Regel], list[Fout]]:
    """Every non-blank line, numbered from 1; a line decided after the peildatum, or a zaak
    that appears twice in the file, is an error as well."""
    goed: list[Regel] = []
    fouten: list[Fout] = []
    gezien: dict[str, int] = {}
    for nummer, tekst in enumerate(regels, start=1):
        if not tekst.strip():
            continue
        try:
            data = json.loads(tekst)
        except json.JSONDecodeError as exc:
            fouten.append(Fout(nummer, f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(data, dict):
            fouten.append(Fout(nummer, f"must be a JSON object, not {type(data).__name__}"))
            continue
        try:
            zaak = HistorischeZaak.model_validate(data)
        except ValidationError as exc:
            fouten.append(Fout(nummer, fout_regel(exc)))
            continue
        if zaak.ingediend_op > peildatum:
            fouten.append(
                Fout(nummer, f"ingediend_op {zaak.ingediend_op} is after the peildatum {peildatum}")
            )
            continue
        if zaak.besluit is not None and zaak.besluit.datum > peildatum:
            fouten.append(
                Fout(
                    nummer, f"besluit.datum {zaak.besluit.datum} is after the peildatum {peildatum}"
                )
            )
            continue
        sleutel = sleutel_van(zaak)
        if sleutel in gezien:
            fouten.append(
                Fout(nummer, f"the same zaak as line {gezien[sleutel]} ({_kort(sleutel)})")
            )
            continue
        gezien[sleutel] = nummer
        goed.append(Regel(nummer, zaak, sleutel))
    return goed, fouten


def _kort(sleutel: str) -> str:
    return sleutel if not sleutel.startswith("historie-") else "identical content"


def foutmelding(bestand: str, fouten: list[Fout], regels: int) -> str:
    """A summary line, then one line per bad line (at most MAX_FOUTEN_GETOOND)."""
    kop = (
        f"{bestand}: {len(fouten)} of {regels} lines invalid; nothing imported"
        if regels
        else f"{bestand}: no zaken in the file; nothing imported"
    )
    regels_tekst = [f"  {f}" for f in fouten[:MAX_FOUTEN_GETOOND]]
    if len(fouten) > MAX_FOUTEN_GETOOND:
        regels_tekst.append(f"  … and {len(fouten) - MAX_FOUTEN_GETOOND} more")
    return "\n".join([kop, *regels_tekst])


def beleid_voor(datum: dt.date) -> Beleid:
    """The policy in force on a historical date; before the first version, the first one
    (history may be older than the policy files: its rules applied then as well)."""
    eerste = alle_versies()[0]
    return beleid_op(max(datum, eerste.ingangsdatum))


def historische_status(zaak: HistorischeZaak, einde: dt.date | None, peildatum: dt.date) -> str:
    """Where a historical zaak stands on the peildatum.

    - no decision yet: the toets decides (the import applies it as the lifecycle would);
    - toekennen: 'lopend' while the (latest) beschikking runs, else 'beeindigd';
    - afwijzen: 'bezwaartermijn' within six weeks of the decision, else 'afgewezen';
    - bijstellen: 'bijstelling' while the provider may still adjust, else 'beoordeling':
      no adjusted aanvraag came, so a person decides (R §10; never an automatic 4:5,
      models/bijstelling.py).
    """
    # Consistent with the sweep, which fires a timer on its own date: on the last day of
    # the bezwaartermijn the lifecycle closes the zaak already.
    besluit = zaak.besluit
    if besluit is None:
        return "geregistreerd"
    beleid = beleid_voor(besluit.datum)
    if besluit.uitkomst == "toekennen":
        return "lopend" if einde is not None and einde >= peildatum else "beeindigd"
    if besluit.uitkomst == "afwijzen":
        return (
            "bezwaartermijn"
            if bezwaartermijn_einde(besluit.datum, beleid) > peildatum
            else "afgewezen"
        )
    herstel = besluit.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
    return "bijstelling" if herstel > peildatum else "beoordeling"
