"""Side effects of the historical import: validated history lines (models/historie.py) become
zaken in the case database, each brought to where its history left it by the same
transitions the live lifecycle applies (tasks/historie_overgangen.py), and open zaken get
their lifecycle run.

`importeer` writes in bulk (tasks/historie_bulk.py: a few statements per table and batch);
`importeer_per_overgang` applies every transition through the live apply, one flush at a
time. Both write the same rows; the second is the reference the first is tested against
(tests/integration/test_import_bulk.py), and over twenty times slower on 20,000 zaken
(benchmarks/bench_import.py --per-overgang measures both).

Plain functions (no Prefect here): `meerzorg importeer`, the tests and the benchmarks call
them directly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterable, Sequence

from sqlmodel import Session

from models.aanvraag import Aanvraag
from models.db import historie_store
from models.db.store import registreer_zaak, session_scope, stand_van
from models.db.tables import Ontwikkeltraject as OntwikkeltrajectRij
from models.db.zaak_store import pas_toe
from models.historie import Regel
from models.overgang import GESLOTEN
from tasks.historie_bulk import importeer_batch
from tasks.historie_overgangen import IMPORT_ACTOR, historische_overgangen, ontvangst_toets

# Lines per transaction: a crash loses at most the batch being written, and SQLite's write
# lock (taken at BEGIN) is held for one batch at a time.
IMPORT_BATCH = 1000
REFERENTIE_BATCH = 500


def importeer(regels: Sequence[Regel], peildatum: dt.date, batch: int = IMPORT_BATCH) -> dict:
    """Import validated lines, oldest first (so zaak keys and `meerzorg_sinds` follow time).
    One transaction per batch, written in bulk; a zaak that exists already (same key) is
    left as it is."""
    uitkomsten = []
    # The validated lines (pydantic objects by the hundred thousand) live through the whole
    # import: frozen, the collector's passes skip them instead of scanning them again and
    # again (a tenth of the bulk import's CPU time on 20,000 lines, half that frozen).
    gc.freeze()
    try:
        for deel in _batches(regels, batch):
            with session_scope() as session:
                uitkomsten += importeer_batch(session, deel, peildatum)
    finally:
        gc.unfreeze()
    return _samenvatting(uitkomsten)


def _batches(regels: Sequence[Regel], batch: int) -> Iterable[list[Regel]]:
    volgorde = sorted(regels, key=lambda r: (r.zaak.ingediend_op, r.nummer))
    for start in range(0, len(volgorde), batch):
        yield volgorde[start : start + batch]


def _samenvatting(uitkomsten: list[tuple[str, str | None]]) -> dict:
    """(zaak key, status when created else None) per line -> what `meerzorg importeer` prints."""
    per_status: dict[str, int] = {}
    for _, status in uitkomsten:
        if status is not None:
            per_status[status] = per_status.get(status, 0) + 1
    nieuw = sum(per_status.values())
    return {
        "geimporteerd": nieuw,
        "lopend": sum(n for s, n in per_status.items() if s not in GESLOTEN),
        "al_aanwezig": len(uitkomsten) - nieuw,
        "per_status": dict(sorted(per_status.items())),
        "zaken": [key for key, _ in uitkomsten],
    }


def importeer_per_overgang(
    regels: Sequence[Regel], peildatum: dt.date, batch: int = REFERENTIE_BATCH
) -> dict:
    """`importeer` through the live apply: every zaak by registreer_zaak, every transition
    by zaak_store.pas_toe, one flush at a time. The reference the bulk path is held to."""
    uitkomsten: list[tuple[str, str | None]] = []
    for deel in _batches(regels, batch):
        with session_scope() as session, session.no_autoflush:
            # A re-import finds the whole batch in one query instead of one per line.
            aanwezig = historie_store.zaken_van_referenties(
                session=session, referenties=[r.sleutel for r in deel]
            )
            # registreer_zaak and pas_toe flush where later reads need it; flushing before
            # every query as well would double the ORM work.
            for regel in deel:
                if regel.sleutel in aanwezig:
                    uitkomsten.append((aanwezig[regel.sleutel], None))
                    continue
                key, is_nieuw, status = _importeer_regel(session, regel, peildatum)
                uitkomsten.append((key, status if is_nieuw else None))
    return _samenvatting(uitkomsten)


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
    resultaat, ontvangst = ontvangst_toets(h, aanvraag)
    stand = dataclasses.replace(stand_van(zaak), toets=resultaat)
    for overgang, datum in historische_overgangen(h, stand, resultaat, ontvangst, peildatum):
        pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=datum, actor=IMPORT_ACTOR)
    return zaak.key, True, zaak.status


def _registreer_trajecten(session: Session, zaak: str, aanvraag: Aanvraag) -> None:
    """The ontwikkeltrajecten a historical aanvraag names are facts about the client: record
    them, so compliance over later beschikkingen of the same client sees them too."""
    gezien = set()
    for c in aanvraag.clienten:
        for o in c.ontwikkeltrajecten:
            if (c.client_id, o.bijeenkomst_1) in gezien:
                continue  # the same traject listed twice
            gezien.add((c.client_id, o.bijeenkomst_1))
            row = historie_store.ontwikkeltraject(
                session=session,
                agb=aanvraag.agb,
                client_id=c.client_id,
                bijeenkomst_1=o.bijeenkomst_1,
            )
            if row is None:
                session.add(
                    OntwikkeltrajectRij(
                        agb=aanvraag.agb,
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
    with session_scope() as session:
        return historie_store.open_zaken_zonder_run(session=session, keys=list(keys))


def start_runs(keys: Iterable[str]) -> int:
    """A lifecycle run for every open zaak of the import that has none yet (idempotent:
    the zaak key is the run's idempotency key; zaken left over are started by the sweep)."""
    from tasks import runs

    gestart = 0
    for key, agb, leveringsvorm in open_zaken_zonder_run(keys):
        runs.start_lifecycle(key, agb, leveringsvorm)
        gestart += 1
    return gestart
