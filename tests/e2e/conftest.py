"""Browser tests: Playwright's Python package driving Debian's Chromium (headless) against
the same embedded system as the flow tests (its fixtures are shared, one system per
session). They skip when Chromium or Playwright is missing; `.ci/run` installs Chromium."""

from __future__ import annotations

import os

import pytest

from tests.e2e.ui import CHROMIUM_ARGS, chromium_path

# Importing it points this process at the test system; ui.py imports no prefect.
from tests.flows.conftest import aanbieders, sink, system  # noqa: F401


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and Prefect's sync calls in the flow tests that follow would then return coroutines.
@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # a broken chromium install is an environment problem
        pw.stop()
        pytest.skip(f"chromium does not start: {exc}")
    yield b
    b.close()
    pw.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    p = context.new_page()
    yield p
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        shot = os.path.join(os.environ.get("MEERZORG_DATA_DIR", "."), f"{request.node.name}.png")
        p.screenshot(path=shot, full_page=True)
        print(f"screenshot of the failure: {shot}")
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
