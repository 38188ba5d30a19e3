"""The assessor's werkbak (issue 27): every open task a login's role may do, with the
deadline that bounds it, who holds it, and the login's filter and sort. Pure: the
werkvoorraad's rows (models/werkvoorraad.py: the wait, since when, the legal term and its
signal) and the claims (models/claim.py) in, the login's rows out. Which waits a role may
answer is the gateway's own rule (models/toegang.mag_hervatten on the wait's declaration)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from models.claim import Claim, houder
from models.contact import TAAK
from models.dialoog_proces import DIALOOG
from models.engine import OngeldigeInvoer
from models.overgang import ZaakStatus as S
from models.proces import ZAAK
from models.toegang import mag_hervatten
from models.werkvoorraad import Rij

ONTWIKKELTRAJECT = "ontwikkeltraject"  # the werkbak's wacht_op of a CCE task
# The tasks a claim holds: the waits of a run (a zaak's, a dialoog's), keyed by the case's key.
CLAIMBAAR = ("wacht", "dialoog")
# The roles whose login opens the werkbak (issue 27 point 5): those with tasks in it; the
# analist and operations open their Prefect view (deployments/automations.startpagina).
WERKBAK_ROLLEN = ("beoordelaar", "teamleider", "jurist", "cce")
# A running beschikking waits for its timers (a sweep resumes it), not for a person: its
# CCE and contact work is in the werkvoorraad's own views, not a task to pick up here.
GEEN_TAAK = frozenset({S.LOPEND})
SIGNALEN = ("verlopen", "urgent", "op-tijd", "geen-termijn")
SIGNAAL_TEKST = {
    "verlopen": "Verlopen",
    "urgent": "Urgent",
    "op-tijd": "Op tijd",
    "geen-termijn": "Geen termijn",
}
HOUDERS = {
    "alle": "Iedereen",
    "mij": "Door mij",
    "vrij": "Niet opgepakt",
    "anderen": "Door anderen",
}
SORTERINGEN = {
    "termijn": "Termijn (eerst afloopt eerst)",
    "sinds": "Wacht het langst",
    "zaak": "Zaaknummer",
}
STANDAARD = {"wacht_op": "alle", "signaal": "alle", "houder": "alle", "sorteer": "termijn"}
TERMIJN_TEKST = {
    "beslistermijn": "beslistermijn (Awb 4:13)",
    "bezwaar_uiterlijk": "beslissing op bezwaar (Awb 7:10)",
    "bezwaartermijn_einde": "bezwaartermijn (Awb 6:7)",
    "bezwaar_gronden": "termijn gronden (Awb 6:6)",
    "herstel_termijn": "hersteltermijn (Awb 4:5)",
    "passende_overgang_uiterlijk": "passende overgang",
    "ontwikkeltraject": "CCE-ontwikkeltraject",
    "einde_beschikking": "einde beschikking",
    "contact_client": "contact vastleggen (N 2025)",
    "meerzorgplan_uiterlijk": "meerzorgplan uiterlijk (R §10)",
    "verslag_uiterlijk": "verslag dialoog",
    "dialoog_datum": "datum dialoog",
}


@dataclass(frozen=True, slots=True)
class Taak:
    zaak: str
    status: str
    wacht_op: str
    uitleg: str  # what it waits for, in a few words
    wacht_sinds: dt.date
    dagen_wachtend: int
    termijn: str | None
    termijn_datum: dt.date | None
    dagen_resterend: int | None
    signaal: str
    houder: str | None  # who holds it now (a valid claim), or None
    # "wacht": a zaak's wait (claimed, decided in the dossier or Prefect's Resume); else a
    # task that is no zaak wait (models/werkbak_overig.py): "contact", "ontwikkeltraject",
    # "dialoog" (a dialoog's wait: `zaak` is then the dialoog's key).
    soort: str = "wacht"
    client_id: str | None = None  # the client of a contact or ontwikkeltraject task
    waar: str | None = None  # the page where it is done (a dialoog run's Resume)
    opdracht: str | None = None  # the command that does it (a contact, an ontwikkeltraject)


def opent_werkbak(rol: str) -> bool:
    """Does this role's login open the werkbak (else its Prefect view)?"""
    return rol in WERKBAK_ROLLEN


def is_taak_voor(rol: str, status: str) -> bool:
    """A wait of the zorgkantoor (not the provider's herstel or bijstelling, whose form a
    beoordelaar may fill in on its behalf) that this role may answer."""
    wacht = ZAAK.wacht(status)
    if wacht is None or status in GEEN_TAAK or wacht.rol == "aanbieder":
        return False
    return mag_hervatten(rol, "zaak", status) is None


def korte_uitleg(wacht_op: str) -> str:
    return {
        "beoordeling": "Beoordeling",
        "tweede-beoordeling": "Tweede beoordeling (vier ogen)",
        "bezwaar": "Bezwaartermijn: bezwaarschrift registreren",
        "gronden": "Bezwaar: gronden",
        "gronden-verstreken": "Bezwaar: gronden niet ontvangen",
        "verschoonbaarheid": "Bezwaar: te laat, verschoonbaar?",
        "hoorzitting": "Bezwaar: hoorzitting",
        "beslissing-op-bezwaar": "Beslissing op bezwaar",
        "passende-overgang": "Passende overgang",
        TAAK: "Contact met cliënt thuis (N 2025)",
        ONTWIKKELTRAJECT: "CCE-ontwikkeltraject plannen (R §10)",
        "meerzorgplan": "Dialoog: meerzorgplan ontvangen?",
        "meerzorgplan-te-laat": "Dialoog: meerzorgplan te laat",
        "dialoog": "Dialoog: verslag vastleggen",
    }.get(wacht_op, wacht_op.replace("-", " ").capitalize())


def taken(
    rijen: list[Rij],
    claims: dict[str, Claim],
    wacht_keys: dict[str, str | None],
    eerste_beoordelaar: dict[str, str],
    wie: str,
    rol: str,
    nu: dt.datetime,
    minuten: int,
) -> list[Taak]:
    """The login's open tasks: the role's waits, without a tweede beoordeling whose first
    assessment was her own (four eyes, models/besluit.py)."""
    uit = []
    voor_rol = {w.status for w in ZAAK.wachten if is_taak_voor(rol, w.status)}
    uitleg: dict[str, str] = {}
    for r in rijen:
        if r.taak is not None or r.status not in voor_rol:
            continue
        if r.status == S.TWEEDE_BEOORDELING and eerste_beoordelaar.get(r.zaak) == wie:
            continue
        if r.wacht_op not in uitleg:
            uitleg[r.wacht_op] = korte_uitleg(r.wacht_op)
        claim = claims.get(r.zaak)
        uit.append(
            Taak(
                zaak=r.zaak,
                status=r.status,
                wacht_op=r.wacht_op,
                uitleg=uitleg[r.wacht_op],
                wacht_sinds=r.wacht_sinds,
                dagen_wachtend=r.dagen_wachtend,
                termijn=r.termijn,
                termijn_datum=r.termijn_datum,
                dagen_resterend=r.dagen_resterend,
                signaal=r.signaal,
                houder=None
                if claim is None
                else houder(claim, wacht_keys.get(r.zaak), nu, minuten),
            )
        )
    return uit


def filter_uit(query: dict[str, str], opgeslagen: dict | None) -> dict[str, str]:
    """The filter asked for, else the login's saved one, else the default (deadline first).
    A value that is not one of the choices is refused with one line."""
    basis = {**STANDAARD, **{k: v for k, v in (opgeslagen or {}).items() if k in STANDAARD}}
    gevraagd = {k: query[k] for k in STANDAARD if k in query}
    f = {**basis, **gevraagd}
    if f["signaal"] not in ("alle", *SIGNALEN):
        raise OngeldigeInvoer(f"onbekend signaal '{f['signaal'][:40]}': kies uit de lijst")
    if f["houder"] not in HOUDERS:
        raise OngeldigeInvoer(f"onbekende keuze '{f['houder'][:40]}' bij opgepakt door")
    if f["sorteer"] not in SORTERINGEN:
        raise OngeldigeInvoer(f"onbekende sortering '{f['sorteer'][:40]}'")
    wachten = {w.wacht_op for w in (*ZAAK.wachten, *DIALOOG.wachten)} | {TAAK, ONTWIKKELTRAJECT}
    if f["wacht_op"] != "alle" and f["wacht_op"] not in wachten:
        raise OngeldigeInvoer(f"onbekende wacht '{f['wacht_op'][:40]}': kies uit de lijst")
    return f


def met_houders(
    lijst: list[Taak],
    claims: dict[str, Claim],
    wacht_keys: dict[str, str | None],
    nu: dt.datetime,
    minuten: int,
) -> list[Taak]:
    """The tasks (computed without claims) with who holds each now: only the claimed ones
    change, so a cached list of 10,000 tasks costs a pass over the few claims."""
    houders = {
        k: h
        for k, c in claims.items()
        if (h := houder(c, wacht_keys.get(k), nu, minuten)) is not None
    }
    if not houders:
        return lijst
    return [
        replace(t, houder=houders[t.zaak]) if t.zaak in houders and t.soort in CLAIMBAAR else t
        for t in lijst
    ]


def gefilterd(lijst: list[Taak], f: dict[str, str], wie: str) -> list[Taak]:
    wacht_op, signaal = f["wacht_op"], f["signaal"]
    wie_houdt = {
        "alle": lambda h: True,
        "mij": lambda h: h == wie,
        "vrij": lambda h: h is None,
        "anderen": lambda h: h is not None and h != wie,
    }[f["houder"]]

    def past(t: Taak) -> bool:
        return (
            (wacht_op == "alle" or t.wacht_op == wacht_op)
            and (signaal == "alle" or t.signaal == signaal)
            and wie_houdt(t.houder)
        )

    sleutel = {
        "termijn": lambda t: (t.termijn_datum or dt.date.max, t.wacht_sinds, t.zaak),
        "sinds": lambda t: (t.wacht_sinds, t.termijn_datum or dt.date.max, t.zaak),
        "zaak": lambda t: t.zaak,
    }[f["sorteer"]]
    return sorted((t for t in lijst if past(t)), key=sleutel)
