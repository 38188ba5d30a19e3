"""A running beschikking as pure rules: what a due timer does, the provider's evaluation,
the passende overgang, and what staff record during the term (CCE, periodic contact)."""

from __future__ import annotations

import datetime as dt

from models import bezwaar_termijnen, bijstelling, dwangsom, dwangsom_besluit
from models.aanvraag import parse_aanvraag
from models.beleid import Beleid, beleid_op, beleid_versie
from models.besluit import is_thuis_verlenging
from models.bevinding import ontbrekend
from models.contact import (
    ALLE_STATUSSEN,
    NA_AFWIJZING,
    NA_AFWIJZING_STATUSSEN,
    TAAK_SOORT,
    contact_na_afwijzing,
    contact_taak,
    contact_taak_verlopen,
    contact_vastgelegd,
    opvolg_taken,
    thuis_overgang,
    valideer_contact,
)
from models.engine import Bericht, OngeldigeInvoer, Overgang, TermijnRegel, invoer_datum
from models.overgang import (
    BESCHIKKING_ACTIEF,
    BEZWAAR_STATUSSEN,
    EVALUATIE_UITKOMSTEN,
    BesluitVastgelegd,
    EvaluatieVastgelegd,
    NieuweRonde,
    OntwikkeltrajectVastgelegd,
    Stand,
    VervolgAangevraagd,
    ZaakOvergang,
)
from models.overgang import ZaakStatus as S
from models.planner import (
    beslistermijn_van,
)

BEZWAAR_TERMIJN_STATUSSEN = BEZWAAR_STATUSSEN | {S.BEOORDELING, S.TWEEDE_BEOORDELING}


def _einde(context: dict) -> str:
    einde = context.get("einde")
    return einde.isoformat() if isinstance(einde, dt.date) else "?"


def _escalatie(stand: Stand, actie: str, sjabloon: str, **bericht) -> Overgang:
    """An alert to operations; the zaak keeps its wait (nothing new to answer)."""
    return ZaakOvergang(
        status=stand.status,
        actie=actie,
        nieuwe_wacht=False,
        effecten=(Bericht(sjabloon, kanaal="operations", **bericht),),
    )


def herstel_verstreken(stand, datum, client_id, context) -> Overgang:
    """Awb 4:5: an aanvraag not completed within the term is put buiten behandeling by a
    *besluit*: recorded with an onderbouwing naming what was missing (3:46), sent to the
    provider with the bezwaar clause (3:45, 6:7). The zaak closes as buiten_behandeling; a
    bezwaar against it reopens it (models/bezwaar.py). Not for a bijstelling (a complete
    aanvraag, R §10): a herstel term planned in one before issue 26 does what the
    bijstelling's own term does, it returns the zaak to the beoordelaar."""
    if stand.status == S.BIJSTELLING:
        return bijstelling.verstreken(stand, datum, client_id, context)
    beleid = beleid_op(datum)
    onderbouwing = buiten_behandeling_onderbouwing(stand)
    record = {
        "uitkomst": "buiten_behandeling",
        "onderbouwing": onderbouwing,
        "beoordelaar": "deadline-sweep",
        "pijlers": {},
        "datum": datum,
        # A round of its own: the bijstellen besluit of this round, if any, stays as it is.
        "ronde": stand.ronde + 1,
        "beleidsversie": beleid.versie,
        "coulant": False,
    }
    # N 2025: a thuis verlenging that ends buiten behandeling (the usual outcome when a new
    # CIZ indicatie takes longer than the herstel term) gets the passende overgang and the
    # contact, as an afwijzing does; the zaak waits for the overgang (models/contact.py).
    extra, thuis = thuis_overgang(stand, datum, beleid) if is_thuis_verlenging(stand) else ({}, ())
    return ZaakOvergang(
        status=S.PASSENDE_OVERGANG if thuis else S.BUITEN_BEHANDELING,
        actie="buiten_behandeling",
        details={"besluit": "buiten_behandeling"},
        effecten=(
            NieuweRonde(),
            BesluitVastgelegd({**record, **extra}),
            Bericht(
                "buiten_behandeling",
                bijlage=True,
                context={"datum": datum.isoformat(), "onderbouwing": onderbouwing},
            ),
            *thuis,
        ),
    )


def buiten_behandeling_onderbouwing(stand: Stand) -> str:
    """What was missing, from the stored toets (client ids and codes only, no BSN or name)."""
    missend = ontbrekend((stand.toets or {}).get("bevindingen", []))
    wat = " ".join(b["toelichting"] for b in missend) or "de gevraagde aanvulling."
    return (
        f"De aanvraag is niet binnen de hersteltermijn aangevuld. Ontbrekend: {wat} "
        "De aanvraag wordt daarom buiten behandeling gesteld (art. 4:5 Awb)."
    )


def bezwaartermijn_verstreken(stand, datum, client_id, context) -> Overgang:
    """Awb 6:7: no bezwaar within six weeks; N 2025: a rejected thuis-verlenging gets a
    passende overgang, not a silent end."""
    status = S.PASSENDE_OVERGANG if is_thuis_verlenging(stand) else S.AFGEWEZEN
    return ZaakOvergang(
        status=status,
        actie="bezwaartermijn_verstreken",
        effecten=(Bericht("afgesloten_na_bezwaartermijn"),),
    )


def beslistermijn_waarschuwing(stand, datum, client_id, context) -> Overgang | None:
    """Awb 4:13: operations hears a week before the decision term ends. Also while a
    bijstelling is awaited without the applicant's consent to suspend (the term runs on);
    with consent it is suspended (Awb 4:15 lid 2 sub a): no warning then, the return to the
    beoordeling plans the new one (models/bijstelling.py)."""
    if stand.status == S.BIJSTELLING and (stand.bijstelling or {}).get("instemming_opschorting"):
        return None
    beleid = beleid_versie_of_op(stand, datum)
    return _escalatie(
        stand,
        "beslistermijn_waarschuwing",
        "beslistermijn_waarschuwing",
        context={
            "wacht_sinds": (stand.wacht_sinds or stand.ingediend_op).isoformat(),
            "beslistermijn": beslistermijn_van(stand, beleid).isoformat(),
        },
    )


def passende_overgang_verstreken(stand, datum, client_id, context) -> Overgang:
    return _escalatie(stand, "passende_overgang_escalatie", "passende_overgang_ontbreekt")


def passende_overgang_start(stand, datum, client_id, context) -> Overgang:
    """R §9: VG7-plus has in principle no verlenging: prepare a passende overgang."""
    return ZaakOvergang(
        status=S.PASSENDE_OVERGANG,
        actie="herbeoordeling_gestart",
        effecten=(Bericht("passende_overgang", context={"einde": _einde(context)}),),
    )


def herbeoordeling_start(stand, datum, client_id, context) -> Overgang:
    """R §11: the provider evaluates the goals and may ask for a verlenging."""
    if any(c.vg7_plus for c in stand.aanvraag.clienten):
        # VG7-plus zaken granted before the plan was the one source have this timer instead.
        return passende_overgang_start(stand, datum, client_id, context)
    return ZaakOvergang(
        status=S.HERBEOORDELING,
        actie="herbeoordeling_gestart",
        effecten=(Bericht("herbeoordeling", context={"einde": _einde(context)}),),
    )


def verlenging_verstreken(stand, datum, client_id, context) -> Overgang:
    sjabloon = (
        "verlenging_ontbreekt"
        if stand.status == S.HERBEOORDELING
        else "passende_overgang_ontbreekt"
    )
    return _escalatie(stand, "verlenging_escalatie", sjabloon, context={"einde": _einde(context)})


def einde_beschikking(stand, datum, client_id, context) -> Overgang:
    return ZaakOvergang(
        status=S.BEEINDIGD,
        actie="beschikking_beeindigd",
        effecten=(Bericht("beeindigd", context={"einde": _einde(context)}),),
    )


def ontwikkeltraject_herinnering(stand, datum, client_id, context) -> Overgang | None:
    """R §10: provider and CCE are reminded, only while no timely ontwikkeltraject is known."""
    if context.get("cce_ok", False):
        return None
    bericht = {"client_id": client_id, "uiterlijk": str(context.get("uiterlijk", "?"))}
    return ZaakOvergang(
        status=stand.status,
        actie="ontwikkeltraject_herinnering",
        nieuwe_wacht=False,
        effecten=(
            Bericht("ontwikkeltraject_herinnering", client_id=client_id, context=bericht),
            Bericht("ontwikkeltraject_herinnering", "cce", client_id=client_id, context=bericht),
        ),
    )


def ontwikkeltraject_overtreding(stand, datum, client_id, context) -> Overgang | None:
    """R §10: the three-year window passed without an ontwikkeltraject."""
    if context.get("cce_ok", False):
        return None
    bericht = {"client_id": client_id, "uiterlijk": datum.isoformat()}
    return ZaakOvergang(
        status=stand.status,
        actie="ontwikkeltraject_overtreding",
        nieuwe_wacht=False,
        effecten=(
            Bericht(
                "ontwikkeltraject_overtreding", "operations", client_id=client_id, context=bericht
            ),
            Bericht("ontwikkeltraject_overtreding", "cce", client_id=client_id, context=bericht),
        ),
    )


BIJ_TERMIJN: dict[str, TermijnRegel] = {
    # It keeps running in the bijstelling too (its wait's `loopt_door`, models/proces.py).
    "herstel_termijn": TermijnRegel(frozenset({S.HERSTEL}), herstel_verstreken),
    "bezwaartermijn_einde": TermijnRegel(frozenset({S.BEZWAARTERMIJN}), bezwaartermijn_verstreken),
    "beslistermijn_waarschuwing": TermijnRegel(
        # Awb 4:13 bounds the four-eyes decision too; it also runs on in the bijstelling and
        # the zienswijze (their waits' `loopt_door`, models/proces.py).
        frozenset({S.BEOORDELING, S.TWEEDE_BEOORDELING}),
        beslistermijn_waarschuwing,
    ),
    "passende_overgang_uiterlijk": TermijnRegel(
        # N 2025: its deadline follows the running beschikking's end, which may come while
        # the afwijzing's bezwaartermijn runs or a bezwaar is handled (Awb 6:16).
        frozenset({S.PASSENDE_OVERGANG, S.BEZWAARTERMIJN, *BEZWAAR_STATUSSEN}),
        passende_overgang_verstreken,
    ),
    "passende_overgang_start": TermijnRegel(frozenset({S.LOPEND}), passende_overgang_start),
    "herbeoordeling_start": TermijnRegel(frozenset({S.LOPEND}), herbeoordeling_start),
    "verlenging_uiterlijk": TermijnRegel(
        frozenset({S.HERBEOORDELING, S.PASSENDE_OVERGANG}), verlenging_verstreken
    ),
    "einde_beschikking": TermijnRegel(BESCHIKKING_ACTIEF, einde_beschikking),
    "ontwikkeltraject_herinnering": TermijnRegel(BESCHIKKING_ACTIEF, ontwikkeltraject_herinnering),
    "ontwikkeltraject_uiterlijk": TermijnRegel(BESCHIKKING_ACTIEF, ontwikkeltraject_overtreding),
    # N 2025: a contact moment is a task for zorgkantoor staff (models/contact.py).
    "periodiek_contact": TermijnRegel(BESCHIKKING_ACTIEF, contact_taak),
    # N 2025: each moment plans the next, until a contact found it verantwoord after the end.
    NA_AFWIJZING: TermijnRegel(NA_AFWIJZING_STATUSSEN, contact_na_afwijzing),
    # Awb 7:10: the beslissing op bezwaar, also the new besluit after a gegrond one (7:11).
    "bezwaar_herinnering": TermijnRegel(
        BEZWAAR_TERMIJN_STATUSSEN, bezwaar_termijnen.bezwaar_herinnering
    ),
    "bezwaar_uiterlijk": TermijnRegel(
        BEZWAAR_TERMIJN_STATUSSEN, bezwaar_termijnen.bezwaar_verstreken
    ),
    # Awb 6:6: the gronden of a pro forma bezwaar did not come in time: a person decides.
    bezwaar_termijnen.GRONDEN_TIMER: TermijnRegel(
        frozenset({S.BEZWAAR_GRONDEN}), bezwaar_termijnen.gronden_verstreken
    ),
    # An open task whose day passed escalates in whatever status the zaak is by then.
    TAAK_SOORT: TermijnRegel(ALLE_STATUSSEN, contact_taak_verlopen),
    # Awb 4:18: the besluit that fixes the dwangsom, whatever became of the zaak by then.
    dwangsom.TIMER: TermijnRegel(dwangsom.TIMER_STATUSSEN, dwangsom_besluit.vaststellen),
}


def na_evaluatie(stand: Stand, invoer: dict, peildatum: dt.date) -> Overgang:
    """The provider's evaluation of the goals (PDCA), optionally with the verlenging aanvraag."""
    uitkomst = invoer.get("doelen_behaald")
    if uitkomst not in EVALUATIE_UITKOMSTEN:
        raise OngeldigeInvoer("kies bij doelen_behaald: behaald, deels of niet")
    toelichting = (invoer.get("toelichting") or "").strip()
    if not toelichting:
        raise OngeldigeInvoer("licht de evaluatie van de doelen toe")
    vervolg = None
    if invoer.get("verlenging") is not None:
        data = dict(invoer["verlenging"])
        data.update(
            soort="verlenging",
            vorige_zaak=stand.key,
            provider_referentie=data.get("provider_referentie") or f"{stand.key}-verlenging",
        )
        data["evaluatie_vorige_periode"] = (
            data.get("evaluatie_vorige_periode") or f"{uitkomst}: {toelichting}"
        )
        try:
            vervolg = parse_aanvraag(data)
        except ValueError as exc:
            raise OngeldigeInvoer(f"verlenging: {exc}") from None
        if vervolg.agb != stand.aanvraag.agb:
            raise OngeldigeInvoer("de verlenging hoort bij een andere zorgaanbieder")
    evaluatie = {
        "doelen_behaald": uitkomst,
        "toelichting": toelichting[:4000],
        "datum": peildatum.isoformat(),
        "verlenging": vervolg is not None,
    }
    return ZaakOvergang(
        status=S.LOPEND,
        actie="evaluatie_ontvangen",
        wacht_op="einde-beschikking",
        details={"doelen_behaald": uitkomst, "verlenging": vervolg is not None},
        effecten=(
            EvaluatieVastgelegd(evaluatie, uitkomst == "behaald"),
            *((VervolgAangevraagd(vervolg.model_dump(mode="json")),) if vervolg else ()),
        ),
    )


def na_passende_overgang(
    stand: Stand,
    invoer: dict,
    beschikking_actief: bool,
    peildatum: dt.date | None = None,
    sluit_als: str = S.AFGEWEZEN,
) -> Overgang:
    """The passende overgang arranged (the zaak closes as `sluit_als`: afgewezen, or
    buiten_behandeling when that ended the thuis verlenging), or the signal that no fitting
    care is possible (N 2025): an alert and, with a `peildatum`, a task per client for
    zorgkantoor staff (models/contact.opvolg_taken)."""
    toelichting = (invoer.get("toelichting") or "").strip()
    if invoer.get("geen_passende_zorg"):
        if not toelichting:
            raise OngeldigeInvoer("licht toe waarom geen passende zorg mogelijk is")
        ids = [c.client_id for c in stand.aanvraag.clienten]
        return ZaakOvergang(
            status=stand.status,
            actie="signaal_geen_passende_zorg",
            details={"toelichting": toelichting},
            effecten=(
                Bericht("geen_passende_zorg", kanaal="operations"),
                *(opvolg_taken(ids, peildatum) if peildatum else ()),
            ),
        )
    if not invoer.get("geregeld"):
        raise OngeldigeInvoer(
            "vink 'geregeld' aan als de passende overgang is afgesproken, of 'geen passende zorg'"
        )
    if beschikking_actief:
        return ZaakOvergang(
            status=S.LOPEND,
            actie="passende_overgang_geregeld",
            wacht_op="einde-beschikking",
            details={"toelichting": toelichting},
        )
    return ZaakOvergang(
        status=sluit_als, actie="passende_overgang_geregeld", details={"toelichting": toelichting}
    )


def na_melding(
    stand: Stand,
    invoer: dict,
    peildatum: dt.date,
    huidig_wacht_op: str | None,
    medewerkers: dict[str, str] | None = None,
) -> Overgang:
    """Form input on a running beschikking: a CCE ontwikkeltraject or a periodic contact
    (recorded by zorgkantoor staff only, `medewerkers`: id -> rol; models/contact.py)."""
    clienten = {c.client_id for c in stand.aanvraag.clienten}
    if invoer.get("ontwikkeltraject_client"):
        traject = valideer_ontwikkeltraject(
            invoer["ontwikkeltraject_client"],
            invoer.get("bijeenkomst_1"),
            invoer.get("bijeenkomst_2"),
            clienten,
        )
        return ZaakOvergang(
            status=stand.status,
            actie="ontwikkeltraject_geregistreerd",
            wacht_op=huidig_wacht_op,
            details={k: str(v) for k, v in traject.items()},
            effecten=(OntwikkeltrajectVastgelegd(traject),),
        )
    if invoer.get("contact_client"):
        gegevens = valideer_contact(invoer, clienten, medewerkers, peildatum)
        return contact_vastgelegd(stand.status, gegevens, huidig_wacht_op, nieuwe_wacht=True)
    raise OngeldigeInvoer("vul een ontwikkeltraject of een periodiek contact in")


def valideer_ontwikkeltraject(
    client_id: str, bijeenkomst_1, bijeenkomst_2, clienten: set[str]
) -> dict:
    if client_id not in clienten:
        raise OngeldigeInvoer(f"client {client_id} hoort niet bij deze zaak")
    b1, b2 = invoer_datum(bijeenkomst_1), invoer_datum(bijeenkomst_2)
    if b1 is None:
        raise OngeldigeInvoer("vul de datum van bijeenkomst 1 in")
    if b2 is not None and b2 <= b1:
        raise OngeldigeInvoer(
            "de tweede bijeenkomst moet op een latere dag zijn dan de eerste (R §10)"
        )
    return {"client_id": client_id, "bijeenkomst_1": b1, "bijeenkomst_2": b2}


def beleid_versie_of_op(stand: Stand, datum: dt.date) -> Beleid:
    versie = (stand.toets or {}).get("beleidsversie")
    return beleid_versie(versie) if versie else beleid_op(datum)
