"""A running beschikking as pure rules: what a due timer does, the provider's evaluation,
the passende overgang, and what staff record during the term (CCE, periodic contact)."""

from __future__ import annotations

import datetime as dt

from models.aanvraag import parse_aanvraag
from models.beleid import Beleid, beleid_op, beleid_versie
from models.besluit import is_thuis_verlenging
from models.engine import Bericht, OngeldigeInvoer, Overgang, invoer_datum
from models.overgang import (
    BESCHIKKING_ACTIEF,
    EVALUATIE_UITKOMSTEN,
    ContactVastgelegd,
    EvaluatieVastgelegd,
    OntwikkeltrajectVastgelegd,
    Stand,
    VervolgAangevraagd,
    ZaakOvergang,
)
from models.planner import beslistermijn_einde


def bij_deadline(
    stand: Stand, soort: str, datum: dt.date, client_id: str | None, context: dict | None = None
) -> Overgang | None:
    """A due timer. None: nothing to do (already handled, or no longer relevant).

    `context` carries what the rules cannot read from the stand: `einde` (last day of the
    beschikkingen), `cce_ok` (the client has a timely ontwikkeltraject), `uiterlijk`."""
    context = context or {}
    status = stand.status
    if soort == "herstel_termijn" and status in ("herstel", "bijstelling"):
        return ZaakOvergang(
            status="buiten_behandeling",
            actie="buiten_behandeling",
            effecten=(Bericht("buiten_behandeling"),),
        )
    if soort == "bezwaartermijn_einde" and status == "bezwaartermijn":
        if is_thuis_verlenging(stand):
            # N 2025: a rejected thuis-verlenging gets a passende overgang, not a silent end.
            return ZaakOvergang(
                status="passende_overgang",
                actie="bezwaartermijn_verstreken",
                effecten=(Bericht("afgesloten_na_bezwaartermijn"),),
            )
        return ZaakOvergang(
            status="afgewezen",
            actie="bezwaartermijn_verstreken",
            effecten=(Bericht("afgesloten_na_bezwaartermijn"),),
        )
    if soort == "beslistermijn_waarschuwing" and status in ("beoordeling", "tweede_beoordeling"):
        beleid = beleid_versie_of_op(stand, datum)
        return ZaakOvergang(
            status=status,
            actie="beslistermijn_waarschuwing",
            nieuwe_wacht=False,
            effecten=(
                Bericht(
                    "beslistermijn_waarschuwing",
                    kanaal="operations",
                    context={
                        "wacht_sinds": (stand.wacht_sinds or stand.ingediend_op).isoformat(),
                        "beslistermijn": beslistermijn_einde(
                            stand.ingediend_op, beleid
                        ).isoformat(),
                    },
                ),
            ),
        )
    if soort == "passende_overgang_uiterlijk" and status == "passende_overgang":
        return ZaakOvergang(
            status=status,
            actie="passende_overgang_escalatie",
            nieuwe_wacht=False,
            effecten=(Bericht("passende_overgang_ontbreekt", kanaal="operations"),),
        )
    if status not in BESCHIKKING_ACTIEF:
        return None
    einde = context.get("einde")
    einde_txt = einde.isoformat() if isinstance(einde, dt.date) else "?"
    if soort == "passende_overgang_start" and status == "lopend":
        return ZaakOvergang(
            status="passende_overgang",
            actie="herbeoordeling_gestart",
            effecten=(Bericht("passende_overgang", context={"einde": einde_txt}),),
        )
    if soort == "herbeoordeling_start" and status == "lopend":
        # VG7-plus zaken granted before the plan was the one source have this timer instead.
        if any(c.vg7_plus for c in stand.aanvraag.clienten):
            return ZaakOvergang(
                status="passende_overgang",
                actie="herbeoordeling_gestart",
                effecten=(Bericht("passende_overgang", context={"einde": einde_txt}),),
            )
        return ZaakOvergang(
            status="herbeoordeling",
            actie="herbeoordeling_gestart",
            effecten=(Bericht("herbeoordeling", context={"einde": einde_txt}),),
        )
    if soort == "verlenging_uiterlijk" and status in ("herbeoordeling", "passende_overgang"):
        sjabloon = (
            "verlenging_ontbreekt" if status == "herbeoordeling" else "passende_overgang_ontbreekt"
        )
        return ZaakOvergang(
            status=status,
            actie="verlenging_escalatie",
            nieuwe_wacht=False,
            effecten=(Bericht(sjabloon, kanaal="operations", context={"einde": einde_txt}),),
        )
    if soort == "einde_beschikking":
        return ZaakOvergang(
            status="beeindigd",
            actie="beschikking_beeindigd",
            effecten=(Bericht("beeindigd", context={"einde": einde_txt}),),
        )
    if soort == "ontwikkeltraject_herinnering" and not context.get("cce_ok", False):
        bericht = {"client_id": client_id, "uiterlijk": str(context.get("uiterlijk", "?"))}
        return ZaakOvergang(
            status=status,
            actie="ontwikkeltraject_herinnering",
            nieuwe_wacht=False,
            effecten=(
                Bericht("ontwikkeltraject_herinnering", client_id=client_id, context=bericht),
                Bericht(
                    "ontwikkeltraject_herinnering",
                    kanaal="cce",
                    client_id=client_id,
                    context=bericht,
                ),
            ),
        )
    if soort == "ontwikkeltraject_uiterlijk" and not context.get("cce_ok", False):
        bericht = {"client_id": client_id, "uiterlijk": datum.isoformat()}
        return ZaakOvergang(
            status=status,
            actie="ontwikkeltraject_overtreding",
            nieuwe_wacht=False,
            effecten=(
                Bericht(
                    "ontwikkeltraject_overtreding",
                    kanaal="operations",
                    client_id=client_id,
                    context=bericht,
                ),
                Bericht(
                    "ontwikkeltraject_overtreding",
                    kanaal="cce",
                    client_id=client_id,
                    context=bericht,
                ),
            ),
        )
    if soort == "periodiek_contact":
        return ZaakOvergang(
            status=status,
            actie="periodiek_contact_herinnering",
            nieuwe_wacht=False,
            effecten=(
                Bericht("periodiek_contact", client_id=client_id, context={"client_id": client_id}),
            ),
        )
    return None


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
        if vervolg.zorgaanbieder.agb != stand.aanvraag.zorgaanbieder.agb:
            raise OngeldigeInvoer("de verlenging hoort bij een andere zorgaanbieder")
    evaluatie = {
        "doelen_behaald": uitkomst,
        "toelichting": toelichting[:4000],
        "datum": peildatum.isoformat(),
        "verlenging": vervolg is not None,
    }
    return ZaakOvergang(
        status="lopend",
        actie="evaluatie_ontvangen",
        wacht_op="einde-beschikking",
        details={"doelen_behaald": uitkomst, "verlenging": vervolg is not None},
        effecten=(
            EvaluatieVastgelegd(evaluatie, uitkomst == "behaald"),
            *((VervolgAangevraagd(vervolg.model_dump(mode="json")),) if vervolg else ()),
        ),
    )


def na_passende_overgang(stand: Stand, invoer: dict, beschikking_actief: bool) -> Overgang:
    toelichting = (invoer.get("toelichting") or "").strip()
    if invoer.get("geen_passende_zorg"):
        if not toelichting:
            raise OngeldigeInvoer("licht toe waarom geen passende zorg mogelijk is")
        return ZaakOvergang(
            status=stand.status,
            actie="signaal_geen_passende_zorg",
            details={"toelichting": toelichting},
            effecten=(Bericht("geen_passende_zorg", kanaal="operations"),),
        )
    if not invoer.get("geregeld"):
        raise OngeldigeInvoer(
            "vink 'geregeld' aan als de passende overgang is afgesproken, of 'geen passende zorg'"
        )
    if beschikking_actief:
        return ZaakOvergang(
            status="lopend",
            actie="passende_overgang_geregeld",
            wacht_op="einde-beschikking",
            details={"toelichting": toelichting},
        )
    return ZaakOvergang(
        status="afgewezen", actie="passende_overgang_geregeld", details={"toelichting": toelichting}
    )


def na_melding(
    stand: Stand, invoer: dict, peildatum: dt.date, huidig_wacht_op: str | None
) -> Overgang:
    """Form input on a running beschikking: a CCE ontwikkeltraject or a periodic contact."""
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
        if invoer["contact_client"] not in clienten:
            raise OngeldigeInvoer(f"client {invoer['contact_client']} hoort niet bij deze zaak")
        contact = {
            "client_id": invoer["contact_client"],
            "datum": invoer_datum(invoer.get("contact_datum")) or peildatum,
            "verslag": (invoer.get("contact_verslag") or "")[:4000],
        }
        return ZaakOvergang(
            status=stand.status,
            actie="periodiek_contact_geregistreerd",
            wacht_op=huidig_wacht_op,
            details={"client_id": contact["client_id"]},
            effecten=(ContactVastgelegd(contact),),
        )
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
