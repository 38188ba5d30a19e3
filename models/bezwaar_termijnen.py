"""The terms of a bezwaar as pure rules: in time (Awb 6:9), the term for the gronden of a
pro forma bezwaar (6:6), the beslissing's term (7:10) and its timers, the beroep term (6:7,
8:1), and what a due timer does (models/bezwaar.py has the steps; models/opvolging_regels.py
fires these)."""

from __future__ import annotations

import datetime as dt

from models.beleid import beleid_op
from models.dates import atw_einde
from models.engine import Bericht, Overgang, Termijn
from models.overgang import Stand, ZaakOvergang
from models.overgang import ZaakStatus as S

POST_DAGEN = 7  # Awb 6:9 lid 2: posted in time and received within a week
BESLIS_WEKEN = 6  # Awb 7:10 lid 1
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


def beslis_uiterlijk(bezwaartermijn: dt.date, ontvangen: dt.date) -> dt.date:
    """Awb 7:10 lid 1: six weeks after the bezwaartermijn ended, on a working day (Atw). For
    a late bezwaarschrift from its receipt (aanname: as the ABRvS counts it; otherwise its
    term would have passed before it arrived)."""
    return atw_einde(max(bezwaartermijn, ontvangen) + dt.timedelta(weeks=BESLIS_WEKEN))


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
