"""The terms of a bezwaar as pure rules: in time (Awb 6:9), the term for the gronden of a
pro forma bezwaar (6:6), the beslissing's term (7:10) and its timers, the beroep term (6:7,
8:1), and what a due timer does (models/bezwaar.py has the steps; models/opvolging_regels.py
fires these)."""

from __future__ import annotations

import datetime as dt

from models.beleid import beleid_op
from models.dates import atw_einde
from models.engine import Bericht, Overgang, Termijn
from models.overgang import BEZWAAR_STATUSSEN, ClientBeeindigd, Stand, ZaakOvergang
from models.overgang import ZaakStatus as S

POST_DAGEN = 7  # Awb 6:9 lid 2: posted in time and received within a week
BESLIS_WEKEN = 6  # Awb 7:10 lid 1
ADVIESCOMMISSIE_WEKEN = 12  # Awb 7:10 lid 1 with an adviescommissie of 7:13
INZAGE_DAGEN = 7  # Awb 7:4 lid 2: the stukken lie open at least a week before the hoorzitting
VERDAGING_WEKEN = 6  # Awb 7:10 lid 3, once
BEROEP_WEKEN = 6  # Awb 6:7: beroep at the rechtbank (8:1) within six weeks
TIMERS = ("bezwaar_herinnering", "bezwaar_uiterlijk")
HERINNERING_DAGEN = 7  # aanname: the behandelaar is reminded a week before the 7:10 term
# Awb 6:6: the day after the term for the gronden of a pro forma bezwaar ran out.
GRONDEN_TIMER = "bezwaar_gronden"


def tijdig(ontvangen: dt.date, verzonden: dt.date | None, einde: dt.date) -> bool:
    """Awb 6:9: in time when received by the end of the term, or posted by then and received
    within a week after it (that week too ends on a working day, Atw art. 1)."""
    if ontvangen <= einde:
        return True
    return (
        verzonden is not None
        and verzonden <= einde
        and ontvangen <= atw_einde(einde + dt.timedelta(days=POST_DAGEN))
    )


def beslis_uiterlijk(
    bezwaartermijn: dt.date, ontvangen: dt.date, adviescommissie: bool = False
) -> dt.date:
    """Awb 7:10 lid 1: six weeks after the bezwaartermijn ended, twelve when an adviescommissie
    (7:13) advises, on a working day (Atw). For a late bezwaarschrift from its receipt
    (aanname: as the ABRvS counts it; otherwise its term would have passed before it
    arrived)."""
    weken = ADVIESCOMMISSIE_WEKEN if adviescommissie else BESLIS_WEKEN
    return atw_einde(max(bezwaartermijn, ontvangen) + dt.timedelta(weeks=weken))


def gronden_uiterlijk(gevraagd: dt.date) -> dt.date:
    """Awb 6:6: the last day to supply the gronden of a pro forma bezwaar, a term of the
    policy (models/beleid.py: bezwaar_gronden_weken) from the day they were asked for, on a
    working day (aanname: Atw art. 1 as for the terms set by law)."""
    weken = beleid_op(gevraagd).termijnen.bezwaar_gronden_weken
    return atw_einde(gevraagd + dt.timedelta(weeks=weken))


def gronden_verstreken(stand, datum, client_id, context) -> Overgang:
    """Awb 6:6: the term for the gronden passed without them. Never an automatic
    niet-ontvankelijk: the procedure moves to the wait for a behandelaar's decision, and
    operations hears of it."""
    return ZaakOvergang(
        status=S.BEZWAAR_GRONDEN_VERSTREKEN,
        actie="bezwaar_gronden_verstreken",
        effecten=(
            Bericht(
                "bezwaar_gronden_verstreken",
                kanaal="operations",
                context={"uiterlijk": (datum - dt.timedelta(days=1)).isoformat()},
            ),
        ),
    )


def beroep_uiterlijk(beslist_op: dt.date) -> dt.date:
    """Awb 6:7/6:8 (Atw art. 1): the last day to lodge beroep against the beslissing."""
    return atw_einde(beslist_op + dt.timedelta(weeks=BEROEP_WEKEN))


def timers(uiterlijk: dt.date, peildatum: dt.date) -> tuple[Termijn, ...]:
    # aan_wacht=False: the 7:10 term runs across the bezwaar's waits (and the new decision
    # after a gegrond bezwaar); a verdaging or the beslissing lets them lapse.
    herinnering = max(peildatum, uiterlijk - dt.timedelta(days=HERINNERING_DAGEN))
    return (
        Termijn("bezwaar_herinnering", herinnering, aan_wacht=False),
        Termijn("bezwaar_uiterlijk", uiterlijk, aan_wacht=False),
    )


def bezwaar_herinnering(stand, datum, client_id, context) -> Overgang:
    """Operations hears a week before the 7:10 term ends (aanname: as for the beslistermijn).
    `context["uiterlijk"]`: the open bezwaar's term (tasks/zaak.deadline_context)."""
    uiterlijk = context.get("uiterlijk") or datum + dt.timedelta(days=HERINNERING_DAGEN)
    return _melding(stand, "bezwaar_herinnering", uiterlijk)


def bezwaar_verstreken(stand, datum, client_id, context) -> Overgang:
    """Awb 7:10: the term passed without a beslissing op bezwaar: escalate to operations."""
    return _melding(stand, "bezwaar_termijn_verstreken", context.get("uiterlijk") or datum)


def _melding(stand: Stand, actie: str, uiterlijk) -> Overgang:
    return ZaakOvergang(
        status=stand.status,
        actie=actie,
        nieuwe_wacht=False,
        effecten=(Bericht(actie, kanaal="operations", context={"uiterlijk": str(uiterlijk)}),),
    )


# Where a running beschikking's timers still fire although the zaak waits elsewhere: a bezwaar
# being handled, and the new assessment after a gegrond one (7:11) until the new besluit
# replaces the beschikking (models/db/zaak_store._beschikking lets the old timers lapse then).
ZAAK_ELDERS = BEZWAAR_STATUSSEN | {S.BEOORDELING, S.TWEEDE_BEOORDELING, S.BIJSTELLING}
# The beschikking's timers that belong to a wait of its own (the herbeoordeling, the passende
# overgang): they move the zaak, which is busy, so they wait for the bezwaar (uitgesteld).
NAAR_EIGEN_WACHT = frozenset(
    {
        "herbeoordeling_start",
        "passende_overgang_start",
        "verlenging_uiterlijk",
        "passende_overgang_uiterlijk",
    }
)


def tijdens_bezwaar(stand: Stand, soort: str, datum: dt.date, client_id, context: dict, doe):
    """A running beschikking's timer due while its zaak handles a bezwaar or is assessed again
    after a gegrond one. Awb 6:16: the bezwaar does not suspend the beschikking, so its
    obligations keep running: the einde ends the care on its last day (the zaak keeps its
    wait; it closes after the beslissing or the new besluit, models/bezwaar_beslissing.py);
    the periodic contact and the CCE reminders fire as in the running term (`doe`, their own
    rule, keeps the zaak's wait). The herbeoordeling and the passende overgang are waits of
    their own: planned again a week later until the bezwaar is decided (aanname). Nothing when
    no beschikking runs any more (`context["actief"]`, tasks/zaak.deadline_context)."""
    if not context.get("actief", False):
        return None
    if soort == "einde_beschikking":
        return einde_tijdens_bezwaar(stand, datum, context)
    if soort in NAAR_EIGEN_WACHT:
        return uitgesteld(stand, soort, datum, client_id)
    return doe(stand, datum, client_id, context)


def einde_tijdens_bezwaar(stand: Stand, datum: dt.date, context: dict) -> Overgang:
    """The beschikking holds through its last day and no longer (its term is the besluit's;
    Awb 6:16: a bezwaar neither suspends nor extends it): every client's beschikking ends on
    it, the provider hears so, and the zaak stays in its wait."""
    einde = context.get("einde")
    einde = einde if isinstance(einde, dt.date) else datum - dt.timedelta(days=1)
    return ZaakOvergang(
        status=stand.status,
        actie="beschikking_beeindigd_tijdens_bezwaar",
        nieuwe_wacht=False,
        details={"einde": einde.isoformat()},
        effecten=(
            *(ClientBeeindigd(c.client_id, einde) for c in stand.aanvraag.clienten),
            Bericht("beeindigd_tijdens_bezwaar", context={"einde": einde.isoformat()}),
        ),
    )


def uitgesteld(stand: Stand, soort: str, datum: dt.date, client_id: str | None) -> Overgang:
    """A beschikking's timer due while the zaak handles a bezwaar against it: the bezwaar
    does not suspend the beschikking (Awb 6:16), but the zaak has one status; the timer is
    planned again a week later until the bezwaar is decided (aanname)."""
    later = datum + dt.timedelta(days=7)
    return ZaakOvergang(
        status=stand.status,
        actie="termijn_uitgesteld_tijdens_bezwaar",
        nieuwe_wacht=False,
        details={"soort": soort, "datum": later.isoformat()},
        effecten=(Termijn(soort, later, client_id, aan_wacht=False),),
    )
