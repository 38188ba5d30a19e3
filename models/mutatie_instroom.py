"""A newcomer joins the group, in pure rules (R §6, §8, §10; issue 12 item 6, issue 25).

An instroom gives a newcomer an own beschikking: that is a toekenning, so it is taken by a
person with a deciding role (never the CCE, R §10), on the group's toets WITH the newcomer,
with four eyes where the policy asks them for any toekenning (models/besluit.py:
vier_ogen_nodig). The newcomer gets the group's new rekentool total minus what the running
beschikkingen hold; the decision is a besluit of its own, a toekenning addressed to the
newcomer's parties and the provider. What an instroom shares with a vertrek (the running
beschikkingen, the signal of a group below two, the besluit record's base) is in
models/mutatie.py. tasks/opvolging_mutatie.py reads and writes; nothing here does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.aanvraag import Aanvraag
from models.aanvraag import Client as ClientIn
from models.beleid import Beleid, BeleidsFout, beleid_versie
from models.besluit import vier_ogen_nodig
from models.besluit_brief import bedrag_nl
from models.brief_teksten import datum_nl
from models.engine import Bericht, OngeldigeInvoer, medewerker_met_rol
from models.mutatie import Lopend, besluit_basis, zonder_bevinding
from models.overgang import (
    BESLISSENDE_ROLLEN,
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    BesluitVastgelegd,
    NieuweRonde,
    Stand,
    ToetsVastgelegd,
    ZaakOvergang,
)
from models.toets import Toetsresultaat

# The group's figures an instroom may bring along: the care need of the group WITH the
# newcomer (R §6: the rekentool is filled in for the group; the hours of the old group say
# nothing about the newcomer's need).
GROEPSCIJFERS = ("uren_per_week", "behandelaar_uren_per_week", "context_middelen_per_jaar")


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


# --- the instroom as a besluit (issue 25) -------------------------------------------------


def _drempel_pct(versie: str) -> str | None:
    try:
        return f"{beleid_versie(versie).drempel * 100:.0f}"
    except BeleidsFout:
        return None


@dataclass(frozen=True, slots=True)
class Instroom:
    """An instroom decided: what the group's toets with the newcomer gave, the beschikkingen
    running then, and who decided (`vier_ogen`: why a second beoordelaar was needed)."""

    nieuw: ClientIn
    aanvraag: Aanvraag
    resultaat: Toetsresultaat
    bedrag: float
    groep_eind: dt.date
    peildatum: dt.date
    beoordelaar: str
    tweede_beoordelaar: str | None
    lopend: tuple[Lopend, ...] = ()
    vier_ogen: str | None = None

    def beschikking(self) -> dict:
        termijn = self.resultaat.termijnen_per_client[self.nieuw.client_id]
        rekentool = self.resultaat.rekentool
        return {
            "client_id": self.nieuw.client_id,
            "start": termijn.start,
            "eind": min(termijn.eind, self.groep_eind),
            "bedrag_per_jaar": self.bedrag,
            "uitkomst_rekentool": rekentool.profiel or rekentool.soort,
            "beleidsversie": self.resultaat.beleidsversie,
            "besluitdatum": self.peildatum,
        }

    def besluit(self, stand: Stand) -> dict:
        """The toekenning to the newcomer (R §8: an own beschikking), addressed to the
        newcomer's parties and the provider. The motivation is the rule's sum: the group's
        new rekentool total minus what the running beschikkingen hold (aanname: the other
        clients' amounts appear as one sum, never per client, in the newcomer's letter)."""
        b = self.beschikking()
        client_id = self.nieuw.client_id
        rekentool = self.resultaat.rekentool
        uitkomst = rekentool.profiel or "maatwerk"
        gehouden = round(sum(x.bedrag_per_jaar for x in self.lopend), 2)
        drempel = _drempel_pct(self.resultaat.beleidsversie)
        pct = f"{rekentool.overschrijding_pct:.0f}"
        motivering = [
            f"Cliënt {client_id} komt per {datum_nl(b['start'])} in de groep in zaak "
            f"{stand.key}. Bij groepsmeerzorg krijgt iedere cliënt een eigen beschikking (R §8).",
            "Het zorgkantoor heeft de rekentool ingevuld voor de groep met de nieuwe cliënt "
            f"(R §6). De zorg van de groep gaat {pct}% boven de norm van de zorgprofielen"
            + (f"; meerzorg vraagt ten minste {drempel}% (R §10)." if drempel else "."),
            f"De rekentool geeft voor de groep met de nieuwe cliënt {uitkomst}: "
            f"{bedrag_nl(rekentool.bedrag_per_jaar)} per jaar. De lopende beschikkingen van "
            f"de andere cliënten houden samen {bedrag_nl(gehouden)} per jaar en blijven zoals "
            f"ze zijn. Het verschil, {bedrag_nl(self.bedrag)} per jaar, is de meerzorg voor "
            f"cliënt {client_id}.",
            f"De beschikking loopt niet langer dan de indicatie van de cliënt en de "
            f"beschikkingen van de groep (tot en met {datum_nl(self.groep_eind)}, R §9).",
        ]
        if self.tweede_beoordelaar:
            motivering.append(
                "Een tweede beoordelaar heeft het besluit bevestigd (vier ogen"
                + (f": {self.vier_ogen}" if self.vier_ogen else "")
                + ")."
            )
        return {
            **besluit_basis(stand, self.peildatum, self.resultaat.beleidsversie),
            "uitkomst": "instroom",
            "soort": "instroom",
            "beoordelaar": self.beoordelaar,
            "tweede_beoordelaar": self.tweede_beoordelaar,
            "client_ids": [client_id],
            "start": b["start"],
            "eind": b["eind"],
            "bedrag_per_jaar": self.bedrag,
            "dictum": [
                f"Het zorgkantoor kent cliënt {client_id} bij instroom in de groep meerzorg toe "
                f"van {datum_nl(b['start'])} tot en met {datum_nl(b['eind'])}: {uitkomst}, "
                f"{bedrag_nl(self.bedrag)} per jaar."
            ],
            "motivering": motivering,
            "regels": [
                ["Iedere cliënt in groepsmeerzorg heeft een eigen beschikking", "R §8"],
                ["De rekentool wordt ingevuld voor de zorg van de hele groep", "R §6"],
                ["Termijn", "R §9"],
            ],
        }

    def overgang(self, stand: Stand, toets_beleidsversie: str | None) -> ZaakOvergang:
        """The group's aanvraag with the newcomer (its parties included, so the letter can
        be addressed), the newcomer's beschikking and besluit, and the provider's message
        carrying the provider's letter, in one transition whose audit names who decided
        (the actor) and who confirmed. Written only when the toekenning is final: both pairs
        of eyes are given at once (controleer_vier_ogen)."""
        beschikking = self.beschikking()
        client_id = self.nieuw.client_id
        effecten: list = [
            AanvraagGewijzigd(self.aanvraag.model_dump(mode="json")),
            BeschikkingAfgegeven(beschikking),
            NieuweRonde(),
            BesluitVastgelegd(self.besluit(stand)),
            Bericht(
                "mutatie_instroom",
                client_id=client_id,
                context={
                    "client_id": client_id,
                    "start": beschikking["start"].isoformat(),
                    "eind": beschikking["eind"].isoformat(),
                    "bedrag": f"{self.bedrag:.2f}",
                },
                bijlage=True,
            ),
        ]
        hersteld = zonder_bevinding(stand.toets, "GROEP_TE_KLEIN")
        if hersteld is not None:
            effecten.append(ToetsVastgelegd(hersteld, toets_beleidsversie))
        rekentool = self.resultaat.rekentool
        return ZaakOvergang(
            status=stand.status,
            actie="mutatie_instroom",
            nieuwe_wacht=False,
            effecten=tuple(effecten),
            details={
                "client_id": client_id,
                "beoordelaar": self.beoordelaar,
                "tweede_beoordelaar": self.tweede_beoordelaar,
                "bedrag_per_jaar": self.bedrag,
                "groep_bedrag_per_jaar": rekentool.bedrag_per_jaar,
                "overschrijding_pct": rekentool.overschrijding_pct,
                "beleidsversie": self.resultaat.beleidsversie,
            },
        )

    def public(self, key: str) -> dict:
        b = self.beschikking()
        return {
            "zaak": key,
            "client_id": self.nieuw.client_id,
            "toegevoegd": True,
            "start": b["start"].isoformat(),
            "eind": b["eind"].isoformat(),
            "bedrag_per_jaar": self.bedrag,
            "groep_bedrag_per_jaar": self.resultaat.rekentool.bedrag_per_jaar,
            "overschrijding_pct": self.resultaat.rekentool.overschrijding_pct,
            "beoordelaar": self.beoordelaar,
            "tweede_beoordelaar": self.tweede_beoordelaar,
            "bevindingen": [b.public() for b in self.resultaat.bevindingen],
        }
