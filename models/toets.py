"""The toets (pre-assessment) of an aanvraag: findings, rekentool and term, for a peildatum.

Pure functions: plain data in, plain data out, no I/O. `toets()` is what the CLI, the
lifecycle flow, the backfills and the what-if runs all call. The one fact from outside the
aanvraag, the client's running meerzorg elsewhere (the overlap check), is an input: the
zaak's toets gets it from the database (tasks/zaak.py), the others run without it and say
so in `niet_getoetst`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from models.aanvraag import Aanvraag
from models.beleid import BEHANDELAARS, ZORG_CATEGORIEEN, Beleid, beleid_op
from models.bevinding import Advies, Bevinding, advies
from models.dates import maanden_tussen, termijn_einde
from models.toetsstappen import (
    Elders,
    check_andere_toeslagen,
    check_indicatie,
    check_overlap,
    check_profiel,
    check_volledigheid,
    landelijke_methode,
    stapsgewijs,
)

WEKEN_PER_JAAR = 52
# In the JSON's `niet_getoetst` when the toets ran without the client's other meerzorg.
OVERLAP_NIET_GETOETST = "overlap"


@dataclass(frozen=True, slots=True)
class Looptijd:
    start: dt.date
    eind: dt.date

    def public(self) -> dict:
        return {"start": self.start.isoformat(), "eind": self.eind.isoformat()}


@dataclass(frozen=True, slots=True)
class Rekentool:
    overschrijding_pct: float
    extra_uren_per_week: float
    bedrag_per_jaar: float
    bedrag_per_client_per_jaar: float
    soort: Literal["profiel", "maatwerk"]
    profiel: str | None

    def public(self, beleid: Beleid) -> dict:
        out: dict = {
            "soort": self.soort,
            "bedrag_per_client_per_jaar": self.bedrag_per_client_per_jaar,
        }
        if self.soort == "profiel":
            out["profiel"] = self.profiel
        else:
            out["boven_hoogste_profiel"] = beleid.meerzorgprofielen[-1].tot
        return out


@dataclass(frozen=True, slots=True)
class Toetsresultaat:
    bevindingen: tuple[Bevinding, ...]
    rekentool: Rekentool
    termijn: Looptijd
    termijnen_per_client: dict[str, Looptijd]
    beleidsversie: str
    peildatum: dt.date
    niet_getoetst: tuple[str, ...] = field(default=())
    # N 2025: a thuis verlenging under a policy with coulante maatwerkbeoordeling.
    coulant: bool = False
    # Whether the overlap with running meerzorg elsewhere was checked for every client (the
    # toets had the facts); `niet_getoetst` above are the stepwise toets's steps only.
    overlap_getoetst: bool = False
    _beleid: Beleid | None = field(default=None, repr=False, compare=False)

    @property
    def ontvankelijk(self) -> bool:
        """No `blokkerend` finding (the stable meaning of the JSON field, DOMAIN.md); it does
        not route the zaak: `volledig` does (Awb 4:5)."""
        return not any(b.ernst == "blokkerend" for b in self.bevindingen)

    @property
    def volledig(self) -> bool:
        """No completeness finding (models/bevinding.py AARD): only an incomplete aanvraag
        goes to herstel (Awb 4:5); everything else reaches the beoordelaar."""
        return not any(b.volledigheid for b in self.bevindingen)

    @property
    def advies(self) -> tuple[Advies, str]:
        return advies(
            self.bevindingen, self.rekentool.overschrijding_pct, self.coulant, self.niet_getoetst
        )

    @property
    def codes(self) -> list[str]:
        return [b.code for b in self.bevindingen]

    def public(self) -> dict:
        beleid = self._beleid
        soort, toelichting = self.advies
        return {
            "ontvankelijk": self.ontvankelijk,
            "bevindingen": [b.public() for b in self.bevindingen],
            "overschrijding_pct": self.rekentool.overschrijding_pct,
            "bedrag_per_jaar": self.rekentool.bedrag_per_jaar,
            "uitkomst_rekentool": self.rekentool.public(beleid)
            if beleid
            else {"soort": self.rekentool.soort},
            "termijn": self.termijn.public(),
            "clienten": [
                {"client_id": cid, "termijn": t.public()}
                for cid, t in self.termijnen_per_client.items()
            ],
            "niet_getoetst": [
                *self.niet_getoetst,
                *(() if self.overlap_getoetst else (OVERLAP_NIET_GETOETST,)),
            ],
            "beleidsversie": self.beleidsversie,
            "peildatum": self.peildatum.isoformat(),
            # Added (issue 12): the toets advises, a person decides.
            "volledig": self.volledig,
            "advies": soort,
            "advies_toelichting": toelichting,
        }


# --- the rekentool -------------------------------------------------------------------------


def norm_uren(aanvraag: Aanvraag, beleid: Beleid) -> float:
    """Norm care hours per week: for a group the norms of all members add up."""
    return sum(beleid.norm_uren_per_week[c.zorgprofiel] for c in aanvraag.clienten)


def overschrijding(aanvraag: Aanvraag, beleid: Beleid) -> float:
    """(care hours − norm hours) / norm hours; care hours only (R §6, §10)."""
    norm = norm_uren(aanvraag, beleid)
    return (aanvraag.uren_per_week.totaal - norm) / norm


def rekentool(aanvraag: Aanvraag, beleid: Beleid) -> Rekentool:
    """Excess %, yearly amount and the meerzorgprofiel, or maatwerk above the highest band.

    The amount pays the care hours above the norm (at the weighted tariff of the requested
    mix), all behandelaar hours and the context-gebonden middelen.
    """
    uren = aanvraag.uren_per_week
    totaal = uren.totaal
    norm = norm_uren(aanvraag, beleid)
    extra = max(0.0, totaal - norm)
    tarief_zorg = beleid.tarieven.zorg
    if totaal > 0:
        gewogen_tarief = sum(getattr(uren, c) * tarief_zorg[c] for c in ZORG_CATEGORIEEN) / totaal
    else:
        gewogen_tarief = 0.0
    behandeling = aanvraag.behandelaar_uren_per_week
    tarief_beh = beleid.tarieven.behandelaar
    per_week = extra * gewogen_tarief + sum(
        getattr(behandeling, b) * tarief_beh[b] for b in BEHANDELAARS
    )
    bedrag = round(per_week * WEKEN_PER_JAAR + aanvraag.context_middelen_per_jaar, 2)
    per_client = round(bedrag / len(aanvraag.clienten), 2)
    profiel = next((p.naam for p in beleid.meerzorgprofielen if per_client <= p.tot), None)
    return Rekentool(
        overschrijding_pct=round((totaal - norm) / norm * 100, 2),
        extra_uren_per_week=round(extra, 2),
        bedrag_per_jaar=bedrag,
        bedrag_per_client_per_jaar=per_client,
        soort="profiel" if profiel else "maatwerk",
        profiel=profiel,
    )


# --- the term rules ------------------------------------------------------------------------


def max_maanden(aanvraag: Aanvraag, beleid: Beleid) -> int:
    t = beleid.termijnen
    if aanvraag.soort == "preventief":
        return t.preventief_max_maanden
    if any(c.vg7_plus for c in aanvraag.clienten):
        return min(t.max_maanden, t.vg7_plus_max_maanden)
    return t.max_maanden


def bepaal_termijn(
    aanvraag: Aanvraag, beleid: Beleid, peildatum: dt.date
) -> tuple[Looptijd, dict[str, Looptijd], list[Bevinding]]:
    """The term the zorgkantoor can set: no retroactive start, capped to the policy maximum
    (VG7-plus and preventive have their own) and per client to the indicatie's end."""
    bevindingen: list[Bevinding] = []
    start = aanvraag.gevraagde_start
    if start < peildatum:
        bevindingen.append(
            Bevinding(
                "START_IN_VERLEDEN",
                "aanpassing",
                f"Geen terugwerkende kracht: start verschoven van {start} naar {peildatum} "
                "(de datum waarop de aanvraag volledig en juist is).",
            )
        )
        start = peildatum
    eind = max(aanvraag.gevraagde_eind, start)
    maximum = max_maanden(aanvraag, beleid)
    grens = termijn_einde(start, maximum)
    if eind > grens:
        if aanvraag.soort == "preventief":
            code, reden = "PREVENTIEF_TERMIJN", "preventieve meerzorg duurt 3–6 maanden (R §7)"
        elif maximum < beleid.termijnen.max_maanden:
            code, reden = "TERMIJN_TE_LANG", f"VG7-plus: maximaal {maximum} maanden (R §9)"
        else:
            code, reden = "TERMIJN_TE_LANG", f"maximaal {maximum} maanden (R §9)"
        bevindingen.append(
            Bevinding(code, "aanpassing", f"Eind ingekort van {eind} naar {grens}: {reden}.")
        )
        eind = grens
    if aanvraag.soort == "preventief":
        minimum = beleid.termijnen.preventief_min_maanden
        if eind < termijn_einde(start, minimum):
            bevindingen.append(
                Bevinding(
                    "PREVENTIEF_TERMIJN",
                    "blokkerend",
                    f"Preventieve meerzorg duurt {minimum}–{beleid.termijnen.preventief_max_maanden} maanden; "
                    f"gevraagd {maanden_tussen(start, eind):.1f} maanden (R §7).",
                )
            )
    per_client: dict[str, Looptijd] = {}
    for client in aanvraag.clienten:
        client_eind = eind
        if client.indicatie_einddatum < eind and client.indicatie_einddatum >= start:
            bevindingen.append(
                Bevinding(
                    "EIND_NA_INDICATIE",
                    "aanpassing",
                    f"Client {client.client_id}: eind ingekort van {eind} naar het einde van de "
                    f"indicatie {client.indicatie_einddatum}.",
                )
            )
            client_eind = client.indicatie_einddatum
        per_client[client.client_id] = Looptijd(start, client_eind)
    # The group's term ends with its last client: no later than the latest indicatie end.
    termijn = Looptijd(start, max(t.eind for t in per_client.values()))
    return termijn, per_client, bevindingen


# --- the checks ----------------------------------------------------------------------------


def _check_drempel(a: Aanvraag, beleid: Beleid, reken: Rekentool) -> list[Bevinding]:
    out = []
    # Compare on the unrounded ratio: 24.999% must not pass a 25% threshold.
    # Rounded: hours like 0.3 + 31.9 + 0.3 sum to 32.4999… in floating point, and exactly 25%
    # must pass a 25% threshold.
    if round(overschrijding(a, beleid), 9) < beleid.drempel:
        out.append(
            Bevinding(
                "DREMPEL_NIET_GEHAALD",
                "blokkerend",
                f"De zorgvraag overstijgt het zorgprofiel met {reken.overschrijding_pct:.1f}%; "
                f"de drempel is {beleid.drempel * 100:.0f}% (R §10).",
            )
        )
    if reken.soort == "maatwerk":
        out.append(
            Bevinding(
                "MAATWERK",
                "signaal",
                f"Bedrag per client boven het hoogste meerzorgprofiel "
                f"({beleid.meerzorgprofielen[-1].tot:.0f} euro): maatwerkbedrag (R §6).",
            )
        )
    return out


def toets(
    aanvraag: Aanvraag,
    peildatum: dt.date,
    beleid: Beleid | None = None,
    elders: Elders | None = None,
) -> Toetsresultaat:
    """The pre-assessment of an aanvraag on a peildatum under the policy in force then.

    `elders`: per BSN of the aanvraag's clients, their running meerzorg beschikkingen in other
    zaken (models/toetsstappen.py: MeerzorgElders); None (the CLI, what-if): the overlap is
    not checked and `niet_getoetst` says so."""
    beleid = beleid or beleid_op(peildatum)
    reken = rekentool(aanvraag, beleid)
    termijn, per_client, termijn_bevindingen = bepaal_termijn(aanvraag, beleid, peildatum)
    stappen = {
        "indicatie": lambda: check_indicatie(aanvraag, beleid, peildatum),
        "profiel": lambda: check_profiel(aanvraag, beleid),
        "volledigheid": lambda: check_volledigheid(aanvraag, beleid, peildatum),
        "andere_toeslagen": lambda: check_andere_toeslagen(aanvraag),
        "drempel": lambda: _check_drempel(aanvraag, beleid, reken),
        "termijn": lambda: termijn_bevindingen,
    }
    # 2026.1: the national method for pgb at home (models/toetsstappen.stapsgewijs).
    volgorde = beleid.toets.thuis_stapsgewijs if landelijke_methode(aanvraag) else ()
    bevindingen: list[Bevinding] = []
    niet_getoetst: tuple[str, ...] = ()
    if volgorde:
        gevonden = {naam: stap() for naam, stap in stappen.items()}
        bevindingen, niet_getoetst = stapsgewijs(gevonden, volgorde)
    else:
        for stap in stappen.values():
            bevindingen.extend(stap())
    # Not a step of the stepwise thuis toets (2026.1 names its own): double funding is the
    # zorgkantoor's own check and the beoordelaar sees it however far the steps got.
    perioden = {cid: (t.start, t.eind) for cid, t in per_client.items()}
    overlap, overlap_getoetst = check_overlap(aanvraag, perioden, elders)
    bevindingen.extend(overlap)
    return Toetsresultaat(
        bevindingen=tuple(bevindingen),
        rekentool=reken,
        termijn=termijn,
        termijnen_per_client=per_client,
        beleidsversie=beleid.versie,
        peildatum=peildatum,
        niet_getoetst=niet_getoetst,
        coulant=is_coulant(aanvraag, beleid),
        overlap_getoetst=overlap_getoetst,
        _beleid=beleid,
    )


def is_coulant(aanvraag: Aanvraag, beleid: Beleid) -> bool:
    """N 2025: a verlenging of meerzorg at home (mpt/pgb) gets a coulante
    maatwerkbeoordeling under the policies that say so (2025.2, 2026.1)."""
    return bool(
        beleid.toets.coulante_verlenging_thuis
        and aanvraag.is_thuis
        and aanvraag.soort == "verlenging"
    )
