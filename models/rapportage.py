"""The analyses as pure computations: backfill snapshots, the yearly report's tables and
the what-if diff of a draft policy.

Plain facts in (dataclasses built by tasks/analyse.py from the database), plain rows out.
The backfill, the report and the benchmarks call the same functions, so a figure in a
report and a snapshot row of a backfill can never disagree about what "risico" means.
Turning the rows into Markdown, CSV and charts (matplotlib) is tasks/rapport_uitvoer.py's
and tasks/rapport_grafieken.py's: nothing here draws or writes."""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from models.aanvraag import Aanvraag, Beschikking, Ontwikkeltraject
from models.beleid import Beleid
from models.dates import plus_maanden
from models.historie import beleid_voor
from models.planner import beslistermijn_einde, ontwikkeltraject_uiterlijk, plan
from models.toets import toets

UITKOMSTEN = ("toekennen", "bijstellen", "afwijzen")
TELLINGEN = ("aanvragen", "toekenningen", "bijstellingen", "afwijzingen")
_MEERVOUD = {"toekennen": "toekenningen", "bijstellen": "bijstellingen", "afwijzen": "afwijzingen"}
CCE_STATUSSEN = ("ok", "risico", "overtreding")
MAANDNAMEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
HORIZON_DAGEN = 90


# --- facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BeschikkingFeit:
    """One beschikking (one client) with what the rules need of it."""

    id: int
    zaak: str
    agb: str
    client_id: str
    leveringsvorm: str
    zorgprofiel: str
    start: dt.date
    eind: dt.date
    besluitdatum: dt.date
    bedrag_per_jaar: float
    beschikking: Beschikking  # the aanvraag plus this client's decided term (for the planner)
    beleid: Beleid  # the policy the decision applied
    meerzorg_sinds: dt.date
    trajecten: tuple[Ontwikkeltraject, ...] = ()  # every known traject of the client
    status: str = "actief"
    beeindigd_op: dt.date | None = None

    @property
    def thuis(self) -> bool:
        return self.leveringsvorm in ("mpt", "pgb")

    @property
    def einde(self) -> dt.date:
        """The last day it was in force: the end date, or earlier when it was ended early."""
        return min(self.eind, self.beeindigd_op) if self.beeindigd_op else self.eind


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


# --- CCE ontwikkeltraject and obligations as of a peildatum ------------------------------


@dataclass(slots=True)
class _Tijdlijn:
    """What does not change between peildata, computed once per beschikking."""

    datums: list[dt.date]
    soorten: list[str]
    herbeoordeling: dt.date | None
    afgerond: list[dt.date]  # completion dates of the client's trajecten, ascending
    uiterlijk: list[dt.date]  # [k]: the deadline when the first k trajecten are known
    risico_vanaf: list[dt.date]


def _tijdlijn(feit: BeschikkingFeit) -> _Tijdlijn:
    verplichtingen = plan(feit.beschikking, feit.beleid)
    client = next(c for c in feit.beschikking.clienten if c.client_id == feit.client_id)
    voltooid = sorted((o for o in feit.trajecten if o.voltooid), key=lambda o: o.afgerond_op)
    sinds = min(feit.meerzorg_sinds, feit.start)
    lead = feit.beleid.termijnen.ontwikkeltraject_herinnering_maanden
    uiterlijk = [
        ontwikkeltraject_uiterlijk(
            client.model_copy(update={"ontwikkeltrajecten": voltooid[:k]}), sinds, feit.beleid
        )
        for k in range(len(voltooid) + 1)
    ]
    return _Tijdlijn(
        datums=[v.datum for v in verplichtingen],
        soorten=[v.soort for v in verplichtingen],
        herbeoordeling=next(
            (
                v.datum
                for v in verplichtingen
                if v.soort in ("herbeoordeling_start", "passende_overgang_start")
            ),
            None,
        ),
        afgerond=[o.afgerond_op for o in voltooid],
        uiterlijk=uiterlijk,
        risico_vanaf=[plus_maanden(u, -lead) for u in uiterlijk],
    )


def snapshot_rijen(feit: BeschikkingFeit, peildata: Sequence[dt.date]) -> list[dict]:
    """The beschikking as of every peildatum on which it was in force (decided, not yet
    ended): open obligations and the CCE status with only the trajecten finished by then.

    CCE status, as `meerzorg compliance` defines it: overtreding when the 3-year window
    closed without a completed traject, risico from the reminder lead time before its last
    day (provider and CCE must plan it now), else ok."""
    eerste = bisect.bisect_left(peildata, feit.besluitdatum)
    laatste = bisect.bisect_right(peildata, feit.einde)
    if eerste >= laatste:
        return []
    t = _tijdlijn(feit)
    horizon = dt.timedelta(days=HORIZON_DAGEN)
    n = len(t.datums)
    rijen = []
    for p in peildata[eerste:laatste]:
        i = bisect.bisect_left(t.datums, p)
        k = bisect.bisect_right(t.afgerond, p)
        uiterlijk = t.uiterlijk[k]
        if uiterlijk < p:
            cce = "overtreding"
        elif t.risico_vanaf[k] <= p:
            cce = "risico"
        else:
            cce = "ok"
        rijen.append(
            {
                "peildatum": p,
                "beschikking": feit.id,
                "zaak": feit.zaak,
                "client_id": feit.client_id,
                "agb": feit.agb,
                "leveringsvorm": feit.leveringsvorm,
                "thuis": feit.thuis,
                "fase": "toekomstig" if p < feit.start else "actief",
                "einde": feit.einde,
                "bedrag_per_jaar": feit.bedrag_per_jaar,
                "herbeoordeling_start": t.herbeoordeling,
                "volgende_verplichting": t.soorten[i] if i < n else None,
                "volgende_datum": t.datums[i] if i < n else None,
                "verplichtingen_open": n - i,
                "verplichtingen_90d": bisect.bisect_right(t.datums, p + horizon) - i,
                "cce_status": cce,
                "cce_uiterlijk": uiterlijk,
            }
        )
    return rijen


def peildata(van: dt.date, tot: dt.date, stap: str) -> list[dt.date]:
    """van, van + stap, … up to and including tot. Months are counted from `van` (31 Jan,
    28 Feb, 31 Mar), so a month-end series stays at month ends."""
    if tot < van:
        raise ValueError(f"tot {tot} is before van {van}")
    out: list[dt.date] = []
    i = 0
    while True:
        if stap == "dag":
            p = van + dt.timedelta(days=i)
        elif stap == "week":
            p = van + dt.timedelta(weeks=i)
        elif stap == "maand":
            p = plus_maanden(van, i)
        else:
            raise ValueError(f"unknown stap '{stap}'; choose dag, week or maand")
        if p > tot:
            return out
        out.append(p)
        i += 1


def backfill_sleutel(van: dt.date, tot: dt.date, stap: str, scope: str) -> str:
    """A backfill is its question: the same parameters replace the same snapshots."""
    return f"{van:%Y%m%d}-{tot:%Y%m%d}-{stap}-{scope}"


def valideer_backfill(van: dt.date, tot: dt.date, stap: str, scope: str) -> list[dt.date]:
    """The peildata; ValueError with one readable line for parameters that make no sense."""
    if stap not in ("dag", "week", "maand"):
        raise ValueError(f"stap '{stap}' is not dag, week or maand")
    if scope != "all" and not (len(scope) == 8 and scope.isdigit()):
        raise ValueError(f"scope '{scope}' is not 'all' or an AGB code of 8 digits")
    if tot < van:
        raise ValueError(f"tot {tot} is before van {van}")
    data = peildata(van, tot, stap)
    if len(data) > 3660:
        raise ValueError(f"{len(data)} peildata is too many (at most 3660); choose a larger stap")
    return data


def samenvatting_snapshots(rijen: Iterable[dict]) -> dict[dt.date, dict]:
    """Per peildatum: beschikkingen in force, CCE counts and obligations due within 90 days."""
    out: dict[dt.date, dict] = {}
    for r in rijen:
        s = out.setdefault(
            r["peildatum"],
            {"beschikkingen": 0, "thuis": 0, "verplichtingen_90d": 0}
            | {c: 0 for c in CCE_STATUSSEN},
        )
        s["beschikkingen"] += 1
        s["thuis"] += bool(r["thuis"])
        s["verplichtingen_90d"] += r["verplichtingen_90d"]
        s[r["cce_status"]] += 1
    return dict(sorted(out.items()))


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
        per_aanbieder[(f.agb, f.zorgprofiel, f.leveringsvorm)].append(f.bedrag_per_jaar)
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


# --- what-if: a draft policy over the caseload ----------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseloadZaak:
    key: str
    status: str
    ingediend_op: dt.date
    aanvraag: Aanvraag
    beschikkingen: tuple[Beschikking, ...] = ()  # one per client, with its decided term


def _verplichtingen(
    beschikkingen: Iterable[Beschikking], beleid: Beleid, peildatum: dt.date
) -> dict:
    """The date of each obligation per soort and client; of a recurring one (periodiek
    contact) the next on or after the peildatum. A date before the peildatum stays in: under
    the draft the herbeoordeling may have had to start already, which is worth knowing."""
    out: dict[str, dt.date] = {}
    for b in beschikkingen:
        for v in plan(b, beleid):
            naam = v.soort + (f"[{v.client_id}]" if v.client_id else "")
            if v.soort == "periodiek_contact":
                if v.datum >= peildatum and (naam not in out or v.datum < out[naam]):
                    out[naam] = v.datum
            elif naam not in out or v.datum > out[naam]:
                out[naam] = v.datum
    return out


def _toetsvelden(aanvraag: Aanvraag, peildatum: dt.date, beleid: Beleid) -> dict:
    r = toets(aanvraag, peildatum, beleid)
    reken = r.rekentool
    return {
        "ontvankelijk": r.ontvankelijk,
        "bevindingen": ",".join(sorted({b.code for b in r.bevindingen if b.ernst != "signaal"}))
        or "-",
        "bedrag_per_jaar": reken.bedrag_per_jaar,
        "uitkomst_rekentool": reken.profiel or reken.soort,
        "overschrijding_pct": reken.overschrijding_pct,
        "termijn.eind": r.termijn.eind,
    }


def whatif_verschillen(
    zaken: Iterable[CaseloadZaak], peildatum: dt.date, huidig: Beleid, concept: Beleid
) -> tuple[list[dict], dict]:
    """Which zaken of the caseload get a different toets outcome, amount or deadline under
    the draft than under the policy in force: one row per (zaak, field) that differs."""
    rijen: list[dict] = []
    aantal = 0
    gewijzigd: set[str] = set()
    naar = Counter()
    bedrag_delta = 0.0
    for z in zaken:
        aantal += 1
        a = _toetsvelden(z.aanvraag, peildatum, huidig)
        b = _toetsvelden(z.aanvraag, peildatum, concept)
        if z.status not in ("lopend",):
            a["beslistermijn"] = beslistermijn_einde(z.ingediend_op, huidig)
            b["beslistermijn"] = beslistermijn_einde(z.ingediend_op, concept)
        if z.beschikkingen:
            a |= _verplichtingen(z.beschikkingen, huidig, peildatum)
            b |= _verplichtingen(z.beschikkingen, concept, peildatum)
        for veld in sorted(set(a) | set(b), key=lambda v: (list(a).index(v) if v in a else 99, v)):
            if veld == "overschrijding_pct":
                continue  # follows from the norm hours; the outcome and amount say what matters
            x, y = a.get(veld), b.get(veld)
            if isinstance(x, float) and isinstance(y, float) and abs(x - y) < 0.005:
                continue
            if x == y:
                continue
            rijen.append(
                {
                    "zaak": z.key,
                    "status": z.status,
                    "veld": veld,
                    "huidig": x.isoformat() if isinstance(x, dt.date) else x,
                    "concept": y.isoformat() if isinstance(y, dt.date) else y,
                }
            )
            gewijzigd.add(z.key)
            naar[veld.split("[")[0]] += 1
            if veld == "bedrag_per_jaar":
                bedrag_delta += y - x
    samenvatting = {
        "peildatum": peildatum.isoformat(),
        "huidig": huidig.versie,
        "concept": concept.versie,
        "zaken": aantal,
        "gewijzigd": len(gewijzigd),
        "per_veld": dict(sorted(naar.items())),
        "bedrag_per_jaar_verschil": round(bedrag_delta, 2),
        "niet_meer_ontvankelijk": sum(
            1 for r in rijen if r["veld"] == "ontvankelijk" and r["huidig"] and not r["concept"]
        ),
        "nu_ontvankelijk": sum(
            1 for r in rijen if r["veld"] == "ontvankelijk" and not r["huidig"] and r["concept"]
        ),
    }
    return rijen, samenvatting
