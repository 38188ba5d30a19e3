"""What-if as a pure computation: the zaken of the caseload whose toets outcome, amount or
deadline would differ under a draft policy, against the policy in force.

Plain facts in (CaseloadZaak, built by tasks/analyse.py from the database), plain rows out;
the flow and `meerzorg whatif` publish them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from models.aanvraag import Aanvraag, Beschikking
from models.beleid import Beleid
from models.planner import beslistermijn_einde, plan
from models.toets import toets


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
        for v in plan(b, beleid, peildatum):
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


def _velden(z: CaseloadZaak, peildatum: dt.date, beleid: Beleid) -> dict:
    """What the policy decides about the zaak: the toets, the beslistermijn of a zaak not yet
    decided, and the obligations of its beschikkingen."""
    out = _toetsvelden(z.aanvraag, peildatum, beleid)
    if z.status not in ("lopend",):
        out["beslistermijn"] = beslistermijn_einde(z.ingediend_op, beleid)
    if z.beschikkingen:
        out |= _verplichtingen(z.beschikkingen, beleid, peildatum)
    return out


def _verschillen(a: dict, b: dict) -> Iterator[tuple[str, Any, Any]]:
    """(field, current, draft) of each field that differs, in the current policy's order."""
    for veld in sorted(set(a) | set(b), key=lambda v: (list(a).index(v) if v in a else 99, v)):
        if veld == "overschrijding_pct":
            continue  # follows from the norm hours; the outcome and amount say what matters
        x, y = a.get(veld), b.get(veld)
        if isinstance(x, float) and isinstance(y, float) and abs(x - y) < 0.005:
            continue
        if x == y:
            continue
        yield veld, x, y


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
        a = _velden(z, peildatum, huidig)
        b = _velden(z, peildatum, concept)
        for veld, x, y in _verschillen(a, b):
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
