"""Prefect's own route table, and the canonical form of a request (issue 23).

The gateway decides on the request Prefect will run, not on the text it was sent as. So it
first refuses what a proxy or client could read differently (dot segments, encoded slashes
and dots, backslashes, double slashes, control characters), then matches the path against
Prefect's route table in Prefect's own order with Starlette's own path compiler (so `{id:uuid}`
takes a hyphenless or uppercase id exactly as Prefect does), and forwards the path rebuilt
from the route's template with the parsed parameters: one spelling per run, whatever was sent.

The table is `deployments/prefect_routes.json`, written from the installed Prefect server by
`python -m deployments.gateway_routes`; tests/unit/test_gateway_rechten.py fails when it
differs from the installed Prefect (an upgrade adds or moves routes: regenerate and review
the allowlist). Read from a file because importing Prefect's server costs the gateway ~5 s
of CPU at every start."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from starlette.routing import compile_path

ROUTES_FILE = Path(__file__).with_name("prefect_routes.json")
WS = "WS"  # the "method" of a WebSocket route in the table

# Percent-encodings that would change the path's structure once decoded: '.', '/', '\'.
_GEVAARLIJK = re.compile(r"%(2e|2f|5c|00)", re.IGNORECASE)


class OngeldigPad(ValueError):
    """A path the gateway will not forward: it could mean two things."""


@dataclass(frozen=True, slots=True)
class Treffer:
    """A request matched to one of Prefect's routes."""

    methode: str
    template: str  # as in the table, e.g. /api/flow_runs/{id:uuid}/resume
    params: dict  # converted: uuid.UUID for {..:uuid}
    pad: str  # the canonical path that is forwarded

    @property
    def run_id(self) -> str | None:
        """The run a /api/flow_runs/{id} route acts on, canonical."""
        if self.template.startswith("/api/flow_runs/{id:uuid}"):
            return str(self.params["id"])
        return None


def canoniek_pad(raw_path: bytes) -> str:
    """The decoded path, or OngeldigPad when it holds anything Prefect or a proxy in between
    could resolve to another path than the one the gateway decides on."""
    try:
        ruw = raw_path.decode("ascii")
    except UnicodeDecodeError:
        raise OngeldigPad("het pad bevat tekens die niet zijn gecodeerd") from None
    if _GEVAARLIJK.search(ruw):
        raise OngeldigPad("het pad bevat een gecodeerde punt, schuine streep of backslash")
    if not ruw.startswith("/") or "\\" in ruw or "//" in ruw:
        raise OngeldigPad("het pad bevat een backslash of een dubbele schuine streep")
    try:
        pad = unquote(ruw, errors="strict")
    except UnicodeDecodeError:
        raise OngeldigPad("het pad is geen geldige UTF-8") from None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in pad):
        raise OngeldigPad("het pad bevat een stuurteken")
    if any(deel in (".", "..") for deel in pad.split("/")):
        raise OngeldigPad("het pad bevat '.' of '..' als segment")
    return pad


@dataclass(frozen=True, slots=True)
class _Route:
    template: str
    methoden: frozenset[str]
    regex: re.Pattern
    formaat: str
    convertors: dict


class Routetabel:
    """Prefect's routes in Prefect's order; `match` is Starlette's own: the first route whose
    path and method match (HEAD where GET is allowed)."""

    def __init__(self, routes: list[tuple[str, list[str]]]) -> None:
        self.routes: list[_Route] = []
        for template, methoden in routes:
            regex, formaat, convertors = compile_path(template)
            self.routes.append(_Route(template, frozenset(methoden), regex, formaat, convertors))

    @classmethod
    def uit_bestand(cls, pad: Path = ROUTES_FILE) -> Routetabel:
        return cls([(t, m) for t, m in json.loads(pad.read_text())])

    def templates(self) -> list[tuple[str, str]]:
        """Every (method, template) Prefect answers: the matrix test's rows."""
        return [(m, r.template) for r in self.routes for m in sorted(r.methoden)]

    def match(self, methode: str, pad: str) -> Treffer | None:
        methode = methode.upper()
        for r in self.routes:
            m = r.regex.match(pad)
            if m is None:
                continue
            if not (methode in r.methoden or (methode == "HEAD" and "GET" in r.methoden)):
                continue
            try:
                params = {k: r.convertors[k].convert(v) for k, v in m.groupdict().items()}
            except ValueError:
                return None
            canoniek = r.formaat
            for k, v in params.items():
                tekst = r.convertors[k].to_string(v)
                canoniek = canoniek.replace("{" + k + "}", quote(tekst, safe="/:@!$&'()*+,;=-._~"))
            return Treffer(methode, r.template, params, canoniek)
        return None


def routes_van_prefect() -> list[tuple[str, list[str]]]:
    """The installed Prefect server's routes under /api, in its matching order."""
    from prefect.server.api.server import create_app

    uit: list[tuple[str, list[str]]] = []

    def loop(routes, prefix: str) -> None:
        for r in routes:
            soort = type(r).__name__
            if soort == "_IncludedRouter":  # FastAPI's lazily included router
                loop(r.original_router.routes, prefix + (r.include_context.prefix or ""))
            elif soort.endswith("WebSocketRoute"):
                uit.append((prefix + r.path, [WS]))
            elif getattr(r, "methods", None):
                uit.append((prefix + r.path, sorted(r.methods)))
            elif sub := getattr(getattr(r, "app", None), "routes", None):
                loop(sub, prefix + getattr(r, "path", ""))

    loop(create_app(ephemeral=True).routes, "")
    return [(t, m) for t, m in uit if t.startswith("/api/")]


def main() -> None:
    routes = routes_van_prefect()
    # One route a line: an upgrade's diff shows what Prefect added or moved.
    ROUTES_FILE.write_text("[\n" + ",\n".join(json.dumps(r) for r in routes) + "\n]\n")
    print(f"{len(routes)} routes -> {ROUTES_FILE}")


if __name__ == "__main__":
    main()
