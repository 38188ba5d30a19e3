"""Who may answer which wait (issues 14 and 23): the pure rules behind the gateway's signed
Resume (deployments/gateway_hervat.py). Which Prefect routes a role may use at all is the
gateway's allowlist (deployments/gateway_rechten.py).

A login has one role (models/overgang.ROLLEN). The service identity (runner, workers, the
scripts' CLI) may do everything: it carries out what the rules already decided, and its
resumes keep the form's typed id (a timer's `{}`, a script acting for a named person)."""

from __future__ import annotations

from models.overgang import BESLISSENDE_ROLLEN, BEZWAAR_ROLLEN, BEZWAAR_STATUSSEN, ROLLEN
from models.overgang import ZaakStatus as S
from models.proces import ZAAK

SERVICE = "meerzorg-service"  # the identity of runner, workers and scripts (not a medewerker)
OPERATIONS = "operations"


# Who answers which wait of a zaak. R §10: a decision only by a deciding role. Awb 7:5: a
# bezwaar by a BEZWAAR_ROLLEN member (models/bezwaar.py checks it was not the decider).
# aanname: the provider has no dashboard account, so what it sends (herstel, bijstelling,
# evaluatie) is entered by the zorgkantoor's deciding staff; the passende overgang is the
# zorgkantoor's (N 2025). At a running beschikking the form records a CCE ontwikkeltraject
# (R §10: the CCE holds it) or a contact (models/contact.py refuses the CCE there).
_ZAAK_WACHT_ROLLEN: dict[str, tuple[str, ...]] = {
    **{w.status.value: BESLISSENDE_ROLLEN for w in ZAAK.wachten},
    **{s.value: BEZWAAR_ROLLEN for s in (*BEZWAAR_STATUSSEN, S.BEZWAARTERMIJN)},
    S.LOPEND.value: (*BESLISSENDE_ROLLEN, "cce"),
}
# R §10: the meerzorgdialoog is held by the zorgkantoor with the CCE.
_DIALOOG_ROLLEN = (*BESLISSENDE_ROLLEN, "cce")

# Form name -> the field that names who answered: the gateway fills it with the login.
IDENTITEIT_VELD = {
    "Beoordeling": "beoordelaar",
    "Verschoonbaarheid": "behandelaar",
    "Hoorzitting": "behandelaar",
    "BeslissingOpBezwaar": "behandelaar",
    "Bezwaarschrift": "ingediend_door",
    "AangepasteAanvraag": "ingediend_door",
    "Termijnmelding": "ingediend_door",
    "Evaluatie": "ingediend_door",
    "PassendeOvergang": "ingediend_door",
    "Meerzorgplan": "medewerker",
    "DialoogVerslag": "verslaglegger",
}


def rol_bekend(rol: str) -> bool:
    return rol in ROLLEN


def mag_hervatten(rol: str, soort: str | None, status: str | None) -> str | None:
    """May this role answer the wait? `soort`: "zaak", "dialoog" or None (not a case run)."""
    if rol == SERVICE:
        return None
    if rol == "analist":
        return "een analist leest en hervat geen zaak (R §10: alleen beslissende rollen)"
    if rol == OPERATIONS:
        return "operations beheert runs en neemt geen besluiten (R §10: alleen beslissende rollen)"
    if soort == "zaak":
        rollen = _ZAAK_WACHT_ROLLEN.get(status or "", ())
        if rol in rollen:
            return None
        if rol == "cce":
            return "het CCE neemt geen deel aan de beoordeling en beslist niet (R §10)"
        return f"uw rol {rol} mag niet antwoorden op '{status}' (alleen {', '.join(rollen)})"
    if soort == "dialoog":
        if rol in _DIALOOG_ROLLEN:
            return None
        return f"uw rol {rol} mag de meerzorgdialoog niet bijwerken"
    return "alleen de systeemdienst hervat runs die geen zaak of dialoog zijn (aanname)"


def onderteken(invoer: dict, veld: str | None, login: str) -> dict:
    """The form as the login answers it: its identity field is the login, whatever was typed
    (issue 14: the login signs the decision, so two logins for four eyes, models/besluit.py)."""
    if veld is None:
        return dict(invoer)
    return {**invoer, veld: login}
