"""One Settings instance for the whole system (environment prefix MEERZORG_)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEERZORG_", env_file=".env", extra="ignore")

    data_dir: Path = PROJECT_DIR / ".data"
    database_url: str | None = None
    # Apprise URLs of the operations channel (comma separated in the environment).
    operations_notify: str = ""
    # Apprise URLs of the CCE: ontwikkeltraject reminders and risks, and its invitation to
    # the meerzorgdialoog (R §10). Empty: `meerzorg up --demo` points it at the demo's sink.
    cce_notify: str = ""
    # The key of the pseudonymous client identity (models/persoon.py, HMAC-SHA256 of the
    # BSN): one value for every process and machine, never changed (a new key is a new
    # identity for everyone), never logged. Empty: generated once in data_dir/persoon-sleutel.
    persoon_sleutel: str = ""
    intake_url: str | None = None
    intake_interval_minutes: int = 15
    # The deadline sweep's cron (Europe/Amsterdam); empty: the one in prefect.yaml (06:00).
    sweep_cron: str = ""
    # Alert operations when no deadline sweep completed within this many minutes (the sweep
    # runs daily; one hour of slack so a slow sweep is no false alarm).
    sweep_alert_minutes: int = 25 * 60
    prefect_port: int = 4200
    # The zorgkantoor as the sender of its besluiten (the letterhead and the
    # rechtsmiddelenclausule, Awb 3:45): address lines separated by "|".
    zorgkantoor_naam: str = "Zorgkantoor Voorbeeldregio"
    zorgkantoor_adres: str = "Postbus 1234|1000 AB Voorbeeldstad"
    bezwaar_adres: str = (
        "Zorgkantoor Voorbeeldregio, t.a.v. Bezwaar en Beroep|Postbus 1234|1000 AB Voorbeeldstad"
    )
    bezwaar_digitaal: str = "https://zorgkantoor.example/bezwaar"
    # Outbox retries: 30 s doubling up to one hour per wait, 30 tries: a target that is
    # down for about 23 hours still gets its messages; then dead letter + operations alert.
    delivery_max_attempts: int = 30
    delivery_backoff_seconds: float = 30.0
    delivery_backoff_max_seconds: float = 3600.0
    # A claimed row whose deliverer died (killed mid-send) is taken over after this lease;
    # longer than any one send with apprise's timeouts.
    delivery_lease_seconds: float = 300.0

    # The dashboard gateway (deployments/gateway.py, issue 14): "aan" (the default) puts the
    # gateway with logins on prefect_port and Prefect itself on an internal loopback port;
    # "uit" only for development on a machine of one's own (no logins, self-declared ids).
    auth: str = "aan"
    # Interface the gateway listens on; 0.0.0.0 only behind TLS (README, production).
    gateway_host: str = "127.0.0.1"
    # Production: the header in which an authenticating proxy (OIDC, e.g. oauth2-proxy in
    # front of Entra ID) passes the medewerker id, trusted only from these networks (comma
    # separated CIDRs). Empty: no header is trusted, only the gateway's own login.
    auth_proxy_header: str = ""
    auth_trusted_networks: str = ""
    # The service credential of runner, workers and scripts (PREFECT_API_AUTH_STRING
    # "meerzorg-service:<token>"); empty: generated once in data_dir/service-token.
    service_token: str = ""
    # Signs the session cookie; empty: generated once in data_dir/session-secret.
    session_secret: str = ""
    # aanname: a login lasts a working day, then the medewerker logs in again.
    session_max_age_seconds: int = 9 * 3600
    # aanname (issue 27): a claim on a task lapses after this many minutes without its
    # holder's activity (models/claim.py), so nobody blocks a beslistermijn by going home.
    claim_minuten: int = 30
    # aanname (issue 28): requests a second per provider key on its API, with bursts of four
    # seconds' worth (deployments/aanbieder_api.Emmer); the gateway's limits stand in front.
    aanbieder_api_per_seconde: float = 50.0
    # Webhooks over http to this machine's loopback (tasks/webhooks.onveilige_bestemming):
    # the demo's sink and the tests only; production webhooks are https to public addresses.
    aanbieder_webhook_lokaal: bool = False
    # TLS by the gateway itself (uvicorn), when no proxy terminates it: PEM files.
    tls_certfile: str = ""
    tls_keyfile: str = ""
    # TLS ends at a proxy in front (not in the trusted networks, or without
    # X-Forwarded-Proto): the session cookie is Secure all the same.
    tls_ervoor: bool = False
    # Set by the embedded system for the gateway process: the internal Prefect server and
    # the credential it alone holds, so nothing on the machine skips the gateway.
    gateway_upstream: str = ""
    gateway_internal_auth: str = ""

    @property
    def auth_aan(self) -> bool:
        return self.auth.strip().lower() in ("aan", "on", "1", "true", "ja")

    @property
    def trusted_networks(self) -> list[str]:
        return [n.strip() for n in self.auth_trusted_networks.split(",") if n.strip()]

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'meerzorg.db'}"

    @property
    def operations_targets(self) -> list[str]:
        return [u.strip() for u in self.operations_notify.split(",") if u.strip()]

    @property
    def cce_targets(self) -> list[str]:
        return [u.strip() for u in self.cce_notify.split(",") if u.strip()]


def get_settings() -> Settings:
    """Read again whenever what it is read from changed (a test or a CLI flag points the
    process elsewhere by setting MEERZORG_*): a flow-run step asked about 16 times, each
    read about 4 ms of CPU."""
    env_file = Path(".env").resolve()
    try:
        stat = env_file.stat()
        stand = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stand = None
    key = (
        str(env_file),
        stand,
        tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("MEERZORG_"))),
    )
    if _gelezen.get("key") != key:
        _gelezen.update(key=key, settings=Settings())
    return _gelezen["settings"]


_gelezen: dict = {}
