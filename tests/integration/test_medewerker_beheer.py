"""Managing accounts (issue 23, Logins): `meerzorg medewerker registreer` only by the
administering role (operations), or the service, or while there is none yet (bootstrap),
audited with who did it; nobody gives themselves another role. And the demo's logins each
with a password of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from models.db.store import session_scope
from models.db.tables import Medewerker

# The fixture `gateway` is imported (test_gateway.py's database: bo-1, bo-2, cce-1, an-1
# and ops-1, registered as the service).
# ruff: noqa: F811
from tests.integration.test_gateway import WACHTWOORD, audit, gateway, login  # noqa: F401

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "meerzorg"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "deployments.cli"]


def als(monkeypatch, auth: str | None) -> None:
    """The CLI's login for the next command (PREFECT_API_AUTH_STRING, as a script sets it)."""
    monkeypatch.setattr("deployments.aanmelding._ingelogd", {})
    if auth is None:
        monkeypatch.delenv("PREFECT_API_AUTH_STRING", raising=False)
    else:
        monkeypatch.setenv("PREFECT_API_AUTH_STRING", auth)


def medewerker(id: str) -> Medewerker | None:
    with session_scope() as session:
        return session.get(Medewerker, id)


def geregistreerd_door() -> list[tuple[str, str]]:
    return [(e.actor, e.details["id"]) for e in audit("medewerker_geregistreerd")]


def test_a_person_without_the_beheer_role_registers_nobody(gateway, monkeypatch):
    from deployments.cli_beheer import medewerker_registreer
    from deployments.errors import CliFout

    voor = geregistreerd_door()
    als(monkeypatch, f"bo-1:{WACHTWOORD}")
    with pytest.raises(CliFout, match="'bo-1' heeft niet de rol operations"):
        medewerker_registreer("bo-9", "operations", "een-lang-wachtwoord")
    with pytest.raises(CliFout, match="niet de rol operations"):
        medewerker_registreer("bo-1", "teamleider")  # nor promotes itself
    with pytest.raises(CliFout, match="niet de rol operations"):
        medewerker_registreer("bo-2", "beoordelaar", "overgenomen-wachtwoord")
    # Nothing changed: no account, no role, no password, no event.
    assert medewerker("bo-9") is None and medewerker("bo-1").rol == "beoordelaar"
    assert login(gateway[0], "bo-2", WACHTWOORD).status_code == 303
    assert geregistreerd_door() == voor


def test_operations_manages_accounts_in_its_own_name(gateway, monkeypatch):
    from deployments.cli_beheer import medewerker_registreer
    from deployments.errors import CliFout

    als(monkeypatch, f"ops-1:{WACHTWOORD}")
    assert medewerker_registreer("bo-9", "beoordelaar", "een-lang-wachtwoord")["login"]
    assert geregistreerd_door()[-1] == ("ops-1", "bo-9")
    with pytest.raises(CliFout, match="zichzelf geen andere rol"):
        medewerker_registreer("ops-1", "beoordelaar")
    assert medewerker("ops-1").rol == "operations"
    medewerker_registreer("ops-1", "operations", "mijn-nieuwe-wachtwoord")  # its own password


def test_without_a_login_only_the_first_beheerder_is_registered(gateway, monkeypatch):
    from deployments.cli_beheer import medewerker_registreer
    from deployments.errors import CliFout

    als(monkeypatch, None)  # no login, and no terminal to ask one at
    with pytest.raises(CliFout, match="log eerst in als beheerder"):
        medewerker_registreer("nieuw-1", "operations", "een-lang-wachtwoord")
    assert medewerker("nieuw-1") is None
    with session_scope() as session:  # no active operations any more: a fresh installation
        for m in session.exec(select(Medewerker).where(Medewerker.rol == "operations")):
            m.actief = False
            session.add(m)
    medewerker_registreer("beheer-1", "operations", "een-lang-wachtwoord")
    wie = f"cli:{os.environ.get('USER') or 'onbekend'}"
    assert geregistreerd_door()[-1] == (wie, "beheer-1")
    # From now on the bootstrap is over: no login, no account.
    with pytest.raises(CliFout, match="log eerst in als beheerder"):
        medewerker_registreer("nieuw-2", "operations", "een-lang-wachtwoord")


def test_without_logins_development_stays_open(gateway, monkeypatch):
    from deployments.cli_beheer import medewerker_registreer

    monkeypatch.setenv("MEERZORG_AUTH", "uit")
    monkeypatch.setenv("MEERZORG_MEDEWERKER", "ontwikkelaar")
    als(monkeypatch, None)
    medewerker_registreer("dev-1", "teamleider")
    assert geregistreerd_door()[-1] == ("ontwikkelaar", "dev-1")


def test_the_cli_refuses_with_one_line_and_exit_2(gateway, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_AUTH")}
    env["PREFECT_API_AUTH_STRING"] = f"an-1:{WACHTWOORD}"
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    p = subprocess.run(
        [*COMMAND, "medewerker", "registreer", "--id", "an-1", "--rol", "operations"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert p.returncode == 2 and p.stdout == "", p.stderr
    assert p.stderr.splitlines() == [
        "meerzorg: 'an-1' heeft niet de rol operations en beheert geen medewerkers"
    ]
    assert medewerker("an-1").rol == "analist"


def test_each_demo_login_has_a_password_of_its_own(gateway, monkeypatch):
    from deployments.up import DEMO_LOGINS, demo_login_regels, demo_logins_registreren
    from models.settings import get_settings

    client, _ = gateway
    wachtwoorden = demo_logins_registreren()  # as `meerzorg up --demo` does (the service)
    assert set(wachtwoorden) == {wie for wie, _ in DEMO_LOGINS}
    assert len(set(wachtwoorden.values())) == len(DEMO_LOGINS)  # was: one for all six
    bestand = get_settings().data_dir / "demo-wachtwoorden"
    assert bestand.stat().st_mode & 0o777 == 0o600
    assert demo_logins_registreren() == wachtwoorden  # kept: the same at the next start
    regels = demo_login_regels()
    assert all(f"{wie} " in regels and pw in regels for wie, pw in wachtwoorden.items())
    cce = wachtwoorden["demo-cce"]
    assert login(client, "demo-beoordelaar", cce).status_code == 401
    assert login(client, "demo-beoordelaar", wachtwoorden["demo-beoordelaar"]).status_code == 303
