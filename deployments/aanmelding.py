"""Who runs the command line (issue 14): the login signs, on the CLI as in the dashboard.

With the front door on (MEERZORG_AUTH=aan, the default), a command that acts for a person
(a decision, a bezwaar step, a mutation, a contact, an extension of the beslistermijn) runs
under the login of PREFECT_API_AUTH_STRING="id:wachtwoord", checked against the case
database as the gateway checks it, or asked at a terminal. The same credential then goes
with every call to the Prefect API, so the gateway sees the same login. A typed
`--beoordelaar` or `--behandelaar` that differs from the login is refused: one person
cannot act as another, so four eyes are two logins. The service credential
("meerzorg-service:<token>") runs the system's own commands (sweep, import, reports) and
is never a person. Development without the door (MEERZORG_AUTH=uit) keeps the old
self-declared MEERZORG_MEDEWERKER."""

from __future__ import annotations

import hmac
import os
import sys

from deployments.errors import CliFout
from models.settings import get_settings
from models.toegang import SERVICE

AUTH_ENV = "PREFECT_API_AUTH_STRING"
# Dual control at one keyboard: the second beoordelaar of an instroom logs in as well.
TWEEDE_AUTH_ENV = "MEERZORG_TWEEDE_AUTH_STRING"

_ingelogd: dict[str, str] = {}


def _vraag_login(wie: str | None = None) -> str | None:
    """id:wachtwoord from a prompt at a terminal, else None (a script must set the env)."""
    import getpass

    if not sys.stdin.isatty():
        return None
    standaard = wie or os.environ.get("MEERZORG_MEDEWERKER", "")
    prompt = f"Medewerker-id [{standaard}]: " if standaard else "Medewerker-id: "
    id_ = (wie or input(prompt).strip() or standaard).strip()
    wachtwoord = getpass.getpass(f"Wachtwoord van {id_}: ")
    return f"{id_}:{wachtwoord}"


def controleer(auth: str) -> str:
    """The id behind an auth string, or CliFout with one line when it does not check out."""
    from deployments.gateway_auth import actieve_medewerker, service_token, wachtwoord_klopt

    wie, _, wachtwoord = auth.partition(":")
    wie = wie.strip()
    if wie == SERVICE:
        if not hmac.compare_digest(wachtwoord.encode(), service_token().encode()):
            raise CliFout("de dienst-credential klopt niet (PREFECT_API_AUTH_STRING)")
        return SERVICE
    m = actieve_medewerker(wie) if wie else None
    # The check runs for an unknown id as well (a dummy hash): no faster "unknown" answer.
    if not wachtwoord_klopt(m[1] if m else None, wachtwoord) or m is None:
        raise CliFout(f"inloggen mislukt voor '{wie}': onbekend id of verkeerd wachtwoord")
    return wie


def ingelogd(persoon: bool = True) -> str:
    """The login running this command. `persoon`: the command acts for a person, so the
    service credential will not do."""
    if "id" not in _ingelogd:
        auth = os.environ.get(AUTH_ENV) or _vraag_login()
        if not auth:
            if not persoon:
                return f"cli:{os.environ.get('USER') or 'onbekend'}"
            raise CliFout(
                "log eerst in: zet PREFECT_API_AUTH_STRING=<id>:<wachtwoord> of start de "
                "opdracht in een terminal (MEERZORG_AUTH=aan)"
            )
        _ingelogd["id"] = controleer(auth)
        os.environ[AUTH_ENV] = auth  # the Prefect client sends it to the gateway as well
    wie = _ingelogd["id"]
    if persoon and wie == SERVICE:
        raise CliFout(
            "deze opdracht handelt namens een medewerker: log in met uw eigen id "
            "(PREFECT_API_AUTH_STRING=<id>:<wachtwoord>), niet met de dienst-credential"
        )
    return wie


def actor(persoon: bool = False) -> str:
    """Who acts, for the audit trail and the role rules."""
    if not get_settings().auth_aan:
        return os.environ.get("MEERZORG_MEDEWERKER") or os.environ.get("USER") or "cli"
    return ingelogd(persoon)


def ondertekenaar(getypt: str | None, veld: str = "--beoordelaar") -> str:
    """Who signs: the login (a typed id that differs is refused), or without the door the
    typed id, else MEERZORG_MEDEWERKER."""
    getypt = (getypt or "").strip() or None
    if not get_settings().auth_aan:
        return getypt or actor()
    wie = ingelogd(persoon=True)
    if getypt and getypt != wie:
        raise CliFout(
            f"u bent ingelogd als {wie}: {veld} {getypt} kan niet (de login ondertekent; "
            "vier ogen zijn twee logins)"
        )
    return wie


def tweede_login(getypt: str | None) -> str | None:
    """The second pair of eyes at the same keyboard: its own login (MEERZORG_TWEEDE_AUTH_STRING
    or a prompt), which must differ from the first."""
    if getypt is None or not get_settings().auth_aan:
        return getypt
    auth = os.environ.get(TWEEDE_AUTH_ENV) or _vraag_login(getypt.strip())
    if not auth:
        raise CliFout(
            f"de tweede beoordelaar {getypt} logt zelf in: zet {TWEEDE_AUTH_ENV}=<id>:<wachtwoord>"
        )
    wie = controleer(auth)
    if wie != getypt.strip():
        raise CliFout(f"--tweede-beoordelaar {getypt} is niet de tweede login ({wie})")
    if wie == ingelogd(persoon=True):
        raise CliFout("vier ogen zijn twee verschillende logins")
    return wie


def vergeet() -> None:
    """Forget the login (tests run several commands in one process)."""
    _ingelogd.clear()


def besluitdatum(peildatum, vandaag_) -> None:
    """A person's besluit is dated the day it is taken (issue 25): with the door on, a
    command acting for a person refuses another --peildatum (only the service passes one,
    for a backfill; the gateway refuses it on a Resume the same way)."""
    if peildatum is not None and peildatum != vandaag_ and get_settings().auth_aan:
        raise CliFout(
            f"--peildatum {peildatum}: de datum van een besluit is de dag waarop het wordt "
            f"genomen ({vandaag_}); een andere datum kan alleen de dienst meegeven"
        )
