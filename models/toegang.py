"""Who may do what through the dashboard (issue 14): the pure rules the gateway
(deployments/gateway.py) applies to every request that reaches the Prefect UI and API.

A request is one `Actie` (read, resume a wait, start a run, change, cancel, delete); a
login has one role (models/overgang.ROLLEN). The service identity (runner, workers, the
scripts' CLI) may do everything: it carries out what the rules already decided, and its
resumes keep the form's typed id (a timer's `{}`, a script acting for a named person)."""

from __future__ import annotations

import re
from enum import StrEnum

from models.dialoog_proces import DIALOOG
from models.overgang import BESLISSENDE_ROLLEN, BEZWAAR_ROLLEN, BEZWAAR_STATUSSEN, ROLLEN
from models.overgang import ZaakStatus as S
from models.proces import ZAAK

SERVICE = "meerzorg-service"  # the identity of runner, workers and scripts (not a medewerker)
OPERATIONS = "operations"
# Deployments an analyst may start (issue 14: "an analyst may read and run the analysis
# deployments"); by deployment name as in prefect.yaml.
ANALYSE_DEPLOYMENTS = frozenset({"backfill", "rapport", "whatif"})


class Actie(StrEnum):
    LEZEN = "lezen"
    HERVATTEN = "hervatten"
    STARTEN = "starten"
    WIJZIGEN = "wijzigen"
    ANNULEREN = "annuleren"
    VERWIJDEREN = "verwijderen"


A = Actie
# role -> what it may do through the dashboard. R §10: the CCE advises and never assesses,
# so it reads (its werkvoorraad, the cards) and changes nothing but its own waits (below);
# an analyst reads and starts the analysis deployments; only operations cancels or deletes
# runs (issue 14). Deciding roles and the jurist change what their work needs (a Run form,
# tags). HERVATTEN is further limited per wait by `mag_hervatten`.
RECHTEN: dict[str, frozenset[Actie]] = {
    "beoordelaar": frozenset({A.LEZEN, A.HERVATTEN, A.STARTEN, A.WIJZIGEN}),
    "teamleider": frozenset({A.LEZEN, A.HERVATTEN, A.STARTEN, A.WIJZIGEN}),
    "jurist": frozenset({A.LEZEN, A.HERVATTEN, A.STARTEN, A.WIJZIGEN}),
    "cce": frozenset({A.LEZEN, A.HERVATTEN}),
    "analist": frozenset({A.LEZEN, A.STARTEN}),
    OPERATIONS: frozenset(Actie) - {A.HERVATTEN},
}
assert set(RECHTEN) == set(ROLLEN), "every role has a row in RECHTEN"

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
    return rol in RECHTEN


def mag(rol: str, actie: Actie) -> str | None:
    """None when the role may do this; else the Dutch reason it may not."""
    if rol == SERVICE:
        return None
    if actie in RECHTEN.get(rol, frozenset()):
        return None
    if actie in (A.ANNULEREN, A.VERWIJDEREN):
        return f"alleen operations mag runs annuleren of verwijderen (uw rol: {rol})"
    if rol == "cce":
        return "het CCE adviseert en wijzigt geen zaak (R §10)"
    return f"uw rol {rol} mag dit niet ({actie})"


def mag_hervatten(rol: str, soort: str | None, status: str | None) -> str | None:
    """May this role answer the wait? `soort`: "zaak", "dialoog" or None (not a case run)."""
    if rol == SERVICE:
        return None
    if (reden := mag(rol, A.HERVATTEN)) is not None:
        if rol == "analist":
            return "een analist leest en hervat geen zaak (R §10: alleen beslissende rollen)"
        return reden
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


def identiteit_veld(soort: str | None, status: str | None) -> str | None:
    """The form field that names who answers this wait, if the form has one."""
    kind = {"zaak": ZAAK, "dialoog": DIALOOG}.get(soort or "")
    wacht = kind.wacht(status) if kind and status else None
    return IDENTITEIT_VELD.get(wacht.formulier) if wacht else None


def onderteken(invoer: dict, veld: str | None, login: str) -> dict:
    """The form as the login answers it: its identity field is the login, whatever was typed
    (issue 14: the login signs the decision, so two logins for four eyes, models/besluit.py)."""
    if veld is None:
        return dict(invoer)
    return {**invoer, veld: login}


_UUID = r"[0-9a-fA-F-]{36}"
# POSTs that only read (Prefect's filter and count endpoints, the UI's summaries).
_LEES_POST = re.compile(
    r"^/api/(ui/.*|.*/(filter|count|paginate|history|lateness|next_runs)|"
    r"saved_searches/?|.*/schemas/validate)$"
)
_RESUME = re.compile(rf"^/api/flow_runs/(?P<id>{_UUID})/resume$")
_SET_STATE = re.compile(rf"^/api/(flow|task)_runs/(?P<id>{_UUID})/set_state$")
_START = re.compile(rf"^/api/deployments/(?P<id>{_UUID})/create_flow_run$")


def actie_van(methode: str, pad: str, state_type: str | None = None) -> tuple[Actie, str | None]:
    """What a request does, and the run or deployment id it acts on. Saving a view (a saved
    search) counts as reading: it changes no case (aanname)."""
    methode = methode.upper()
    if methode in ("GET", "HEAD", "OPTIONS"):
        return A.LEZEN, None
    if methode == "DELETE":
        return A.VERWIJDEREN, None
    if m := _RESUME.match(pad):
        return A.HERVATTEN, m["id"]
    if m := _SET_STATE.match(pad):
        if (state_type or "").upper() in ("CANCELLED", "CANCELLING"):
            return A.ANNULEREN, m["id"]
        return A.WIJZIGEN, m["id"]
    if m := _START.match(pad):
        return A.STARTEN, m["id"]
    if methode == "POST" and _LEES_POST.match(pad):
        return A.LEZEN, None
    return A.WIJZIGEN, None
