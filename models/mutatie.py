"""Group mutations as decisions, in pure rules (R §8, §10; issue 12 item 6).

An instroom gives a newcomer an own beschikking: that is a toekenning, so it is taken by a
person with a deciding role (never the CCE, R §10), on the group's toets WITH the newcomer,
with four eyes where the policy asks them for any toekenning (models/besluit.py:
vier_ogen_nodig). A group that falls below two clients with a running beschikking is
reassessed at once (R §8). tasks/opvolging_mutatie.py reads and writes; nothing here does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from models.beleid import Beleid
from models.besluit import vier_ogen_nodig
from models.bevinding import Bevinding
from models.engine import Bericht, OngeldigeInvoer, medewerker_met_rol
from models.overgang import BESLISSENDE_ROLLEN, Stand
from models.toets import Toetsresultaat

# The group's figures an instroom may bring along: the care need of the group WITH the
# newcomer (R §6: the rekentool is filled in for the group; the hours of the old group say
# nothing about the newcomer's need).
GROEPSCIJFERS = ("uren_per_week", "behandelaar_uren_per_week", "context_middelen_per_jaar")


@dataclass(frozen=True, slots=True)
class Lopend:
    """A client's beschikking in the group that has not ended (status `actief`)."""

    client_id: str
    eind: dt.date
    bedrag_per_jaar: float


def lopend_op(beschikkingen: Iterable[Lopend], datum: dt.date) -> list[Lopend]:
    """The beschikkingen still running on `datum`: a pending vertrek (an eind shortened to a
    future date) counts until that date and no longer (R §8)."""
    return [b for b in beschikkingen if b.eind >= datum]


# --- who decides --------------------------------------------------------------------------


def controleer_beslisser(medewerker: str | None, rollen: dict[str, str]) -> str:
    """The same role rule as models/besluit.valideer_beoordeling for a toekenning: a
    registered, active medewerker with a deciding role (R §10: the CCE advises only)."""
    return medewerker_met_rol(
        medewerker,
        rollen,
        BESLISSENDE_ROLLEN,
        als="beoordelaar",
        mag_niet="mag niet beslissen over een instroom (R §10)",
        leeg="vul het id van de beoordelaar in (--beoordelaar)",
        onbekend=": een instroom is een besluit van een beoordelaar of teamleider (R §10)",
    )


def controleer_vier_ogen(
    reden: str | None, eerste: str, tweede: str | None, rollen: dict[str, str]
) -> str | None:
    """The second beoordelaar, when the policy asks for four eyes (`reden` is why), or one
    given anyway: registered, deciding, and not the first."""
    tweede = (tweede or "").strip() or None
    if reden and tweede is None:
        raise OngeldigeInvoer(
            f"deze instroom vraagt vier ogen ({reden}): geef een tweede beoordelaar "
            "(--tweede-beoordelaar ID)"
        )
    if tweede is None:
        return None
    controleer_beslisser(tweede, rollen)
    if tweede == eerste:
        raise OngeldigeInvoer(f"de tweede beoordeling moet door een ander dan {eerste} (vier ogen)")
    return tweede


def vier_ogen_reden(
    stand: Stand, groepstotaal: float, bedrag_nieuwkomer: float, beleid: Beleid
) -> str | None:
    """Why four eyes are needed, or None. The group is judged as any toekenning is
    (vier_ogen_nodig: maatwerk, or the average per client above the limit); the newcomer's
    own amount above the limit needs them too (aanname: the limit is per client, and the
    newcomer's share need not be the average)."""
    grens = beleid.vier_ogen.boven_bedrag_per_client
    if grens is not None and bedrag_nieuwkomer > grens:
        return f"bedrag {bedrag_nieuwkomer:.2f} euro per jaar boven {grens:.0f} euro per client"
    if vier_ogen_nodig(stand, {"bedrag_per_jaar": groepstotaal}, beleid):
        soort = ((stand.toets or {}).get("uitkomst_rekentool") or {}).get("soort")
        return "maatwerkbedrag" if soort == "maatwerk" else "bedrag per client boven de grens"
    return None


# --- the instroom's input and toets -------------------------------------------------------


def lees_instroom(data: dict) -> tuple[dict, dict]:
    """The newcomer and, optionally, the group's new figures. Either a client object (as
    before) or {"client": {...}, "uren_per_week": {...}, ...}."""
    if not isinstance(data, dict):
        raise OngeldigeInvoer("de instroom moet een JSON-object zijn")
    if "client" not in data:
        return data, {}
    onbekend = sorted(set(data) - {"client", *GROEPSCIJFERS})
    if onbekend:
        raise OngeldigeInvoer(
            f"onbekend veld in de instroom: {onbekend[0]} (bekend: client, {', '.join(GROEPSCIJFERS)})"
        )
    if not isinstance(data["client"], dict):
        raise OngeldigeInvoer("client in de instroom moet een JSON-object zijn")
    return data["client"], {k: data[k] for k in GROEPSCIJFERS if k in data}


def groepsaanvraag(
    aanvraag: dict,
    nieuw: dict,
    lopend: list[Lopend],
    start: dt.date,
    eind: dt.date,
    cijfers: dict,
) -> dict:
    """The group's aanvraag as it will be from `start`: the clients whose beschikking still
    runs, plus the newcomer, with the group's new figures where given (R §8)."""
    ids = {b.client_id for b in lopend}
    return {
        **aanvraag,
        **cijfers,
        "clienten": [*(c for c in aanvraag["clienten"] if c["client_id"] in ids), nieuw],
        "gevraagde_start": start.isoformat(),
        "gevraagde_eind": eind.isoformat(),
    }


def _pct(pct: float) -> str:
    return f"{pct:.2f}".replace("-", "\u2212")


def weigering(resultaat: Toetsresultaat) -> str | None:
    """One Dutch line naming every blocking finding of the group's toets with the newcomer,
    or None. Aanname: an instroom is no place to weigh a blocking finding against the
    facts; that needs the full assessment of a new aanvraag for the group (R §10)."""
    delen = []
    for b in resultaat.bevindingen:
        if b.ernst != "blokkerend":
            continue
        if b.code == "DREMPEL_NIET_GEHAALD":
            delen.append(
                "de groep met de nieuwe client haalt de drempel niet "
                f"({_pct(resultaat.rekentool.overschrijding_pct)}%, R §10)"
            )
        else:
            delen.append(f"{b.code}: {b.toelichting.rstrip('.')}")
    if not delen:
        return None
    return "; ".join(delen) + ": dien een nieuwe aanvraag in"


def bedrag_nieuwkomer(groepstotaal: float, lopend: list[Lopend]) -> tuple[float | None, str]:
    """The newcomer's yearly amount: the group's new total from the rekentool minus what the
    running beschikkingen already hold, so the group total equals the toets's total.
    Aanname: the running beschikkingen are besluiten on other clients and stay as they are;
    changing them would be a new besluit on each (Awb 4:8). Returns (None, why) when the
    group with the newcomer needs no more than it holds."""
    gehouden = round(sum(b.bedrag_per_jaar for b in lopend), 2)
    rest = round(groepstotaal - gehouden, 2)
    if rest <= 0:
        return None, (
            f"de groep met de nieuwe client vraagt volgens de rekentool {groepstotaal:.2f} euro "
            f"per jaar en de lopende beschikkingen houden al {gehouden:.2f} euro: geef de zorguren "
            "van de groep met de nieuwe client mee of dien een nieuwe aanvraag in (R §6, §8)"
        )
    return rest, ""


# --- a group below two --------------------------------------------------------------------


def groep_te_klein(vorm: str, aantal: int) -> bool:
    """R §8: group meerzorg is for two or more clients."""
    return vorm == "groep" and aantal < 2


def groep_signaal(aantal: int, per: dt.date) -> tuple[Bericht, dict]:
    """The message to operations and the finding on the zaak: reassess the group (R §8).
    A signaal, not blokkerend: the beschikkingen run until the reassessment decides."""
    bevinding = Bevinding(
        "GROEP_TE_KLEIN",
        "signaal",
        f"Per {per.isoformat()} heeft de groep nog {aantal} client(en) met een lopende "
        "beschikking: herbeoordeel de groepsmeerzorg (R §8).",
    )
    bericht = Bericht(
        "groep_te_klein", kanaal="operations", context={"aantal": aantal, "per": per.isoformat()}
    )
    return bericht, bevinding.public()


def met_bevinding(toets: dict | None, bevinding: dict) -> dict:
    """The zaak's toets with `bevinding` added (an earlier one of the same code replaced)."""
    toets = dict(toets or {})
    eerder = [b for b in toets.get("bevindingen", []) if b.get("code") != bevinding["code"]]
    toets["bevindingen"] = [*eerder, bevinding]
    return toets


def zonder_bevinding(toets: dict | None, code: str) -> dict | None:
    """The zaak's toets without the findings of `code`, or None when it has none (an
    instroom that brings the group back to two answers the GROEP_TE_KLEIN signal, R §8)."""
    bevindingen = (toets or {}).get("bevindingen", [])
    if not any(b.get("code") == code for b in bevindingen):
        return None
    return {**toets, "bevindingen": [b for b in bevindingen if b.get("code") != code]}
