"""The case database: migrations, providers and zaak keys, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

import models.db.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from models.db.store import (
    MIGRATIONS,
    audit,
    engine_for,
    migrate,
    nieuwe_zaak_key,
    registreer_aanbieder,
    session_scope,
)
from models.db.tables import AuditEvent, Teller, Zorgaanbieder


def _heads() -> set[str]:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return set(ScriptDirectory.from_config(cfg).get_heads())


def _tabellen(url: str) -> set[str]:
    return set(inspect(engine_for(url)).get_table_names())


def _versies(url: str) -> list[str]:
    with engine_for(url).connect() as conn:
        return sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version")))


# --- migrations -------------------------------------------------------------------------------


def test_fresh_database_has_no_tables(db_url):
    assert _tabellen(db_url) == set()


def test_migrate_creates_the_schema_on_a_fresh_database(db_url):
    migrate(db_url)
    assert set(SQLModel.metadata.tables) <= _tabellen(db_url)
    assert {"zaak", "besluit", "beschikking", "deadline", "notificatie", "teller"} <= _tabellen(
        db_url
    )
    assert _versies(db_url) == sorted(_heads())


def test_migrate_is_idempotent_and_keeps_data(db_url):
    migrate(db_url)
    with session_scope(engine_for(db_url)) as session:
        registreer_aanbieder(session=session, agb="73730001", naam="De Linde", notify=[])
    migrate(db_url)
    migrate(db_url)
    assert _versies(db_url) == sorted(_heads())
    with session_scope(engine_for(db_url)) as session:
        assert session.get(Zorgaanbieder, "73730001").naam == "De Linde"


def test_migrated_columns_match_the_models(db_url):
    migrate(db_url)
    insp = inspect(engine_for(db_url))
    for naam, tabel in SQLModel.metadata.tables.items():
        assert {c["name"] for c in insp.get_columns(naam)} == set(tabel.columns.keys()), naam


# --- providers ---------------------------------------------------------------------------------


def test_registreer_aanbieder_creates_a_provider(db_url):
    migrate(db_url)
    with session_scope(engine_for(db_url)) as session:
        registreer_aanbieder(
            session=session, agb="73730001", naam="De Linde", notify=["mailto://a@example.org"]
        )
    with session_scope(engine_for(db_url)) as session:
        a = session.get(Zorgaanbieder, "73730001")
        assert (a.naam, a.notify) == ("De Linde", ["mailto://a@example.org"])
        assert a.aangemaakt is not None


def test_registreer_aanbieder_updates_name_and_replaces_notify(db_url):
    migrate(db_url)
    with session_scope(engine_for(db_url)) as session:
        registreer_aanbieder(
            session=session, agb="73730001", naam="De Linde", notify=["mailto://a@example.org"]
        )
    with session_scope(engine_for(db_url)) as session:
        registreer_aanbieder(
            session=session,
            agb="73730001",
            naam="Stichting De Linde",
            notify=["mailto://b@example.org", "json://localhost"],
        )
    with session_scope(engine_for(db_url)) as session:
        rows = session.exec(select(Zorgaanbieder)).all()
        assert len(rows) == 1
        assert rows[0].naam == "Stichting De Linde"
        assert rows[0].notify == ["mailto://b@example.org", "json://localhost"]


# --- zaak keys -----------------------------------------------------------------------------------


def test_nieuwe_zaak_key_counts_up_per_year(db_url):
    migrate(db_url)
    engine = engine_for(db_url)
    with session_scope(engine) as session:
        assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000001"
        assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000002"
    with session_scope(engine) as session:
        assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000003"
        assert nieuwe_zaak_key(session=session, jaar=2027) == "MZ-2027-000001"
        assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000004"
    with session_scope(engine) as session:
        tellers = {t.jaar: t.laatste for t in session.exec(select(Teller)).all()}
    assert tellers == {2026: 4, 2027: 1}


def test_rolled_back_zaak_key_is_not_used(db_url):
    migrate(db_url)
    engine = engine_for(db_url)
    with session_scope(engine) as session:
        assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000001"
    try:
        with session_scope(engine) as session:
            assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000002"
            raise RuntimeError("transition failed")
    except RuntimeError:
        pass
    with session_scope(engine) as session:
        assert nieuwe_zaak_key(session=session, jaar=2026) == "MZ-2026-000002"


def test_audit_event_is_written_in_the_transaction(db_url):
    migrate(db_url)
    with session_scope(engine_for(db_url)) as session:
        audit(
            session=session,
            actor="beoordelaar-1",
            actie="toets",
            zaak="MZ-2026-000001",
            client_id="CL-001",
            details={"beleidsversie": "2026.1"},
        )
    with session_scope(engine_for(db_url)) as session:
        (e,) = session.exec(select(AuditEvent)).all()
        assert (e.actor, e.actie, e.zaak, e.details) == (
            "beoordelaar-1",
            "toets",
            "MZ-2026-000001",
            {"beleidsversie": "2026.1"},
        )
