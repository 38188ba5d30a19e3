"""The pseudonymous client identity in the case database (models/persoon.py, DOMAIN.md §10,
§17): every client row is linked to its `persoon` when it is written, and the CCE rule reads
a client's history under the other providers by that link.

The link is made by an ORM event on the client row (inserted, or its BSN changed), so every
path that writes one through a Session (registration, an instroom) links it in the same
transaction without knowing of it; rows written in bulk (the historical import) and rows
from before the table existed are linked by `koppel_ontbrekende` (the migration
0021_dialoogverslag_persoon calls it). A client row without a link simply has no history
elsewhere: the rule then reads its own provider's rows, as before.

The key (`MEERZORG_PERSOON_SLEUTEL`, or one generated once in data_dir/persoon-sleutel, 0600)
and the pseudonyms never leave this module's queries: no log line, no message, no Prefect."""

from __future__ import annotations

import datetime as dt
import functools
import os
import secrets
from pathlib import Path

from sqlalchemy import event, insert, inspect
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from models.db.tables import Client, Ontwikkeltraject
from models.db.tables_persoon import ClientPersoon, Persoon
from models.persoon import pseudoniem
from models.settings import get_settings

IN_LIJST = 500  # keys per IN list, under the bound SQLite puts on parameters
BESTAND = "persoon-sleutel"


def sleutel() -> bytes:
    """The zorgkantoor's key for the pseudonyms: the setting, else the generated file."""
    s = get_settings()
    if s.persoon_sleutel:
        return s.persoon_sleutel.encode()
    return _bestand_sleutel(str(Path(s.data_dir) / BESTAND))


@functools.cache
def _bestand_sleutel(pad: str) -> bytes:
    bestand = Path(pad)
    bestand.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once agree on the first one's key.
        fd = os.open(bestand, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bestand.read_text().strip().encode()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(32))
    return bestand.read_text().strip().encode()


def _insert(conn: Connection, table):
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)


def koppel(conn: Connection, client_pk: int, bsn: str) -> None:
    """Link one client row to the persoon of its BSN (made when it is new)."""
    waarde = pseudoniem(bsn, sleutel())
    persoon_id = _persoon_ids(conn, [waarde])[waarde]
    cp = ClientPersoon.__table__
    conn.execute(cp.delete().where(cp.c.client_id == client_pk))
    conn.execute(insert(cp).values(client_id=client_pk, persoon_id=persoon_id))


def _persoon_ids(conn: Connection, waarden: list[str]) -> dict[str, int]:
    """The persoon id of each pseudonym, in this order, the missing ones made in this order
    (so a bulk import numbers them as the live path does). Only missing ones are inserted;
    ON CONFLICT covers a concurrent writer of the same one."""
    p = Persoon.__table__
    ids: dict[str, int] = {}
    for deel in _delen(sorted(set(waarden))):
        ids.update(conn.execute(sa_select(p.c.sleutel, p.c.id).where(p.c.sleutel.in_(deel))).all())
    nieuw = [w for w in dict.fromkeys(waarden) if w not in ids]
    if nieuw:
        nu = dt.datetime.now(dt.UTC)
        conn.execute(
            _insert(conn, p).on_conflict_do_nothing(index_elements=["sleutel"]),
            [{"sleutel": w, "aangemaakt": nu} for w in nieuw],
        )
        for deel in _delen(sorted(nieuw)):
            ids.update(
                conn.execute(sa_select(p.c.sleutel, p.c.id).where(p.c.sleutel.in_(deel))).all()
            )
    return ids


@event.listens_for(Client, "after_insert")
def _nieuwe_client(mapper, conn: Connection, client: Client) -> None:
    koppel(conn, client.id, client.bsn)


@event.listens_for(Client, "after_update")
def _gewijzigde_client(mapper, conn: Connection, client: Client) -> None:
    # aanname: a corrected BSN links the row to the persoon of the new number.
    if inspect(client).attrs.bsn.history.has_changes():
        koppel(conn, client.id, client.bsn)


def koppel_ontbrekende(conn: Connection) -> int:
    """Link every client row that has no persoon yet, in bulk (the migration's backfill and
    a historical import's batch: one executemany per table, not statements per row)."""
    c, cp = Client.__table__, ClientPersoon.__table__
    rijen = conn.execute(
        sa_select(c.c.id, c.c.bsn).where(c.c.id.not_in(sa_select(cp.c.client_id))).order_by(c.c.id)
    ).all()
    if not rijen:
        return 0
    geheim = sleutel()
    per_client = {client_pk: pseudoniem(bsn, geheim) for client_pk, bsn in rijen}
    ids = _persoon_ids(conn, list(per_client.values()))
    conn.execute(
        insert(cp), [{"client_id": k, "persoon_id": ids[w]} for k, w in per_client.items()]
    )
    return len(rijen)


def client_sleutel(agb: str | None, client_id: str, bsn: str | None) -> tuple:
    """What finds one client row: (agb, client_id) at a provider; without a provider the
    client id is no one's key (models/db/store.registreer_zaak), so (None, client_id, bsn)."""
    return (agb, client_id) if agb is not None else (None, client_id, bsn)


def historie_elders(
    *, session: Session, clienten: list[tuple]
) -> dict[tuple, list[tuple[dt.date | None, list[dict]]]]:
    """Per client (agb, client_id), or without a provider (None, client_id, bsn) (see
    client_sleutel): the meerzorg_sinds and ontwikkeltrajecten of the same persoon's client
    rows under other providers (models/compliance.over_aanbieders merges them). Four queries
    per IN_LIJST ids whatever their number."""
    gevraagd = set(clienten)
    ids = sorted({sleutel_[1] for sleutel_ in gevraagd})
    eigen: dict[tuple, int] = {}
    for deel in _delen(ids):
        for agb, cid, bsn, persoon_id in session.exec(
            select(Client.agb, Client.client_id, Client.bsn, ClientPersoon.persoon_id)
            .join(ClientPersoon, ClientPersoon.client_id == Client.id)
            .where(Client.client_id.in_(deel))
        ):
            for sleutel_ in ((agb, cid), (agb, cid, bsn)):
                if sleutel_ in gevraagd:
                    eigen[sleutel_] = persoon_id
    if not eigen:
        return {}
    rijen = []  # (persoon_id, agb, client_id, meerzorg_sinds) of every row of those personen
    for deel in _delen(sorted(set(eigen.values()))):
        rijen += session.exec(
            select(ClientPersoon.persoon_id, Client.agb, Client.client_id, Client.meerzorg_sinds)
            .join(Client, Client.id == ClientPersoon.client_id)
            .where(ClientPersoon.persoon_id.in_(deel))
        ).all()
    anderen = {(agb, cid) for _, agb, cid, _ in rijen} - {k[:2] for k in eigen}
    trajecten: dict[tuple, list[dict]] = {}
    for deel in _delen(sorted({cid for _, cid in anderen})):
        for t in session.exec(
            select(Ontwikkeltraject)
            .where(Ontwikkeltraject.client_id.in_(deel))
            .order_by(Ontwikkeltraject.id)
        ):
            if (t.agb, t.client_id) in anderen:
                trajecten.setdefault((t.agb, t.client_id), []).append(
                    {"bijeenkomst_1": t.bijeenkomst_1, "bijeenkomst_2": t.bijeenkomst_2}
                )
    uit: dict[tuple, list] = {}
    for sleutel_, persoon_id in eigen.items():
        uit[sleutel_] = [
            (sinds, trajecten.get((agb, cid), []))
            for p_id, agb, cid, sinds in rijen
            if p_id == persoon_id and (agb, cid) != sleutel_[:2]
        ]
    return uit


def _delen(keys: list) -> list[list]:
    return [keys[i : i + IN_LIJST] for i in range(0, len(keys), IN_LIJST)]
