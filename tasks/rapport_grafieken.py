"""The yearly report's bar charts, drawn with matplotlib: one figure per chart, saved as SVG
(rapport.md and the Prefect artifact show it inline) and as PNG (for slides and documents).

matplotlib.figure.Figure is used directly, never pyplot: no GUI backend is loaded (a worker
has no display), PNG comes from Agg and SVG from matplotlib's SVG writer, and no figure is
kept in pyplot's global registry. matplotlib is imported by this module only, and this
module only when a report is drawn (tasks.rapport_uitvoer imports it late), so the other
analyses do not pay for its import."""

from __future__ import annotations

import datetime as dt
import io
import math
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MultipleLocator

from models.historie import beleid_voor
from models.rapportage import MAANDNAMEN, Rapport
from models.snapshot import CCE_STATUSSEN

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
KLEUREN = ("#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
TELKLEUREN = ("#0072B2", "#009E73", "#E69F00", "#D55E00")  # aanvragen and the three besluiten
BREEDTE = 10.0  # inches; the SVG is in points (72 per inch), the PNG has PNG_DPI per inch
HOOGTE = 4.2  # inches, with straight labels below the plot
PNG_DPI = 150
VLAK_PT = (685.0, 250.0)  # about the plot area's width and height, in points
_STIJL = {
    "svg.fonttype": "none",  # real text in the SVG: small, sharp, searchable, read aloud
    "svg.hashsalt": "meerzorg-rapport",  # the same chart gives the same file
    "font.size": 9,
}
_SLOT = threading.Lock()  # rcParams are global and matplotlib is not thread-safe


@dataclass(frozen=True, slots=True)
class Grafiek:
    svg: str
    png: bytes | None


def _nette_schaal(maximum: float) -> tuple[float, float]:
    """(top of the axis, tick step) with steps of 1, 2 or 5 × 10^k and about five ticks."""
    if maximum <= 0:
        return 1.0, 1.0
    ruw = maximum / 5
    macht = 10 ** math.floor(math.log10(ruw))
    stap = next(f * macht for f in (1, 2, 5, 10) if f * macht >= ruw)
    if maximum >= 1:
        stap = max(stap, 1.0)  # counts: whole ticks, and a few of them even for tiny counts
        maximum = max(maximum, 4.0)
    return stap * math.ceil(maximum / stap - 1e-9), stap


def _getal(waarde: float) -> str:
    if abs(waarde) >= 10_000:
        return f"{waarde / 1000:.0f}k"
    if float(waarde).is_integer():
        return f"{int(waarde)}"
    return f"{waarde:.1f}"


def teken(
    titel: str,
    labels: Sequence[str],
    reeksen: dict[str, Sequence[float | None]],
    *,
    gestapeld: bool = False,
    kleuren: Sequence[str] = KLEUREN,
    as_label: str = "",
    referentie: tuple[str, float] | None = None,
    png: bool = True,
) -> Grafiek:
    """A bar chart (grouped, or stacked) with axis, grid, legend, value labels where they
    fit and an optional dashed reference line, as SVG and (unless png=False) PNG of the
    same figure. The SVG also has a tooltip (<title>) on every bar."""
    with _SLOT, matplotlib.rc_context(_STIJL):
        fig, balken = _figuur(
            titel, list(labels), reeksen, gestapeld, kleuren, as_label, referentie
        )
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
        svg = _met_tooltips(buf.getvalue(), titel, fig, balken)
        if not png:
            return Grafiek(svg=svg, png=None)
        uit = io.BytesIO()
        fig.savefig(uit, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return Grafiek(svg=svg, png=uit.getvalue())


def staafdiagram(
    titel: str, labels: Sequence[str], reeksen: dict[str, Sequence[float | None]], **opties
) -> str:
    """teken(), the SVG only."""
    return teken(titel, labels, reeksen, png=False, **opties).svg


def _figuur(
    titel: str,
    labels: list[str],
    reeksen: dict[str, Sequence[float | None]],
    gestapeld: bool,
    kleuren: Sequence[str],
    as_label: str,
    referentie: tuple[str, float] | None,
) -> tuple[Figure, list[tuple[str, str, float, Patch]]]:
    """Long because matplotlib is set up call by call, every styling rule of the report's charts in one place."""
    langste = max((len(x) for x in labels), default=0)
    schuin = langste > 6 or len(labels) > 16
    namen = list(reeksen)
    waarden = {n: [float(v or 0) for v in reeksen[n]] for n in namen}
    if gestapeld:
        hoogste = max((sum(waarden[n][i] for n in namen) for i in range(len(labels))), default=0)
    else:
        hoogste = max((v for n in namen for v in waarden[n]), default=0)
    if referentie:
        hoogste = max(hoogste, referentie[1])
    top, stap = _nette_schaal(hoogste)

    extra = 0.06 * langste if schuin else 0.0  # room for slanted labels below the plot
    fig = Figure(figsize=(BREEDTE, HOOGTE + extra), dpi=72, layout="constrained")
    fig.set_facecolor("#ffffff")
    ax = fig.add_subplot()
    n = max(len(labels), 1)
    binnen = 0.8
    balk = binnen if gestapeld else binnen / max(len(namen), 1)
    basis = [0.0] * len(labels)
    per_reeks = []
    for j, naam in enumerate(namen):
        midden = range(len(labels))
        posities = [i if gestapeld else i - binnen / 2 + (j + 0.5) * balk for i in midden]
        staven = ax.bar(
            posities,
            waarden[naam],
            width=balk * 0.96,
            bottom=basis if gestapeld else 0,
            color=kleuren[j % len(kleuren)],
            label=naam,
            zorder=2,
        )
        per_reeks.append(staven)
        if gestapeld:
            basis = [b + v for b, v in zip(basis, waarden[naam], strict=True)]

    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MultipleLocator(stap))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _getal(v)))
    ax.set_xticks(range(len(labels)))
    if schuin:
        ax.set_xticklabels(labels, rotation=35, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticklabels(labels)
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)
    for kant in ("top", "right", "left"):
        ax.spines[kant].set_visible(False)
    ax.spines["bottom"].set_color("#888888")
    ax.tick_params(axis="y", length=0, labelcolor="#555555")
    ax.tick_params(axis="x", length=0, labelcolor="#333333")
    if as_label:
        ax.set_ylabel(as_label, color="#555555")

    handles: list = [Patch(color=kleuren[j % len(kleuren)]) for j in range(len(namen))]
    namen_legenda = list(namen)
    if referentie:
        streep = (0, (4, 2.7))  # × the line width 1.5: 6 on, 4 off
        ax.axhline(referentie[1], color="#222222", linestyle=streep, linewidth=1.5, zorder=3)
        handles.append(Line2D([], [], color="#222222", linestyle=streep, linewidth=1.5))
        namen_legenda.append(referentie[0])
    ax.legend(
        handles,
        namen_legenda,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=len(handles),
        frameon=False,
        borderaxespad=0.3,
        handlelength=1.2 if not referentie else 2.4,
        columnspacing=1.4,
    )
    ax.set_title(titel, loc="left", fontsize=13, fontweight="bold", color="#222222", pad=24)

    # Value labels where they fit (in points, on the plot area's usual size: measuring the
    # laid-out figure would cost a second layout pass).
    balk_pt = VLAK_PT[0] / n * balk
    pt_per_eenheid = VLAK_PT[1] / top
    boven_balken = not gestapeld and balk_pt >= 12
    hoogste_balk = max((v for reeks in waarden.values() for v in reeks), default=0)
    if boven_balken and hoogste_balk * pt_per_eenheid + 12 > VLAK_PT[1]:
        ax.set_ylim(0, top + stap)  # room for the label above the highest bar
    for staven, naam in zip(per_reeks, namen, strict=True):
        vs = waarden[naam]
        if boven_balken:
            teksten = [_getal(v) if v > 0 else "" for v in vs]
            ax.bar_label(staven, teksten, padding=2, fontsize=7.5, color="#333333")
        elif gestapeld and balk_pt >= 14:
            teksten = [_getal(v) if v * pt_per_eenheid >= 10 else "" for v in vs]
            ax.bar_label(staven, teksten, label_type="center", fontsize=7.5, color="#ffffff")
    balken = [
        (label, naam, waarden[naam][i], staven.patches[i])
        for i, label in enumerate(labels)
        for staven, naam in zip(per_reeks, namen, strict=True)
        if waarden[naam][i] > 0
    ]
    return fig, balken


def _met_tooltips(
    svg: str, titel: str, fig: Figure, balken: list[tuple[str, str, float, Patch]]
) -> str:
    """The chart's title as the SVG's <title> and aria-label, and over every bar an
    invisible <rect> with a <title>, so a browser shows "jan · toekenningen: 12" on hover
    (matplotlib's own SVG has no tooltips). Measured on the figure just saved: points."""
    hoogte = fig.bbox.height
    lagen = []
    for label, naam, waarde, patch in balken:
        vak = patch.get_window_extent()
        rect = ET.Element(
            "rect",
            x=f"{vak.x0:.2f}",
            y=f"{hoogte - vak.y1:.2f}",
            width=f"{vak.width:.2f}",
            height=f"{vak.height:.3f}",
            fill="#000000",
            attrib={"fill-opacity": "0"},
        )
        ET.SubElement(rect, "title").text = f"{label} · {naam}: {_getal(waarde)}"
        lagen.append(ET.tostring(rect, encoding="unicode"))
    begin = svg.index("<svg ")
    einde = svg.index(">", begin)  # of the opening tag
    romp, slot, _ = svg[einde + 1 :].rpartition("</svg>")
    kop_titel = ET.Element("title")
    kop_titel.text = titel
    return "".join(
        [
            svg[:einde],
            f' role="img" aria-label={quoteattr(titel)}>\n ',
            ET.tostring(kop_titel, encoding="unicode"),
            romp,
            "".join(f" {laag}\n" for laag in lagen),
            slot,
            "\n",
        ]
    )


def grafieken(r: Rapport, png: bool = True) -> dict[str, Grafiek]:
    """Long because it is the table of the report's charts. The report's charts by SVG file name (the PNG gets the same stem)."""
    weken = beleid_voor(dt.date(r.jaar, 12, 31)).termijnen.beslistermijn_weken
    maanden = [MAANDNAMEN[int(m["maand"][5:]) - 1] for m in r.maanden]
    out = {
        "aanvragen_en_besluiten.svg": teken(
            f"Meerzorg {r.jaar}: aanvragen en besluiten per maand",
            maanden,
            {
                "aanvragen": [m["aanvragen"] for m in r.maanden],
                "toekenningen": [m["toekenningen"] for m in r.maanden],
                "bijstellingen": [m["bijstellingen"] for m in r.maanden],
                "afwijzingen": [m["afwijzingen"] for m in r.maanden],
            },
            kleuren=TELKLEUREN,
            as_label="aantal",
            png=png,
        ),
        "thuis.svg": teken(
            f"Meerzorg thuis (mpt/pgb) {r.jaar}: aanvragen en besluiten per maand",
            maanden,
            {
                "aanvragen": [m["thuis_aanvragen"] for m in r.maanden],
                "toekenningen": [m["thuis_toekenningen"] for m in r.maanden],
                "bijstellingen": [m["thuis_bijstellingen"] for m in r.maanden],
                "afwijzingen": [m["thuis_afwijzingen"] for m in r.maanden],
            },
            kleuren=TELKLEUREN,
            as_label="aantal",
            png=png,
        ),
        "doorlooptijd.svg": teken(
            f"Doorlooptijd tot het eerste besluit {r.jaar} (mediaan, dagen)",
            maanden,
            {"mediaan dagen": [m["mediaan_dagen"] for m in r.doorlooptijd]},
            as_label="dagen",
            referentie=(f"beslistermijn {weken} weken", 7.0 * weken),
            png=png,
        ),
        "expiraties.svg": teken(
            f"Aflopende beschikkingen per maand vanaf {r.peildatum.isoformat()}",
            [m["maand"] for m in r.expiraties],
            {
                "verblijf/vpt": [m["aflopend"] - m["thuis"] for m in r.expiraties],
                "thuis (mpt/pgb)": [m["thuis"] for m in r.expiraties],
            },
            gestapeld=True,
            kleuren=("#0072B2", "#CC79A7"),
            as_label="beschikkingen",
            png=png,
        ),
    }
    if r.cce:
        out["cce.svg"] = teken(
            f"CCE-ontwikkeltraject {r.jaar}: clienten per status aan het eind van de maand",
            [MAANDNAMEN[int(m["maand"][5:]) - 1] for m in r.cce],
            {c: [m[c] for m in r.cce] for c in CCE_STATUSSEN},
            gestapeld=True,
            kleuren=("#009E73", "#E69F00", "#D55E00"),
            as_label="clienten",
            png=png,
        )
    if r.spiegel:
        rijen = sorted(r.spiegel, key=lambda s: -(s["index"] or 0))[:30]
        out["spiegelinformatie.svg"] = teken(
            f"Spiegelinformatie {r.jaar}: bedrag per client t.o.v. vergelijkbare beschikkingen",
            [f"{s['agb']} {s['zorgprofiel']} {s['leveringsvorm']}" for s in rijen],
            {"index (100 = mediaan vergelijkbaar)": [s["index"] for s in rijen]},
            kleuren=("#56B4E9",),
            referentie=("mediaan = 100", 100.0),
            png=png,
        )
    return out
