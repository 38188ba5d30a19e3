"""The historical import's reads and writes (tasks/historie_import.py, tasks/historie_bulk.py),
each in the caller's session: the zaken a file holds already, the bulk path's reads of what
exists once per batch, its zaak keys from one counter update per year, and its rows written
with one executemany per table from the store in memory (models/db/geheugen.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models.db.geheugen import MemoryStore
from models.db.persoon import koppel_ontbrekende
from models.db.tables import Client, Ontwikkeltraject, Teller, Zaak, Zorgaanbieder
from models.overgang import GESLOTEN

BATCH = 500  # keys per IN (...) of open_zaken_zonder_run


def zaken_van_referenties(*, session: Session, referenties: Iterable[str]) -> dict[str, str]:
    """provider_referentie -> zaak key, of the zaken that exist with one of these: a
    re-import finds a whole batch in one query instead of one per line."""
    return dict(
        session.execute(
            select(Zaak.provider_referentie, Zaak.key).where(
                Zaak.provider_referentie.in_(list(referenties))
            )
        ).all()
    )


def nieuwe_zaak_keys(*, session: Session, jaren: Sequence[int]) -> list[str]:
    """A key for each zaak of the batch, in its order: store.nieuwe_zaak_key's counter (row
    created if missing, then incremented with UPDATE ... RETURNING), moved once per year by
    the number of that year's zaken, so the keys are those one call per zaak would give."""
    insert_ = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    eerste: dict[int, int] = {}
    # Years in ascending order: two imports at once lock the counter rows in the same order.
    for jaar, aantal in sorted(Counter(jaren).items()):
        session.execute(
            insert_(Teller)
            .values(jaar=jaar, laatste=0)
            .on_conflict_do_nothing(index_elements=["jaar"])
        )
        laatste = session.execute(
            update(Teller)
            .where(Teller.jaar == jaar)
            .values(laatste=Teller.laatste + aantal)
            .returning(Teller.laatste)
        ).scalar_one()
        eerste[jaar] = laatste - aantal + 1
    keys = []
    for jaar in jaren:
        keys.append(f"MZ-{jaar}-{eerste[jaar]:06d}")
        eerste[jaar] += 1
    return keys


def bekende_aanbieders(*, session: Session, agbs: Iterable[str]) -> set[str]:
    """The providers of these AGB codes that exist."""
    return set(
        session.execute(
            select(Zorgaanbieder.agb).where(Zorgaanbieder.agb.in_(list(agbs)))
        ).scalars()
    )


def clienten_van(*, session: Session, client_ids: Iterable[str]) -> list[Mapping]:
    """The client rows of these client ids (any provider), every column."""
    return _rijen(session, Client, Client.client_id, client_ids)


def trajecten_van(*, session: Session, client_ids: Iterable[str]) -> list[Mapping]:
    """The ontwikkeltraject rows of these client ids (any provider), every column."""
    return _rijen(session, Ontwikkeltraject, Ontwikkeltraject.client_id, client_ids)


def _rijen(session: Session, model: type, kolom, waarden: Iterable) -> list[Mapping]:
    waarden = list(waarden)
    if not waarden:
        return []
    return list(session.execute(select(model.__table__).where(kolom.in_(waarden))).mappings())


def schrijf_geheugen(
    *, session: Session, store: MemoryStore, tabellen: Sequence[type], bijwerken: Sequence[type]
) -> None:
    """What the store in memory collected: its new rows with one executemany per table of
    `tabellen` (parents first: foreign keys), then the existing rows of `bijwerken` that
    changed, by primary key."""
    for model in tabellen:
        rijen = store.nieuwe(model)
        if rijen:
            session.execute(insert(model.__table__), rijen)
    if Client in tabellen and store.nieuwe(Client):
        # Written past the ORM, so no event linked them: each gets its persoon (DOMAIN.md §10).
        koppel_ontbrekende(session.connection())
    for model in bijwerken:
        gewijzigd = store.gewijzigd(model)
        if gewijzigd:
            session.execute(update(model), gewijzigd)


def ontwikkeltraject(
    *, session: Session, agb: str, client_id: str, bijeenkomst_1: dt.date
) -> Ontwikkeltraject | None:
    """The provider's client's ontwikkeltraject that started on that first bijeenkomst."""
    return (
        session.execute(
            select(Ontwikkeltraject).where(
                Ontwikkeltraject.agb == agb,
                Ontwikkeltraject.client_id == client_id,
                Ontwikkeltraject.bijeenkomst_1 == bijeenkomst_1,
            )
        )
        .scalars()
        .first()
    )


def open_zaken_zonder_run(*, session: Session, keys: Sequence[str]) -> list[tuple[str, str, str]]:
    """(key, agb, leveringsvorm) of the open zaken of these keys that have no run yet, one
    query per BATCH keys."""
    out = []
    for start in range(0, len(keys), BATCH):
        out += session.execute(
            select(Zaak.key, Zaak.agb, Zaak.leveringsvorm).where(
                Zaak.key.in_(keys[start : start + BATCH]),
                Zaak.flow_run_id.is_(None),
                Zaak.status.notin_(tuple(GESLOTEN)),
            )
        ).all()
    return [tuple(r) for r in out]
