"""The yearly report's tables as pure computations: aanvragen and besluiten per month (also
at home), doorlooptijd against the beslistermijn, CCE compliance per month end, expiring
beschikkingen and spiegelinformatie.

Plain facts in (dataclasses built by tasks/analyse.py from the database), plain rows out.
The CCE table counts the very rows a backfill writes (models/snapshot.py), so the two never
disagree. Turning the rows into Markdown, CSV and charts (matplotlib) is
tasks/rapport_uitvoer.py's and tasks/rapport_grafieken.py's: nothing here draws or writes.
The what-if diff of a draft policy is models/whatif.py's."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.aanvrager import aanbieder_label
from models.dates import plus_maanden
from models.historie import beleid_voor
from models.planner import beslistermijn_einde
from models.snapshot import CCE_STATUSSEN, BeschikkingFeit, samenvatting_snapshots, snapshot_rijen

UITKOMSTEN = ("toekennen", "bijstellen", "afwijzen")
TELLINGEN = ("aanvragen", "toekenningen", "bijstellingen", "afwijzingen")
_MEERVOUD = {"toekennen": "toekenningen", "bijstellen": "bijstellingen", "afwijzen": "afwijzingen"}
MAANDNAMEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


# --- facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZaakFeit:
    key: str
    agb: str
    ingediend_op: dt.date
    thuis: bool
    status: str = ""


@dataclass(frozen=True, slots=True)
class BesluitFeit:
    zaak: str
    ronde: int
    uitkomst: str
    datum: dt.date


# --- the yearly report ---------------------------------------------------------------------


def _maand(datum: dt.date) -> str:
    return f"{datum.year}-{datum.month:02d}"


def maandtabel(
    jaar: int, zaken: Iterable[ZaakFeit], besluiten: Iterable[BesluitFeit]
) -> list[dict]:
    """Per month of the year: aanvragen by ingediend_op, decisions by their date; the same
    for meerzorg at home (mpt/pgb) separately (the figures the ministry asked for, N 2025)."""
    thuis = {}
    rijen = {
        f"{jaar}-{m:02d}": {"maand": f"{jaar}-{m:02d}"}
        | {t: 0 for t in TELLINGEN}
        | {f"thuis_{t}": 0 for t in TELLINGEN}
        for m in range(1, 13)
    }
    for z in zaken:
        thuis[z.key] = z.thuis
        if z.ingediend_op.year == jaar:
            rij = rijen[_maand(z.ingediend_op)]
            rij["aanvragen"] += 1
            rij["thuis_aanvragen"] += z.thuis
    for b in besluiten:
        if b.datum.year == jaar and b.uitkomst in _MEERVOUD:
            rij = rijen[_maand(b.datum)]
            rij[_MEERVOUD[b.uitkomst]] += 1
            rij[f"thuis_{_MEERVOUD[b.uitkomst]}"] += thuis.get(b.zaak, False)
    return list(rijen.values())


def totalen(maanden: list[dict]) -> dict:
    out = {t: sum(r[t] for r in maanden) for t in TELLINGEN}
    out["thuis"] = {t: sum(r[f"thuis_{t}"] for r in maanden) for t in TELLINGEN}
    return out


def doorlooptijden(
    jaar: int, zaken: Iterable[ZaakFeit], besluiten: Iterable[BesluitFeit]
) -> tuple[list[dict], dict]:
    """Days from receipt to the first decision on a zaak, against the Awb beslistermijn of
    the policy in force on receipt; per month of the decision, and for the year."""
    ingediend = {z.key: z.ingediend_op for z in zaken}
    eerste: dict[str, BesluitFeit] = {}
    for b in besluiten:
        if b.zaak in ingediend and (
            b.zaak not in eerste
            or (b.ronde, b.datum) < (eerste[b.zaak].ronde, eerste[b.zaak].datum)
        ):
            eerste[b.zaak] = b
    per_maand: dict[str, list[tuple[int, bool]]] = {f"{jaar}-{m:02d}": [] for m in range(1, 13)}
    for key, b in eerste.items():
        if b.datum.year != jaar:
            continue
        ontvangen = ingediend[key]
        termijn = beslistermijn_einde(ontvangen, beleid_voor(ontvangen))
        per_maand[_maand(b.datum)].append(((b.datum - ontvangen).days, b.datum <= termijn))
    rijen = [_doorlooprij({"maand": m}, waarden) for m, waarden in per_maand.items()]
    jaartotaal = _doorlooprij({"jaar": jaar}, [w for ws in per_maand.values() for w in ws])
    return rijen, jaartotaal


def _doorlooprij(rij: dict, waarden: list[tuple[int, bool]]) -> dict:
    dagen = [d for d, _ in waarden]
    binnen = sum(1 for _, ok in waarden if ok)
    return rij | {
        "besluiten": len(waarden),
        "mediaan_dagen": statistics.median(dagen) if dagen else None,
        "gemiddeld_dagen": round(statistics.fmean(dagen), 1) if dagen else None,
        "max_dagen": max(dagen) if dagen else None,
        "binnen_termijn": binnen,
        "buiten_termijn": len(waarden) - binnen,
        "pct_binnen_termijn": round(100 * binnen / len(waarden), 1) if waarden else None,
    }


def maandeinden(jaar: int, peildatum: dt.date) -> list[dt.date]:
    """The last day of each month of the year, up to the peildatum (the peildatum itself
    for its own month): compliance is only known up to today."""
    out = []
    for m in range(1, 13):
        einde = plus_maanden(dt.date(jaar, m, 1), 1) - dt.timedelta(days=1)
        if dt.date(jaar, m, 1) > peildatum:
            break
        out.append(min(einde, peildatum))
    return out


def cce_per_maand(
    jaar: int, feiten: Iterable[BeschikkingFeit], peildatum: dt.date
) -> tuple[list[dict], list[dict]]:
    """CCE compliance of the clients at each month end of the year, and the clients at risk
    or in breach on the last of those dates (zaak key and client_id only)."""
    datums = maandeinden(jaar, peildatum)
    # Per client: a client whose next beschikking is decided before the current one ends
    # has two in force, with the same trajecten and the same window.
    per_client: dict[tuple, dict] = {}
    for f in feiten:
        for r in snapshot_rijen(f, datums):
            sleutel = (r["peildatum"], r["agb"], r["client_id"])
            if sleutel not in per_client or r["fase"] == "actief":
                per_client[sleutel] = r
    rijen = list(per_client.values())
    per_datum = samenvatting_snapshots(rijen)
    tabel = [
        {"maand": _maand(p), "peildatum": p.isoformat()}
        | {c: per_datum.get(p, {}).get(c, 0) for c in CCE_STATUSSEN}
        for p in datums
    ]
    laatste = datums[-1] if datums else None
    aandacht = sorted(
        (
            {
                "zaak": r["zaak"],
                "client_id": r["client_id"],
                "agb": r["agb"],
                "status": r["cce_status"],
                "uiterlijk": r["cce_uiterlijk"].isoformat(),
            }
            for r in rijen
            if r["peildatum"] == laatste and r["cce_status"] != "ok"
        ),
        key=lambda r: (r["uiterlijk"], r["zaak"], r["client_id"]),
    )
    return tabel, aandacht


def expiraties(
    feiten: Iterable[BeschikkingFeit], peildatum: dt.date, maanden: int = 24
) -> list[dict]:
    """Beschikkingen still in force that end in each of the next `maanden` months (the
    month of the peildatum first): the herbeoordelingen that are coming."""
    start = dt.date(peildatum.year, peildatum.month, 1)
    rijen = {
        _maand(plus_maanden(start, i)): {
            "maand": _maand(plus_maanden(start, i)),
            "aflopend": 0,
            "thuis": 0,
        }
        for i in range(maanden)
    }
    for f in feiten:
        if f.status != "actief" or f.einde < peildatum or f.besluitdatum > peildatum:
            continue
        rij = rijen.get(_maand(f.einde))
        if rij is not None:
            rij["aflopend"] += 1
            rij["thuis"] += f.thuis
    return list(rijen.values())


def spiegelinformatie(jaar: int, feiten: Iterable[BeschikkingFeit]) -> list[dict]:
    """Amount per client per year of each provider against comparable beschikkingen (same
    zorgprofiel and leveringsvorm, all providers), for beschikkingen in force in the year.
    index 100 = the median of the comparable group."""
    begin, einde = dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)
    groep: dict[tuple[str, str], list[float]] = defaultdict(list)
    per_aanbieder: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for f in feiten:
        if f.start > einde or f.einde < begin or f.besluitdatum > einde:
            continue
        groep[(f.zorgprofiel, f.leveringsvorm)].append(f.bedrag_per_jaar)
        # A budgethouder's pgb without provider: one group of its own (models/aanvrager.py).
        aanbieder = aanbieder_label(f.agb)
        per_aanbieder[(aanbieder, f.zorgprofiel, f.leveringsvorm)].append(f.bedrag_per_jaar)
    rijen = []
    for (agb, profiel, vorm), bedragen in sorted(per_aanbieder.items()):
        vergelijk = groep[(profiel, vorm)]
        mediaan = statistics.median(vergelijk)
        gemiddeld = statistics.fmean(bedragen)
        rijen.append(
            {
                "agb": agb,
                "zorgprofiel": profiel,
                "leveringsvorm": vorm,
                "clienten": len(bedragen),
                "gemiddeld_bedrag": round(gemiddeld, 2),
                "vergelijkbaar_clienten": len(vergelijk),
                "vergelijkbaar_mediaan": round(mediaan, 2),
                "vergelijkbaar_p25": round(_kwantiel(vergelijk, 0.25), 2),
                "vergelijkbaar_p75": round(_kwantiel(vergelijk, 0.75), 2),
                "index": round(100 * gemiddeld / mediaan, 1) if mediaan else None,
            }
        )
    return rijen


def _kwantiel(waarden: list[float], q: float) -> float:
    s = sorted(waarden)
    if len(s) == 1:
        return s[0]
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


@dataclass
class Rapport:
    jaar: int
    peildatum: dt.date
    maanden: list[dict]
    totalen: dict
    doorlooptijd: list[dict]
    doorlooptijd_jaar: dict
    cce: list[dict]
    cce_aandacht: list[dict]
    expiraties: list[dict]
    spiegel: list[dict]
    # Drawn by tasks.rapport_grafieken (tasks.rapport_uitvoer.maak_rapport), empty here:
    grafieken: dict[str, str] = field(default_factory=dict)  # SVG file name -> SVG text
    png: dict[str, bytes] = field(default_factory=dict)  # PNG file name -> PNG, beside each SVG

    def tabellen(self) -> dict[str, list[dict]]:
        """file stem -> rows: what is written as CSV and published as table artifacts."""
        return {
            "aanvragen_en_besluiten_per_maand": self.maanden,
            "doorlooptijd_per_maand": self.doorlooptijd,
            "cce_per_maand": self.cce,
            "cce_aandacht": self.cce_aandacht,
            "expiraties_24_maanden": self.expiraties,
            "spiegelinformatie": self.spiegel,
        }


def maak_rapport(
    jaar: int,
    peildatum: dt.date,
    zaken: list[ZaakFeit],
    besluiten: list[BesluitFeit],
    feiten: list[BeschikkingFeit],
) -> Rapport:
    """The report's tables, without charts: tasks.rapport_uitvoer.maak_rapport draws them."""
    maanden = maandtabel(jaar, zaken, besluiten)
    doorloop, doorloop_jaar = doorlooptijden(jaar, zaken, besluiten)
    cce, aandacht = cce_per_maand(jaar, feiten, peildatum)
    return Rapport(
        jaar=jaar,
        peildatum=peildatum,
        maanden=maanden,
        totalen=totalen(maanden),
        doorlooptijd=doorloop,
        doorlooptijd_jaar=doorloop_jaar,
        cce=cce,
        cce_aandacht=aandacht,
        expiraties=expiraties(feiten, peildatum),
        spiegel=spiegelinformatie(jaar, feiten),
    )
