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

import dataclasses
import datetime as dt
from collections.abc import Iterable

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
    {
        S.PASSENDE_OVERGANG,
        S.AFGEWEZEN,
        S.BUITEN_BEHANDELING,
        *(s for s in S if s.value.startswith("bezwaar")),
    }
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
    """N 2025: when a thuis verlenging ends without meerzorg (afwijzing, buiten behandeling)
    the zorgkantoor keeps contact with each client at home: a first contact moment within
    `contact_na_afwijzing_eerste_weken`; each moment plans the next one
    `contact_na_afwijzing_interval_weken` later (`contact_na_afwijzing`) until a contact
    found the situation `verantwoord` after the running beschikking ended (numbers: aanname,
    the memo gives none). Empty for anything else than a thuis verlenging."""
    if not _thuis_verlenging(stand):
        return ()
    eerste = peildatum + dt.timedelta(weeks=beleid.termijnen.contact_na_afwijzing_eerste_weken)
    return tuple(
        Termijn(NA_AFWIJZING, eerste, c.client_id, aan_wacht=False)
        for c in stand.aanvraag.clienten
        if c.leveringsvorm in ("mpt", "pgb")
    )


def _thuis_verlenging(stand: Stand) -> bool:
    return stand.aanvraag.soort == "verlenging" and stand.aanvraag.is_thuis


def lopend_einde(stand: Stand, context: dict | None = None) -> dt.date:
    """The last day of the running beschikking a thuis verlenging continues: the one the
    case database knows (`context["lopend_einde"]`, the zaak the verlenging continues), else
    the day before the verlenging's requested start (aanname: a verlenging asks to continue
    without a gap, R §11: tijdig, geen terugwerkende kracht)."""
    einde = (context or {}).get("lopend_einde")
    if isinstance(einde, str):
        einde = dt.date.fromisoformat(einde)
    return einde or stand.aanvraag.gevraagde_start - dt.timedelta(days=1)


def overgang_uiterlijk(stand: Stand, peildatum: dt.date, beleid: Beleid) -> dt.date:
    """N 2025: the passende overgang is arranged by the day the running beschikking ends, so
    the client is not left without care; when that day has passed (or is today), within
    `passende_overgang_weken` (aanname: the memo gives no term)."""
    einde = lopend_einde(stand)
    if einde > peildatum:
        return einde
    return peildatum + dt.timedelta(weeks=beleid.termijnen.passende_overgang_weken)


def thuis_overgang(stand: Stand, peildatum: dt.date, beleid: Beleid) -> tuple[dict, tuple]:
    """N 2025: what every way a thuis verlenging ends without meerzorg plans (the afwijzing,
    the aanvraag buiten behandeling): the passende overgang with its deadline, the message to
    the zorgkantoor's staff, and the contact moments. Returns what the besluit's record adds
    and the effects. aanname: the first contact is due by the overgang's deadline too."""
    uiterlijk = overgang_uiterlijk(stand, peildatum, beleid)
    clienten = ", ".join(c.client_id for c in stand.aanvraag.clienten)
    extra = {"contact_client_gepland": True, "contact_client_uiterlijk": uiterlijk}
    return extra, (
        Termijn("passende_overgang_uiterlijk", uiterlijk, aan_wacht=False),
        Bericht(
            "passende_overgang_thuis", kanaal="operations", context={"uiterlijk": str(uiterlijk)}
        ),
        Bericht(
            "contact_client_thuis",
            kanaal="operations",
            context={"uiterlijk": uiterlijk.isoformat(), "clienten": clienten},
        ),
        *contactmomenten_na_afwijzing(stand, peildatum, beleid),
    )


def contact_afgerond(contacten, einde: dt.date) -> bool:
    """N 2025: the contact after a thuis verlenging ended without meerzorg stops once a
    contact found the situation verantwoord after the running beschikking ended (aanname:
    before that day the client still had the care, so it proves nothing about after)."""
    return any(
        c["bevinding"] == "verantwoord" and _datum(c["datum"]) > einde for c in contacten or ()
    )


def _datum(d) -> dt.date:
    return d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))


def contact_na_afwijzing(
    stand: Stand, datum: dt.date, client_id: str | None, context: dict
) -> Overgang | None:
    """A contact moment after a thuis verlenging ended without meerzorg: the task for staff
    and the next moment, until the contact is done (`contact_afgerond`; `context["contacten"]`:
    the client's recorded contacts, read by tasks/zaak.deadline_context)."""
    if contact_afgerond(context.get("contacten"), lopend_einde(stand, context)):
        return None
    o = contact_taak(stand, datum, client_id, context)
    interval = beleid_op(datum).termijnen.contact_na_afwijzing_interval_weken
    volgende = Termijn(
        NA_AFWIJZING, datum + dt.timedelta(weeks=interval), client_id, aan_wacht=False
    )
    return dataclasses.replace(o, effecten=(*o.effecten, volgende))


def opvolg_taken(
    client_ids: Iterable[str], peildatum: dt.date, beleid: Beleid | None = None
) -> tuple[Termijn, ...]:
    """N 2025: a signal (no fitting care possible, a situation not verantwoord) is a task for
    zorgkantoor staff with a due date, per client, in the werkvoorraad `contact`, besides the
    alert to operations; a contact with the client closes it (as any contact task)."""
    dagen = (beleid or beleid_op(peildatum)).termijnen.contact_taak_dagen
    uiterlijk = peildatum + dt.timedelta(days=dagen)
    return tuple(Termijn(TAAK_SOORT, uiterlijk, c, aan_wacht=False) for c in client_ids)


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
    # N 2025: `niet verantwoord` is an alert and a task for staff to follow it up.
    signaal = (
        (
            Bericht("contact_niet_verantwoord", "operations", bericht, contact["client_id"]),
            *opvolg_taken((contact["client_id"],), contact["datum"]),
        )
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
