"""The case card: a pseudonymous Markdown summary of a zaak, shown on every Resume form
and published as an artifact. Zaak key and the provider's client references only."""

from __future__ import annotations

from sqlmodel import Session, select

from models.db.tables import Beschikking, Besluit, Deadline, Notificatie, Zaak
from models.proces import ZAAK

UITLEG = ZAAK.uitleg()  # wacht_op -> what the person at this wait does


def zaakkaart(session: Session, zaak: Zaak) -> str:
    """The case card as Markdown in the order the assessor reads it: long because it is a template."""
    toets = zaak.toets or {}
    aanvraag = zaak.aanvraag
    clienten = aanvraag.get("clienten", [])
    profielen = ", ".join(
        f"{c['client_id']}: {c['zorgprofiel']}{' (VG7-plus)' if c.get('vg7_plus') else ''}"
        for c in clienten
    )
    lines = [f"## Zaak {zaak.key}", ""]
    if zaak.laatste_fout:
        lines += [f"> **Invoer niet verwerkt:** {zaak.laatste_fout}", ""]
    if zaak.wacht_op:
        lines += [UITLEG.get(zaak.wacht_op, ""), ""]
    rekentool = toets.get("uitkomst_rekentool") or {}
    uitkomst = rekentool.get("profiel") or rekentool.get("soort", "-")
    termijn = toets.get("termijn") or {}
    lines += [
        "| | |",
        "|---|---|",
        f"| Status | {zaak.status} (wacht op: {zaak.wacht_op or '-'}) |",
        f"| Zorgaanbieder (AGB) | {zaak.agb} |",
        f"| Soort / vorm | {zaak.soort} / {zaak.vorm} |",
        f"| Leveringsvorm | {zaak.leveringsvorm}{' (thuis)' if zaak.thuis else ''} |",
        f"| Clienten en zorgprofiel | {profielen} |",
        f"| Ingediend op | {zaak.ingediend_op} |",
        f"| Overschrijding | {toets.get('overschrijding_pct', '-')}% |",
        f"| Rekentool | {uitkomst}, {toets.get('bedrag_per_jaar', 0):,.2f} euro per jaar |",
        f"| Gevraagde termijn | {aanvraag.get('gevraagde_start')} t/m {aanvraag.get('gevraagde_eind')} |",
        f"| Termijn na toets | {termijn.get('start', '-')} t/m {termijn.get('eind', '-')} |",
        f"| Beleidsversie | {zaak.beleidsversie or '-'} |",
    ]
    if zaak.voorlopig_besluit:
        v = zaak.voorlopig_besluit
        lines += [
            "",
            "### Eerste beoordeling (vier ogen)",
            f"- toekennen door {v.get('beoordelaar')}: {v.get('start')} t/m {v.get('eind')}"
            + (f", {v['bedrag_per_jaar']:,.2f} euro/jaar" if v.get("bedrag_per_jaar") else ""),
        ]
    bevindingen = toets.get("bevindingen") or []
    lines += ["", "### Bevindingen"]
    lines += [f"- **{b['code']}** ({b['ernst']}): {b['toelichting']}" for b in bevindingen] or [
        "- geen"
    ]
    besluiten = session.exec(
        select(Besluit).where(Besluit.zaak == zaak.key).order_by(Besluit.id)
    ).all()
    if besluiten:
        lines += ["", "### Besluiten"]
        lines += [
            f"- {b.datum}: **{b.uitkomst}** door {b.beoordelaar}"
            + (f": {b.onderbouwing}" if b.onderbouwing else "")
            for b in besluiten
        ]
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
            f"- {n.onderwerp}: {n.status}" + (f" ({n.laatste_fout})" if n.laatste_fout else "")
            for n in notificaties
        ]
    return "\n".join(lines)
