"""What-if: a draft policy (TOML text whose `basis` is an existing version) over the
current caseload; the zaken with a different toets outcome, amount or deadline, as a diff
table artifact and the run's result."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from models.beleid import laad_beleid_bestand
from models.dates import vandaag
from tasks import analyse


def laad_concept(beleid_toml: str):
    with tempfile.TemporaryDirectory() as tmp:
        pad = Path(tmp) / "concept.toml"
        pad.write_text(beleid_toml, encoding="utf-8")
        return laad_beleid_bestand(pad)


@flow(name="meerzorg-whatif", log_prints=False)
def whatif(
    beleid_toml: str,
    peildatum: dt.date | None = None,
) -> dict:
    """Wat verandert er voor de lopende zaken onder een conceptbeleid?

    Args:
        beleid_toml: conceptbeleid (TOML) met `versie`, `basis` (een bestaande versie) en wat
            er verandert, zoals examples/beleid-concept.toml
        peildatum: datum waarop toets en termijnen berekend worden (leeg: vandaag)
    """
    log = get_run_logger()
    peildatum = peildatum or vandaag()
    concept = laad_concept(beleid_toml)
    uit = analyse.whatif(concept, peildatum)
    rijen = uit["verschillen"]
    sleutel = "whatif-" + "".join(c if c.isalnum() else "-" for c in concept.versie.lower())
    if rijen:
        create_table_artifact(
            key=sleutel, table=rijen, description=f"What-if {concept.versie} tegen {uit['huidig']}"
        )
    per_veld = "\n".join(f"| {v} | {n} |" for v, n in uit["per_veld"].items()) or "| - | 0 |"
    create_markdown_artifact(
        key=sleutel + "-samenvatting",
        markdown=(
            f"# What-if {concept.versie}\n\nPeildatum {uit['peildatum']}; huidig beleid "
            f"{uit['huidig']}. {uit['gewijzigd']} van {uit['zaken']} lopende zaken krijgen een "
            f"andere uitkomst, bedrag of termijn; bedrag per jaar totaal "
            f"{uit['bedrag_per_jaar_verschil']:+.2f} euro; niet meer ontvankelijk: "
            f"{uit['niet_meer_ontvankelijk']}, nu wel ontvankelijk: {uit['nu_ontvankelijk']}.\n\n"
            f"| veld | zaken |\n|---|---|\n{per_veld}\n"
        ),
        description=f"What-if {concept.versie}",
    )
    log.info(
        "what-if %s: %s van %s zaken gewijzigd", concept.versie, uit["gewijzigd"], uit["zaken"]
    )
    return uit
