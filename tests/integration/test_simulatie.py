"""A simulation over whole terms (issue 11): zaken of every kind are granted, then the
peildatum moves day by day through the sweep's own code (tasks/sweep.py), in-process,
without Prefect. Every timer that fires is checked against `meerzorg plan`: kind and day,
nothing missing, nothing extra."""

from __future__ import annotations

import copy
import datetime as dt

from sqlmodel import select

from models.aanvraag import Beschikking as BeschikkingModel
from models.aanvraag import parse_aanvraag
from models.db.store import session_scope
from models.db.tables import Beschikking, Deadline, Zaak
from models.planner import CLIENT_TIMERS, HERINNERINGEN, ZAAK_TIMERS, plan_public
from tasks.sweep import vuur_termijnen
from tests.integration.test_opvolging import DAG, GROEP, THUIS, db, individueel, toegekend

__all__ = ["db"]  # the fixture, used by name


def _persoon(data: dict, bsn: str) -> dict:
    """Each zaak its own client: the same person in two of them for the same days is overlap,
    a blocking finding that needs a weighing and four eyes (issue 26 point 2)."""
    data["clienten"][0]["bsn"] = bsn
    data["clienten"][0]["client_id"] = f"SIM-{bsn[-3:]}"
    return data


def _zaken() -> dict[str, str]:
    vg7 = _persoon(
        individueel(gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31"), "999990044"
    )
    vg7["clienten"][0]["vg7_plus"] = True
    groep = copy.deepcopy(GROEP)
    groep["clienten"][1]["indicatie_einddatum"] = "2028-03-31"  # ends before the group
    thuis = copy.deepcopy(THUIS)
    thuis["soort"] = "nieuw"
    thuis.pop("evaluatie_vorige_periode", None)
    return {
        "individueel": toegekend("SIM-1", _persoon(individueel(), "999990068")),
        "groep": toegekend("SIM-2", groep),
        "vg7-plus": toegekend("SIM-3", vg7),
        "thuis": toegekend("SIM-4", thuis),
        "preventief": toegekend(
            "SIM-5",
            _persoon(
                individueel(
                    soort="preventief", gevraagde_start="2027-01-01", gevraagde_eind="2027-06-30"
                ),
                "999990056",
            ),
        ),
    }


def _plan(key: str) -> set[tuple[str, str, str | None]]:
    """What `meerzorg plan` says for the zaak's beschikkingen, up to the day it ends."""
    with session_scope() as session:
        zaak = session.exec(select(Zaak).where(Zaak.key == key)).one()
        rows = session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()
        aanvraag = parse_aanvraag(zaak.aanvraag).model_dump()
        besluit = rows[0].besluitdatum
        out = set()
        for b in rows:
            eigen = BeschikkingModel(
                **aanvraag, start=b.start, eind=b.eind, client_id=b.client_id, besluitdatum=besluit
            )
            for v in plan_public(eigen, besluit):
                if v["soort"] in CLIENT_TIMERS and not (
                    v["soort"] in HERINNERINGEN and v["status"] == "verstreken"
                ):
                    out.add((v["soort"], v["vuurt_op"], v.get("client_id")))
        groep = BeschikkingModel(
            **aanvraag, start=rows[0].start, eind=max(b.eind for b in rows), besluitdatum=besluit
        )
        out |= {
            (v["soort"], v["vuurt_op"], None)
            for v in plan_public(groep, besluit)
            if v["soort"] in ZAAK_TIMERS
        }
    einde = max(t[1] for t in out if t[0] == "einde_beschikking")
    # The zaak closes on the day its beschikking ends: later obligations move to a verlenging.
    return {t for t in out if t[1] <= einde}


def _gevuurd(key: str) -> set[tuple[str, str, str | None]]:
    with session_scope() as session:
        rows = session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.gevuurd_op.is_not(None))
        ).all()
    soorten = CLIENT_TIMERS + ZAAK_TIMERS
    return {(d.soort, d.gevuurd_op.isoformat(), d.client_id) for d in rows if d.soort in soorten}


def test_day_by_day_every_timer_fires_on_the_day_the_plan_says_and_no_other(db):
    zaken = _zaken()
    verwacht = {soort: _plan(key) for soort, key in zaken.items()}
    laatste = max(dt.date.fromisoformat(t[1]) for plan in verwacht.values() for t in plan)
    dag = DAG
    while dag <= laatste + dt.timedelta(days=3):
        vuur_termijnen(dag)
        dag += dt.timedelta(days=1)
    for soort, key in zaken.items():
        assert _gevuurd(key) == verwacht[soort], soort
    with session_scope() as session:
        statussen = {
            k: session.exec(select(Zaak.status).where(Zaak.key == v)).one()
            for k, v in zaken.items()
        }
    assert set(statussen.values()) == {"beeindigd"}, statussen
