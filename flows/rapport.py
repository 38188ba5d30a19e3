"""The yearly report as a deployment: the same tables and charts as `meerzorg rapport`,
published as Prefect artifacts (Markdown with the charts inline, and tables)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from models.dates import vandaag
from tasks import analyse
from tasks.rapport_uitvoer import markdown, schrijf_rapport


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@flow(name="meerzorg-rapport", log_prints=False)
def rapport(
    jaar: int | None = None, peildatum: dt.date | None = None, uitvoer: str | None = None
) -> dict:
    """Aanvragen, besluiten (ook thuis), doorlooptijd, CCE, aflopende beschikkingen en
    spiegelinformatie van een jaar (standaard: dit jaar).

    Args:
        jaar: het jaar van het rapport (leeg: het jaar van de peildatum)
        peildatum: aflopende beschikkingen en CCE tot deze datum (leeg: vandaag)
        uitvoer: map op de worker voor CSV, SVG, PNG en Markdown (leeg: alleen artifacts)
    """
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    jaar = jaar or peildatum.year
    r = analyse.rapport_gegevens(jaar, peildatum)
    paden = schrijf_rapport(r, Path(uitvoer)) if uitvoer else []
    sleutel = f"meerzorg-rapport-{jaar}"
    create_markdown_artifact(
        key=sleutel,
        markdown=markdown(r, {naam: _data_uri(svg) for naam, svg in r.grafieken.items()}),
        description=f"Meerzorg {jaar} (peildatum {peildatum.isoformat()})",
    )
    for naam, rijen in r.tabellen().items():
        if rijen:
            create_table_artifact(
                key=f"{sleutel}-{naam.replace('_', '-')}",
                table=rijen,
                description=f"Meerzorg {jaar}: {naam.replace('_', ' ')}",
            )
    uit = analyse.rapport_json(r, paden)
    log.info(
        "rapport %s: %s aanvragen, %s toekenningen", jaar, uit["aanvragen"], uit["toekenningen"]
    )
    return uit
