"""Alembic environment: the schema is SQLModel.metadata; the URL comes from Settings."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import models.db.tables  # noqa: F401  (registers the tables)
import models.db.tables_aanbieder  # noqa: F401
import models.db.tables_analyse  # noqa: F401
import models.db.tables_brief  # noqa: F401
import models.db.tables_dialoog  # noqa: F401
import models.db.tables_geval  # noqa: F401
import models.db.tables_werkbak  # noqa: F401
from models.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("url") or get_settings().db_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
