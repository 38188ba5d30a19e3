"""The fixed Dutch texts of a besluit's letter (issue 25): the rechtsmiddelenclausule that the
Awb demands (3:45: that, by whom, within which term and where bezwaar or beroep is open) and
the fixed sentences around the letter's own content, with the Dutch forms of a date and of
the salutation. models/brief.py fills them in and renders them; the paragraphs starting
with "• " are list items.

The articles are those of the Algemene wet bestuursrecht (Awb): 1:2 (belanghebbende), 2:15
(digital channel), 3:45 (the clause itself), 6:4 (with whom), 6:5 (what a bezwaarschrift or
beroepschrift holds), 6:6 (grounds supplied later), 6:7 (six weeks), 6:8 (from the day after
the bekendmaking), 6:9 (in time by post), 6:16 (no suspension), 8:1 (beroep), 8:7 (which
rechtbank), 8:41 (griffierecht), 8:81 (voorlopige voorziening)."""

from __future__ import annotations

import datetime as dt

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

KOP_RECHTSMIDDEL = {"bezwaar": "Bezwaar maken", "beroep": "Beroep instellen"}

# The letter's first sentence, by its rechtsmiddel (a letter without one is a notice).
INLEIDING = {
    "bezwaar": "Met deze brief ontvangt u ons besluit. Hieronder leest u wat wij hebben "
    "besloten en waarom.",
    "beroep": "Met deze brief ontvangt u onze beslissing op het bezwaar. Hieronder leest u wat "
    "wij hebben besloten en waarom.",
    "geen": "Met deze brief informeren wij u over het volgende.",
}
KOP_DICTUM = {"bezwaar": "Besluit", "beroep": "Besluit", "geen": "Mededeling"}
AFSCHRIFT_INLEIDING = (
    "U ontvangt een afschrift van dit besluit, omdat u de aanvraag hebt ingediend."
)
AFSCHRIFT_REGEL = "u ontvangt dit besluit als aanvrager"
REGELS_INLEIDING = "Bij dit besluit hebben wij de volgende regels toegepast:"
VRAGEN = (
    "Hebt u vragen over deze brief? Neem dan contact met ons op en vermeld daarbij het kenmerk "
    "{kenmerk}."
)
DIGITAAL_VERZONDEN = "Verzonden via uw beveiligde digitale kanaal"
GROET = "Met vriendelijke groet,"
NAMENS = "Namens {naam} (mandaat),"

BEZWAAR = (
    "Bent u het niet eens met dit besluit? Dan kunt u daartegen bezwaar maken (artikel 3:45 "
    "en 6:4 van de Algemene wet bestuursrecht, hierna: Awb). Bezwaar maken kan iedere "
    "belanghebbende (artikel 1:2 Awb): de cliënt, de vertegenwoordiger van de cliënt, de "
    "budgethouder en de zorgaanbieder.",
    "U maakt bezwaar binnen zes weken. Die termijn begint op de dag na de dag waarop dit "
    "besluit is bekendgemaakt, dat is de dag na de dag waarop deze brief is verzonden "
    "(artikel 6:7 en 6:8 Awb). Uw bezwaarschrift is op tijd als wij het vóór het einde van de "
    "termijn hebben ontvangen, of als u het vóór het einde van de termijn per post hebt "
    "verstuurd en wij het niet later dan een week na het einde van de termijn ontvangen "
    "(artikel 6:9 Awb). Een bezwaarschrift dat te laat is, kunnen wij niet-ontvankelijk "
    "verklaren.",
    "U stuurt uw bezwaarschrift naar {naam}, {bezwaar_adres}.",
    "U kunt uw bezwaar ook digitaal indienen via {bezwaar_digitaal} (artikel 2:15 Awb).",
    "Uw bezwaarschrift is ondertekend en bevat ten minste (artikel 6:5 Awb):",
    "• uw naam en adres;",
    "• de datum;",
    "• een omschrijving van het besluit waartegen u bezwaar maakt: vermeld het kenmerk van "
    "deze brief en stuur zo mogelijk een kopie van deze brief mee;",
    "• de redenen waarom u het niet eens bent met het besluit (de gronden van het bezwaar).",
    "Maakt u bezwaar namens iemand anders, stuur dan ook een machtiging mee.",
    "Lukt het u niet om uw bezwaar binnen de termijn te onderbouwen? Dan kunt u binnen de "
    "termijn een bezwaarschrift zonder gronden indienen (een pro forma bezwaar). Wij geven u "
    "dan een redelijke termijn om de gronden alsnog in te dienen (artikel 6:6 Awb).",
    "Een bezwaar schort de werking van dit besluit niet op (artikel 6:16 Awb). Kunt u de "
    "beslissing op uw bezwaar niet afwachten, omdat uw situatie spoedeisend is? Dan kunt u "
    "naast het bezwaar de voorzieningenrechter van de rechtbank vragen om een voorlopige "
    "voorziening (artikel 8:81 Awb). Daarvoor betaalt u griffierecht.",
)

BEROEP = (
    "Bent u het niet eens met deze beslissing op bezwaar? Dan kunt u daartegen beroep instellen "
    "bij de rechtbank, sector bestuursrecht (artikel 3:45 en 8:1 van de Algemene wet "
    "bestuursrecht, hierna: Awb). Beroep instellen kan iedere belanghebbende (artikel 1:2 "
    "Awb): de cliënt, de vertegenwoordiger van de cliënt, de budgethouder en de zorgaanbieder. "
    "Tegen deze beslissing staat geen bezwaar meer open.",
    "U stelt beroep in binnen zes weken. Die termijn begint op de dag na de dag waarop deze "
    "beslissing is bekendgemaakt, dat is de dag na de dag waarop deze brief is verzonden "
    "(artikel 6:7 en 6:8 Awb).",
    "U stuurt uw beroepschrift naar de rechtbank van het arrondissement waar u woont of, als u "
    "een zorgaanbieder bent, waar u bent gevestigd (artikel 8:7 Awb). U kunt ook digitaal "
    "beroep instellen via het Digitaal loket van de Rechtspraak (www.rechtspraak.nl).",
    "Uw beroepschrift is ondertekend en bevat ten minste (artikel 6:5 Awb):",
    "• uw naam en adres;",
    "• de datum;",
    "• een omschrijving van de beslissing waartegen u beroep instelt: vermeld het kenmerk van "
    "deze brief en stuur zo mogelijk een kopie van deze brief mee;",
    "• de redenen waarom u het niet eens bent met de beslissing (de gronden van het beroep).",
    "Voor de behandeling van uw beroep betaalt u griffierecht (artikel 8:41 Awb). De rechtbank "
    "laat u weten hoeveel dat is en hoe u het betaalt.",
    "Een beroep schort de werking van deze beslissing niet op (artikel 6:16 Awb). Is uw "
    "situatie spoedeisend? Dan kunt u de voorzieningenrechter van de rechtbank vragen om een "
    "voorlopige voorziening (artikel 8:81 Awb).",
)

# The XMP packet of the PDF/A letter: its title is the onderwerp, its subject (description)
# the kenmerk, every date the besluit's date.
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
    'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
    'xmp:CreatorTool="meerzorg" xmp:CreateDate="{moment}" xmp:ModifyDate="{moment}" '
    'xmp:MetadataDate="{moment}" pdf:Keywords="{soort}">'
    "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
    '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{titel}</rdf:li></rdf:Alt></dc:title>'
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{kenmerk}</rdf:li>'
    "</rdf:Alt></dc:description>"
    "<dc:creator><rdf:Seq><rdf:li>{afzender}</rdf:li></rdf:Seq></dc:creator>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def datum_nl(datum: dt.date) -> str:
    """7 december 2026."""
    return f"{datum.day} {MAANDEN[datum.month - 1]} {datum.year}"


def aanhef(rol: str, naam: str) -> str:
    """ "Geachte mevrouw De Vries," for "mevrouw J. de Vries" (initials left out, the
    surname's first word capitalised); "Geachte heer, mevrouw," for an organisation."""
    if rol == "zorgaanbieder":
        return "Geachte heer, mevrouw,"
    woorden = naam.split()
    for titel in ("mevrouw", "de heer"):
        n = len(titel.split())
        if [w.lower() for w in woorden[:n]] == titel.split():
            rest = [w for w in woorden[n:] if not w.endswith(".")]
            if rest:
                rest[0] = rest[0][0].upper() + rest[0][1:]
                return f"Geachte {titel.split()[-1]} {' '.join(rest)},"
    return f"Geachte {naam},"
