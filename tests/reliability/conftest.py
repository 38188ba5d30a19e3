"""Fixtures for the reliability tests: a migrated database (SQLite file, and PostgreSQL
when MEERZORG_TEST_DATABASE_URL is set) shared with spawned processes via the
environment, and an HTTP sink that counts every delivery by its idempotency key."""

from __future__ import annotations

import multiprocessing

import pytest

from tests.reliability.scenario import Actors, prepare_database


@pytest.fixture
def sink():
    from deployments.sink import Sink

    s = Sink().start()
    yield s
    s.stop()


@pytest.fixture
def db(db_url, monkeypatch, sink):
    """A migrated database with staff and one provider whose target is the sink; child
    processes inherit MEERZORG_DATABASE_URL."""
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_DELIVERY_BACKOFF_SECONDS", "0")
    prepare_database(db_url, sink.url)
    return db_url


@pytest.fixture(scope="session")
def actors():
    """Two spawned processes, reused by every concurrency test of the session."""
    pool = Actors(multiprocessing.get_context("spawn"))
    yield pool
    pool.close()
