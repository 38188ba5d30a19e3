"""The one flow of every simple case kind (models/eenvoudige_soort.py): a run per case, on
the one driver (flows/driver.py), from the kind's declaration alone. Its parameters are the
kind's name and the case's key, nothing else: Prefect carries keys only. A kind runs on the
shared deployment `geval` of prefect.yaml, or on its own entry pointing at this flow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prefect import flow
from prefect.runtime import flow_run as current_run

from flows.driver import drive
from models.engine import Beeld, Soort
from tasks import eenvoudig
from tasks.taken import geval_actie_task, geval_invoer_task


@dataclass(frozen=True)
class EenvoudigRun:
    naam: str
    key: str
    actie_punt: str = "na-actie"

    @property
    def soort(self) -> Soort:
        return eenvoudig.kind(self.naam).soort

    @property
    def artifact_key(self) -> str:
        return self.key

    @property
    def artifact_titel(self) -> str:
        return f"{self.naam} {self.key}"

    def beeld(self, peildatum: dt.date) -> Beeld:
        return eenvoudig.beeld(self.naam, self.key)

    def actie(self, peildatum: dt.date) -> bool:
        return geval_actie_task(self.naam, self.key, peildatum)

    def verwerk(self, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
        return geval_invoer_task(self.naam, self.key, wacht_key, invoer, peildatum)

    def na_invoer(self, status: str, uitkomst: str) -> None:
        return None


@flow(name="meerzorg-geval", persist_result=True, log_prints=False)
def geval(soort: str, key: str, peildatum: dt.date | None = None) -> str:
    """Een geval van een eenvoudige soort, van begin tot afsluiting."""
    run_id = str(current_run.id)
    eenvoudig.koppel_flow_run(soort, key, run_id)
    return drive(EenvoudigRun(soort, key), run_id, peildatum)
