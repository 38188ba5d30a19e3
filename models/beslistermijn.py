"""The beslistermijn extended once with a notice and a reason (Awb 4:14), as a pure rule;
models/planner.beslistermijn_einde counts the extension (`verlengd_dagen`)."""

from __future__ import annotations

import datetime as dt

from models.engine import Bericht, Herpland, OngeldigeInvoer, Overgang, Termijn
from models.opvolging_regels import beleid_versie_of_op
from models.overgang import BeslistermijnVerlengd, Stand, ZaakOvergang
from models.overgang import ZaakStatus as S
from models.planner import beslistermijn_van, waarschuwing_op

# While the decision is pending: in herstel the term is suspended already (4:15).
VERLENGBAAR = frozenset({S.BEOORDELING, S.TWEEDE_BEOORDELING})
# aanname: 4:14 asks for "een zo kort mogelijke redelijke termijn"; at most the term itself.
MAX_WEKEN = 8


def verleng(stand: Stand, weken: int, reden: str, peildatum: dt.date) -> Overgang:
    """Awb 4:14: before the term ends, the zorgkantoor tells the provider it cannot decide in
    time, why, and by when it will; once (a second extension is refused)."""
    if stand.status not in VERLENGBAAR:
        raise OngeldigeInvoer(
            f"zaak {stand.key} wacht niet op een besluit (status {stand.status}); alleen dan kan "
            "de beslistermijn worden verlengd (Awb 4:14)"
        )
    beleid = beleid_versie_of_op(stand, peildatum)
    huidig = beslistermijn_van(stand, beleid)
    if stand.verlengd_dagen:
        raise OngeldigeInvoer(
            f"de beslistermijn is al eens verlengd (tot {huidig}); een tweede verlenging kan "
            "niet (Awb 4:14)"
        )
    if not isinstance(weken, int) or not 1 <= weken <= MAX_WEKEN:
        raise OngeldigeInvoer(f"verleng met 1 tot {MAX_WEKEN} weken (Awb 4:14: zo kort mogelijk)")
    reden = (reden or "").strip()
    if not reden:
        raise OngeldigeInvoer("vul de reden van de verlenging in (Awb 4:14)")
    if peildatum > huidig:
        raise OngeldigeInvoer(
            f"de beslistermijn is verstreken op {huidig}; verlengen kan alleen binnen de "
            "termijn (Awb 4:14)"
        )
    nieuw = beslistermijn_van(stand, beleid, weken * 7)
    waarschuwing = waarschuwing_op(nieuw, peildatum, beleid)
    return ZaakOvergang(
        status=stand.status,
        actie="beslistermijn_verlengd",
        nieuwe_wacht=False,
        details={"weken": weken, "beslistermijn": nieuw.isoformat()},
        effecten=(
            BeslistermijnVerlengd(weken * 7, reden[:2000]),
            Herpland(),  # the old warning lapses; the new one follows
            Termijn("beslistermijn_waarschuwing", waarschuwing),
            Bericht(
                "beslistermijn_verlengd",
                context={"beslistermijn": nieuw.isoformat(), "reden": reden[:2000]},
            ),
        ),
    )
