"""The yearly meerzorgdialoog: one long-running run per provider-year, and the yearly planner.

`meerzorgdialoog` is the dialoog as a case kind of the one driver (flows/driver.py), like
the lifecycle: its action is the invitation, its waits the meerzorgplan and the verslag
(models/dialoog_proces.py: DIALOOG). Its timers (reminder, escalation) are rows the deadline sweep
fires; the sweep also plans providers that come in after the yearly planning and restarts
lost runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prefect import flow, get_run_logger
from prefect.runtime import flow_run as current_run

from flows.driver import drive
from models.dates import vandaag
from models.dialoog import dialoog_key
from models.dialoog_proces import DIALOOG
from models.engine import Beeld, Soort
from tasks import dialoog as dialoog_ops
from tasks.taken import dialoog_invoer_task, plan_jaar_task, start_dialoog_task, uitnodigen_task


@dataclass(frozen=True)
class DialoogRun:
    agb: str
    jaar: int
    actie_punt: str = "na-uitnodiging"
    soort: Soort = DIALOOG

    @property
    def key(self) -> str:
        return dialoog_key(self.agb, self.jaar)

    @property
    def artifact_key(self) -> str:
        return self.key

    @property
    def artifact_titel(self) -> str:
        return f"Meerzorgdialoog {self.key}"

    def beeld(self, peildatum: dt.date) -> Beeld:
        return dialoog_ops.beeld(self.agb, self.jaar)

    def actie(self, peildatum: dt.date) -> bool:
        return uitnodigen_task(self.agb, self.jaar, peildatum)

    def verwerk(self, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
        return dialoog_invoer_task(self.agb, self.jaar, wacht_key, invoer, peildatum)

    def na_invoer(self, status: str, uitkomst: str) -> None:
        return None


@flow(name="meerzorgdialoog", persist_result=True, log_prints=False)
def meerzorgdialoog(agb: str, jaar: int, peildatum: dt.date | None = None) -> str:
    """De jaarlijkse meerzorgdialoog van een zorgaanbieder, van uitnodiging tot afspraken."""
    run_id = str(current_run.id)
    dialoog_ops.koppel_flow_run(agb, jaar, run_id)
    return drive(DialoogRun(agb, jaar), run_id, peildatum)


@flow(name="plan-dialogen", log_prints=False)
def plan_dialogen(jaar: int | None = None, peildatum: dt.date | None = None) -> dict:
    """Plant de meerzorgdialogen van een jaar (standaard volgend jaar) voor elke zorgaanbieder
    met actieve meerzorg en start hun runs. Twee keer draaien verandert niets."""
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    jaar = jaar or peildatum.year + 1
    if jaar not in (peildatum.year, peildatum.year + 1):
        raise ValueError(f"jaar {jaar}: plan this year's or next year's dialogen, not another")
    resultaat = plan_jaar_task(jaar, peildatum)
    gestart = [start_dialoog_task(agb, jaar, peildatum) for agb in resultaat["zonder_run"]]
    log.info(
        "dialogen %s: %s gepland, %s herpland, %s vervallen, %s runs gestart",
        jaar,
        len(resultaat["gepland"]),
        len(resultaat["herpland"]),
        len(resultaat["vervallen"]),
        len(gestart),
    )
    return {**resultaat, "peildatum": peildatum.isoformat(), "gestart": len(gestart)}
