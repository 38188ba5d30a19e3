"""Where a historical zaak's history left it, as the live lifecycle's own transitions: the
toets on receipt, then the decision of the line (or the toets on the peildatum when there is
none), each with the date it happened on. Pure: the import applies them, either one by one
through the live apply (tasks/historie_import.py) or in bulk (tasks/historie_bulk.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from models import bijstelling
from models.aanvraag import Aanvraag
from models.beleid import Beleid, BeleidsFout
from models.besluit import na_beoordeling, toekenning
from models.engine import Bericht, Termijn
from models.historie import HistorischeZaak, beleid_voor, historische_status
from models.overgang import (
    GESLOTEN,
    BesluitVastgelegd,
    NieuweRonde,
    Stand,
    ToetsVastgelegd,
    ZaakOvergang,
)
from models.planner import bezwaartermijn_einde
from models.proces import na_toets
from models.toets import toets

IMPORT_ACTOR = "historie-import"
# Reminders whose moment has passed are history; the timers that move a zaak (herbeoordeling,
# verlenging, CCE uiterlijk) stay, and the next sweep fires them like any overdue timer.
HERINNERINGEN = frozenset({"ontwikkeltraject_herinnering", "periodiek_contact"})


def ontvangst_toets(h: HistorischeZaak, aanvraag: Aanvraag) -> tuple[dict, Beleid]:
    """The toets as it was on receipt: what the assessor saw, and what what-if compares."""
    ontvangst = beleid_voor(h.ingediend_op)
    return toets(aanvraag, h.ingediend_op, ontvangst).public(), ontvangst


def historische_overgangen(
    h: HistorischeZaak, stand: Stand, resultaat: dict, ontvangst: Beleid, peildatum: dt.date
) -> Iterator[tuple[ZaakOvergang, dt.date]]:
    """The transitions that bring a freshly registered zaak to where its history left it,
    each with the date it happened on. Never a notification: the provider had those then.
    `stand` is the registered zaak with its toets on receipt; every transition is derived
    from it alone, so they may be applied one by one or all at once."""
    b = h.besluit
    if b is None:
        # Not decided yet: the toets on the peildatum, as the lifecycle run would do now.
        o = na_toets(stand, peildatum, beleid_voor(peildatum))
        yield _stil(o, f"historie_{o.actie}"), peildatum
        return
    beleid = beleid_voor(b.datum)
    record = {
        "ronde": 1,
        "uitkomst": b.uitkomst,
        "onderbouwing": b.onderbouwing,
        "beoordelaar": IMPORT_ACTOR,
        "pijlers": {},
        "start": b.start,
        "eind": b.eind,
        "bedrag_per_jaar": b.bedrag_per_jaar,
        "datum": b.datum,
        "beleidsversie": beleid.versie,
    }
    basis = (ToetsVastgelegd(resultaat, ontvangst.versie), NieuweRonde())
    if b.uitkomst == "toekennen":
        yield from _historisch_toegekend(h, stand, resultaat, record, basis, beleid, peildatum)
    else:
        yield from _historisch_besloten(h, stand, record, basis, beleid, peildatum)


def _historisch_toegekend(
    h, stand, resultaat: dict, record: dict, basis: tuple, beleid: Beleid, peildatum: dt.date
) -> Iterator[tuple[ZaakOvergang, dt.date]]:
    """A toekenning: still running on the peildatum, or ended the day after its last day."""
    b = h.besluit
    # The decided term stands as it was: only each client's indicatie end caps it (the
    # toets' own term proposal is not applied to history).
    o = toekenning(
        dataclasses.replace(stand, toets={**resultaat, "clienten": []}),
        record,
        b.datum,
        beleid,
    )
    einde = max(x["eind"] for x in o.beschikkingen)
    status = historische_status(h, einde, peildatum)
    if status == "lopend":
        # A reminder whose moment has passed is not sent late; a deadline still counts.
        yield (
            _stil(
                o,
                "historie_toegekend",
                *basis,
                houd=lambda d: d.datum >= peildatum or d.soort not in HERINNERINGEN,
            ),
            b.datum,
        )
        return
    yield _stil(o, "historie_toegekend", *basis, houd=lambda d: False), b.datum
    einde_dag = einde + dt.timedelta(days=1)
    yield ZaakOvergang(status="beeindigd", actie="historie_beeindigd"), einde_dag


def _historisch_besloten(
    h, stand, record: dict, basis: tuple, beleid: Beleid, peildatum: dt.date
) -> Iterator[tuple[ZaakOvergang, dt.date]]:
    """An afwijzing: closed once its term has passed, else the live decision with its term
    still running. A bijstelling: the live request; once its term has passed without an
    adjusted aanvraag, back at the beoordelaar as the sweep would have done (R §10)."""
    b = h.besluit
    status = historische_status(h, None, peildatum)
    if status in GESLOTEN:
        if b.uitkomst == "afwijzen":
            gesloten = bezwaartermijn_einde(b.datum, beleid)
        else:
            gesloten = b.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        yield (
            ZaakOvergang(
                status=status,
                actie=f"historie_{b.uitkomst}",
                effecten=(BesluitVastgelegd(record, bekendmaken=False), *basis),
            ),
            max(gesloten, b.datum),
        )
        return
    # Still within the bezwaartermijn or the time to adjust: exactly the live decision.
    try:
        o = na_beoordeling(stand, record, b.datum)
    except BeleidsFout:
        deadline = (
            Termijn("bezwaartermijn_einde", bezwaartermijn_einde(b.datum, beleid))
            if b.uitkomst == "afwijzen"
            else Termijn(
                bijstelling.TIMER,
                b.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken),
            )
        )
        o = ZaakOvergang(
            status="bijstelling" if b.uitkomst == "bijstellen" else status,
            actie=b.uitkomst,
            effecten=(BesluitVastgelegd(record, bekendmaken=False), deadline),
        )
    besluit = BesluitVastgelegd({**(o.besluit or {}), **record}, bekendmaken=False)
    zonder = dataclasses.replace(
        o, effecten=tuple(e for e in o.effecten if not isinstance(e, BesluitVastgelegd))
    )
    # The letters were sent then (outside this system): the term counts from the besluit's
    # date, as it did, and the zaak's timer is planned here, not at a bekendmaking.
    termijn = ()
    if b.uitkomst == "afwijzen" and all(
        t.soort != "bezwaartermijn_einde" for t in zonder.alle(Termijn)
    ):
        termijn = (Termijn("bezwaartermijn_einde", bezwaartermijn_einde(b.datum, beleid)),)
    verlopen = b.uitkomst == "bijstellen" and status == "beoordeling"
    # A bijstelling whose term passed in history: its timer is not planned, the next
    # transition is what firing it did.
    houd = (lambda d: d.soort != bijstelling.TIMER) if verlopen else None
    yield _stil(zonder, f"historie_{o.actie}", besluit, *termijn, *basis, houd=houd), b.datum
    if verlopen:
        # The term passed in history: what the sweep would have done on its day (a warning
        # whose moment has passed is not sent late).
        feiten = (besluit.besluit or {}).get("bijstelling") or {}
        weken = dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        verstreken = dt.date.fromisoformat(feiten.get("uiterlijk") or (b.datum + weken).isoformat())
        na = dataclasses.replace(stand, status="bijstelling", bijstelling=feiten or None)
        o = bijstelling.verstreken(na, verstreken, None, {})
        actie = "historie_bijstelling_niet_ontvangen"
        yield _stil(o, actie, houd=lambda d: d.datum >= peildatum), verstreken


def _stil(o, actie: str, *extra, houd=None):
    """The live transition as history: no notification (the provider had those then), its
    own effects plus `extra`, and only the timers `houd` keeps (default: all)."""
    effecten = tuple(
        # Its letters were sent then, outside this system: none are made now.
        BesluitVastgelegd(e.besluit, bekendmaken=False) if isinstance(e, BesluitVastgelegd) else e
        for e in o.effecten
        if not isinstance(e, Bericht) and not (isinstance(e, Termijn) and houd and not houd(e))
    )
    return dataclasses.replace(o, actie=actie, effecten=effecten + extra)
