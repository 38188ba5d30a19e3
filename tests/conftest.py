"""Shared fixtures.

`db_url` runs a test against a fresh, empty database (no schema yet):
- `sqlite`: a new SQLite file under the test's tmp_path;
- `postgres`: only when MEERZORG_TEST_DATABASE_URL is set (e.g.
  postgresql+psycopg://postgres@127.0.0.1:5432/postgres). One uniquely named database
  (meerzorg_test_<random>) is created per test session and dropped at its end; every test
  gets it with an empty `public` schema.

`models.db.store.engine_for` is cached by URL, so the fixtures dispose the cached engine's
pool at teardown instead of creating new engines.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models.db.store import engine_for

POSTGRES_ENV = "MEERZORG_TEST_DATABASE_URL"
# The providers' webhooks may go to the tests' HTTP sink on loopback (production: https to
# public addresses only, tasks/webhooks.onveilige_bestemming); every process started by a
# test inherits it. The test of that rule sets it back.
os.environ.setdefault("MEERZORG_AANBIEDER_WEBHOOK_LOKAAL", "1")

# The properties (hypothesis, schemathesis) draw the same examples on every run of the same
# code, so a run that lands on main cannot fail on a draw the run before it never made (stop
# 32 did: schemathesis sent a number as a moment once in about ten runs). To look further,
# draw at random and more: MEERZORG_HYPOTHESIS=verken make test (docs/tests.md).
settings.register_profile("vast", derandomize=True)
settings.register_profile("verken", max_examples=500)
settings.load_profile("verken" if os.environ.get("MEERZORG_HYPOTHESIS") == "verken" else "vast")


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (skips without the env var)."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    naam = f"meerzorg_test_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{naam}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        admin.dispose()
        pytest.fail(f"cannot create test database via {POSTGRES_ENV}: {exc}")
    url = make_url(admin_url).set(database=naam).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
        admin.dispose()


def _leeg_postgres_schema(url: str) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> Iterator[str]:
    """URL of an empty database (no tables); see the module docstring."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'data' / 'meerzorg.db'}"
        yield url
        engine_for(url).dispose()
    else:
        url = request.getfixturevalue("postgres_database_url")
        _leeg_postgres_schema(url)
        yield url
        engine_for(url).dispose()


@pytest.fixture
def soort_voorbeeld():
    """The test's simple case kind (tests/soort_voorbeeld) added to this process's kinds the
    way MEERZORG_SOORTEN adds one at import, and taken out again: the other tests of the
    process see the kinds of production."""
    from models import soorten
    from tasks import soorten as runtime

    al_daar = "voorbeeld" in runtime.REGISTER
    runtime.neem_op(["tests.soort_voorbeeld"])
    yield runtime.REGISTER["voorbeeld"]
    if not al_daar:
        for register in (runtime.REGISTER, soorten.SOORTEN, soorten.EENVOUDIG):
            register.pop("voorbeeld", None)


# --- the order: longest modules first -----------------------------------------------------

# `make test` runs two pytest-xdist workers, each taking whole modules (--dist loadfile) as
# it runs out of work, in this order (--no-loadscope-reorder: xdist would hand out the
# modules with the most tests first). Handing out the longest modules first keeps the two
# busy until the end instead of one finishing a long module alone (longest processing time
# first). The figures: pytest's --durations, summed per module (README, "Tests").
LONGEST_FIRST = (
    "tests/flows/test_unattended.py",
    "tests/reliability/test_crash.py",
    "tests/e2e/test_dashboard.py",
    "tests/e2e/test_rollen.py",
    "tests/flows/test_replicas.py",
    "tests/flows/test_lifecycle.py",
    "tests/flows/test_up.py",
    "tests/flows/test_toegang.py",
    "tests/flows/test_gateway_aanvallen.py",
    "tests/flows/test_gateway_aanvallen_hoog.py",
    "tests/flows/test_worker_weigert.py",
    "tests/reliability/test_privacy.py",
    "tests/test_cli.py",
    "tests/reliability/test_runs.py",
)


def pytest_collection_modifyitems(session, config, items):
    rang = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rang.get(item.nodeid.split("::", 1)[0], len(rang)))


# --- the log guard (tests/logguard.py) ----------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "logs_allowed(*patterns): tracebacks/ERROR lines this test provokes on purpose, as "
        "regular expressions searched in each log record",
    )


@pytest.fixture(autouse=True)
def _service_logs_clean(request):
    """Fail the test when a server, runner or worker it used logged a traceback or an ERROR
    line it did not name as provoked (tests/logguard.py)."""
    from tests.logguard import GUARD, report

    yield
    allowed = [p for m in request.node.iter_markers("logs_allowed") for p in m.args]
    found = GUARD.problems(allowed)
    if found:
        pytest.fail(report(found), pytrace=False)


def pytest_sessionfinish(session, exitstatus):
    """What the services logged after the last test (shutting down) counts too."""
    from tests.logguard import GUARD, report

    found = GUARD.problems(files=sorted(GUARD.offsets), final=True)
    if found:
        session.config.get_terminal_writer().line("\n" + report(found), red=True)
        session.exitstatus = 1
