"""A second, isolated system for the tests of what happens by itself: its own app database,
its own Prefect server and database, its own runner (or workers), with the schedules of
prefect.yaml switched on. The session's shared system (conftest.py) runs without schedules,
so a sweep every minute here never touches the other tests' zaken, and a Prefect database
replaced here loses no other test's runs.

While it is active, this process's settings point at it (MEERZORG_* in the environment,
PREFECT_API_URL in Prefect's settings context), so the operations, the CLI functions and
the Prefect client of a test talk to it."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest

from deployments.system import EmbeddedSystem, free_port
from tests.flows.conftest import MODE, postgres_database
from tests.flows.workers import WorkerSystem
from tests.logguard import GUARD


class Isolated:
    """The system and what a test needs to replace its Prefect database."""

    def __init__(self, env: dict[str, str]):
        import secrets

        self.tmp = Path(tempfile.mkdtemp(prefix="meerzorg-isolated-"))
        self.port = free_port()
        self.suffix = secrets.token_hex(4)
        self.drops: list = []
        self.generation = 0
        self.env = {
            "MEERZORG_DATA_DIR": str(self.tmp / "data"),
            "MEERZORG_DATABASE_URL": "",
            # One result storage for every generation, readable by this process too.
            "PREFECT_LOCAL_STORAGE_PATH": str(self.tmp / "storage"),
        }
        if MODE == "postgres-workers":
            app, drop = postgres_database(f"meerzorg_iso_{self.suffix}")
            self.env["MEERZORG_DATABASE_URL"] = app
            self.drops.append(drop)
        self.env.update(env)
        self.system = self._new_system()

    def _new_system(self):
        home = self.tmp / f"prefect-{self.generation}"
        if MODE == "postgres-workers":
            from sqlalchemy.engine import make_url

            url, drop = postgres_database(f"meerzorg_iso_prefect_{self.suffix}_{self.generation}")
            self.drops.append(drop)
            prefect_url = make_url(url).set(drivername="postgresql+asyncpg")
            return WorkerSystem(
                prefect_url.render_as_string(hide_password=False),
                workers=2,
                port=self.port,
                home=home,
                env=self.env,
            )
        return EmbeddedSystem(port=self.port, home=home, env=self.env)

    def start(self) -> None:
        GUARD.watch(self.system)
        self.system.start_server()
        self.system.start_runner()

    def replace_prefect_database(self) -> None:
        """Stop everything and start again on an empty Prefect database (a new server)."""
        self.system.stop()
        GUARD.unwatch(self.system)
        self.generation += 1
        self.system = self._new_system()
        self.start()

    def stop(self) -> None:
        self.system.stop()

    def cleanup(self) -> None:
        from models.db.store import engine_for
        from models.settings import get_settings

        engine_for(get_settings().db_url).dispose()
        for drop in self.drops:
            drop()


@contextlib.contextmanager
def isolated_system(env: dict[str, str]):
    """Start an isolated system (schedules on) and point this process at it."""
    from prefect.settings import (
        PREFECT_API_AUTH_STRING,
        PREFECT_API_URL,
        PREFECT_LOCAL_STORAGE_PATH,
        temporary_settings,
    )

    iso = Isolated(env)
    with pytest.MonkeyPatch.context() as mp:
        for k, v in iso.env.items():
            mp.setenv(k, v)
        api = f"http://127.0.0.1:{iso.port}/api"
        mp.setenv("PREFECT_API_URL", api)  # for the CLI in a subprocess
        storage = iso.env["PREFECT_LOCAL_STORAGE_PATH"]
        updates = {PREFECT_API_URL: api, PREFECT_LOCAL_STORAGE_PATH: storage}
        if auth := iso.system.env.get("PREFECT_API_AUTH_STRING"):
            # Its own gateway and service credential (the isolated system's data dir).
            mp.setenv("PREFECT_API_AUTH_STRING", auth)
            updates[PREFECT_API_AUTH_STRING] = auth
        with temporary_settings(updates=updates):
            from models.db.store import migrate

            migrate()
            try:
                iso.start()
                yield iso
            finally:
                iso.stop()
                iso.cleanup()
