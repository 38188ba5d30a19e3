"""Reading the werkvoorraad from the case database, and links into the dashboard. No
Prefect import, so `meerzorg werkvoorraad` starts fast; the flow publishes the same rows."""

from __future__ import annotations

import datetime as dt
import os

from models.aanvrager import aanbieder_label
from models.bijstelling import werkvoorraad_feit
from models.db.dwangsom_store import per_zaak as dwangsom_per_zaak
from models.db.store import session_scope
from models.db.werkvoorraad_lezen import open_taken, open_termijnen, wachtende_zaken
from models.overgang import BESCHIKKING_ACTIEF
from models.werkvoorraad import CceStatus, OpenTermijn, Rij, WachtendeZaak, werkvoorraad
from tasks.opvolging import cce_per_zaak


def ui_base_url() -> str:
    """The dashboard's base URL: PREFECT_UI_URL, else the API URL without its /api."""
    url = os.environ.get("PREFECT_UI_URL")
    if not url:
        api = os.environ.get("PREFECT_API_URL")
        if not api:
            # lazy: `meerzorg werkvoorraad` imports this module; Prefect costs ~1.5 s CPU
            from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL

            url = PREFECT_UI_URL.value()
            api = None if url else PREFECT_API_URL.value()
        if api:
            url = api.rstrip("/").removesuffix("/api")
    return (url or "").rstrip("/")


def run_url(flow_run_id: str, base: str | None = None) -> str:
    return f"{base if base is not None else ui_base_url()}/runs/flow-run/{flow_run_id}"


def lees(peildatum: dt.date, rol: str | None = None) -> list[Rij]:
    """The waiting zaken with their open timers and their clients' CCE status, and the open
    contact tasks (N 2025; also of a closed zaak), as the role's rows (models/werkvoorraad.py)."""
    with session_scope() as session:
        taken = open_taken(session=session)
        met_taak = {d.zaak for d in taken}
        gelezen = wachtende_zaken(session=session, met_taak=met_taak)
        lopend = [z for z in gelezen if z.status in BESCHIKKING_ACTIEF]
        cce_van = cce_per_zaak(session, lopend, peildatum)
        # Awb 4:17: the ingebrekestellingen of the waiting zaken (one query).
        ingebreke = dwangsom_per_zaak(session=session, zaken=[z.key for z in gelezen])
        zaken = [
            WachtendeZaak(
                key=z.key,
                status=z.status,
                wacht_op=z.wacht_op,
                ingediend_op=z.ingediend_op,
                wacht_sinds=z.wacht_sinds,
                wacht_key=z.wacht_key,
                agb=aanbieder_label(z.agb),  # "pgb zonder aanbieder": the budgethouder's
                leveringsvorm=z.leveringsvorm,
                flow_run_id=z.flow_run_id,
                beleidsversie=z.beleidsversie,
                laatste_fout=z.laatste_fout,
                cce=tuple(
                    CceStatus(
                        client_id=c["client_id"],
                        status=c["status"],
                        uiterlijk=dt.date.fromisoformat(c["uiterlijk"]),
                    )
                    for c in cce_van.get(z.key, [])
                ),
                opgeschort_dagen=z.opgeschort_dagen or 0,
                verlengd_dagen=z.verlengd_dagen or 0,
                ingebrekestelling=ingebreke.get(z.key),
                feit=werkvoorraad_feit(z.status, z.bijstelling),
            )
            for z in gelezen
        ]
        termijnen = [
            OpenTermijn(zaak=d.zaak, soort=d.soort, datum=d.datum, client_id=d.client_id)
            for d in open_termijnen(session=session)
        ] + [
            OpenTermijn(zaak=d.zaak, soort=d.soort, datum=d.datum, client_id=d.client_id)
            for d in taken
        ]
    return werkvoorraad(zaken, termijnen, peildatum, rol=rol)
