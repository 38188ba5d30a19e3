"""`meerzorg geval start`: a new case of a simple kind (models/soorten/) and its run. The data
is the kind's own JSON (a file or -); bad input is one line (exit 2) and writes nothing."""

from __future__ import annotations

import json

from deployments.cli_args import Parser, read_json_file
from deployments.errors import CliFout


def start(soort: str, key: str, gegevens: str) -> dict:
    from models.db.store import session_scope
    from models.engine import OngeldigeInvoer
    from tasks import eenvoudig

    try:
        data = json.loads(gegevens)
    except ValueError as exc:
        raise CliFout(f"gegevens: geen geldige JSON ({exc})") from None
    try:
        with session_scope() as session:
            eenvoudig.start_geval(session=session, soort=soort, key=key, gegevens=data, actor="cli")
    except OngeldigeInvoer as exc:
        raise CliFout(str(exc)) from None
    # Committed first: a run that could not start is started by the sweep's reconcile.
    return {"soort": soort, "key": key, "flow_run_id": eenvoudig.start_run(soort, key)}


def register(sub, out) -> None:
    p = sub.add_parser("geval", help="cases of the simple kinds (models/soorten/)")
    gsub = p.add_subparsers(dest="geval_command", required=True, parser_class=Parser)
    s = gsub.add_parser("start", help="a new case of a simple kind, and its run")
    s.add_argument("soort", help="the kind's name")
    s.add_argument("key", help="the case's key: lower case letters, digits and dashes")
    s.add_argument(
        "--gegevens", required=True, help="JSON file (or -) with the case's data: codes, no names"
    )
    s.set_defaults(
        func=lambda a: out(start(a.soort, a.key, read_json_file(a.gegevens, "gegevens")))
    )
