"""The example letter for the README (issue 25): what the system itself sends, not a
hand-made text. The pgb verlenging of examples/aanvraag-thuis-pgb.json, its toets, and an
afwijzing as a beoordelaar would record it, composed by models/besluit_brief.py for the
client's vertegenwoordiger (who is the budgethouder, by post) and rendered by models/brief.py;
the first two pages as PNGs at 100 dpi by pypdfium2 (a dev dependency).

    .venv/bin/python docs/make_brief_png.py     # writes docs/brief-voorbeeld.png (+ -2.png)
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

from models.aanvraag import parse_aanvraag  # noqa: E402
from models.besluit_brief import adresseringen, brief_inhoud  # noqa: E402
from models.brief import render_pdf  # noqa: E402
from models.db.brieven import afzender  # noqa: E402
from models.toets import toets  # noqa: E402

DATUM = dt.date(2026, 12, 7)


def voorbeeld() -> bytes:
    aanvraag = parse_aanvraag((ROOT / "examples" / "aanvraag-thuis-pgb.json").read_text())
    getoetst = toets(aanvraag, DATUM).public()
    record = {
        "uitkomst": "afwijzen",
        "onderbouwing": (
            "De nachtelijke zorg is in de evaluatie van de vorige periode met een derde "
            "afgenomen en past nu binnen het pgb dat bij het zorgprofiel hoort; de doelen van "
            "de vorige periode zijn deels behaald zonder de extra inzet."
        ),
        "beoordelaar": "b-001",
        "pijlers": {
            "doelmatigheid": {
                "oordeel": "voldoet niet",
                "motivering": "De gevraagde wakende nachten zijn niet meer nodig voor veilige nachten.",
            }
        },
        "datum": DATUM,
        "ronde": 1,
        "beleidsversie": getoetst["beleidsversie"],
        "coulant": True,
    }
    vertegenwoordiger = next(a for a in adresseringen(aanvraag) if "vertegenwoordiger" in a.rollen)
    return render_pdf(
        brief_inhoud(
            adressering=vertegenwoordiger,
            zaak="MZ-2026-000418",
            kenmerk="MZ-2026-000418/B2",
            record=record,
            aanvraag=aanvraag,
            toets=getoetst,
            beschikkingen=[],
            afzender=afzender(),
            functie="beoordelaar Meerzorg",
        )
    )


def main() -> None:
    document = pypdfium2.PdfDocument(voorbeeld())
    try:
        for i in range(min(2, len(document))):
            beeld = document[i].render(scale=DPI / 72).to_pil()
            pad = OUT if i == 0 else OUT.with_name(f"{OUT.stem}-{i + 1}.png")
            beeld.convert("L").save(pad, optimize=True)
            print(f"{pad.relative_to(ROOT)}: {beeld.size[0]}×{beeld.size[1]} px, {DPI} dpi")
    finally:
        document.close()


if __name__ == "__main__":
    main()
