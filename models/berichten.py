"""Dutch message templates for providers and the operations channel. Pseudonymous: they
carry the zaak key and the provider's own client reference, never a BSN or a name."""

from __future__ import annotations

SJABLONEN: dict[str, tuple[str, str]] = {
    "ontvangen": (
        "Meerzorgaanvraag {zaak} ontvangen",
        "Uw meerzorgaanvraag is geregistreerd onder zaaknummer {zaak}. "
        "Het zorgkantoor beslist uiterlijk {beslistermijn}.",
    ),
    "niet_ontvankelijk": (
        "Meerzorgaanvraag {zaak}: aanvulling nodig",
        "Uw aanvraag {zaak} is nog niet volledig of juist. Bevindingen:\n{bevindingen}\n"
        "Dien uiterlijk {herstel_uiterlijk} een aangepaste aanvraag in; daarna wordt de aanvraag "
        "buiten behandeling gesteld.",
    ),
    "buiten_behandeling": (
        "Meerzorgaanvraag {zaak} buiten behandeling",
        "De aanvraag {zaak} is niet op tijd aangevuld en is buiten behandeling gesteld.",
    ),
    "bijstellen": (
        "Meerzorgaanvraag {zaak}: bijstelling gevraagd",
        "Het zorgkantoor vraagt u de aanvraag {zaak} bij te stellen.\nOnderbouwing: {onderbouwing}\n"
        "Dien een bijgestelde aanvraag in. Bezwaar is mogelijk tot en met {bezwaar_uiterlijk}.",
    ),
    "afwijzen": (
        "Meerzorgaanvraag {zaak} afgewezen",
        "De aanvraag {zaak} is afgewezen.\nOnderbouwing: {onderbouwing}\n"
        "Bezwaar is mogelijk tot en met {bezwaar_uiterlijk} (Awb 6:7).",
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
    "mutatie_vertrek": (
        "Zaak {zaak}: client {client_id} vertrekt uit de groep",
        "De beschikking van client {client_id} in zaak {zaak} eindigt op {eind}.",
    ),
    "mutatie_instroom": (
        "Zaak {zaak}: client {client_id} ingestroomd",
        "Client {client_id} heeft in zaak {zaak} een eigen beschikking van {start} t/m {eind}.",
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
    "periodiek_contact": (
        "Zaak {zaak}: periodiek contact",
        "Plan het periodieke contact met client {client_id} (meerzorg thuis) in zaak {zaak}.",
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
}


def maak_bericht(sjabloon: str, **context) -> tuple[str, str]:
    onderwerp, tekst = SJABLONEN[sjabloon]
    return onderwerp.format(**context), tekst.format(**context)
