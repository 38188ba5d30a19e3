"""For the tests of what follows an afwijzing: when the Awb asks for a zienswijze first
(4:7, 4:8; models/zienswijze.py), the assessor's afwijzing is a voornemen; the zienswijze is
recorded and the assessor takes the besluit, all on the same day. The zienswijze's own rules
are tested in tests/unit/test_zienswijze_rules.py and tests/integration/test_zienswijze.py."""

from __future__ import annotations

import datetime as dt

from models.db.store import lees_zaak, session_scope
from tasks import zaak as ops

SAMENVATTING = "De zorgaanbieder wijst op de nachtzorg thuis."


def wacht_key(key: str) -> str:
    with session_scope() as session:
        return lees_zaak(session=session, key=key).wacht_key


def wijs_af(key: str, formulier: dict, dag: dt.date) -> str:
    """The afwijzing as the assessor gives it; after a voornemen, the provider's zienswijze
    (recorded by the same assessor) and the same afwijzing again. Returns the last answer."""
    antwoord = ops.verwerk_invoer(key, wacht_key(key), formulier, dag)
    with session_scope() as session:
        status = lees_zaak(session=session, key=key).status
    if status != "zienswijze":
        return antwoord
    zienswijze = {
        "ontvangen": dag.isoformat(),
        "van": "zorgaanbieder",
        "samenvatting": SAMENVATTING,
        "ingediend_door": formulier["beoordelaar"],
    }
    assert ops.verwerk_invoer(key, wacht_key(key), zienswijze, dag) == "toegepast"
    return ops.verwerk_invoer(key, wacht_key(key), formulier, dag)
