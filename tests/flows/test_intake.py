"""Intake against a real local HTTP portal."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.flows.test_lifecycle import individueel

pytestmark = pytest.mark.usefixtures("aanbieders")


@pytest.fixture
def portal():
    state = {"items": [], "calls": 0, "fail_first": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            state["calls"] += 1
            if state["fail_first"] > 0:
                state["fail_first"] -= 1
                self.send_response(503)
                self.end_headers()
                return
            body = json.dumps(state["items"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/aanvragen"
    yield state
    server.shutdown()


def test_intake_starts_one_lifecycle_per_new_item_and_reports_invalid_ones(portal, aanbieders):
    from flows.intake import intake

    goed = individueel("ignored", "ANKER-201", "999990111")
    slecht = individueel("ignored", "ANKER-202", "123456789")
    portal["items"] = [
        {"referentie": "PORTAAL-1", "aanvraag": goed},
        {"referentie": "PORTAAL-2", "aanvraag": slecht},
    ]
    portal["fail_first"] = 1  # the portal hiccups once: retried with backoff
    first = intake(url=portal["url"])
    assert first["nieuw"] == 1 and first["ongeldig"] == 1
    second = intake(url=portal["url"])
    assert second["nieuw"] == 0 and second["bekend"] == 1 and second["ongeldig"] == 1
    assert first["zaken"] == second["zaken"]
    invalid = [r for r in aanbieders.received if "PORTAAL-2" in (r["title"] or "")]
    assert len(invalid) == 1 and "elfproef" in invalid[0]["message"]
    assert "123456789" not in json.dumps(aanbieders.received)
