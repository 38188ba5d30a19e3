"""The provider's channel (issue 28): its API keys, the retries it may repeat safely, and the
webhooks it subscribed with the events queued for them.

A key's secret is shown once and stored only as its SHA-256: the secret is 256 random bits,
so a fast hash is as safe as a slow one here (a slow password hash such as Argon2 is for
secrets people choose) and every API call can check it in microseconds. A webhook's secret
is kept as it is: the system must sign with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AanbiederSleutel(SQLModel, table=True):
    __tablename__ = "aanbieder_sleutel"
    sleutel_id: str = Field(primary_key=True, max_length=32)
    agb: str = Field(foreign_key="zorgaanbieder.agb", index=True, max_length=8)
    sleutel_hash: str = Field(max_length=64, unique=True)
    aangemaakt: dt.datetime = Field(default_factory=_now)
    aangemaakt_door: str
    ingetrokken_op: dt.datetime | None = None
    ingetrokken_door: str | None = None


class ApiIdempotentie(SQLModel, table=True):
    """A submission's Idempotency-Key (or the provider's own reference): a retry of the same
    request gets the same zaak; the same key with another body is refused."""

    __tablename__ = "api_idempotentie"
    agb: str = Field(primary_key=True, max_length=8)
    sleutel: str = Field(primary_key=True, max_length=128)
    verzoek_hash: str = Field(max_length=64)
    zaak: str = Field(foreign_key="zaak.key")
    aangemaakt: dt.datetime = Field(default_factory=_now)


class Abonnement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agb: str = Field(foreign_key="zorgaanbieder.agb", index=True, max_length=8)
    url: str = Field(max_length=2000)
    geheim: str = Field(max_length=128)
    aangemaakt: dt.datetime = Field(default_factory=_now)
    aangemaakt_door: str
    opgezegd_op: dt.datetime | None = None


class Webhookbericht(SQLModel, table=True):
    """One event for one subscription: ids, never content (the provider fetches what it may
    see with its key). Sent by the outbox's delivery, signed with the subscription's secret."""

    id: int | None = Field(default=None, primary_key=True)
    abonnement_id: int = Field(foreign_key="abonnement.id", index=True)
    gebeurtenis: str = Field(max_length=40)
    zaak: str | None = Field(default=None, max_length=20)
    inhoud: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    aangemaakt: dt.datetime = Field(default_factory=_now)
    status: str = Field(default="te_verzenden", index=True)  # -> verzonden | mislukt
    pogingen: int = 0
    verzonden_op: dt.datetime | None = None
    laatste_fout: str | None = None
