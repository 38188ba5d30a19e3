"""The case card: a pseudonymous Markdown summary of a zaak, shown on every Resume form
and published as an artifact. Zaak key and the provider's client references only.

Compact first (issue 12 item 7): a short table of the essentials that fits above the form
at 1366x768; then the whole aanvraag (item 5) under headings, in the order an assessor
reads it: vragenlijst, doelen, the previous period for a verlenging, the rekentool, the
check vooraf, the spiegel, the findings, and what happened so far."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, select

from models import dwangsom
from models.aanvrager import aanbieder_label
from models.bijstelling import kaartregel
from models.dates import vandaag
from models.db.dwangsom_store import ingebrekestelling_van
from models.db.tables import Beschikking, Besluit, Deadline, Notificatie, Zaak
from models.db.tables_brief import Brief
from models.db.zaakbeeld import zaak_feiten
from models.proces import ZAAK
from models.spiegel import spiegel_regel
from models.zaakinhoud import (
    CHECK_VOORAF_LABELS,
    VRAGENLIJST_LABELS,
    advies_regel,
    zonder_bsn,
)
from models.zienswijze import kaart_regels

UITLEG = ZAAK.uitleg()  # wacht_op -> what the person at this wait does


def _tekst(value) -> str:
    """Free text on one line, safe in a table cell or list item, without a BSN."""
    return re.sub(r"\s+", " ", zonder_bsn(str(value or ""))).strip().replace("|", "\\|")


def _vrij(value) -> str:
    """Free text the provider or a person wrote: it may name a client, and names stay in the
    database (privacy rule; Prefect keeps artifacts and run inputs). The card says whether it
    is there and how long; `meerzorg zaak KEY` (a logged read of the database) shows it."""
    woorden = len(str(value or "").split())
    return f"ingevuld ({woorden} woorden)" if woorden else "(niet ingevuld)"


def _euro(bedrag) -> str:
    return "-" if bedrag is None else f"{bedrag:,.2f} euro"


def zaakkaart(session: Session, zaak: Zaak, peildatum: dt.date | None = None) -> str:
    """The case card as Markdown: the compact summary, then the details under headings.
    `peildatum`: the day a dwangsom is counted to (default today)."""
    feiten = zaak_feiten(session, zaak)
    lines = _samenvatting(zaak, feiten)
    # Awb 4:17: an ingebrekestelling and its dwangsom to date, right under the essentials.
    lines += dwangsom.kaart_regels(
        dwangsom.overzicht(
            ingebrekestelling_van(session=session, zaak=zaak.key), peildatum or vandaag()
        )
    )
    lines += _aanvraag(zaak.key, feiten)
    lines += _vorige_periode(feiten)
    lines += _rekentool(zaak.toets or {}, feiten)
    lines += _check_vooraf(feiten["aanvraag_inhoud"]["check_vooraf"])
    lines += _spiegel(feiten["spiegel"])
    lines += _bevindingen(zaak)
    lines += _verloop(session, zaak)
    return "\n".join(lines)


def _samenvatting(zaak: Zaak, feiten: dict) -> list[str]:
    """The essentials in one short table: what a beoordelaar needs beside the form."""
    toets = zaak.toets or {}
    aanvraag = zaak.aanvraag
    profielen = ", ".join(
        f"{c['client_id']}: {c['zorgprofiel']}{' (VG7-plus)' if c.get('vg7_plus') else ''}"
        for c in aanvraag.get("clienten", [])
    )
    lines = [f"## Zaak {zaak.key}", ""]
    if zaak.laatste_fout:
        lines += [f"> **Invoer niet verwerkt:** {_tekst(zaak.laatste_fout)}", ""]
    if zaak.wacht_op:
        lines += [UITLEG.get(zaak.wacht_op, ""), ""]
    rekentool = toets.get("uitkomst_rekentool") or {}
    uitkomst = rekentool.get("profiel") or rekentool.get("soort", "-")
    termijn = toets.get("termijn") or {}
    drempel = f" (drempel {feiten['drempel'] * 100:.0f}%)" if feiten["drempel"] else ""
    lines += [
        "| | |",
        "|---|---|",
        f"| Status | {zaak.status} (wacht op: {zaak.wacht_op or '-'}) |",
    ]
    advies = advies_regel(feiten)
    if advies:
        lines.append(f"| Advies toets | {advies} |")
    lines += [
        f"| Soort / vorm | {zaak.soort} / {zaak.vorm} |",
        f"| Leveringsvorm | {zaak.leveringsvorm}{' (thuis)' if zaak.thuis else ''} |",
    ]
    if feiten["coulant"]:
        lines.append("| Coulant | verlenging thuis: coulante maatwerkbeoordeling (N 2025) |")
    if bijstelling := kaartregel(zaak.bijstelling):
        lines.append(f"| Bijstelling (R §10) | {bijstelling} |")
    lines += [
        f"| Clienten en zorgprofiel | {profielen} |",
        f"| Overschrijding | {toets.get('overschrijding_pct', '-')}%{drempel} |",
        f"| Rekentool | {uitkomst}, {toets.get('bedrag_per_jaar', 0):,.2f} euro per jaar |",
        f"| Spiegel | {spiegel_regel(feiten['spiegel'])} |",
        f"| Gevraagde termijn | {aanvraag.get('gevraagde_start')} t/m {aanvraag.get('gevraagde_eind')} |",
        f"| Termijn na toets | {termijn.get('start', '-')} t/m {termijn.get('eind', '-')} |",
        f"| Zorgaanbieder (AGB) | {aanbieder_label(zaak.agb)}, ingediend op {zaak.ingediend_op} |",
        f"| Beleidsversie | {zaak.beleidsversie or '-'} |",
    ]
    if zaak.voorlopig_besluit and "voornemen" not in zaak.voorlopig_besluit:
        v = zaak.voorlopig_besluit
        lines += [
            "",
            "### Eerste beoordeling (vier ogen)",
            f"- toekennen door {v.get('beoordelaar')}: {v.get('start')} t/m {v.get('eind')}"
            + (f", {v['bedrag_per_jaar']:,.2f} euro/jaar" if v.get("bedrag_per_jaar") else ""),
        ]
    # Awb 4:7, 4:8: the voornemen and its zienswijze (dates and roles, no free text).
    lines += kaart_regels(zaak.voorlopig_besluit)
    return lines


def _aanvraag(key: str, feiten: dict) -> list[str]:
    """The vragenlijst (R §6: 1 huidige, 2 gewenste situatie, 3 inzet) and the doelen, with
    the perspectief recorded at toekenning when there is one."""
    inhoud = feiten["aanvraag_inhoud"]
    lines = [
        "",
        "### Vragenlijst",
        "_Vrije tekst blijft in de zaakdatabase (kan namen bevatten): lees hem met "
        f"`meerzorg zaak {key}`._",
    ]
    for veld, label in VRAGENLIJST_LABELS.items():
        lines.append(f"- **{label}:** {_vrij(inhoud['vragenlijst'][veld])}")
    lines += ["", "### Doelen"]
    lines += [f"{i}. {_vrij(d)}" for i, d in enumerate(inhoud["doelen"], 1)] or [
        "- (geen doelen opgegeven)"
    ]
    if feiten["perspectief"]:
        lines.append(f"- **Perspectief:** {_perspectief(feiten['perspectief'])}")
    return lines


def _perspectief(p: dict | None) -> str:
    if not p:
        return "(niet vastgelegd)"
    tekst = _vrij(p.get("verwachting"))
    return tekst + (f", evalueren op {p['evalueren_op']}" if p.get("evalueren_op") else "")


def _vorige_periode(feiten: dict) -> list[str]:
    """A verlenging beside the previous period (PDCA, R §10-11): its doelen, perspectief and
    the provider's evaluation next to this aanvraag's doelen and evaluatie_vorige_periode."""
    vorige = feiten["vorige_periode"]
    if vorige is None:
        return []
    kop = f"### Vorige periode ({vorige['zaak'] or 'zaak onbekend'}) en deze aanvraag"
    lines = ["", kop]
    if not vorige["gevonden"]:
        lines.append("- vorige zaak niet in het systeem")
    evaluatie = vorige["evaluatie"]
    besluit = vorige["besluit"]
    lines += [
        "",
        "| | Vorige periode | Deze aanvraag |",
        "|---|---|---|",
        f"| Doelen | {_lijst(vorige['doelen'])} | {_lijst(feiten['aanvraag_inhoud']['doelen'])} |",
        f"| Perspectief | {_perspectief(vorige['perspectief'])} | "
        f"{_perspectief(feiten['perspectief']) if feiten['perspectief'] else ''} |",
        "| Evaluatie | "
        + (
            f"{evaluatie['doelen_behaald']}, toelichting {_vrij(evaluatie['toelichting'])} "
            f"({evaluatie['datum']})"
            if evaluatie
            else "(geen evaluatie vastgelegd)"
        )
        + f" | {_vrij(vorige['evaluatie_vorige_periode'])} |",
    ]
    if besluit:
        lines.append(
            f"| Besluit | toekennen op {besluit['datum']}: {besluit['start']} t/m "
            f"{besluit['eind']} | |"
        )
    return lines


def _lijst(items: list[str]) -> str:
    return " · ".join(f"{i}. {_vrij(d)}" for i, d in enumerate(items, 1)) or "-"


def _rekentool(toets: dict, feiten: dict) -> list[str]:
    """Care hours against the norm (the excess of R §10 is on care only), then what adds to
    the amount: behandelaar hours and context-gebonden middelen (R §6)."""
    inhoud = feiten["aanvraag_inhoud"]
    uren = inhoud["uren"]
    lines = ["", "### Rekentool", "", "| Zorg | uren per week |", "|---|---|"]
    lines += [f"| {c} | {h:g} |" for c, h in uren["per_week"].items()]
    lines.append(f"| **totaal** | **{uren['totaal_per_week']:g}** |")
    if uren["norm_per_week"] is not None:
        normen = ", ".join(
            f"{n['client_id']} {n['zorgprofiel']} {n['norm_per_week']:g}"
            for n in uren["norm_per_client"]
        )
        lines += [
            f"| norm van het profiel ({normen}) | {uren['norm_per_week']:g} |",
            f"| boven de norm | {uren['boven_norm_per_week']:g} |",
        ]
    behandeling = inhoud["behandelaar_uren"]
    disciplines = ", ".join(f"{b} {h:g}" for b, h in behandeling["per_week"].items() if h)
    rekentool = toets.get("uitkomst_rekentool") or {}
    lines += [
        "",
        f"- **Behandelaars (uren per week):** {disciplines or 'geen'}"
        + (f" (totaal {behandeling['totaal_per_week']:g})" if disciplines else ""),
        f"- **Context-gebonden middelen:** {_euro(inhoud['context_middelen'])} per jaar",
    ]
    if toets:
        lines.append(
            f"- **Uitkomst:** {rekentool.get('profiel') or rekentool.get('soort', '-')}, "
            f"{_euro(toets.get('bedrag_per_jaar'))} per jaar, "
            f"{_euro(rekentool.get('bedrag_per_client_per_jaar'))} per client"
        )
    return lines


def _check_vooraf(check: dict) -> list[str]:
    """The provider's check vooraf (R §5) and other toeslagen (NZa)."""
    lines = ["", "### Check vooraf"]
    lines += [
        f"- {label}: **{'ja' if check[veld] else 'nee'}**"
        for veld, label in CHECK_VOORAF_LABELS.items()
    ]
    return lines


def _spiegel(s: dict) -> list[str]:
    """The spiegel: comparable beschikkingen (same zorgprofiel and leveringsvorm)."""
    lines = ["", "### Spiegel: vergelijkbare beschikkingen", f"- {spiegel_regel(s)}"]
    if s.get("aanvraag_bedrag_per_client_per_jaar") is not None:
        lines.append(
            f"- deze aanvraag: {_euro(s['aanvraag_bedrag_per_client_per_jaar'])} per client per jaar"
        )
    if len(s["per_profiel"]) > 1:
        lines += [
            f"- {p['zorgprofiel']} / {p['leveringsvorm']}: {spiegel_regel(p)}"
            for p in s["per_profiel"]
        ]
    return lines


def _bevindingen(zaak: Zaak) -> list[str]:
    bevindingen = (zaak.toets or {}).get("bevindingen") or []
    lines = ["", "### Bevindingen"]
    lines += [
        f"- **{b['code']}** ({b['ernst']}): {_tekst(b['toelichting'])}" for b in bevindingen
    ] or ["- geen"]
    return lines


def _brief_regel(brief: Brief) -> str:
    """A letter of a besluit by its addressee's role and channel (never a name or address):
    an undeliverable one stands out, for its term never started (Awb 6:8)."""
    wie = " en ".join(brief.rollen) + (f" {brief.client_id}" if brief.client_id else "")
    kanaal = "per post" if brief.kanaal == "post" else "digitaal"
    if brief.status == "bekendgemaakt":
        stand = f"bekendgemaakt op {brief.bekendgemaakt_op}" + (
            f", reactie uiterlijk {brief.uiterlijke_reactiedatum}"
            if brief.uiterlijke_reactiedatum
            else ""
        )
    elif brief.status == "onbestelbaar":
        stand = "**ONBESTELBAAR: de termijn loopt niet** (controleer het adres)"
    else:
        stand = "nog niet verzonden"
    return f"  - brief aan {wie} ({kanaal}): {stand}"


def _verloop(session: Session, zaak: Zaak) -> list[str]:
    """What happened so far: besluiten, beschikkingen, open timers, notifications."""
    lines: list[str] = []
    besluiten = session.exec(
        select(Besluit).where(Besluit.zaak == zaak.key).order_by(Besluit.id)
    ).all()
    if besluiten:
        lines += ["", "### Besluiten"]
        brieven: dict[int, list[Brief]] = {}
        for brief in session.exec(select(Brief).where(Brief.zaak == zaak.key).order_by(Brief.id)):
            brieven.setdefault(brief.besluit_id, []).append(brief)
        for b in besluiten:
            lines.append(
                f"- {b.datum}: **{b.uitkomst}** door {b.beoordelaar}"
                + (" (coulant)" if b.coulant else "")
                + (f": {_tekst(b.onderbouwing)}" if b.onderbouwing else "")
            )
            lines += [_brief_regel(brief) for brief in brieven.get(b.id, [])]
    beschikkingen = session.exec(select(Beschikking).where(Beschikking.zaak == zaak.key)).all()
    if beschikkingen:
        lines += ["", "### Beschikkingen"]
        lines += [
            f"- {b.client_id}: {b.start} t/m {b.eind}, {b.bedrag_per_jaar:,.2f} euro/jaar ({b.status})"
            for b in beschikkingen
        ]
    deadlines = session.exec(
        select(Deadline)
        .where(Deadline.zaak == zaak.key, Deadline.status == "open")
        .order_by(Deadline.datum)
    ).all()
    if deadlines:
        lines += ["", "### Komende termijnen"]
        lines += [
            f"- {d.datum}: {d.soort}" + (f" ({d.client_id})" if d.client_id else "")
            for d in deadlines
        ]
    notificaties = session.exec(
        select(Notificatie).where(Notificatie.zaak == zaak.key).order_by(Notificatie.id)
    ).all()
    if notificaties:
        lines += ["", "### Notificaties"]
        lines += [
            f"- {n.onderwerp}: {n.status}"
            + (f" ({_tekst(n.laatste_fout)})" if n.laatste_fout else "")
            for n in notificaties
        ]
    return lines
