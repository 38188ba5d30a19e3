"""Builders for valid aanvraag / beschikking dicts with controllable hours and dates.

Every builder returns a plain dict (the JSON shape of DOMAIN.md) that `parse_aanvraag`
accepts unchanged; keyword overrides replace top-level keys (shallow). Nested parts have
their own helpers (`check_vooraf(...)`, `vragenlijst(...)`, `uren(...)`), so a test names
exactly the one thing it changes.

Hours: by default the care need is `norm × (1 + overschrijding)` of the clients' profiles
under the policy in force on PEILDATUM, all booked as begeleiding, so the excess is what
the test asks for (default 50%).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

from models.aanvraag import parse_aanvraag, parse_beschikking
from models.beleid import beleid_op
from models.dates import termijn_einde
from models.toets import Toetsresultaat, toets

# Test BSNs from the 9999… range; all pass the elfproef.
BSNS = (
    "999990007",
    "999990019",
    "999990020",
    "999990032",
    "999990044",
    "999990056",
    "999990068",
    "999990081",
    "999990093",
    "999990111",
)
# A valid BSN with a leading zero: "12345672" (8 digits) is the same number.
BSN_MET_VOORLOOPNUL = "012345672"

# Defaults: peildatum under policy 2026.1, start a month later, a two-year term.
PEILDATUM = dt.date(2026, 6, 1)
START = dt.date(2026, 7, 1)
INDICATIE_EIND = dt.date(2034, 12, 31)
AGB = "73730001"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def norm(*profielen: str, peildatum: dt.date = PEILDATUM) -> float:
    """Norm care hours per week of these profiles (summed, as for a group).

    An unknown profile counts as 20 h, so a test can still build an aanvraag that the
    validation must refuse.
    """
    tabel = beleid_op(peildatum).norm_uren_per_week
    return sum(tabel.get(p, 20.0) for p in profielen)


def uren(**per_categorie: float) -> dict[str, float]:
    """A complete uren_per_week dict; categories not named are 0."""
    out = {"begeleiding": 0.0, "verzorging": 0.0, "verpleging": 0.0, "dagbesteding": 0.0}
    out["nachtzorg"] = 0.0
    out.update(per_categorie)
    return out


def uren_voor(
    *profielen: str, overschrijding: float, peildatum: dt.date = PEILDATUM
) -> dict[str, float]:
    """Care hours that exceed the summed norm of `profielen` by exactly `overschrijding`."""
    return uren(begeleiding=norm(*profielen, peildatum=peildatum) * (1 + overschrijding))


def check_vooraf(**overrides: bool) -> dict[str, bool]:
    """A complete, positive check vooraf (nothing missing, no other toeslagen)."""
    out = {
        "indicatie_passend": True,
        "beeldvorming_helder": True,
        "handelingsverlegenheid": True,
        "basiszorg_op_orde": True,
        "driehoek_betrokken": True,
        "client_betrokken": True,
        "cce_consultatie_overwogen": True,
        "andere_toeslagen": False,
    }
    out.update(overrides)
    return out


def vragenlijst(**overrides: str) -> dict[str, str]:
    out = {
        "huidige_situatie": "Dagelijks agressie-incidenten; fixatie-overleg.",
        "gewenste_situatie": "Voorspelbaar dagprogramma zonder vrijheidsbeperking.",
        "inzet": "Extra begeleider in de avond en intervisie met de gedragsdeskundige.",
    }
    out.update(overrides)
    return out


def traject(bijeenkomst_1: str, bijeenkomst_2: str | None = None) -> dict[str, str | None]:
    return {"bijeenkomst_1": bijeenkomst_1, "bijeenkomst_2": bijeenkomst_2}


def client_dict(i: int = 0, **overrides: Any) -> dict[str, Any]:
    """Client number `i` (its own BSN and client_id): VG7, verblijf, indicatie until 2034."""
    out: dict[str, Any] = {
        "client_id": f"CL-{i + 1:03d}",
        "bsn": BSNS[i],
        "zorgprofiel": "VG7",
        "leveringsvorm": "verblijf",
        "vg7_plus": False,
        "lvhc": False,
        "indicatie_einddatum": INDICATIE_EIND.isoformat(),
        "ontwikkeltrajecten": [],
    }
    out.update(overrides)
    return out


def correspondentie(
    kanaal: str = "json://localhost:8099/client", naam: str = "A. de Vries", **overrides: Any
) -> dict[str, Any]:
    """A party's correspondentie (models/partijen.py): digital unless `kanaal="post"`, which
    gets a fictional address unless `adres=` says otherwise."""
    out: dict[str, Any] = {"kanaal": kanaal, "naam": naam}
    if kanaal == "post":
        out["adres"] = ["Voorbeeldstraat 12", "1234 AB Voorbeeldstad"]
    out.update(overrides)
    return out


def vertegenwoordiger(
    rol: str = "wettelijk vertegenwoordiger", **correspondentie_overrides: Any
) -> dict[str, Any]:
    """A vertegenwoordiger reached by post (a fictional name and address)."""
    brief = {"kanaal": "post", "naam": "M. Bakker", **correspondentie_overrides}
    return {"rol": rol, "correspondentie": correspondentie(**brief)}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def aanvraag_dict(
    *,
    client: dict[str, Any] | None = None,
    overschrijding: float = 0.5,
    maanden: int = 24,
    **overrides: Any,
) -> dict[str, Any]:
    """A valid, complete individual aanvraag (soort nieuw) that passes every check.

    `client=` overrides fields of the single client; `clienten=` replaces the list.
    Unless `uren_per_week` is given, the care hours exceed the clients' summed norm by
    `overschrijding`. Unless `gevraagde_eind` is given, the term is `maanden` months.
    Dates may be given as `datetime.date` or ISO text.
    """
    overrides = {k: _iso(v) for k, v in overrides.items()}
    clienten = overrides.pop("clienten", None) or [client_dict(0, **(client or {}))]
    start = d(overrides.pop("gevraagde_start", START.isoformat()))
    eind = overrides.pop("gevraagde_eind", termijn_einde(start, maanden).isoformat())
    out: dict[str, Any] = {
        "soort": "nieuw",
        "vorm": "individueel" if len(clienten) == 1 else "groep",
        "zorgaanbieder": {"agb": AGB, "naam": "Stichting Testzorg"},
        "clienten": clienten,
        "gevraagde_start": start.isoformat(),
        "gevraagde_eind": eind,
        "uren_per_week": uren_voor(
            *(c["zorgprofiel"] for c in clienten), overschrijding=overschrijding
        ),
        "behandelaar_uren_per_week": {
            "gedragsdeskundige": 0.0,
            "psychiater": 0.0,
            "avg": 0.0,
            "sog": 0.0,
            "overig": 0.0,
        },
        "context_middelen_per_jaar": 0.0,
        "vragenlijst": vragenlijst(),
        "doelen": ["Vrijheidsbeperkende maatregelen afgebouwd binnen 9 maanden"],
        "check_vooraf": check_vooraf(),
    }
    if overrides.get("soort") == "verlenging":
        out["evaluatie_vorige_periode"] = "Doelen deels behaald; incidenten met een derde af."
    out.update(overrides)
    return out


def groep_dict(n: int = 2, *, clienten: list[dict] | None = None, **overrides: Any) -> dict:
    """A valid group aanvraag of `n` clients (VG7, verblijf unless `clienten` is given)."""
    clienten = clienten or [client_dict(i) for i in range(n)]
    return aanvraag_dict(clienten=clienten, vorm="groep", **overrides)


def beschikking_dict(
    *, start: str | dt.date = START, eind: str | dt.date | None = None, **overrides: Any
) -> dict[str, Any]:
    """A beschikking (toekennen) for `aanvraag_dict(**overrides)` with the decided term."""
    start = d(_iso(start))
    eind_iso = _iso(eind) if eind is not None else termijn_einde(start, 24).isoformat()
    besluit = {
        k: overrides.pop(k) for k in ("uitkomst", "besluitdatum", "client_id") if k in overrides
    }
    besluit.update({k: _iso(overrides.pop(k)) for k in ("meerzorg_sinds",) if k in overrides})
    out = aanvraag_dict(gevraagde_start=start, gevraagde_eind=eind_iso, **overrides)
    out.update(start=start.isoformat(), eind=eind_iso, **{k: _iso(v) for k, v in besluit.items()})
    return out


# --- the assessor's form ---------------------------------------------------------------

# A complete toekenning on the Resume form (models/formulieren.py: Beoordeling): the three pillars
# judged and motivated, every R §10 criterium confirmed and the perspectief recorded. Term
# and amount are left to the toets (empty); evalueren_op falls within the default terms of
# these tests (a two-year term from 2026-07-01 or later); a shorter term overrides it.
TOEKENNEN_VOLLEDIG: dict[str, Any] = {
    "uitkomst": "toekennen",
    "kwaliteit_van_leven": "voldoet",
    "kwaliteit_van_leven_motivering": "Minder incidenten, meer dagstructuur.",
    "doelmatigheid": "voldoet",
    "doelmatigheid_motivering": "Inzet past bij de doelen; goede voorbeelden benut.",
    "maatschappelijk_verantwoord": "voldoet",
    "maatschappelijk_verantwoord_motivering": "Alternatieven benut; bedrag vergelijkbaar.",
    "zorg_en_context": True,
    "basis_op_orde": True,
    "past_niet_in_profiel": True,
    "andere_opties_eerst": True,
    "afbouw_overwogen": True,
    "in_verhouding": True,
    "perspectief_verwachting": "Afbouw van de extra avondbegeleiding na een jaar.",
    "evalueren_op": "2027-06-01",
}


def toekennen(beoordelaar: str = "b-001", **overrides: Any) -> dict[str, Any]:
    """The form of a complete toekenning by `beoordelaar`; overrides replace fields (dates
    may be `datetime.date`)."""
    return {
        **TOEKENNEN_VOLLEDIG,
        "beoordelaar": beoordelaar,
        **{k: _iso(v) for k, v in overrides.items()},
    }


# A complete afwijzing on a zaak whose toets advises toekennen (issue 26 point 2): its ground
# is a pillar that does not meet (R §10) with its motivation, and the onderbouwing weighs the
# advice it departs from (Awb 3:46; models/motivering.py).
AFWIJZEN_VOLLEDIG: dict[str, Any] = {
    "uitkomst": "afwijzen",
    "doelmatigheid": "voldoet niet",
    "doelmatigheid_motivering": "De basiszorg is niet op orde; eerst een verbeterplan.",
    "onderbouwing": "Anders dan het advies (toekennen) van de toets: de basiszorg is niet op "
    "orde, dus meerzorg is niet doelmatig.",
}
# The coulante weighing of a thuis verlenging (N 2025), for an afwijzing there.
COULANTE_AFWEGING = "Coulant gewogen: ook met maatwerk blijft de zorg binnen het profiel passend."


def afwijzen(beoordelaar: str = "b-001", **overrides: Any) -> dict[str, Any]:
    """The form of a complete afwijzing by `beoordelaar` against the advice toekennen;
    overrides replace fields."""
    return {**AFWIJZEN_VOLLEDIG, "beoordelaar": beoordelaar, **overrides}


# --- shortcuts -------------------------------------------------------------------------


def aanvraag(**overrides: Any):
    return parse_aanvraag(aanvraag_dict(**overrides))


def beschikking(**overrides: Any):
    return parse_beschikking(beschikking_dict(**overrides))


def toets_van(data: dict[str, Any], peildatum: dt.date = PEILDATUM) -> Toetsresultaat:
    """Validate the dict as the CLI does (through JSON text) and run the toets."""
    return toets(parse_aanvraag(json.dumps(data)), peildatum)


def codes(resultaat: Toetsresultaat) -> set[str]:
    return set(resultaat.codes)


def ernst(resultaat: Toetsresultaat, code: str) -> set[str]:
    """The severities with which `code` was reported (empty when absent)."""
    return {b.ernst for b in resultaat.bevindingen if b.code == code}


_VOLGENDE_BSN = itertools.count(999_950_000)


def unieke_bsn() -> str:
    """A test BSN (elfproef) that no other test in this process uses. The flow tests share
    one system and its database per process, and the overlap check (Wlz: no meerzorg twice
    for one client) reads every zaak by BSN: two tests with the same client would depend on
    each other's order. Literal test BSNs stay below 999 950 000."""
    from models.aanvraag import elfproef

    while not elfproef(bsn := str(next(_VOLGENDE_BSN))):
        pass
    return bsn
