"""The `meerzorg` command line: JSON out; exit 2 with one readable line for bad input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from deployments.aanmelding import ondertekenaar
from deployments.cli_args import Parser, datum, read_json_file
from deployments.errors import CliFout
from deployments.system import prefect_env
from models.aanvraag import InvoerFout, parse_aanvraag, parse_beschikking
from models.beleid import BeleidsFout, beleid_op
from models.dates import vandaag
from models.planner import plan_public
from models.toets import toets


def _ops():
    """The operations on the running system, imported only by the commands that need them
    (the database and Prefect stack take seconds to import; `toets` must not pay that)."""
    from deployments import operations

    return operations


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
    aanvraag = parse_aanvraag(read_json_file(args.aanvraag, "aanvraag"))
    _out(toets(aanvraag, args.peildatum).public())


def cmd_plan(args) -> None:
    beschikking = parse_beschikking(read_json_file(args.beschikking, "beschikking"))
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


def _bedrag(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount") from None
    if value < 0:
        raise argparse.ArgumentTypeError("an amount cannot be negative")
    return value


def cmd_beoordeel(args) -> None:
    # The assessment (pillar motivations, R §10 criteria, perspectief) from a JSON file with
    # the Resume form's fields; the flags below override it.
    formulier = {}
    if args.formulier:
        try:
            formulier = json.loads(read_json_file(args.formulier, "formulier"))
        except json.JSONDecodeError as exc:
            raise CliFout(f"formulier is geen geldige JSON: {exc.msg}") from None
        if not isinstance(formulier, dict):
            raise CliFout("formulier moet een JSON-object met de velden van het formulier zijn")
    vlaggen = {
        "uitkomst": args.uitkomst,
        "onderbouwing": args.onderbouwing,
        "beoordelaar": ondertekenaar(args.beoordelaar),
        "start": args.start,
        "eind": args.eind,
        "bedrag_per_jaar": args.bedrag,
        "peildatum": args.peildatum,
        "kwaliteit_van_leven": args.kwaliteit_van_leven,
        "doelmatigheid": args.doelmatigheid,
        "maatschappelijk_verantwoord": args.maatschappelijk_verantwoord,
    }
    invoer = formulier | {k: v for k, v in vlaggen.items() if v is not None}
    _out(_ops().beoordeel(args.zaak, invoer))


def cmd_up(args) -> None:
    from deployments.up import up

    up(port=args.port, demo=args.demo)


def cmd_db_upgrade(args) -> None:
    from models.db.store import migrate
    from models.settings import get_settings

    migrate()
    _out({"database": _redact(get_settings().db_url), "schema": "head"})


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _register_extensions(sub) -> None:
    """The areas' commands, each module adding its own with `register(sub, out)`, in this
    order (the order of `meerzorg --help`). Imported here, not at the top, so the rule
    commands skip them and the database and Prefect stack they pull in."""
    from deployments import (
        cli_analyse,
        cli_beheer,
        cli_besluit,
        cli_bezwaar,
        cli_dashboard,
        cli_dialoog,
        cli_dwangsom,
        cli_geval,
        cli_opvolging,
        cli_status,
    )

    for module in (
        cli_opvolging,
        cli_besluit,
        cli_bezwaar,
        cli_dwangsom,
        cli_analyse,
        cli_beheer,
        cli_dashboard,
        cli_dialoog,
        cli_geval,
        cli_status,
    ):
        module.register(sub, _out)


# Commands that need only the rules: they skip importing the areas' modules (and with them
# the database and Prefect stack), so a scripted `meerzorg toets` starts in well under a second.
RULE_COMMANDS = frozenset({"beleid", "toets", "plan", "demo"})


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line, one add_parser per command: long because it is a table, not logic."""
    parser = Parser(
        prog="meerzorg", description="Meerzorg: aanvragen, beschikkingen en hun termijnen."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def peildatum(p):
        p.add_argument(
            "--peildatum",
            type=datum,
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

    p = sub.add_parser("aanbieder", help="zorgaanbieders")
    asub = p.add_subparsers(dest="aanbieder_command", required=True, parser_class=Parser)
    r = asub.add_parser("registreer", help="register a provider and its notification targets")
    r.add_argument("--agb", required=True)
    r.add_argument("--naam", required=True)
    r.add_argument("--notify", action="append", default=[], help="apprise URL (repeatable)")
    r.set_defaults(func=lambda a: _out(_ops().aanbieder_registreer(a.agb, a.naam, a.notify)))

    p = sub.add_parser("indienen", help="submit an aanvraag: registers the zaak and starts its run")
    p.add_argument("aanvraag")
    peildatum(p)
    p.set_defaults(
        func=lambda a: _out(_ops().indienen(read_json_file(a.aanvraag, "aanvraag"), a.peildatum))
    )

    p = sub.add_parser("beoordeel", help="decide a zaak (resumes its run with the form's input)")
    p.add_argument("zaak")
    p.add_argument("--uitkomst", required=True, choices=["toekennen", "bijstellen", "afwijzen"])
    p.add_argument(
        "--formulier",
        help="JSON file (or -) with the Resume form's fields: pillar motivations, the R §10 "
        "criteria, the perspectief; the other flags override it",
    )
    p.add_argument("--onderbouwing", default=None)
    p.add_argument(
        "--beoordelaar",
        default=None,
        help="who decides; with logins on (MEERZORG_AUTH=aan) the login, and a different id "
        "is refused",
    )
    p.add_argument("--start", type=datum)
    p.add_argument("--eind", type=datum)
    p.add_argument("--bedrag", type=_bedrag)
    for pijler in ("kwaliteit_van_leven", "doelmatigheid", "maatschappelijk_verantwoord"):
        p.add_argument(
            f"--{pijler.replace('_', '-')}",
            dest=pijler,
            choices=["voldoet", "voldoet deels", "voldoet niet"],
        )
    peildatum(p)
    p.set_defaults(func=cmd_beoordeel)

    p = sub.add_parser(
        "zaak", help="status, wacht_op, beschikkingen, deadlines and notifications of a zaak"
    )
    p.add_argument("zaak")
    peildatum(p)  # the day the dwangsom is counted to (Awb 4:17)
    p.set_defaults(func=lambda a: _out(_ops().zaak_overzicht(a.zaak, peildatum=a.peildatum)))

    p = sub.add_parser(
        "sweep", help="run the deadline sweep deployment for a peildatum and wait for it"
    )
    peildatum(p)
    p.set_defaults(func=lambda a: _out(_ops().sweep(a.peildatum)))

    p = sub.add_parser("up", help="start the embedded system: Prefect server, migrations, runner")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--demo", action="store_true", help="also load a demo caseload")
    p.set_defaults(func=cmd_up)

    p = sub.add_parser("db", help="database maintenance")
    dbsub = p.add_subparsers(dest="db_command", required=True, parser_class=Parser)
    up = dbsub.add_parser("upgrade", help="apply the Alembic migrations")
    up.set_defaults(func=cmd_db_upgrade)

    command = next(
        (a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("-")), None
    )
    if command not in RULE_COMMANDS:
        _register_extensions(sub)
        from deployments.cli_aanbieder import register_sleutel

        register_sleutel(asub, _out)  # `meerzorg aanbieder sleutel ...` (issue 28)
    return parser


def _prefect_defaults() -> None:
    """Point the CLI at the embedded server unless the environment says otherwise."""
    from models.settings import get_settings

    settings = get_settings()
    env = prefect_env(settings.prefect_port, settings.data_dir / "prefect")
    for name in (
        "PREFECT_API_URL",
        "PREFECT_HOME",
        "PREFECT_SERVER_ANALYTICS_ENABLED",
        "PREFECT_LOCAL_STORAGE_PATH",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT",
    ):
        os.environ.setdefault(name, env[name])


def main(argv: list[str] | None = None) -> int:
    _prefect_defaults()
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
        if getattr(args, "peildatum", "absent") is None:
            args.peildatum = vandaag()
        if args.command not in RULE_COMMANDS:
            from deployments.cli_beheer import CLIENT_READS, log_client_read

            if args.command in CLIENT_READS:  # logged before the data is shown
                log_client_read(args)
        code = args.func(args)  # a command may ask for exit 1 (status: needs attention)
        return code if isinstance(code, int) else 0
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
