"""The CCE ontwikkeltraject rule (R §10) as a status per client: every client with
meerzorg has a completed ontwikkeltraject (two bijeenkomsten) in every 3-year window of
its meerzorg period, across consecutive beschikkingen (DOMAIN.md §10).

Every function takes the peildatum: a traject counts as completed only once its second
bijeenkomst is on or before it. A traject recorded with dates still to come is planned, not
held, and moves no deadline."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from models.beleid import Beleid
from models.dates import plus_maanden

Status = Literal["ok", "risico", "overtreding"]


def afgerond(trajecten: list[dict], peildatum: dt.date) -> list[dt.date]:
    """The days the trajecten were completed (their second bijeenkomst) up to the peildatum,
    ascending: a second bijeenkomst after the peildatum has not taken place yet."""
    return sorted(
        b2
        for t in trajecten
        if t.get("bijeenkomst_2") and (b2 := _d(t["bijeenkomst_2"])) <= peildatum
    )


def uiterlijk(
    trajecten: list[dict], meerzorg_sinds: dt.date, peildatum: dt.date, beleid: Beleid
) -> dt.date:
    """Last day of the current window. The window starts at meerzorg's start or at the last
    traject completed by the peildatum, whichever is later, and lasts 3 years (R §10: "minimaal
    1x per 3 jaar" for a client *with* meerzorg).

    `aanname`: a traject completed before meerzorg started counts for the first window, as
    if completed on the start: consulting the CCE early (R §5) must not shorten the first
    window below that of a client never consulted; it does not lengthen it either."""
    periode = beleid.termijnen.ontwikkeltraject_periode_maanden
    anker = max([meerzorg_sinds, *afgerond(trajecten, peildatum)])
    return plus_maanden(anker, periode) - dt.timedelta(days=1)


def status(
    trajecten: list[dict], meerzorg_sinds: dt.date, peildatum: dt.date, beleid: Beleid
) -> tuple[Status, dt.date]:
    grens = uiterlijk(trajecten, meerzorg_sinds, peildatum, beleid)
    if grens < peildatum:
        return "overtreding", grens
    if plus_maanden(grens, -beleid.termijnen.ontwikkeltraject_herinnering_maanden) <= peildatum:
        return "risico", grens
    return "ok", grens


def over_aanbieders(
    eigen_sinds: dt.date | None,
    eigen_trajecten: list[dict],
    elders: list[tuple[dt.date | None, list[dict]]],
) -> tuple[dt.date | None, list[dict]]:
    """A client's history across providers (R §10: the rule is "voor iedere cliënt met
    meerzorg", not per provider): the trajecten recorded under every provider the same
    persoon had (models/persoon.py), and meerzorg's earliest start among them, so a client
    who moves keeps her completed trajecten and her 3-year window.

    `aanname`: meerzorg at the earlier provider and at the new one are one period, as the
    rows hold no end of meerzorg per client (the same holds within one provider today)."""
    sindsen = [s for s in (eigen_sinds, *(s for s, _ in elders)) if s is not None]
    trajecten = list(eigen_trajecten)
    gezien = {(str(t.get("bijeenkomst_1")), str(t.get("bijeenkomst_2"))) for t in trajecten}
    for _, rijen in elders:
        for t in rijen:
            sleutel = (str(t.get("bijeenkomst_1")), str(t.get("bijeenkomst_2")))
            if sleutel not in gezien:
                gezien.add(sleutel)
                trajecten.append(t)
    return (min(sindsen) if sindsen else None), trajecten


def jaaroverschrijdend(traject: dict) -> bool:
    """Two bijeenkomsten preferably within one calendar year: a warning, not a block."""
    b2 = traject.get("bijeenkomst_2")
    return bool(b2) and _d(b2).year != _d(traject["bijeenkomst_1"]).year


def _d(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
