"""Who is at the keyboard: the gateway's identities (deployments/gateway.py says why).

Three ways in, each ending in a registered, active medewerker and its role (the database
decides the role, never the caller): the gateway's own login (a signed session cookie),
HTTP Basic with the medewerker's own password (the CLI: PREFECT_API_AUTH_STRING="id:pw"),
or in production the identity header of an authenticating proxy on a trusted network.
The service credential (Basic "meerzorg-service:<token>") is the service identity."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from deployments.gateway_rem import Rem, Slots, basic_uit
from models.settings import get_settings
from models.toegang import SERVICE

# Argon2id with the library's defaults (RFC 9106's second recommended profile).
_HASHER = PasswordHasher()
MIN_WACHTWOORD = 12  # aanname: NCSC advice for passwords is length over complexity


@dataclass(frozen=True, slots=True)
class Identiteit:
    id: str
    rol: str
    via: str  # sessie | basic | proxy | service

    @property
    def service(self) -> bool:
        return self.id == SERVICE


def hash_wachtwoord(wachtwoord: str) -> str:
    if len(wachtwoord) < MIN_WACHTWOORD:
        raise ValueError(f"het wachtwoord moet minstens {MIN_WACHTWOORD} tekens hebben")
    return _HASHER.hash(wachtwoord)


def wachtwoord_klopt(hash_: str | None, wachtwoord: str) -> bool:
    """Whether the password fits the hash. Without a hash (an unknown id, or staff without a
    login) a check against a dummy hash all the same: an unknown id must take as long as a
    known one (it answered in 1.4 ms against 113 ms, which told which ids exist)."""
    try:
        return _HASHER.verify(hash_ or _dummy_hash(), wachtwoord) and bool(hash_)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: dict[int, str] = {}


def _dummy_hash() -> str:
    # With the hasher's current parameters (the tests swap in a cheap one).
    key = id(_HASHER)
    if key not in _DUMMY:
        _DUMMY.clear()
        _DUMMY[key] = _HASHER.hash(secrets.token_urlsafe(16))
    return _DUMMY[key]


def geheim(naam: str, waarde: str = "", data_dir: Path | None = None) -> str:
    """A configured secret, or one generated once in data_dir (mode 0600) and kept there."""
    if waarde:
        return waarde
    pad: Path = (data_dir or get_settings().data_dir) / naam
    if pad.exists():
        return pad.read_text().strip()
    pad.parent.mkdir(parents=True, exist_ok=True)
    nieuw = secrets.token_urlsafe(32)
    pad.touch(mode=0o600)
    pad.write_text(nieuw)
    return nieuw


def service_token(data_dir: Path | None = None) -> str:
    return geheim("service-token", get_settings().service_token, data_dir)


def service_auth_string(data_dir: Path | None = None) -> str:
    """PREFECT_API_AUTH_STRING for runner, workers and scripts (sent as HTTP Basic)."""
    return f"{SERVICE}:{service_token(data_dir)}"


def actieve_medewerker(id: str) -> tuple[str, str | None] | None:
    """(rol, wachtwoord_hash) of an active medewerker, or None."""
    from models.db.store import read_engine_for, session_scope
    from models.db.tables import Medewerker

    with session_scope(read_engine_for(get_settings().db_url)) as session:
        m = session.get(Medewerker, id)
        if m is None or not m.actief:
            return None
        return m.rol, m.wachtwoord_hash


class Identiteiten:
    """Looks up medewerkers; caches a verified Basic password and a role for a short time,
    so a CLI script's many requests do not each pay Argon2's cost (aanname: 60 s, after
    which a deactivated medewerker is refused). A failed password is never cached: each
    try goes through the delay (deployments/gateway_rem.py). A session is checked against
    the database (models/db/sessies.py) with a short cache, so a logout or a password
    change on another gateway replica ends it within SESSIE_TTL."""

    TTL = 60.0
    SESSIE_TTL = 5.0
    MAX_CACHE = 10_000

    def __init__(self) -> None:
        settings = get_settings()
        self.token = service_token()
        self.header = settings.auth_proxy_header.strip().lower()
        self.netwerken = [ipaddress.ip_network(n, strict=False) for n in settings.trusted_networks]
        self.sessie_seconden = settings.session_max_age_seconds
        self._cache: dict[tuple[str, str], tuple[float, str | None]] = {}
        self.rem = Rem()
        self.slots = Slots()

    @staticmethod
    def medewerker(id: str) -> tuple[str, str | None] | None:
        return actieve_medewerker(id)

    def _bewaar(self, key: tuple[str, str], waarde: str | None, ttl: float) -> None:
        if len(self._cache) > self.MAX_CACHE:  # bounded: unknown ids are cached too
            self._cache.clear()
        self._cache[key] = (time.monotonic() + ttl, waarde)

    def _uit_cache(self, key: tuple[str, str]) -> tuple[float, str | None] | None:
        hit = self._cache.get(key)
        return hit if hit and hit[0] > time.monotonic() else None

    def rol(self, id: str) -> str | None:
        if hit := self._uit_cache(("rol", id)):
            return hit[1]
        m = self.medewerker(id)
        rol = m[0] if m else None
        self._bewaar(("rol", id), rol, self.TTL)
        return rol

    def controleer(
        self, id: str, wachtwoord: str, dienst: bool = False
    ) -> tuple[Identiteit | None, bool]:
        """(the identity or None, whether the id exists): one database read and one Argon2
        check, a dummy one for an unknown id. The service only with `dienst` (Basic): the
        login page is for people."""
        if id == SERVICE and dienst:
            return self.basic_bekend(id, wachtwoord), True
        m = self.medewerker(id) if id != SERVICE else None
        if not wachtwoord_klopt(m[1] if m else None, wachtwoord):
            return None, m is not None
        return Identiteit(id, m[0], "sessie"), True

    def _basic_key(self, user: str, pw: str) -> tuple[str, str]:
        # Its own namespace beside ("rol", id) and ("sessie", …) in the one cache.
        return (f"basic:{user}", hashlib.sha256(pw.encode()).hexdigest())

    def basic_bekend(self, user: str, pw: str) -> Identiteit | None:
        """The service, or a password verified within TTL: no delay, no Argon2."""
        if user == SERVICE:
            ok = hmac.compare_digest(pw.encode(), self.token.encode())
            return Identiteit(SERVICE, SERVICE, "service") if ok else None
        hit = self._uit_cache(self._basic_key(user, pw))
        return Identiteit(user, hit[1], "basic") if hit and hit[1] else None

    def basic_onthouden(self, ident: Identiteit, pw: str) -> Identiteit:
        self._bewaar(self._basic_key(ident.id, pw), ident.rol, self.TTL)
        return Identiteit(ident.id, ident.rol, "basic")

    def basic(self, authorization: str | None) -> Identiteit | None:
        """A Basic credential: the service's token, or a person's password verified within
        TTL by gateway_rem.BasicPoort, which every HTTP request and websocket upgrade passes
        first (with its delay, slot and audit). Nothing is checked here: this runs in a
        worker thread, which cannot wait out a delay without taking a worker from everyone,
        and a websocket's first-message token (gateway_ws) is the service's only."""
        cred = basic_uit(authorization)
        return self.basic_bekend(*cred) if cred else None

    def proxy(self, headers, client_host: str | None) -> Identiteit | None:
        """The proxy's header, only from a trusted network; from anywhere else it is ignored
        (anyone can send a header)."""
        if not self.header or not self.netwerken or not client_host:
            return None
        waarden = _waarden(headers, self.header)
        wie = waarden[0].strip() if len(waarden) == 1 else ""
        if not wie or "," in wie:  # a folded repeat ("a, b") is as ambiguous as two headers
            return None
        try:
            adres = ipaddress.ip_address(client_host)
        except ValueError:
            return None
        if not any(adres in n for n in self.netwerken):
            return None
        rol = self.rol(wie)
        return Identiteit(wie, rol, "proxy") if rol else None

    # --- the login page's sessions -------------------------------------------------------

    def sessie_openen(self, wie: str) -> str:
        from models.db.sessies import sessie_openen, sleutel_van
        from models.db.store import session_scope

        with session_scope() as session:
            token = sessie_openen(
                session=session, medewerker=wie, geldig_seconden=self.sessie_seconden
            )
        self._bewaar(("sessie", sleutel_van(token)), wie, self.SESSIE_TTL)
        return token

    def sessie_geldig(self, wie: str, token: str) -> bool:
        from models.db.sessies import sessie_geldig, sleutel_van
        from models.db.store import read_engine_for, session_scope

        key = ("sessie", sleutel_van(token))
        if hit := self._uit_cache(key):
            return hit[1] == wie
        with session_scope(read_engine_for(get_settings().db_url)) as session:
            geldig = sessie_geldig(session=session, medewerker=wie, token=token)
        self._bewaar(key, wie if geldig else None, self.SESSIE_TTL)
        return geldig

    def sessie_sluiten(self, token: str) -> None:
        """Logout: at once on this gateway, within SESSIE_TTL on the others."""
        from models.db.sessies import sessie_sluiten, sleutel_van
        from models.db.store import session_scope

        self._bewaar(("sessie", sleutel_van(token)), None, self.SESSIE_TTL)
        with session_scope() as session:
            sessie_sluiten(session=session, token=token)

    def van(self, headers, client_host: str | None, sessie: dict) -> Identiteit | None:
        if self.header and len(_waarden(headers, self.header)) > 1:
            # The proxy's identity header twice: which one the proxy set is unknowable, so
            # the request has no identity at all (it took the first value before).
            return None
        ident = self.proxy(headers, client_host) or self.basic(headers.get("authorization"))
        if ident:
            return ident
        wie, token = sessie.get("medewerker"), sessie.get("sessie")
        if not wie or not token or not self.sessie_geldig(wie, token):
            return None
        rol = self.rol(wie)
        return Identiteit(wie, rol, "sessie") if rol else None


def _waarden(headers, naam: str) -> list[str]:
    getlist = getattr(headers, "getlist", None)
    if getlist is not None:
        return getlist(naam)
    waarde = headers.get(naam)
    return [waarde] if waarde is not None else []
