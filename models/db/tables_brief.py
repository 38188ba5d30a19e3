"""The besluit as a document (issue 25): one letter per addressee, its PDF kept in the case
database with its hash, and the day it was made known (bekendmaking, Awb 3:40/3:41), from
which that addressee's bezwaar or beroep term runs (Awb 6:8). Names, addresses and the
party's digital target are personal data: they live here and in the PDF, never in Prefect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Brief(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # None: a notice that is no besluit (models/overgang.Mededeling), with no term.
    besluit_id: int | None = Field(default=None, foreign_key="besluit.id", index=True)
    zaak: str = Field(foreign_key="zaak.key", index=True)
    # What the addressee is to the zaak: ["client"], ["vertegenwoordiger", "budgethouder"],
    # ["zorgaanbieder"] (the applicant), ...
    rollen: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    client_id: str | None = None
    # "digitaal": the party's own secure target (`doel`, an apprise URL); "post": the print
    # queue with the address; "aanbieder": the provider's registered notification targets.
    kanaal: str
    doel: str | None = None
    naam: str = ""
    adres: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    # te_verzenden -> bekendgemaakt | onbestelbaar
    status: str = Field(default="te_verzenden", index=True)
    bekendgemaakt_op: dt.date | None = None
    # The end of this addressee's bezwaar or beroep term (Awb 6:7, 6:8), from its bekendmaking.
    uiterlijke_reactiedatum: dt.date | None = None
    aangemaakt: dt.datetime = Field(default_factory=_now)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
