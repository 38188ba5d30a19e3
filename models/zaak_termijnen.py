"""A due timer of the zaak: the rule the kind declares for it (`ZAAK.termijnregels`, the
kind's own with those its waits declare), applied in the statuses where it still applies;
a running beschikking's timer during a bezwaar as models/bezwaar_termijnen.py says."""

from __future__ import annotations

import datetime as dt

from models import bezwaar_termijnen
from models.engine import Overgang
from models.overgang import BESCHIKKING_ACTIEF, Stand
from models.proces import ZAAK


def bij_deadline(
    stand: Stand, soort: str, datum: dt.date, client_id: str | None, context: dict | None = None
) -> Overgang | None:
    """A due timer. None: nothing to do (already handled, or no longer relevant).

    `context` carries what the rules cannot read from the stand: `einde` (last day of the
    beschikkingen), `cce_ok` (the client has a timely ontwikkeltraject), `uiterlijk`."""
    regel = ZAAK.termijnregels.get(soort)
    if regel is None:
        return None
    if stand.status not in regel.statussen:
        # A running beschikking's timer outlives the zaak's bezwaar wait (Awb 6:16):
        # models/bezwaar_termijnen.tijdens_bezwaar says what each does then.
        if stand.status in bezwaar_termijnen.ZAAK_ELDERS and regel.statussen & BESCHIKKING_ACTIEF:
            return bezwaar_termijnen.tijdens_bezwaar(
                stand, soort, datum, client_id, context or {}, regel.doe
            )
        return None
    return regel.doe(stand, datum, client_id, context or {})
