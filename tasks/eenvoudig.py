"""The runtime of every simple case kind (models/eenvoudige_soort.py), from its declaration
alone: its store for the one case service (tasks/geval.py) on the generic tables
(models/db/tables_geval.py), a new case, the run's view of it (`beeld`), its first action,
its timers for the sweep, the reconcile of its runs and the gateway's question which case a
run is. tasks/soorten.py makes one `Gevalsoort` of these for each kind models/soorten finds;
flows/geval.py drives its runs. Each function is one transaction."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from sqlmodel import Session

from models.db.engine_store import Timers, audit, pas_toe_geval
from models.db.geval_lezen import (
    due_termijnen as due_query,
)
from models.db.geval_lezen import (
    geval_met_key,
    geval_met_run,
    geval_op_id,
    geval_van,
    gevallen_met_keys,
    open_gevallen,
)
from models.db.store import session_scope
from models.db.tables_geval import Geval, GevalTermijn
from models.eenvoudige_soort import KEY_PATROON, EenvoudigeSoort, Gegevens, GevalStand
from models.engine import ONGELDIGE_INVOER, Beeld, Gewijzigd, OngeldigeInvoer, Overgang
from models.soorten import EENVOUDIG
from tasks import geval
from tasks.reconcile import GevalRij, GevalRuns
from tasks.start import start_case_run

FLOW = "meerzorg-geval"  # flows/geval.py: the one flow of every simple kind


def kind(naam: str) -> EenvoudigeSoort:
    decl = EENVOUDIG.get(naam)
    if decl is None:
        raise OngeldigeInvoer(f"'{naam}' is geen gevalsoort (models/soorten/)")
    return decl


def stand_van(decl: EenvoudigeSoort, rij: Geval) -> GevalStand:
    return GevalStand(rij.key, rij.status, rij.stap, decl.lees(rij.gegevens, rij.schema_versie))


# --- the apply ------------------------------------------------------------------------------


def timers_van(session: Session, rij: Geval) -> Timers:
    if rij.id is None:
        session.add(rij)
        session.flush()
    return Timers(GevalTermijn, {"geval_id": rij.id, "geval_soort": rij.soort})


def _handlers(decl: EenvoudigeSoort) -> dict:
    def gegevens(ctx, rij: Geval, effect: Gegevens) -> None:
        if not isinstance(effect.waarde, decl.stand):
            raise TypeError(f"{decl.naam}: Gegevens holds a {decl.stand.__name__}")
        rij.gegevens = effect.waarde.model_dump(mode="json")
        rij.schema_versie = decl.schema_versie

    def kolommen(ctx, rij: Geval, effect: Gewijzigd) -> None:
        # The row's columns are the engine's (status, wait, version): a simple kind's data
        # is its stand, changed as a whole.
        raise TypeError(f"{decl.naam}: change the case's data with Gegevens, not Gewijzigd")

    return {Gegevens: gegevens, Gewijzigd: kolommen}


def pas_toe(
    *,
    session: Session,
    rij: Geval,
    overgang: Overgang,
    peildatum: dt.date,
    actor: str = "systeem",
    namens: str | None = None,
) -> Geval:
    """Apply one Overgang to a case the caller has locked: the engine's one apply."""
    decl = kind(rij.soort)
    pas_toe_geval(
        session=session,
        soort=decl.soort,
        rij=rij,
        key=rij.key,
        # A provider's messages go to the provider the case's data names, if it names one
        # (read from the stored data: the stand is not parsed again for one field).
        agb=(rij.gegevens or {}).get("agb"),
        overgang=overgang,
        timers=timers_van(session, rij),
        handlers=_handlers(decl),
        peildatum=peildatum,
        actor=actor,
        namens=namens,
    )
    return rij


def opslag(naam: str) -> geval.Opslag:
    """The kind for the one case service (tasks/geval.py)."""
    decl = kind(naam)
    return geval.Opslag(
        soort=decl.soort,
        lees=lambda session, key, lock: geval_van(session=session, soort=naam, key=key, lock=lock),
        stand=lambda rij: stand_van(decl, rij),
        feiten=lambda session, rij, peildatum: None,
        ongeldig=lambda rij, fout, invoer: Overgang(
            status=rij.status, actie=ONGELDIGE_INVOER, details={"fout": fout}
        ),
        pas_toe=pas_toe,
        timer_model=GevalTermijn,
        timer_geval=lambda session, t: geval_op_id(session=session, geval_id=t.geval_id),
        timer_regel=lambda session, rij, t: decl.bij_termijn(
            stand_van(decl, rij), t.soort, t.datum
        ),
    )


# --- a new case -------------------------------------------------------------------------------


def _fout(exc: ValidationError) -> str:
    e = exc.errors()[0]
    waar = ".".join(str(p) for p in e["loc"]) or "gegevens"
    return f"{waar}: {e['msg']}"


def start_geval(
    *, session: Session, soort: str, key: str, gegevens: dict, actor: str = "systeem"
) -> Geval:
    """A new case of a simple kind in its first status; bad input is OngeldigeInvoer with one
    Dutch line, and nothing is written."""
    decl = kind(soort)
    if not isinstance(key, str) or not KEY_PATROON.fullmatch(key):
        raise OngeldigeInvoer(
            f"key '{str(key)[:70]}' moet 3 tot 64 kleine letters, cijfers of streepjes zijn, "
            "beginnend met een letter"
        )
    if geval_met_key(session=session, key=key) is not None:
        raise OngeldigeInvoer(f"geval {key} bestaat al")
    if not isinstance(gegevens, dict):
        raise OngeldigeInvoer("gegevens moeten een JSON-object zijn")
    try:
        stand = decl.stand.model_validate(gegevens)
    except ValidationError as exc:
        raise OngeldigeInvoer(f"gegevens van {soort}: {_fout(exc)}") from None
    wacht = decl.soort.wacht(decl.begin)
    rij = Geval(
        soort=soort,
        key=key,
        status=decl.begin,
        wacht_op=wacht.wacht_op if wacht else None,
        wacht_key=decl.soort.wacht_key(decl.begin, 0) if wacht else None,
        gegevens=stand.model_dump(mode="json"),
        schema_versie=decl.schema_versie,
    )
    session.add(rij)
    session.flush()
    audit(session=session, actor=actor, actie="geval_gestart", zaak=key, details={"soort": soort})
    return rij


# --- the run's steps ----------------------------------------------------------------------------


def run_tags(naam: str, rij: Geval) -> list[str]:
    gesloten = rij.status in kind(naam).soort.gesloten
    return [
        naam,
        f"wacht-op:{rij.wacht_op or ('afgesloten' if gesloten else '-')}",
        f"status:{rij.status}",
    ]


def beeld(naam: str, key: str) -> Beeld:
    """What the case's run needs for one loop: its step, key, tags, card and form defaults."""
    decl = kind(naam)
    with session_scope() as session:
        rij = geval_van(session=session, soort=naam, key=key)
        if rij is None:
            raise ValueError(f"{naam} {key} bestaat niet")
        stand = stand_van(decl, rij)
        stap = decl.soort.volgende_stap(rij.status, rij.stap)
        kaart = decl.kaart(stand)
        if rij.laatste_fout:
            kaart += f"\n\n**Niet verwerkt:** {rij.laatste_fout}"
        return Beeld(
            key=key,
            status=rij.status,
            stap=stap,
            wacht_key=rij.wacht_key,
            tags=tuple(run_tags(naam, rij)),
            kaart=kaart,
            initieel=decl.invulling(stand) if stap.soort == "wacht" else {},
        )


def actie(naam: str, key: str, peildatum: dt.date) -> bool:
    """The kind's action in an action status. False when another process did it already."""
    decl = kind(naam)
    with session_scope() as session:
        rij = geval_van(session=session, soort=naam, key=key, lock=True)
        if rij is None or rij.status not in decl.soort.acties:
            return False
        overgang = decl.actie(stand_van(decl, rij), peildatum)
        if overgang is None:  # the run would ask again for ever
            raise RuntimeError(f"{naam} {key}: the action of {rij.status} made no transition")
        pas_toe(session=session, rij=rij, overgang=overgang, peildatum=peildatum)
        return True


def verwerk_invoer(
    naam: str, key: str, wacht_key: str, invoer: dict, peildatum: dt.date, actor: str | None = None
) -> str:
    """Apply form input answered under `wacht_key` (tasks/geval.verwerk_invoer)."""
    return geval.verwerk_invoer(opslag(naam), key, wacht_key, invoer, peildatum, actor)


def koppel_flow_run(naam: str, key: str, flow_run_id: str) -> None:
    geval.koppel_flow_run(opslag(naam), key, flow_run_id, verplicht=True)


# --- timers, runs, the gateway ------------------------------------------------------------------


def due_termijnen(naam: str, peildatum: dt.date, limit: int = 10_000) -> list[int]:
    with session_scope() as session:
        return due_query(session=session, soort=naam, peildatum=peildatum, limit=limit)


def vuur_termijn(naam: str, timer_id: int, peildatum: dt.date) -> tuple[str, bool] | None:
    """Fire one due timer exactly once: (case key, its run must be resumed), or None."""
    gevuurd = geval.vuur_termijn(opslag(naam), timer_id, peildatum)
    return None if gevuurd is None else (gevuurd[0].key, gevuurd[1])


def met_run(naam: str, session: Session, run_id: str) -> tuple[str, str] | None:
    """(key, status) of the kind's case this run belongs to, if any."""
    rij = geval_met_run(session=session, soort=naam, run_id=run_id)
    return (rij.key, rij.status) if rij is not None else None


def start_run(naam: str, key: str, opvolger: str | None = None) -> str:
    """Create the case's run once: its key is the idempotency key (plus, for a run that
    replaces a lost or cancelled one, the id of the run it replaces). Prefect holds the
    kind's name and the key only."""
    decl = kind(naam)
    run_id = start_case_run(
        f"{FLOW}/{decl.deployment}", key, {"soort": naam, "key": key}, [naam], key, opvolger
    )
    koppel_flow_run(naam, key, run_id)
    return run_id


def reconcile_soort(naam: str) -> GevalRuns:
    """The kind for tasks/reconcile.py: its open cases and their runs."""
    gesloten = kind(naam).soort.gesloten

    def als_geval(rij: Geval) -> GevalRij:
        return GevalRij(rij.key, rij.flow_run_id, rij.wacht_key, rij.status not in gesloten)

    def gevallen() -> list[GevalRij]:
        with session_scope() as session:
            return [
                als_geval(r) for r in open_gevallen(session=session, soort=naam, gesloten=gesloten)
            ]

    def per_key(keys: list[str]) -> dict[str, GevalRij]:
        with session_scope() as session:
            rijen = gevallen_met_keys(session=session, soort=naam, keys=keys)
            return {r.key: als_geval(r) for r in rijen}

    return GevalRuns(
        naam, FLOW, gevallen, per_key, lambda key, opvolger: start_run(naam, key, opvolger)
    )
