"""The example letter for the docs (issue 25): the first page of a besluit as models/brief.py
renders it, as a PNG at 100 dpi by pypdfium2 (a dev dependency). The letter is an afwijzing
of a pgb verlenging sent by post to a client's vertegenwoordiger; every name, address and
number in it is made up.

    .venv/bin/python docs/make_brief_png.py        # writes docs/brief-voorbeeld.png
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "brief-voorbeeld.png"
DPI = 100
sys.path.insert(0, str(ROOT))

import pypdfium2  # noqa: E402

from models.brief import Afzender, BriefInhoud, Geadresseerde, render_pdf  # noqa: E402

VOORBEELD = BriefInhoud(
    afzender=Afzender(
        naam="Zorgkantoor Voorbeeldregio",
        adres=("Postbus 1234", "1000 AB Amsterdam", "www.zorgkantoor-voorbeeld.nl"),
        bezwaar_adres=("Afdeling Bezwaar", "Postbus 1235", "1000 AC Amsterdam"),
        bezwaar_digitaal="het klantportaal op www.zorgkantoor-voorbeeld.nl/bezwaar",
    ),
    geadresseerde=Geadresseerde(
        rol="vertegenwoordiger",
        naam="mevrouw J. de Vries",
        adres=("Lindelaan 12", "1234 AB Voorbeeldstad"),
        kanaal="post",
    ),
    kenmerk="MZ-2026-000418-B2",
    zaak="MZ-2026-000418",
    datum=dt.date(2026, 12, 7),
    onderwerp="Besluit op uw aanvraag meerzorg: afwijzing verlenging",
    besluit_soort="afwijzing",
    dictum=(
        "Wij wijzen de aanvraag om verlenging van meerzorg thuis met een persoonsgebonden "
        "budget (pgb) voor T. de Vries af.",
        "De meerzorg die wij eerder hebben toegekend, eindigt op 31 januari 2027.",
    ),
    motivering=(
        "Op 2 november 2026 hebben wij van Zorgbureau De Linde, namens T. de Vries, een "
        "aanvraag ontvangen om de meerzorg thuis met een pgb te verlengen vanaf 1 februari "
        "2027. U bent de vertegenwoordiger van T. de Vries.",
        "Meerzorg is bedoeld voor cliënten die zoveel zorg nodig hebben dat die ten minste 25% "
        "uitgaat boven wat bij hun zorgprofiel hoort. Bij een verlenging van meerzorg thuis "
        "kijken wij daarbij coulant naar de situatie van de cliënt.",
        "Uit het zorgplan en de urenberekening bij de aanvraag blijkt dat T. de Vries "
        "gemiddeld 31 uur zorg per week nodig heeft. De norm voor zijn zorgprofiel is 28 uur "
        "per week. De zorg gaat daarmee 11% boven de norm.",
        "Ook bij een coulante beoordeling is dat te weinig voor meerzorg. Wij hebben "
        "meegewogen dat de situatie thuis stabiel is en dat de zorgaanbieder in de evaluatie "
        "schrijft dat de doelen van de vorige periode zijn bereikt. De zorg die T. de Vries "
        "nodig heeft, past binnen het pgb dat bij zijn indicatie hoort.",
        "Wij nemen binnen twee weken contact met u op om te bespreken hoe de overgang naar die "
        "zorg verloopt.",
    ),
    regels=(
        (
            "Meerzorg is er voor zorg die de norm van het zorgprofiel met ten minste 25% te "
            "boven gaat",
            "R §10",
        ),
        ("Een verlenging van meerzorg thuis beoordelen wij coulant, als maatwerk", "N 2025"),
        ("De landelijke beoordelingswijze voor meerzorg thuis met een pgb", "beleid 2026.1"),
        ("Een besluit berust op een deugdelijke motivering", "Awb 3:46"),
    ),
    ondertekening_functie="beoordelaar meerzorg",
    ondertekening_naam=None,
    rechtsmiddel="bezwaar",
    clienten=("T. de Vries",),
)


def main() -> None:
    document = pypdfium2.PdfDocument(render_pdf(VOORBEELD))
    try:
        beeld = document[0].render(scale=DPI / 72).to_pil()
    finally:
        document.close()
    beeld.convert("L").save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {beeld.size[0]}×{beeld.size[1]} px, {DPI} dpi")


if __name__ == "__main__":
    main()
