"""Follow-up commands: ontwikkeltraject, compliance, evaluatie, passende overgang, group
mutations, periodic contacts, signals, thuis figures and good examples."""

from __future__ import annotations

import json

from deployments.aanmelding import besluitdatum, ondertekenaar, tweede_login
from deployments.cli_args import datum, read_json_file
from deployments.errors import CliFout
from deployments.operations import actor, hervat_zaak
from models.contact import BEVINDINGEN
from models.dates import vandaag
from models.db.store import stand_van
from models.opvolging_regels import na_evaluatie, na_passende_overgang
from tasks import opvolging


def _run(fn, *args):
    try:
        return fn(*args)
    except opvolging.Geweigerd as exc:
        raise CliFout(str(exc)) from None


def register(sub, out) -> None:
    """The follow-up commands and their options: long because it is a table of argparse declarations."""

    def peil(p):
        p.add_argument("--peildatum", type=datum, default=None)

    def today(a):
        return a.peildatum or vandaag()

    p = sub.add_parser("ontwikkeltraject", help="record a CCE ontwikkeltraject of a client")
    p.add_argument("zaak")
    p.add_argument("--client", required=True)
    p.add_argument("--bijeenkomst-1", dest="b1", type=datum, required=True)
    p.add_argument("--bijeenkomst-2", dest="b2", type=datum)
    peil(p)
    p.set_defaults(
        func=lambda a: out(
            _run(
                opvolging.registreer_ontwikkeltraject,
                a.zaak,
                a.client,
                a.b1,
                a.b2,
                today(a),
                actor(persoon=True),
            )
        )
    )

    p = sub.add_parser(
        "compliance", help="CCE rule per client with running meerzorg: ok | risico | overtreding"
    )
    peil(p)
    p.set_defaults(func=lambda a: out(opvolging.compliance_lijst(today(a))))

    p = sub.add_parser(
        "evaluatie", help="the provider's evaluation of the goals, optionally with a verlenging"
    )
    p.add_argument("zaak")
    p.add_argument("--doelen", required=True, choices=["behaald", "deels", "niet"])
    p.add_argument("--toelichting", required=True)
    p.add_argument("--verlenging", help="AANVRAAG.json of the verlenging")
    peil(p)

    def evaluatie(a):
        invoer = {
            "doelen_behaald": a.doelen,
            "toelichting": a.toelichting,
            "peildatum": a.peildatum,
            "ingediend_door": actor(persoon=True),
            "verlenging": json.loads(read_json_file(a.verlenging, "verlenging"))
            if a.verlenging
            else None,
        }

        def check(session, zaak):
            na_evaluatie(stand_van(zaak), invoer, today(a))

        try:
            return hervat_zaak(a.zaak, ("herbeoordeling",), invoer, check)
        except json.JSONDecodeError as exc:
            raise CliFout(f"verlenging is not valid JSON: {exc.msg}") from None

    p.set_defaults(func=lambda a: out(evaluatie(a)))

    p = sub.add_parser(
        "overgang", help="record the passende overgang (or that no fitting care is possible)"
    )
    p.add_argument("zaak")
    p.add_argument("--toelichting", default="")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--geregeld", action="store_true")
    g.add_argument("--geen-passende-zorg", action="store_true")
    peil(p)

    def overgang(a):
        invoer = {
            "geregeld": a.geregeld,
            "geen_passende_zorg": a.geen_passende_zorg,
            "toelichting": a.toelichting,
            "peildatum": a.peildatum,
            "ingediend_door": actor(persoon=True),
        }

        def check(session, zaak):
            na_passende_overgang(stand_van(zaak), invoer, beschikking_actief=True)

        return hervat_zaak(a.zaak, ("passende_overgang",), invoer, check)

    p.set_defaults(func=lambda a: out(overgang(a)))

    p = sub.add_parser(
        "mutatie",
        help="group mutation: a client leaves (--vertrek) or joins (--instroom, a decision)",
    )
    p.add_argument("zaak")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--vertrek", metavar="CLIENT_ID")
    g.add_argument(
        "--instroom",
        metavar="CLIENT.json",
        help="the newcomer, or {client, uren_per_week, ...} with the group's new figures",
    )
    p.add_argument("--per", type=datum, help="date of the mutation (default: the peildatum)")
    p.add_argument(
        "--beoordelaar",
        metavar="ID",
        help="who decides the instroom: the login (MEERZORG_AUTH=aan); R §10: no CCE",
    )
    p.add_argument(
        "--tweede-beoordelaar",
        metavar="ID",
        help="the second, different beoordelaar when four eyes are needed; logs in too "
        "(MEERZORG_TWEEDE_AUTH_STRING or a prompt)",
    )
    peil(p)

    def mutatie(a):
        besluitdatum(a.peildatum, vandaag())  # a mutation is a besluit (issue 25)
        per = a.per or today(a)
        if a.vertrek:
            return _run(
                opvolging.mutatie_vertrek, a.zaak, a.vertrek, per, today(a), actor(persoon=True)
            )
        try:
            client = json.loads(read_json_file(a.instroom, "client"))
        except json.JSONDecodeError as exc:
            raise CliFout(f"client is not valid JSON: {exc.msg}") from None
        if not isinstance(client, dict):
            raise CliFout("client must be a JSON object")
        return _run(
            lambda: opvolging.mutatie_instroom(
                a.zaak,
                client,
                per,
                ondertekenaar(a.beoordelaar),
                tweede_beoordelaar=tweede_login(a.tweede_beoordelaar),
                peildatum=today(a),
            )
        )

    p.set_defaults(func=lambda a: out(mutatie(a)))

    p = sub.add_parser(
        "contact",
        help="record the zorgkantoor's contact with a client at home and its bevinding "
        "(N 2025; closes the contact task; zorgkantoor staff only, not CCE)",
    )
    p.add_argument("zaak")
    p.add_argument("--client", required=True)
    p.add_argument("--datum", type=datum, help="day of the contact (default: the peildatum)")
    p.add_argument("--verslag", default="", help="required unless the bevinding is verantwoord")
    p.add_argument(
        "--bevinding",
        choices=list(BEVINDINGEN),
        default="verantwoord",
        help="'niet verantwoord' also signals operations",
    )
    peil(p)
    p.set_defaults(
        func=lambda a: out(
            _run(
                opvolging.registreer_contact,
                a.zaak,
                a.client,
                a.datum or today(a),
                a.verslag,
                actor(persoon=True),
                a.bevinding,
                today(a),
            )
        )
    )

    p = sub.add_parser(
        "signaal", help="signal that no fitting care can be arranged within the rules (N 2025)"
    )
    p.add_argument("zaak")
    p.add_argument("--toelichting", required=True)
    peil(p)
    p.set_defaults(
        func=lambda a: out(
            _run(
                opvolging.signaal_geen_passende_zorg,
                a.zaak,
                a.toelichting,
                today(a),
                actor(persoon=True),
            )
        )
    )

    p = sub.add_parser(
        "thuiscijfers",
        help="figures of meerzorg at home (N 2025), each counted once: aanvragen, toekenningen "
        "(coulant separately), bijstellingen, afwijzingen, buiten-behandelingstellingen, "
        "bezwaren, signals of no fitting care, passende overgangen started, contacts",
    )
    p.add_argument("--van", type=datum, required=True)
    p.add_argument("--tot", type=datum, required=True)
    p.set_defaults(func=lambda a: out(opvolging.thuiscijfers(a.van, a.tot)))

    p = sub.add_parser("voorbeelden", help="zaken whose goals were reached: good examples to share")
    p.set_defaults(func=lambda a: out(opvolging.goede_voorbeelden()))
