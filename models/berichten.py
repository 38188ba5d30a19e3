"""Dutch message templates for providers and the operations channel. Pseudonymous: they
carry the zaak key and the provider's own client reference, never a BSN or a name.

The templates of the first waits and rules are here; a wait added later declares its own
next to its rules with `sjablonen(...)` (models/zienswijze.py, models/bijstelling.py,
models/dwangsom.py), so adding a wait does not touch this module (docs/uitbreiden.md). The
text is rendered when the transition queues its message, in the process that made the
`Bericht`, which imported the rule that declared its template."""

from __future__ import annotations

SJABLONEN: dict[str, tuple[str, str]] = {
    "ontvangen": (
        "Meerzorgaanvraag {zaak} ontvangen",
        "Uw meerzorgaanvraag is geregistreerd onder zaaknummer {zaak}. "
        "Het zorgkantoor beslist uiterlijk {beslistermijn}.",
    ),
    # Awb 4:5: only what is missing; the beslistermijn is suspended meanwhile (Awb 4:15).
    "niet_ontvankelijk": (
        "Meerzorgaanvraag {zaak}: aanvulling nodig",
        "Uw aanvraag {zaak} is nog niet volledig. Ontbrekend:\n{bevindingen}\n"
        "Vul de aanvraag uiterlijk {herstel_uiterlijk} aan. Tot de aanvulling is ontvangen, is de "
        "beslistermijn opgeschort (Awb 4:15). Is de aanvraag dan niet aangevuld, dan kan het "
        "zorgkantoor besluiten haar niet te behandelen (Awb 4:5).",
    ),
    # Awb 4:5 besluit; its motivation (3:46) and bezwaar clause (3:45, 6:7, 6:8) are in the
    # letter attached. A notification carries no free text (an onderbouwing may name a
    # client): it points to the letter, where the motivation is (issue 25).
    "buiten_behandeling": (
        "Meerzorgaanvraag {zaak} buiten behandeling",
        "Besluit van {datum}: de aanvraag {zaak} wordt buiten behandeling gesteld (Awb 4:5).\n"
        "De motivering staat in de brief in de bijlage.\n"
        "Bent u het niet eens met dit besluit, dan kunt u binnen zes weken na de dag van "
        "verzending bezwaar maken (Awb 6:7, 6:8); de brief in de bijlage zegt hoe. U kunt ook een "
        "nieuwe, volledige aanvraag indienen.",
    ),
    "afwijzen": (
        "Meerzorgaanvraag {zaak} afgewezen",
        "De aanvraag {zaak} is afgewezen; de motivering staat in de brief in de bijlage.\n"
        "Het besluit staat in de brief in de bijlage, met hoe u bezwaar kunt maken: binnen zes "
        "weken vanaf de dag na verzending (Awb 6:7, 6:8).",
    ),
    "bezwaar_ontvangen": (
        "Bezwaar in zaak {zaak} ontvangen",
        "Uw bezwaar in zaak {zaak} is ontvangen; de aanvraag wordt opnieuw beoordeeld.",
    ),
    "afgesloten_na_bezwaartermijn": (
        "Zaak {zaak} afgesloten",
        "De bezwaartermijn in zaak {zaak} is verstreken; de zaak is afgesloten.",
    ),
    "toekennen": (
        "Meerzorg toegekend in zaak {zaak}",
        "Meerzorg is toegekend in zaak {zaak}.\n{beschikkingen}\n"
        "Start de herbeoordeling uiterlijk {herbeoordeling_start}.",
    ),
    "herbeoordeling": (
        "Zaak {zaak}: start de herbeoordeling",
        "De beschikking(en) in zaak {zaak} eindigen op {einde}. Bereid de evaluatie van de doelen "
        "voor (behaald / deels / niet) en vraag zo nodig tijdig verlenging aan; meerzorg kent geen "
        "terugwerkende kracht.",
    ),
    "passende_overgang": (
        "Zaak {zaak}: passende overgang voorbereiden",
        "De beschikking in zaak {zaak} eindigt op {einde}. VG7-plus kent in principe geen verlenging: "
        "bereid samen met het zorgkantoor een passende overgang voor.",
    ),
    "beeindigd": (
        "Meerzorg in zaak {zaak} beeindigd",
        "De beschikking(en) in zaak {zaak} zijn op {einde} geeindigd; de zaak is afgesloten.",
    ),
    # Awb 6:16: the beschikking ends on its last day while a bezwaar is handled.
    "beeindigd_tijdens_bezwaar": (
        "Meerzorg in zaak {zaak} beeindigd",
        "De beschikking(en) in zaak {zaak} zijn op {einde} geeindigd. Het bezwaar loopt door; "
        "de zaak sluit na de beslissing op bezwaar of het nieuwe besluit.",
    ),
    "verlenging_ontbreekt": (
        "Zaak {zaak}: geen verlenging ontvangen",
        "In zaak {zaak} is de uiterlijke datum voor evaluatie en verlenging verstreken zonder aanvraag. "
        "De beschikking eindigt op {einde}; neem contact op met de zorgaanbieder.",
    ),
    "passende_overgang_ontbreekt": (
        "Zaak {zaak}: passende overgang nog niet geregeld",
        "In zaak {zaak} is de passende overgang nog niet afgesproken; de termijn is verstreken.",
    ),
    "passende_overgang_thuis": (
        "Zaak {zaak}: passende overgang regelen (meerzorg thuis)",
        "De verlenging van meerzorg thuis in zaak {zaak} is afgewezen. Regel uiterlijk {uiterlijk} "
        "per client een passende overgang (N 2025).",
    ),
    "geen_passende_zorg": (
        "Signaal zaak {zaak}: geen passende zorg mogelijk",
        "In zaak {zaak} is binnen de regels geen passende zorg te organiseren (N 2025: signaleren).",
    ),
    "ontwikkeltraject_overtreding": (
        "Zaak {zaak}: ontwikkeltraject te laat",
        "Voor client {client_id} in zaak {zaak} is op {uiterlijk} geen afgerond CCE-ontwikkeltraject "
        "geregistreerd (R §10: minstens eens per drie jaar).",
    ),
    # Each mutation is a besluit (models/mutatie.py): the letter in the bijlage carries its
    # dictum, motivation and clause (Awb 3:45-3:47); the bezwaar term runs from its bekendmaking.
    "mutatie_vertrek": (
        "Zaak {zaak}: client {client_id} vertrekt uit de groep",
        "Besluit: de beschikking van client {client_id} in zaak {zaak} eindigt op {eind} "
        "(vertrek uit de groep, R §8).\n"
        "Het besluit staat in de brief in de bijlage, met de motivering en hoe u bezwaar kunt "
        "maken: binnen zes weken vanaf de dag na verzending (Awb 6:7, 6:8).",
    ),
    "mutatie_instroom": (
        "Zaak {zaak}: client {client_id} ingestroomd",
        "Besluit: client {client_id} heeft in zaak {zaak} een eigen beschikking van {start} t/m "
        "{eind}, {bedrag} euro per jaar (R §8).\n"
        "Het besluit staat in de brief in de bijlage, met de motivering en hoe u bezwaar kunt "
        "maken: binnen zes weken vanaf de dag na verzending (Awb 6:7, 6:8).",
    ),
    "groep_te_klein": (
        "Zaak {zaak}: groep onder twee clienten",
        "De groep in zaak {zaak} heeft nog {aantal} client(en) met meerzorg: herbeoordeel de groepsmeerzorg (R §8).",
    ),
    "beslistermijn_waarschuwing": (
        "Beslistermijn zaak {zaak} bijna verstreken",
        "Zaak {zaak} wacht sinds {wacht_sinds} op een beoordeling; de beslistermijn verstrijkt op "
        "{beslistermijn} (Awb 4:13).",
    ),
    "ontwikkeltraject_herinnering": (
        "Zaak {zaak}: ontwikkeltraject plannen",
        "Voor client {client_id} in zaak {zaak} moet uiterlijk {uiterlijk} een CCE-ontwikkeltraject "
        "(twee bijeenkomsten) zijn afgerond.",
    ),
    # N 2025: the zorgkantoor itself keeps the contact; these go to operations, not the provider.
    "periodiek_contact": (
        "Zaak {zaak}: contact met client {client_id} (meerzorg thuis)",
        "Neem uiterlijk {uiterlijk} contact op met client {client_id} in zaak {zaak} en ga na of "
        "de situatie thuis verantwoord is (N 2025). Leg het contact en de bevinding vast: "
        "meerzorg contact {zaak} --client {client_id} --bevinding verantwoord|zorgen|"
        "'niet verantwoord'.",
    ),
    "contact_taak_verlopen": (
        "Zaak {zaak}: contact met client {client_id} niet vastgelegd",
        "Het contact met client {client_id} in zaak {zaak} (meerzorg thuis) was uiterlijk "
        "{uiterlijk} nodig en is niet vastgelegd. De taak blijft open in de werkvoorraad.",
    ),
    "contact_niet_verantwoord": (
        "Zaak {zaak}: situatie client {client_id} niet verantwoord",
        "Bij het contact van {datum} met client {client_id} in zaak {zaak} (meerzorg thuis) is "
        "de situatie niet verantwoord bevonden. Onderneem actie (N 2025); het verslag staat "
        "in het dossier.",
    ),
    "intake_ongeldig": (
        "Aanvraag {referentie} niet in behandeling genomen",
        "Uw aanvraag met referentie {referentie} kon niet worden ingelezen: {fout}",
    ),
    "aflevering_mislukt": (
        "Notificatie {notificatie} niet afgeleverd",
        "Notificatie {notificatie} (zaak {zaak}) is na {pogingen} pogingen niet afgeleverd: {fout}",
    ),
    # The meerzorgdialoog's (models/dialoog_proces.py). Pseudonymous like every message: the
    # dialoog key (dialoog-<agb>-<jaar>), the provider's AGB and dates; never free text from
    # the verslag.
    "dialoog_uitnodiging": (
        "Uitnodiging meerzorgdialoog {jaar} ({zaak})",
        "U bent uitgenodigd voor de jaarlijkse meerzorgdialoog {jaar} met het zorgkantoor en het "
        "CCE op {dialoog}. Lever het meerzorgplan en de groepsevaluatie uiterlijk "
        "{meerzorgplan_uiterlijk} aan.\nAgenda:\n{agenda}",
    ),
    "dialoog_uitnodiging_cce": (
        "Meerzorgdialoog {jaar} zorgaanbieder {aanbieder}: uitnodiging CCE ({zaak})",
        "De meerzorgdialoog {jaar} met zorgaanbieder {aanbieder} is gepland op {dialoog}. "
        "Het CCE is uitgenodigd; het meerzorgplan is uiterlijk {meerzorgplan_uiterlijk} binnen.",
    ),
    "dialoog_herinnering_meerzorgplan": (
        "Herinnering: meerzorgplan voor de dialoog {jaar} ({zaak})",
        "Het meerzorgplan en de groepsevaluatie voor de meerzorgdialoog {jaar} op {dialoog} zijn "
        "uiterlijk {meerzorgplan_uiterlijk} nodig en nog niet ontvangen.",
    ),
    "dialoog_meerzorgplan_ontbreekt": (
        "Meerzorgplan ontbreekt: zorgaanbieder {aanbieder}, dialoog {jaar} ({zaak})",
        "Het meerzorgplan van zorgaanbieder {aanbieder} voor de dialoog {jaar} op {dialoog} was "
        "uiterlijk {meerzorgplan_uiterlijk} nodig en is niet ontvangen. Neem contact op of "
        "verplaats de dialoog.",
    ),
    "dialoog_plan_ontvangen": (
        "Meerzorgplan ontvangen voor de dialoog {jaar} ({zaak})",
        "Het meerzorgplan voor de meerzorgdialoog {jaar} is ontvangen op {ontvangen}. "
        "De dialoog staat gepland op {dialoog}.",
    ),
    "dialoog_verplaatst": (
        "Meerzorgdialoog {jaar} verplaatst ({zaak})",
        "De meerzorgdialoog {jaar} is verplaatst naar {dialoog}. Het meerzorgplan is uiterlijk "
        "{meerzorgplan_uiterlijk} nodig.",
    ),
    "dialoog_niet_uitgenodigd": (
        "Meerzorgdialoog {jaar} zorgaanbieder {aanbieder} niet uitgenodigd ({zaak})",
        "De uitnodiging voor de meerzorgdialoog {jaar} met zorgaanbieder {aanbieder} had uiterlijk "
        "{uitnodiging} verstuurd moeten zijn. Start de planning: meerzorg dialoog plan --jaar {jaar}.",
    ),
    "dialoog_verslag_ontbreekt": (
        "Verslag meerzorgdialoog {jaar} zorgaanbieder {aanbieder} ontbreekt ({zaak})",
        "De meerzorgdialoog {jaar} met zorgaanbieder {aanbieder} stond op {dialoog}; het verslag "
        "met de afspraken is nog niet vastgelegd.",
    ),
    "dialoog_afgerond": (
        "Verslag meerzorgdialoog {jaar} vastgelegd ({zaak})",
        "Het verslag van de meerzorgdialoog {jaar} (gehouden op {gehouden_op}) is vastgelegd met "
        "{aantal} afspraken. Ze komen terug in de terugblik van de dialoog {volgend_jaar}.",
    ),
    # N 2025: after a rejected thuis verlenging the zorgkantoor itself contacts the client.
    "contact_client_thuis": (
        "Zaak {zaak}: contact met de client plannen (meerzorg thuis)",
        "De verlenging van meerzorg thuis in zaak {zaak} is afgewezen. Het zorgkantoor (niet de "
        "zorgaanbieder) plant uiterlijk {uiterlijk} een contactmoment met client(en) {clienten}: "
        "bespreek de passende overgang en ga na of de situatie verantwoord is (N 2025).",
    ),
    # Bezwaar (models/bezwaar.py): the acknowledgement (Awb 6:14), the hoorzitting (7:2), the
    # verdaging (7:10 lid 3) and the beslissing op bezwaar with the beroep clause (6:7, 8:1).
    # The provider receives each; an indiener on a client's side is named by role only, and
    # receives the beslissing op bezwaar as its own letter (models/db/brieven.py).
    "bezwaar_ontvangstbevestiging": (
        "Bezwaar in zaak {zaak} ontvangen",
        "Het bezwaarschrift van {indiener} tegen het besluit van {besluit_datum} in zaak {zaak} "
        "is ontvangen op {ontvangen}, {termijn}. {aanvulling}Het bezwaar van {indieners} wordt "
        "behandeld door iemand die niet bij het besluit betrokken was (Awb 7:5). De indieners "
        "worden uitgenodigd voor een hoorzitting, tenzij daarvan mag worden afgezien (Awb 7:2, "
        "7:3). Het zorgkantoor beslist uiterlijk {uiterlijk} (Awb 7:10).",
    ),
    "bezwaar_hoorzitting": (
        "Zaak {zaak}: hoorzitting over het bezwaar",
        "Het zorgkantoor hoort {indieners} over het bezwaar in zaak {zaak} op {datum} (Awb 7:2). "
        "Stukken kunnen tot tien dagen voor de hoorzitting worden gestuurd (Awb 7:4).",
    ),
    "bezwaar_verdaagd": (
        "Zaak {zaak}: beslissing op bezwaar verdaagd",
        "De beslissing op het bezwaar van {indieners} in zaak {zaak} wordt verdaagd tot uiterlijk "
        "{uiterlijk} (Awb 7:10 lid 3). Reden: {reden}",
    ),
    "bezwaar_beslist": (
        "Zaak {zaak}: beslissing op bezwaar ({uitkomst})",
        "Het bezwaar van {indieners} tegen het besluit van {besluit_datum} in zaak {zaak} is "
        "{uitkomst}.\n{gevolg}\n"
        "De beslissing op bezwaar staat in de brief in de bijlage. Bent u het er niet mee eens, "
        "dan kunt u binnen zes weken na de dag van verzending beroep instellen bij de rechtbank "
        "(Awb 6:7, 8:1).",
    ),
    # Awb 6:6: the gronden of a pro forma bezwaar did not come in time; a person decides.
    "bezwaar_gronden_verstreken": (
        "Zaak {zaak}: gronden van het bezwaar niet ontvangen",
        "De termijn om de gronden van het pro forma bezwaar in zaak {zaak} aan te vullen liep "
        "tot en met {uiterlijk} (Awb 6:6). Een behandelaar beslist: niet-ontvankelijk, of verder "
        "met alsnog ontvangen gronden (meerzorg bezwaar gronden).",
    ),
    "bezwaar_herinnering": (
        "Zaak {zaak}: beslissing op bezwaar uiterlijk {uiterlijk}",
        "De beslissing op het bezwaar in zaak {zaak} moet uiterlijk {uiterlijk} genomen zijn "
        "(Awb 7:10). Verdaag zo nodig eenmaal met zes weken: meerzorg bezwaar verdaag.",
    ),
    "bezwaar_termijn_verstreken": (
        "Zaak {zaak}: termijn beslissing op bezwaar verstreken",
        "De termijn voor de beslissing op het bezwaar in zaak {zaak} is verstreken op "
        "{uiterlijk} (Awb 7:10). Beslis zo spoedig mogelijk; de indiener kan beroep instellen "
        "wegens niet tijdig beslissen (Awb 6:2, 6:12).",
    ),
    # Awb 4:14: the beslistermijn extended once, with the reason and the new date.
    "beslistermijn_verlengd": (
        "Meerzorgaanvraag {zaak}: beslistermijn verlengd",
        "Het zorgkantoor kan niet binnen de beslistermijn beslissen op uw aanvraag {zaak}. "
        "Reden: {reden}\nU ontvangt het besluit uiterlijk {beslistermijn} (Awb 4:14).",
    ),
}


def sjablonen(**nieuw: tuple[str, str]) -> None:
    """Declare the templates (subject, text) of a rule's messages next to the rule, at its
    import. A name that exists already is refused: two rules would share one text."""
    for naam, (onderwerp, tekst) in nieuw.items():
        if naam in SJABLONEN:
            raise ValueError(f"bericht '{naam}' heeft al een sjabloon; kies een andere naam")
        SJABLONEN[naam] = (onderwerp, tekst)


def maak_bericht(sjabloon: str, **context) -> tuple[str, str]:
    onderwerp, tekst = SJABLONEN[sjabloon]
    return onderwerp.format(**context), tekst.format(**context)
