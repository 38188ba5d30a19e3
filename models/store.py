"""Database access: engine, migrations and keyword-only data functions that take the session."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine, select

from models.settings import PROJECT_DIR, get_settings
from models.tables import AuditEvent, Teller, Zorgaanbieder

MIGRATIONS = PROJECT_DIR / "models" / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL + busy timeout: the runner, the sweep and the CLI write concurrently.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


@functools.cache
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(eng, "connect", _sqlite_pragmas)
        return eng
    return create_engine(url, pool_pre_ping=True)


def get_engine() -> Engine:
    return engine_for(get_settings().db_url)


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    url = url or get_settings().db_url
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    engine = engine_for(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


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


def audit(
    *,
    session: Session,
    actor: str,
    actie: str,
    zaak: str | None = None,
    client_id: str | None = None,
    namens: str | None = None,
    details: dict | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor=actor,
            actie=actie,
            zaak=zaak,
            client_id=client_id,
            namens=namens,
            details=details or {},
        )
    )


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


def nieuwe_zaak_key(*, session: Session, jaar: int) -> str:
    """Next MZ-<jaar>-<nnnnnn>; the counter row is locked (FOR UPDATE on PostgreSQL)."""
    teller = session.exec(select(Teller).where(Teller.jaar == jaar).with_for_update()).first()
    if teller is None:
        teller = Teller(jaar=jaar, laatste=0)
    teller.laatste += 1
    session.add(teller)
    session.flush()
    return f"MZ-{jaar}-{teller.laatste:06d}"
