"""One long-running flow run per aanvraag, from aanvraag to the end of its beschikking: the
zaak as a case kind of the one driver (flows/driver.py). This module only orchestrates: the
zaak is read by tasks/zaak.beeld, its action (the toets) and answers are the one case
service's (tasks/geval.py) as Prefect tasks; the loop and its protections are the driver's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prefect import flow
from prefect.runtime import flow_run as current_run

from flows.driver import drive
from models.aanvraag import Aanvraag
from models.dates import vandaag
from models.engine import Antwoord, Beeld, Soort
from models.proces import ZAAK, ZaakStatus
from tasks import zaak as zaak_ops
from tasks.taken import registreer_task, toets_task, vervolg_task, zaak_invoer_task


@dataclass(frozen=True)
class ZaakRun:
    key: str
    actie_punt: str = "na-toets"
    soort: Soort = ZAAK

    @property
    def artifact_key(self) -> str:
        return f"zaak-{self.key.lower()}"

    @property
    def artifact_titel(self) -> str:
        return f"Zaakkaart {self.key}"

    def beeld(self, peildatum: dt.date) -> Beeld:
        return zaak_ops.beeld(self.key, peildatum)

    def actie(self, peildatum: dt.date) -> bool:
        return toets_task(self.key, peildatum)

    def verwerk(self, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
        return zaak_invoer_task(self.key, wacht_key, invoer, peildatum)

    def na_invoer(self, status: str, uitkomst: str) -> None:
        if uitkomst == Antwoord.TOEGEPAST and status == ZaakStatus.HERBEOORDELING:
            vervolg_task()  # a verlenging registered a new zaak: start its lifecycle


@flow(name="meerzorg-lifecycle", persist_result=True, log_prints=False)
def lifecycle(
    zaak: str | None = None, aanvraag: Aanvraag | None = None, peildatum: dt.date | None = None
) -> str:
    """Meerzorg lifecycle of one zaak, from aanvraag to the end of its beschikking."""
    run_id = str(current_run.id)
    scrub = False
    if zaak is None:
        if aanvraag is None:
            raise ValueError("start the lifecycle with a zaak key or an aanvraag")
        zaak = registreer_task(aanvraag, peildatum or vandaag(), run_id)
        scrub = True  # the Run form's parameters hold the BSN: keep only the zaak key
    else:
        zaak_ops.koppel_flow_run(zaak, run_id)
    return drive(ZaakRun(zaak), run_id, peildatum, scrub=scrub)
