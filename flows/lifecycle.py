"""One long-running flow run per aanvraag, from aanvraag to the end of its beschikking: the
zaak as a case kind of the one driver (flows/driver.py). Reading the zaak, its action (the
toets), its input handler and its forms are here; the loop and its protections there.

Every resume is a new process that imports this module: the database, the rules, the card
and the forms are imported where a step uses them (every step reads the zaak), the toets,
the registration and the follow-up zaak only when they run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prefect import flow
from prefect.runtime import flow_run as current_run

from flows.driver import drive
from models.aanvraag import Aanvraag
from models.dates import vandaag
from models.proces import ZAAK

if TYPE_CHECKING:
    from models.engine import Beeld, Soort


@dataclass(frozen=True)
class ZaakGeval:
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
        from flows.inputs import initial_data
        from models.db.kaart import zaakkaart
        from models.db.store import lees_zaak, session_scope
        from models.engine import Beeld
        from tasks import runs
        from tasks.opvolging import cce_tag

        with session_scope() as session:
            z = lees_zaak(session=session, key=self.key)
            if z is None:
                raise ValueError(f"zaak {self.key} does not exist")
            return Beeld(
                key=z.key,
                status=z.status,
                stap=ZAAK.volgende_stap(z.status, z.stap),
                wacht_key=z.wacht_key,
                tags=tuple(runs.run_tags(z, cce_tag(session, z, peildatum))),
                kaart=zaakkaart(session, z),
                initieel=initial_data(z.status, z.toets, z.laatste_fout),
            )

    def actie(self, peildatum: dt.date) -> bool:
        from tasks.taken import toets_task

        return toets_task(self.key, peildatum)

    def verwerk(self, wacht_key: str, invoer: dict, peildatum: dt.date) -> str:
        from tasks.taken import zaak_invoer_task

        return zaak_invoer_task(self.key, wacht_key, invoer, peildatum)

    def na_invoer(self, status: str, uitkomst: str) -> None:
        from models.engine import Antwoord
        from models.proces import ZaakStatus

        if uitkomst == Antwoord.TOEGEPAST and status == ZaakStatus.HERBEOORDELING:
            from tasks.taken import vervolg_task

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
        from tasks.taken import registreer_task

        zaak = registreer_task(aanvraag, peildatum or vandaag(), run_id)
        scrub = True  # the Run form's parameters hold the BSN: keep only the zaak key
    else:
        from tasks.zaak import koppel_flow_run

        koppel_flow_run(zaak, run_id)
    return drive(ZaakGeval(zaak), run_id, peildatum, scrub=scrub)
