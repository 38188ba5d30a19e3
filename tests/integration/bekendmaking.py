"""For the tests of what follows a besluit: its letters made known on a given day, as the
outbox does when it delivers them (tasks/notify.py; the delivery itself is proven in
test_besluit_brieven.py). From then the bezwaartermijn runs (Awb 6:8)."""

from __future__ import annotations

import datetime as dt

from models.db.brieven import bekendgemaakt, brieven_van_zaak
from models.db.store import session_scope


def maak_bekend(key: str, dag: dt.date) -> int:
    """Every letter of the zaak not yet known is known on `dag`; returns how many."""
    with session_scope() as session:
        ids = [
            b.id for b in brieven_van_zaak(session=session, zaak=key) if b.status == "te_verzenden"
        ]
    for brief_id in ids:
        with session_scope() as session:
            bekendgemaakt(session=session, brief_id=brief_id, dag=dag)
    return len(ids)
