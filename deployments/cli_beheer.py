"""Staff and roles: `meerzorg medewerker registreer --id ID --rol ROL`."""

from __future__ import annotations

from deployments.errors import CliFout
from models.proces import ROLLEN


def medewerker_registreer(id: str, rol: str) -> dict:
    from deployments.operations import _actor, ensure_db
    from models.store import audit, registreer_medewerker, session_scope

    id = id.strip()
    if not id or len(id) > 64:
        raise CliFout("--id must be 1 to 64 characters")
    ensure_db()
    with session_scope() as session:
        registreer_medewerker(session=session, id=id, rol=rol)
        audit(
            session=session,
            actor=_actor(),
            actie="medewerker_geregistreerd",
            details={"id": id, "rol": rol},
        )
    return {"id": id, "rol": rol}


def register(sub, out) -> None:
    from deployments.cli import _Parser

    p = sub.add_parser("medewerker", help="staff of the zorgkantoor and the CCE")
    msub = p.add_subparsers(dest="medewerker_command", required=True, parser_class=_Parser)
    r = msub.add_parser("registreer", help="register a medewerker with a role")
    r.add_argument("--id", required=True)
    r.add_argument("--rol", required=True, choices=list(ROLLEN))
    r.set_defaults(func=lambda a: out(medewerker_registreer(a.id, a.rol)))
