"""Backfill: obligations and CCE compliance of every beschikking as of each peildatum in
a range, into the snapshot table. Many beschikkingen per task (chunks of beschikking ids),
a few tasks at a time, never one run per zaak (DESIGN.md)."""

from __future__ import annotations

import datetime as dt
import resource
import time
from typing import Annotated, Literal

from prefect import flow, get_run_logger
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.futures import as_completed
from prefect.runtime import flow_run as current_run
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from tasks import snapshots
from tasks.taken import backfill_chunk_task


def artifact_key(key: str) -> str:
    return "backfill-" + key.lower()


def _percentage(klaar: int, totaal: int) -> float:
    return 100.0 if totaal == 0 else round(100.0 * klaar / totaal, 1)


@flow(name="meerzorg-backfill", log_prints=False)
def backfill(
    van: dt.date,
    tot: dt.date,
    stap: Literal["dag", "week", "maand"] = "maand",
    scope: str = "all",
    opnieuw: bool = False,
    gelijktijdig: Annotated[int, Field(ge=1, le=16)] = 2,
    chunk_grootte: Annotated[int, Field(ge=10, le=100_000)] = 1000,
) -> dict:
    """Verplichtingen en CCE-compliance per peildatum van `van` tot en met `tot`.

    Args:
        van: eerste peildatum
        tot: laatste peildatum (inclusief)
        stap: dag, week of maand tussen de peildata
        scope: all, of de AGB-code van een zorgaanbieder
        opnieuw: ook een onderbroken backfill helemaal opnieuw beginnen
        gelijktijdig: aantal chunks tegelijk
        chunk_grootte: beschikkingen per chunk (een taak)
    """
    # Long because the parameters' checks, the chunk loop and the progress artifact read best together.
    log = get_run_logger()
    t0 = time.perf_counter()
    plan = snapshots.bereid_backfill(
        van, tot, stap, scope, chunk_grootte, opnieuw, flow_run_id=str(current_run.id)
    )
    key, totaal = plan["key"], len(plan["chunks"])
    klaar = len(plan["overgeslagen"])
    log.info(
        "backfill %s: %s peildata, %s chunks, %s al klaar%s",
        key,
        len(plan["peildata"]),
        totaal,
        klaar,
        " (hervat)" if plan["hervat"] else "",
    )
    voortgang = create_progress_artifact(
        progress=_percentage(klaar, totaal),
        key=artifact_key(key),
        description=f"Backfill {key}: chunks klaar",
    )
    with ThreadPoolTaskRunner(max_workers=gelijktijdig) as runner:
        futures = [
            runner.submit(
                backfill_chunk_task,
                parameters={
                    "key": key,
                    "chunk": c,
                    "grootte": plan["chunk_grootte"],
                    "data": plan["peildata"],
                    "scope": scope,
                },
            )
            for c in plan["te_doen"]
        ]
        for future in as_completed(futures):
            future.result()
            klaar += 1
            update_progress_artifact(voortgang, progress=_percentage(klaar, totaal))
    samenvatting = snapshots.rond_backfill_af(key, plan["chunks"])
    reeks = samenvatting["per_peildatum"]
    create_table_artifact(
        key=artifact_key(key) + "-reeks",
        table=reeks,
        description=f"Backfill {key}: per peildatum",
    )
    create_markdown_artifact(
        key=artifact_key(key) + "-samenvatting",
        markdown=_markdown(samenvatting, len(plan["overgeslagen"])),
        description=f"Backfill {key}",
    )
    resultaat = samenvatting | {
        "overgeslagen": len(plan["overgeslagen"]),
        "duur_s": round(time.perf_counter() - t0, 2),
        # ru_maxrss is in KiB on Linux: the peak of this flow-run process.
        "geheugen_piek_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    resultaat.pop("per_peildatum")
    log.info("backfill %s klaar: %s snapshots", key, samenvatting["snapshots"])
    return resultaat


def _markdown(s: dict, overgeslagen: int) -> str:
    regels = [
        f"# Backfill {s['backfill']}",
        "",
        f"Peildata {s['van']} t/m {s['tot']} per {s['stap']}, scope {s['scope']}: "
        f"{s['snapshots']} snapshots in {s['chunks']} chunks ({overgeslagen} overgeslagen, al klaar).",
        "",
        "CCE per client: ok, risico (herinneringstermijn begonnen), overtreding (venster van "
        "3 jaar verstreken zonder afgerond ontwikkeltraject).",
        "",
        "| peildatum | beschikkingen | thuis | verplichtingen 90 dagen | clienten | CCE ok "
        "| risico | overtreding |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in s["per_peildatum"]:
        regels.append(
            f"| {r['peildatum']} | {r['beschikkingen']} | {r['thuis']} | {r['verplichtingen_90d']} "
            f"| {r['clienten']} | {r['ok']} | {r['risico']} | {r['overtreding']} |"
        )
    return "\n".join(regels) + "\n"
