"""The werkvoorraad (work queue): every waiting zaak with what it waits for, since when, and
the deadline that matters for that wait, oldest first. Pure: plain data in, rows out; the
flow (flows/werkvoorraad.py) and the CLI (`meerzorg werkvoorraad`) read the database and
render the rows. Zaak keys and codes only, never a name or BSN."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from models.beleid import Beleid, BeleidsFout, beleid_op, beleid_versie
from models.planner import beslistermijn_einde
from models.proces import ZAAK

# The waits an assessor acts on (the four-eyes second decision too).
BEOORDELING = frozenset(w.wacht_op for w in ZAAK.wachten if w.rol == "beoordelaar")
ROLLEN = ("beoordelaar", "cce", "analist")

# wacht_op -> the timer rows (by soort) that bound that wait, as each wait declares them
# (models/proces.py). "ontwikkeltraject" is the CCE rule's last day (models/compliance.py)
# of the zaak's clients; "beslistermijn" the Awb 4:13 term, computed from receipt.
TERMIJN_VOOR = {k: v for k, v in ZAAK.termijnen().items() if v != ("beslistermijn",)}
CCE_RISICO = ("risico", "overtreding")
# Days before a deadline at which a row turns "urgent" when the policy names no other value.
URGENT_DAGEN = 14


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


@dataclass(frozen=True, slots=True)
class Termijn:
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
    zaak: WachtendeZaak, open_termijnen: list[Termijn], peildatum: dt.date
) -> tuple[str | None, dt.date | None]:
    if zaak.wacht_op in BEOORDELING:
        # Awb 4:13: the decision term runs from receipt, whatever the form's round.
        return "beslistermijn", beslistermijn_einde(zaak.ingediend_op, _beleid(zaak, peildatum))
    soorten = TERMIJN_VOOR.get(zaak.wacht_op)
    kandidaten = [(t.datum, t.soort) for t in open_termijnen]
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
    if cce in CCE_RISICO:
        rollen.append("cce")
    rollen.append("analist")
    return tuple(rollen)


def werkvoorraad(
    zaken: Iterable[WachtendeZaak],
    termijnen: Iterable[Termijn],
    peildatum: dt.date,
    rol: str | None = None,
) -> list[Rij]:
    """Rows for every waiting zaak (the role's view when `rol` is given), oldest wait first."""
    if rol is not None and rol not in ROLLEN:
        raise ValueError(f"unknown rol '{rol}'; choose one of {', '.join(ROLLEN)}")
    per_zaak: dict[str, list[Termijn]] = {}
    for t in termijnen:
        per_zaak.setdefault(t.zaak, []).append(t)
    rows = []
    for z in zaken:
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
            )
        )
    return voor_rol(rows, rol)


def voor_rol(rows: Iterable[Rij], rol: str | None = None) -> list[Rij]:
    """The role's rows in the role's order: oldest wait first; the CCE plans by the
    ontwikkeltraject date instead."""
    if rol is not None and rol not in ROLLEN:
        raise ValueError(f"unknown rol '{rol}'; choose one of {', '.join(ROLLEN)}")
    view = [r for r in rows if rol is None or rol in r.rollen]
    if rol == "cce":
        return sorted(view, key=lambda r: (r.ontwikkeltraject_uiterlijk or dt.date.max, r.zaak))
    return sorted(view, key=lambda r: (r.wacht_sinds, r.zaak))


def samenvatting(rows: list[Rij]) -> dict:
    per_wacht: dict[str, int] = {}
    for r in rows:
        per_wacht[r.wacht_op] = per_wacht.get(r.wacht_op, 0) + 1
    return {
        "wachtend": len(rows),
        "per_wacht_op": dict(sorted(per_wacht.items())),
        "verlopen": sum(r.signaal == "verlopen" for r in rows),
        "urgent": sum(r.signaal == "urgent" for r in rows),
        "cce_risico": sum(r.cce_status == "risico" for r in rows),
        "cce_overtreding": sum(r.cce_status == "overtreding" for r in rows),
    }


TITELS = {
    "beoordelaar": "Werkvoorraad beoordelaar: wacht op (tweede) beoordeling",
    "cce": "Werkvoorraad CCE: ontwikkeltrajecten met risico",
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
