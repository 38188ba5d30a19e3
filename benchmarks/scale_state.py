"""Building the state of a large zorgkantoor fast, for benchmarks/bench_scale.py.

App side (`bouw_app`): N open zaken as history lines (models/historie.py) imported by the
service's own bulk import (tasks/historie_import.importeer: 1,000 zaken per transaction, the
same transitions the live lifecycle applies, written per table with one executemany each),
and the dialogen by the engine's functions (tasks/dialoog.maak_dialoog + the invitation's
pas_toe), 100 per transaction.

Prefect side (`bouw_prefect`): for every open case the run a real suspend leaves behind,
written through the API: the flow run created from its deployment in batches of 100
(POST /deployments/{id}/create_flow_run/bulk) with the Paused state `suspend_flow_run` would
have proposed (name Suspended, pause_key = the case's wacht_key, pause_reschedule, the 10-year
timeout, the run-input keyset) and the key in `empirical_policy.pause_keys` (the server adds it
when a run suspends itself); then the form's schema and description (the card) as the run's
inputs, exactly what `RunInput.save` writes, and the card as the run's markdown artifact.
The form, the card and the tags come from the flows' own code (flows/lifecycle.ZaakRun.beeld,
flows/dialoog.DialoogRun.beeld: the same Beeld the driver builds), read many per session."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from models.aanvraag import elfproef

PROFIELEN = {"verblijf": "VG7", "vpt": "LG6", "mpt": "VV7", "pgb": "VG5"}
NORM = {"VG7": 26.0, "LG6": 20.0, "VV7": 22.0, "VG5": 18.0}
CHECK = {
    k: True
    for k in (
        "indicatie_passend",
        "beeldvorming_helder",
        "handelingsverlegenheid",
        "basiszorg_op_orde",
        "driehoek_betrokken",
        "client_betrokken",
        "cce_consultatie_overwogen",
    )
}


def agb(i: int) -> str:
    return f"7374{i:04d}"


def _bsns(n: int) -> Iterable[str]:
    i = 0
    while n:
        b = f"8{i:08d}"
        if elfproef(b):
            n -= 1
            yield b
        i += 1


def regels(n: int, aanbieders: int, peil: dt.date, seed: int = 15) -> list[str]:
    """n history lines whose zaak is open on `peil`: 80% a running toekenning, 5% afgewezen
    within the bezwaartermijn, 5% bijstellen within the herstel termijn, 10% not yet decided
    (the import's toets puts them in beoordeling or herstel). A fifth are groups of two."""
    rnd = random.Random(seed)
    nummers = _bsns(2 * n)
    out = []
    for i in range(n):
        vorm = rnd.choice(list(PROFIELEN))
        groep = vorm in ("verblijf", "vpt") and i % 5 == 0
        clienten = [
            {
                "client_id": f"S{i:06d}-{j}",
                "bsn": next(nummers),
                "zorgprofiel": PROFIELEN[vorm],
                "leveringsvorm": vorm,
                "indicatie_einddatum": "2034-12-31",
                "ontwikkeltrajecten": (
                    [{"bijeenkomst_1": "2025-03-01", "bijeenkomst_2": "2025-06-01"}]
                    if rnd.random() < 0.6
                    else []
                ),
            }
            for j in range(2 if groep else 1)
        ]
        soort = rnd.random()
        if soort < 0.80:  # toekennen, running well past peil
            besluit_op = peil - dt.timedelta(days=rnd.randrange(20, 365))
        elif soort < 0.90:  # afwijzen / bijstellen within the last two weeks
            besluit_op = peil - dt.timedelta(days=rnd.randrange(1, 14))
        else:  # undecided, received in the last five weeks
            besluit_op = None
        ingediend = (besluit_op or peil) - dt.timedelta(days=rnd.randrange(10, 35))
        norm = sum(NORM[c["zorgprofiel"]] for c in clienten)
        data = {
            "soort": "nieuw",
            "vorm": "groep" if groep else "individueel",
            "zorgaanbieder": {"agb": agb(i % aanbieders), "naam": f"Aanbieder {i % aanbieders}"},
            "clienten": clienten,
            "gevraagde_start": (ingediend + dt.timedelta(days=45)).isoformat(),
            "gevraagde_eind": (ingediend + dt.timedelta(days=45 + 720)).isoformat(),
            "uren_per_week": {"begeleiding": round(norm * 1.5, 1)},
            "vragenlijst": {"huidige_situatie": "a", "gewenste_situatie": "b", "inzet": "c"},
            "doelen": ["Afbouw binnen een jaar"],
            "check_vooraf": CHECK,
            "provider_referentie": f"SCALE-{i:06d}",
            "ingediend_op": ingediend.isoformat(),
        }
        if besluit_op is not None and soort < 0.80:
            start = besluit_op + dt.timedelta(days=14)
            # Ends a year or more after peil (so no herbeoordeling is overdue at the start),
            # within the three-year term.
            eind = peil + dt.timedelta(days=rnd.randrange(365, 700))
            data["besluit"] = {
                "uitkomst": "toekennen",
                "datum": besluit_op.isoformat(),
                "start": start.isoformat(),
                "eind": eind.isoformat(),
            }
        elif besluit_op is not None:
            uitkomst = "afwijzen" if soort < 0.85 else "bijstellen"
            data["besluit"] = {
                "uitkomst": uitkomst,
                "datum": besluit_op.isoformat(),
                "onderbouwing": "Historisch besluit.",
            }
        out.append(json.dumps(data))
    return out


def bouw_app(zaken: int, dialogen: int, peil: dt.date, notify: list[str]) -> dict:
    """The app side: `zaken` open zaken (bulk import) and `dialogen` invited dialogen; every
    provider's notifications go to `notify`."""
    from models import dialoog_proces as proces
    from models.beleid import beleid_op
    from models.db.store import registreer_aanbieder, session_scope
    from models.dialoog import planbare_jaren
    from models.historie import valideer_regels
    from tasks import dialoog as dialoog_ops
    from tasks.historie_import import importeer

    aanbieders = max(dialogen, 1)
    geldig, fouten = valideer_regels(regels(zaken, aanbieders, peil), peil)
    if fouten:
        raise RuntimeError(f"generated history invalid: {fouten[:3]}")
    samenvatting = importeer(geldig, peil)
    beleid = beleid_op(peil).dialoog
    jaar = planbare_jaren(peil, beleid)[-1]
    for start in range(0, dialogen, 100):
        with session_scope() as session:
            for i in range(start, min(start + 100, dialogen)):
                registreer_aanbieder(
                    session=session, agb=agb(i), naam=f"Aanbieder {i}", notify=notify
                )
        with session_scope() as session:
            for i in range(start, min(start + 100, dialogen)):
                if dialoog_ops.lees(session, agb(i), jaar) is not None:
                    continue
                d = dialoog_ops.maak_dialoog(session, agb(i), jaar, peil, actor="bench-scale")
                dialoog_ops.pas_toe(
                    session=session,
                    d=d,
                    overgang=proces.uitnodigen(dialoog_ops.stand_van(d), peil, beleid),
                    peildatum=peil,
                    actor="bench-scale",
                )
    return {
        "geimporteerd": samenvatting["geimporteerd"],
        "open": samenvatting["lopend"],
        "per_status": samenvatting["per_status"],
        "dialoog_jaar": jaar,
    }


# --- the Prefect side ----------------------------------------------------------------------


def _suspended_state(wacht_key: str) -> tuple[dict, dict]:
    """The Paused state suspend_flow_run(wait_for_input=…, key=wacht_key) proposes, and its
    run-input keyset."""
    from prefect.input.run_input import keyset_from_paused_state
    from prefect.states import Suspended

    from flows.driver import SUSPEND_TIMEOUT

    state = Suspended(timeout_seconds=SUSPEND_TIMEOUT, pause_key=wacht_key)
    keyset = keyset_from_paused_state(state)
    state.state_details.run_input_keyset = keyset
    create = {
        "type": state.type.value,
        "name": state.name,
        "state_details": state.state_details.model_dump(mode="json"),
    }
    return create, keyset


def _run_spec(naam, idem, params, tags, wacht_key, form, kaart, artifact_key, titel) -> dict:
    from prefect._internal.pydantic.v2_schema import create_v2_schema

    _, keyset = _suspended_state(wacht_key)
    schema = create_v2_schema(form.__name__, model_base=form)
    return {
        # Created Running (the run's start time and run count set as when a worker starts
        # it), then suspended through the server's orchestration (bouw_prefect).
        "create": {
            "name": naam,
            "parameters": params,
            "tags": tags,
            "idempotency_key": idem,
            "state": {"type": "RUNNING", "name": "Running"},
        },
        "wacht_key": wacht_key,
        "inputs": [
            (keyset["schema"], json.dumps(schema)),
            (keyset["description"], json.dumps(form._description)),
        ],
        "artifact": {"key": artifact_key, "type": "markdown", "data": kaart, "description": titel},
    }


def zaak_specs(peil: dt.date) -> list[tuple[str, dict]]:
    """(zaak key, run spec) of every open zaak without a run, from the lifecycle's own Beeld."""
    from sqlmodel import select

    from flows.driver import run_input
    from models.db.kaart import zaakkaart
    from models.db.store import session_scope
    from models.db.tables import Zaak
    from models.formulieren_kaart import initial_data
    from models.overgang import GESLOTEN
    from models.proces import ZAAK
    from tasks import zaak as zaak_ops
    from tasks.opvolging import cce_tag

    out = []
    with session_scope() as session:
        keys = session.exec(
            select(Zaak.key).where(
                Zaak.status.notin_(tuple(GESLOTEN)),
                Zaak.flow_run_id.is_(None),
                Zaak.wacht_key.is_not(None),
            )
        ).all()

    def chunk(deel: list[str]) -> list[tuple[str, dict]]:
        uit = []
        with session_scope() as session:
            for z in session.exec(select(Zaak).where(Zaak.key.in_(deel))):
                kaart = zaakkaart(session, z)
                form = run_input(ZAAK.wacht(z.status).formulier).with_initial_data(
                    description=kaart, **initial_data(z.status, z.toets, z.laatste_fout)
                )
                uit.append(
                    (
                        z.key,
                        _run_spec(
                            z.key,
                            f"{z.key}-lifecycle",
                            {"zaak": z.key},
                            zaak_ops.run_tags(z, cce_tag(session, z, peil)),
                            z.wacht_key,
                            form,
                            kaart,
                            f"zaak-{z.key.lower()}",
                            f"Zaakkaart {z.key}",
                        ),
                    )
                )
        return uit

    # Threads: most of a card is waiting for the database (eight small queries).
    with ThreadPoolExecutor(4) as pool:
        for deel in pool.map(chunk, [keys[i : i + 250] for i in range(0, len(keys), 250)]):
            out += deel
    return out


def dialoog_specs() -> list[tuple[str, dict]]:
    from sqlmodel import select

    from flows.driver import run_input
    from models.db.store import session_scope
    from models.db.tables_dialoog import Dialoog
    from models.dialoog import GESLOTEN, dialoog_key
    from models.dialoog_proces import DIALOOG
    from tasks import dialoog as dialoog_ops

    with session_scope() as session:
        rows = session.exec(
            select(Dialoog.agb, Dialoog.jaar).where(
                Dialoog.status.notin_(tuple(GESLOTEN)),
                Dialoog.flow_run_id.is_(None),
                Dialoog.wacht_key.is_not(None),
            )
        ).all()
    out = []
    for agb_, jaar in rows:
        b = dialoog_ops.beeld(agb_, jaar)
        key = dialoog_key(agb_, jaar)
        form = run_input(DIALOOG.wacht(b.status).formulier).with_initial_data(
            description=b.kaart, **b.initieel
        )
        out.append(
            (
                key,
                _run_spec(
                    key,
                    key,
                    {"agb": agb_, "jaar": jaar, "peildatum": None},
                    list(b.tags),
                    b.wacht_key,
                    form,
                    b.kaart,
                    key,
                    f"Meerzorgdialoog {key}",
                ),
            )
        )
    return out


async def _maak_runs(api_url, headers, deployment_id, specs, gelijktijdig: int) -> dict[str, str]:
    """Create the runs (100 per request), then their inputs and artifacts concurrently."""
    import httpx

    ids: dict[str, str] = {}
    sem = asyncio.Semaphore(gelijktijdig)
    async with httpx.AsyncClient(base_url=api_url, headers=headers, timeout=120) as api:

        async def post(url, body):
            async with sem:
                for poging in range(5):
                    r = await api.post(url, json=body)
                    if r.status_code < 300:
                        return r.json()
                    if r.status_code not in (429, 500, 502, 503) or poging == 4:
                        raise RuntimeError(f"POST {url}: {r.status_code} {r.text[:300]}")
                    await asyncio.sleep(1 + poging)

        async def batch(deel):
            antwoord = await post(
                f"/deployments/{deployment_id}/create_flow_run/bulk", [s["create"] for _, s in deel]
            )
            for (key, _), res in zip(deel, antwoord["results"], strict=True):
                if res["status"] != "CREATED":
                    raise RuntimeError(f"run of {key} not created: {res}")
                ids[key] = res["flow_run_id"]

        await asyncio.gather(*(batch(specs[i : i + 50]) for i in range(0, len(specs), 50)))

        # Running -> Suspended through the server's orchestration (HandlePausingFlows adds
        # the key to the run's pause_keys and checks the deployment), 50 runs per request
        # (Prefect's bulk limit), one request per pause key and 50 runs.
        per_key: dict[str, list[str]] = {}
        for key, spec in specs:
            per_key.setdefault(spec["wacht_key"], []).append(ids[key])
        geweigerd = []

        async def suspend(wacht_key, run_ids):
            state, _ = _suspended_state(wacht_key)
            antwoord = await post(
                "/flow_runs/bulk_set_state",
                {"flow_runs": {"id": {"any_": run_ids}}, "state": state, "limit": 50},
            )
            for r in antwoord["results"]:
                if r["status"] != "ACCEPT":
                    # A retried request finds the run suspended already: that counts.
                    run = (await api.get(f"/flow_runs/{r['flow_run_id']}")).json()
                    details = (run.get("state") or {}).get("state_details") or {}
                    if details.get("pause_key") != wacht_key:
                        geweigerd.append(r)
            if len(antwoord["results"]) != len(run_ids):
                raise RuntimeError(f"bulk_set_state: {len(antwoord['results'])}/{len(run_ids)}")

        await asyncio.gather(
            *(
                suspend(k, rs[i : i + 50])
                for k, rs in per_key.items()
                for i in range(0, len(rs), 50)
            )
        )
        if geweigerd:
            raise RuntimeError(f"{len(geweigerd)} runs not suspended, e.g. {geweigerd[0]}")

        async def extra(key, spec):
            run_id = ids[key]
            for k, v in spec["inputs"]:
                await post(f"/flow_runs/{run_id}/input", {"key": k, "value": v})
            await post("/artifacts/", {**spec["artifact"], "flow_run_id": run_id})

        await asyncio.gather(*(extra(k, s) for k, s in specs))
    return ids


def koppel(ids_zaak: dict[str, str], ids_dialoog: dict[str, str]) -> None:
    """Bind every case to its run (what koppel_flow_run does when the run starts), in bulk."""
    from sqlalchemy import bindparam, update

    from models.db.store import session_scope
    from models.db.tables import Zaak
    from models.db.tables_dialoog import Dialoog

    with session_scope() as session:
        if ids_zaak:
            session.connection().execute(
                update(Zaak.__table__)
                .where(Zaak.__table__.c.key == bindparam("k"))
                .values(flow_run_id=bindparam("r")),
                [{"k": k, "r": r} for k, r in ids_zaak.items()],
            )
        for key, run_id in ids_dialoog.items():
            _, agb_, jaar = key.rsplit("-", 2)
            session.connection().execute(
                update(Dialoog.__table__)
                .where(Dialoog.__table__.c.agb == agb_, Dialoog.__table__.c.jaar == int(jaar))
                .values(flow_run_id=run_id)
            )


def bouw_prefect(api_url: str, headers: dict, peil: dt.date, gelijktijdig: int = 8) -> dict:
    """Every open zaak and dialoog without a run gets its suspended run; returns counts and
    the time per part."""
    import time

    import httpx

    t0 = time.perf_counter()
    zspecs = zaak_specs(peil)
    dspecs = dialoog_specs()
    t1 = time.perf_counter()
    with httpx.Client(base_url=api_url, headers=headers, timeout=30) as api:
        dep = {
            naam: api.get(f"/deployments/name/{naam}").raise_for_status().json()["id"]
            for naam in ("meerzorg-lifecycle/lifecycle", "meerzorgdialoog/meerzorgdialoog")
        }
    zids = asyncio.run(
        _maak_runs(api_url, headers, dep["meerzorg-lifecycle/lifecycle"], zspecs, gelijktijdig)
    )
    dids = asyncio.run(
        _maak_runs(api_url, headers, dep["meerzorgdialoog/meerzorgdialoog"], dspecs, gelijktijdig)
    )
    t2 = time.perf_counter()
    koppel(zids, dids)
    t3 = time.perf_counter()
    return {
        "zaak_runs": len(zids),
        "dialoog_runs": len(dids),
        "formulieren_en_kaarten_s": round(t1 - t0, 1),
        "api_s": round(t2 - t1, 1),
        "api_calls_ongeveer": (len(zspecs) + len(dspecs)) * (3 + 1 / 50 + 1 / 100),
        "koppelen_s": round(t3 - t2, 1),
        "zaak_ids": zids,
        "dialoog_ids": dids,
    }
