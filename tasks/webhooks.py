"""The provider's webhooks (issue 28): each queued event POSTed as JSON to its subscription's
URL, signed so that the receiver can verify it came from here and was not replayed.

The signature is HMAC-SHA256 over `<unix time>.<body>` with the subscription's secret, sent
as `Meerzorg-Signature: t=<unix time>,v1=<hex>` (the scheme of Stripe's and GitHub's
webhooks: the time inside the signed text lets a receiver refuse an old message). The body
carries ids and codes only; the provider fetches what it may see with its key. A failed
delivery is tried again at the outbox's next round, up to its maximum of attempts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from urllib.parse import urlsplit

import httpx
from sqlmodel import Session

from models.db.aanbieder_sleutels import te_verzenden
from models.db.store import session_scope
from models.db.tables_aanbieder import Webhookbericht
from models.settings import get_settings

log = logging.getLogger("meerzorg.webhooks")
KOP = "Meerzorg-Signature"


def onveilige_bestemming(url: str) -> str | None:
    """Why a webhook may not go to this URL (None: it may). Only https to a public address:
    a subscription must not make this server post into the zorgkantoor's own network (SSRF).
    Checked when subscribing and again before every delivery (a name may resolve elsewhere
    later). `MEERZORG_AANBIEDER_WEBHOOK_LOKAAL=1` also allows http to this machine's
    loopback: the demo's sink and the tests, never production."""
    deel = urlsplit(url)
    lokaal_mag = get_settings().aanbieder_webhook_lokaal
    if deel.scheme != "https" and not (lokaal_mag and deel.scheme == "http"):
        return "een webhook moet https gebruiken"
    if not deel.hostname:
        return "de webhook-URL heeft geen host"
    try:
        adressen = {a[4][0] for a in socket.getaddrinfo(deel.hostname, deel.port or 443)}
    except (socket.gaierror, UnicodeError, ValueError):
        return f"de host {deel.hostname} van de webhook is onbekend"
    for adres in adressen:
        ip = ipaddress.ip_address(adres.split("%", 1)[0])
        if lokaal_mag and ip.is_loopback:
            continue
        if not ip.is_global or ip.is_multicast:
            return f"een webhook mag niet naar een intern adres ({ip})"
    if deel.scheme == "http" and not all(ipaddress.ip_address(a).is_loopback for a in adressen):
        return "een webhook moet https gebruiken"
    return None


def handtekening(geheim: str, tijd: int, body: bytes) -> str:
    mac = hmac.new(geheim.encode(), f"{tijd}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={tijd},v1={mac}"


def klopt(geheim: str, kop: str, body: bytes, nu: int | None = None, marge: int = 300) -> bool:
    """The receiver's check (documented, and used by the tests as a receiver would)."""
    delen = dict(p.split("=", 1) for p in kop.split(",") if "=" in p)
    try:
        tijd = int(delen.get("t", ""))
    except ValueError:
        return False
    if abs((nu if nu is not None else int(time.time())) - tijd) > marge:
        return False
    return hmac.compare_digest(handtekening(geheim, tijd, body), kop)


def verzend_webhooks(limiet: int = 100, client: httpx.Client | None = None) -> dict:
    """Deliver the queued events; returns counts. Sent outside any transaction."""
    with session_scope() as session:
        werk = [
            (b.id, a.url, a.geheim, dict(b.inhoud))
            for b, a in te_verzenden(session=session, limiet=limiet)
        ]
    telling = {"verzonden": 0, "opnieuw": 0, "mislukt": 0}
    if not werk:
        return telling
    eigen = client is None
    client = client or httpx.Client(timeout=httpx.Timeout(10, connect=5), follow_redirects=False)
    try:
        for bericht_id, url, geheim, inhoud in werk:
            body = json.dumps({"id": bericht_id, **inhoud}, sort_keys=True).encode()
            fout = _post(client, url, geheim, body)
            with session_scope() as session:
                telling[_markeer(session, bericht_id, fout)] += 1
    finally:
        if eigen:
            client.close()
    return telling


def _post(client: httpx.Client, url: str, geheim: str, body: bytes) -> str | None:
    if fout := onveilige_bestemming(url):
        return fout
    kop = handtekening(geheim, int(time.time()), body)
    try:
        r = client.post(url, content=body, headers={"content-type": "application/json", KOP: kop})
    except httpx.HTTPError as exc:
        return type(exc).__name__
    return None if 200 <= r.status_code < 300 else f"HTTP {r.status_code}"


def _markeer(session: Session, bericht_id: int, fout: str | None) -> str:
    rij = session.get(Webhookbericht, bericht_id)
    rij.pogingen += 1
    if fout is None:
        rij.status, rij.verzonden_op, rij.laatste_fout = "verzonden", dt.datetime.now(dt.UTC), None
        return "verzonden"
    rij.laatste_fout = fout
    if rij.pogingen >= get_settings().delivery_max_attempts:
        rij.status = "mislukt"
        log.warning("webhook %s: opgegeven na %s pogingen (%s)", bericht_id, rij.pogingen, fout)
        return "mislukt"
    return "opnieuw"
