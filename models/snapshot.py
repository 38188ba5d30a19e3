"""Backfill snapshots as pure computations: a beschikking's open obligations and CCE
status as of each peildatum, the series of peildata, and the checks on a backfill's
parameters.

Plain facts in (BeschikkingFeit, built by tasks/analyse.py from the database), plain rows
out. The backfill (tasks/snapshots.py) and the yearly report's CCE table
(models/rapportage.py) call the same snapshot_rijen, so a figure in a report and a
snapshot row of a backfill can never disagree about what "risico" means."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.aanvraag import Beschikking, Ontwikkeltraject
from models.beleid import Beleid
from models.dates import plus_maanden
from models.planner import ontwikkeltraject_uiterlijk, plan

CCE_STATUSSEN = ("ok", "risico", "overtreding")
HORIZON_DAGEN = 90


# --- the fact -------------------------------------------------------------------------------


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
    # The obligations as the running system scheduled them: its timers were set on the
    # decision day (models/planner.timers), with the trajecten completed by then.
    verplichtingen = plan(feit.beschikking, feit.beleid, feit.besluitdatum)
    client = next(c for c in feit.beschikking.clienten if c.client_id == feit.client_id)
    voltooid = sorted((o for o in feit.trajecten if o.voltooid), key=lambda o: o.afgerond_op)
    sinds = min(feit.meerzorg_sinds, feit.start)
    lead = feit.beleid.termijnen.ontwikkeltraject_herinnering_maanden
    # [k]: the deadline on a peildatum by which exactly the first k trajecten were completed
    # (on the day the k-th was).
    uiterlijk = [
        ontwikkeltraject_uiterlijk(
            client.model_copy(update={"ontwikkeltrajecten": voltooid[:k]}),
            sinds,
            voltooid[k - 1].afgerond_op if k else sinds,
            feit.beleid,
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
