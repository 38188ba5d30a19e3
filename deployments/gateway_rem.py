"""Slowing a password guesser without locking anyone out (issue 23, Logins).

Every password check — the login page's and HTTP Basic's (the CLI) — goes through
`wachtwoord_poort`: it waits first (a delay that grows with the recent failures of the
typed id and of the client's address, capped at a few seconds), then checks the password
in one of a few slots (Argon2 takes 64 MiB and ~0.1 s per check: 16 at once took the
gateway to 1.1 GiB), then counts the outcome. A delay, never a refusal: a hard lockout
after five failures let anyone lock a colleague out (by id) or a whole office behind one
proxy (by address); a delay only makes guessing slow. The right password still opens after
the delay, whoever else failed. A parallel guesser is not let off the delay (a check in
progress counts as a failure until it ends, so the tenth try at once waits as the tenth in
a row would), but its rate is bounded only by the few slots, shared with everyone (about
SLOTS per Argon2 time per gateway): against a flood of connections, a limit in front
(proxy, firewall) is the defence.

State is per gateway process (in memory): replicas each slow a guesser on their own.
The client's address is the peer's own, or — only when the peer is a trusted proxy
(MEERZORG_AUTH_TRUSTED_NETWORKS) — the address that proxy put in X-Forwarded-For."""

from __future__ import annotations

import base64
import ipaddress
import threading
import time
from collections import deque

import anyio
import anyio.to_thread

# aanname: three free tries for typos, then 0.5 s doubling to at most 4 s per try: a person
# with the right password waits at most 4 s; a guesser one try after another gets ~900 an
# hour per id or address instead of ~30,000 (measured before: 30 guesses in 3.6 s).
VRIJ = 3
BASIS = 0.5
MAX_VERTRAGING = 4.0
VENSTER = 15 * 60.0  # failures older than this no longer count
MAX_SLEUTELS = 10_000  # bounds the memory a guesser with many ids or addresses can take
# Password checks at once (each Argon2 check holds 64 MiB); a request waits this long for
# a slot, then hears "te druk" (503) instead of queueing without end.
SLOTS = 4
SLOT_WACHT = 10.0
DRUK = "druk"


class Rem:
    """Recent failures per key (`id:<id>`, `adres:<ip>`) and the checks in progress."""

    def __init__(self) -> None:
        self._mislukt: dict[str, deque[float]] = {}
        self._bezig: dict[str, int] = {}
        self._lock = threading.Lock()

    @staticmethod
    def vertraging(n: int) -> float:
        return 0.0 if n < VRIJ else min(MAX_VERTRAGING, BASIS * 2 ** (n - VRIJ))

    def _opruimen(self, nu: float) -> None:
        grens = nu - VENSTER
        for sleutel in list(self._mislukt):
            rij = self._mislukt[sleutel]
            while rij and rij[0] < grens:
                rij.popleft()
            if not rij:
                del self._mislukt[sleutel]
        while len(self._mislukt) > MAX_SLEUTELS:  # the oldest go first
            del self._mislukt[min(self._mislukt, key=lambda k: self._mislukt[k][-1])]

    def begin(self, sleutels: tuple[str, ...]) -> float:
        """A check starts: how long it waits first."""
        nu = time.monotonic()
        with self._lock:
            if len(self._mislukt) > MAX_SLEUTELS:
                self._opruimen(nu)
            wacht = 0.0
            for s in sleutels:
                rij = self._mislukt.get(s, ())
                recent = sum(1 for t in rij if t > nu - VENSTER)
                wacht = max(wacht, self.vertraging(recent + self._bezig.get(s, 0)))
                self._bezig[s] = self._bezig.get(s, 0) + 1
            return wacht

    def einde(self, sleutels: tuple[str, ...], gelukt: bool | None) -> None:
        """A check ended: a failure counts for every key; a success clears its id's failures
        (not its address's: one's own login must not wipe out a guesser's trail); None
        (not checked: busy, or the client left) counts nothing."""
        nu = time.monotonic()
        with self._lock:
            for s in sleutels:
                if self._bezig.get(s, 0) <= 1:
                    self._bezig.pop(s, None)
                else:
                    self._bezig[s] -= 1
                if gelukt is False:
                    self._mislukt.setdefault(s, deque()).append(nu)
                elif gelukt and s.startswith("id:"):
                    self._mislukt.pop(s, None)

    def mislukt(self, sleutel: str) -> int:
        with self._lock:
            return len(self._mislukt.get(sleutel, ()))


class Slots:
    """A cap on concurrent password checks (a plain semaphore, polled: asyncio's binds to
    one event loop, and the tests run several)."""

    def __init__(self, n: int = SLOTS) -> None:
        self._sem = threading.BoundedSemaphore(n)

    async def nemen(self) -> bool:
        eind = time.monotonic() + SLOT_WACHT
        while not self._sem.acquire(blocking=False):
            if time.monotonic() > eind:
                return False
            await anyio.sleep(0.02)
        return True

    def geven(self) -> None:
        self._sem.release()


def in_netwerk(adres: str, netwerken) -> bool:
    try:
        ip = ipaddress.ip_address(adres)
    except ValueError:
        return False
    return any(ip in n for n in netwerken)


def klant_adres(scope, netwerken) -> str:
    """The client's address: the peer's, or behind a trusted proxy the last address in
    X-Forwarded-For that is not itself trusted (the proxy appends the address it saw; what
    a client wrote to the left of it is not believed)."""
    peer = (scope.get("client") or ("?", 0))[0]
    if not netwerken or not in_netwerk(peer, netwerken):
        return peer
    waarden = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-forwarded-for"]
    hops = [h.strip() for h in ",".join(waarden).split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not in_netwerk(hop, netwerken):
            return hop
    return hops[0] if hops else peer


def basic_uit(authorization: str | None) -> tuple[str, str] | None:
    """(id, password) of an HTTP Basic header, or None."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        user, sep, pw = base64.b64decode(authorization[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (user, pw) if sep else None


def inloggen_mislukt(wie: str | None, via: str, adres: str) -> None:
    """A failed login in the audit trail (NEN 7513): the id if it exists, else "onbekend"
    (what was typed may be a password typed in the wrong field); never the password."""
    from models.db.engine_store import audit
    from models.db.store import session_scope

    with session_scope() as session:
        audit(
            session=session,
            actor=wie or "onbekend",
            actie="inloggen_mislukt",
            details={"via": via, "adres": adres},
        )


async def wachtwoord_poort(ids, wie: str, wachtwoord: str, adres: str, via: str):
    """The one way a password is checked from a request: delay, slot, check, count, audit.
    Returns the Identiteit, None (wrong: audited as inloggen_mislukt) or DRUK."""
    # An id is at most 64 characters; a longer one (Basic takes up to 16 KiB) is cut for the
    # count, so a guesser cannot fill the memory with long keys.
    sleutels = (f"id:{wie[:64]}", f"adres:{adres}")
    uitkomst: bool | None = None
    try:
        if wacht := ids.rem.begin(sleutels):
            await anyio.sleep(wacht)
        if not await ids.slots.nemen():
            return DRUK
        try:
            ident, bekend = await anyio.to_thread.run_sync(
                ids.controleer, wie, wachtwoord, via == "basic"
            )
        finally:
            ids.slots.geven()
        uitkomst = ident is not None
        if ident is None:
            await anyio.to_thread.run_sync(inloggen_mislukt, wie if bekend else None, via, adres)
        return ident
    finally:
        ids.rem.einde(sleutels, uitkomst)


class BasicPoort:
    """ASGI middleware: an HTTP Basic password not verified within the cache's minute goes
    through `wachtwoord_poort` before the gateway sees the request; a wrong one is answered
    here (401, audited), so the gateway's own identity lookup only finds it in the cache."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        ids = scope["app"].state.gateway.ids
        auth = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        cred = basic_uit(auth.decode("latin-1"))
        if cred is None or ids.basic_bekend(*cred):
            return await self.app(scope, receive, send)
        ident = await wachtwoord_poort(ids, *cred, klant_adres(scope, ids.netwerken), "basic")
        if ident is not None and ident != DRUK:
            if not ident.service:
                ids.basic_onthouden(ident, cred[1])
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return None
        from starlette.responses import JSONResponse

        if ident == DRUK:
            detail, status = "het is even te druk met inloggen; probeer het zo opnieuw", 503
        else:
            detail, status = "inloggen mislukt: onbekend id of verkeerd wachtwoord", 401
        headers = {"retry-after": "5"} if status == 503 else None
        await JSONResponse({"detail": detail}, status, headers)(scope, receive, send)
        return None
