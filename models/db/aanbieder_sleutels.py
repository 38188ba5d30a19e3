"""The provider's keys and webhook subscriptions (issue 28), as keyword-only data functions.

A key is `mzk_<sleutel_id>_<secret>`: the id names it in the audit trail and in a revocation
without ever showing the secret; the secret is checked by its SHA-256 (see
models/db/tables_aanbieder.py for why a fast hash is right for 256 random bits)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlmodel import Session, select

from models.db.engine_store import audit
from models.db.tables import Besluit, Zorgaanbieder
from models.db.tables_aanbieder import AanbiederSleutel, Abonnement, Webhookbericht

VOORVOEGSEL = "mzk_"


class SleutelFout(ValueError):
    """A key that cannot be made or revoked, with one line for a person."""


def _hash(geheim: str) -> str:
    return hashlib.sha256(geheim.encode()).hexdigest()


def maak_sleutel(*, session: Session, agb: str, door: str) -> dict:
    """A new key for the provider: its id and the whole key, shown this once."""
    if session.get(Zorgaanbieder, agb) is None:
        raise SleutelFout(
            f"zorgaanbieder {agb} is niet geregistreerd (meerzorg aanbieder registreer)"
        )
    sleutel_id = secrets.token_hex(6)
    geheim = f"{VOORVOEGSEL}{sleutel_id}_{secrets.token_urlsafe(32)}"
    session.add(
        AanbiederSleutel(
            sleutel_id=sleutel_id, agb=agb, sleutel_hash=_hash(geheim), aangemaakt_door=door
        )
    )
    audit(
        session=session,
        actor=door,
        actie="api_sleutel_gemaakt",
        details={"agb": agb, "sleutel_id": sleutel_id},
    )
    return {"agb": agb, "sleutel_id": sleutel_id, "sleutel": geheim}


def trek_in(*, session: Session, sleutel_id: str, door: str) -> dict:
    rij = session.get(AanbiederSleutel, sleutel_id)
    if rij is None:
        raise SleutelFout(f"sleutel {sleutel_id} bestaat niet")
    if rij.ingetrokken_op is None:
        rij.ingetrokken_op, rij.ingetrokken_door = dt.datetime.now(dt.UTC), door
        session.add(rij)
        audit(
            session=session,
            actor=door,
            actie="api_sleutel_ingetrokken",
            details={"agb": rij.agb, "sleutel_id": sleutel_id},
        )
    return {
        "agb": rij.agb,
        "sleutel_id": sleutel_id,
        "ingetrokken_op": rij.ingetrokken_op.isoformat(),
    }


def sleutel_van(*, session: Session, geheim: str) -> AanbiederSleutel | None:
    """The active key behind a bearer secret, or None."""
    if not geheim.startswith(VOORVOEGSEL) or len(geheim) > 200:
        return None
    rij = session.exec(
        select(AanbiederSleutel).where(AanbiederSleutel.sleutel_hash == _hash(geheim))
    ).first()
    # Compared again in constant time: the index lookup found it by the hash already.
    if rij is None or not hmac.compare_digest(rij.sleutel_hash, _hash(geheim)):
        return None
    return rij if rij.ingetrokken_op is None else None


def sleutels_van(*, session: Session, agb: str) -> list[AanbiederSleutel]:
    return list(session.exec(select(AanbiederSleutel).where(AanbiederSleutel.agb == agb)).all())


def abonneer(*, session: Session, agb: str, url: str, door: str) -> dict:
    geheim = secrets.token_urlsafe(32)
    rij = Abonnement(agb=agb, url=url, geheim=geheim, aangemaakt_door=door)
    session.add(rij)
    session.flush()
    audit(
        session=session,
        actor=door,
        actie="api_abonnement",
        details={"agb": agb, "abonnement": rij.id},
    )
    return {"id": rij.id, "url": url, "geheim": geheim}


def abonnementen(*, session: Session, agb: str) -> list[Abonnement]:
    return list(
        session.exec(
            select(Abonnement).where(Abonnement.agb == agb, Abonnement.opgezegd_op.is_(None))
        ).all()
    )


def zeg_op(*, session: Session, agb: str, abonnement_id: int, door: str) -> bool:
    rij = session.get(Abonnement, abonnement_id)
    if rij is None or rij.agb != agb or rij.opgezegd_op is not None:
        return False
    rij.opgezegd_op = dt.datetime.now(dt.UTC)
    session.add(rij)
    audit(
        session=session,
        actor=door,
        actie="api_abonnement_opgezegd",
        details={"agb": agb, "abonnement": abonnement_id},
    )
    return True


def meld(*, session: Session, agb: str | None, gebeurtenis: str, zaak: str | None, **ids) -> int:
    """Queue an event for each of the provider's subscriptions (ids only). Returns how many."""
    if not agb:
        return 0
    n = 0
    for ab in abonnementen(session=session, agb=agb):
        inhoud = {
            "gebeurtenis": gebeurtenis,
            "zaak": zaak,
            **{k: v for k, v in ids.items() if v is not None},
        }
        session.add(
            Webhookbericht(abonnement_id=ab.id, gebeurtenis=gebeurtenis, zaak=zaak, inhoud=inhoud)
        )
        n += 1
    return n


def te_verzenden(*, session: Session, limiet: int = 100) -> list[tuple[Webhookbericht, Abonnement]]:
    rijen = session.exec(
        select(Webhookbericht, Abonnement)
        .join(Abonnement, Abonnement.id == Webhookbericht.abonnement_id)
        .where(Webhookbericht.status == "te_verzenden")
        .order_by(Webhookbericht.id)
        .limit(limiet)
    ).all()
    return [(b, a) for b, a in rijen]


# --- the events of a zaak, for the provider's webhooks -------------------------------------


def volgt(*, session: Session, agb: str | None) -> bool:
    """Whether the provider has a webhook (one indexed read; nothing more without one)."""
    if not agb:
        return False
    return (
        session.exec(
            select(Abonnement.id).where(Abonnement.agb == agb, Abonnement.opgezegd_op.is_(None))
        ).first()
        is not None
    )


def stand_voor(*, session: Session, zaak) -> tuple:
    """What a transition may change that the provider hears of: status, wait, last besluit."""
    laatste = session.exec(
        select(Besluit.id).where(Besluit.zaak == zaak.key).order_by(Besluit.id.desc())
    ).first()
    return zaak.status, zaak.wacht_key, laatste or 0


def meld_overgang(*, session: Session, zaak, voor: tuple) -> None:
    """After a transition: `zaak.gewijzigd` when its status or wait changed, and a
    `besluit.genomen` per besluit it took (ids and codes only, never content)."""
    status, wacht_key, laatste = voor
    if (zaak.status, zaak.wacht_key) != (status, wacht_key):
        meld(
            session=session,
            agb=zaak.agb,
            gebeurtenis="zaak.gewijzigd",
            zaak=zaak.key,
            status=zaak.status,
            wacht_op=zaak.wacht_op,
        )
    nieuw = session.exec(
        select(Besluit.id)
        .where(Besluit.zaak == zaak.key, Besluit.id > laatste)
        .order_by(Besluit.id)
    ).all()
    for besluit_id in nieuw:
        meld(
            session=session,
            agb=zaak.agb,
            gebeurtenis="besluit.genomen",
            zaak=zaak.key,
            besluit=besluit_id,
        )
