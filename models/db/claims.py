"""Claims on tasks in the case database (issue 27; the rules: models/claim.py). Each function
takes the caller's session and writes its audit event in that transaction (NEN 7513: every
claim, release and reassignment). Picking up is atomic on both databases: the first claim is
an INSERT on the zaak's primary key (a concurrent second one fails on it), taking over a
lapsed claim an UPDATE that names the claim it replaces (compare and set), so two assessors
clicking Oppakken at once get one claim and one "al opgepakt door …"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from models.claim import Claim, houder, reden_oppakken
from models.db.engine_store import audit
from models.db.tables_werkbak import TaakClaim, WerkbakFilter


def _nu() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def als_claim(row: TaakClaim | None) -> Claim | None:
    if row is None:
        return None
    return Claim(row.taak, row.wacht_key, row.houder, row.sinds, row.actief)


def claim_van(*, session: Session, taak: str) -> Claim | None:
    return als_claim(session.get(TaakClaim, taak))


def claims_van(*, session: Session, taken: list[str] | None = None) -> dict[str, Claim]:
    """The claims of these tasks (all when None), by task."""
    # Columns, not ORM objects: the werkbak reads every claim on each view.
    stmt = select(
        TaakClaim.taak, TaakClaim.wacht_key, TaakClaim.houder, TaakClaim.sinds, TaakClaim.actief
    )
    if taken is not None:
        stmt = stmt.where(TaakClaim.taak.in_(taken))
    return {r[0]: Claim(*r) for r in session.connection().execute(stmt)}


def oppakken(
    *, session: Session, taak: str, wacht_key: str | None, wie: str, minuten: int, client_id=None
) -> str | None:
    """Claim the task for `wie`; None when she holds it now, else why not (one line)."""
    nu = _nu()
    if wacht_key is None:
        return reden_oppakken(None, wie, None, nu, minuten)
    row = session.get(TaakClaim, taak)
    if row is None:
        try:
            with session.begin_nested():
                session.add(
                    TaakClaim(taak=taak, wacht_key=wacht_key, houder=wie, sinds=nu, actief=nu)
                )
        except IntegrityError:  # someone else's insert came first
            session.expire_all()
            row = session.get(TaakClaim, taak)
        else:
            _audit(session, wie, "taak_opgepakt", taak, client_id, {"wacht_key": wacht_key})
            return None
    vorige = als_claim(row)
    if reden := reden_oppakken(vorige, wie, wacht_key, nu, minuten):
        return reden
    eigen = houder(vorige, wacht_key, nu, minuten) == wie
    waarden = (
        {"actief": nu}
        if eigen
        else {"houder": wie, "wacht_key": wacht_key, "sinds": nu, "actief": nu}
    )
    gezet = session.execute(
        update(TaakClaim)
        .where(
            TaakClaim.taak == taak,
            TaakClaim.houder == row.houder,
            TaakClaim.wacht_key == row.wacht_key,
            TaakClaim.actief == row.actief,
        )
        .values(**waarden)
    )
    if gezet.rowcount != 1:  # taken over by someone else between the read and the write
        session.expire_all()
        return reden_oppakken(
            claim_van(session=session, taak=taak), wie, wacht_key, _nu(), minuten
        ) or ("de taak werd net door een ander opgepakt; probeer het opnieuw")
    if not eigen:
        details = {"wacht_key": wacht_key}
        if vorige.houder != wie:
            details["overgenomen_van"] = vorige.houder
            details["reden"] = "verlopen" if vorige.wacht_key == wacht_key else "vorige wacht"
        _audit(session, wie, "taak_opgepakt", taak, client_id, details)
    session.expire_all()
    return None


def activiteit(*, session: Session, taak: str, wie: str, wacht_key: str | None) -> None:
    """The holder worked on it (opened the dossier, checked the form): the claim lasts."""
    session.execute(
        update(TaakClaim)
        .where(TaakClaim.taak == taak, TaakClaim.houder == wie, TaakClaim.wacht_key == wacht_key)
        .values(actief=_nu())
    )


def vrijgeven(
    *, session: Session, taak: str, wie: str, reden: str, client_id=None, details=None
) -> None:
    """The claim ends: given up, the task submitted, or taken back by a teamleider."""
    row = session.get(TaakClaim, taak)
    if row is None:
        return
    houder_ = row.houder
    session.exec(delete(TaakClaim).where(TaakClaim.taak == taak))
    extra = {"houder": houder_, "wacht_key": row.wacht_key, "reden": reden, **(details or {})}
    _audit(session, wie, "taak_vrijgegeven", taak, client_id, extra)


def herverdelen(
    *, session: Session, taak: str, wacht_key: str, door: str, naar: str, client_id=None
) -> None:
    """A teamleider gives the task to `naar` (the rules checked it: models/claim.py)."""
    nu = _nu()
    row = session.get(TaakClaim, taak)
    van = row.houder if row is not None else None
    if row is None:
        session.add(TaakClaim(taak=taak, wacht_key=wacht_key, houder=naar, sinds=nu, actief=nu))
    else:
        row.houder, row.wacht_key, row.sinds, row.actief = naar, wacht_key, nu, nu
        session.add(row)
    session.flush()
    details = {"wacht_key": wacht_key, "van": van, "naar": naar}
    _audit(session, door, "taak_herverdeeld", taak, client_id, details)


def _audit(session, wie, actie, taak, client_id, details) -> None:
    audit(
        session=session,
        actor=wie,
        actie=actie,
        zaak=taak,
        client_id=client_id,
        details={"via": "werkbak", **details},
    )


def filter_van(*, session: Session, medewerker: str) -> dict | None:
    row = session.get(WerkbakFilter, medewerker)
    return dict(row.filter) if row is not None else None


def filter_bewaren(*, session: Session, medewerker: str, filter: dict) -> None:
    row = session.get(WerkbakFilter, medewerker) or WerkbakFilter(medewerker=medewerker)
    row.filter, row.bijgewerkt = dict(filter), _nu()
    session.add(row)
