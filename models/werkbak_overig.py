"""The werkbak's tasks that are no zaak wait (issue 27): the zorgkantoor's contact tasks with
clients at home (N 2025, models/contact.py), the CCE's ontwikkeltrajecten at risk (R §10,
models/compliance.py via the werkvoorraad) and the meerzorgdialoog's waits (R §10,
models/dialoog_proces.py). Pure: rows in, the role's tasks (models/werkbak.Taak) out, each
with where it is done: the CLI command the werkvoorraad names for a contact or an
ontwikkeltraject, the dialoog run's Resume in Prefect. Who may do which is the owning rule's
own: CONTACT_ROLLEN for a contact, the CCE for its ontwikkeltraject, each dialoog wait's
declared `rollen` (models/toegang.mag_hervatten, the gateway's rule for the Resume)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.contact import CONTACT_ROLLEN, TAAK
from models.dialoog_proces import DIALOOG
from models.overgang import BESCHIKKING_ACTIEF
from models.toegang import mag_hervatten
from models.werkbak import ONTWIKKELTRAJECT, Taak, korte_uitleg
from models.werkvoorraad import CCE_RISICO, URGENT_DAGEN, Rij, WachtendeZaak, signaal

DIALOOG_KEY = re.compile(r"^dialoog-([0-9A-Za-z]{1,8})-(\d{4})$")
CCE_ROLLEN = ("cce",)  # R §10: the ontwikkeltraject is the CCE's work (werkvoorraad --rol cce)
# Days before the verslag's or the plan's day at which a dialoog's wait turns urgent (aanname).
DIALOOG_URGENT_DAGEN = URGENT_DAGEN


@dataclass(frozen=True, slots=True)
class OpenDialoog:
    """What the werkbak needs of an open meerzorgdialoog (a row of the dialoog table)."""

    key: str  # dialoog-AGB-JAAR (models/dialoog.dialoog_key)
    status: str
    wacht_op: str | None
    uitnodiging: dt.date
    meerzorgplan_uiterlijk: dt.date
    dialoog: dt.date
    meerzorgplan_ontvangen: dt.date | None
    flow_run_id: str | None
    # The open verslag reminder (models/dialoog.verslag_termijn): when the verslag is due.
    verslag_uiterlijk: dt.date | None = None
    wacht_key: str | None = None  # the run's pause key: a claim holds this wait only


def dialoog_uit_key(key: str) -> tuple[str, int] | None:
    """(agb, jaar) of a dialoog key (models/dialoog.dialoog_key), or None: no dialoog key."""
    m = DIALOOG_KEY.match(key)
    return (m[1], int(m[2])) if m else None


def doet_contact(rol: str) -> bool:
    """Zorgkantoor staff record a contact: every registered role but the CCE and operations."""
    return rol in CONTACT_ROLLEN


def doet_ontwikkeltraject(rol: str) -> bool:
    return rol in CCE_ROLLEN


def doet_dialoog(rol: str, status: str) -> bool:
    """A wait of the dialoog whose declared roles include hers."""
    return DIALOOG.wacht(status) is not None and mag_hervatten(rol, "dialoog", status) is None


def dialoog_statussen(rol: str) -> list[str]:
    return [str(w.status) for w in DIALOOG.wachten if doet_dialoog(rol, w.status)]


def soorten_voor(rol: str) -> list[str]:
    """The werkbak's wacht_op values of the non-wait tasks this role may do (the filter)."""
    uit = [TAAK] if doet_contact(rol) else []
    uit += [ONTWIKKELTRAJECT] if doet_ontwikkeltraject(rol) else []
    return uit + [w.wacht_op for w in DIALOOG.wachten if doet_dialoog(rol, w.status)]


def contact_opdracht(zaak: str, client_id: str | None) -> str:
    return (
        f"meerzorg contact {zaak} --client {client_id or 'CLIENT'} "
        "--bevinding verantwoord|zorgen|'niet verantwoord'"
    )


def ontwikkeltraject_opdracht(zaak: str, client_id: str) -> str:
    return f"meerzorg ontwikkeltraject {zaak} --client {client_id} --bijeenkomst-1 DATUM"


def _taak(**velden) -> Taak:
    return Taak(houder=None, **velden)


def contact_taken(rijen: list[Rij], rol: str) -> list[Taak]:
    """The werkvoorraad's contact rows (models/werkvoorraad.taak_rijen), one per client."""
    if not doet_contact(rol):
        return []
    return [
        _taak(
            zaak=r.zaak,
            status=r.status,
            wacht_op=TAAK,
            uitleg=korte_uitleg(TAAK),
            wacht_sinds=r.wacht_sinds,
            dagen_wachtend=r.dagen_wachtend,
            termijn=r.termijn,
            termijn_datum=r.termijn_datum,
            dagen_resterend=r.dagen_resterend,
            signaal=r.signaal,
            soort="contact",
            client_id=r.client_id,
            opdracht=contact_opdracht(r.zaak, r.client_id),
        )
        for r in rijen
        if r.taak == TAAK
    ]


def cce_taken(zaken: list[WachtendeZaak], rol: str, peildatum: dt.date) -> list[Taak]:
    """One task per client of a running beschikking whose ontwikkeltraject is at risk or
    overdue (the werkvoorraad's `--rol cce` rows), due on the CCE rule's last day."""
    if not doet_ontwikkeltraject(rol):
        return []
    uit = []
    for z in zaken:
        if z.status not in BESCHIKKING_ACTIEF:
            continue
        sinds = z.wacht_sinds or z.ingediend_op
        for c in sorted(z.cce, key=lambda c: c.client_id):
            if c.status not in CCE_RISICO:
                continue
            uit.append(
                _taak(
                    zaak=z.key,
                    status=z.status,
                    wacht_op=ONTWIKKELTRAJECT,
                    uitleg=korte_uitleg(ONTWIKKELTRAJECT),
                    wacht_sinds=sinds,
                    dagen_wachtend=max(0, (peildatum - sinds).days),
                    termijn="ontwikkeltraject",
                    termijn_datum=c.uiterlijk,
                    dagen_resterend=(c.uiterlijk - peildatum).days,
                    signaal=signaal(c.uiterlijk, peildatum, URGENT_DAGEN),
                    soort="ontwikkeltraject",
                    client_id=c.client_id,
                    opdracht=ontwikkeltraject_opdracht(z.key, c.client_id),
                )
            )
    return uit


def dialoog_termijn(d: OpenDialoog) -> tuple[str, dt.date]:
    """The day that bounds the dialoog's wait: the meerzorgplan's due date while it is
    awaited; after it the verslag's (its open reminder), else the dialoog's own date."""
    if d.status == "uitgenodigd":
        return "meerzorgplan_uiterlijk", d.meerzorgplan_uiterlijk
    if d.verslag_uiterlijk is not None:
        return "verslag_uiterlijk", d.verslag_uiterlijk
    return "dialoog_datum", d.dialoog


def dialoog_taken(
    dialogen: list[OpenDialoog], rol: str, peildatum: dt.date, run_url=None
) -> list[Taak]:
    """The open dialogen waiting on a wait this role may answer, each with its run's page
    (`run_url(flow_run_id)`, where Prefect's Resume answers it)."""
    uit = []
    for d in dialogen:
        if d.wacht_op is None or not doet_dialoog(rol, d.status):
            continue
        sinds = d.meerzorgplan_ontvangen if d.status == "plan_ontvangen" else d.uitnodiging
        sinds = sinds or d.uitnodiging
        soort, datum = dialoog_termijn(d)
        wacht_op = DIALOOG.wacht(d.status).wacht_op
        uit.append(
            _taak(
                zaak=d.key,
                status=d.status,
                wacht_op=wacht_op,
                uitleg=korte_uitleg(d.wacht_op if d.wacht_op.startswith(wacht_op) else wacht_op),
                wacht_sinds=sinds,
                dagen_wachtend=max(0, (peildatum - sinds).days),
                termijn=soort,
                termijn_datum=datum,
                dagen_resterend=(datum - peildatum).days,
                signaal=signaal(datum, peildatum, DIALOOG_URGENT_DAGEN),
                soort="dialoog",
                waar=run_url(d.flow_run_id) if run_url and d.flow_run_id else None,
            )
        )
    return uit
