"""Bezwaar commands (Awb chapters 6-7, models/bezwaar.py) and the beslistermijn's extension
(Awb 4:14): `meerzorg bezwaar registreer|gronden|verschoonbaar|hoorzitting|verslag|beslis|
verdaag ZAAK` and `meerzorg beslistermijn verleng ZAAK`. Bad input exits 2 with one line, nothing
written."""

from __future__ import annotations

import contextlib

from deployments.aanmelding import besluitdatum, ondertekenaar
from deployments.cli_args import Parser, datum
from deployments.errors import CliFout
from deployments.operations import actor, ensure_db, hervat_zaak
from models import bezwaar as regels
from models.dates import vandaag
from models.db.store import stand_van
from models.overgang import BEZWAAR_STATUSSEN
from models.overgang import ZaakStatus as S


def _tasks():
    from tasks import bezwaar

    return bezwaar


def _geweigerd(fn, *args):
    from tasks.opvolging_basis import Geweigerd

    try:
        return fn(*args)
    except Geweigerd as exc:
        raise CliFout(str(exc)) from None


def _hervat(key: str, statussen, regel, invoer: dict, peildatum) -> dict:
    """Resume the zaak's waiting run with the form's fields, checked first by the same rule."""
    from tasks.zaak import feiten_van

    def check(session, zaak):
        regel(stand_van(zaak), invoer, peildatum, feiten_van(session, zaak))

    return hervat_zaak(key, tuple(statussen), invoer, check)


def registreer(a) -> dict:
    peildatum = a.peildatum or vandaag()
    invoer = {
        "besluit": a.besluit,
        "ontvangen": a.ontvangen or peildatum,
        "verzonden": a.verzonden,
        "gronden": a.gronden,
        "pro_forma": a.pro_forma,
        "indiener": a.indiener,
        "client": a.client,
        "adviescommissie": a.adviescommissie,
        "ingediend_door": actor(persoon=True),
    }
    ensure_db()
    t = _tasks()
    uit = _geweigerd(t.registreer_bezwaar, a.zaak, invoer, peildatum, invoer["ingediend_door"])
    # The person's bezwaar is recorded (in their name, above); moving the run on to it is
    # the system's reconcile, so it goes as the service: the run still waits on the form of
    # the wait the zaak just left, which no person answers (issue 23).
    with als_dienst():
        return uit | {"run": t.volg_run(a.zaak)}


@contextlib.contextmanager
def als_dienst():
    """The Prefect client as the service for the duration (the embedded setup's token)."""
    from prefect.settings import PREFECT_API_AUTH_STRING, temporary_settings

    from deployments.gateway_auth import service_auth_string
    from models.settings import get_settings

    if not get_settings().auth_aan:
        yield
        return
    with temporary_settings({PREFECT_API_AUTH_STRING: service_auth_string()}):
        yield


def _basis(a) -> dict:
    # A step may take a besluit (the beslissing op bezwaar, a niet-ontvankelijk): a person's
    # is dated today, as the gateway holds on the Resume (issue 25); refused here first.
    besluitdatum(a.peildatum, vandaag())
    return {
        "behandelaar": ondertekenaar(a.behandelaar, "--behandelaar"),
        "peildatum": a.peildatum or vandaag(),
    }


def gronden(a) -> dict:
    invoer = _basis(a) | {
        "handeling": "niet-ontvankelijk" if a.niet_ontvankelijk else "gronden",
        "gronden": a.gronden,
        "onderbouwing": a.onderbouwing,
        "ontvangen": a.ontvangen,
        "indiener": a.indiener,
        "client": a.client,
    }
    statussen = (S.BEZWAAR_GRONDEN, S.BEZWAAR_GRONDEN_VERSTREKEN)
    return _hervat(a.zaak, statussen, regels.na_gronden, invoer, invoer["peildatum"])


def verschoonbaar(a) -> dict:
    invoer = _basis(a) | {"oordeel": a.oordeel, "onderbouwing": a.onderbouwing}
    return _hervat(
        a.zaak, (S.BEZWAAR_TE_LAAT,), regels.na_verschoonbaarheid, invoer, invoer["peildatum"]
    )


def hoorzitting(a) -> dict:
    invoer = _basis(a)
    if a.op:
        invoer |= {"handeling": "plannen", "hoorzitting_op": a.op}
    else:
        invoer |= {"handeling": "afzien", "grond_afzien": a.afzien}
    return _hervat(a.zaak, (S.BEZWAAR_HOREN,), regels.na_hoorzitting, invoer, invoer["peildatum"])


def verslag(a) -> dict:
    """Awb 7:7: the verslag of the hoorzitting, on the beslissing's wait."""
    invoer = _basis(a) | {
        "verslag": True,
        "gehoord": a.gehoord,
        "verslag_op": a.op,
        "verslag_verzonden_op": a.verzonden,
        "verslag_tekst": a.tekst,
    }
    return _hervat(
        a.zaak, (S.BEZWAAR_BESLISSEN,), regels.na_beslissing, invoer, invoer["peildatum"]
    )


def beslis(a) -> dict:
    invoer = _basis(a) | {
        "uitkomst": a.uitkomst,
        "onderbouwing": a.onderbouwing,
        # Awb 7:15: the costs, when they were asked for.
        "kosten_gevraagd": a.kosten_gevraagd or a.kosten_toegekend,
        "kosten_toegekend": a.kosten_toegekend,
        "kosten_bedrag": a.kosten_bedrag,
        "advies_commissie": a.advies_commissie,  # Awb 7:13 lid 7
    }
    return _hervat(
        a.zaak, (S.BEZWAAR_BESLISSEN,), regels.na_beslissing, invoer, invoer["peildatum"]
    )


def verdaag(a) -> dict:
    invoer = _basis(a) | {"verdagen": True, "reden_verdaging": a.reden}
    return _hervat(a.zaak, BEZWAAR_STATUSSEN, regels.verdaging, invoer, invoer["peildatum"])


def verleng(a) -> dict:
    peildatum = a.peildatum or vandaag()
    ensure_db()
    return _geweigerd(
        _tasks().verleng_beslistermijn, a.zaak, a.weken, a.reden, peildatum, actor(persoon=True)
    )


def register(sub, out) -> None:
    """The commands and their options: long because it is a table of argparse declarations."""
    p = sub.add_parser("bezwaar", help="bezwaar against a besluit (Awb 6:7-7:12)")
    bsub = p.add_subparsers(dest="bezwaar_command", required=True, parser_class=Parser)

    def zaak_en_peil(q):
        q.add_argument("zaak")
        q.add_argument("--peildatum", type=datum, default=None)

    def behandelaar(q):
        q.add_argument(
            "--behandelaar",
            metavar="ID",
            help="who handles it: the login (MEERZORG_AUTH=aan); not who took the besluit (7:5)",
        )

    r = bsub.add_parser(
        "registreer", help="register a bezwaarschrift against a besluit (default: the last)"
    )
    zaak_en_peil(r)
    r.add_argument(
        "--besluit", type=int, metavar="ID", help="the contested besluit (meerzorg zaak: besluiten)"
    )
    r.add_argument("--ontvangen", type=datum, help="date of receipt (default: the peildatum)")
    r.add_argument("--verzonden", type=datum, help="date posted, when sent by post (Awb 6:9)")
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument("--gronden", help="the grounds of the bezwaar (Awb 6:5)")
    g.add_argument(
        "--pro-forma", action="store_true", help="no grounds yet: a term to supply them (Awb 6:6)"
    )
    r.add_argument("--indiener", choices=list(regels.INDIENERS), default="zorgaanbieder")
    r.add_argument("--client", metavar="CLIENT_ID", help="whose client, for a client's side")
    r.add_argument(
        "--adviescommissie",
        action="store_true",
        help="an adviescommissie advises: the term is twelve weeks (Awb 7:13, 7:10 lid 1)",
    )
    r.set_defaults(func=lambda a: out(registreer(a)))

    n = bsub.add_parser(
        "gronden", help="the grounds of a pro forma bezwaar, or niet-ontvankelijk (Awb 6:5, 6:6)"
    )
    zaak_en_peil(n)
    behandelaar(n)
    g = n.add_mutually_exclusive_group(required=True)
    g.add_argument("--gronden", help="the grounds received")
    g.add_argument(
        "--niet-ontvankelijk",
        action="store_true",
        help="their term passed without them (Awb 6:6; with --onderbouwing)",
    )
    n.add_argument("--onderbouwing", help="the reason, with --niet-ontvankelijk")
    n.add_argument("--ontvangen", type=datum, help="date the grounds came (default: peildatum)")
    n.add_argument("--indiener", choices=list(regels.INDIENERS), help="whose, when several")
    n.add_argument("--client", metavar="CLIENT_ID", help="whose client, with --indiener")
    n.set_defaults(func=lambda a: out(gronden(a)))

    v = bsub.add_parser("verschoonbaar", help="a late bezwaar: excusable or not (Awb 6:11)")
    zaak_en_peil(v)
    behandelaar(v)
    v.add_argument("--oordeel", required=True, choices=["verschoonbaar", "niet-ontvankelijk"])
    v.add_argument("--onderbouwing", required=True)
    v.set_defaults(func=lambda a: out(verschoonbaar(a)))

    h = bsub.add_parser("hoorzitting", help="plan the hoorzitting (7:2) or waive it (7:3)")
    zaak_en_peil(h)
    behandelaar(h)
    g = h.add_mutually_exclusive_group(required=True)
    g.add_argument("--op", type=datum, help="its date, a week after today's invitation (7:4)")
    g.add_argument("--afzien", choices=list(regels.AFZIEN_GRONDEN), help="the 7:3 ground")
    h.set_defaults(func=lambda a: out(hoorzitting(a)))

    s = bsub.add_parser("verslag", help="the verslag of the hoorzitting held (Awb 7:7)")
    zaak_en_peil(s)
    behandelaar(s)
    s.add_argument("--gehoord", required=True, help="roles heard, comma-separated, or 'niemand'")
    s.add_argument("--tekst", required=True, help="the verslag (stays in the case database)")
    s.add_argument("--op", type=datum, help="the day it was drawn up (default: peildatum)")
    s.add_argument("--verzonden", type=datum, help="the day it was sent to the indieners")
    s.set_defaults(func=lambda a: out(verslag(a)))

    b = bsub.add_parser("beslis", help="the beslissing op bezwaar (Awb 7:11, 7:12)")
    zaak_en_peil(b)
    behandelaar(b)
    b.add_argument("--uitkomst", required=True, choices=list(regels.UITKOMSTEN))
    b.add_argument("--onderbouwing", required=True)
    b.add_argument(
        "--kosten-gevraagd", action="store_true", help="costs asked for (Awb 7:15 lid 3)"
    )
    b.add_argument(
        "--kosten-toegekend", action="store_true", help="costs granted, with --kosten-bedrag"
    )
    b.add_argument("--kosten-bedrag", type=float, metavar="EURO", help="the amount granted")
    b.add_argument(
        "--advies-commissie",
        choices=list(regels.UITKOMSTEN),
        help="what the adviescommissie advised (Awb 7:13 lid 7)",
    )
    b.set_defaults(func=lambda a: out(beslis(a)))

    d = bsub.add_parser("verdaag", help="postpone the beslissing once by six weeks (7:10 lid 3)")
    zaak_en_peil(d)
    behandelaar(d)
    d.add_argument("--reden", required=True)
    d.set_defaults(func=lambda a: out(verdaag(a)))

    p = sub.add_parser("beslistermijn", help="the beslistermijn of a zaak (Awb 4:13, 4:14)")
    tsub = p.add_subparsers(dest="beslistermijn_command", required=True, parser_class=Parser)
    t = tsub.add_parser("verleng", help="extend it once, with a notice and a reason (Awb 4:14)")
    zaak_en_peil(t)
    t.add_argument("--weken", type=int, required=True, help="1 to 8 weeks")
    t.add_argument("--reden", required=True)
    t.set_defaults(func=lambda a: out(verleng(a)))
