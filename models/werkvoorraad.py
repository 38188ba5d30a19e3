"""The werkvoorraad (work queue): every waiting zaak with what it waits for, since when, and
the deadline that matters for that wait, oldest first. Pure: plain data in, rows out; the
flow (flows/werkvoorraad.py) and the CLI (`meerzorg werkvoorraad`) read the database and
render the rows. Zaak keys and codes only, never a name or BSN."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from models.beleid import Beleid, BeleidsFout, beleid_op, beleid_versie
from models.contact import TAAK, TAAK_SOORT
from models.dwangsom import Ingebrekestelling
from models.dwangsom import overzicht as dwangsom_overzicht
from models.overgang import BEZWAAR_STATUSSEN
from models.planner import beslistermijn_van
from models.proces import ZAAK

# The waits an assessor acts on (the four-eyes second decision too).
BEOORDELING = frozenset(w.wacht_op for w in ZAAK.wachten if w.rol == "beoordelaar")
# The waits of a bezwaar (models/bezwaar.py): the view of the zorgkantoor's bezwaar staff.
BEZWAAR = frozenset(
    w.wacht_op
    for w in ZAAK.wachten
    if w.status in BEZWAAR_STATUSSEN or w.status == "bezwaartermijn"
)
# "contact": zorgkantoor staff who keep the contact with clients at home (N 2025);
# "bezwaar": the bezwaar staff (Awb 7:5).
ROLLEN = ("beoordelaar", "cce", "contact", "bezwaar", "analist")

# wacht_op -> the timer rows (by soort) that bound that wait, as each wait declares them
# (models/proces.py). "ontwikkeltraject" is the CCE rule's last day (models/compliance.py)
# of the zaak's clients; "beslistermijn" the Awb 4:13 term, computed from receipt.
TERMIJN_VOOR = {k: v for k, v in ZAAK.termijnen().items() if "beslistermijn" not in v}
CCE_RISICO = ("risico", "overtreding")
# Days before a deadline at which a row turns "urgent" when the policy names no other value.
URGENT_DAGEN = 14
# A contact task is due two weeks after it opens: urgent in its last days (aanname).
CONTACT_URGENT_DAGEN = 3


@dataclass(frozen=True, slots=True)
class CceStatus:
    """The CCE ontwikkeltraject status of one client (models.compliance.status)."""

    client_id: str
    status: str  # ok | risico | overtreding
    uiterlijk: dt.date


@dataclass(frozen=True, slots=True)
class WachtendeZaak:
    """What the werkvoorraad needs of a zaak (a row of the zaak table, pseudonymous)."""

    key: str
    status: str
    wacht_op: str
    ingediend_op: dt.date
    wacht_sinds: dt.date | None = None
    wacht_key: str | None = None
    agb: str = ""
    leveringsvorm: str = ""
    flow_run_id: str | None = None
    beleidsversie: str | None = None
    laatste_fout: str | None = None
    cce: tuple[CceStatus, ...] = ()
    # Awb 4:15: days the beslistermijn was suspended while the aanvraag was in herstel.
    opgeschort_dagen: int = 0
    # Awb 4:14: days the beslistermijn was extended.
    verlengd_dagen: int = 0
    # A fact the person at the wait must know (models/bijstelling.werkvoorraad_feit).
    feit: str | None = None
    # Awb 4:17: its ingebrekestelling, if any (the dwangsom to date follows from it).
    ingebrekestelling: Ingebrekestelling | None = None


@dataclass(frozen=True, slots=True)
class OpenTermijn:
    """An open timer row of a zaak."""

    zaak: str
    soort: str
    datum: dt.date
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rij:
    zaak: str
    wacht_op: str
    status: str
    wacht_sinds: dt.date
    dagen_wachtend: int
    termijn: str | None
    termijn_datum: dt.date | None
    dagen_resterend: int | None
    signaal: str  # verlopen | urgent | op-tijd | geen-termijn
    ontwikkeltraject_uiterlijk: dt.date | None
    cce_status: str | None  # the worst client status: overtreding, risico, ok
    rollen: tuple[str, ...]
    agb: str
    leveringsvorm: str
    flow_run_id: str | None
    laatste_fout: str | None
    # A task row (not a wait): "contact-client", the zorgkantoor's contact with `client_id`.
    taak: str | None = None
    client_id: str | None = None
    # A fact the person at the wait must know, e.g. "bijstelling niet ontvangen" (R §10).
    feit: str | None = None
    # Awb 4:17: the dwangsom to date after an ingebrekestelling (models/dwangsom.overzicht).
    dwangsom: dict | None = None

    def public(self, run_url: Callable[[str], str] | None = None) -> dict:
        data = asdict(self)
        for k, v in data.items():
            if isinstance(v, dt.date):
                data[k] = v.isoformat()
        data["rollen"] = list(self.rollen)
        data["run_url"] = run_url(self.flow_run_id) if run_url and self.flow_run_id else None
        return data


def _beleid(zaak: WachtendeZaak, peildatum: dt.date) -> Beleid:
    if zaak.beleidsversie:
        try:
            return beleid_versie(zaak.beleidsversie)
        except BeleidsFout:
            pass
    return beleid_op(min(zaak.ingediend_op, peildatum))


def _termijn(
    zaak: WachtendeZaak, open_termijnen: list[OpenTermijn], peildatum: dt.date
) -> tuple[str | None, dt.date | None]:
    if zaak.wacht_op in BEOORDELING:
        # After a gegrond bezwaar the new besluit is due within the bezwaar's term (Awb 7:10,
        # 7:11): its timer row is open then, and the 4:13 term no longer applies.
        bezwaar = [t.datum for t in open_termijnen if t.soort == "bezwaar_uiterlijk"]
        if bezwaar:
            return "bezwaar_uiterlijk", min(bezwaar)
        # Awb 4:13: the decision term runs from receipt, whatever the form's round, plus the
        # days it was suspended for herstel (Awb 4:15) and its extension (Awb 4:14).
        return "beslistermijn", beslistermijn_van(zaak, _beleid(zaak, peildatum))
    soorten = TERMIJN_VOOR.get(zaak.wacht_op)
    # A contact task is a row of its own (taak_rijen), never the deadline of a wait.
    kandidaten = [(t.datum, t.soort) for t in open_termijnen if t.soort != TAAK_SOORT]
    if zaak.cce:
        kandidaten.append((min(c.uiterlijk for c in zaak.cce), "ontwikkeltraject"))
    if soorten is not None:
        kandidaten = [k for k in kandidaten if k[1] in soorten]
    if not kandidaten:
        return None, None
    # The most pressing one: earliest date; on a tie the order of TERMIJN_VOOR.
    datum, soort = min(
        kandidaten, key=lambda k: (k[0], soorten.index(k[1]) if soorten else 0, k[1])
    )
    return soort, datum


def _urgent_dagen(beleid: Beleid, termijn: str | None) -> int:
    if termijn == "beslistermijn":
        return max(URGENT_DAGEN, getattr(beleid.termijnen, "beslistermijn_waarschuwing_dagen", 0))
    return URGENT_DAGEN


def signaal(datum: dt.date | None, peildatum: dt.date, urgent_dagen: int) -> str:
    if datum is None:
        return "geen-termijn"
    if datum < peildatum:
        return "verlopen"
    if (datum - peildatum).days <= urgent_dagen:
        return "urgent"
    return "op-tijd"


def cce_status(cce: tuple[CceStatus, ...]) -> str | None:
    for status in ("overtreding", "risico", "ok"):
        if any(c.status == status for c in cce):
            return status
    return None


def rollen_voor(wacht_op: str, cce: str | None) -> tuple[str, ...]:
    rollen = []
    if wacht_op in BEOORDELING:
        rollen.append("beoordelaar")
    if wacht_op in BEZWAAR:
        rollen.append("bezwaar")
    if cce in CCE_RISICO:
        rollen.append("cce")
    rollen.append("analist")
    return tuple(rollen)


def werkvoorraad(
    zaken: Iterable[WachtendeZaak],
    termijnen: Iterable[OpenTermijn],
    peildatum: dt.date,
    rol: str | None = None,
) -> list[Rij]:
    """Rows for every waiting zaak (the role's view when `rol` is given), oldest wait first."""
    if rol is not None and rol not in ROLLEN:
        raise ValueError(f"unknown rol '{rol}'; choose one of {', '.join(ROLLEN)}")
    per_zaak: dict[str, list[OpenTermijn]] = {}
    for t in termijnen:
        per_zaak.setdefault(t.zaak, []).append(t)
    rows = []
    for z in zaken:
        rows += taak_rijen(
            z, [t for t in per_zaak.get(z.key, []) if t.soort == TAAK_SOORT], peildatum
        )
        if not z.wacht_op:
            continue
        soort, datum = _termijn(z, per_zaak.get(z.key, []), peildatum)
        sinds = z.wacht_sinds or z.ingediend_op
        cce = cce_status(z.cce)
        rows.append(
            Rij(
                zaak=z.key,
                wacht_op=z.wacht_op,
                status=z.status,
                wacht_sinds=sinds,
                dagen_wachtend=max(0, (peildatum - sinds).days),
                termijn=soort,
                termijn_datum=datum,
                dagen_resterend=(datum - peildatum).days if datum else None,
                signaal=signaal(datum, peildatum, _urgent_dagen(_beleid(z, peildatum), soort)),
                ontwikkeltraject_uiterlijk=min((c.uiterlijk for c in z.cce), default=None),
                cce_status=cce,
                rollen=rollen_voor(z.wacht_op, cce),
                agb=z.agb,
                leveringsvorm=z.leveringsvorm,
                flow_run_id=z.flow_run_id,
                laatste_fout=z.laatste_fout,
                feit=z.feit,
                dwangsom=dwangsom_overzicht(z.ingebrekestelling, peildatum),
            )
        )
    return voor_rol(rows, rol)


def taak_rijen(z: WachtendeZaak, taken: list[OpenTermijn], peildatum: dt.date) -> list[Rij]:
    """N 2025: one row per open contact task (models/contact.py) of the zaak, also of a zaak
    that no longer waits (closed after a rejected verlenging): the task's day is its term,
    it opened `contact_taak_dagen` before. No run link: the task is not the run's wait (and
    the run's attention tags stay those of its wait)."""
    dagen = _beleid(z, peildatum).termijnen.contact_taak_dagen
    rows = []
    for t in taken:
        sinds = t.datum - dt.timedelta(days=dagen)
        rows.append(
            Rij(
                zaak=z.key,
                wacht_op=TAAK,
                status=z.status,
                wacht_sinds=sinds,
                dagen_wachtend=max(0, (peildatum - sinds).days),
                termijn=TAAK_SOORT,
                termijn_datum=t.datum,
                dagen_resterend=(t.datum - peildatum).days,
                signaal=signaal(t.datum, peildatum, CONTACT_URGENT_DAGEN),
                ontwikkeltraject_uiterlijk=None,
                cce_status=None,
                rollen=("contact", "analist"),
                agb=z.agb,
                leveringsvorm=z.leveringsvorm,
                flow_run_id=None,
                laatste_fout=None,
                taak=TAAK,
                client_id=t.client_id,
            )
        )
    return rows


def voor_rol(rows: Iterable[Rij], rol: str | None = None) -> list[Rij]:
    """The role's rows in the role's order: oldest wait first; the CCE plans by the
    ontwikkeltraject date instead."""
    if rol is not None and rol not in ROLLEN:
        raise ValueError(f"unknown rol '{rol}'; choose one of {', '.join(ROLLEN)}")
    view = [r for r in rows if rol is None or rol in r.rollen]
    if rol == "cce":
        return sorted(view, key=lambda r: (r.ontwikkeltraject_uiterlijk or dt.date.max, r.zaak))
    if rol in ("contact", "bezwaar"):  # the task, or the 7:10 term, due first comes first
        return sorted(view, key=lambda r: (r.termijn_datum or dt.date.max, r.zaak, r.client_id))
    return sorted(view, key=lambda r: (r.wacht_sinds, r.zaak))


def samenvatting(rows: list[Rij]) -> dict:
    per_wacht: dict[str, int] = {}
    for r in rows:
        per_wacht[r.wacht_op] = per_wacht.get(r.wacht_op, 0) + 1
    return {
        "wachtend": sum(1 for r in rows if r.taak is None),
        "contact_taken": sum(1 for r in rows if r.taak == TAAK),
        "per_wacht_op": dict(sorted(per_wacht.items())),
        "verlopen": sum(r.signaal == "verlopen" for r in rows),
        "urgent": sum(r.signaal == "urgent" for r in rows),
        "cce_risico": sum(r.cce_status == "risico" for r in rows),
        "cce_overtreding": sum(r.cce_status == "overtreding" for r in rows),
    }


TITELS = {
    "beoordelaar": "Werkvoorraad beoordelaar: wacht op (tweede) beoordeling",
    "cce": "Werkvoorraad CCE: ontwikkeltrajecten met risico",
    "contact": "Werkvoorraad zorgkantoor: contact met clienten thuis (N 2025)",
    "bezwaar": "Werkvoorraad bezwaar: bezwaarschriften en hun termijnen (Awb 6:7, 7:10)",
    "analist": "Werkvoorraad: alle wachtende zaken",
}
SIGNAAL_TEKST = {
    "verlopen": "**verlopen**",
    "urgent": "urgent",
    "op-tijd": "op tijd",
    "geen-termijn": "-",
}


def markdown(
    rows: list[Rij],
    peildatum: dt.date,
    rol: str = "analist",
    run_url: Callable[[str], str] | None = None,
) -> str:
    """The artifact: a summary line and one table, oldest wait first, links to the runs."""
    s = samenvatting(rows)
    lines = [
        f"# {TITELS.get(rol, TITELS['analist'])}",
        "",
        f"Peildatum {peildatum.isoformat()}: **{s['wachtend']}** wachtend, "
        f"{s['contact_taken']} contacttaken, "
        f"{s['verlopen']} met verlopen termijn, {s['urgent']} urgent, "
        f"ontwikkeltraject: {s['cce_overtreding']} overtreding, {s['cce_risico']} risico.",
        "",
    ]
    if s["per_wacht_op"]:
        lines += [
            "Per wacht-op: " + ", ".join(f"{k} {v}" for k, v in s["per_wacht_op"].items()),
            "",
        ]
    if not rows:
        return "\n".join([*lines, "_Niets wachtend._"])
    lines += [
        "| Zaak | Wacht op | Sinds (dagen) | Termijn (nog dagen) | Signaal | CCE-traject uiterlijk |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        zaak = f"[{r.zaak}]({run_url(r.flow_run_id)})" if run_url and r.flow_run_id else r.zaak
        fout = " (invoer niet verwerkt)" if r.laatste_fout else ""
        if r.taak:
            fout = f" client {r.client_id}"
        if r.feit:
            fout += f" ({r.feit})"
        if r.dwangsom and r.dwangsom["dagen"]:  # Awb 4:17: what not deciding costs so far
            fout += f" (dwangsom {r.dwangsom['bedrag_tot_nu']} euro, {r.dwangsom['dagen']} dagen)"
        termijn = "-"
        if r.termijn_datum:
            termijn = f"{r.termijn} {r.termijn_datum.isoformat()} ({r.dagen_resterend})"
        ontw = "-"
        if r.ontwikkeltraject_uiterlijk:
            ontw = f"{r.ontwikkeltraject_uiterlijk.isoformat()} ({r.cce_status})"
            if r.cce_status in CCE_RISICO:
                ontw = f"**{ontw}**"
        lines.append(
            f"| {zaak} | {r.wacht_op}{fout} | {r.wacht_sinds.isoformat()} ({r.dagen_wachtend}) "
            f"| {termijn} | {SIGNAAL_TEKST[r.signaal]} | {ontw} |"
        )
    return "\n".join(lines)
