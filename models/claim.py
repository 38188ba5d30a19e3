"""Claims on the zorgkantoor's open tasks (issue 27): who has picked up a zaak's wait, so two
assessors do not judge the same aanvraag and the second does not learn at Submit that she was
too late. Pure rules on plain data: models/db/claims.py stores them atomically, the werkbak,
the dossier and the gateway's Resume (deployments/gateway_hervat.py) ask these functions.

A claim is on a zaak's current wait (its wacht_key): when the zaak moves on, to a tweede
beoordeling or a bezwaar step, the claim no longer holds and the next task is free. A claim
lapses after `minuten` without activity of its holder (aanname: 30 minutes, the setting
`MEERZORG_CLAIM_MINUTEN`; Camunda's Tasklist keeps a claim until released, but an assessor
who went home must not block the beslistermijn)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum

from models.dates import TZ
from models.toegang import mag_hervatten

STANDAARD_MINUTEN = 30
HERVERDELERS = ("teamleider",)


@dataclass(frozen=True, slots=True)
class Claim:
    taak: str  # the zaak key
    wacht_key: str
    houder: str
    sinds: dt.datetime  # aware (UTC)
    actief: dt.datetime  # the holder's last activity on it (aware, UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every moment stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def verloopt(claim: Claim, minuten: int) -> dt.datetime:
    return _aware(claim.actief) + dt.timedelta(minutes=minuten)


def houder(claim: Claim | None, wacht_key: str | None, nu: dt.datetime, minuten: int) -> str | None:
    """Who holds the task now: a claim on the current wait, active within `minuten`."""
    if claim is None or wacht_key is None or claim.wacht_key != wacht_key:
        return None
    return claim.houder if _aware(nu) < verloopt(claim, minuten) else None


def tijd_nl(moment: dt.datetime) -> str:
    """A moment as an assessor reads it: the clock time in Europe/Amsterdam."""
    return pendulum.instance(_aware(moment)).in_timezone(TZ).format("HH:mm")


def reden_oppakken(
    claim: Claim | None, wie: str, wacht_key: str | None, nu: dt.datetime, minuten: int
) -> str | None:
    """Why `wie` cannot pick up the task, or None. Her own claim again only refreshes it."""
    if wacht_key is None:
        return "deze zaak wacht nu niet op een beoordeling of behandeling: niets op te pakken"
    h = houder(claim, wacht_key, nu, minuten)
    if h is not None and h != wie:
        return f"al opgepakt door {h} (sinds {tijd_nl(claim.sinds)})"
    return None


def reden_indienen(
    claim: Claim | None, wie: str, wacht_key: str | None, nu: dt.datetime, minuten: int
) -> str | None:
    """In the dossier only the holder submits: a task is picked up before it is decided."""
    h = houder(claim, wacht_key, nu, minuten)
    if h is None:
        return "pak de taak eerst op (Oppakken): alleen wie hem heeft opgepakt, dient in"
    if h != wie:
        return f"al opgepakt door {h}: alleen {h} dient in, of een teamleider verdeelt opnieuw"
    return None


def reden_hervatten(
    claim: Claim | None, wie: str, wacht_key: str | None, nu: dt.datetime, minuten: int
) -> str | None:
    """Prefect's Resume follows the same claim: refused when someone else holds the task.
    An unclaimed task may still be answered there (the Resume form keeps working)."""
    h = houder(claim, wacht_key, nu, minuten)
    if h is not None and h != wie:
        return f"deze taak is opgepakt door {h}: alleen {h} rondt hem af (of een teamleider verdeelt opnieuw)"
    return None


def reden_vrijgeven(
    claim: Claim | None, wie: str, rol: str, wacht_key: str | None, nu: dt.datetime, minuten: int
) -> str | None:
    h = houder(claim, wacht_key, nu, minuten)
    if h is None:
        return "deze taak is door niemand opgepakt"
    if h != wie and rol not in HERVERDELERS:
        return f"alleen {h} of een teamleider geeft deze taak vrij"
    return None


def reden_herverdelen(
    rol: str,
    naar: str,
    naar_rol: str | None,
    status: str | None,
    wacht_key: str | None,
    soort: str = "zaak",
) -> str | None:
    """A teamleider gives a task to a colleague who may answer that wait (models/toegang.py);
    `soort`: the case kind of the wait (a zaak, or a dialoog)."""
    if rol not in HERVERDELERS:
        return "alleen een teamleider verdeelt taken opnieuw"
    if wacht_key is None:
        return "deze zaak wacht nu niet op een beoordeling of behandeling: niets te verdelen"
    if naar_rol is None:
        return f"{naar or '(leeg)'} is geen actieve medewerker"
    if reden := mag_hervatten(naar_rol, soort, status):
        return f"{naar} kan deze taak niet doen: {reden}"
    return None
