"""`meerzorg aanbieder sleutel maak|intrek|lijst` (issue 28): the provider's API keys, made
and revoked by zorgkantoor staff. The key is printed once; the database keeps its hash."""

from __future__ import annotations

from deployments.aanmelding import actor
from deployments.errors import CliFout
from deployments.operations import ensure_db
from models.db.aanbieder_sleutels import SleutelFout, maak_sleutel, sleutels_van, trek_in
from models.db.store import session_scope


def _schrijf(doe, **kwargs) -> dict:
    """One key operation in its own transaction, refused in one line."""
    ensure_db()
    try:
        with session_scope() as session:
            return doe(session=session, door=actor(persoon=True), **kwargs)
    except SleutelFout as exc:
        raise CliFout(str(exc)) from None


def maak(a) -> dict:
    return _schrijf(maak_sleutel, agb=a.agb)


def intrek(a) -> dict:
    return _schrijf(trek_in, sleutel_id=a.sleutel_id)


def lijst(a) -> dict:
    ensure_db()
    with session_scope() as session:
        rijen = sleutels_van(session=session, agb=a.agb)
        return {
            "agb": a.agb,
            "sleutels": [
                {
                    "sleutel_id": r.sleutel_id,
                    "aangemaakt": r.aangemaakt.isoformat(),
                    "aangemaakt_door": r.aangemaakt_door,
                    "ingetrokken_op": r.ingetrokken_op.isoformat() if r.ingetrokken_op else None,
                }
                for r in rijen
            ],
        }


def register_sleutel(asub, out) -> None:
    s = asub.add_parser("sleutel", help="the provider's API keys (issue 28)")
    ssub = s.add_subparsers(dest="sleutel_command", required=True, parser_class=type(s))
    m = ssub.add_parser("maak", help="make a key; printed once, stored hashed")
    m.add_argument("--agb", required=True)
    m.set_defaults(func=lambda a: out(maak(a)))
    i = ssub.add_parser("intrek", help="revoke a key at once")
    i.add_argument("--sleutel-id", required=True)
    i.set_defaults(func=lambda a: out(intrek(a)))
    lst = ssub.add_parser("lijst", help="a provider's keys (ids and dates, never the key)")
    lst.add_argument("--agb", required=True)
    lst.set_defaults(func=lambda a: out(lijst(a)))
