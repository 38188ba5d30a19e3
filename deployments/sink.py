"""A small HTTP notification sink (the apprise `json://` target for the demo and tests).

It records every POST with its idempotency header, answers 503 while told to refuse,
and counts a resend of the same key once."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from deployments.bestanden import open_prive


class Sink:
    def __init__(self, port: int = 0, log_file: Path | None = None, echo: bool = False):
        self.received: list[dict] = []
        self.bestanden: dict[str, bytes] = {}  # attachments by their SHA-256
        self.refuse = False
        self.log_file = log_file
        self.echo = echo
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if sink.refuse:
                    self.send_response(503)
                    self.end_headers()
                    return
                try:
                    data = json.loads(body or b"{}")
                except ValueError:
                    data = {"raw": body.decode("utf-8", "replace")}
                record = {
                    "path": self.path,
                    "sleutel": self.headers.get("X-Meerzorg-Sleutel"),
                    "title": data.get("title"),
                    "message": data.get("message"),
                    "bijlagen": sink._bijlagen(data.get("attachments") or []),
                }
                # A provider's webhook (tasks/webhooks.py): its signature and the exact
                # bytes it signed, so a receiver's check can be run on them.
                if handtekening := self.headers.get("Meerzorg-Signature"):
                    record |= {"handtekening": handtekening, "ruw": body.decode("utf-8")}
                sink._record(record)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def do_GET(self):  # noqa: N802
                payload = json.dumps(sink.received).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _bijlagen(self, attachments: list) -> list[dict]:
        """apprise's json:// attachments (base64): kept in memory by their hash (a test reads
        the PDF back); the record and its log name only file, type, size and hash."""
        out = []
        for a in attachments:
            inhoud = base64.b64decode(a.get("base64") or "")
            sha = hashlib.sha256(inhoud).hexdigest()
            with self._lock:
                self.bestanden[sha] = inhoud
            out.append(
                {
                    "naam": a.get("filename"),
                    "mimetype": a.get("mimetype"),
                    "bytes": len(inhoud),
                    "sha256": sha,
                }
            )
        return out

    def _record(self, record: dict) -> None:
        with self._lock:
            self.received.append(record)
            if self.log_file:
                # Notifications name zaken and clients: 0600, whoever started the sink.
                with open_prive(self.log_file, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        if self.echo:
            print(f"  [notificatie] {record['title']}", flush=True)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/"

    def start(self) -> Sink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
