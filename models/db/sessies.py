"""The gateway's logins as rows (table medewerker_sessie): opened at a login, closed at a
logout, all of a medewerker's revoked at a password change. The cookie carries a random
token; the database keeps only its SHA-256, so every gateway replica sharing the case
database sees a logout at once (each keeps a few seconds' cache, deployments/gateway_auth)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlmodel import Session, delete

from models.db.tables import MedewerkerSessie


def sleutel_van(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _nu() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sessie_openen(*, session: Session, medewerker: str, geldig_seconden: int) -> str:
    """A new login's token (for the cookie). Expired rows go at the same time, so the table
    holds no more than the logins of one session lifetime."""
    nu = _nu()
    session.exec(delete(MedewerkerSessie).where(MedewerkerSessie.verloopt < nu))
    token = secrets.token_urlsafe(32)
    session.add(
        MedewerkerSessie(
            sleutel=sleutel_van(token),
            medewerker=medewerker,
            aangemaakt=nu,
            verloopt=nu + dt.timedelta(seconds=geldig_seconden),
        )
    )
    return token


def sessie_geldig(*, session: Session, medewerker: str, token: str) -> bool:
    row = session.get(MedewerkerSessie, sleutel_van(token))
    if row is None or row.medewerker != medewerker:
        return False
    verloopt = row.verloopt if row.verloopt.tzinfo else row.verloopt.replace(tzinfo=dt.UTC)
    return verloopt > _nu()


def sessie_sluiten(*, session: Session, token: str) -> None:
    session.exec(delete(MedewerkerSessie).where(MedewerkerSessie.sleutel == sleutel_van(token)))


def sessies_intrekken(*, session: Session, medewerker: str) -> int:
    """Every login of a medewerker ends (a password change: whoever knew the old one is out)."""
    result = session.exec(delete(MedewerkerSessie).where(MedewerkerSessie.medewerker == medewerker))
    return result.rowcount
