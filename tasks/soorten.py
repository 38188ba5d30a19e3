"""The case kinds at run time: for each kind of models/soorten/, how the sweep plans and
fires it, how the reconcile finds its cases and starts their runs, and which case a flow run
is (the gateway). The sweep (tasks/sweep.py, flows/sweep.py), the reconcile
(tasks/soorten.reconcile_runs), the gateway (deployments/gateway_audit.py) and the automations
read this one list. The zaak and the dialoog are entries here; every simple kind
models/soorten finds gets its entry from its declaration (docs/uitbreiden.md).

The gateway reads this list for the run lookup only: what needs Prefect (tasks/runs.py, the
client) is imported where it is used, so the gateway does not pay for it at its start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlmodel import Session

from models.db.gevallen import dialoog_met_run, zaak_met_run
from models.dialoog import dialoog_key
from models.eenvoudige_soort import EenvoudigeSoort
from models.engine import Soort
from models.soorten import EENVOUDIG, SOORTEN
from models.soorten import neem_op as neem_op_declaraties
from tasks import dialoog as dialoog_ops
from tasks import eenvoudig
from tasks import zaak as zaak_ops
from tasks.dialoog_planning import plan_nieuwkomers
from tasks.reconcile import STALE_AFTER, reconcile


@dataclass(frozen=True, slots=True)
class RunGeval:
    """The case a flow run belongs to, as the gateway audits it."""

    soort: str
    key: str
    status: str
    client_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gevalsoort:
    soort: Soort  # the pure declaration: statuses, waits, timer rules
    flow: str  # the flow of its long-running run (prefect.yaml)
    # Its due timer rows, oldest first, and firing one: (key, its run must be resumed).
    due: Callable[[dt.date], list[int]]
    vuur: Callable[[int, dt.date], tuple[str, bool] | None]
    # For tasks/reconcile.py: its open cases, its cases by key, and a run's start.
    reconcile: Callable[[], object]
    # The case a run belongs to (None: not one of this kind).
    run_geval: Callable[[Session, str], RunGeval | None]
    # New cases the day brings (the sweep), each then taking its first action at once, so
    # the timers that action plans exist before the sweep fires what is due.
    plan: Callable[[dt.date], list[str]] = field(default=lambda peildatum: [])
    actie: Callable[[str, dt.date], bool] = field(default=lambda key, peildatum: False)

    @property
    def naam(self) -> str:
        return self.soort.naam


# --- the zaak -------------------------------------------------------------------------------


def _zaak_due(peildatum: dt.date) -> list[int]:
    return zaak_ops.due_deadlines(peildatum)


def _zaak_vuur(timer_id: int, peildatum: dt.date) -> tuple[str, bool] | None:
    return zaak_ops.vuur_deadline(timer_id, peildatum)


def _zaak_reconcile():
    # lazy: tasks.runs imports Prefect (~1.5 s CPU); the gateway imports this module
    from tasks.runs import zaak_reconcile_soort

    return zaak_reconcile_soort()


def _zaak_van_run(session: Session, run_id: str) -> RunGeval | None:
    z = zaak_met_run(session=session, run_id=run_id)
    return zaak_geval(z) if z is not None else None


def zaak_geval(z) -> RunGeval:
    clienten = (z.aanvraag or {}).get("clienten") or []
    return RunGeval("zaak", z.key, z.status, tuple(c.get("client_id", "") for c in clienten))


# --- the meerzorgdialoog ------------------------------------------------------------------


def _dialoog_due(peildatum: dt.date) -> list[int]:
    return dialoog_ops.due_termijnen(peildatum)


def _dialoog_vuur(timer_id: int, peildatum: dt.date) -> tuple[str, bool] | None:
    gevuurd = dialoog_ops.vuur_termijn(timer_id, peildatum)
    return None if gevuurd is None else (gevuurd[0], gevuurd[2])


def _dialoog_reconcile():
    return dialoog_ops.reconcile_soort()


def _dialoog_van_run(session: Session, run_id: str) -> RunGeval | None:
    d = dialoog_met_run(session=session, run_id=run_id)
    return RunGeval("dialoog", dialoog_key(d.agb, d.jaar), d.status) if d is not None else None


def _dialoog_plan(peildatum: dt.date) -> list[str]:
    return plan_nieuwkomers(peildatum)


def _dialoog_actie(key: str, peildatum: dt.date) -> bool:
    _, agb, jaar = key.rsplit("-", 2)
    return dialoog_ops.uitnodigen(agb, int(jaar), peildatum)


REGISTER: dict[str, Gevalsoort] = {
    k.naam: k
    for k in (
        Gevalsoort(
            SOORTEN["zaak"],
            "meerzorg-lifecycle",
            _zaak_due,
            _zaak_vuur,
            _zaak_reconcile,
            _zaak_van_run,
        ),
        Gevalsoort(
            SOORTEN["dialoog"],
            "meerzorgdialoog",
            _dialoog_due,
            _dialoog_vuur,
            _dialoog_reconcile,
            _dialoog_van_run,
            plan=_dialoog_plan,
            actie=_dialoog_actie,
        ),
    )
}


# --- every simple kind, from its declaration alone (tasks/eenvoudig.py) ---------------------


def eenvoudige_gevalsoort(decl: EenvoudigeSoort) -> Gevalsoort:
    naam = decl.naam

    def run_geval(session: Session, run_id: str) -> RunGeval | None:
        gevonden = eenvoudig.met_run(naam, session, run_id)
        return RunGeval(naam, *gevonden) if gevonden is not None else None

    return Gevalsoort(
        decl.soort,
        eenvoudig.FLOW,
        due=lambda peildatum: eenvoudig.due_termijnen(naam, peildatum),
        vuur=lambda timer_id, peildatum: eenvoudig.vuur_termijn(naam, timer_id, peildatum),
        reconcile=lambda: eenvoudig.reconcile_soort(naam),
        run_geval=run_geval,
    )


def neem_op(modules: list[str]) -> list[str]:
    """Add the simple kinds these modules declare, to models/soorten and to REGISTER (what
    MEERZORG_SOORTEN does at import; a test adds its kind so). Returns their names."""
    kinds = neem_op_declaraties(modules)
    REGISTER.update({k.naam: eenvoudige_gevalsoort(k) for k in kinds})
    return [k.naam for k in kinds]


REGISTER.update({naam: eenvoudige_gevalsoort(decl) for naam, decl in EENVOUDIG.items()})
if set(REGISTER) != set(SOORTEN):  # every declared kind runs, and nothing else does
    raise RuntimeError(f"tasks/soorten.py: {sorted(REGISTER)} != models/soorten/")


# --- the reconcile of every kind ---------------------------------------------------------


def soorten() -> list:
    """Every case kind that lives in a long-running run, as tasks/reconcile.py reads it."""
    return [k.reconcile() for k in REGISTER.values()]


def reconcile_runs(uitvoeren: bool = True, stale_after: dt.timedelta | None = None) -> dict:
    """Make every open case's run live and waiting on its current wait key (the sweep, and
    `meerzorg herstel-runs`): started where missing, restarted where crashed, failed,
    cancelled, completed or stale, resumed where it waits on a key its case has left,
    duplicates cancelled. With uitvoeren=False only what would be done. Returns the actions
    per case kind: {"zaak": [{"soort", "key", "run_id", "reden"}, ...], "dialoog": [...]}."""
    # lazy: Prefect (~1.5 s CPU); the gateway imports this module for the run lookup only
    from prefect.client.orchestration import get_client

    from tasks.runs import resume  # lazy: Prefect, as above

    out = {}
    with get_client(sync_client=True) as client:
        for soort in soorten():
            acties = reconcile(
                client,
                soort,
                resume,
                uitvoeren,
                STALE_AFTER if stale_after is None else stale_after,
            )
            out[soort.naam] = [asdict(a) for a in acties]
    return out
