"""Reads of the staff table (medewerker) beside models/db/store.py's registration and roles:
whether anybody active holds a role, for `meerzorg medewerker registreer`'s bootstrap
(deployments/cli_beheer.beheerder). Takes the caller's session."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import Medewerker


def een_met_rol(*, session: Session, rol: str) -> str | None:
    """The id of an active medewerker with `rol`, any one; None when nobody has it."""
    return session.exec(
        select(Medewerker.id).where(Medewerker.rol == rol, Medewerker.actief)
    ).first()
