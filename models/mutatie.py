"""Group mutations as decisions, in pure rules (R §8, §10; issue 12 item 6).

An instroom gives a newcomer an own beschikking: that is a toekenning, so it is taken by a
person with a deciding role (never the CCE, R §10), on the group's toets WITH the newcomer,
with four eyes where the policy asks them for any toekenning (models/besluit.py:
vier_ogen_nodig). A group that falls below two clients with a running beschikking is
reassessed at once (R §8). tasks/opvolging_mutatie.py reads and writes; nothing here does.

Each mutation is a besluit of its own (issue 25; Awb 1:3, R §8 "een eigen beschikking"): a
vertrek a beëindiging of the departing client's beschikking, an instroom a toekenning to
the newcomer. Each gets a Besluit row in a ronde of its own (the zaak's last besluit, so a
bezwaar against it lands there) and a letter to that client's parties and the provider
(models/besluit_brief.py), from whose bekendmaking the bezwaartermijn runs (Awb 6:8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from models.aanvraag import Aanvraag
from models.aanvraag import Client as ClientIn
from models.beleid import Beleid, BeleidsFout, beleid_op, beleid_versie
from models.besluit import vier_ogen_nodig
from models.besluit_brief import bedrag_nl, datum_nl
from models.bevinding import Bevinding
from models.engine import Bericht, OngeldigeInvoer, medewerker_met_rol
from models.overgang import (
    BESLISSENDE_ROLLEN,
    AanvraagGewijzigd,
    BeschikkingAfgegeven,
    BesluitVastgelegd,
    ClientBeeindigd,
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


@dataclass(frozen=True, slots=True)
class Lopend:
    """A client's beschikking in the group that has not ended (status `actief`)."""

    client_id: str
    eind: dt.date
    bedrag_per_jaar: float
    start: dt.date | None = None


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


# --- each mutation is a besluit (issue 25) ------------------------------------------------


def _drempel_pct(versie: str) -> str | None:
    try:
        return f"{beleid_versie(versie).drempel * 100:.0f}"
    except BeleidsFout:
        return None


def _besluit_basis(stand: Stand, peildatum: dt.date, beleidsversie: str) -> dict:
    """What every mutation's besluit record holds (models/besluit.py's keys): taken today by
    the one who decided, in a ronde of its own (Besluit is unique per zaak and ronde, and the
    zaak's last besluit is the one a bezwaar goes against by default)."""
    return {
        "onderbouwing": "",
        "pijlers": {},
        "coulant": False,
        "datum": peildatum,
        "ronde": stand.ronde + 1,
        "beleidsversie": beleidsversie,
        "rechtsmiddel": "bezwaar",
    }


def vertrek_besluit(
    stand: Stand,
    eigen: Lopend,
    eind: dt.date,
    blijvend: int,
    herbeoordelen: bool,
    beoordelaar: str,
    peildatum: dt.date,
) -> dict:
    """The beëindiging of the departing client's own beschikking (R §8), addressed to that
    client's parties and the provider only. Its ingangsdatum and vervaldatum are the
    beschikking's start and its new end; the amount stays what it was. Nothing in it names
    another client of the group (the letter goes to this client's parties)."""
    client_id = eigen.client_id
    motivering = [
        f"Cliënt {client_id} verlaat de groep in zaak {stand.key}. De meerzorg voor deze "
        "cliënt liep "
        + (f"van {datum_nl(eigen.start)} " if eigen.start else "")
        + f"tot en met {datum_nl(eigen.eind)}, {bedrag_nl(eigen.bedrag_per_jaar)} per jaar.",
        "Bij groepsmeerzorg krijgt iedere cliënt een eigen beschikking, voor de zorg in de "
        "groep (R §8). Verlaat een cliënt de groep, dan eindigt diens beschikking; de "
        "beschikkingen van de andere cliënten lopen door zoals ze zijn.",
    ]
    regels = [
        [
            "Iedere cliënt in groepsmeerzorg heeft een eigen beschikking voor de zorg in de groep",
            "R §8",
        ]
    ]
    if herbeoordelen:
        motivering.append(
            f"Na het vertrek heeft de groep nog {blijvend} cliënt(en) met een lopende "
            "beschikking. Groepsmeerzorg is voor twee of meer cliënten (R §8): het zorgkantoor "
            "herbeoordeelt daarom de meerzorg voor de groep."
        )
        regels.append(["Groepsmeerzorg is voor twee of meer cliënten", "R §8"])
    return {
        **_besluit_basis(stand, peildatum, beleid_op(peildatum).versie),
        "uitkomst": "vertrek",
        "soort": "beeindiging",
        "beoordelaar": beoordelaar,
        "client_ids": [client_id],
        "start": eigen.start,
        "eind": eind,
        "bedrag_per_jaar": eigen.bedrag_per_jaar,
        "dictum": [
            f"De meerzorg voor cliënt {client_id} eindigt per {datum_nl(eind)} "
            "(vertrek uit de groep)."
        ],
        "motivering": motivering,
        "regels": regels,
    }


def vertrek(
    stand: Stand,
    eigen: Lopend,
    per: dt.date,
    anderen: Iterable[Lopend],
    beoordelaar: str,
    peildatum: dt.date,
    toets_beleidsversie: str | None,
) -> ZaakOvergang:
    """A client leaves the group: its beschikking ends on `per` (at the latest its own end)
    by a besluit of its own, whose letter the provider's message carries. Fewer than two
    clients with a beschikking running after that day (a pending vertrek of another counts
    as gone by its own date) → reassessment at once (R §8), in the same transition.
    `toets_beleidsversie`: the zaak's, kept with the GROEP_TE_KLEIN finding on its toets."""
    eind = min(per, eigen.eind)
    blijvend = len(lopend_op(anderen, eind + dt.timedelta(days=1)))
    herbeoordelen = groep_te_klein(stand.aanvraag.vorm, blijvend)
    record = vertrek_besluit(stand, eigen, eind, blijvend, herbeoordelen, beoordelaar, peildatum)
    effecten: list = [
        ClientBeeindigd(eigen.client_id, per),
        NieuweRonde(),
        BesluitVastgelegd(record),
        Bericht(
            "mutatie_vertrek",
            client_id=eigen.client_id,
            context={"client_id": eigen.client_id, "eind": eind.isoformat()},
            bijlage=True,
        ),
    ]
    if herbeoordelen:
        bericht, bevinding = groep_signaal(blijvend, eind)
        effecten += [
            bericht,
            ToetsVastgelegd(met_bevinding(stand.toets, bevinding), toets_beleidsversie),
        ]
    return ZaakOvergang(
        status=stand.status,
        actie="mutatie_vertrek",
        nieuwe_wacht=False,
        effecten=tuple(effecten),
        details={
            "client_id": eigen.client_id,
            "per": per.isoformat(),
            "eind": eind.isoformat(),
            "blijvend": blijvend,
            "herbeoordeling_groep": herbeoordelen,
        },
    )


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
            **_besluit_basis(stand, self.peildatum, self.resultaat.beleidsversie),
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
        of eyes are given at once (models/mutatie.controleer_vier_ogen)."""
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
