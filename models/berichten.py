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
}


def maak_bericht(sjabloon: str, **context) -> tuple[str, str]:
    onderwerp, tekst = SJABLONEN[sjabloon]
    return onderwerp.format(**context), tekst.format(**context)
