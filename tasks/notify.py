"""Outbox delivery with apprise: each row is claimed, sent to its targets, then marked.

Exactly once: a row is claimed with a compare-and-set (status + lease), so two deliverers
never send the same row; every message carries its idempotency key as the header
`X-Meerzorg-Sleutel`, so a receiver can drop the one resend that a crash between sending
and marking can cause. Failures back off exponentially; after the last try the row is
dead-lettered and the operations channel is alerted.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import quote

import apprise
from apprise import AppriseAttachment
from apprise.attachment.memory import AttachMemory

from models.dates import dag_van
from models.db.brieven import bekendgemaakt, brief_bijlage, onbestelbaar
from models.db.dialogen_lezen import verslag_bijlage
from models.db.engine_store import queue_bericht
from models.db.notificaties import bezorgbare_ids, claim, iets_te_bezorgen
from models.db.store import session_scope
from models.db.tables import Notificatie, Zorgaanbieder
from models.db.tables_brief import Brief
from models.settings import get_settings
from tasks.crashpunt import crash_point
from tasks.webhooks import verzend_webhooks

log = logging.getLogger("meerzorg.notify")
POST = "post"  # a letter's target when it goes by post: the print queue


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _with_key(url: str, sleutel: str) -> str:
    if url.startswith(("json://", "jsons://", "form://", "forms://", "xml://", "xmls://")):
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}+X-Meerzorg-Sleutel={quote(sleutel, safe='')}"
    return url


def targets_for(row: Notificatie, session) -> list[str]:
    """Where the row goes. A letter to a party goes to that party's own target; one by post
    goes to the print queue (POST: no network, accepted at once)."""
    if row.kanaal == "partij":
        brief = session.get(Brief, row.brief_id) if row.brief_id else None
        if brief is None:
            return []
        return [POST] if brief.kanaal == "post" else [brief.doel] if brief.doel else []
    if row.kanaal == "operations":
        return get_settings().operations_targets
    if row.kanaal == "cce":
        return get_settings().cce_targets
    aanbieder = session.get(Zorgaanbieder, row.agb) if row.agb else None
    return list(aanbieder.notify) if aanbieder else []


def send(
    urls: list[str],
    sleutel: str,
    onderwerp: str,
    tekst: str,
    bijlage: tuple[str, bytes] | None = None,
) -> str | None:
    """Send to every target; returns None on success or a one-line error. `bijlage`: a
    letter (file name, PDF) attached to the message."""
    if not urls:
        return "geen notificatie-adres geregistreerd"
    fouten = []
    for url in urls:
        if url == POST:
            continue  # the print queue: the letter waits in the case database for printing
        app = apprise.Apprise()
        if not app.add(_with_key(url, sleutel)):
            fouten.append(f"ongeldig adres {url.split('://', 1)[0]}://…")
            continue
        attach = None
        if bijlage is not None:
            attach = AppriseAttachment()
            attach.add(
                AttachMemory(content=bijlage[1], name=bijlage[0], mimetype="application/pdf")
            )
        if not app.notify(title=onderwerp, body=tekst, attach=attach):
            fouten.append(f"{url.split('://', 1)[0]}://… weigerde of was onbereikbaar")
    return "; ".join(fouten) or None


def backoff(pogingen: int) -> dt.timedelta:
    """Wait after the n-th failed try: exponential from the base, capped."""
    settings = get_settings()
    seconds = settings.delivery_backoff_seconds * (2 ** min(max(pogingen - 1, 0), 30))
    return dt.timedelta(seconds=min(seconds, settings.delivery_backoff_max_seconds))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=get_settings().delivery_lease_seconds)


def te_bezorgen(zaak: str) -> bool:
    """Whether deliver_pending(zaak=...) has something to send now: the driver runs its
    delivery task only then (a row still backing off waits for the outbox sweep)."""
    with session_scope() as session:
        return iets_te_bezorgen(session=session, now=_now(), zaak=zaak)


def deliver_pending(
    zaak: str | None = None, limit: int = 500, now: dt.datetime | None = None
) -> dict:
    """Long because claim, send, mark and backoff of a row belong together (the crash points sit between them). Deliver due outbox rows (of one zaak, or all). Returns counts."""
    settings = get_settings()
    # `now` lets a test (or a backfill) move the clock: then every timestamp uses it.
    clock = (lambda: now) if now is not None else _now
    now = now or _now()
    counts = {"verzonden": 0, "opnieuw": 0, "dood": 0}
    with session_scope() as session:
        ids = bezorgbare_ids(session=session, now=now, zaak=zaak, limit=limit)
    for row_id in ids:
        with session_scope() as session:
            if not claim(session=session, row_id=row_id, now=now, lease_tot=now + lease()):
                continue
            row = session.get(Notificatie, row_id)
            urls = targets_for(row, session)
            sleutel, onderwerp, tekst, poging = row.sleutel, row.onderwerp, row.tekst, row.pogingen
            row_zaak, brief_id = row.zaak, row.brief_id
            bijlage = brief_bijlage(session=session, brief_id=brief_id) if brief_id else None
            if bijlage is None and (row_zaak or "").startswith("dialoog-"):
                # The meerzorgdialoog's verslag to the provider (R §10), by the row's key.
                bijlage = verslag_bijlage(session=session, sleutel=sleutel)
        # Sent outside any transaction: a slow or hanging target holds no database lock.
        crash_point("voor-aflevering", row_zaak)
        fout = send(urls, sleutel, onderwerp, tekst, bijlage)
        if fout is None:
            crash_point("tijdens-aflevering", row_zaak)  # accepted, not yet marked
        with session_scope() as session:
            row = session.get(Notificatie, row_id)
            if row.status != "bezig" or row.pogingen != poging:
                continue  # our lease ran out and another deliverer took the row over
            if fout is None:
                row.status, row.verzonden, row.laatste_fout = "verzonden", clock(), None
                counts["verzonden"] += 1
                if brief_id is not None:  # Awb 3:41: made known the day it was accepted
                    bekendgemaakt(session=session, brief_id=brief_id, dag=dag_van(clock()))
            elif row.pogingen >= settings.delivery_max_attempts:
                row.status, row.laatste_fout = "dood", fout
                counts["dood"] += 1
                if brief_id is not None:  # no bekendmaking: no term starts (Awb 6:8)
                    onbestelbaar(session=session, brief_id=brief_id, fout=fout)
                if row.kanaal != "operations":
                    queue_bericht(
                        session=session,
                        sleutel=f"{row.sleutel}-dood",
                        sjabloon="aflevering_mislukt",
                        kanaal="operations",
                        zaak=row.zaak,
                        notificatie=row.sleutel,
                        pogingen=row.pogingen,
                        fout=fout,
                    )
            else:
                row.status, row.laatste_fout = "wachtend", fout
                row.volgende_poging = clock() + backoff(row.pogingen)
                counts["opnieuw"] += 1
            session.add(row)
            log.info("notificatie %s: %s", row.sleutel, row.status)
    verzend_webhooks()  # the providers' webhooks (issue 28) go with every round of the outbox
    return counts
