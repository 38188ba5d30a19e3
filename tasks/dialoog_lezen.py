"""The meerzorgdialoog read for the command line (`meerzorg dialogen`, `meerzorg dialoog
toon`): plain dicts of dates, statuses, timers and notifications."""

from __future__ import annotations

import datetime as dt

from models import dialoog as regels
from models.db.dialogen_lezen import dialogen_van_jaar, verslag_van
from models.db.notificaties import notificaties_van
from models.db.store import session_scope
from models.dialoog import dialoog_key
from tasks.dialoog import lees, timers_van


def overzicht(jaar: int) -> list[dict]:
    """`meerzorg dialogen --jaar J`: one line per provider."""
    with session_scope() as session:
        rows = dialogen_van_jaar(session=session, jaar=jaar)
        return [
            {
                "agb": d.agb,
                "uitnodiging": d.uitnodiging.isoformat(),
                "meerzorgplan_uiterlijk": d.meerzorgplan_uiterlijk.isoformat(),
                "dialoog": d.dialoog.isoformat(),
                "status": d.status,
                "wacht_op": d.wacht_op,
                "meerzorgplan_ontvangen": _iso(d.meerzorgplan_ontvangen),
                "gehouden_op": _iso(d.gehouden_op),
            }
            for d in rows
        ]


def detail(agb: str, jaar: int) -> dict | None:
    with session_scope() as session:
        d = lees(session, agb, jaar)
        if d is None:
            return None
        termijnen = timers_van(session, d).open(session)
        notificaties = notificaties_van(session=session, zaak=dialoog_key(agb, jaar))
        return {
            "dialoog": dialoog_key(agb, jaar),
            "agb": d.agb,
            "jaar": d.jaar,
            "status": d.status,
            "wacht_op": d.wacht_op,
            "wacht_key": d.wacht_key,
            "laatste_fout": d.laatste_fout,
            "uitnodiging": d.uitnodiging.isoformat(),
            "meerzorgplan_uiterlijk": d.meerzorgplan_uiterlijk.isoformat(),
            "dialoog_datum": d.dialoog.isoformat(),
            "meerzorgplan_ontvangen": _iso(d.meerzorgplan_ontvangen),
            "gehouden_op": _iso(d.gehouden_op),
            "cce_aanwezig": d.cce_aanwezig,
            # R §10: the verslag as a letter to the provider; the PDF stays in the database.
            "verslag": _verslag(verslag_van(session=session, dialoog_id=d.id), notificaties),
            "notities": dict(d.notities or {}),
            "afspraken": regels.afspraak_regels(d.afspraken),
            "vorige_afspraken": regels.afspraak_regels(d.vorige_afspraken),
            "beleidsversie": d.beleidsversie,
            "flow_run_id": d.flow_run_id,
            "termijnen": [{"soort": t.soort, "datum": t.datum.isoformat()} for t in termijnen],
            "notificaties": [
                {
                    "sleutel": n.sleutel,
                    "kanaal": n.kanaal,
                    "onderwerp": n.onderwerp,
                    "status": n.status,
                }
                for n in notificaties
            ],
        }


def _verslag(v, notificaties) -> dict | None:
    if v is None:
        return None
    status = next((n.status for n in notificaties if n.sleutel == v.notificatie), None)
    return {"datum": v.datum.isoformat(), "sha256": v.sha256, "notificatie": status}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
