"""The `meerzorg` command line: JSON out; exit 2 with one readable line for bad input."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

from models.aanvraag import InvoerFout, parse_aanvraag, parse_beschikking
from models.beleid import BeleidsFout, beleid_op
from models.dates import parse_datum, vandaag
from models.planner import plan_public
from models.toets import toets


class CliFout(Exception):
    """Exit 2 with this message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        command = self.prog.removeprefix("meerzorg").strip()
        raise CliFout(f"{command}: {message}" if command else message)


def _datum(text: str) -> dt.date:
    try:
        return parse_datum(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _read_json_file(path: str, what: str) -> str:
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.is_file():
        raise CliFout(f"{what} file '{path}' does not exist")
    try:
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliFout(f"cannot read {what} file '{path}': {exc}") from None


def _out(data) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `meerzorg ... | head` is fine
        sys.stderr.close()


# --- commands ----------------------------------------------------------------------------


def cmd_beleid(args) -> None:
    _out(beleid_op(args.peildatum).public())


def cmd_toets(args) -> None:
    aanvraag = parse_aanvraag(_read_json_file(args.aanvraag, "aanvraag"))
    _out(toets(aanvraag, args.peildatum).public())


def cmd_plan(args) -> None:
    beschikking = parse_beschikking(_read_json_file(args.beschikking, "beschikking"))
    _out(plan_public(beschikking, args.peildatum))


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def cmd_demo(args) -> None:
    """Toets and plan on the shipped examples (the lifecycle demo builds on this)."""
    aanvraag_file = EXAMPLES / "aanvraag-groep-vg.json"
    beschikking_file = EXAMPLES / "beschikking-groep-vg.json"
    _out(
        {
            "toets": {
                "bestand": str(aanvraag_file.relative_to(EXAMPLES.parent)),
                "resultaat": toets(
                    parse_aanvraag(aanvraag_file.read_text()), args.peildatum
                ).public(),
            },
            "plan": {
                "bestand": str(beschikking_file.relative_to(EXAMPLES.parent)),
                "resultaat": plan_public(
                    parse_beschikking(beschikking_file.read_text()), args.peildatum
                ),
            },
        }
    )


def cmd_db_upgrade(args) -> None:
    from models.settings import get_settings
    from models.store import migrate

    migrate()
    _out({"database": _redact(get_settings().db_url), "schema": "head"})


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="meerzorg", description="Meerzorg: aanvragen, beschikkingen en hun termijnen."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def peildatum(p):
        p.add_argument(
            "--peildatum",
            type=_datum,
            default=None,
            help="date the rules are applied on (YYYY-MM-DD; default today in Europe/Amsterdam)",
        )

    p = sub.add_parser("beleid", help="the policy in force on the peildatum")
    peildatum(p)
    p.set_defaults(func=cmd_beleid)

    p = sub.add_parser("toets", help="pre-assess an aanvraag (JSON file, or - for stdin)")
    p.add_argument("aanvraag")
    peildatum(p)
    p.set_defaults(func=cmd_toets)

    p = sub.add_parser("plan", help="obligations of a beschikking (JSON file, or - for stdin)")
    p.add_argument("beschikking")
    peildatum(p)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("demo", help="toets and plan on the shipped examples")
    peildatum(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("db", help="database maintenance")
    dbsub = p.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    up = dbsub.add_parser("upgrade", help="apply the Alembic migrations")
    up.set_defaults(func=cmd_db_upgrade)

    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if getattr(args, "peildatum", "absent") is None:
            args.peildatum = vandaag()
        args.func(args)
        return 0
    except (CliFout, InvoerFout, BeleidsFout) as exc:
        print(f"meerzorg: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: still one line, and a distinct exit code
        print(f"meerzorg: internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
