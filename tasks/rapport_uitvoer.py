"""The yearly report as files and text: the charts drawn (tasks.rapport_grafieken), the
Markdown summary, CSV per table, and writing them all to a folder.

The figures themselves are models.rapportage's (pure); this is only how they are shown.
Plain functions (no Prefect here): `meerzorg rapport` and the deployment `rapport` both call
them (maak_rapport through tasks.analyse.rapport_gegevens)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from models import rapportage
from models.rapportage import TELLINGEN, BesluitFeit, Rapport, ZaakFeit
from models.snapshot import BeschikkingFeit


def maak_rapport(
    jaar: int,
    peildatum: dt.date,
    zaken: list[ZaakFeit],
    besluiten: list[BesluitFeit],
    feiten: list[BeschikkingFeit],
    png: bool = True,
) -> Rapport:
    """models.rapportage.maak_rapport, with its charts drawn: SVG in `grafieken`, the PNG of
    the same figure in `png` (png=False: SVG only)."""
    # lazy: matplotlib (~0.8 s) only to draw; the runner and `meerzorg whatif` import this
    from tasks.rapport_grafieken import grafieken

    rapport = rapportage.maak_rapport(jaar, peildatum, zaken, besluiten, feiten)
    for naam, grafiek in grafieken(rapport, png=png).items():
        rapport.grafieken[naam] = grafiek.svg
        if grafiek.png is not None:
            rapport.png[png_naam(naam)] = grafiek.png
    return rapport


def png_naam(svg_naam: str) -> str:
    """The PNG beside a chart's SVG: the same stem."""
    return svg_naam.removesuffix(".svg") + ".png"


def schrijf_rapport(rapport: Rapport, uitvoer: Path) -> list[str]:
    """CSV per table, an SVG and a PNG per chart and rapport.md next to them (relative image
    links to the SVGs). The paths: the CSVs, the SVGs, the PNGs, rapport.md."""
    uitvoer.mkdir(parents=True, exist_ok=True)
    paden = []
    for naam, rijen in rapport.tabellen().items():
        pad = uitvoer / f"{naam}.csv"
        pad.write_text(csv_tekst(rijen), encoding="utf-8")
        paden.append(pad)
    for naam, svg in rapport.grafieken.items():
        pad = uitvoer / naam
        pad.write_text(svg, encoding="utf-8")
        paden.append(pad)
    for naam, png in rapport.png.items():
        pad = uitvoer / naam
        pad.write_bytes(png)
        paden.append(pad)
    pad = uitvoer / "rapport.md"
    pad.write_text(markdown(rapport), encoding="utf-8")
    paden.append(pad)
    return [str(p) for p in paden]


def _md_tabel(rijen: list[dict], kolommen: Sequence[str] | None = None) -> str:
    if not rijen:
        return "_geen gegevens_\n"
    kolommen = list(kolommen or rijen[0])
    out = ["| " + " | ".join(kolommen) + " |", "|" + "---|" * len(kolommen)]
    for r in rijen:
        out.append(
            "| " + " | ".join("" if r.get(k) is None else str(r[k]) for k in kolommen) + " |"
        )
    return "\n".join(out) + "\n"


def markdown(r: Rapport, afbeeldingen: dict[str, str] | None = None) -> str:
    """The summary. `afbeeldingen` maps a chart's file name to the URL to show it from
    (a relative path next to the files, or a data: URI inside a Prefect artifact)."""
    afbeeldingen = afbeeldingen if afbeeldingen is not None else {n: n for n in r.grafieken}
    t = r.totalen
    d = r.doorlooptijd_jaar

    def beeld(naam: str, alt: str) -> str:
        return f"![{alt}]({afbeeldingen[naam]})\n" if naam in afbeeldingen else ""

    cce_laatste = r.cce[-1] if r.cce else None
    delen = [
        f"# Meerzorg {r.jaar}\n",
        f"Peildatum {r.peildatum.isoformat()}. Aanvragen geteld op datum van indiening, besluiten op "
        "besluitdatum; thuis = leveringsvorm mpt of pgb.\n",
        "| | aanvragen | toekenningen | bijstellingen | afwijzingen |\n|---|---|---|---|---|\n"
        f"| totaal | {t['aanvragen']} | {t['toekenningen']} | {t['bijstellingen']} | {t['afwijzingen']} |\n"
        f"| thuis (mpt/pgb) | {t['thuis']['aanvragen']} | {t['thuis']['toekenningen']} | "
        f"{t['thuis']['bijstellingen']} | {t['thuis']['afwijzingen']} |\n",
        "## Aanvragen en besluiten per maand\n",
        beeld("aanvragen_en_besluiten.svg", "aanvragen en besluiten per maand"),
        _md_tabel(r.maanden, ["maand", *TELLINGEN]),
        "## Meerzorg thuis\n",
        beeld("thuis.svg", "meerzorg thuis per maand"),
        _md_tabel(r.maanden, ["maand", *(f"thuis_{t}" for t in TELLINGEN)]),
        "## Doorlooptijd tegen de beslistermijn\n",
        (
            f"{d['besluiten']} eerste besluiten; mediaan {d['mediaan_dagen']} dagen; "
            f"{d['binnen_termijn']} binnen en {d['buiten_termijn']} buiten de beslistermijn "
            f"({d['pct_binnen_termijn']}% op tijd).\n"
            if d["besluiten"]
            else "Geen besluiten in dit jaar.\n"
        ),
        beeld("doorlooptijd.svg", "doorlooptijd"),
        _md_tabel(r.doorlooptijd),
        "## CCE-ontwikkeltraject\n",
        (
            f"Op {cce_laatste['peildatum']}: {cce_laatste['ok']} ok, {cce_laatste['risico']} risico, "
            f"{cce_laatste['overtreding']} overtreding (geen afgerond traject in het venster van 3 jaar).\n"
            if cce_laatste
            else "Geen peildata in dit jaar tot de peildatum.\n"
        ),
        beeld("cce.svg", "CCE-compliance per maand"),
        _md_tabel(r.cce),
        f"Aandacht nodig: {len(r.cce_aandacht)} clienten (zie `cce_aandacht.csv`).\n",
        "## Aflopende beschikkingen, komende 24 maanden\n",
        beeld("expiraties.svg", "aflopende beschikkingen"),
        _md_tabel(r.expiraties),
        "## Spiegelinformatie\n",
        "Gemiddeld bedrag per client per jaar van de zorgaanbieder tegen vergelijkbare beschikkingen "
        "(zelfde zorgprofiel en leveringsvorm, alle zorgaanbieders); index 100 = mediaan.\n",
        beeld("spiegelinformatie.svg", "spiegelinformatie"),
        _md_tabel(r.spiegel),
    ]
    return "\n".join(delen)


def csv_tekst(rijen: list[dict]) -> str:
    buf = io.StringIO()
    if rijen:
        writer = csv.DictWriter(buf, fieldnames=list(rijen[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rijen)
    return buf.getvalue()
