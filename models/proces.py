"""The zaak as a case kind of the one engine (models/engine.py), as pure rules: its waits
declared once (ZAAK), the toets and a corrected aanvraag here, the decision in
models/besluit.py, a running beschikking in models/opvolging_regels.py. Given the stand of
a zaak and an event, each returns the Overgang that models/db/zaak_store.py applies."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from models.aanvraag import Aanvraag, parse_aanvraag
from models.beleid import Beleid, beleid_op
from models.besluit import na_beoordeling, na_bezwaar, valideer_beoordeling
from models.engine import Bericht, OngeldigeInvoer, Overgang, Soort, Stap, Termijn, Wacht
from models.opvolging_regels import na_evaluatie, na_melding, na_passende_overgang
from models.overgang import (
    GESLOTEN,
    AanvraagGewijzigd,
    NieuweRonde,
    Stand,
    ToetsVastgelegd,
    ZaakOvergang,
    ZaakStatus,
)
from models.planner import beslistermijn_einde
from models.toets import Toetsresultaat, toets

S = ZaakStatus


def volgende_stap(status: str, stap: int) -> Stap:
    return ZAAK.volgende_stap(status, stap)


def wacht_key(status: str, stap: int) -> str:
    return ZAAK.wacht_key(status, stap)


def _bevindingen_tekst(resultaat: dict) -> str:
    return (
        "\n".join(
            f"- {b['code']} ({b['ernst']}): {b['toelichting']}" for b in resultaat["bevindingen"]
        )
        or "-"
    )


# --- events ------------------------------------------------------------------------------


def na_toets(stand: Stand, peildatum: dt.date, beleid: Beleid | None = None) -> Overgang:
    """Registration or resubmission: toets, then either wait for a correction or for the assessor."""
    beleid = beleid or beleid_op(peildatum)
    resultaat: Toetsresultaat = toets(stand.aanvraag, peildatum, beleid)
    data = resultaat.public()
    t = beleid.termijnen
    if not resultaat.ontvankelijk:
        uiterlijk = peildatum + dt.timedelta(weeks=t.herstel_aanvraag_weken)
        return ZaakOvergang(
            status=S.HERSTEL,
            actie="toets_niet_ontvankelijk",
            effecten=(
                ToetsVastgelegd(data, beleid.versie),
                Termijn("herstel_termijn", uiterlijk),
                Bericht(
                    "niet_ontvankelijk",
                    context={
                        "bevindingen": _bevindingen_tekst(data),
                        "herstel_uiterlijk": uiterlijk.isoformat(),
                    },
                ),
            ),
        )
    termijn = beslistermijn_einde(stand.ingediend_op, beleid)
    waarschuwing = max(peildatum, termijn - dt.timedelta(days=t.beslistermijn_waarschuwing_dagen))
    berichten = []
    if stand.ronde == 0:
        berichten.append(Bericht("ontvangen", context={"beslistermijn": termijn.isoformat()}))
    return ZaakOvergang(
        status=S.BEOORDELING,
        actie="toets_ontvankelijk",
        effecten=(
            ToetsVastgelegd(data, beleid.versie),
            NieuweRonde(),
            Termijn("beslistermijn_waarschuwing", waarschuwing),
            *tuple(berichten),
        ),
    )


def na_herstel(stand: Stand, aanvraag_data, peildatum: dt.date) -> Overgang:
    """A corrected (herstel) or adjusted (bijstelling) aanvraag: toets it again."""
    if stand.status not in ("herstel", "bijstelling"):
        raise OngeldigeInvoer(
            f"zaak {stand.key} does not wait for an aanvraag (status {stand.status})"
        )
    if aanvraag_data is None:
        raise OngeldigeInvoer("vul de aangepaste aanvraag in")
    try:
        aanvraag = parse_aanvraag(
            aanvraag_data
            if not isinstance(aanvraag_data, Aanvraag)
            else aanvraag_data.model_dump(mode="json")
        )
    except ValueError as exc:
        raise OngeldigeInvoer(str(exc)) from None
    if aanvraag.zorgaanbieder.agb != stand.aanvraag.zorgaanbieder.agb:
        raise OngeldigeInvoer("de aangepaste aanvraag hoort bij een andere zorgaanbieder")
    nieuw = Stand(stand.key, stand.status, stand.stap, stand.ronde, aanvraag, stand.ingediend_op)
    overgang = na_toets(nieuw, peildatum)
    return dataclasses.replace(
        overgang,
        actie="aanvraag_aangepast_" + overgang.actie.removeprefix("toets_"),
        effecten=(AanvraagGewijzigd(aanvraag.model_dump(mode="json")), *overgang.effecten),
    )


# --- the answers to the waits, one signature for every handler -----------------------------


@dataclass(frozen=True, slots=True)
class Feiten:
    """What a handler needs beyond the stand, read by tasks/zaak.py in the same transaction."""

    beoordelaars: dict[str, str]  # medewerker -> rol
    beschikking_actief: bool
    wacht_op: str | None


def antwoord_beoordeling(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    besluit = valideer_beoordeling(stand, invoer, beoordelaars=feiten.beoordelaars)
    return na_beoordeling(stand, besluit, peildatum)


def antwoord_aanvraag(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_herstel(stand, invoer.get("aanvraag"), peildatum)


def antwoord_bezwaar(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_bezwaar(stand, invoer, peildatum)


def antwoord_evaluatie(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_evaluatie(stand, invoer, peildatum)


def antwoord_passende_overgang(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_passende_overgang(stand, invoer, beschikking_actief=feiten.beschikking_actief)


def antwoord_melding(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    if not any(invoer.get(k) for k in ("ontwikkeltraject_client", "contact_client")):
        return None  # the sweep resumed it, or an empty form: nothing to apply
    return na_melding(stand, invoer, peildatum, feiten.wacht_op)


LOPEND_TERMIJNEN = ("ontwikkeltraject", "herbeoordeling_start", "passende_overgang_start")
ZAAK = Soort(
    naam="zaak",
    statussen=ZaakStatus,
    gesloten=GESLOTEN,
    acties=frozenset({S.GEREGISTREERD}),
    wachten=(
        Wacht(
            S.HERSTEL,
            "aanvulling",
            "De aanvraag is niet ontvankelijk. Vul hieronder de **aangepaste aanvraag** in.",
            ("herstel_termijn",),
            "AangepasteAanvraag",
            antwoord_aanvraag,
            rol="aanbieder",
        ),
        Wacht(
            S.BEOORDELING,
            "beoordeling",
            "Beoordeel de aanvraag: kies **toekennen**, **bijstellen** of **afwijzen**. "
            "Bijstellen en afwijzen vragen een onderbouwing (Awb 3:47).",
            ("beslistermijn",),
            "Beoordeling",
            antwoord_beoordeling,
            rol="beoordelaar",
        ),
        Wacht(
            S.TWEEDE_BEOORDELING,
            "tweede-beoordeling",
            "Vier ogen: een eerste beoordelaar heeft **toegekend**. Een tweede, andere "
            "beoordelaar bevestigt (**toekennen**) of kiest bijstellen of afwijzen met "
            "onderbouwing.",
            ("beslistermijn",),
            "Beoordeling",
            antwoord_beoordeling,
            rol="beoordelaar",
        ),
        Wacht(
            S.BIJSTELLING,
            "bijstelling",
            "Bijstelling gevraagd. Vul hieronder de **bijgestelde aanvraag** in.",
            ("herstel_termijn",),
            "AangepasteAanvraag",
            antwoord_aanvraag,
            rol="aanbieder",
        ),
        Wacht(
            S.BEZWAARTERMIJN,
            "bezwaar",
            "Bezwaartermijn loopt. Registreer hier een **bezwaar** (vink 'bezwaar' aan).",
            ("bezwaartermijn_einde",),
            "Bezwaar",
            antwoord_bezwaar,
            rol="zorgkantoor",
        ),
        Wacht(
            S.LOPEND,
            "einde-beschikking",
            "De beschikking loopt; de deadline-sweep hervat deze zaak op zijn termijnen. "
            "Leg hier eventueel een CCE-ontwikkeltraject of een periodiek contact vast.",
            (*LOPEND_TERMIJNEN, "einde_beschikking"),
            "Termijnmelding",
            antwoord_melding,
            rol="zorgkantoor",
        ),
        Wacht(
            S.HERBEOORDELING,
            "evaluatie",
            "Herbeoordeling: vul de **evaluatie van de doelen** in (behaald / deels / niet, "
            "met toelichting) en eventueel de **aanvraag tot verlenging**.",
            ("verlenging_uiterlijk", "ontwikkeltraject", "einde_beschikking"),
            "Evaluatie",
            antwoord_evaluatie,
            rol="aanbieder",
        ),
        Wacht(
            S.PASSENDE_OVERGANG,
            "passende-overgang",
            "Passende overgang: vink **geregeld** aan als de overgang is afgesproken, of "
            "**geen passende zorg** (signaal aan het zorgkantoor).",
            ("passende_overgang_uiterlijk", "ontwikkeltraject", "einde_beschikking"),
            "PassendeOvergang",
            antwoord_passende_overgang,
            rol="zorgkantoor",
        ),
    ),
)
WACHT_OP = ZAAK.wacht_op
