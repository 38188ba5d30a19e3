"""The zaak's last bezwaar as JSON for the command line (`meerzorg zaak`, `meerzorg bezwaar
...`): pseudonymous, the procedure and its indieners by role and client id, dates and
facts only. Free text (the gronden, the verslag of the hoorzitting, the onderbouwing)
stays in the case database: the JSON says only whether it is there."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from models.bezwaar_procedure import indieners
from models.db.zaakoverzicht import laatste_bezwaar

VELDEN = (
    "besluit_id", "besluit_datum", "ontvangen", "tijdig", "uiterlijk", "verdaagd",
    "adviescommissie", "advies_commissie", "behandelaar", "uitgenodigd_op", "hoorzitting_op",
    "afzien_grond", "uitkomst", "beslist_op", "kostenvergoeding",
)  # fmt: skip
PER_INDIENER = (
    "indiener", "client_id", "ontvangen", "tijdig", "verschoonbaar", "pro_forma",
    "gronden_uiterlijk", "niet_ontvankelijk",
)  # fmt: skip


def bezwaar_publiek(*, session: Session, zaak: str) -> dict | None:
    """None: no bezwaar was made. The verslag (Awb 7:7) as who was heard, when it was drawn
    up and sent, and that it exists; the kostenvergoeding (7:15) as recorded."""
    b = laatste_bezwaar(session=session, zaak=zaak)
    if b is None:
        return None
    uit = {k: _iso(getattr(b, k)) for k in VELDEN}
    verslag = b.verslag or None
    uit["verslag"] = (
        {
            "gehoord": verslag.get("gehoord", []),
            "opgemaakt_op": verslag.get("opgemaakt_op"),
            "verzonden_op": verslag.get("verzonden_op"),
            "vastgelegd": bool(verslag.get("tekst")),
        }
        if verslag
        else None
    )
    uit["indieners"] = [
        {**{k: i.get(k) for k in PER_INDIENER}, "gronden": bool(i.get("gronden"))}
        for i in indieners(b.model_dump())
    ]
    return uit


def _iso(v):
    return v.isoformat() if isinstance(v, dt.date) else v
