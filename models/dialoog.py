"""The yearly meerzorgdialoog per provider (R §10, DOMAIN.md §9), as pure rules.

Every year the zorgkantoor holds a dialoog with each provider that has meerzorg, together
with the CCE, on five fixed agenda items. The dialoog for year J is prepared in the autumn
of J-1: the invitation goes out by `uitnodiging_uiterlijk`, the meerzorgplan (and group
evaluation) is due `meerzorgplan_weken_voor` weeks before the dialoog, a reminder precedes
that date and operations hear of a plan that is still missing after it. The afspraken of
J are the terugblik (item 1) of J+1.

States of one dialoog:
    gepland --uitnodigen--> uitgenodigd --meerzorgplan ontvangen--> plan_ontvangen
        --verslag--> afgerond          (gepland --provider has no meerzorg--> vervallen)

Like models/proces.py these functions take a stand and an event and return an Overgang;
tasks/dialoog.py applies it in one transaction. No Prefect, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from models.beleid import DialoogBeleid
from models.berichten import SJABLONEN
from models.engine import (
    Bericht,
    Gewijzigd,
    Herpland,
    OngeldigeInvoer,
    Overgang,
    Soort,
    Stap,
    Termijn,
    Wacht,
    invoer_datum,
)

# (key, title, what the item covers) — the five fixed agenda items of R §10.
AGENDA: tuple[tuple[str, str, str], ...] = (
    (
        "terugblik",
        "1. Terugblik op de afspraken van vorig jaar",
        "lessen, materiele controle, dilemma's, successen",
    ),
    ("meerzorgplan", "2. Bespreken van het meerzorgplan", "het meerzorgplan en de groepsevaluatie"),
    (
        "samenwerking_cce",
        "3. Samenwerking zorgaanbieder en CCE rond de ontwikkeltrajecten",
        "voortgang en planning van de ontwikkeltrajecten",
    ),
    (
        "sturing",
        "4. Sturing op kwaliteit, doelmatigheid en betaalbaarheid komend jaar",
        "hoe de zorgaanbieder stuurt in het komende jaar",
    ),
    ("afspraken", "5. Samenvatting van gemaakte afspraken", "een afspraak per regel"),
)
AGENDA_KEYS = tuple(k for k, _, _ in AGENDA)


class DialoogStatus(StrEnum):
    GEPLAND = "gepland"
    UITGENODIGD = "uitgenodigd"
    PLAN_ONTVANGEN = "plan_ontvangen"
    AFGEROND = "afgerond"
    VERVALLEN = "vervallen"


GESLOTEN = frozenset({DialoogStatus.AFGEROND, DialoogStatus.VERVALLEN})
TE_LAAT = "meerzorgplan-te-laat"

# Notification templates of the dialoog. Pseudonymous like every message: the dialoog key
# (dialoog-<agb>-<jaar>), the provider's AGB and dates; never free text from the verslag.
DIALOOG_SJABLONEN: dict[str, tuple[str, str]] = {
    "dialoog_uitnodiging": (
        "Uitnodiging meerzorgdialoog {jaar} ({zaak})",
        "U bent uitgenodigd voor de jaarlijkse meerzorgdialoog {jaar} met het zorgkantoor en het "
        "CCE op {dialoog}. Lever het meerzorgplan en de groepsevaluatie uiterlijk "
        "{meerzorgplan_uiterlijk} aan.\nAgenda:\n{agenda}",
    ),
    "dialoog_uitnodiging_cce": (
        "Meerzorgdialoog {jaar} zorgaanbieder {aanbieder}: uitnodiging CCE ({zaak})",
        "De meerzorgdialoog {jaar} met zorgaanbieder {aanbieder} is gepland op {dialoog}. "
        "Het CCE is uitgenodigd; het meerzorgplan is uiterlijk {meerzorgplan_uiterlijk} binnen.",
    ),
    "dialoog_herinnering_meerzorgplan": (
        "Herinnering: meerzorgplan voor de dialoog {jaar} ({zaak})",
        "Het meerzorgplan en de groepsevaluatie voor de meerzorgdialoog {jaar} op {dialoog} zijn "
        "uiterlijk {meerzorgplan_uiterlijk} nodig en nog niet ontvangen.",
    ),
    "dialoog_meerzorgplan_ontbreekt": (
        "Meerzorgplan ontbreekt: zorgaanbieder {aanbieder}, dialoog {jaar} ({zaak})",
        "Het meerzorgplan van zorgaanbieder {aanbieder} voor de dialoog {jaar} op {dialoog} was "
        "uiterlijk {meerzorgplan_uiterlijk} nodig en is niet ontvangen. Neem contact op of "
        "verplaats de dialoog.",
    ),
    "dialoog_plan_ontvangen": (
        "Meerzorgplan ontvangen voor de dialoog {jaar} ({zaak})",
        "Het meerzorgplan voor de meerzorgdialoog {jaar} is ontvangen op {ontvangen}. "
        "De dialoog staat gepland op {dialoog}.",
    ),
    "dialoog_verplaatst": (
        "Meerzorgdialoog {jaar} verplaatst ({zaak})",
        "De meerzorgdialoog {jaar} is verplaatst naar {dialoog}. Het meerzorgplan is uiterlijk "
        "{meerzorgplan_uiterlijk} nodig.",
    ),
    "dialoog_niet_uitgenodigd": (
        "Meerzorgdialoog {jaar} zorgaanbieder {aanbieder} niet uitgenodigd ({zaak})",
        "De uitnodiging voor de meerzorgdialoog {jaar} met zorgaanbieder {aanbieder} had uiterlijk "
        "{uitnodiging} verstuurd moeten zijn. Start de planning: meerzorg dialoog plan --jaar {jaar}.",
    ),
    "dialoog_verslag_ontbreekt": (
        "Verslag meerzorgdialoog {jaar} zorgaanbieder {aanbieder} ontbreekt ({zaak})",
        "De meerzorgdialoog {jaar} met zorgaanbieder {aanbieder} stond op {dialoog}; het verslag "
        "met de afspraken is nog niet vastgelegd.",
    ),
    "dialoog_afgerond": (
        "Verslag meerzorgdialoog {jaar} vastgelegd ({zaak})",
        "Het verslag van de meerzorgdialoog {jaar} (gehouden op {gehouden_op}) is vastgelegd met "
        "{aantal} afspraken. Ze komen terug in de terugblik van de dialoog {volgend_jaar}.",
    ),
}
# queue_bericht renders from the shared template table; the dialoog's own templates join it.
for _naam, _sjabloon in DIALOOG_SJABLONEN.items():
    SJABLONEN.setdefault(_naam, _sjabloon)


def dialoog_key(agb: str, jaar: int) -> str:
    """The dialoog's public key: run name, notification and audit reference."""
    return f"dialoog-{agb}-{jaar}"


@dataclass(frozen=True, slots=True)
class Data:
    uitnodiging: dt.date
    meerzorgplan_uiterlijk: dt.date
    dialoog: dt.date


@dataclass(frozen=True, slots=True)
class DialoogStand:
    """What the rules need to know of one dialoog."""

    agb: str
    jaar: int
    status: str
    stap: int
    uitnodiging: dt.date
    meerzorgplan_uiterlijk: dt.date
    dialoog: dt.date
    vorige_afspraken: str | None = None
    notities: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return dialoog_key(self.agb, self.jaar)


@dataclass(frozen=True, slots=True)
class VolgendJaarGepland:
    """At completion: next year's dialoog, with these afspraken as its terugblik."""

    jaar: int
    vorige_afspraken: str


class DialoogOvergang(Overgang):
    """The engine's Overgang, with readers for the dialoog's effects."""

    __slots__ = ()

    @property
    def wijzigingen(self) -> dict:
        out: dict = {}
        for e in self.alle(Gewijzigd):
            out.update(e.velden)
        return out

    @property
    def volgend_jaar(self) -> dict | None:
        e = self.een(VolgendJaarGepland)
        return {"jaar": e.jaar, "vorige_afspraken": e.vorige_afspraken} if e else None

    @property
    def herplan(self) -> bool:
        return bool(self.alle(Herpland))


def volgende_stap(status: str, stap: int = 0) -> Stap:
    return DIALOOG.volgende_stap(status, stap)


def wacht_key(status: str, stap: int) -> str:
    return DIALOOG.wacht_key(status, stap)


# --- dates -------------------------------------------------------------------------------


def data_voor(
    jaar: int,
    beleid: DialoogBeleid,
    uitnodiging: dt.date | None = None,
    dialoog: dt.date | None = None,
) -> Data:
    """The dates of the dialoog for `jaar`. Without `uitnodiging`: the policy's latest
    invitation date (in J-1). The dialoog keeps at least the policy's preparation time
    after the invitation, so a late invitation moves the dialoog, never the plan's lead."""
    uitnodiging = uitnodiging or beleid.maand_dag("uitnodiging_uiterlijk", jaar - 1)
    dialoog = dialoog or beleid.maand_dag("dialoog_standaard", jaar)
    voor = dt.timedelta(weeks=beleid.meerzorgplan_weken_voor)
    vroegst = uitnodiging + dt.timedelta(weeks=beleid.min_voorbereiding_weken) + voor
    dialoog = max(dialoog, vroegst)
    return Data(uitnodiging=uitnodiging, meerzorgplan_uiterlijk=dialoog - voor, dialoog=dialoog)


def planbare_jaren(peildatum: dt.date, beleid: DialoogBeleid) -> list[int]:
    """The years whose dialoog a provider that has meerzorg now, and no dialoog planned for
    that year, still gets (R §10: a dialoog every year). This year's when an invitation
    today leaves the policy's preparation time within the year (aanname: a dialoog that
    cannot be held this year is not planned into the next); next year's once the yearly
    planning (`planning_vanaf`, in J-1) has passed, before that the yearly planning will."""
    jaar = peildatum.year
    jaren = []
    if data_voor(jaar, beleid, uitnodiging=peildatum).dialoog.year == jaar:
        jaren.append(jaar)
    if peildatum >= beleid.maand_dag("planning_vanaf", jaar):
        jaren.append(jaar + 1)
    return jaren


def meerzorgplan_uiterlijk(dialoog: dt.date, beleid: DialoogBeleid) -> dt.date:
    return dialoog - dt.timedelta(weeks=beleid.meerzorgplan_weken_voor)


def plan_termijnen(data: Data, beleid: DialoogBeleid, peildatum: dt.date) -> tuple[Termijn, ...]:
    """Timers while waiting for the meerzorgplan: a reminder before the due date (skipped
    when that day has passed already) and an escalation after it."""
    out = []
    herinnering = data.meerzorgplan_uiterlijk - dt.timedelta(
        days=beleid.herinnering_dagen_voor_plan
    )
    if herinnering > peildatum:
        out.append(Termijn("herinnering_meerzorgplan", herinnering))
    out.append(
        Termijn(
            "escalatie_meerzorgplan",
            data.meerzorgplan_uiterlijk + dt.timedelta(days=beleid.escalatie_dagen_na_plan),
        )
    )
    return tuple(out)


def terugblik_prefill(jaar: int, afspraken: str | None) -> str:
    """Item 1 of next year's dialoog: this year's afspraken, one per line."""
    regels = afspraak_regels(afspraken)
    if not regels:
        return ""
    return f"Afspraken uit de meerzorgdialoog {jaar}:\n" + "\n".join(f"- {r}" for r in regels)


def afspraak_regels(tekst: str | None) -> list[str]:
    regels = []
    for regel in (tekst or "").splitlines():
        regel = regel.strip().lstrip("-*").strip()
        if regel:
            regels.append(regel)
    return regels


@dataclass(frozen=True, slots=True)
class NieuweDialoog:
    """The row of a newly planned dialoog."""

    agb: str
    jaar: int
    data: Data
    vorige_afspraken: str | None
    notities: dict
    termijnen: tuple[Termijn, ...]


def nieuwe_dialoog(
    agb: str, jaar: int, beleid: DialoogBeleid, vorige_afspraken: str | None = None
) -> NieuweDialoog:
    """A planned dialoog: dates from the policy, item 1 prefilled with last year's afspraken,
    and a safety timer: still not invited at the latest invitation date -> operations."""
    data = data_voor(jaar, beleid)
    prefill = terugblik_prefill(jaar - 1, vorige_afspraken)
    return NieuweDialoog(
        agb=agb,
        jaar=jaar,
        data=data,
        vorige_afspraken=vorige_afspraken,
        notities={"terugblik": prefill} if prefill else {},
        termijnen=(Termijn("uitnodiging_uiterlijk", data.uitnodiging),),
    )


def herplan_gepland(stand: DialoogStand, beleid: DialoogBeleid) -> Data | None:
    """A planned, not yet invited dialoog follows the policy in force when it is planned
    again (timers are data). None when its dates do not change."""
    if stand.status != "gepland":
        return None
    data = data_voor(stand.jaar, beleid)
    huidig = Data(stand.uitnodiging, stand.meerzorgplan_uiterlijk, stand.dialoog)
    return None if data == huidig else data


def _agenda_tekst() -> str:
    return "\n".join(f"{titel} ({uitleg})" for _, titel, uitleg in AGENDA)


def _context(stand: DialoogStand, data: Data | None = None, **extra) -> dict:
    data = data or Data(stand.uitnodiging, stand.meerzorgplan_uiterlijk, stand.dialoog)
    return {
        "jaar": stand.jaar,
        "aanbieder": stand.agb,
        "uitnodiging": data.uitnodiging.isoformat(),
        "dialoog": data.dialoog.isoformat(),
        "meerzorgplan_uiterlijk": data.meerzorgplan_uiterlijk.isoformat(),
        **extra,
    }


# --- events ------------------------------------------------------------------------------


def uitnodigen(stand: DialoogStand, peildatum: dt.date, beleid: DialoogBeleid) -> Overgang:
    """The invitation to provider and CCE; the plan's timers start."""
    if stand.status != "gepland":
        raise OngeldigeInvoer(f"{stand.key} is al uitgenodigd (status {stand.status})")
    data = data_voor(stand.jaar, beleid, uitnodiging=peildatum, dialoog=stand.dialoog)
    return DialoogOvergang(
        status="uitgenodigd",
        actie="dialoog_uitgenodigd",
        details={"dialoog": data.dialoog, "meerzorgplan_uiterlijk": data.meerzorgplan_uiterlijk},
        effecten=(
            Gewijzigd(
                {
                    "uitnodiging": data.uitnodiging,
                    "meerzorgplan_uiterlijk": data.meerzorgplan_uiterlijk,
                    "dialoog": data.dialoog,
                }
            ),
            *plan_termijnen(data, beleid, peildatum),
            Bericht("dialoog_uitnodiging", context=_context(stand, data, agenda=_agenda_tekst())),
            Bericht("dialoog_uitnodiging_cce", kanaal="operations", context=_context(stand, data)),
        ),
    )


def _verplaats(
    stand: DialoogStand, nieuw: dt.date, peildatum: dt.date, beleid: DialoogBeleid
) -> Overgang:
    if nieuw < peildatum:
        raise OngeldigeInvoer(f"de nieuwe dialoogdatum {nieuw} ligt voor vandaag ({peildatum})")
    if nieuw == stand.dialoog:
        raise OngeldigeInvoer(f"de dialoog staat al op {nieuw}")
    data = Data(stand.uitnodiging, meerzorgplan_uiterlijk(nieuw, beleid), nieuw)
    if stand.status == "uitgenodigd":
        termijnen = plan_termijnen(data, beleid, peildatum)
    else:
        termijnen = (verslag_termijn(nieuw, beleid),)
    return DialoogOvergang(
        status=stand.status,
        actie="dialoog_verplaatst",
        wacht_op=DIALOOG.wacht(stand.status).wacht_op,
        details={"van": stand.dialoog, "naar": nieuw},
        effecten=(
            Gewijzigd({"dialoog": nieuw, "meerzorgplan_uiterlijk": data.meerzorgplan_uiterlijk}),
            Herpland(),
            *termijnen,
            Bericht("dialoog_verplaatst", context=_context(stand, data)),
        ),
    )


def verslag_termijn(dialoog: dt.date, beleid: DialoogBeleid) -> Termijn:
    return Termijn(
        "verslag_herinnering", dialoog + dt.timedelta(days=beleid.verslag_herinnering_dagen)
    )


def na_meerzorgplan(
    stand: DialoogStand, invoer: dict, peildatum: dt.date, beleid: DialoogBeleid
) -> Overgang:
    """The meerzorgplan form: the plan has come in, and/or the dialoog moves to another day."""
    if stand.status != "uitgenodigd":
        raise OngeldigeInvoer(f"{stand.key} wacht niet op het meerzorgplan (status {stand.status})")
    ontvangen_op = invoer_datum(invoer.get("ontvangen_op"), "ontvangen_op")
    nieuw = invoer_datum(invoer.get("dialoog_datum"), "dialoog_datum")
    ontvangen = bool(invoer.get("ontvangen")) or ontvangen_op is not None
    if not ontvangen:
        if nieuw is None:
            raise OngeldigeInvoer(
                "vink 'ontvangen' aan zodra het meerzorgplan binnen is, of vul een nieuwe "
                "dialoog_datum in om de dialoog te verplaatsen"
            )
        return _verplaats(stand, nieuw, peildatum, beleid)
    ontvangen_op = ontvangen_op or peildatum
    if ontvangen_op > peildatum:
        raise OngeldigeInvoer(f"ontvangen_op {ontvangen_op} ligt in de toekomst")
    if ontvangen_op < stand.uitnodiging:
        raise OngeldigeInvoer(
            f"ontvangen_op {ontvangen_op} ligt voor de uitnodiging ({stand.uitnodiging})"
        )
    dialoog = stand.dialoog
    if nieuw is not None:
        if nieuw < peildatum:
            raise OngeldigeInvoer(f"de nieuwe dialoogdatum {nieuw} ligt voor vandaag ({peildatum})")
        dialoog = nieuw
    wijzigingen = {
        "meerzorgplan_ontvangen": ontvangen_op,
        "meerzorgplan_document": (invoer.get("document") or "").strip()[:500] or None,
        "dialoog": dialoog,
        "meerzorgplan_uiterlijk": meerzorgplan_uiterlijk(dialoog, beleid),
    }
    te_laat = ontvangen_op > stand.meerzorgplan_uiterlijk
    return DialoogOvergang(
        status="plan_ontvangen",
        actie="meerzorgplan_ontvangen",
        details={"ontvangen_op": ontvangen_op, "te_laat": te_laat},
        effecten=(
            Gewijzigd(wijzigingen),
            verslag_termijn(dialoog, beleid),
            Bericht(
                "dialoog_plan_ontvangen",
                context=_context(
                    stand,
                    Data(stand.uitnodiging, wijzigingen["meerzorgplan_uiterlijk"], dialoog),
                    ontvangen=ontvangen_op.isoformat(),
                ),
            ),
        ),
    )


def concept_notities(invoer: dict) -> dict:
    """What was typed on a verslag form, kept so a rejected form comes back filled in."""
    return {k: str(invoer.get(k) or "")[:10_000] for k in AGENDA_KEYS if invoer.get(k)}


def na_verslag(
    stand: DialoogStand, invoer: dict, peildatum: dt.date, beleid: DialoogBeleid
) -> Overgang:
    """The dialoog's verslag: notes on the five agenda items and the afspraken. Or, with only
    `dialoog_datum`, a postponed dialoog."""
    if stand.status != "plan_ontvangen":
        raise OngeldigeInvoer(f"{stand.key} wacht niet op de dialoog (status {stand.status})")
    nieuw = invoer_datum(invoer.get("dialoog_datum"), "dialoog_datum")
    notities = {k: str(invoer.get(k) or "").strip()[:10_000] for k in AGENDA_KEYS}
    ingevuld = [k for k in AGENDA_KEYS if notities[k] and notities[k] != stand.notities.get(k)]
    if nieuw is not None and not ingevuld:
        return _verplaats(stand, nieuw, peildatum, beleid)
    ontbreekt = [titel for k, titel, _ in AGENDA if not notities[k]]
    if ontbreekt:
        raise OngeldigeInvoer("vul de agendapunten in: " + "; ".join(ontbreekt))
    regels = afspraak_regels(notities["afspraken"])
    if not regels:
        raise OngeldigeInvoer("leg ten minste een afspraak vast (agendapunt 5)")
    verslaglegger = str(invoer.get("verslaglegger") or "").strip()
    if not verslaglegger:
        raise OngeldigeInvoer("vul het medewerker-id van de verslaglegger in")
    gehouden_op = invoer_datum(invoer.get("gehouden_op"), "gehouden_op") or nieuw or stand.dialoog
    if gehouden_op > peildatum:
        raise OngeldigeInvoer(
            f"de dialoog van {gehouden_op} is nog niet gehouden; vul gehouden_op in met de "
            "datum waarop hij plaatsvond"
        )
    if gehouden_op < stand.uitnodiging:
        raise OngeldigeInvoer(
            f"gehouden_op {gehouden_op} ligt voor de uitnodiging ({stand.uitnodiging})"
        )
    afspraken = "\n".join(regels)
    return DialoogOvergang(
        status="afgerond",
        actie="dialoog_afgerond",
        nieuwe_wacht=False,
        details={
            "gehouden_op": gehouden_op,
            "afspraken": len(regels),
            "cce_aanwezig": bool(invoer.get("cce_aanwezig")),
        },
        effecten=(
            Gewijzigd(
                {
                    "notities": notities,
                    "afspraken": afspraken,
                    "gehouden_op": gehouden_op,
                    "verslaglegger": verslaglegger[:64],
                }
            ),
            Bericht(
                "dialoog_afgerond",
                context=_context(
                    stand,
                    gehouden_op=gehouden_op.isoformat(),
                    aantal=len(regels),
                    volgend_jaar=stand.jaar + 1,
                ),
            ),
            VolgendJaarGepland(jaar=stand.jaar + 1, vorige_afspraken=afspraken),
        ),
    )


def na_invoer(
    stand: DialoogStand, invoer: dict, peildatum: dt.date, beleid: DialoogBeleid
) -> Overgang:
    wacht = DIALOOG.wacht(stand.status)
    if wacht is None:
        raise OngeldigeInvoer(f"{stand.key} wacht niet op invoer (status {stand.status})")
    return wacht.handler(stand, invoer, peildatum, beleid)


def ongeldig(stand: DialoogStand, fout: str, invoer: dict) -> Overgang:
    """A new wait with the error on the card; typed verslag text is kept."""
    wijzigingen = {}
    if stand.status == "plan_ontvangen":
        concept = concept_notities(invoer)
        if concept:
            wijzigingen["notities"] = {**stand.notities, **concept}
    return DialoogOvergang(
        status=stand.status,
        actie="ongeldige_invoer",
        wacht_op=None,
        details={"fout": fout},
        effecten=(Gewijzigd(wijzigingen),),
    )


def vervallen(stand: DialoogStand, reden: str) -> Overgang:
    return DialoogOvergang(
        status="vervallen", actie="dialoog_vervallen", nieuwe_wacht=False, details={"reden": reden}
    )


def bij_termijn(
    stand: DialoogStand, soort: str, datum: dt.date, beleid: DialoogBeleid
) -> Overgang | None:
    """A due timer. None: nothing to do (the dialoog moved on)."""
    status = stand.status
    if soort == "uitnodiging_uiterlijk" and status == "gepland":
        return DialoogOvergang(
            status=status,
            actie="dialoog_niet_uitgenodigd",
            nieuwe_wacht=False,
            effecten=(
                Bericht("dialoog_niet_uitgenodigd", kanaal="operations", context=_context(stand)),
            ),
        )
    if soort == "herinnering_meerzorgplan" and status == "uitgenodigd":
        return DialoogOvergang(
            status=status,
            actie="meerzorgplan_herinnering",
            nieuwe_wacht=False,
            effecten=(Bericht("dialoog_herinnering_meerzorgplan", context=_context(stand)),),
        )
    if soort == "escalatie_meerzorgplan" and status == "uitgenodigd":
        # A new wait: the run's tag shows the escalation (wacht-op:meerzorgplan-te-laat).
        return DialoogOvergang(
            status=status,
            actie="meerzorgplan_escalatie",
            wacht_op=TE_LAAT,
            effecten=(
                Bericht(
                    "dialoog_meerzorgplan_ontbreekt", kanaal="operations", context=_context(stand)
                ),
            ),
        )
    if soort == "verslag_herinnering" and status == "plan_ontvangen":
        return DialoogOvergang(
            status=status,
            actie="verslag_herinnering",
            nieuwe_wacht=False,
            effecten=(
                Bericht("dialoog_verslag_ontbreekt", kanaal="operations", context=_context(stand)),
            ),
        )
    return None


# --- the card ------------------------------------------------------------------------------

DIALOOG = Soort(
    naam="dialoog",
    statussen=DialoogStatus,
    gesloten=GESLOTEN,
    acties=frozenset({DialoogStatus.GEPLAND}),  # the invitation
    wachten=(
        Wacht(
            DialoogStatus.UITGENODIGD,
            "meerzorgplan",
            "Wacht op het **meerzorgplan** en de groepsevaluatie van de zorgaanbieder. Vink "
            "**ontvangen** aan zodra ze binnen zijn, of vul een nieuwe **dialoog_datum** in om "
            "de dialoog te verplaatsen.",
            ("herinnering_meerzorgplan", "escalatie_meerzorgplan"),
            "Meerzorgplan",
            na_meerzorgplan,
            rol="aanbieder",
            varianten={
                TE_LAAT: "Het **meerzorgplan is te laat**: operations is gewaarschuwd. Vink "
                "**ontvangen** aan zodra het binnen is, of verplaats de dialoog "
                "(**dialoog_datum**)."
            },
        ),
        Wacht(
            DialoogStatus.PLAN_ONTVANGEN,
            "dialoog",
            "Leg na de dialoog het **verslag** vast: notities bij de vijf agendapunten en de "
            "**afspraken** (een per regel). Agendapunt 1 bevat de afspraken van vorig jaar. "
            "Alleen een nieuwe **dialoog_datum** invullen verplaatst de dialoog.",
            ("verslag_herinnering",),
            "DialoogVerslag",
            na_verslag,
            rol="zorgkantoor",
        ),
    ),
)
WACHT_OP = DIALOOG.wacht_op
UITLEG = DIALOOG.uitleg()


def dialoogkaart(
    dialoog, naam: str | None, termijnen: list, notificaties: list[tuple[str, str]]
) -> str:
    """The Markdown card on every form of the dialoog run: provider codes and dates only."""
    d = dialoog
    lines = [f"## Meerzorgdialoog {d.jaar}: zorgaanbieder {d.agb}", ""]
    if d.laatste_fout:
        lines += [f"> **Invoer niet verwerkt:** {d.laatste_fout}", ""]
    if d.wacht_op:
        lines += [UITLEG.get(d.wacht_op, ""), ""]
    lines += [
        "| | |",
        "|---|---|",
        f"| Status | {d.status} (wacht op: {d.wacht_op or '-'}) |",
        f"| Zorgaanbieder | {d.agb}{f' ({naam})' if naam else ''} |",
        f"| Uitnodiging | {d.uitnodiging} |",
        f"| Meerzorgplan uiterlijk | {d.meerzorgplan_uiterlijk}"
        + (f" (ontvangen {d.meerzorgplan_ontvangen})" if d.meerzorgplan_ontvangen else "")
        + " |",
        f"| Dialoog | {d.dialoog}"
        + (f" (gehouden {d.gehouden_op})" if d.gehouden_op else "")
        + " |",
        f"| Beleidsversie | {d.beleidsversie} |",
        "",
        "### Agenda",
    ]
    lines += [f"{titel}: {uitleg}" for _, titel, uitleg in AGENDA]
    if d.vorige_afspraken:
        lines += ["", f"### Afspraken van {d.jaar - 1}"]
        lines += [f"- {r}" for r in afspraak_regels(d.vorige_afspraken)]
    if d.afspraken:
        lines += ["", f"### Afspraken {d.jaar}"]
        lines += [f"- {r}" for r in afspraak_regels(d.afspraken)]
    if termijnen:
        lines += ["", "### Komende termijnen"]
        lines += [f"- {t.datum}: {t.soort}" for t in termijnen]
    if notificaties:
        lines += ["", "### Notificaties"]
        lines += [f"- {onderwerp}: {status}" for onderwerp, status in notificaties]
    return "\n".join(lines)
