"""The besluit as a PDF letter (issue 25, models/brief.py): every letter is read back with
pypdf and its text checked: the dictum, the motivation with each rule's source, the kenmerk
and the Dutch date, the addressee block, the rechtsmiddelenclausule the Awb demands (3:45),
page numbers over several pages, Unicode, the PDF/A metadata and a stable hash. Pure: no
database, no server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re

import pypdf
import pypdfium2
import pytest

from models.brief import (
    Afzender,
    BriefInhoud,
    Geadresseerde,
    ondertekening,
    rechtsmiddelenclausule,
    render_pdf,
    sha256_hex,
)
from models.brief_teksten import aanhef, datum_nl

AFZENDER = Afzender(
    naam="Zorgkantoor Voorbeeldregio",
    adres=("Postbus 1234", "1000 AB Amsterdam"),
    bezwaar_adres=("Afdeling Bezwaar", "Postbus 1235", "1000 AC Amsterdam"),
    bezwaar_digitaal="www.zorgkantoor-voorbeeld.nl/bezwaar",
)
POST = Geadresseerde(
    rol="vertegenwoordiger",
    naam="mevrouw J. de Vries",
    adres=("Lindelaan 12", "1234 AB Voorbeeldstad"),
    kanaal="post",
)
DIGITAAL = Geadresseerde(
    rol="zorgaanbieder",
    naam="Zorggroep Het Anker",
    adres=("Havenweg 3", "4321 CD Zeedorp"),
    kanaal="digitaal",
)
REGELS = (
    ("Meerzorg thuis alleen als de zorg verantwoord is", "N 2025"),
    ("Een onvolledige aanvraag wordt eerst aangevuld", "Awb 4:5"),
    ("De zorg gaat de drempel boven de norm te boven", "R §9"),
    ("De tarieven van het beleidsjaar", "beleid 2026.1"),
)


def inhoud(**changes) -> BriefInhoud:
    base = dict(
        afzender=AFZENDER,
        geadresseerde=POST,
        kenmerk="MZ-2026-000123-B1",
        zaak="MZ-2026-000123",
        datum=dt.date(2026, 12, 7),
        onderwerp="Besluit op uw aanvraag meerzorg: afwijzing",
        besluit_soort="afwijzing",
        dictum=("Wij wijzen de aanvraag om verlenging van het pgb voor meerzorg af.",),
        motivering=(
            "De zorgaanbieder heeft op 2 november 2026 om verlenging gevraagd.",
            "De zorg kost € 12.345,67 per jaar méér dan de norm; dat is te veel (§ 9).",
        ),
        regels=REGELS,
        ondertekening_functie="beoordelaar meerzorg",
        ondertekening_naam=None,
        rechtsmiddel="bezwaar",
        clienten=("C-0042",),
    )
    base.update(changes)
    return BriefInhoud(**base)


def lees(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def tekst(pdf: bytes) -> str:
    """The letter's text with its line breaks as spaces (a sentence may wrap anywhere)."""
    return " ".join(" ".join(p.extract_text() for p in lees(pdf).pages).split())


@pytest.fixture(scope="module")
def bezwaarbrief() -> str:
    return tekst(render_pdf(inhoud()))


def test_the_letter_carries_its_dictum_motivation_and_every_rule_with_its_source(bezwaarbrief):
    t = bezwaarbrief
    assert "Wij wijzen de aanvraag om verlenging van het pgb voor meerzorg af." in t
    assert "De zorgaanbieder heeft op 2 november 2026 om verlenging gevraagd." in t
    for regel, bron in REGELS:
        assert f"{regel} ({bron})" in t
    assert "Bij dit besluit hebben wij de volgende regels toegepast:" in t
    # the order of a Dutch besluit: dictum, motivation, signature, then the clause
    volgorde = ["Besluit", "Motivering", "Met vriendelijke groet,", "Bezwaar maken"]
    assert [t.index(kop) for kop in volgorde] == sorted(t.index(kop) for kop in volgorde)


def test_the_letter_has_its_kenmerk_date_subject_and_letterhead(bezwaarbrief):
    t = bezwaarbrief
    assert "Datum: 7 december 2026" in t
    assert "Kenmerk: MZ-2026-000123-B1" in t
    assert "Zaak: MZ-2026-000123" in t
    assert "Cliënt: C-0042" in t
    assert "Onderwerp: Besluit op uw aanvraag meerzorg: afwijzing" in t
    assert "Zorgkantoor Voorbeeldregio" in t and "Postbus 1234 1000 AB Amsterdam" in t
    assert "Geachte mevrouw De Vries," in t


def test_the_dutch_date_and_salutation():
    assert datum_nl(dt.date(2026, 12, 7)) == "7 december 2026"
    assert datum_nl(dt.date(2027, 3, 1)) == "1 maart 2027"
    assert aanhef("vertegenwoordiger", "mevrouw J. de Vries") == "Geachte mevrouw De Vries,"
    assert aanhef("client", "de heer P.J. van den Berg") == "Geachte heer Van den Berg,"
    assert aanhef("budgethouder", "A. Jansen") == "Geachte A. Jansen,"
    assert aanhef("zorgaanbieder", "Zorggroep Het Anker") == "Geachte heer, mevrouw,"


def test_the_signature_is_in_mandaat_with_the_function_and_the_name_when_given(bezwaarbrief):
    assert ondertekening(AFZENDER, "beoordelaar meerzorg") == (
        "Met vriendelijke groet,",
        "Namens Zorgkantoor Voorbeeldregio (mandaat),",
        "beoordelaar meerzorg",
    )
    assert ondertekening(AFZENDER, "teamleider meerzorg", "drs. K. Bakker")[2:] == (
        "drs. K. Bakker",
        "teamleider meerzorg",
    )
    assert "Namens Zorgkantoor Voorbeeldregio (mandaat), beoordelaar meerzorg" in bezwaarbrief
    met_naam = tekst(render_pdf(inhoud(ondertekening_naam="drs. K. Bakker")))
    assert "(mandaat), drs. K. Bakker beoordelaar meerzorg" in met_naam


def test_the_bezwaar_clause_is_complete(bezwaarbrief):
    t = bezwaarbrief
    assert "Bezwaar maken" in t
    # who may object (Awb 1:2, 6:4)
    assert "Bezwaar maken kan iedere belanghebbende" in t
    assert "de cliënt, de vertegenwoordiger van de cliënt, de budgethouder en de zorgaanbieder" in t
    # the term: six weeks from the day after the letter was sent (6:7, 6:8), 6:9 by post
    assert "U maakt bezwaar binnen zes weken." in t
    assert "begint op de dag na de dag waarop dit besluit is bekendgemaakt" in t
    assert "de dag na de dag waarop deze brief is verzonden (artikel 6:7 en 6:8 Awb)" in t
    assert "(artikel 6:9 Awb)" in t
    # where: the bezwaar address and the digital channel
    assert (
        "naar Zorgkantoor Voorbeeldregio, Afdeling Bezwaar, Postbus 1235, 1000 AC Amsterdam." in t
    )
    assert "digitaal indienen via www.zorgkantoor-voorbeeld.nl/bezwaar" in t
    # what it holds (6:5): signed, name and address, date, the besluit, the grounds
    assert "Uw bezwaarschrift is ondertekend en bevat ten minste (artikel 6:5 Awb):" in t
    for punt in ("uw naam en adres;", "de datum;", "vermeld het kenmerk van deze brief"):
        assert punt in t
    assert "(de gronden van het bezwaar)" in t
    # pro forma (6:6) and no suspension (6:16), voorlopige voorziening (8:81)
    assert "pro forma bezwaar" in t and "(artikel 6:6 Awb)" in t
    assert "schort de werking van dit besluit niet op (artikel 6:16 Awb)" in t
    assert "voorlopige voorziening (artikel 8:81 Awb)" in t
    assert "artikel 3:45 en 6:4 van de Algemene wet bestuursrecht" in t


def test_without_a_digital_channel_the_clause_names_the_address_only():
    clausule = rechtsmiddelenclausule("bezwaar", dataclasses.replace(AFZENDER, bezwaar_digitaal=""))
    assert not any("digitaal" in p for p in clausule)
    assert any("Postbus 1235" in p for p in clausule)


def test_after_a_beslissing_op_bezwaar_the_clause_offers_beroep_not_bezwaar():
    t = tekst(render_pdf(inhoud(rechtsmiddel="beroep", besluit_soort="ongegrond")))
    assert "Beroep instellen" in t
    assert "Met deze brief ontvangt u onze beslissing op het bezwaar." in t
    assert "beroep instellen bij de rechtbank, sector bestuursrecht" in t
    assert "artikel 3:45 en 8:1 van de Algemene wet bestuursrecht" in t
    assert "U stelt beroep in binnen zes weken." in t
    assert "de dag na de dag waarop deze brief is verzonden (artikel 6:7 en 6:8 Awb)" in t
    assert "(artikel 8:7 Awb)" in t
    assert "griffierecht (artikel 8:41 Awb)" in t
    assert "Tegen deze beslissing staat geen bezwaar meer open." in t
    assert "Bezwaar maken" not in t
    assert "pro forma" not in t and "Postbus 1235" not in t and "bezwaarschrift" not in t


def test_a_letter_that_is_not_a_besluit_has_no_clause():
    assert rechtsmiddelenclausule("geen", AFZENDER) == ()
    t = tekst(render_pdf(inhoud(rechtsmiddel="geen", besluit_soort="verzoek_bijstelling")))
    assert "Mededeling" in t and "Met deze brief informeren wij u" in t
    for woord in ("Bezwaar maken", "Beroep instellen", "zes weken", "rechtbank", "Awb 6:"):
        assert woord not in t


def test_an_unknown_rechtsmiddel_is_refused():
    with pytest.raises(ValueError):
        rechtsmiddelenclausule("hoger beroep", AFZENDER)
    with pytest.raises(ValueError):
        render_pdf(inhoud(rechtsmiddel="hoger beroep"))


def test_the_addressee_block_by_post_and_digitally(bezwaarbrief):
    assert "mevrouw J. de Vries Lindelaan 12 1234 AB Voorbeeldstad" in bezwaarbrief
    assert "Verzonden via uw beveiligde digitale kanaal" not in bezwaarbrief
    t = tekst(render_pdf(inhoud(geadresseerde=DIGITAAL)))
    assert "Zorggroep Het Anker Havenweg 3 4321 CD Zeedorp" in t
    assert "4321 CD Zeedorp Verzonden via uw beveiligde digitale kanaal" in t
    assert "Geachte heer, mevrouw," in t


def test_the_applicant_gets_a_copy_marked_as_such(bezwaarbrief):
    kopie = dataclasses.replace(DIGITAAL, afschrift=True)
    t = tekst(render_pdf(inhoud(geadresseerde=kopie, clienten=("C-0042", "C-0043"))))
    assert "Afschrift: u ontvangt dit besluit als aanvrager" in t
    assert "U ontvangt een afschrift van dit besluit, omdat u de aanvraag hebt ingediend." in t
    assert "Cliënten: C-0042, C-0043" in t
    assert "Afschrift" not in bezwaarbrief


def test_a_long_letter_wraps_over_pages_numbered_pagina_k_van_n():
    alinea = (
        "De zorgaanbieder beschrijft in het zorgplan de zorg per dagdeel, de inzet van de "
        "medewerkers en de afspraken met de cliënt en zijn vertegenwoordiger. "
    ) * 4
    pdf = render_pdf(inhoud(motivering=(alinea,) * 12, dictum=("Eerste.", "Tweede.", "Derde.")))
    pages = lees(pdf).pages
    assert len(pages) >= 3
    for k, page in enumerate(pages, 1):
        assert f"pagina {k} van {len(pages)}" in page.extract_text()
        assert "Kenmerk MZ-2026-000123-B1" in page.extract_text()
    # nothing lost at a line or page break (the footers taken out of the running text)
    t = re.sub(r"Kenmerk MZ-2026-000123-B1 pagina \d van \d ", "", tekst(pdf))
    assert t.count(alinea.strip()) == 12
    assert "1. Eerste. 2. Tweede. 3. Derde." in t
    for page in pages:  # A4
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)


def test_a_line_never_breaks_inside_a_legal_reference_or_an_amount():
    lang = "Zie " + "de regels over de zorg thuis en " * 3
    pdf = render_pdf(
        inhoud(
            motivering=tuple(lang[:n] + "artikel 6:7 Awb, € 12,50, § 9." for n in range(0, 40, 2))
        )
    )
    regels = [r.strip() for p in lees(pdf).pages for r in p.extract_text().splitlines()]
    assert not [r for r in regels if r.endswith(("artikel", "Awb", "€", "§", " R", " N"))]


def test_a_word_longer_than_a_line_is_cut_not_lost():
    url = "https://www.zorgkantoor-voorbeeld.nl/" + "heel-lang-pad/" * 12 + "einde"
    t = tekst(render_pdf(inhoud(motivering=(f"Zie {url} voor het beleid.",))))
    assert url in t.replace(" ", "")


def test_dutch_characters_print_and_decomposed_input_is_normalised():
    motivering = (
        "Coördinatie, reïntegratie en één cliënt: € 1.234,56 per jaar (§ 9, ≥ 25%).",
        "Losse accenten: Clie\u0308nt",  # ë as e + combining diaeresis (NFD)
    )
    t = tekst(render_pdf(inhoud(motivering=motivering)))
    assert motivering[0] in t
    assert "Losse accenten: Cli\u00ebnt" in t


def test_a_character_the_font_cannot_print_is_refused_not_dropped():
    with pytest.raises(ValueError, match="cannot print"):
        render_pdf(inhoud(motivering=("Een teken dat het lettertype niet kent: 漢",)))


def test_the_pdf_is_a_pdfa_with_title_and_subject_and_embedded_fonts():
    reader = lees(render_pdf(inhoud()))
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": "Besluit op uw aanvraag meerzorg: afwijzing"}
    assert xmp.dc_description == {"x-default": "MZ-2026-000123-B1"}
    assert xmp.xmp_create_date == dt.datetime(2026, 12, 7)
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>" in raw
    assert "/OutputIntents" in reader.trailer["/Root"]
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded
    # a BSN is never part of what the letter is made of
    velden = {f.name for c in (BriefInhoud, Geadresseerde, Afzender) for f in dataclasses.fields(c)}
    assert not any("bsn" in v.lower() for v in velden)


def test_the_same_letter_gives_the_same_bytes_and_hash():
    eerste, tweede = render_pdf(inhoud()), render_pdf(inhoud())
    assert eerste == tweede
    assert sha256_hex(eerste) == hashlib.sha256(eerste).hexdigest() == sha256_hex(tweede)
    assert len(sha256_hex(eerste)) == 64
    assert sha256_hex(render_pdf(inhoud(kenmerk="MZ-2026-000123-B2"))) != sha256_hex(eerste)


def test_the_first_page_renders_to_an_image():
    document = pypdfium2.PdfDocument(render_pdf(inhoud()))
    try:
        beeld = document[0].render(scale=50 / 72).to_pil()
    finally:
        document.close()
    breedte, hoogte = beeld.size  # A4 at 50 dpi: 413.4 × 584.6
    assert abs(breedte - 413) <= 1 and abs(hoogte - 585) <= 1
    assert beeld.convert("L").getextrema()[0] < 100  # there is dark text on the page
