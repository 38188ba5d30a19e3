"""The card of a meerzorgdialoog (R §10): the Markdown on every form of its run, with the
provider's codes and the dates only. Pure: tasks/dialoog.py reads the row, its open timers
and its notifications and passes them in."""

from __future__ import annotations

from models.dialoog import AGENDA, afspraak_regels
from models.dialoog_proces import UITLEG


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
        *([f"| CCE aanwezig | {'ja' if d.cce_aanwezig else 'nee'} |"] if d.gehouden_op else []),
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
