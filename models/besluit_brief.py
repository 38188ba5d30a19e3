"""What a besluit's letters say, as pure rules (issue 25): its soort, its addressees (the
applicant and, per client, the client, a vertegenwoordiger, the budgethouder: R §8 "een
eigen beschikking", Awb 3:41), and per addressee the dictum, the motivation with the rules
applied and their sources (Awb 3:46, 3:47) and the clause on bezwaar or beroep (Awb 3:45).
models/brief.py renders one to PDF; models/db/brieven.py stores and sends them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.aanvraag import Aanvraag
from models.beleid import BeleidsFout, beleid_versie
from models.besluit_regels import CRITERIA, PIJLER_NAMEN
from models.brief import Afzender, BriefInhoud, Geadresseerde
from models.brief_teksten import datum_nl
from models.partijen import geadresseerden

# The decision as the records system names it (ZGW besluittype, aanname: our own names).
SOORT_VAN_UITKOMST = {
    "afwijzen": "afwijzing",
    "bijstellen": "verzoek_bijstelling",
    "buiten_behandeling": "buiten_behandeling",
}
ONDERWERP = {
    "toekenning": "Besluit op uw aanvraag meerzorg: toekenning",
    "gedeeltelijke_toekenning": "Besluit op uw aanvraag meerzorg: gedeeltelijke toekenning",
    "afwijzing": "Besluit op uw aanvraag meerzorg: afwijzing",
    "verzoek_bijstelling": "Uw aanvraag meerzorg: verzoek tot bijstelling",
    "buiten_behandeling": "Besluit op uw aanvraag meerzorg: buiten behandeling",
    "instroom": "Besluit meerzorg: toekenning bij instroom in de groep",
    "beeindiging": "Besluit meerzorg: beëindiging",
    "intrekking": "Besluit meerzorg: intrekking",
    "beslissing_op_bezwaar": "Beslissing op uw bezwaar",
    "dwangsom": "Besluit: dwangsom bij niet tijdig beslissen op uw aanvraag meerzorg",
}


def bedrag_nl(bedrag: float) -> str:
    tekst = f"{bedrag:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {tekst}"


def besluit_soort(record: dict) -> str:
    """Toekenning, or a partial one when the term or amount is less than asked (the rest of
    the aanvraag is then refused, and that part is open to bezwaar like an afwijzing). A rule
    that takes another kind of besluit (a mutation, a beslissing op bezwaar) names it."""
    if record.get("soort"):
        return record["soort"]
    if record["uitkomst"] == "toekennen":
        minder = record.get("korter_dan_gevraagd") or record.get("lager_dan_rekentool")
        return "gedeeltelijke_toekenning" if minder else "toekenning"
    return SOORT_VAN_UITKOMST.get(record["uitkomst"], record["uitkomst"])


@dataclass(frozen=True, slots=True)
class Adressering:
    """One addressee of a besluit: who (roles, client) and where the letter goes. `doel` is
    the party's apprise URL for "digitaal", None for "post" and for the provider's own
    registered targets ("aanbieder")."""

    rollen: tuple[str, ...]
    client_id: str | None
    kanaal: str  # digitaal | post | aanbieder
    doel: str | None
    naam: str
    adres: tuple[str, ...]
    # The budgethouder who applied without a provider (models/aanvrager.py): the applicant.
    aanvrager: bool = False


def adresseringen(
    aanvraag: Aanvraag, client_ids: tuple[str, ...] | None = None
) -> list[Adressering]:
    """The applicant first, then per client every person who must receive the besluit; a
    besluit about some clients only (`client_ids`: a mutation) goes to theirs only. Without a
    provider the budgethouder is the applicant: its one letter (as client or vertegenwoordiger
    too) says so, and no letter goes to a provider."""
    out = []
    if aanvraag.zorgaanbieder is not None:
        naam = aanvraag.zorgaanbieder.naam
        out.append(Adressering(("zorgaanbieder",), None, "aanbieder", None, naam, ()))
    for client in aanvraag.clienten:
        if client_ids is not None and client.client_id not in client_ids:
            continue
        for p in geadresseerden(client):
            doel = None if p.kanaal == "post" else p.doel
            aanvrager = aanvraag.zorgaanbieder is None and "budgethouder" in p.rollen
            out.append(
                Adressering(p.rollen, p.client_id, p.kanaal, doel, p.naam, p.adres, aanvrager)
            )
    return out


def geadresseerde_van(adressering: Adressering) -> Geadresseerde:
    rol = adressering.rollen[0]
    return Geadresseerde(
        rol=rol if rol in ("client", "vertegenwoordiger", "budgethouder") else "zorgaanbieder",
        naam=adressering.naam,
        adres=adressering.adres,
        kanaal="post" if adressering.kanaal == "post" else "digitaal",
    )


def mededeling_inhoud(
    *,
    adressering: Adressering,
    zaak: str,
    kenmerk: str,
    datum,
    onderwerp: str,
    alineas: tuple[str, ...],
    afzender: Afzender,
) -> BriefInhoud:
    """A letter that is no besluit: no motivation, no rechtsmiddel (models/brief.py heads
    it "Mededeling")."""
    return BriefInhoud(
        afzender=afzender,
        geadresseerde=geadresseerde_van(adressering),
        kenmerk=kenmerk,
        zaak=zaak,
        datum=datum,
        onderwerp=onderwerp,
        besluit_soort="mededeling",
        dictum=alineas,
        motivering=(),
        regels=(),
        ondertekening_functie="afdeling Meerzorg",
        ondertekening_naam=None,
        rechtsmiddel="geen",
        clienten=(adressering.client_id,) if adressering.client_id else (),
    )


def brief_inhoud(
    *,
    adressering: Adressering,
    zaak: str,
    kenmerk: str,
    record: dict,
    aanvraag: Aanvraag,
    toets: dict | None,
    beschikkingen: list[dict],
    afzender: Afzender,
    functie: str,
) -> BriefInhoud:
    """The letter to one addressee: a client's party reads the dictum about that client only
    (R §8); the applicant reads it for every client of the aanvraag."""
    soort = besluit_soort(record)
    # A besluit about some clients (a mutation) concerns those only, for the applicant too.
    betrokken = record.get("client_ids") or [c.client_id for c in aanvraag.clienten]
    clienten = (adressering.client_id,) if adressering.client_id else tuple(betrokken)
    return BriefInhoud(
        afzender=afzender,
        geadresseerde=geadresseerde_van(adressering),
        kenmerk=kenmerk,
        zaak=zaak,
        datum=record["datum"],
        onderwerp=ONDERWERP.get(soort, "Besluit op uw aanvraag meerzorg"),
        besluit_soort=soort,
        dictum=dictum(soort, record, aanvraag, beschikkingen, clienten, zaak),
        motivering=_waarom_u(adressering) + motivering(soort, record, toets),
        regels=regels(soort, record),
        ondertekening_functie=functie,
        ondertekening_naam=None,
        rechtsmiddel=record.get("rechtsmiddel") or "bezwaar",
        clienten=clienten,
    )


ROL_NAMEN = {
    "client": "de cliënt zelf",
    "vertegenwoordiger": "vertegenwoordiger",
    "budgethouder": "budgethouder",
}


def _waarom_u(adressering: Adressering) -> tuple[str, ...]:
    """Awb 3:41: why this addressee receives the besluit (its role to the client)."""
    if adressering.client_id is None:
        return ()
    if adressering.aanvrager:
        return (
            f"U ontvangt dit besluit als aanvrager: u bent budgethouder van cliënt "
            f"{adressering.client_id} en hebt de aanvraag zonder zorgaanbieder ingediend.",
        )
    if adressering.rollen[0] == "client":
        extra = " en budgethouder" if "budgethouder" in adressering.rollen else ""
        return (f"U ontvangt dit besluit als cliënt{extra} ({adressering.client_id}).",)
    rollen = " en ".join(ROL_NAMEN[r] for r in adressering.rollen)
    return (f"U ontvangt dit besluit als {rollen} van cliënt {adressering.client_id}.",)


def dictum(
    soort: str,
    record: dict,
    aanvraag: Aanvraag,
    beschikkingen: list[dict],
    clienten: tuple[str, ...],
    zaak: str,
) -> tuple[str, ...]:
    aanvraag_van = f"de aanvraag om meerzorg in zaak {zaak}"
    if record.get("dictum"):  # the rule that took it wrote its dictum (a mutation, a bezwaar)
        return tuple(record["dictum"])
    if soort in ("toekenning", "gedeeltelijke_toekenning"):
        regels_ = [
            f"Het zorgkantoor kent voor client {b['client_id']} meerzorg toe van "
            f"{datum_nl(b['start'])} tot en met {datum_nl(b['eind'])}: "
            f"{b.get('uitkomst_rekentool') or 'maatwerk'}, {bedrag_nl(b['bedrag_per_jaar'])} per "
            "jaar."
            for b in beschikkingen
            if b["client_id"] in clienten
        ]
        if soort == "gedeeltelijke_toekenning":
            gevraagd = (
                f"gevraagd was {datum_nl(aanvraag.gevraagde_start)} tot en met "
                f"{datum_nl(aanvraag.gevraagde_eind)}"
            )
            regels_.append(
                "Voor het overige wijst het zorgkantoor de aanvraag af ("
                + "; ".join(
                    t
                    for t, ja in (
                        (f"de termijn is korter: {gevraagd}", record.get("korter_dan_gevraagd")),
                        (
                            "het bedrag is lager dan de uitkomst van de rekentool",
                            record.get("lager_dan_rekentool"),
                        ),
                    )
                    if ja
                )
                + ")."
            )
        return tuple(regels_)
    if soort == "afwijzing":
        return (f"Het zorgkantoor wijst {aanvraag_van} af.",)
    if soort == "buiten_behandeling":
        return (f"Het zorgkantoor stelt {aanvraag_van} buiten behandeling (artikel 4:5 Awb).",)
    if soort == "verzoek_bijstelling":
        wie = "de zorgaanbieder" if aanvraag.zorgaanbieder is not None else "de budgethouder"
        return (f"Het zorgkantoor verzoekt {wie} {aanvraag_van} bij te stellen.",) + (
            bijstelling_regels(record.get("bijstelling"))
        )
    return (f"Het zorgkantoor heeft besloten op {aanvraag_van}: {soort}.",)


def bijstelling_regels(b: dict | None) -> tuple[str, ...]:
    """R §10 bijstellen: by when, and whether the beslistermijn is suspended (Awb 4:15 lid 2
    sub a: only with the applicant's consent), for every addressee of the letter."""
    if not b or not b.get("uiterlijk"):
        return ()
    opschorting = (
        "De aanvrager heeft ingestemd met opschorting van de beslistermijn tot de bijgestelde "
        "aanvraag binnen is (artikel 4:15 lid 2 Awb)."
        if b.get("instemming_opschorting")
        else "De aanvrager heeft niet ingestemd met opschorting: de beslistermijn loopt door "
        "(artikel 4:13 en 4:15 Awb)."
    )
    return (
        "De bijgestelde aanvraag wordt uiterlijk "
        f"{datum_nl(dt.date.fromisoformat(b['uiterlijk']))} verwacht. {opschorting} Komt er "
        "geen bijgestelde aanvraag, dan beslist het zorgkantoor op de aanvraag zoals die er ligt.",
    )


def motivering(soort: str, record: dict, toets: dict | None) -> tuple[str, ...]:
    out = list(record.get("motivering") or ())  # what the rule that took it adds first
    if record.get("onderbouwing"):
        out.append(f"Onderbouwing: {record['onderbouwing']}")
    for pijler, oordeel in (record.get("pijlers") or {}).items():
        naam = PIJLER_NAMEN.get(pijler, pijler)
        tekst = f"{naam[:1].upper()}{naam[1:]}: {oordeel.get('oordeel')}."
        if oordeel.get("motivering"):
            tekst += f" {oordeel['motivering']}"
        out.append(tekst)
    criteria = record.get("criteria") or {}
    voldaan = [vraag for k, vraag in CRITERIA.items() if criteria.get(k)]
    if voldaan:
        out.append("Het zorgkantoor stelt vast: " + "; ".join(voldaan) + ".")
    toets = toets or {}
    pct = toets.get("overschrijding_pct")
    if pct is not None and soort in ("toekenning", "gedeeltelijke_toekenning", "afwijzing"):
        drempel = _drempel(record.get("beleidsversie"))
        out.append(
            f"De zorg die de aanvraag beschrijft, gaat {pct:.0f}% boven de norm van het "
            "zorgprofiel"
            + (f"; meerzorg vraagt ten minste {drempel * 100:.0f}% (R §10)." if drempel else ".")
        )
    rekentool = toets.get("uitkomst_rekentool") or {}
    if soort in ("toekenning", "gedeeltelijke_toekenning") and toets.get("bedrag_per_jaar"):
        out.append(
            "De rekentool geeft voor deze aanvraag "
            f"{rekentool.get('profiel') or rekentool.get('soort') or 'maatwerk'}: "
            f"{bedrag_nl(float(toets['bedrag_per_jaar']))} per jaar."
        )
    if record.get("coulant"):
        out.append(
            "Het gaat om een verlenging van meerzorg thuis; het zorgkantoor heeft die coulant "
            "beoordeeld (N 2025)."
        )
    if not out:
        out.append(
            "Het zorgkantoor heeft de aanvraag beoordeeld aan de hand van de regels hieronder."
        )
    return tuple(out)


def _drempel(versie: str | None) -> float | None:
    try:
        return beleid_versie(versie).drempel if versie else None
    except BeleidsFout:
        return None


def regels(soort: str, record: dict) -> tuple[tuple[str, str], ...]:
    out = [
        ("Meerzorg is zorg boven het zorgprofiel, beoordeeld op drie pijlers", "R §10"),
        (
            "Beleid van het zorgkantoor op de datum van het besluit",
            f"beleid {record['beleidsversie']}",
        ),
        ("Een besluit berust op een deugdelijke, kenbare motivering", "Awb 3:46, 3:47"),
    ]
    if soort == "dwangsom":  # about the term, not the care (models/dwangsom.py)
        del out[0]
    if soort in ("toekenning", "gedeeltelijke_toekenning"):
        out += [("Iedere client krijgt een eigen beschikking", "R §8"), ("Termijn", "R §9")]
    if soort == "buiten_behandeling":
        out.append(("Een aanvraag die niet is aangevuld", "Awb 4:5"))
    if record.get("coulant"):
        out.append(("Coulante beoordeling van een verlenging thuis", "N 2025"))
    out += [(tekst, bron) for tekst, bron in record.get("regels") or ()]  # the rule's own
    return tuple(out)
