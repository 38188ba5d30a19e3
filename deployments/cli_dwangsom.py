"""`meerzorg ingebrekestelling ZAAK --ontvangen D`: register an ingebrekestelling wegens
niet tijdig beslissen (Awb 4:17, models/dwangsom.py). Bad input exits 2 with one Dutch line,
nothing written; the registration is audited with the login."""

from __future__ import annotations

from deployments.aanmelding import besluitdatum
from deployments.cli_args import datum
from deployments.errors import CliFout
from deployments.operations import actor, ensure_db
from models.dates import vandaag


def registreer(a) -> dict:
    from tasks import dwangsom  # lazy: the database stack, for this command only
    from tasks.opvolging_basis import Geweigerd

    # A person registers it on the day it is done: another --peildatum would get around the
    # check that it was not received in the future (only the service passes one, issue 25).
    besluitdatum(a.peildatum, vandaag())
    peildatum = a.peildatum or vandaag()
    ensure_db()
    try:
        return dwangsom.registreer_ingebrekestelling(
            a.zaak, a.ontvangen, peildatum, actor(persoon=True)
        )
    except Geweigerd as exc:
        raise CliFout(str(exc)) from None


def register(sub, out) -> None:
    p = sub.add_parser(
        "ingebrekestelling",
        help="register an ingebrekestelling wegens niet tijdig beslissen (Awb 4:17); the "
        "dwangsom runs two weeks after receipt until the besluit",
    )
    p.add_argument("zaak")
    p.add_argument("--ontvangen", type=datum, required=True, help="the day it was received")
    p.add_argument("--peildatum", type=datum, default=None)
    p.set_defaults(func=lambda a: out(registreer(a)))
