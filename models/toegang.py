"""Who may answer which wait (issues 14 and 23): the pure rules behind the gateway's signed
Resume (deployments/gateway_hervat.py). Which Prefect routes a role may use at all is the
gateway's allowlist (deployments/gateway_rechten.py).

A login has one role (models/overgang.ROLLEN). The service identity (runner, workers, the
scripts' CLI) may do everything: it carries out what the rules already decided, and its
resumes keep the form's typed id (a timer's `{}`, a script acting for a named person)."""

from __future__ import annotations

from models.overgang import ROLLEN
from models.soorten import SOORTEN, wacht_van

SERVICE = "meerzorg-service"  # the identity of runner, workers and scripts (not a medewerker)
OPERATIONS = "operations"


def rol_bekend(rol: str) -> bool:
    return rol in ROLLEN


def mag_hervatten(rol: str, soort: str | None, status: str | None) -> str | None:
    """May this role answer the wait? `soort`: a kind of models/soorten/, or None (not a
    case run). The roles are the wait's own (models/engine.Wacht.rollen)."""
    if rol == SERVICE:
        return None
    if rol == "analist":
        return "een analist leest en hervat geen zaak (R §10: alleen beslissende rollen)"
    if rol == OPERATIONS:
        return "operations beheert runs en neemt geen besluiten (R §10: alleen beslissende rollen)"
    if soort not in SOORTEN:
        return "alleen de systeemdienst hervat runs die geen zaak of dialoog zijn (aanname)"
    wacht = wacht_van(soort, status)
    rollen = wacht.rollen if wacht is not None else ()
    if rol in rollen:
        return None
    if soort == "dialoog":
        return f"uw rol {rol} mag de meerzorgdialoog niet bijwerken"
    if rol == "cce":
        return "het CCE neemt geen deel aan de beoordeling en beslist niet (R §10)"
    return f"uw rol {rol} mag niet antwoorden op '{status}' (alleen {', '.join(rollen)})"


def onderteken(invoer: dict, veld: str | None, login: str) -> dict:
    """The form as the login answers it: its identity field is the login, whatever was typed
    (issue 14: the login signs the decision, so two logins for four eyes, models/besluit.py)."""
    if veld is None:
        return dict(invoer)
    return {**invoer, veld: login}
