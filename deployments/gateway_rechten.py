"""What each role may ask of Prefect, route by route (issue 23): default deny.

A request is matched to one of Prefect's own routes (deployments/gateway_routes.py); the
route is looked up in the role's allowlist below; anything not listed is refused. A listed
route has a `Handeling`, which says what the gateway does with it: forward it, forward it
and write an audit event of the view, sign a resume against the run's own wait, check a
start's deployment and parameters, allow a state change only as a cancel.

Why these lists (the roles are models/overgang.ROLLEN; R §10 and issue 14):
- Every role reads what the dashboard shows: Prefect's GET routes and the POSTs that only
  read (filter, count, paginate, history, the UI's summaries); the server's own settings
  are answered by the gateway with an empty object. Views of a zaak's run, its inputs and its card are audit events (NEN 7513).
  `include_secrets` is removed from every person's request.
- A decision reaches a run only through `/resume` (signed with the login against the form
  the run waits on); which waits a role may answer is models/toegang.mag_hervatten.
- Nobody but the service writes run inputs, run states, runs, deployments, blocks,
  automations, events, variables, work pools, work queues, concurrency limits, logs or
  artifacts: runner, workers and scripts carry out what the rules decided.
- Operations cancels a run (a state change to CANCELLING/CANCELLED only), deletes a run and
  starts `werkvoorraad` and `deadline-sweep` for today; an analist starts the analyses.
- WebSockets are the service's: the UI of Prefect 3.9.1 opens none (it polls)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from deployments.gateway_routes import WS, Routetabel
from models.dates import vandaag
from models.toegang import OPERATIONS, SERVICE, mag_hervatten


class Handeling(StrEnum):
    LEZEN = "lezen"
    RUN_LEZEN = "run_lezen"  # a zaak's run: audited
    INVOER_LEZEN = "invoer_lezen"  # a run's forms and answers: audited
    KAART_LEZEN = "kaart_lezen"  # artifacts (the zaak's card): audited
    GEHEIM_LEZEN = "geheim_lezen"  # block documents: include_secrets removed
    LEEG_ANTWOORD = "leeg_antwoord"  # answered by the gateway itself with {}
    HERVATTEN = "hervatten"
    ANNULEREN = "annuleren"
    VERWIJDEREN = "verwijderen"
    STARTEN = "starten"


H = Handeling
RUN = "/api/flow_runs/{id:uuid}"
# POST routes that only read: the last segment names it.
_LEES_POST_EINDE = (
    "/filter",
    "/count",
    "/paginate",
    "/history",
    "/lateness",
    "/count-by/{countable}",
)
# The server's settings (its database URL, paths, hosts) are no person's business, but
# Prefect's UI 3.9.1 waits for them before it draws its sidebar: the gateway answers a
# person itself with an empty object (issue 23; an answer of 403 broke every page).
INSTELLINGEN = ("GET", "/api/admin/settings")

_BIJZONDER: dict[tuple[str, str], Handeling] = {
    INSTELLINGEN: H.LEEG_ANTWOORD,
    ("GET", RUN): H.RUN_LEZEN,
    ("GET", RUN + "/input/{key}"): H.INVOER_LEZEN,
    ("POST", RUN + "/input/filter"): H.INVOER_LEZEN,
    ("GET", "/api/artifacts/{id:uuid}"): H.KAART_LEZEN,
    ("GET", "/api/artifacts/{key}/latest"): H.KAART_LEZEN,
    ("POST", "/api/artifacts/filter"): H.KAART_LEZEN,
    ("POST", "/api/artifacts/latest/filter"): H.KAART_LEZEN,
    ("GET", "/api/block_documents/{id:uuid}"): H.GEHEIM_LEZEN,
    ("POST", "/api/block_documents/filter"): H.GEHEIM_LEZEN,
    ("GET", "/api/block_types/slug/{slug}/block_documents"): H.GEHEIM_LEZEN,
    ("GET", "/api/block_types/slug/{slug}/block_documents/name/{block_document_name}"): (
        H.GEHEIM_LEZEN
    ),
}
HERVAT = ("POST", RUN + "/resume")
ANNULEER = ("POST", RUN + "/set_state")
VERWIJDER = ("DELETE", RUN)
START = ("POST", "/api/deployments/{id:uuid}/create_flow_run")

TABEL = Routetabel.uit_bestand()


def _leesroutes(tabel: Routetabel) -> dict[tuple[str, str], Handeling]:
    uit = {}
    for methode, template in tabel.templates():
        if methode == WS:
            continue
        if methode in ("GET", "HEAD") or (
            methode == "POST"
            and (template.endswith(_LEES_POST_EINDE) or template.startswith("/api/ui/"))
        ):
            uit[(methode, template)] = _BIJZONDER.get((methode, template), H.LEZEN)
    return uit


LEZEN = _leesroutes(TABEL)
_HERVAT = {HERVAT: H.HERVATTEN}
# role -> (method, template) -> what the gateway does with it. Not listed: refused.
ALLOWLIST: dict[str, dict[tuple[str, str], Handeling]] = {
    "beoordelaar": LEZEN | _HERVAT,
    "teamleider": LEZEN | _HERVAT,
    "jurist": LEZEN | _HERVAT,
    "cce": LEZEN | _HERVAT,
    "analist": LEZEN | {START: H.STARTEN},
    OPERATIONS: LEZEN | {ANNULEER: H.ANNULEREN, VERWIJDER: H.VERWIJDEREN, START: H.STARTEN},
}
# The declaration checks itself: every listed route is one Prefect answers.
_ALLE = set(TABEL.templates())
for _rol, _routes in ALLOWLIST.items():
    assert set(_routes) <= _ALLE, f"{_rol}: routes Prefect does not have: {set(_routes) - _ALLE}"


@dataclass(frozen=True, slots=True)
class Start:
    """Who may start a deployment by hand, and which parameters they may set."""

    rollen: frozenset[str]
    vandaag_alleen: bool = False  # `peildatum` absent or today: no running the clock ahead
    verboden: frozenset[str] = frozenset()  # parameters a person may not set


# By deployment name as in prefect.yaml (tests/unit/test_gateway_rechten.py checks them).
STARTS: dict[str, Start] = {
    "werkvoorraad": Start(frozenset({OPERATIONS}), vandaag_alleen=True),
    "deadline-sweep": Start(frozenset({OPERATIONS}), vandaag_alleen=True),
    "backfill": Start(frozenset({"analist"})),
    # `uitvoer` is a directory on the worker: no person writes files on the server.
    "rapport": Start(frozenset({"analist"}), verboden=frozenset({"uitvoer"})),
    "whatif": Start(frozenset({"analist"})),
}
# Fields of Prefect's create_flow_run a person may send. The run's name and tags are
# dropped (the UI prefills a random name and the deployment's own tags; a typed name or tag
# could hold a BSN and would be searchable): Prefect names the run, the deployment tags it.
# Anything else that is not empty (job_variables that change the command, a work queue, a
# retry policy) is refused.
START_VELDEN = frozenset({"parameters", "state", "enforce_parameter_schema"})
_START_GENEGEERD = frozenset({"name", "tags"})


def _leeg(waarde) -> bool:
    """Nothing set: what the UI sends along for fields the person cannot fill."""
    if isinstance(waarde, dict):
        return all(_leeg(v) for v in waarde.values())
    if isinstance(waarde, list):
        return all(_leeg(v) for v in waarde)
    return waarde in (None, "", False)


def handeling(rol: str, methode: str, template: str) -> Handeling | None:
    """What the gateway does for this role on this route; None: refused."""
    return ALLOWLIST.get(rol, {}).get((methode, template))


def reden_geweigerd(rol: str, methode: str, template: str) -> str:
    """The Dutch one-line reason a route is refused to a role."""
    if (methode, template) == HERVAT:
        return mag_hervatten(rol, None, None) or f"uw rol {rol} hervat geen runs"
    if (methode, template) in (ANNULEER, VERWIJDER):
        return f"alleen operations mag runs annuleren of verwijderen (uw rol: {rol})"
    if (methode, template) == START:
        return f"uw rol {rol} start geen deployments"
    if rol == "cce":
        return "het CCE adviseert en wijzigt geen zaak (R §10)"
    return f"uw rol {rol} mag dit niet ({methode} {template}): alleen de systeemdienst"


def annuleren_toegestaan(state_type: str | None) -> str | None:
    if (state_type or "").upper() in ("CANCELLING", "CANCELLED"):
        return None
    return "operations zet een run alleen op geannuleerd; andere toestanden zet het systeem"


def start_toegestaan(
    rol: str, deployment: str | None, body: dict, peildatum: dt.date | None = None
) -> str | None:
    """None when this role may start this deployment with this request body."""
    if rol == SERVICE:
        return None
    start = STARTS.get(deployment or "")
    if start is None or rol not in start.rollen:
        mag = sorted(n for n, s in STARTS.items() if rol in s.rollen)
        return f"uw rol {rol} start alleen {', '.join(mag) or 'geen deployments'}"
    extra = sorted(
        k for k, v in body.items() if k not in START_VELDEN | _START_GENEGEERD and not _leeg(v)
    )
    if extra:
        return f"een run start u met parameters alleen, niet met {', '.join(extra)}"
    state = body.get("state") or {}
    if (state.get("type") or "SCHEDULED").upper() != "SCHEDULED":
        return "een nieuwe run begint als ingepland"
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, dict):
        return "parameters moeten een object zijn"
    if verboden := sorted(start.verboden & {k for k, v in parameters.items() if v is not None}):
        return f"de parameter {', '.join(verboden)} zet alleen het systeem"
    if start.vandaag_alleen:
        gevraagd = parameters.get("peildatum")
        today = (peildatum or vandaag()).isoformat()
        if gevraagd not in (None, "", today):
            return f"{deployment} draait alleen voor vandaag ({today}), niet voor {gevraagd}"
    return None
