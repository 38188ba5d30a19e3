"""Side effects of the backfill: register it and list its chunks, write each chunk's
snapshots (models/snapshot.py computes them), and summarise the snapshot table.

Plain functions (no Prefect here): flows/backfill.py wraps them as tasks, `meerzorg
backfill` reads the summary, and backfill_lokaal runs the whole backfill in this process,
so "the same computation without Prefect" is literally the same code."""

from __future__ import annotations

import datetime as dt

from models.db.analyse_lezen import in_chunk, in_periode, van_scope
from models.db.backfill_store import (
    beschikking_ids,
    chunk_telling,
    klare_chunks,
    leg_chunk_vast,
    snapshot_telling,
    wis_andere_chunks,
    wis_chunks,
)
from models.db.store import session_scope
from models.db.tables_analyse import Backfill
from models.snapshot import backfill_sleutel, snapshot_rijen, valideer_backfill
from tasks.analyse import laad_feiten, lees_scope


def bereid_backfill(
    van: dt.date,
    tot: dt.date,
    stap: str,
    scope: str = "all",
    chunk_grootte: int = 1000,
    opnieuw: bool = False,
    flow_run_id: str | None = None,
) -> dict:
    """Register the backfill and list its chunks. A backfill left 'bezig' (a crash) resumes:
    its finished chunks are skipped and its chunking is kept. A finished one, or `opnieuw`,
    starts over; each chunk then replaces its own snapshots."""
    data = valideer_backfill(van, tot, stap, scope)
    key = backfill_sleutel(van, tot, stap, scope)
    with session_scope() as session:
        bf = session.get(Backfill, key)
        hervat = bf is not None and bf.status == "bezig" and not opnieuw
        if not hervat:
            wis_chunks(session=session, backfill=key)
            bf = bf or Backfill(key=key, van=van, tot=tot, stap=stap, scope=scope, chunk_grootte=0)
            bf.chunk_grootte, bf.status, bf.klaar_op = chunk_grootte, "bezig", None
            bf.gestart = dt.datetime.now(dt.UTC)
        grootte = bf.chunk_grootte
        ids = beschikking_ids(session=session, van=van, tot=tot, scope=scope)
        chunks = sorted({(i - 1) // grootte for i in ids})
        klaar = klare_chunks(session=session, backfill=key)
        bf.peildata, bf.chunks = len(data), len(chunks)
        bf.flow_run_id = flow_run_id or bf.flow_run_id
        session.add(bf)
    return {
        "key": key,
        "peildata": data,
        "chunk_grootte": grootte,
        "chunks": chunks,
        "te_doen": [c for c in chunks if c not in klaar],
        "overgeslagen": [c for c in chunks if c in klaar],
        "hervat": hervat,
    }


def verwerk_chunk(
    key: str, chunk: int, grootte: int, data: list[dt.date], scope: str = "all"
) -> dict:
    """Snapshots of one chunk of beschikkingen (ids chunk*grootte+1 … (chunk+1)*grootte) at
    every peildatum. Replace-and-record in one transaction: a crash leaves the chunk
    either done (and skipped on resume) or untouched."""
    lo, hi = chunk * grootte + 1, (chunk + 1) * grootte
    with lees_scope() as session:
        feiten = laad_feiten(
            session, *in_chunk(lo, hi), *in_periode(data[0], data[-1]), *van_scope(scope)
        )
    rijen = [r for f in feiten for r in snapshot_rijen(f, data)]
    for r in rijen:
        r["backfill"], r["chunk"] = key, chunk
    with session_scope() as session:
        leg_chunk_vast(
            session=session, backfill=key, chunk=chunk, rijen=rijen, beschikkingen=len(feiten)
        )
    return {"chunk": chunk, "beschikkingen": len(feiten), "rijen": len(rijen)}


def rond_backfill_af(key: str, chunks: list[int]) -> dict:
    """Drop snapshots of chunks that no longer exist, mark the backfill done, summarise."""
    with session_scope() as session:
        wis_andere_chunks(session=session, backfill=key, chunks=chunks)
        bf = session.get(Backfill, key)
        bf.status, bf.klaar_op = "klaar", dt.datetime.now(dt.UTC)
        session.add(bf)
    return backfill_samenvatting(key)


def backfill_samenvatting(key: str) -> dict:
    with lees_scope() as session:
        bf = session.get(Backfill, key)
        if bf is None:
            raise ValueError(f"backfill {key} does not exist")
        rows = snapshot_telling(session=session, backfill=key)
        chunks = chunk_telling(session=session, backfill=key)
    # Beschikkingen count rows; the CCE rule is per client (one with a follow-up beschikking
    # decided before the current one ends has two in force, with the same window).
    per: dict[dt.date, dict] = {}
    for p, status, n, clienten, thuis, verpl in rows:
        s = per.setdefault(
            p,
            {
                "peildatum": p.isoformat(),
                "beschikkingen": 0,
                "thuis": 0,
                "verplichtingen_90d": 0,
                "clienten": 0,
            }
            | {"ok": 0, "risico": 0, "overtreding": 0},
        )
        s["beschikkingen"] += n
        s["thuis"] += int(thuis or 0)
        s["verplichtingen_90d"] += int(verpl or 0)
        s["clienten"] += clienten
        s[status] += clienten
    reeks = [per[p] for p in sorted(per)]
    return {
        "backfill": key,
        "van": bf.van.isoformat(),
        "tot": bf.tot.isoformat(),
        "stap": bf.stap,
        "scope": bf.scope,
        "status": bf.status,
        "peildata": bf.peildata,
        "chunks": bf.chunks,
        "chunks_klaar": chunks[0],
        "snapshots": int(chunks[1] or 0),
        "laatste": reeks[-1] if reeks else None,
        "per_peildatum": reeks,
    }


def backfill_lokaal(
    van: dt.date,
    tot: dt.date,
    stap: str = "maand",
    scope: str = "all",
    chunk_grootte: int = 1000,
    opnieuw: bool = False,
) -> dict:
    """The whole backfill in this process, chunk after chunk, without Prefect (the
    benchmark's baseline, and the tests' reference)."""
    plan = bereid_backfill(van, tot, stap, scope, chunk_grootte, opnieuw)
    for chunk in plan["te_doen"]:
        verwerk_chunk(plan["key"], chunk, plan["chunk_grootte"], plan["peildata"], scope)
    samenvatting = rond_backfill_af(plan["key"], plan["chunks"])
    return samenvatting | {"overgeslagen": len(plan["overgeslagen"])}
