"""Who is at the keyboard: the gateway's identities (deployments/gateway.py says why).

Three ways in, each ending in a registered, active medewerker and its role (the database
decides the role, never the caller): the gateway's own login (a signed session cookie),
HTTP Basic with the medewerker's own password (the CLI: PREFECT_API_AUTH_STRING="id:pw"),
or in production the identity header of an authenticating proxy on a trusted network.
The service credential (Basic "meerzorg-service:<token>") is the service identity."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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
    if not hash_:
        return False
    try:
        return _HASHER.verify(hash_, wachtwoord)
    except (VerificationError, InvalidHashError):
        return False


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
    which a deactivated medewerker is refused)."""

    TTL = 60.0

    def __init__(self) -> None:
        settings = get_settings()
        self.token = service_token()
        self.header = settings.auth_proxy_header.strip().lower()
        self.netwerken = [ipaddress.ip_network(n, strict=False) for n in settings.trusted_networks]
        self._cache: dict[tuple[str, str], tuple[float, str | None]] = {}

    @staticmethod
    def medewerker(id: str) -> tuple[str, str | None] | None:
        return actieve_medewerker(id)

    def rol(self, id: str) -> str | None:
        key = ("rol", id)
        hit = self._cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        m = self.medewerker(id)
        rol = m[0] if m else None
        self._cache[key] = (time.monotonic() + self.TTL, rol)
        return rol

    def login(self, id: str, wachtwoord: str) -> Identiteit | None:
        m = self.medewerker(id)
        if m is None or not wachtwoord_klopt(m[1], wachtwoord):
            return None
        return Identiteit(id, m[0], "sessie")

    def basic(self, authorization: str | None) -> Identiteit | None:
        if not authorization or not authorization.lower().startswith("basic "):
            return None
        try:
            user, _, pw = base64.b64decode(authorization[6:].strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        if user == SERVICE:
            ok = hmac.compare_digest(pw.encode(), self.token.encode())
            return Identiteit(SERVICE, SERVICE, "service") if ok else None
        key = (user, hashlib.sha256(pw.encode()).hexdigest())
        hit = self._cache.get(key)
        if hit and hit[0] > time.monotonic():
            return Identiteit(user, hit[1], "basic") if hit[1] else None
        ident = self.login(user, pw)
        self._cache[key] = (time.monotonic() + self.TTL, ident.rol if ident else None)
        return Identiteit(user, ident.rol, "basic") if ident else None

    def proxy(self, headers, client_host: str | None) -> Identiteit | None:
        """The proxy's header, only from a trusted network; from anywhere else it is ignored
        (anyone can send a header)."""
        if not self.header or not self.netwerken or not client_host:
            return None
        wie = (headers.get(self.header) or "").strip()
        if not wie:
            return None
        try:
            adres = ipaddress.ip_address(client_host)
        except ValueError:
            return None
        if not any(adres in n for n in self.netwerken):
            return None
        rol = self.rol(wie)
        return Identiteit(wie, rol, "proxy") if rol else None

    def van(self, headers, client_host: str | None, sessie: dict) -> Identiteit | None:
        ident = self.proxy(headers, client_host) or self.basic(headers.get("authorization"))
        if ident:
            return ident
        wie = sessie.get("medewerker")
        rol = self.rol(wie) if wie else None
        return Identiteit(wie, rol, "sessie") if rol else None
