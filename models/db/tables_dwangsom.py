"""The ingebrekestelling and its dwangsom (Awb 4:17-4:18, models/dwangsom.py): one per zaak,
from its registration to the besluit that fixes the dwangsom. Dates and amounts only."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class Ingebrekestelling(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # One per zaak: a second ingebrekestelling is refused (the unique key holds under a race).
    zaak: str = Field(foreign_key="zaak.key", unique=True)
    ontvangen: dt.date  # the day the written ingebrekestelling was received (4:17 lid 3)
    beslistermijn: dt.date  # the term that had expired when it was registered (4:13-4:15)
    dwangsom_start: dt.date  # the first day owed (4:17 lid 3)
    geregistreerd_op: dt.date
    geregistreerd_door: str
    # The besluit on the aanvraag that stopped it (set when it is taken) and its day.
    besluit_id: int | None = Field(default=None, foreign_key="besluit.id")
    besluit_op: dt.date | None = None
    besluit_soort: str | None = None
    # Fixed by the 4:18 besluit: the day it stopped, the days and euro owed, or why none.
    vastgesteld_besluit: int | None = Field(default=None, foreign_key="besluit.id")
    gestopt_op: dt.date | None = None
    dagen: int | None = None
    bedrag: int | None = None
    geen_dwangsom: str | None = None
