"""Fixtures for the reliability tests: a migrated database (SQLite file, and PostgreSQL
when MEERZORG_TEST_DATABASE_URL is set) shared with spawned processes, and an HTTP
receiver that records every delivery with its idempotency key. The tests against the
real Prefect server use the flow tests' session system (`system`, `sink`, `aanbieders`,
in either MEERZORG_TEST_MODE)."""

from __future__ import annotations

import multiprocessing

import pytest

from tests.flows.conftest import aanbieders, sink, system  # noqa: F401 (shared fixtures)
from tests.reliability.scenario import Actors, prepare_database


@pytest.fixture
def receiver():
    from deployments.sink import Sink

    s = Sink().start()
    yield s
    s.stop()


@pytest.fixture
def db(db_url, monkeypatch, receiver):
    """A migrated database with staff and one provider whose target is the sink; child
    processes inherit MEERZORG_DATABASE_URL."""
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_DELIVERY_BACKOFF_SECONDS", "0")
    prepare_database(db_url, receiver.url)
    return db_url


@pytest.fixture(scope="session")
def actors():
    """Two spawned processes, reused by every concurrency test of the session."""
    pool = Actors(multiprocessing.get_context("spawn"))
    yield pool
    pool.close()
