"""Bijstellen as the regeling means it (R §10, issue 26 point 1), as pure rules.

R §10 names three outcomes of the assessment: afwijzen, bijstellen ("aanvraag dient op
basis van bovengenoemde criteria bijgesteld te worden") and toekennen. A bijstelling is a
request to adjust a *complete* aanvraag, not a request to complete it (Awb 4:5 is for an
incomplete aanvraag only, and buiten behandeling is a power a person exercises). So:

- the beoordelaar asks for it with a reason (the onderbouwing, Awb 3:47; R §10 "altijd een
  onderbouwing") and a term (`bijstelling_weken`; default the policy's herstel term,
  `aanname`: the regeling names no term for a bijstelling);
- the beslistermijn is suspended only with the applicant's consent (Awb 4:15 lid 2 sub a:
  "zolang de aanvrager daarmee ... heeft ingestemd"); the beoordelaar records the consent or
  its absence, and without it the beslistermijn runs on (a 4:14 extension is the way out);
- the adjusted aanvraag is an adjustment of the same aanvraag (R §10 "bijstellen aanvraag"),
  so it keeps its receipt date and beslistermijn (Awb 4:13, plus the suspended days); it is
  acknowledged and goes back to the beoordelaar with the adjusted content;
- nothing in time: a person decides on the aanvraag as it stands (afwijzen, or toekennen as
  far as possible), never an automatic buiten behandeling.

The bijstelling's facts live on the zaak (`Stand.bijstelling`, the zaak's `bijstelling`
column): gevraagd_op, uiterlijk, termijn_weken, instemming_opschorting, and once it ended
ontvangen_op or niet_ontvangen_op with the days suspended."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from models.beleid import Beleid, beleid_op, beleid_versie
from models.berichten import sjablonen
from models.engine import Bericht, OngeldigeInvoer, Overgang, Termijn
from models.overgang import (
    BeslistermijnOpgeschort,
    BesluitVastgelegd,
    NieuweRonde,
    Stand,
    ZaakOvergang,
)
from models.overgang import ZaakStatus as S
from models.planner import beslistermijn_van, waarschuwing_op

# The messages of this wait's rules (models/berichten.sjablonen).
sjablonen(
    # R §10 bijstellen: reason and term; suspended only with consent (Awb 4:15 lid 2 sub a).
    bijstellen=(
        "Meerzorgaanvraag {zaak}: bijstelling gevraagd",
        "Het zorgkantoor vraagt u de aanvraag {zaak} bij te stellen; de reden staat in de brief "
        "in de bijlage.\n"
        "Dien de bijgestelde aanvraag uiterlijk {uiterlijk} in. {opschorting} Komt er geen "
        "bijgestelde aanvraag, dan beslist het zorgkantoor op de aanvraag zoals die er ligt. "
        "De brief in de bijlage zegt hoe u bezwaar kunt maken.",
    ),
    # The adjusted aanvraag of the same aanvraag: acknowledged (aanname, as Awb 4:3a for the
    # first), with the beslistermijn that still applies.
    bijstelling_ontvangen=(
        "Meerzorgaanvraag {zaak}: bijgestelde aanvraag ontvangen",
        "Uw bijgestelde aanvraag {zaak} is op {ontvangen_op} ontvangen en wordt opnieuw "
        "beoordeeld. Het zorgkantoor beslist uiterlijk {beslistermijn}.",
    ),
    # No adjusted aanvraag in time: a person decides on the aanvraag as it stands (R §10).
    bijstelling_niet_ontvangen=(
        "Meerzorgaanvraag {zaak}: geen bijgestelde aanvraag ontvangen",
        "De termijn voor de bijstelling van aanvraag {zaak} is verstreken zonder bijgestelde "
        "aanvraag. Het zorgkantoor beslist op de aanvraag zoals die er ligt, uiterlijk "
        "{beslistermijn}.",
    ),
)

TIMER = "bijstelling_termijn"
# aanname: a term of one to twelve weeks (the regeling names none; longer than the eight
# weeks of the beslistermijn itself only makes sense with the applicant's consent).
MIN_WEKEN, MAX_WEKEN = 1, 12
FORMULIER_VELDEN = ("bijstelling_weken", "instemming_opschorting")
NIET_ONTVANGEN = "bijstelling niet ontvangen"


@dataclass(frozen=True, slots=True)
class BijstellingBijgewerkt:
    """The zaak's bijstelling facts: `velden` replace or add to its `bijstelling` column;
    `nieuw`: a new request (the earlier facts are dropped)."""

    velden: dict
    nieuw: bool = False


def bijstelling_van_invoer(invoer: dict, uitkomst: str, beleid: Beleid) -> dict:
    """The form's term and consent; only with uitkomst bijstellen (bad input: a Dutch line)."""
    weken_ruw = invoer.get("bijstelling_weken") or 0
    instemming = invoer.get("instemming_opschorting") or False
    if not isinstance(instemming, bool):
        raise OngeldigeInvoer("instemming_opschorting is ja of nee (true of false)")
    try:
        weken = int(weken_ruw)
        if weken != weken_ruw:
            raise ValueError
    except (TypeError, ValueError):
        raise OngeldigeInvoer(
            f"de termijn voor de bijstelling is een aantal hele weken, niet {weken_ruw!r}"
        ) from None
    if uitkomst != "bijstellen":
        if weken or instemming:
            raise OngeldigeInvoer(
                "een termijn voor de bijstelling en instemming met opschorting horen alleen bij "
                "de uitkomst bijstellen"
            )
        return {}
    weken = weken or beleid.termijnen.herstel_aanvraag_weken
    if not MIN_WEKEN <= weken <= MAX_WEKEN:
        raise OngeldigeInvoer(
            f"de termijn voor de bijstelling is {MIN_WEKEN} tot {MAX_WEKEN} weken; gekozen: {weken}"
        )
    return {"termijn_weken": weken, "instemming_opschorting": instemming}


def verzoek(stand: Stand, record: dict, peildatum: dt.date) -> Overgang:
    """R §10 bijstellen: the request with its reason and term, recorded (its letter offers
    bezwaar, as R §10 says), the term planned, the beslistermijn suspended only with consent
    (Awb 4:15 lid 2 sub a)."""
    weken = record["bijstelling"]["termijn_weken"]
    instemming = record["bijstelling"]["instemming_opschorting"]
    uiterlijk = peildatum + dt.timedelta(weeks=weken)
    feiten = {
        "gevraagd_op": peildatum.isoformat(),
        "uiterlijk": uiterlijk.isoformat(),
        "termijn_weken": weken,
        "instemming_opschorting": instemming,
        "ronde": stand.ronde,
    }
    record = {**record, "bijstelling": feiten}
    return ZaakOvergang(
        status=S.BIJSTELLING,
        actie="bijstelling_gevraagd",
        details={"uiterlijk": uiterlijk.isoformat(), "instemming_opschorting": instemming},
        effecten=(
            BesluitVastgelegd(record),
            BijstellingBijgewerkt(feiten, nieuw=True),
            Termijn(TIMER, uiterlijk),
            Bericht(
                "bijstellen",
                bijlage=True,
                context={
                    "onderbouwing": record["onderbouwing"],
                    "uiterlijk": uiterlijk.isoformat(),
                    "opschorting": opschorting_tekst(instemming),
                },
            ),
        ),
    )


def opschorting_tekst(instemming: bool) -> str:
    if instemming:
        return (
            "U hebt ingestemd met opschorting van de beslistermijn tot de bijgestelde aanvraag "
            "binnen is (Awb 4:15 lid 2 sub a)."
        )
    return "U hebt niet ingestemd met opschorting: de beslistermijn loopt door (Awb 4:13, 4:15)."


def opgeschorte_dagen(stand: Stand, peildatum: dt.date) -> int:
    """Awb 4:15 lid 2 sub a: with consent, the days from the request to the adjusted
    aanvraag (or the end of the term) are added to the beslistermijn; without it none."""
    b = stand.bijstelling or {}
    if stand.status != S.BIJSTELLING or not b.get("instemming_opschorting"):
        return 0
    gevraagd = dt.date.fromisoformat(b["gevraagd_op"])
    return max(0, (peildatum - gevraagd).days)


def ontvangen(stand: Stand, peildatum: dt.date, dagen: int, termijn: dt.date) -> tuple:
    """The effects of an adjusted aanvraag received in time: its facts and the
    acknowledgement to the applicant with the beslistermijn (Awb 4:3a, aanname: every
    adjusted aanvraag is acknowledged like the first)."""
    return (
        BijstellingBijgewerkt({"ontvangen_op": peildatum.isoformat(), "opgeschort_dagen": dagen}),
        Bericht(
            "bijstelling_ontvangen",
            context={"ontvangen_op": peildatum.isoformat(), "beslistermijn": termijn.isoformat()},
        ),
    )


def verstreken(stand: Stand, datum: dt.date, client_id, context) -> Overgang:
    """The term passed without an adjusted aanvraag: back to the beoordelaar with the fact
    "bijstelling niet ontvangen"; she decides on the aanvraag as it stands (afwijzen, or
    toekennen as far as possible). Never an automatic buiten behandeling: Awb 4:5 is for an
    incomplete aanvraag and is a power a person exercises. The applicant hears it."""
    dagen = opgeschorte_dagen(stand, datum)
    nu = dataclasses.replace(stand, opgeschort_dagen=stand.opgeschort_dagen + dagen)
    beleid = _beleid(stand, datum)
    termijn = beslistermijn_van(nu, beleid)
    return ZaakOvergang(
        status=S.BEOORDELING,
        actie="bijstelling_niet_ontvangen",
        details={"opgeschort_dagen": dagen},
        effecten=(
            NieuweRonde(),
            BijstellingBijgewerkt(
                {"niet_ontvangen_op": datum.isoformat(), "opgeschort_dagen": dagen}
            ),
            *((BeslistermijnOpgeschort(dagen),) if dagen else ()),
            Termijn("beslistermijn_waarschuwing", waarschuwing_op(termijn, datum, beleid)),
            Bericht(
                "bijstelling_niet_ontvangen",
                context={"beslistermijn": termijn.isoformat()},
            ),
        ),
    )


def _beleid(stand: Stand, datum: dt.date) -> Beleid:
    versie = (stand.toets or {}).get("beleidsversie")
    return beleid_versie(versie) if versie else beleid_op(datum)


def kaartregel(bijstelling: dict | None) -> str | None:
    """One line for the case card (pseudonymous: dates and yes/no only)."""
    if not bijstelling:
        return None
    b = bijstelling
    tekst = f"gevraagd op {b.get('gevraagd_op')}, uiterlijk {b.get('uiterlijk')}; opschorting " + (
        "met instemming van de aanvrager (Awb 4:15 lid 2 sub a)"
        if b.get("instemming_opschorting")
        else "zonder instemming: de beslistermijn loopt door"
    )
    if b.get("ontvangen_op"):
        tekst += f"; bijgestelde aanvraag ontvangen op {b['ontvangen_op']}"
    elif b.get("niet_ontvangen_op"):
        tekst += f"; **{NIET_ONTVANGEN}** (termijn verstreken {b['niet_ontvangen_op']})"
    if b.get("opgeschort_dagen"):
        tekst += f"; {b['opgeschort_dagen']} dagen opgeschort"
    return tekst


def werkvoorraad_feit(status: str, bijstelling: dict | None) -> str | None:
    """The fact the beoordelaar's queue shows: the bijstelling did not come (R §10)."""
    if status in (S.BEOORDELING, S.TWEEDE_BEOORDELING) and (bijstelling or {}).get(
        "niet_ontvangen_op"
    ):
        return NIET_ONTVANGEN
    return None
