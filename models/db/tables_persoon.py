"""The pseudonymous client identity (models/persoon.py, DOMAIN.md §10, §17): one `persoon`
row per client whatever the provider, keyed by HMAC-SHA256 of the BSN, and the link from
each provider's client row to it. The key is case data: it never leaves this database."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Persoon(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sleutel: str = Field(unique=True, max_length=64)  # HMAC-SHA256 of the BSN, hex
    aangemaakt: dt.datetime = Field(default_factory=_now)


class ClientPersoon(SQLModel, table=True):
    """A provider's client row (one per agb and client_id) belongs to one persoon; its
    ontwikkeltrajecten and meerzorg_sinds count for that persoon everywhere."""

    __tablename__ = "client_persoon"
    # client.id; no foreign key, so SQLite can rebuild `client` in a later migration.
    client_id: int = Field(primary_key=True)
    persoon_id: int = Field(foreign_key="persoon.id", index=True)
