"""The zaak as a case kind of the one engine (models/engine.py), as pure rules: its waits
declared once (ZAAK), the toets and a corrected aanvraag here, the decision in
models/besluit.py, a running beschikking in models/opvolging_regels.py. Given the stand of
a zaak and an event, each returns the Overgang that models/db/zaak_store.py applies."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from models import bezwaar, bijstelling
from models.aanvraag import Aanvraag, parse_aanvraag
from models.beleid import Beleid, beleid_op
from models.besluit import na_beoordeling, valideer_beoordeling
from models.bevinding import ontbrekend
from models.bezwaar_beslissing import op_bezwaar
from models.bezwaar_termijnen import GRONDEN_TIMER
from models.engine import (
    Bericht,
    OngeldigeInvoer,
    Overgang,
    Soort,
    Stap,
    Termijn,
    TermijnRegel,
    Wacht,
)
from models.formulieren import (
    AangepasteAanvraag,
    Beoordeling,
    Evaluatie,
    PassendeOvergang,
    Termijnmelding,
)
from models.formulieren_bezwaar import (
    BeslissingOpBezwaar,
    BezwaarGronden,
    Bezwaarschrift,
    Hoorzitting,
    Verschoonbaarheid,
)
from models.opvolging_regels import BIJ_TERMIJN, na_evaluatie, na_melding, na_passende_overgang
from models.overgang import (
    BESLISSENDE_ROLLEN,
    BEZWAAR_ROLLEN,
    GESLOTEN,
    AanvraagGewijzigd,
    BeslistermijnOpgeschort,
    NieuweRonde,
    Stand,
    ToetsVastgelegd,
    ZaakOvergang,
    ZaakStatus,
)
from models.planner import beslistermijn_van, waarschuwing_op
from models.toets import Toetsresultaat, toets
from models.toetsstappen import Elders
from models.zienswijze import (
    ZIENSWIJZE_TIMER,
    Zienswijze,
    met_zienswijze,
    na_zienswijze,
    voornemen,
    voornemen_afgerond,
    zienswijze_nodig,
)
from models.zienswijze import (
    termijn_verstreken as zienswijze_verstreken,
)

S = ZaakStatus


def volgende_stap(status: str, stap: int) -> Stap:
    return ZAAK.volgende_stap(status, stap)


def wacht_key(status: str, stap: int) -> str:
    return ZAAK.wacht_key(status, stap)


def _bevindingen_tekst(bevindingen: list[dict]) -> str:
    return "\n".join(f"- {b['code']}: {b['toelichting']}" for b in bevindingen) or "-"


# --- events ------------------------------------------------------------------------------


def na_toets(
    stand: Stand, peildatum: dt.date, beleid: Beleid | None = None, elders: Elders | None = None
) -> Overgang:
    """Registration or resubmission: the toets, then either herstel or the assessor.

    Awb 4:5: only an incomplete aanvraag (a completeness finding, models/bevinding.py) gets
    a term to complete it; every other aanvraag, also one with a blocking content finding
    (drempel, profiel, VG7-plus, overlap), reaches the beoordelaar with the toets' advies:
    whether the need qualifies is the content of the decision, taken by a person (DOMAIN.md,
    Awb). `elders`: the clients' running meerzorg in other zaken, for the overlap check (read
    by tasks/zaak.py; None: not checked, and the toets says so)."""
    beleid = beleid or beleid_op(peildatum)
    resultaat: Toetsresultaat = toets(stand.aanvraag, peildatum, beleid, elders)
    data = resultaat.public()
    t = beleid.termijnen
    if not resultaat.volledig:
        uiterlijk = peildatum + dt.timedelta(weeks=t.herstel_aanvraag_weken)
        return ZaakOvergang(
            status=S.HERSTEL,
            actie="toets_niet_ontvankelijk",
            details={"advies": data["advies"]},
            effecten=(
                ToetsVastgelegd(data, beleid.versie),
                Termijn("herstel_termijn", uiterlijk),
                Bericht(
                    "niet_ontvankelijk",
                    context={
                        # Only what is missing: content findings are for the beoordelaar.
                        "bevindingen": _bevindingen_tekst(ontbrekend(data["bevindingen"])),
                        "herstel_uiterlijk": uiterlijk.isoformat(),
                    },
                ),
            ),
        )
    termijn = beslistermijn_van(stand, beleid)
    waarschuwing = waarschuwing_op(termijn, peildatum, beleid)
    berichten = []
    if stand.ronde == 0:
        berichten.append(Bericht("ontvangen", context={"beslistermijn": termijn.isoformat()}))
    return ZaakOvergang(
        status=S.BEOORDELING,
        actie="toets_ontvankelijk",
        details={"advies": data["advies"]},
        effecten=(
            ToetsVastgelegd(data, beleid.versie),
            NieuweRonde(),
            Termijn("beslistermijn_waarschuwing", waarschuwing),
            *tuple(berichten),
        ),
    )


def na_herstel(
    stand: Stand, aanvraag_data, peildatum: dt.date, elders: Elders | None = None
) -> Overgang:
    """A corrected (herstel) or adjusted (bijstelling) aanvraag: toets it again.

    Awb 4:15: when a completed aanvraag leaves herstel, the days since the request to
    complete it (the zaak waits in herstel since then; a resubmission that is still
    incomplete keeps it there) are added to the beslistermijn. An adjusted aanvraag (R §10
    bijstellen) is the same aanvraag adjusted: its receipt date stays; the days since the
    request count only with the applicant's consent (Awb 4:15 lid 2 sub a), and it is
    acknowledged (models/bijstelling.py)."""
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
    if aanvraag.agb != stand.aanvraag.agb:  # None: the same budgethouder-only zaak
        raise OngeldigeInvoer("de aangepaste aanvraag hoort bij een andere zorgaanbieder")
    dagen = bijstelling.opgeschorte_dagen(stand, peildatum)
    if stand.status == S.HERSTEL and stand.wacht_sinds is not None:
        dagen = max(0, (peildatum - stand.wacht_sinds).days)
    nieuw = dataclasses.replace(
        stand, aanvraag=aanvraag, opgeschort_dagen=stand.opgeschort_dagen + dagen
    )
    overgang = na_toets(nieuw, peildatum, elders=elders)
    opgeschort = (BeslistermijnOpgeschort(dagen),) if dagen and overgang.status != S.HERSTEL else ()
    ontvangst = ()
    if stand.status == S.BIJSTELLING:
        termijn = beslistermijn_van(nieuw, beleid_op(peildatum))
        ontvangst = bijstelling.ontvangen(stand, peildatum, dagen, termijn)
    return dataclasses.replace(
        overgang,
        actie="aanvraag_aangepast_" + overgang.actie.removeprefix("toets_"),
        effecten=(
            AanvraagGewijzigd(aanvraag.model_dump(mode="json")),
            *opgeschort,
            *ontvangst,
            *overgang.effecten,
        ),
    )


# --- the answers to the waits, one signature for every handler -----------------------------


@dataclass(frozen=True, slots=True)
class Feiten:
    """What a handler needs beyond the stand, read by tasks/zaak.py in the same transaction."""

    beoordelaars: dict[str, str]  # medewerker -> rol
    beschikking_actief: bool
    wacht_op: str | None
    # The zaak's last besluit (id, datum, uitkomst, ronde, beoordelaar, tweede_beoordelaar)
    # and its bezwaren (rows as dicts), for models/bezwaar.py.
    besluit: dict | None = None
    bezwaren: tuple[dict, ...] = ()
    # Waiting for a corrected or adjusted aanvraag: the clients' running meerzorg in other
    # zaken, for the toets of the resubmission (models/toetsstappen.py: check_overlap).
    elders: Elders | None = None


def antwoord_beoordeling(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    besluit = valideer_beoordeling(stand, invoer, beoordelaars=feiten.beoordelaars)
    # Awb 4:7, 4:8: an afwijzing that needs the parties heard first is a voornemen.
    if grond := zienswijze_nodig(stand, besluit, op_bezwaar(stand, feiten)):
        return voornemen(stand, besluit, peildatum, grond)
    besluit = met_zienswijze(stand, besluit)
    overgang = voornemen_afgerond(stand, na_beoordeling(stand, besluit, peildatum))
    # After a gegrond bezwaar the new besluit is open to beroep only (Awb 7:11, 8:1).
    return bezwaar.met_beroep(stand, feiten, overgang)


def antwoord_zienswijze(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_zienswijze(stand, invoer, peildatum, feiten)


def antwoord_aanvraag(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_herstel(stand, invoer.get("aanvraag"), peildatum, feiten.elders)


def antwoord_bezwaar(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return bezwaar.registreer(stand, invoer, peildatum, feiten)


def antwoord_gronden(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return bezwaar.na_gronden(stand, invoer, peildatum, feiten)


def antwoord_verschoonbaarheid(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return bezwaar.na_verschoonbaarheid(stand, invoer, peildatum, feiten)


def antwoord_hoorzitting(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return bezwaar.na_hoorzitting(stand, invoer, peildatum, feiten)


def antwoord_beslissing_op_bezwaar(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return bezwaar.na_beslissing(stand, invoer, peildatum, feiten)


def antwoord_evaluatie(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    return na_evaluatie(stand, invoer, peildatum)


def antwoord_passende_overgang(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    # N 2025: after a buiten behandeling of a thuis verlenging the zaak closes as such.
    buiten = (feiten.besluit or {}).get("uitkomst") == "buiten_behandeling"
    return na_passende_overgang(
        stand,
        invoer,
        beschikking_actief=feiten.beschikking_actief,
        peildatum=peildatum,
        sluit_als=S.BUITEN_BEHANDELING if buiten else S.AFGEWEZEN,
    )


def antwoord_melding(stand: Stand, invoer: dict, peildatum: dt.date, feiten: Feiten):
    if not any(invoer.get(k) for k in ("ontwikkeltraject_client", "contact_client")):
        return None  # the sweep resumed it, or an empty form: nothing to apply
    return na_melding(stand, invoer, peildatum, feiten.wacht_op, feiten.beoordelaars)


LOPEND_TERMIJNEN = ("ontwikkeltraject", "herbeoordeling_start", "passende_overgang_start")
ZAAK = Soort(
    naam="zaak",
    statussen=ZaakStatus,
    gesloten=GESLOTEN,
    acties=frozenset({S.GEREGISTREERD}),
    termijnregels=BIJ_TERMIJN,
    # The Awb 4:13 term (from receipt) and the CCE rule's last day (models/compliance.py).
    berekende_termijnen=frozenset({"beslistermijn", "ontwikkeltraject"}),
    # Who answers (R §10): a decision only a deciding role; a bezwaar a BEZWAAR_ROLLEN member
    # (models/bezwaar.py checks it was not the decider, Awb 7:5). What the provider sends
    # (a wait with rol "aanbieder": herstel, bijstelling, evaluatie) it answers through its
    # API (docs/aanbieder-api.md), or deciding staff enter it; the passende overgang is the zorgkantoor's (N 2025). At a running beschikking the
    # form records a CCE ontwikkeltraject (R §10) or a contact (models/contact.py).
    wachten=(
        Wacht(
            S.HERSTEL,
            "aanvulling",
            "De aanvraag is niet volledig (Awb 4:5). Vul hieronder de **aangevulde aanvraag** "
            "in; tot dan is de beslistermijn opgeschort (Awb 4:15).",
            ("herstel_termijn",),
            AangepasteAanvraag,
            "ingediend_door",
            antwoord_aanvraag,
            rollen=BESLISSENDE_ROLLEN,
            rol="aanbieder",
        ),
        Wacht(
            S.BEOORDELING,
            "beoordeling",
            "Beoordeel de aanvraag: kies **toekennen**, **bijstellen** of **afwijzen**. "
            "Bijstellen en afwijzen vragen een onderbouwing (Awb 3:47); bijstellen ook een "
            "termijn en of de aanvrager instemt met opschorting (Awb 4:15 lid 2). Termijn en "
            "start stelt het zorgkantoor zelf vast bij toekennen (R §9). Lukt beslissen niet "
            "binnen de termijn: `meerzorg beslistermijn verleng` (eenmaal, Awb 4:14).",
            ("beslistermijn", "bezwaar_uiterlijk"),
            Beoordeling,
            "beoordelaar",
            antwoord_beoordeling,
            rollen=BESLISSENDE_ROLLEN,
            rol="beoordelaar",
        ),
        Wacht(
            S.TWEEDE_BEOORDELING,
            "tweede-beoordeling",
            "Vier ogen: een eerste beoordelaar heeft **toegekend**. Een tweede, andere "
            "beoordelaar bevestigt (**toekennen**) of kiest bijstellen of afwijzen met "
            "onderbouwing.",
            ("beslistermijn", "bezwaar_uiterlijk"),
            Beoordeling,
            "beoordelaar",
            antwoord_beoordeling,
            rollen=BESLISSENDE_ROLLEN,
            rol="beoordelaar",
        ),
        Wacht(
            S.BIJSTELLING,
            "bijstelling",
            "Bijstelling gevraagd (R §10). Vul hieronder de **bijgestelde aanvraag** in; zij "
            "houdt haar ontvangstdatum en gaat terug naar de beoordelaar. Komt er niets binnen "
            "de termijn, dan beslist de beoordelaar op de aanvraag zoals die er ligt.",
            (bijstelling.TIMER,),
            AangepasteAanvraag,
            "ingediend_door",
            antwoord_aanvraag,
            rollen=BESLISSENDE_ROLLEN,
            rol="aanbieder",
            # R §10: no adjusted aanvraag in time: the beoordelaar decides (never 4:5).
            termijnregels={
                bijstelling.TIMER: TermijnRegel(frozenset({S.BIJSTELLING}), bijstelling.verstreken)
            },
            loopt_door=("herstel_termijn", "beslistermijn_waarschuwing"),
        ),
        Wacht(
            S.ZIENSWIJZE,
            "zienswijze",
            "Voornemen tot afwijzing verzonden (Awb 4:7, 4:8). Leg een ontvangen **zienswijze** "
            "vast (datum, van wie, samenvatting); dan, of na de termijn zonder zienswijze, "
            "neemt de beoordelaar het besluit.",
            (ZIENSWIJZE_TIMER, "beslistermijn"),
            Zienswijze,
            "ingediend_door",
            antwoord_zienswijze,
            rollen=BESLISSENDE_ROLLEN,
            rol="zorgkantoor",
            # Awb 4:7, 4:8: no zienswijze within its term: the assessor decides.
            termijnregels={
                ZIENSWIJZE_TIMER: TermijnRegel(frozenset({S.ZIENSWIJZE}), zienswijze_verstreken)
            },
            # Awb 4:13 runs on while the parties give their zienswijze.
            loopt_door=("beslistermijn_waarschuwing",),
        ),
        Wacht(
            S.BEZWAARTERMIJN,
            "bezwaar",
            "Bezwaartermijn loopt (Awb 6:7). Registreer hier een ontvangen **bezwaarschrift**: "
            "datum van ontvangst (en van verzending als het per post kwam, Awb 6:9), de "
            "gronden (of pro forma, Awb 6:6) en de indiener. Ook later, of tegen een ander "
            "besluit: `meerzorg bezwaar registreer`.",
            ("bezwaartermijn_einde",),
            Bezwaarschrift,
            "ingediend_door",
            antwoord_bezwaar,
            rollen=BEZWAAR_ROLLEN,
            rol="zorgkantoor",
        ),
        Wacht(
            S.BEZWAAR_GRONDEN,
            "gronden",
            "Pro forma bezwaar: de gronden ontbreken nog (Awb 6:5). Vul de ontvangen **gronden** "
            "in (bij meer indieners: van wie); dan volgt de hoorzitting. De indiener heeft er een "
            "termijn voor (Awb 6:6); de beslistermijn is zolang opgeschort (Awb 7:10 lid 2).",
            (GRONDEN_TIMER, "bezwaar_uiterlijk"),
            BezwaarGronden,
            "behandelaar",
            antwoord_gronden,
            rollen=BEZWAAR_ROLLEN,
            rol="zorgkantoor",
        ),
        Wacht(
            S.BEZWAAR_GRONDEN_VERSTREKEN,
            "gronden-verstreken",
            "De termijn voor de gronden van het pro forma bezwaar is verstreken (Awb 6:6). Een "
            "behandelaar die het besluit niet nam (Awb 7:5) beslist: **niet-ontvankelijk** met "
            "onderbouwing, of vul de alsnog ontvangen **gronden** in (dan verder naar de "
            "hoorzitting).",
            ("bezwaar_uiterlijk",),
            BezwaarGronden,
            "behandelaar",
            antwoord_gronden,
            rollen=BEZWAAR_ROLLEN,
            rol="zorgkantoor",
        ),
        Wacht(
            S.BEZWAAR_TE_LAAT,
            "verschoonbaarheid",
            "Het bezwaar kwam na de bezwaartermijn binnen. Een behandelaar die het besluit niet "
            "nam (Awb 7:5) beslist, met onderbouwing: **verschoonbaar** (dan verder als een "
            "tijdig bezwaar) of **niet-ontvankelijk** (Awb 6:11).",
            ("bezwaar_uiterlijk",),
            Verschoonbaarheid,
            "behandelaar",
            antwoord_verschoonbaarheid,
            rollen=BEZWAAR_ROLLEN,
            rol="zorgkantoor",
        ),
        Wacht(
            S.BEZWAAR_HOREN,
            "hoorzitting",
            "Bezwaar in behandeling. De behandelaar (niet wie het besluit nam, Awb 7:5) "
            "**plant de hoorzitting** met haar datum, ten minste een week na de uitnodiging van "
            "vandaag (Awb 7:2, 7:4), of **ziet af** van horen op een grond van Awb 7:3. Kan de "
            "beslissing niet binnen de termijn: **verdaag** eenmaal, voor de termijn verstrijkt.",
            ("bezwaar_uiterlijk",),
            Hoorzitting,
            "behandelaar",
            antwoord_hoorzitting,
            rollen=BEZWAAR_ROLLEN,
            rol="zorgkantoor",
        ),
        Wacht(
            S.BEZWAAR_BESLISSEN,
            "beslissing-op-bezwaar",
            "Na een hoorzitting eerst het **verslag** vastleggen (Awb 7:7). Neem dan de "
            "**beslissing op bezwaar** met onderbouwing: **gegrond** of **gedeeltelijk gegrond** "
            "(het besluit wordt (voor dat deel) herroepen en de aanvraag opnieuw beoordeeld), "
            "**ongegrond** of **niet-ontvankelijk** (het besluit blijft), met de "
            "kostenvergoeding als die gevraagd is (Awb 7:15). De brief noemt het beroep bij de "
            "rechtbank (Awb 6:7, 8:1).",
            ("bezwaar_uiterlijk",),
            BeslissingOpBezwaar,
            "behandelaar",
            antwoord_beslissing_op_bezwaar,
            rollen=BEZWAAR_ROLLEN,
            rol="zorgkantoor",
        ),
        Wacht(
            S.LOPEND,
            "einde-beschikking",
            "De beschikking loopt; de deadline-sweep hervat deze zaak op zijn termijnen. "
            "Leg hier eventueel een CCE-ontwikkeltraject of een periodiek contact vast.",
            (*LOPEND_TERMIJNEN, "einde_beschikking"),
            Termijnmelding,
            "ingediend_door",
            antwoord_melding,
            rollen=(*BESLISSENDE_ROLLEN, "cce"),
            rol="zorgkantoor",
        ),
        Wacht(
            S.HERBEOORDELING,
            "evaluatie",
            "Herbeoordeling: vul de **evaluatie van de doelen** in (behaald / deels / niet, "
            "met toelichting) en eventueel de **aanvraag tot verlenging**.",
            ("verlenging_uiterlijk", "ontwikkeltraject", "einde_beschikking"),
            Evaluatie,
            "ingediend_door",
            antwoord_evaluatie,
            rollen=BESLISSENDE_ROLLEN,
            rol="aanbieder",
        ),
        Wacht(
            S.PASSENDE_OVERGANG,
            "passende-overgang",
            "Passende overgang: vink **geregeld** aan als de overgang is afgesproken, of "
            "**geen passende zorg** (signaal aan het zorgkantoor).",
            ("passende_overgang_uiterlijk", "ontwikkeltraject", "einde_beschikking"),
            PassendeOvergang,
            "ingediend_door",
            antwoord_passende_overgang,
            rollen=BESLISSENDE_ROLLEN,
            rol="zorgkantoor",
        ),
    ),
)
WACHT_OP = ZAAK.wacht_op
