"""One Settings instance for the whole system (environment prefix MEERZORG_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEERZORG_", env_file=".env", extra="ignore")

    data_dir: Path = PROJECT_DIR / ".data"
    database_url: str | None = None
    # Apprise URLs of the operations channel (comma separated in the environment).
    operations_notify: str = ""
    # Apprise URLs of the CCE (ontwikkeltraject reminders and risks).
    cce_notify: str = ""
    intake_url: str | None = None
    intake_interval_minutes: int = 15
    # The deadline sweep's cron (Europe/Amsterdam); empty: the one in prefect.yaml (06:00).
    sweep_cron: str = ""
    # Alert operations when no deadline sweep completed within this many minutes (the sweep
    # runs daily; one hour of slack so a slow sweep is no false alarm).
    sweep_alert_minutes: int = 25 * 60
    prefect_port: int = 4200
    # Outbox retries: 30 s doubling up to one hour per wait, 30 tries: a target that is
    # down for about 23 hours still gets its messages; then dead letter + operations alert.
    delivery_max_attempts: int = 30
    delivery_backoff_seconds: float = 30.0
    delivery_backoff_max_seconds: float = 3600.0
    # A claimed row whose deliverer died (killed mid-send) is taken over after this lease;
    # longer than any one send with apprise's timeouts.
    delivery_lease_seconds: float = 300.0

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
    # Re-read on every call so a test or a CLI flag can point the process elsewhere.
    return Settings()
