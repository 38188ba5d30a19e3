"""Staff, roles and the audit trail: `meerzorg medewerker registreer --id ID --rol ROL`,
`meerzorg audit ZAAK`. Every CLI read of client data is itself an audit event (NEN 7513:
who, on whose behalf, what, when, which zaak or client). Managing accounts is the
administering role's (BEHEER_ROL), audited with the login that did it."""

from __future__ import annotations

from deployments.cli_args import Parser
from deployments.errors import CliFout
from models.overgang import ROLLEN

# Who manages accounts: operations, not the teamleider. Separation of duties (R §10's four
# eyes): whoever creates logins must not also decide zaken, or one teamleider could create a
# second beoordelaar login and be both pairs of eyes. Operations decides nothing (it may not
# resume, models/toegang.mag_hervatten) and already runs the system's accounts and alerts.
BEHEER_ROL = "operations"


def beheerder(session, id: str, rol: str) -> str:
    """Who registers `id` as `rol` (for the audit trail), or CliFout with one line. The
    service may; a person only with BEHEER_ROL, or — bootstrap, no login asked — while no
    active medewerker has that role yet. Nobody gives themselves another role."""
    import os

    from deployments.aanmelding import AUTH_ENV
    from deployments.operations import actor
    from models.db.medewerkers_lezen import een_met_rol
    from models.db.tables import Medewerker
    from models.toegang import SERVICE

    beheerders = een_met_rol(session=session, rol=BEHEER_ROL)
    if beheerders is None and not os.environ.get(AUTH_ENV):
        return f"cli:{os.environ.get('USER') or 'onbekend'}"  # the first beheerder
    wie = actor()
    if wie == SERVICE or beheerders is None:
        return wie
    ik = session.get(Medewerker, wie)
    if ik is None or not ik.actief or ik.rol != BEHEER_ROL:
        if wie.startswith("cli:"):
            raise CliFout(
                "log eerst in als beheerder: PREFECT_API_AUTH_STRING=<id>:<wachtwoord> van "
                f"een medewerker met de rol {BEHEER_ROL}"
            )
        raise CliFout(f"'{wie}' heeft niet de rol {BEHEER_ROL} en beheert geen medewerkers")
    if wie == id and rol != ik.rol:
        raise CliFout(f"'{wie}' kan zichzelf geen andere rol geven; dat doet een andere beheerder")
    return wie


def medewerker_registreer(id: str, rol: str, wachtwoord: str | None = None) -> dict:
    """Register (or update) a medewerker; with `wachtwoord`, also its dashboard login (an
    Argon2id hash, deployments/gateway_auth.py; the password itself is stored nowhere), and
    every session of the old password ends (models/db/sessies.py)."""
    from deployments.gateway_auth import hash_wachtwoord
    from deployments.operations import actor, ensure_db
    from models.db.engine_store import audit
    from models.db.sessies import sessies_intrekken
    from models.db.store import registreer_medewerker, session_scope
    from models.settings import get_settings
    from models.toegang import SERVICE

    id = id.strip()
    if not id or len(id) > 64:
        raise CliFout("--id must be 1 to 64 characters")
    if id == SERVICE or ":" in id or "," in id:
        # The service identity's name, Basic auth's separator and the separator of a folded
        # header (a proxy's identity header) are no staff ids.
        raise CliFout(f"--id mag niet '{SERVICE}' zijn of een ':' of ',' bevatten")
    try:
        wachtwoord_hash = hash_wachtwoord(wachtwoord) if wachtwoord is not None else None
    except ValueError as exc:
        raise CliFout(str(exc)) from None
    ensure_db()
    with session_scope() as session:
        # Without logins (development on one's own machine) anyone is beheerder.
        wie = beheerder(session, id, rol) if get_settings().auth_aan else actor()
        m = registreer_medewerker(session=session, id=id, rol=rol)
        ingetrokken = 0
        if wachtwoord_hash:
            m.wachtwoord_hash = wachtwoord_hash
            session.add(m)
            session.flush()
            ingetrokken = sessies_intrekken(session=session, medewerker=id)
        audit(
            session=session,
            actor=wie,
            actie="medewerker_geregistreerd",
            details={
                "id": id,
                "rol": rol,
                "wachtwoord_gezet": bool(wachtwoord_hash),
                "sessies_beeindigd": ingetrokken,
            },
        )
    uit = {"id": id, "rol": rol}
    return uit | {"login": True} if wachtwoord_hash else uit


def lees_wachtwoord() -> str:
    """The password from a prompt (twice), or one line of stdin when it is no terminal (a
    script). Never an argument: the command line is visible to every user in `ps`."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    eerste = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != eerste:
        raise CliFout("de wachtwoorden verschillen")
    return eerste


def audit_lijst(zaak: str) -> list[dict]:
    """The audit trail of a zaak, oldest first. Reading it is logged too (and listed)."""
    from deployments.operations import actor, ensure_db
    from models.db.engine_store import audit
    from models.db.store import lees_zaak, session_scope
    from models.db.zaakoverzicht import audit_trail

    zaak = zaak.strip().upper()
    ensure_db()
    with session_scope() as session:
        if lees_zaak(session=session, key=zaak) is None:
            raise CliFout(f"zaak {zaak} does not exist")
        audit(
            session=session,
            actor=actor(),
            namens=_namens(),
            actie="audit_gelezen",
            zaak=zaak,
        )
        session.flush()
        events = audit_trail(session=session, zaak=zaak)
        return [
            {
                "tijd": e.tijd.isoformat(),
                "actor": e.actor,
                "namens": e.namens,
                "actie": e.actie,
                "zaak": e.zaak,
                "client_id": e.client_id,
                "details": e.details,
            }
            for e in events
        ]


def _namens() -> str | None:
    import os

    return os.environ.get("MEERZORG_NAMENS") or None


# Commands that show client-level data and do not log the read themselves: the CLI logs
# one audit event for them before they run (`zaak` and `audit` log their own reads).
CLIENT_READS = frozenset({"compliance", "voorbeelden"})


def log_client_read(args) -> None:
    from deployments.operations import actor, ensure_db
    from models.db.engine_store import audit
    from models.db.store import session_scope

    ensure_db()
    details = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in vars(args).items()
        if k not in ("func", "command") and v is not None
    }
    with session_scope() as session:
        audit(
            session=session,
            actor=actor(),
            namens=_namens(),
            actie=f"{args.command}_gelezen",
            details=details,
        )


def register(sub, out) -> None:
    p = sub.add_parser("medewerker", help="staff of the zorgkantoor and the CCE")
    msub = p.add_subparsers(dest="medewerker_command", required=True, parser_class=Parser)
    r = msub.add_parser("registreer", help="register a medewerker with a role")
    r.add_argument("--id", required=True)
    r.add_argument("--rol", required=True, choices=list(ROLLEN))
    r.add_argument(
        "--wachtwoord",
        action="store_true",
        help="set the dashboard login's password (prompted, or one line on stdin)",
    )
    r.set_defaults(
        func=lambda a: out(
            medewerker_registreer(a.id, a.rol, lees_wachtwoord() if a.wachtwoord else None)
        )
    )

    a = sub.add_parser("audit", help="the audit trail of a zaak (who, on whose behalf, what, when)")
    a.add_argument("zaak")
    a.set_defaults(func=lambda args: out(audit_lijst(args.zaak)))
