"""Zaken in a known state, built with the same functions the flows call (tasks.zaak), and
the actors the concurrency tests run in separate processes (multiprocessing, spawn).

Every actor is a top-level function so a spawned process can import it; it reads
MEERZORG_DATABASE_URL from the environment it inherited, like a runner or worker does."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from pathlib import Path

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
DAG = dt.date(2026, 11, 22)
STAFF = (("b-001", "beoordelaar"), ("b-002", "teamleider"), ("cce-001", "cce"))


def bsn(n: int) -> str:
    """The n-th valid test BSN of the 9999… range (elfproef)."""
    from models.aanvraag import elfproef

    found = -1
    for candidate in range(999_900_000, 999_999_999):
        if elfproef(str(candidate)):
            found += 1
            if found == n:
                return str(candidate)
    raise ValueError(n)


def individueel(ref: str, client_id: str, bsn_: str, **changes) -> dict:
    data = copy.deepcopy(EXAMPLE)
    data["provider_referentie"] = ref
    data["vorm"] = "individueel"
    data["clienten"] = [dict(data["clienten"][0], client_id=client_id, bsn=bsn_)]
    data["uren_per_week"] = {
        "begeleiding": 24,
        "verzorging": 8,
        "verpleging": 2,
        "dagbesteding": 6,
        "nachtzorg": 5,
    }
    data["gevraagde_start"], data["gevraagde_eind"] = "2027-01-01", "2027-12-31"
    data.update(changes)
    return data


def prepare_database(url: str, sink_url: str | None = None) -> None:
    from models.db.store import migrate, registreer_aanbieder, registreer_medewerker, session_scope

    migrate(url)
    with session_scope() as session:
        for id_, rol in STAFF:
            registreer_medewerker(session=session, id=id_, rol=rol)
        registreer_aanbieder(
            session=session,
            agb="73730001",
            naam="Stichting De Linde",
            notify=[sink_url] if sink_url else [],
        )


def zaak_in_beoordeling(n: int, **changes) -> str:
    from models.aanvraag import parse_aanvraag
    from tasks import zaak as ops

    data = individueel(f"REL-{n}-{os.getpid()}", f"LINDE-{n:03d}", bsn(n), **changes)
    key, _ = ops.registreer(parse_aanvraag(data), DAG)
    assert ops.voer_actie_uit(key, DAG)
    return key


def lopende_zaak(n: int) -> str:
    """A toegekende zaak with open timers (herbeoordeling_start 2027-06-30, einde 2027-12-31)."""
    from tasks import zaak as ops
    from tests.factories import toekennen

    key = zaak_in_beoordeling(n)
    z = read(key)
    assert z["status"] == "beoordeling", z
    uitkomst = ops.verwerk_invoer(key, z["wacht_key"], toekennen("b-001"), DAG)
    assert uitkomst == "toegepast"
    z = read(key)
    if z["status"] == "tweede_beoordeling":
        ops.verwerk_invoer(
            key, z["wacht_key"], {"uitkomst": "toekennen", "beoordelaar": "b-002"}, DAG
        )
    assert read(key)["status"] == "lopend"
    return key


def zaak_in_herstel(n: int) -> str:
    """A zaak that is not ontvankelijk: it waits for the provider's correction, with a
    herstel timer (the aanvraag is returned unless corrected in time)."""
    data = {"vragenlijst": dict(EXAMPLE["vragenlijst"], inzet="")}
    key = zaak_in_beoordeling(n, **data)
    assert read(key)["status"] == "herstel", read(key)
    return key


def read(key: str) -> dict:
    from models.db.store import lees_zaak, session_scope

    with session_scope() as session:
        z = lees_zaak(session=session, key=key)
        return {
            "status": z.status,
            "wacht_key": z.wacht_key,
            "versie": z.versie,
            "aanvraag": z.aanvraag,
        }


# --- actors (run in their own process) ------------------------------------------------


def _point_at(url: str) -> None:
    os.environ["MEERZORG_DATABASE_URL"] = url
    os.environ["MEERZORG_DELIVERY_BACKOFF_SECONDS"] = "0"
    RETRIED.clear()


def sweep_actor(url: str, peildatum: dt.date, barrier) -> dict:
    """What one deadline sweep does against the database: fire the due rows, deliver."""
    _point_at(url)
    from tasks import zaak as ops
    from tasks.notify import deliver_pending

    ids = ops.due_deadlines(peildatum)
    barrier.wait(120)
    fired = [r for i in ids if (r := retrying(ops.vuur_deadline, i, peildatum)) is not None]
    delivered = retrying(deliver_pending)
    return {"ids": ids, "fired": [z for z, _ in fired], "delivered": delivered, "retried": RETRIED}


def invoer_actor(
    url: str, zaak: str, wacht_key: str, invoer: dict, peildatum: dt.date, barrier
) -> dict:
    """One assessor's (or provider's) form input, applied as the lifecycle's task does."""
    _point_at(url)
    from tasks import zaak as ops

    barrier.wait(120)
    return {
        "uitkomst": retrying(ops.verwerk_invoer, zaak, wacht_key, invoer, peildatum),
        "retried": RETRIED,
    }


def deliver_actor(url: str, barrier) -> dict:
    _point_at(url)
    from tasks.notify import deliver_pending

    barrier.wait(120)
    return {"delivered": retrying(deliver_pending), "retried": RETRIED}


def retrying(fn, *args, attempts: int = 4):
    """The flows wrap these functions in Prefect tasks with retries; a database may abort
    one side of a race (deadlock detected, SQLite busy): the retry must then be harmless."""
    import time

    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            return fn(*args)
        except OperationalError as exc:
            if attempt == attempts - 1:
                raise
            RETRIED.append(type(exc.orig).__name__ if exc.orig else str(exc))
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


RETRIED: list[str] = []


def _guarded(fn, args):
    """Run an actor; an exception comes back as data (some, like httpx's, do not pickle)."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which asserts on it
        return {"error": f"{type(exc).__name__}: {exc}"}


def _warm_up(barrier) -> int:
    """Import what the actors use, so a race is not decided by who finished importing."""
    import tasks.notify  # noqa: F401
    import tasks.runs  # noqa: F401
    import tasks.zaak  # noqa: F401

    barrier.wait(600)
    return os.getpid()


class Actors:
    """Two spawned processes kept for the whole session (starting Python and importing
    the project costs seconds, many more on a busy machine); each call runs jobs in them
    together behind a barrier."""

    def __init__(self, ctx, size: int = 2):
        self.size = size
        self.manager = ctx.Manager()
        self.pool = ctx.Pool(size)
        pids = self.run([(_warm_up,)] * size, timeout=600)
        assert len(set(pids)) == size, pids  # one job per process: both are ready

    def run(self, jobs: list[tuple], timeout: float = 300) -> list:
        """Run `(fn, *args)` jobs at once; each gets the shared barrier as last argument."""
        assert len(jobs) <= self.size
        barrier = self.manager.Barrier(len(jobs))
        pending = [self.pool.apply_async(_guarded, (fn, (*args, barrier))) for fn, *args in jobs]
        results = [p.get(timeout) for p in pending]
        errors = [r for r in results if isinstance(r, dict) and "error" in r]
        assert not errors, errors
        return results

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
        self.manager.shutdown()


# --- against the real Prefect server ---------------------------------------------------


def submit(data: dict, peildatum: dt.date = DAG) -> tuple[str, str]:
    """`meerzorg indienen`: register the zaak and start its lifecycle run."""
    from deployments import operations as ops

    result = ops.indienen(json.dumps(data), peildatum)
    return result["zaak"], result["flow_run_id"]


def resume_actor(run_id: str, form: dict, barrier) -> bool:
    """One assessor pressing Resume on the run (the API call the UI and the CLI make)."""
    from tasks import runs

    barrier.wait(120)
    return runs.resume(run_id, form)


def task_runs(run_id: str, name: str) -> int:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        found = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(run_id)])), limit=200
        )
    return sum(1 for t in found if t.name.startswith(name))


def transitions(zaak: str) -> list[str]:
    from sqlmodel import select

    from models.db.store import session_scope
    from models.db.tables import AuditEvent

    with session_scope() as session:
        return [
            e.actie
            for e in session.exec(
                select(AuditEvent)
                .where(AuditEvent.zaak == zaak, AuditEvent.actie != "zaak_gelezen")
                .order_by(AuditEvent.id)
            )
        ]
