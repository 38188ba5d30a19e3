"""The yearly meerzorgdialoog as a case kind (R §10, DOMAIN.md §9), as pure rules: its events
and its declaration `DIALOOG` for the engine (models/engine.py).

Like models/proces.py these functions take a stand and an event and return an Overgang;
tasks/dialoog.py applies it in one transaction. The vocabulary and the dates they use are
in models/dialoog.py, the messages they send in models/berichten.py, the card on the run's
forms in models/dialoog_kaart.py. No Prefect, no I/O."""

from __future__ import annotations

import datetime as dt

from models.beleid import DialoogBeleid
from models.dialoog import (
    AGENDA,
    AGENDA_KEYS,
    GESLOTEN,
    TE_LAAT,
    Data,
    DialoogOvergang,
    DialoogStand,
    DialoogStatus,
    VerslagNaarAanbieder,
    VolgendJaarGepland,
    afspraak_regels,
    data_voor,
    meerzorgplan_uiterlijk,
    plan_termijnen,
    verslag_termijn,
)
from models.dialoog_formulieren import DialoogVerslag, Meerzorgplan
from models.dialoog_verslag import onafdrukbaar
from models.engine import (
    ONGELDIGE_INVOER,
    Bericht,
    Gewijzigd,
    Herpland,
    OngeldigeInvoer,
    Overgang,
    Soort,
    Stap,
    TermijnRegel,
    Wacht,
    invoer_datum,
)
from models.overgang import BESLISSENDE_ROLLEN


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
            # R §10: the CCE takes part in the dialoog, so it is invited on its own channel
            # (MEERZORG_CCE_NOTIFY), not told through operations.
            Bericht("dialoog_uitnodiging_cce", kanaal="cce", context=_context(stand, data)),
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
    """Long because each refusal of a verslag names what is missing. The dialoog's verslag:
    notes on the five agenda items and the afspraken. Or, with only
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
    if not invoer.get("cce_aanwezig"):
        # R §10: "Ieder jaar voert de zorgaanbieder samen met het zorgkantoor en CCE een
        # meerzorgdialoog", and taking part in it is the CCE's advisory role: a meeting
        # without the CCE is not that dialoog, so it is moved, not closed.
        raise OngeldigeInvoer(
            "het CCE neemt deel aan de meerzorgdialoog (R §10): vink cce_aanwezig aan, of "
            "verplaats de dialoog met een nieuwe dialoog_datum als het CCE er niet bij was"
        )
    onleesbaar = onafdrukbaar(notities.values())
    if onleesbaar:
        raise OngeldigeInvoer(
            f"het verslag bevat tekens die de brief aan de zorgaanbieder niet kan afdrukken: "
            f"{onleesbaar}"
        )
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
            "cce_aanwezig": True,
        },
        effecten=(
            Gewijzigd(
                {
                    "notities": notities,
                    "afspraken": afspraken,
                    "gehouden_op": gehouden_op,
                    "verslaglegger": verslaglegger[:64],
                    "cce_aanwezig": True,
                }
            ),
            # R §10: the verslag and its afspraken go to the provider (the afspraken land in
            # its meerzorgplan): a letter in the case database, its message the key only.
            VerslagNaarAanbieder(
                Bericht(
                    "dialoog_afgerond",
                    context=_context(
                        stand,
                        gehouden_op=gehouden_op.isoformat(),
                        aantal=len(regels),
                        volgend_jaar=stand.jaar + 1,
                    ),
                )
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
        actie=ONGELDIGE_INVOER,
        wacht_op=None,
        details={"fout": fout},
        effecten=(Gewijzigd(wijzigingen),),
    )


def vervallen(stand: DialoogStand, reden: str) -> Overgang:
    return DialoogOvergang(
        status="vervallen", actie="dialoog_vervallen", nieuwe_wacht=False, details={"reden": reden}
    )


def _melding(actie: str, sjabloon: str, kanaal: str = "aanbieder", wacht_op: str | None = None):
    """A due timer's rule that sends one message and keeps the dialoog where it is; with
    `wacht_op` a new wait whose tag shows the escalation (wacht-op:meerzorgplan-te-laat)."""

    def regel(stand: DialoogStand, datum: dt.date, beleid) -> Overgang:
        return DialoogOvergang(
            status=stand.status,
            actie=actie,
            nieuwe_wacht=wacht_op is not None,
            wacht_op=wacht_op,
            effecten=(Bericht(sjabloon, kanaal=kanaal, context=_context(stand)),),
        )

    return regel


# R §10 via models/dialoog.plan_termijnen: each timer applies in one status of the dialoog.
TERMIJNREGELS = {
    "uitnodiging_uiterlijk": TermijnRegel(
        frozenset({DialoogStatus.GEPLAND}),
        _melding("dialoog_niet_uitgenodigd", "dialoog_niet_uitgenodigd", "operations"),
    ),
    "herinnering_meerzorgplan": TermijnRegel(
        frozenset({DialoogStatus.UITGENODIGD}),
        _melding("meerzorgplan_herinnering", "dialoog_herinnering_meerzorgplan"),
    ),
    "escalatie_meerzorgplan": TermijnRegel(
        frozenset({DialoogStatus.UITGENODIGD}),
        _melding("meerzorgplan_escalatie", "dialoog_meerzorgplan_ontbreekt", "operations", TE_LAAT),
    ),
    "verslag_herinnering": TermijnRegel(
        frozenset({DialoogStatus.PLAN_ONTVANGEN}),
        _melding("verslag_herinnering", "dialoog_verslag_ontbreekt", "operations"),
    ),
}


def bij_termijn(
    stand: DialoogStand, soort: str, datum: dt.date, beleid: DialoogBeleid
) -> Overgang | None:
    """A due timer. None: nothing to do (the dialoog moved on)."""
    regel = DIALOOG.termijnregels.get(soort)
    if regel is None or stand.status not in regel.statussen:
        return None
    return regel.doe(stand, datum, beleid)


# --- the case kind -------------------------------------------------------------------------

# R §10: the meerzorgdialoog is held by the zorgkantoor with the CCE.
DIALOOG_ROLLEN = (*BESLISSENDE_ROLLEN, "cce")

DIALOOG = Soort(
    naam="dialoog",
    statussen=DialoogStatus,
    gesloten=GESLOTEN,
    acties=frozenset({DialoogStatus.GEPLAND}),  # the invitation
    termijnregels=TERMIJNREGELS,
    wachten=(
        Wacht(
            DialoogStatus.UITGENODIGD,
            "meerzorgplan",
            "Wacht op het **meerzorgplan** en de groepsevaluatie van de zorgaanbieder. Vink "
            "**ontvangen** aan zodra ze binnen zijn, of vul een nieuwe **dialoog_datum** in om "
            "de dialoog te verplaatsen.",
            ("herinnering_meerzorgplan", "escalatie_meerzorgplan"),
            Meerzorgplan,
            "medewerker",
            na_meerzorgplan,
            rollen=DIALOOG_ROLLEN,
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
            DialoogVerslag,
            "verslaglegger",
            na_verslag,
            rollen=DIALOOG_ROLLEN,
            rol="zorgkantoor",
        ),
    ),
)
WACHT_OP = DIALOOG.wacht_op
UITLEG = DIALOOG.uitleg()


def volgende_stap(status: str, stap: int = 0) -> Stap:
    return DIALOOG.volgende_stap(status, stap)


def wacht_key(status: str, stap: int) -> str:
    return DIALOOG.wacht_key(status, stap)
