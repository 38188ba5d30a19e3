"""Side effects of the analyses: the historical import, the backfill chunks, reading the
facts for a report or a what-if run, and writing report files.

Plain functions (no Prefect here): the flows wrap them as tasks, the CLI and the benchmarks
call them directly, so "the same computation without Prefect" is literally the same code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Iterable, Sequence

from sqlalchemy import case, create_engine, delete, event, func, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.aanvraag import Aanvraag, Beschikking, Ontwikkeltraject
from models.beleid import Beleid, BeleidsFout, beleid_op, beleid_versie
from models.besluit import na_beoordeling, toekenning
from models.db.store import (
    engine_for,
    pas_toe,
    registreer_zaak,
    session_scope,
    sqlite_pragmas,
    stand_van,
)
from models.db.tables import Beschikking as BeschikkingRij
from models.db.tables import Besluit, Client, Zaak
from models.db.tables import Ontwikkeltraject as OntwikkeltrajectRij
from models.db.tables_analyse import Backfill, BackfillChunk, Snapshot
from models.engine import Bericht, Termijn
from models.historie import Regel, beleid_voor, historische_status
from models.overgang import (
    GESLOTEN,
    BesluitVastgelegd,
    NieuweRonde,
    ToetsVastgelegd,
    ZaakOvergang,
)
from models.planner import bezwaartermijn_einde
from models.proces import na_toets
from models.rapportage import (
    BeschikkingFeit,
    BesluitFeit,
    CaseloadZaak,
    Rapport,
    ZaakFeit,
    backfill_sleutel,
    snapshot_rijen,
    valideer_backfill,
    whatif_verschillen,
)
from models.settings import get_settings
from models.toets import toets
from tasks.rapport_uitvoer import maak_rapport
from tasks.rapport_uitvoer import schrijf_rapport as schrijf_rapport  # analyse.schrijf_rapport

log = logging.getLogger("meerzorg.analyse")


@functools.cache
def _lees_engine(url: str) -> Engine:
    """For reading many rows. On SQLite every transaction of the store's engine takes the
    write lock up front; a report reading 20,000 beschikkingen must not hold up the
    assessors' transitions, so reads begin a deferred transaction: a WAL snapshot, no lock."""
    if not url.startswith("sqlite"):
        return engine_for(url)
    engine_for(url)  # creates the directory, like the store does
    eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(eng, "connect", sqlite_pragmas)
    event.listen(eng, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return eng


def lees_scope():
    return session_scope(_lees_engine(get_settings().db_url))


IMPORT_ACTOR = "historie-import"
IMPORT_BATCH = 500
# Reminders whose moment has passed are history; the timers that move a zaak (herbeoordeling,
# verlenging, CCE uiterlijk) stay, and the next sweep fires them like any overdue timer.
HERINNERINGEN = frozenset({"ontwikkeltraject_herinnering", "periodiek_contact"})


# --- historical import -----------------------------------------------------------------------


def importeer(regels: Sequence[Regel], peildatum: dt.date, batch: int = IMPORT_BATCH) -> dict:
    """Import validated lines, oldest first (so zaak keys and `meerzorg_sinds` follow time).
    One transaction per batch; a zaak that exists already (same key) is left as it is."""
    volgorde = sorted(regels, key=lambda r: (r.zaak.ingediend_op, r.nummer))
    nieuw = bestaand = 0
    per_status: dict[str, int] = {}
    keys: list[str] = []
    for start in range(0, len(volgorde), batch):
        deel = volgorde[start : start + batch]
        with session_scope() as session, session.no_autoflush:
            # A re-import finds the whole batch in one query instead of one per line.
            aanwezig = dict(
                session.exec(
                    select(Zaak.provider_referentie, Zaak.key).where(
                        Zaak.provider_referentie.in_([r.sleutel for r in deel])
                    )
                ).all()
            )
            # registreer_zaak and pas_toe flush where later reads need it; flushing before
            # every query as well would double the ORM work of a 20,000-line import.
            for regel in deel:
                if regel.sleutel in aanwezig:
                    keys.append(aanwezig[regel.sleutel])
                    bestaand += 1
                    continue
                key, is_nieuw, status = _importeer_regel(session, regel, peildatum)
                keys.append(key)
                if is_nieuw:
                    nieuw += 1
                    per_status[status] = per_status.get(status, 0) + 1
                else:
                    bestaand += 1
    return {
        "geimporteerd": nieuw,
        "lopend": sum(n for s, n in per_status.items() if s not in GESLOTEN),
        "al_aanwezig": bestaand,
        "per_status": dict(sorted(per_status.items())),
        "zaken": keys,
    }


def _importeer_regel(session: Session, regel: Regel, peildatum: dt.date) -> tuple[str, bool, str]:
    h = regel.zaak
    aanvraag = h.aanvraag()
    zaak, nieuw = registreer_zaak(
        session=session,
        aanvraag=aanvraag,
        ingediend_op=h.ingediend_op,
        provider_referentie=regel.sleutel,
        actor=IMPORT_ACTOR,
    )
    if not nieuw:
        return zaak.key, False, zaak.status
    _registreer_trajecten(session, zaak.key, aanvraag)
    # The toets as it was on receipt: what the assessor saw, and what what-if compares.
    ontvangst = beleid_voor(h.ingediend_op)
    resultaat = toets(aanvraag, h.ingediend_op, ontvangst).public()
    stand = dataclasses.replace(stand_van(zaak), toets=resultaat)
    for overgang, datum in _historische_overgangen(h, stand, resultaat, ontvangst, peildatum):
        pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=datum, actor=IMPORT_ACTOR)
    return zaak.key, True, zaak.status


def _historische_overgangen(h, stand, resultaat: dict, ontvangst: Beleid, peildatum: dt.date):
    """The transitions that bring a freshly registered zaak to where its history left it,
    each with the date it happened on. Never a notification: the provider had those then."""
    b = h.besluit
    if b is None:
        # Not decided yet: the toets on the peildatum, as the lifecycle run would do now.
        o = na_toets(stand, peildatum, beleid_voor(peildatum))
        yield _stil(o, f"historie_{o.actie}"), peildatum
        return
    beleid = beleid_voor(b.datum)
    record = {
        "ronde": 1,
        "uitkomst": b.uitkomst,
        "onderbouwing": b.onderbouwing,
        "beoordelaar": IMPORT_ACTOR,
        "pijlers": {},
        "start": b.start,
        "eind": b.eind,
        "bedrag_per_jaar": b.bedrag_per_jaar,
        "datum": b.datum,
        "beleidsversie": beleid.versie,
    }
    basis = (ToetsVastgelegd(resultaat, ontvangst.versie), NieuweRonde())
    if b.uitkomst == "toekennen":
        # The decided term stands as it was: only each client's indicatie end caps it (the
        # toets' own term proposal is not applied to history).
        o = toekenning(
            dataclasses.replace(stand, toets={**resultaat, "clienten": []}),
            record,
            b.datum,
            beleid,
        )
        einde = max(x["eind"] for x in o.beschikkingen)
        status = historische_status(h, einde, peildatum)
        if status == "lopend":
            # A reminder whose moment has passed is not sent late; a deadline still counts.
            yield (
                _stil(
                    o,
                    "historie_toegekend",
                    *basis,
                    houd=lambda d: d.datum >= peildatum or d.soort not in HERINNERINGEN,
                ),
                b.datum,
            )
            return
        yield _stil(o, "historie_toegekend", *basis, houd=lambda d: False), b.datum
        einde_dag = einde + dt.timedelta(days=1)
        yield ZaakOvergang(status="beeindigd", actie="historie_beeindigd"), einde_dag
        return
    status = historische_status(h, None, peildatum)
    if status in GESLOTEN:
        if b.uitkomst == "afwijzen":
            gesloten = bezwaartermijn_einde(b.datum, beleid)
        else:
            gesloten = b.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        yield (
            ZaakOvergang(
                status=status,
                actie=f"historie_{b.uitkomst}",
                effecten=(BesluitVastgelegd(record), *basis),
            ),
            max(gesloten, b.datum),
        )
        return
    # Still within the bezwaartermijn or the time to adjust: exactly the live decision.
    try:
        o = na_beoordeling(stand, record, b.datum)
    except BeleidsFout:
        deadline = (
            Termijn("bezwaartermijn_einde", bezwaartermijn_einde(b.datum, beleid))
            if b.uitkomst == "afwijzen"
            else Termijn(
                "herstel_termijn",
                b.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken),
            )
        )
        o = ZaakOvergang(
            status=status, actie=b.uitkomst, effecten=(BesluitVastgelegd(record), deadline)
        )
    besluit = BesluitVastgelegd({**(o.besluit or {}), **record})
    zonder = dataclasses.replace(
        o, effecten=tuple(e for e in o.effecten if not isinstance(e, BesluitVastgelegd))
    )
    yield _stil(zonder, f"historie_{o.actie}", besluit, *basis), b.datum


def _stil(o, actie: str, *extra, houd=None):
    """The live transition as history: no notification (the provider had those then), its
    own effects plus `extra`, and only the timers `houd` keeps (default: all)."""
    effecten = tuple(
        e
        for e in o.effecten
        if not isinstance(e, Bericht) and not (isinstance(e, Termijn) and houd and not houd(e))
    )
    return dataclasses.replace(o, actie=actie, effecten=effecten + extra)


def _registreer_trajecten(session: Session, zaak: str, aanvraag: Aanvraag) -> None:
    """The ontwikkeltrajecten a historical aanvraag names are facts about the client: record
    them, so compliance over later beschikkingen of the same client sees them too."""
    gezien = set()
    for c in aanvraag.clienten:
        for o in c.ontwikkeltrajecten:
            if (c.client_id, o.bijeenkomst_1) in gezien:
                continue  # the same traject listed twice
            gezien.add((c.client_id, o.bijeenkomst_1))
            row = session.exec(
                select(OntwikkeltrajectRij).where(
                    OntwikkeltrajectRij.agb == aanvraag.zorgaanbieder.agb,
                    OntwikkeltrajectRij.client_id == c.client_id,
                    OntwikkeltrajectRij.bijeenkomst_1 == o.bijeenkomst_1,
                )
            ).first()
            if row is None:
                session.add(
                    OntwikkeltrajectRij(
                        agb=aanvraag.zorgaanbieder.agb,
                        client_id=c.client_id,
                        zaak=zaak,
                        bijeenkomst_1=o.bijeenkomst_1,
                        bijeenkomst_2=o.bijeenkomst_2,
                    )
                )
            elif row.bijeenkomst_2 is None and o.bijeenkomst_2 is not None:
                row.bijeenkomst_2 = o.bijeenkomst_2
                session.add(row)
    session.flush()


def open_zaken_zonder_run(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    keys = list(keys)
    out = []
    with session_scope() as session:
        for start in range(0, len(keys), 500):
            out += session.exec(
                select(Zaak.key, Zaak.agb, Zaak.leveringsvorm).where(
                    Zaak.key.in_(keys[start : start + 500]),
                    Zaak.flow_run_id.is_(None),
                    Zaak.status.notin_(tuple(GESLOTEN)),
                )
            ).all()
    return [tuple(r) for r in out]


def start_runs(keys: Iterable[str]) -> int:
    """A lifecycle run for every open zaak of the import that has none yet (idempotent:
    the zaak key is the run's idempotency key; zaken left over are started by the sweep)."""
    from tasks import runs

    gestart = 0
    for key, agb, leveringsvorm in open_zaken_zonder_run(keys):
        runs.start_lifecycle(key, agb, leveringsvorm)
        gestart += 1
    return gestart


# --- facts for the backfill, the report and what-if ---------------------------------------


def _beleid_van(versie: str | None, datum: dt.date) -> Beleid:
    try:
        return beleid_versie(versie) if versie else beleid_voor(datum)
    except BeleidsFout:
        return beleid_voor(datum)


def laad_feiten(session: Session, *voorwaarden) -> list[BeschikkingFeit]:
    """Beschikkingen (with their zaak's aanvraag, the client's meerzorg start and every known
    ontwikkeltraject) matching the SQL conditions."""
    rows = session.exec(
        select(BeschikkingRij, Zaak.agb, Zaak.aanvraag)
        .join(Zaak, Zaak.key == BeschikkingRij.zaak)
        .where(*voorwaarden)
        .order_by(BeschikkingRij.id)
    ).all()
    if not rows:
        return []
    clienten = {(agb, b.client_id) for b, agb, _ in rows}
    agbs = sorted({agb for agb, _ in clienten})
    ids = sorted({cid for _, cid in clienten})
    sinds: dict[tuple[str, str], dt.date | None] = {}
    geregistreerd: dict[tuple[str, str], list[Ontwikkeltraject]] = {}
    for start in range(0, len(ids), 500):
        deel = ids[start : start + 500]
        for c in session.exec(
            select(Client.agb, Client.client_id, Client.meerzorg_sinds).where(
                Client.agb.in_(agbs), Client.client_id.in_(deel)
            )
        ):
            sinds[(c[0], c[1])] = c[2]
        for o in session.exec(
            select(OntwikkeltrajectRij).where(
                OntwikkeltrajectRij.agb.in_(agbs), OntwikkeltrajectRij.client_id.in_(deel)
            )
        ):
            geregistreerd.setdefault((o.agb, o.client_id), []).append(
                Ontwikkeltraject.model_construct(
                    bijeenkomst_1=o.bijeenkomst_1, bijeenkomst_2=o.bijeenkomst_2
                )
            )
    aanvragen: dict[str, Aanvraag] = {}
    velden = list(Aanvraag.model_fields)
    feiten = []
    for b, agb, data in rows:
        aanvraag = aanvragen.get(b.zaak)
        if aanvraag is None:
            aanvraag = aanvragen[b.zaak] = Aanvraag.model_validate(data)
        client = next((c for c in aanvraag.clienten if c.client_id == b.client_id), None)
        if client is None:  # a client who joined the group later: its own aanvraag is elsewhere
            continue
        meerzorg_sinds = sinds.get((agb, b.client_id)) or b.start
        beschikking = Beschikking.model_construct(
            **{v: getattr(aanvraag, v) for v in velden},
            start=b.start,
            eind=b.eind,
            client_id=b.client_id,
            uitkomst="toekennen",
            besluitdatum=b.besluitdatum,
            meerzorg_sinds=meerzorg_sinds,
        )
        trajecten = {o.bijeenkomst_1: o for o in client.ontwikkeltrajecten}
        for o in geregistreerd.get((agb, b.client_id), []):
            if o.bijeenkomst_1 not in trajecten or o.bijeenkomst_2 is not None:
                trajecten[o.bijeenkomst_1] = o
        feiten.append(
            BeschikkingFeit(
                id=b.id,
                zaak=b.zaak,
                agb=agb,
                client_id=b.client_id,
                leveringsvorm=client.leveringsvorm,
                zorgprofiel=client.zorgprofiel,
                start=b.start,
                eind=b.eind,
                besluitdatum=b.besluitdatum,
                bedrag_per_jaar=b.bedrag_per_jaar,
                beschikking=beschikking,
                beleid=_beleid_van(b.beleidsversie, b.besluitdatum),
                meerzorg_sinds=meerzorg_sinds,
                trajecten=tuple(trajecten.values()),
                status=b.status,
                beeindigd_op=b.beeindigd_op,
            )
        )
    return feiten


# --- backfill ----------------------------------------------------------------------------------


def _scope(scope: str) -> list:
    return [] if scope == "all" else [Zaak.agb == scope]


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
            session.exec(delete(BackfillChunk).where(BackfillChunk.backfill == key))
            bf = bf or Backfill(key=key, van=van, tot=tot, stap=stap, scope=scope, chunk_grootte=0)
            bf.chunk_grootte, bf.status, bf.klaar_op = chunk_grootte, "bezig", None
            bf.gestart = dt.datetime.now(dt.UTC)
        grootte = bf.chunk_grootte
        ids = session.exec(
            select(BeschikkingRij.id)
            .join(Zaak, Zaak.key == BeschikkingRij.zaak)
            .where(BeschikkingRij.besluitdatum <= tot, BeschikkingRij.eind >= van, *_scope(scope))
        ).all()
        chunks = sorted({(i - 1) // grootte for i in ids})
        klaar = set(
            session.exec(select(BackfillChunk.chunk).where(BackfillChunk.backfill == key)).all()
        )
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
            session,
            BeschikkingRij.id >= lo,
            BeschikkingRij.id <= hi,
            BeschikkingRij.besluitdatum <= data[-1],
            BeschikkingRij.eind >= data[0],
            *_scope(scope),
        )
    rijen = [r for f in feiten for r in snapshot_rijen(f, data)]
    for r in rijen:
        r["backfill"], r["chunk"] = key, chunk
    with session_scope() as session:
        session.exec(delete(Snapshot).where(Snapshot.backfill == key, Snapshot.chunk == chunk))
        if rijen:
            session.execute(insert(Snapshot.__table__), rijen)
        session.exec(
            delete(BackfillChunk).where(BackfillChunk.backfill == key, BackfillChunk.chunk == chunk)
        )
        session.add(
            BackfillChunk(backfill=key, chunk=chunk, beschikkingen=len(feiten), rijen=len(rijen))
        )
    return {"chunk": chunk, "beschikkingen": len(feiten), "rijen": len(rijen)}


def rond_backfill_af(key: str, chunks: list[int]) -> dict:
    """Drop snapshots of chunks that no longer exist, mark the backfill done, summarise."""
    with session_scope() as session:
        session.exec(
            delete(Snapshot).where(Snapshot.backfill == key, Snapshot.chunk.notin_(chunks or [-1]))
        )
        bf = session.get(Backfill, key)
        bf.status, bf.klaar_op = "klaar", dt.datetime.now(dt.UTC)
        session.add(bf)
    return backfill_samenvatting(key)


def backfill_samenvatting(key: str) -> dict:
    with lees_scope() as session:
        bf = session.get(Backfill, key)
        if bf is None:
            raise ValueError(f"backfill {key} does not exist")
        client = Snapshot.agb + "/" + Snapshot.client_id
        rows = session.exec(
            select(
                Snapshot.peildatum,
                Snapshot.cce_status,
                func.count(),
                func.count(func.distinct(client)),
                func.sum(case((Snapshot.thuis, 1), else_=0)),
                func.sum(Snapshot.verplichtingen_90d),
            )
            .where(Snapshot.backfill == key)
            .group_by(Snapshot.peildatum, Snapshot.cce_status)
        ).all()
        chunks = session.exec(
            select(func.count(), func.sum(BackfillChunk.rijen)).where(BackfillChunk.backfill == key)
        ).one()
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


# --- the yearly report -------------------------------------------------------------------------


def rapport_gegevens(jaar: int, peildatum: dt.date) -> Rapport:
    begin = min(dt.date(jaar, 1, 1), peildatum)
    einde = max(dt.date(jaar, 12, 31), peildatum)
    with lees_scope() as session:
        zaken = [
            ZaakFeit(key=k, agb=a, ingediend_op=d, thuis=t, status=s)
            for k, a, d, t, s in session.exec(
                select(Zaak.key, Zaak.agb, Zaak.ingediend_op, Zaak.thuis, Zaak.status)
            )
        ]
        besluiten = [
            BesluitFeit(zaak=z, ronde=r, uitkomst=u, datum=d)
            for z, r, u, d in session.exec(
                select(Besluit.zaak, Besluit.ronde, Besluit.uitkomst, Besluit.datum)
            )
        ]
        feiten = laad_feiten(
            session, BeschikkingRij.besluitdatum <= einde, BeschikkingRij.eind >= begin
        )
    return maak_rapport(jaar, peildatum, zaken, besluiten, feiten)


def rapport_json(rapport: Rapport, paden: list[str] | None = None) -> dict:
    t = rapport.totalen
    d = rapport.doorlooptijd_jaar
    return {
        "jaar": rapport.jaar,
        "peildatum": rapport.peildatum.isoformat(),
        "aanvragen": t["aanvragen"],
        "toekenningen": t["toekenningen"],
        "bijstellingen": t["bijstellingen"],
        "afwijzingen": t["afwijzingen"],
        "thuis": t["thuis"],
        "doorlooptijd": {k: v for k, v in d.items() if k != "jaar"},
        "cce": rapport.cce[-1] if rapport.cce else None,
        "bestanden": paden or [],
    }


# --- what-if -----------------------------------------------------------------------------------


def caseload() -> list[CaseloadZaak]:
    """Every open zaak with its aanvraag and, when it runs, its active beschikkingen."""
    with lees_scope() as session:
        zaken = session.exec(
            select(Zaak.key, Zaak.status, Zaak.ingediend_op, Zaak.aanvraag)
            .where(Zaak.status.notin_(tuple(GESLOTEN)))
            .order_by(Zaak.key)
        ).all()
        feiten: dict[str, list[Beschikking]] = {}
        keys = [z[0] for z in zaken]
        for start in range(0, len(keys), 500):
            for f in laad_feiten(
                session,
                BeschikkingRij.zaak.in_(keys[start : start + 500]),
                BeschikkingRij.status == "actief",
            ):
                feiten.setdefault(f.zaak, []).append(f.beschikking)
    return [
        CaseloadZaak(
            key=k,
            status=s,
            ingediend_op=d,
            aanvraag=Aanvraag.model_validate(a),
            beschikkingen=tuple(feiten.get(k, ())),
        )
        for k, s, d, a in zaken
    ]


def whatif(concept: Beleid, peildatum: dt.date) -> dict:
    rijen, samenvatting = whatif_verschillen(caseload(), peildatum, beleid_op(peildatum), concept)
    return samenvatting | {"verschillen": rijen}
