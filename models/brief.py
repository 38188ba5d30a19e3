"""A besluit as a PDF letter (issue 25): data in, PDF bytes out; no database, no I/O but a
font cache in a temporary directory of the process.

The letter carries what the Awb demands of a besluit: its date and kenmerk, the dictum, the
motivation with the rules applied and their sources (3:46, 3:47), who signs it in mandaat
(10:10) and the rechtsmiddelenclausule (3:45; its texts: models/brief_teksten.py). The caller
fills `BriefInhoud` from the besluit and the settings; a BSN is never part of it, so it never
reaches the PDF or its metadata.

Rendered by fpdf2 as PDF/A-2B (ISO 19005-2, level B: archivable, fonts embedded, sRGB output
intent; fpdf2 enforces PDF/A's rules while writing, the tests run no veraPDF, a Java tool,
over it): A4, ragged right, wrapped by our own greedy line breaker (fpdf2's multi_cell costs
a quadratic time per line), page numbers "pagina 1 van 2" at the foot of every page.

The font is DejaVu Sans, the TTF that matplotlib's wheel ships (a dependency of the project
already; found on disk, matplotlib itself is never imported). Once per process it is
reduced to the characters a Dutch letter needs (Latin with its diacritics, € and §, the
usual punctuation), so that every letter embeds and parses a small font; text with a
character outside that set is refused (ValueError), never printed as an empty box.

Deterministic: the same `BriefInhoud` gives the same bytes (creation date = the besluit's
date, our own XMP without the time of rendering, the file /ID a hash of the content), so the
letter's sha256 is stable and can be stored with the besluit, as long as fpdf2, fontTools and
matplotlib's font are the same versions (uv.lock pins them)."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Literal

from models import brief_teksten as T

Rol = Literal["client", "vertegenwoordiger", "budgethouder", "zorgaanbieder"]
Rechtsmiddel = Literal["bezwaar", "beroep", "geen"]


@dataclass(frozen=True)
class Afzender:
    """The zorgkantoor that sends the letter (the caller fills it from the settings)."""

    naam: str
    adres: tuple[str, ...]
    bezwaar_adres: tuple[str, ...]
    bezwaar_digitaal: str


@dataclass(frozen=True)
class Geadresseerde:
    """Who receives this letter and how. `afschrift`: the zorgaanbieder receives a copy of
    the besluit as the applicant."""

    rol: Rol
    naam: str
    adres: tuple[str, ...]
    kanaal: Literal["digitaal", "post"]
    afschrift: bool = False


@dataclass(frozen=True)
class BriefInhoud:
    """Everything one letter says. `regels`: (the rule, its source: "R §9", "Awb 4:5", …);
    `clienten`: the clients the besluit is about, as the caller wants them named."""

    afzender: Afzender
    geadresseerde: Geadresseerde
    kenmerk: str
    zaak: str
    datum: dt.date
    onderwerp: str
    besluit_soort: str
    dictum: tuple[str, ...]
    motivering: tuple[str, ...]
    regels: tuple[tuple[str, str], ...]
    ondertekening_functie: str
    ondertekening_naam: str | None
    rechtsmiddel: Rechtsmiddel
    clienten: tuple[str, ...] = ()


def rechtsmiddelenclausule(rechtsmiddel: Rechtsmiddel, afzender: Afzender) -> tuple[str, ...]:
    """The clause's paragraphs (Awb 3:45); none for a letter that is not open to bezwaar or
    beroep. Paragraphs starting with "• " are list items."""
    if rechtsmiddel == "geen":
        return ()
    if rechtsmiddel == "beroep":
        return T.BEROEP
    if rechtsmiddel != "bezwaar":
        raise ValueError(f"unknown rechtsmiddel {rechtsmiddel!r}")
    velden = {
        "naam": afzender.naam,
        "bezwaar_adres": ", ".join(afzender.bezwaar_adres),
        "bezwaar_digitaal": afzender.bezwaar_digitaal,
    }
    return tuple(
        tekst.format(**velden)
        for tekst in T.BEZWAAR
        if afzender.bezwaar_digitaal or "{bezwaar_digitaal}" not in tekst
    )


def ondertekening(afzender: Afzender, functie: str, naam: str | None = None) -> tuple[str, ...]:
    """The signature in mandaat: the greeting, on whose behalf, the name when given and the
    function."""
    regels = [T.GROET, T.NAMENS.format(naam=afzender.naam)]
    if naam:
        regels.append(naam)
    regels.append(functie)
    return tuple(regels)


def sha256_hex(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


# --- the font ------------------------------------------------------------------------------

FAMILIE = "DejaVu"
BRONNEN = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Basic Latin, Latin-1 (± × included), Latin Extended-A and the Romanian ș ț (names from all
# over Europe), the general punctuation, €, ™, № and a few signs a motivation may use
# (→ ≈ ≠ ≤ ≥). Fewer glyphs parse faster: every letter parses its fonts again.
TEKENS = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x218, 0x21C), *range(0x2010, 0x2027)]
    + [*range(0x2030, 0x203B), 0x20AC, 0x2116, 0x2122, 0x2192, 0x2248, 0x2260, 0x2264, 0x2265]
)


@functools.cache
def lettertype() -> tuple[dict[str, Path], frozenset[str]]:
    """The reduced fonts (by style) in a private temporary directory of this process, and the
    characters they hold. Built once per process (~0.5 s), removed when the process ends."""
    from fontTools import subset  # a dependency of fpdf2 (and matplotlib)

    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (its DejaVu Sans font) is not installed")
    bron = Path(next(iter(spec.submodule_search_locations)), "mpl-data", "fonts", "ttf")
    doel = Path(tempfile.mkdtemp(prefix="meerzorg-brief-"))
    eigenaar = os.getpid()
    atexit.register(lambda: os.getpid() == eigenaar and shutil.rmtree(doel, True))
    opties = subset.Options()
    opties.layout_features = []  # fpdf2 shapes no text: kerning and ligatures unused
    opties.hinting = False
    opties.notdef_outline = True
    opties.name_IDs = ["*"]  # the licence and the names stay with the font
    opties.drop_tables += ["FFTM"]  # FontForge's timestamp: fontTools would warn of it
    paden, tekens = {}, None
    for stijl, bestand in BRONNEN.items():
        font = subset.load_font(str(bron / bestand), opties)
        subsetter = subset.Subsetter(opties)
        subsetter.populate(unicodes=TEKENS)
        subsetter.subset(font)
        heeft = frozenset(chr(c) for c in font.getBestCmap())
        tekens = heeft if tekens is None else tekens & heeft
        paden[stijl] = doel / bestand
        font.save(str(paden[stijl]))
    return paden, tekens


# --- rendering -----------------------------------------------------------------------------

LINKS, RECHTS, BOVEN, ONDER = 25.0, 20.0, 15.0, 22.0  # mm
ADRES_Y = 50.0  # the addressee in the window of a window envelope
REGEL = 5.0  # line height of the body text (10 pt)
GRIJS = (90, 90, 90)
PDFA = "PDF/A-2B"
# Word widths in mm by (style, size): the same for every letter (the font is the same), so
# they are measured once per process; a plain dict, cleared when it grows large.
BREEDTES: dict[tuple[str, float, str], float] = {}
# Where a line never breaks: inside "artikel 6:7", "Awb 4:5", "R §9", "§ 9", "€ 12,50",
# "Postbus 1235" and "31 uur" (a no-break space, which the wrap keeps inside a word).
_ONBREEKBAAR = re.compile(
    r"(\b(?:artikel|Awb|R|N|Postbus)|[§€]) (?=[\d§])|(\d) (?=(?:uur|weken)\b)"
)
_SPATIES = re.compile(r"[ \t\r\n]+")


def render_pdf(inhoud: BriefInhoud) -> bytes:
    """The letter as PDF/A-2B bytes; the same `inhoud` gives the same bytes."""
    _controleer(inhoud)
    inhoud = _genormaliseerd(inhoud)
    paden, tekens = lettertype()
    vreemd = sorted({c for c in _alle_tekst(inhoud) if c not in tekens})
    if vreemd:
        raise ValueError(f"characters the letter's font cannot print: {''.join(vreemd)!r}")
    pdf = _document_klasse()(inhoud, paden)
    pdf.briefhoofd()
    pdf.referenties()
    pdf.romp()
    return bytes(pdf.output())


def _controleer(inhoud: BriefInhoud) -> None:
    g = inhoud.geadresseerde
    if inhoud.rechtsmiddel not in T.INLEIDING:
        raise ValueError(f"unknown rechtsmiddel {inhoud.rechtsmiddel!r}")
    if g.kanaal not in ("digitaal", "post") or g.rol not in Rol.__args__:
        raise ValueError(f"unknown kanaal or rol: {g.kanaal!r}, {g.rol!r}")
    if not inhoud.dictum:
        raise ValueError("a letter without a dictum")


def _genormaliseerd(inhoud: BriefInhoud) -> BriefInhoud:
    """Every text in NFC (ë as one character, as the font has it), whatever its source."""

    def nfc(waarde):
        if isinstance(waarde, str):
            return unicodedata.normalize("NFC", waarde)
        if isinstance(waarde, tuple):
            return tuple(nfc(w) for w in waarde)
        if isinstance(waarde, Afzender | Geadresseerde):
            return type(waarde)(**{k: nfc(v) for k, v in vars(waarde).items()})
        return waarde

    return BriefInhoud(**{k: nfc(v) for k, v in vars(inhoud).items()})


def _alle_tekst(inhoud: BriefInhoud) -> str:
    a, g = inhoud.afzender, inhoud.geadresseerde
    delen = [a.naam, *a.adres, *a.bezwaar_adres, a.bezwaar_digitaal, g.naam, *g.adres]
    delen += [inhoud.kenmerk, inhoud.zaak, inhoud.onderwerp, *inhoud.dictum, *inhoud.motivering]
    delen += [t for regel in inhoud.regels for t in regel] + [*inhoud.clienten]
    delen += [inhoud.ondertekening_functie, inhoud.ondertekening_naam or ""]
    return "".join(delen)


def _xmp(inhoud: BriefInhoud) -> str:
    """The XMP packet PDF/A requires, with the besluit's date as every date (fpdf2's own
    stamps the moment of rendering, which would make each rendering's bytes differ)."""
    moment = dt.datetime.combine(inhoud.datum, dt.time(), dt.UTC).isoformat(timespec="seconds")
    return T.XMP.format(
        titel=escape(inhoud.onderwerp),
        kenmerk=escape(inhoud.kenmerk),
        afzender=escape(inhoud.afzender.naam),
        soort=escape(inhoud.besluit_soort),
        moment=moment,
    )


def voorladen() -> None:
    """Import fpdf2 and build the reduced fonts now, not at the first letter: the forkserver
    does this once for every run it forks (deployments/forkstart_brief.py)."""
    lettertype()
    _document_klasse()


@functools.cache
def _document_klasse():
    """The page builder, an fpdf2 document. fpdf2 is imported on the first letter: it pulls
    numpy (~0.5 s), which importing this module's dataclasses and texts should not cost."""
    from fpdf import FPDF

    class Document(FPDF):
        def __init__(self, inhoud: BriefInhoud, paden: dict[str, Path]):
            super().__init__(format="A4", unit="mm", enforce_compliance=PDFA)
            self.inhoud = inhoud
            self.set_margins(LINKS, BOVEN, RECHTS)
            self.set_auto_page_break(False, margin=ONDER)
            for stijl, pad in paden.items():
                self.add_font(FAMILIE, stijl, pad)
                # The bounding boxes of our reduced font are right already: not recomputing
                # them when fpdf2 saves its subset spares expanding every glyph (~40% of it).
                self.fonts[f"{FAMILIE.lower()}{stijl}"].ttfont.recalcBBoxes = False
            moment = dt.datetime.combine(inhoud.datum, dt.time(), dt.UTC)
            self.set_creation_date(moment)
            self.set_lang("nl-NL")
            # title = onderwerp, subject = kenmerk: in the XMP, where PDF/A keeps them
            self.set_xmp_metadata(_xmp(inhoud))
            self.add_page()

        def footer(self):
            self.set_y(-14)
            self.set_font(FAMILIE, "", 8)
            self.set_text_color(*GRIJS)
            self.cell(self.epw / 2, 4, f"Kenmerk {self.inhoud.kenmerk}")
            self.cell(0, 4, f"pagina {self.page_no()} van {{nb}}", align="R")
            self.set_text_color(0)

        # -- the text primitives: our own greedy wrap, one cell per line --

        def breedte(self, woord: str) -> float:
            sleutel = (self.font_style, self.font_size_pt, woord)
            if sleutel not in BREEDTES:
                if len(BREEDTES) > 100_000:
                    BREEDTES.clear()
                BREEDTES[sleutel] = self.get_string_width(woord)
            return BREEDTES[sleutel]

        def regels(self, tekst: str, ruimte: float) -> list[str]:
            uit, huidig, breed = [], [], 0.0
            spatie = self.breedte(" ")
            tekst = _ONBREEKBAAR.sub(lambda m: f"{m[1] or m[2]}\u00a0", tekst)
            for woord in _SPATIES.split(tekst.strip()):
                w = self.breedte(woord)
                while w > ruimte:  # a word longer than the line (a URL): cut it
                    deel = woord
                    while len(deel) > 1 and self.get_string_width(deel) > ruimte:
                        deel = deel[:-1]
                    if huidig:
                        uit.append(" ".join(huidig))
                    uit.append(deel)
                    huidig, breed = [], 0.0
                    woord = woord[len(deel) :]
                    w = self.get_string_width(woord)
                if huidig and breed + spatie + w > ruimte:
                    uit.append(" ".join(huidig))
                    huidig, breed = [], 0.0
                breed += (spatie if huidig else 0.0) + w
                huidig.append(woord)
            if huidig:
                uit.append(" ".join(huidig))
            return uit or [""]

        def ruimte_voor(self, hoogte: float) -> None:
            if self.get_y() + hoogte > self.h - ONDER:
                self.add_page()

        def alinea(self, tekst: str, stijl="", grootte=10.0, hoogte=REGEL, na=2.0, teken=""):
            """A paragraph; `teken` ("•", "1."): a list item with a hanging indent."""
            self.set_font(FAMILIE, stijl, grootte)
            inspring = 6.0 if teken else 0.0
            for i, regel in enumerate(self.regels(tekst, self.epw - inspring)):
                self.ruimte_voor(hoogte)
                if teken and i == 0:
                    self.cell(inspring, hoogte, teken)
                self.set_x(self.l_margin + inspring)
                self.cell(0, hoogte, regel, new_x="LMARGIN", new_y="NEXT")
            self.ln(na)

        def kop(self, tekst: str) -> None:
            self.ruimte_voor(4 + 6 + 3 * REGEL)  # never a heading alone at the foot
            self.ln(3)
            self.alinea(tekst, "B", 11, 6, 1)

        def label(self, label: str, waarde: str, stijl="") -> None:
            self.set_font(FAMILIE, "B", 10)
            self.cell(self.get_string_width(f"{label}: "), REGEL, f"{label}: ")
            self.set_font(FAMILIE, stijl, 10)
            self.cell(0, REGEL, waarde, new_x="LMARGIN", new_y="NEXT")

        # -- the letter --

        def briefhoofd(self) -> None:
            a, g = self.inhoud.afzender, self.inhoud.geadresseerde
            self.set_font(FAMILIE, "B", 14)
            self.cell(110, 7, a.naam)
            self.set_xy(140, BOVEN + 1)
            self.set_font(FAMILIE, "", 8.5)
            self.set_text_color(*GRIJS)
            for regel in a.adres:
                self.set_x(140)
                self.cell(0, 4, regel, new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(*GRIJS)
            self.line(LINKS, BOVEN + 20, self.w - RECHTS, BOVEN + 20)
            self.set_text_color(0)
            self.set_xy(LINKS, ADRES_Y)
            self.set_font(FAMILIE, "", 10)
            for regel in (g.naam, *g.adres):
                self.cell(0, REGEL, regel, new_x="LMARGIN", new_y="NEXT")
            if g.kanaal == "digitaal":
                self.set_font(FAMILIE, "", 8.5)
                self.set_text_color(*GRIJS)
                self.cell(0, REGEL, T.DIGITAAL_VERZONDEN, new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0)
            self.set_y(max(self.get_y() + 10, 90))

        def referenties(self) -> None:
            i = self.inhoud
            self.label("Datum", T.datum_nl(i.datum))
            self.label("Kenmerk", i.kenmerk)
            self.label("Zaak", i.zaak)
            if i.clienten:
                self.label("Cliënt" if len(i.clienten) == 1 else "Cliënten", ", ".join(i.clienten))
            if i.geadresseerde.afschrift:
                self.label("Afschrift", T.AFSCHRIFT_REGEL)
            self.label("Onderwerp", i.onderwerp, "B")
            self.ln(8)

        def alineas(self, teksten: tuple[str, ...]) -> None:
            """Paragraphs and list items ("• …"), a list closed by a little space."""
            in_lijst = False
            for tekst in teksten:
                if tekst.endswith(":"):
                    self.ruimte_voor(4 * REGEL)  # an introduction stays with its list
                if tekst.startswith("• "):
                    self.alinea(tekst[2:], teken="•", na=1)
                elif in_lijst:
                    self.ln(1)
                    self.alinea(tekst)
                else:
                    self.alinea(tekst)
                in_lijst = tekst.startswith("• ")
            if in_lijst:
                self.ln(1)

        def romp(self) -> None:
            i = self.inhoud
            self.alinea(T.aanhef(i.geadresseerde.rol, i.geadresseerde.naam), na=3)
            self.alinea(T.INLEIDING[i.rechtsmiddel])
            if i.geadresseerde.afschrift:
                self.alinea(T.AFSCHRIFT_INLEIDING)
            self.kop(T.KOP_DICTUM[i.rechtsmiddel])
            # A besluit's dictum is numbered; a notice (no rechtsmiddel) reads as paragraphs.
            genummerd = len(i.dictum) > 1 and i.rechtsmiddel != "geen"
            for n, regel in enumerate(i.dictum, 1):
                self.alinea(regel, teken=f"{n}." if genummerd else "")
            regels = tuple(f"• {regel} ({bron})" for regel, bron in i.regels)
            if i.motivering or regels:
                self.kop("Motivering")
                self.alineas(i.motivering + ((T.REGELS_INLEIDING, *regels) if regels else ()))
            self.alinea(T.VRAGEN.format(kenmerk=i.kenmerk), na=6)
            groet, namens, *wie = ondertekening(
                i.afzender, i.ondertekening_functie, i.ondertekening_naam
            )
            self.ruimte_voor((2 + len(wie)) * REGEL + 8)  # the signature on one page
            self.alinea(groet, na=0)
            self.alinea(namens, na=8)  # room for a signature
            for regel in wie:
                self.alinea(regel, na=0)
            clausule = rechtsmiddelenclausule(i.rechtsmiddel, i.afzender)
            if clausule:
                self.ln(4)
                self.kop(T.KOP_RECHTSMIDDEL[i.rechtsmiddel])
                self.alineas(clausule)

    return Document
