"""Database access: engine, migrations and keyword-only data functions that take the session."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine, select

from models.aanvraag import Aanvraag
from models.db.engine_store import audit
from models.db.tables import (
    Client,
    Medewerker,
    Ontwikkeltraject,
    Teller,
    Zaak,
    Zorgaanbieder,
)
from models.overgang import (
    ROLLEN,
    Stand,
)
from models.settings import PROJECT_DIR, get_settings

MIGRATIONS = PROJECT_DIR / "models" / "db" / "migrations"


def sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL + busy timeout: the runner, the sweep and the CLI write concurrently.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    # pysqlite opens a transaction only at the first write, so a read-check-write (the
    # zaak lock, a deadline still open) would check a stale read: two sweeps fired the
    # same timer (tests/reliability). We issue BEGIN IMMEDIATE ourselves instead.
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn) -> None:
    # Take the write lock at the start of every transaction: SQLite's stand-in for
    # SELECT ... FOR UPDATE; the busy timeout makes the other writers wait their turn.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(eng, "connect", sqlite_pragmas)
    return eng


@functools.cache
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        eng = _sqlite_engine(url)
        event.listen(eng, "begin", _sqlite_begin)
        return eng
    return create_engine(url, pool_pre_ping=True)


@functools.cache
def read_engine_for(url: str) -> Engine:
    """For reads that must not wait on a writer: on SQLite without BEGIN IMMEDIATE (a login
    checked inside a command's own write transaction, the gateway's checks beside the
    runner's writes); WAL lets it read the last committed state."""
    return _sqlite_engine(url) if url.startswith("sqlite") else engine_for(url)


def get_engine() -> Engine:
    return engine_for(get_settings().db_url)


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    # Alembic only here: every resumed flow run imports this module, few of them migrate.
    from alembic import command
    from alembic.config import Config

    url = url or get_settings().db_url
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    engine = engine_for(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def registreer_aanbieder(
    *, session: Session, agb: str, naam: str, notify: list[str]
) -> Zorgaanbieder:
    """Create or update a provider; notification targets are replaced, not appended."""
    aanbieder = session.get(Zorgaanbieder, agb)
    if aanbieder is None:
        aanbieder = Zorgaanbieder(agb=agb, naam=naam, notify=list(notify))
    else:
        aanbieder.naam = naam
        aanbieder.notify = list(notify)
    session.add(aanbieder)
    return aanbieder


def registreer_medewerker(*, session: Session, id: str, rol: str) -> Medewerker:
    if rol not in ROLLEN:
        raise ValueError(f"unknown rol '{rol}'; choose one of {', '.join(ROLLEN)}")
    medewerker = session.get(Medewerker, id) or Medewerker(id=id, rol=rol)
    medewerker.rol, medewerker.actief = rol, True
    session.add(medewerker)
    return medewerker


def medewerker_rollen(*, session: Session) -> dict[str, str]:
    """Registered, active staff and their roles: a decision names one of them."""
    return {m.id: m.rol for m in session.exec(select(Medewerker).where(Medewerker.actief))}


def nieuwe_zaak_key(*, session: Session, jaar: int) -> str:
    """Next MZ-<jaar>-<nnnnnn>, atomic under concurrent writers: the year's row is created if
    missing (ON CONFLICT DO NOTHING), then incremented with UPDATE ... RETURNING."""
    dialect = session.bind.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(Teller).values(jaar=jaar, laatste=0).on_conflict_do_nothing(index_elements=["jaar"])
    )
    laatste = session.execute(
        update(Teller)
        .where(Teller.jaar == jaar)
        .values(laatste=Teller.laatste + 1)
        .returning(Teller.laatste)
    ).scalar_one()
    return f"MZ-{jaar}-{laatste:06d}"


# --- zaken and their transitions -------------------------------------------------------


def _aanvraag_model(zaak: Zaak) -> Aanvraag:
    return Aanvraag.model_validate(zaak.aanvraag)


def stand_van(zaak: Zaak) -> Stand:
    return Stand(
        key=zaak.key,
        status=zaak.status,
        stap=zaak.stap,
        ronde=zaak.ronde,
        aanvraag=_aanvraag_model(zaak),
        ingediend_op=zaak.ingediend_op,
        toets=zaak.toets,
        wacht_sinds=zaak.wacht_sinds,
        voorlopig_besluit=zaak.voorlopig_besluit,
        opgeschort_dagen=zaak.opgeschort_dagen or 0,
        verlengd_dagen=zaak.verlengd_dagen or 0,
        bijstelling=zaak.bijstelling,
    )


def lees_zaak(*, session: Session, key: str, lock: bool = False) -> Zaak | None:
    stmt = select(Zaak).where(Zaak.key == key)
    if lock:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def registreer_zaak(
    *,
    session: Session,
    aanvraag: Aanvraag,
    ingediend_op: dt.date,
    provider_referentie: str | None = None,
    flow_run_id: str | None = None,
    actor: str = "systeem",
) -> tuple[Zaak, bool]:
    """Long because the zaak row, its clients and its audit event are written together, each spelled out. Register a zaak for an aanvraag. Idempotent on the provider reference and on the
    flow run id: a second call returns the existing zaak and False."""
    ref = provider_referentie or aanvraag.provider_referentie
    for column, value in ((Zaak.provider_referentie, ref), (Zaak.flow_run_id, flow_run_id)):
        if value:
            bestaand = session.exec(select(Zaak).where(column == value)).first()
            if bestaand is not None:
                return bestaand, False
    agb = aanvraag.agb  # None: the budgethouder applied without a provider (issue 25)
    if agb is not None and session.get(Zorgaanbieder, agb) is None:
        session.add(Zorgaanbieder(agb=agb, naam=aanvraag.zorgaanbieder.naam, notify=[]))
        session.flush()
    for c in aanvraag.clienten:
        # `== None` is IS NULL: a pgb client without provider has a row of its own. Without a
        # provider the client id is no one's key, so the row is also found by BSN: another
        # budgethouder's client with the same id is another person, with another row (the
        # unique (agb, client_id) lets NULLs differ), never one whose BSN is overwritten.
        stmt = select(Client).where(Client.agb == agb, Client.client_id == c.client_id)
        if agb is None:
            stmt = stmt.where(Client.bsn == c.bsn)
        row = session.exec(stmt).first()
        row = row or Client(
            agb=agb,
            client_id=c.client_id,
            bsn=c.bsn,
            zorgprofiel=c.zorgprofiel,
            leveringsvorm=c.leveringsvorm,
            indicatie_einddatum=c.indicatie_einddatum,
        )
        row.bsn, row.zorgprofiel, row.leveringsvorm = c.bsn, c.zorgprofiel, c.leveringsvorm
        row.vg7_plus, row.indicatie_einddatum = c.vg7_plus, c.indicatie_einddatum
        session.add(row)
    key = nieuwe_zaak_key(session=session, jaar=ingediend_op.year)
    zaak = Zaak(
        key=key,
        agb=agb,
        soort=aanvraag.soort,
        vorm=aanvraag.vorm,
        leveringsvorm=aanvraag.clienten[0].leveringsvorm,
        thuis=aanvraag.is_thuis,
        ingediend_op=ingediend_op,
        aanvraag=aanvraag.model_dump(mode="json"),
        provider_referentie=ref,
        flow_run_id=flow_run_id,
        vorige_zaak=aanvraag.vorige_zaak,
    )
    session.add(zaak)
    audit(
        session=session,
        actor=actor,
        actie="zaak_geregistreerd",
        zaak=key,
        details={"clienten": [c.client_id for c in aanvraag.clienten]},
    )
    session.flush()
    return zaak, True


def registreer_ontwikkeltraject(
    *,
    session: Session,
    agb: str,
    client_id: str,
    bijeenkomst_1: dt.date,
    bijeenkomst_2: dt.date | None = None,
    zaak: str | None = None,
) -> Ontwikkeltraject:
    """Record (or complete) a client's ontwikkeltraject; the first bijeenkomst identifies it."""
    row = session.exec(
        select(Ontwikkeltraject).where(
            Ontwikkeltraject.agb == agb,
            Ontwikkeltraject.client_id == client_id,
            Ontwikkeltraject.bijeenkomst_1 == bijeenkomst_1,
        )
    ).first()
    row = row or Ontwikkeltraject(
        agb=agb, client_id=client_id, bijeenkomst_1=bijeenkomst_1, zaak=zaak
    )
    if bijeenkomst_2 is not None:
        row.bijeenkomst_2 = bijeenkomst_2
    session.add(row)
    session.flush()
    return row


def ontwikkeltrajecten_van(
    *, session: Session, agb: str, client_id: str, aanvraag_client: dict | None = None
) -> list[dict]:
    """Every known ontwikkeltraject of a client: recorded ones and those its aanvragen carried."""
    rows = session.exec(
        select(Ontwikkeltraject).where(
            Ontwikkeltraject.agb == agb, Ontwikkeltraject.client_id == client_id
        )
    )
    return trajecten_samen(rows, aanvraag_client)


def trajecten_samen(rows, aanvraag_client: dict | None) -> list[dict]:
    """A client's recorded trajecten (`rows`) over those its aanvraag carried: a recorded
    one replaces a carried one with the same first bijeenkomst."""
    known = {
        (o["bijeenkomst_1"], o.get("bijeenkomst_2"))
        for o in (aanvraag_client or {}).get("ontwikkeltrajecten", [])
    }
    for row in rows:
        known = {k for k in known if k[0] != row.bijeenkomst_1.isoformat()}
        known.add(
            (
                row.bijeenkomst_1.isoformat(),
                row.bijeenkomst_2.isoformat() if row.bijeenkomst_2 else None,
            )
        )
    return [{"bijeenkomst_1": b1, "bijeenkomst_2": b2} for b1, b2 in sorted(known)]
