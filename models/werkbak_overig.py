"""The werkbak's tasks that are no zaak wait (issue 27): the zorgkantoor's contact tasks with
clients at home (N 2025, models/contact.py), the CCE's ontwikkeltrajecten at risk (R §10,
models/compliance.py via the werkvoorraad) and the meerzorgdialoog's waits (R §10,
models/dialoog_proces.py). Pure: rows in, the role's tasks (models/werkbak.Taak) out, each
with where it is done: the CLI command the werkvoorraad names for a contact or an
ontwikkeltraject, the dialoog run's Resume in Prefect. Who may do which is the owning rule's
own: CONTACT_ROLLEN for a contact, the CCE for its ontwikkeltraject, each dialoog wait's
declared `rollen` (models/toegang.mag_hervatten, the gateway's rule for the Resume). A
dialoog's row is read from its wait's declaration (DIALOOG.wachten): its deadline from the
timers the wait's `termijnen` names, its "since" from the step that brought it there."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.contact import CONTACT_ROLLEN, TAAK
from models.dialoog import BEREKEND, TERMIJN_NAAM
from models.dialoog_proces import DIALOOG
from models.engine import Wacht
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
    # Its open timers (not fired, not lapsed) as (timer kind, day): the wait's deadline is
    # the earliest of the kinds its declaration names (dialoog_termijn).
    termijnen: tuple[tuple[str, dt.date], ...] = ()
    wacht_key: str | None = None  # the run's pause key: a claim holds this wait only
    gehouden_op: dt.date | None = None  # the day the dialoog was held (its verslag)


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


# The dates a step of the dialoog records on its row when it happens: the invitation sent,
# the meerzorgplan received, the dialoog held (its verslag). Not the planned dates
# (meerzorgplan_uiterlijk, the dialoog's day: they lie ahead and move with the dialoog).
STAP_DATA = ("uitnodiging", "meerzorgplan_ontvangen", "gehouden_op")


def dialoog_termijn(d: OpenDialoog, wacht: Wacht) -> tuple[str | None, dt.date | None]:
    """The day that bounds the dialoog's wait `wacht` (its declaration): the earliest
    open timer among the kinds its `termijnen` names (on a tie the declared order), or the
    row's date such a timer is planned from where that date is the term (BEREKEND). With no
    open timer of its kinds, the dates they are planned from; else no deadline: a wait is
    never measured against another wait's dates."""
    kandidaten: list[tuple[dt.date, int, str]] = []
    for i, t in enumerate(wacht.termijnen):
        b = BEREKEND.get(t)
        if b is not None and b.altijd:
            kandidaten.append((getattr(d, b.veld), i, b.naam))
        else:
            kandidaten += [(datum, i, TERMIJN_NAAM.get(t, t)) for s, datum in d.termijnen if s == t]
    if not kandidaten:  # none of its timers open: the row's dates they are planned from
        kandidaten = [
            (getattr(d, BEREKEND[t].veld), i, BEREKEND[t].naam)
            for i, t in enumerate(wacht.termijnen)
            if t in BEREKEND
        ]
    if not kandidaten:
        return None, None
    datum, _, naam = min(kandidaten)
    return naam, datum


def dialoog_sinds(d: OpenDialoog) -> dt.date:
    """Since when the dialoog waits in its current wait: the latest date a step of it
    recorded (STAP_DATA), the step that brought it here. Chosen over the audit trail's
    transition (its time is when the step was entered, not the day it happened: a
    meerzorgplan received on Monday and recorded on Friday waits since Monday) and over
    `bijgewerkt` (a reminder, a postponement or a rejected form touches it too). Aanname: a
    step into a new wait records its day on the row (as each does now); one that does not
    would show the day of the step before it."""
    return max(v for v in (getattr(d, veld) for veld in STAP_DATA) if v is not None)


def dialoog_taken(
    dialogen: list[OpenDialoog], rol: str, peildatum: dt.date, run_url=None
) -> list[Taak]:
    """The open dialogen waiting on a wait this role may answer, each with its run's page
    (`run_url(flow_run_id)`, where Prefect's Resume answers it)."""
    uit = []
    for d in dialogen:
        if d.wacht_op is None or not doet_dialoog(rol, d.status):
            continue
        wacht = DIALOOG.wacht(d.status)
        sinds = dialoog_sinds(d)
        soort, datum = dialoog_termijn(d, wacht)
        wacht_op = wacht.wacht_op
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
                dagen_resterend=(datum - peildatum).days if datum is not None else None,
                signaal=signaal(datum, peildatum, DIALOOG_URGENT_DAGEN),
                soort="dialoog",
                waar=run_url(d.flow_run_id) if run_url and d.flow_run_id else None,
            )
        )
    return uit
