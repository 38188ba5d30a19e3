"""The zorgkantoor's own contact with clients at home, as pure rules (N 2025: "zorgkantoren
houden periodiek contact met deze cliënten om te bezien of de situatie verantwoord is",
above all after a rejected thuis verlenging). The contact is a *task for zorgkantoor staff*,
not a message to the provider:

- a contact moment (timer `periodiek_contact` of a running thuis beschikking, or
  `contact_na_afwijzing` after a rejected thuis verlenging) opens a task: an open timer row
  of soort `contact_client` for the client, due `contact_taak_dagen` later, and a message to
  operations (the zorgkantoor's staff);
- the task shows in the werkvoorraad (view `contact`) until a contact with that client is
  recorded with its bevinding; a task past its day escalates to operations once and stays
  open (its row is then `gevuurd`, not `afgehandeld`);
- only zorgkantoor staff record the contact: a registered medewerker who is not CCE.

No Prefect, no database."""

from __future__ import annotations

import datetime as dt

from models.beleid import Beleid, beleid_op
from models.engine import (
    Bericht,
    OngeldigeInvoer,
    Overgang,
    Termijn,
    invoer_datum,
    medewerker_met_rol,
)
from models.overgang import ROLLEN, ContactVastgelegd, Stand, ZaakOvergang
from models.overgang import ZaakStatus as S

BEVINDINGEN = ("verantwoord", "zorgen", "niet verantwoord")
# R §10: the CCE advises and never acts for the zorgkantoor towards a client; every other
# registered role is zorgkantoor staff (aanname, issue 13: "a medewerker whose role is not CCE").
CONTACT_ROLLEN = tuple(r for r in ROLLEN if r not in ("cce", "operations"))
TAAK = "contact-client"  # the werkvoorraad's name of the task (its `wacht_op` and `taak`)
TAAK_SOORT = "contact_client"  # the timer row that is the open task, due on its datum
NA_AFWIJZING = "contact_na_afwijzing"
# The task and the contact moments after an afwijzing outlive the zaak's closing: a client
# whose verlenging was rejected is still at home after the zaak closes (N 2025).
BLIJFT_NA_SLUITEN = frozenset({TAAK_SOORT, NA_AFWIJZING})
# Where a contact moment after a rejected thuis verlenging still applies: the bezwaartermijn
# and a bezwaar being handled (every bezwaar status: the afwijzing stands meanwhile), the
# passende overgang and the closed zaak after it. A new assessment (beoordeling) or a
# toekenning after all (lopend: the beschikking's own periodiek_contact) makes it lapse.
NA_AFWIJZING_STATUSSEN = frozenset(
    {S.PASSENDE_OVERGANG, S.AFGEWEZEN, *(s for s in S if s.value.startswith("bezwaar"))}
)
ALLE_STATUSSEN = frozenset(S)
# Task rows that are still open: not yet due, or due and escalated but not done.
TAAK_OPEN = ("open", "gevuurd")
TAAK_AFGEHANDELD = "afgehandeld"


def contact_taak(stand: Stand, datum: dt.date, client_id: str | None, context: dict) -> Overgang:
    """A contact moment is due: a task for zorgkantoor staff, on operations (N 2025), not a
    message to the provider. The zaak keeps its wait (nothing for the provider to answer)."""
    beleid = beleid_op(datum)
    uiterlijk = datum + dt.timedelta(days=beleid.termijnen.contact_taak_dagen)
    bericht = {"client_id": client_id, "uiterlijk": uiterlijk.isoformat()}
    return ZaakOvergang(
        status=stand.status,
        actie="contact_taak_geopend",
        nieuwe_wacht=False,
        details={"client_id": client_id, "uiterlijk": uiterlijk.isoformat()},
        effecten=(
            Termijn(TAAK_SOORT, uiterlijk, client_id, aan_wacht=False),
            Bericht("periodiek_contact", "operations", client_id=client_id, context=bericht),
        ),
    )


def contact_taak_verlopen(
    stand: Stand, datum: dt.date, client_id: str | None, context: dict
) -> Overgang:
    """The task's day passed without a recorded contact: operations hears it once; the task
    stays open in the werkvoorraad until the contact is recorded (aanname)."""
    bericht = {"client_id": client_id, "uiterlijk": datum.isoformat()}
    return ZaakOvergang(
        status=stand.status,
        actie="contact_taak_verlopen",
        nieuwe_wacht=False,
        details={"client_id": client_id, "uiterlijk": datum.isoformat()},
        effecten=(
            Bericht("contact_taak_verlopen", "operations", client_id=client_id, context=bericht),
        ),
    )


def contactmomenten_na_afwijzing(
    stand: Stand, peildatum: dt.date, beleid: Beleid
) -> tuple[Termijn, ...]:
    """N 2025: after a rejected thuis verlenging the zorgkantoor keeps contact with each client
    at home for the length of the passende overgang (to `passende_overgang_weken` after the
    afwijzing, as models/besluit.afwijzing plans it): a first contact within
    `contact_na_afwijzing_eerste_weken`, then every `contact_na_afwijzing_interval_weken`
    (numbers: aanname, the memo gives none). Empty for anything else than a thuis verlenging."""
    a = stand.aanvraag
    if a.soort != "verlenging" or not a.is_thuis:
        return ()
    t = beleid.termijnen
    einde = peildatum + dt.timedelta(weeks=t.passende_overgang_weken)
    datums = []
    datum = peildatum + dt.timedelta(weeks=t.contact_na_afwijzing_eerste_weken)
    while datum <= einde:
        datums.append(datum)
        datum += dt.timedelta(weeks=t.contact_na_afwijzing_interval_weken)
    return tuple(
        Termijn(NA_AFWIJZING, d, c.client_id, aan_wacht=False)
        for c in a.clienten
        if c.leveringsvorm in ("mpt", "pgb")
        for d in datums
    )


def controleer_medewerker(medewerker: str, rollen: dict[str, str] | None) -> str:
    """Only zorgkantoor staff record a contact: a registered, active medewerker who is not
    CCE. `rollen` None: not checked (a pure caller without the staff list)."""
    return medewerker_met_rol(
        medewerker,
        rollen,
        CONTACT_ROLLEN,
        als="medewerker",
        mag_niet="legt geen contact vast: alleen het zorgkantoor legt het contact met de "
        "client vast (N 2025, R §10)",
        leeg="vul het id van de medewerker van het zorgkantoor in",
    )


def valideer_contact(
    invoer: dict, clienten: set[str], rollen: dict[str, str] | None, peildatum: dt.date
) -> dict:
    """A recorded contact: client of this zaak, by zorgkantoor staff, on a day not in the
    future, with a bevinding; a bevinding other than `verantwoord` needs a verslag saying
    why (aanname: a concern must be traceable)."""
    client_id = (invoer.get("contact_client") or "").strip()
    if client_id not in clienten:
        raise OngeldigeInvoer(f"client {client_id} hoort niet bij deze zaak")
    medewerker = controleer_medewerker(invoer.get("ingediend_door") or "", rollen)
    bevinding = invoer.get("contact_bevinding") or "verantwoord"
    if bevinding not in BEVINDINGEN:
        raise OngeldigeInvoer("kies bij de bevinding: verantwoord, zorgen of niet verantwoord")
    datum = invoer_datum(invoer.get("contact_datum"), "contactdatum") or peildatum
    if datum > peildatum:
        raise OngeldigeInvoer(f"de contactdatum {datum.isoformat()} ligt in de toekomst")
    verslag = (invoer.get("contact_verslag") or "").strip()
    if bevinding != "verantwoord" and not verslag:
        raise OngeldigeInvoer(f"licht de bevinding '{bevinding}' toe in het verslag")
    return {
        "client_id": client_id,
        "datum": datum,
        "verslag": verslag[:4000],
        "bevinding": bevinding,
        "medewerker": medewerker,
    }


def contact_vastgelegd(
    status: str, contact: dict, wacht_op: str | None = None, nieuwe_wacht: bool = False
) -> Overgang:
    """The contact recorded (models/db/zaak_store.py stores it and closes the client's open
    contact tasks); `niet verantwoord` signals operations (N 2025: signal what is not
    responsible). The verslag stays in the database: not in the audit trail or messages.
    `nieuwe_wacht`: answered on the run's form, which then waits under a new key."""
    bericht = {"client_id": contact["client_id"], "datum": contact["datum"].isoformat()}
    signaal = (
        (Bericht("contact_niet_verantwoord", "operations", bericht, contact["client_id"]),)
        if contact["bevinding"] == "niet verantwoord"
        else ()
    )
    return ZaakOvergang(
        status=status,
        actie="periodiek_contact_geregistreerd",
        nieuwe_wacht=nieuwe_wacht,
        wacht_op=wacht_op,
        details={
            "client_id": contact["client_id"],
            "datum": contact["datum"].isoformat(),
            "bevinding": contact["bevinding"],
            "medewerker": contact["medewerker"],
        },
        effecten=(ContactVastgelegd(contact), *signaal),
    )
