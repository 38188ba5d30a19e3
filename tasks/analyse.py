"""Side effects of the analyses that read: the facts for a backfill, a report or a what-if
run, read from the case database without holding up the assessors, and the report's data
and what-if over the caseload. The historical import is tasks/historie_import.py's, the
backfill's chunks and snapshots tasks/snapshots.py's, the report files
tasks/rapport_uitvoer.py's.

Plain functions (no Prefect here): the flows wrap them as tasks, the CLI and the benchmarks
call them directly, so "the same computation without Prefect" is literally the same code."""

from __future__ import annotations

import datetime as dt
import functools
import logging

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import compliance
from models.aanvraag import Aanvraag, Beschikking, Ontwikkeltraject
from models.beleid import Beleid, BeleidsFout, beleid_op, beleid_versie
from models.db.analyse_lezen import (
    IN_LIJST,
    actief_in,
    beschikkingen_met_zaak,
    besluitfeit_rijen,
    geregistreerde_trajecten,
    in_periode,
    meerzorg_sinds,
    open_zaken,
    zaakfeit_rijen,
)
from models.db.persoon import historie_elders
from models.db.store import engine_for, session_scope, sqlite_pragmas
from models.db.tables import Beschikking as BeschikkingRij
from models.historie import beleid_voor
from models.rapportage import BesluitFeit, Rapport, ZaakFeit
from models.settings import get_settings
from models.snapshot import BeschikkingFeit
from models.whatif import CaseloadZaak, whatif_verschillen
from tasks.rapport_uitvoer import maak_rapport

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


# --- facts for the backfill, the report and what-if ---------------------------------------


def _beleid_van(versie: str | None, datum: dt.date) -> Beleid:
    try:
        return beleid_versie(versie) if versie else beleid_voor(datum)
    except BeleidsFout:
        return beleid_voor(datum)


def laad_feiten(session: Session, *voorwaarden) -> list[BeschikkingFeit]:
    """Beschikkingen (with their zaak's aanvraag, the client's meerzorg start and every known
    ontwikkeltraject) matching the SQL conditions (models/db/analyse_lezen: in_periode,
    in_chunk, van_scope, actief_in)."""
    rows = beschikkingen_met_zaak(session=session, voorwaarden=voorwaarden)
    if not rows:
        return []
    sinds, geregistreerd = _clientgegevens(session, {(agb, b.client_id) for b, agb, _ in rows})
    aanvragen: dict[str, Aanvraag] = {}
    velden = list(Aanvraag.model_fields)
    feiten = []
    for b, agb, data in rows:
        aanvraag = aanvragen.get(b.zaak)
        if aanvraag is None:
            aanvraag = aanvragen[b.zaak] = Aanvraag.model_validate(data)
        feit = _feit(
            b,
            agb,
            aanvraag,
            velden,
            sinds.get((agb, b.client_id)),
            geregistreerd.get((agb, b.client_id), []),
        )
        if feit is not None:
            feiten.append(feit)
    return feiten


def _clientgegevens(
    session: Session, clienten: set[tuple[str, str]]
) -> tuple[dict[tuple[str, str], dt.date | None], dict[tuple[str, str], list[Ontwikkeltraject]]]:
    """Per (agb, client_id): the meerzorg start and the registered ontwikkeltrajecten, read
    in batches of 500 client ids."""
    agbs = sorted({agb for agb, _ in clienten})
    ids = sorted({cid for _, cid in clienten})
    sinds: dict[tuple[str, str], dt.date | None] = {}
    geregistreerd: dict[tuple[str, str], list[Ontwikkeltraject]] = {}
    for c in meerzorg_sinds(session=session, agbs=agbs, client_ids=ids):
        sinds[(c[0], c[1])] = c[2]
    for o in geregistreerde_trajecten(session=session, agbs=agbs, client_ids=ids):
        geregistreerd.setdefault((o.agb or "", o.client_id), []).append(  # "": no provider
            Ontwikkeltraject.model_construct(
                bijeenkomst_1=o.bijeenkomst_1, bijeenkomst_2=o.bijeenkomst_2
            )
        )
    # R §10 is per client: her history under other providers, by her persoon (DOMAIN.md §10),
    # as the compliance list reads it.
    for sleutel, rijen in historie_elders(
        session=session, clienten=sorted(clienten, key=str)
    ).items():
        eerder, trajecten = compliance.over_aanbieders(sinds.get(sleutel), [], rijen)
        sinds[sleutel] = eerder
        geregistreerd.setdefault(sleutel, []).extend(
            Ontwikkeltraject.model_construct(**t) for t in trajecten
        )
    return sinds, geregistreerd


def _feit(
    b: BeschikkingRij,
    agb: str,
    aanvraag: Aanvraag,
    velden: list[str],
    sinds: dt.date | None,
    geregistreerd: list[Ontwikkeltraject],
) -> BeschikkingFeit | None:
    """One beschikking row as a fact, its client's trajecten from the aanvraag completed by
    the registered ones; None for a client the aanvraag does not name."""
    client = next((c for c in aanvraag.clienten if c.client_id == b.client_id), None)
    if client is None:  # a client who joined the group later: its own aanvraag is elsewhere
        return None
    meerzorg_sinds = sinds or b.start
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
    for o in geregistreerd:
        if o.bijeenkomst_1 not in trajecten or o.bijeenkomst_2 is not None:
            trajecten[o.bijeenkomst_1] = o
    return BeschikkingFeit(
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


# --- the yearly report -------------------------------------------------------------------------


def rapport_gegevens(jaar: int, peildatum: dt.date) -> Rapport:
    begin = min(dt.date(jaar, 1, 1), peildatum)
    einde = max(dt.date(jaar, 12, 31), peildatum)
    with lees_scope() as session:
        zaken = [
            ZaakFeit(key=k, agb=a, ingediend_op=d, thuis=t, status=s)
            for k, a, d, t, s in zaakfeit_rijen(session=session)
        ]
        besluiten = [
            BesluitFeit(zaak=z, ronde=r, uitkomst=u, datum=d)
            for z, r, u, d in besluitfeit_rijen(session=session)
        ]
        feiten = laad_feiten(session, *in_periode(begin, einde))
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
        zaken = open_zaken(session=session)
        feiten: dict[str, list[Beschikking]] = {}
        keys = [z[0] for z in zaken]
        for start in range(0, len(keys), IN_LIJST):
            for f in laad_feiten(session, *actief_in(keys[start : start + IN_LIJST])):
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
