"""The CCE ontwikkeltraject rule (R §10) as a status per client: every client with
meerzorg has a completed ontwikkeltraject (two bijeenkomsten) in every 3-year window of
its meerzorg period, across consecutive beschikkingen."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from models.beleid import Beleid
from models.dates import plus_maanden

Status = Literal["ok", "risico", "overtreding"]


def uiterlijk(trajecten: list[dict], meerzorg_sinds: dt.date, beleid: Beleid) -> dt.date:
    """Last day of the current window: 3 years after the last completed traject (its second
    bijeenkomst), or after the start of meerzorg when there is none in the 3 years before."""
    periode = beleid.termijnen.ontwikkeltraject_periode_maanden
    afgerond = [_d(t["bijeenkomst_2"]) for t in trajecten if t.get("bijeenkomst_2")]
    laatste = max(afgerond, default=None)
    anker = (
        laatste if laatste and laatste >= plus_maanden(meerzorg_sinds, -periode) else meerzorg_sinds
    )
    return plus_maanden(anker, periode) - dt.timedelta(days=1)


def status(
    trajecten: list[dict], meerzorg_sinds: dt.date, peildatum: dt.date, beleid: Beleid
) -> tuple[Status, dt.date]:
    grens = uiterlijk(trajecten, meerzorg_sinds, beleid)
    if grens < peildatum:
        return "overtreding", grens
    if plus_maanden(grens, -beleid.termijnen.ontwikkeltraject_herinnering_maanden) <= peildatum:
        return "risico", grens
    return "ok", grens


def jaaroverschrijdend(traject: dict) -> bool:
    """Two bijeenkomsten preferably within one calendar year: a warning, not a block."""
    b2 = traject.get("bijeenkomst_2")
    return bool(b2) and _d(b2).year != _d(traject["bijeenkomst_1"]).year


def _d(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
