"""Throughput of the besluit letters (issue 25, models/brief.py): PDF/A letters rendered one
after another in one process, pinned to one core where the system allows it.

A typical letter: one client, a toekenning with 3 dictum lines, 6 motivation paragraphs,
4 rules with their sources and the bezwaar clause (two pages). Each letter has its own
kenmerk, zaak and date, so no two are the same bytes. The first letter of a process also
prepares the font (reduced once per process) and imports fpdf2: it is timed apart.

Reported: letters per second as the median of R rounds (default 5) of N letters each
(default 50), and the projected seconds for 1,000 letters; target ≥ 20 letters/s.

    .venv/bin/python benchmarks/bench_brieven.py [--n 50] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402  (a dev dependency: counts a letter's pages)

from models.brief import Afzender, BriefInhoud, Geadresseerde, render_pdf  # noqa: E402

DOEL_PER_SECONDE = 20

AFZENDER = Afzender(
    naam="Zorgkantoor Voorbeeldregio",
    adres=("Postbus 1234", "1000 AB Amsterdam", "www.zorgkantoor-voorbeeld.nl"),
    bezwaar_adres=("Afdeling Bezwaar", "Postbus 1235", "1000 AC Amsterdam"),
    bezwaar_digitaal="het klantportaal op www.zorgkantoor-voorbeeld.nl/bezwaar",
)
MOTIVERING = (
    "Op {ontvangen} hebben wij de aanvraag meerzorg van de zorgaanbieder ontvangen. De "
    "aanvraag is volledig en voldoet aan de voorwaarden van de Beleidsregels meerzorg.",
    "De cliënt heeft een indicatie voor zorgprofiel VG 7 en woont in een groep van zes "
    "cliënten. De zorgaanbieder heeft beschreven welke zorg boven de norm nodig is en waarom.",
    "Kwaliteit van leven: de extra begeleiding in de avond voorkomt onrust en incidenten. Het "
    "zorgplan beschrijft de doelen en hoe de zorgaanbieder die meet.",
    "Kwaliteit van zorg: de zorg wordt gegeven door medewerkers met de juiste deskundigheid en "
    "de gedragsdeskundige is bij de uitvoering betrokken.",
    "Doelmatigheid: de gevraagde uren passen bij de zorgvraag en de rekentool komt uit op "
    "€ {bedrag} per jaar. Dat bedrag kennen wij toe.",
    "Wij hebben de meerzorg toegekend tot de herbeoordeling; de zorgaanbieder evalueert de "
    "doelen vóór die datum met de cliënt en zijn vertegenwoordiger.",
)
REGELS = (
    ("De drempel boven de norm voor meerzorg", "R §9"),
    ("De drie pijlers van de beoordeling", "R §10"),
    ("Een besluit berust op een deugdelijke motivering", "Awb 3:46"),
    ("De tarieven van het beleidsjaar", "beleid 2026.1"),
)


def brief(n: int) -> BriefInhoud:
    datum = dt.date(2026, 1, 5) + dt.timedelta(days=n % 300)
    bedrag = f"{20_000 + 37 * n:,}".replace(",", ".") + ",00"
    return BriefInhoud(
        afzender=AFZENDER,
        geadresseerde=Geadresseerde(
            rol="client",
            naam=f"de heer P. van den Berg{n}",
            adres=(f"Lindelaan {n % 200 + 1}", "1234 AB Voorbeeldstad"),
            kanaal="post" if n % 3 else "digitaal",
        ),
        kenmerk=f"MZ-2026-{n:06d}-B1",
        zaak=f"MZ-2026-{n:06d}",
        datum=datum,
        onderwerp="Besluit op uw aanvraag meerzorg: toekenning",
        besluit_soort="toekenning",
        dictum=(
            f"Wij kennen meerzorg toe van 1 februari 2026 tot en met 31 januari 2027, € {bedrag} "
            "per jaar.",
            "De zorgaanbieder levert de meerzorg volgens het zorgplan bij de aanvraag.",
            "Vóór 1 december 2026 beoordelen wij opnieuw of de meerzorg nodig is.",
        ),
        motivering=tuple(
            t.format(ontvangen=f"{datum.day} december 2025", bedrag=bedrag) for t in MOTIVERING
        ),
        regels=REGELS,
        ondertekening_functie="beoordelaar meerzorg",
        ondertekening_naam=None,
        rechtsmiddel="bezwaar",
        clienten=(f"C-{n:05d}",),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="letters per round (50)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (5)")
    args = parser.parse_args(argv)
    kern = None
    if hasattr(os, "sched_setaffinity"):
        kern = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {kern})

    t0 = time.perf_counter()
    eerste = render_pdf(brief(0))
    eerste_s = time.perf_counter() - t0

    per_seconde, groottes = [], []
    for ronde in range(args.rounds):
        inhoud = [brief(1 + ronde * args.n + i) for i in range(args.n)]
        t0 = time.perf_counter()
        pdfs = [render_pdf(b) for b in inhoud]
        per_seconde.append(args.n / (time.perf_counter() - t0))
        groottes += [len(p) for p in pdfs]
    mediaan = statistics.median(per_seconde)
    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "kern": kern,
                "brieven_per_ronde": args.n,
                "rondes": args.rounds,
                "paginas_per_brief": len(PdfReader(io.BytesIO(eerste)).pages),
                "bytes_per_brief_mediaan": int(statistics.median(groottes)),
                "eerste_brief_s": round(eerste_s, 3),
                "brieven_per_s_per_ronde": [round(x, 1) for x in per_seconde],
                "brieven_per_s_mediaan": round(mediaan, 1),
                "ms_per_brief": round(1000 / mediaan, 1),
                "seconden_voor_1000_brieven": round(1000 / mediaan, 1),
                "doel_brieven_per_s": DOEL_PER_SECONDE,
                "doel_gehaald": mediaan >= DOEL_PER_SECONDE,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
