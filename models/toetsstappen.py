"""The steps of the toets that need only the aanvraag and the policy: indicatie, profiel,
completeness (check vooraf, vragenlijst, verlenging) and other supplements. models/toets.py
runs them in the policy's order, with the threshold and the term. Which findings are about
completeness (herstel, Awb 4:5) and which are content for the beoordelaar is decided per code
in models/bevinding.py (AARD), not by the step that finds them: check_verlenging, for one,
yields both EVALUATIE_ONTBREEKT (completeness) and VG7PLUS_GEEN_VERLENGING (content).

One step needs a fact from outside the aanvraag: the overlap check (check_overlap) gets the
client's running meerzorg beschikkingen elsewhere as plain data (MeerzorgElders, read by
models/db/overlap_lezen.py); without them it is not run and the toets says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.aanvraag import Aanvraag, Client
from models.beleid import Beleid
from models.bevinding import Bevinding
from models.dates import plus_maanden


def ontwikkeltraject_binnen(client: Client, peildatum: dt.date, maanden: int) -> bool:
    """Has the client completed an ontwikkeltraject in the `maanden` before the peildatum?"""
    van = plus_maanden(peildatum, -maanden)
    return any(o.voltooid and van <= o.afgerond_op <= peildatum for o in client.ontwikkeltrajecten)


def check_indicatie(a: Aanvraag, beleid: Beleid, peildatum: dt.date) -> list[Bevinding]:
    """R §5, §10: an indicatie that no longer fits, or ends before the start, is a content
    finding for the beoordelaar (models/bevinding.py AARD): the new indicatie is the CIZ's
    besluit, not something the applicant supplies in herstel (Awb 4:5)."""
    out = []
    if not a.check_vooraf.indicatie_passend:
        out.append(
            Bevinding(
                "INDICATIE_HERAANVRAAG",
                "blokkerend",
                "De indicatie past niet meer bij de zorgvraag: eerst een nieuwe CIZ-indicatie "
                "(R §5, §10).",
            )
        )
    for c in a.clienten:
        if c.indicatie_einddatum < max(a.gevraagde_start, peildatum):
            out.append(
                Bevinding(
                    "INDICATIE_HERAANVRAAG",
                    "blokkerend",
                    f"Client {c.client_id}: de indicatie eindigt op {c.indicatie_einddatum}, "
                    "voor de start: eerst een nieuwe CIZ-indicatie (R §5, §10).",
                )
            )
    return out


def check_profiel(a: Aanvraag, beleid: Beleid) -> list[Bevinding]:
    out = []
    for c in a.clienten:
        if c.zorgprofiel not in beleid.profielen[c.leveringsvorm]:
            out.append(
                Bevinding(
                    "PROFIEL_GEEN_MEERZORG",
                    "blokkerend",
                    f"Client {c.client_id}: zorgprofiel {c.zorgprofiel} met leveringsvorm "
                    f"{c.leveringsvorm} komt niet in aanmerking voor meerzorg.",
                )
            )
    if a.vorm == "groep" and len(a.clienten) < 2:
        out.append(
            Bevinding(
                "GROEP_TE_KLEIN",
                "blokkerend",
                f"Groepsmeerzorg vraagt twee of meer clienten in een groep; deze aanvraag heeft er "
                f"{len(a.clienten)} (R §8).",
            )
        )
    return out


def check_volledigheid(a: Aanvraag, beleid: Beleid, peildatum: dt.date) -> list[Bevinding]:
    """Is the aanvraag complete enough to assess (R §5, §6, §10, §11)?"""
    return [
        *check_vooraf(a),
        *check_vragenlijst(a),
        *(check_verlenging(a, beleid, peildatum) if a.soort == "verlenging" else []),
        *signalen_per_client(a),
    ]


def check_vooraf(a: Aanvraag) -> list[Bevinding]:
    out = []
    cv = a.check_vooraf
    missing = [
        naam
        for naam in (
            "beeldvorming_helder",
            "handelingsverlegenheid",
            "basiszorg_op_orde",
            "driehoek_betrokken",
            "client_betrokken",
        )
        if not getattr(cv, naam)
    ]
    if missing:
        out.append(
            Bevinding(
                "CHECK_VOORAF_ONVOLLEDIG",
                "blokkerend",
                f"Check vooraf niet afgerond: {', '.join(missing)} (R §5).",
            )
        )
    if not cv.cce_consultatie_overwogen:
        out.append(
            Bevinding(
                "CCE_CONSULTATIE_NIET_OVERWOGEN",
                "signaal",
                "Interne of externe consultatie (bijvoorbeeld CCE) is niet overwogen (R §5).",
            )
        )
    return out


def check_vragenlijst(a: Aanvraag) -> list[Bevinding]:
    out = []
    vl = a.vragenlijst
    leeg = [n for n in ("huidige_situatie", "gewenste_situatie", "inzet") if not getattr(vl, n)]
    if not a.doelen or not any(d.strip() for d in a.doelen):
        leeg.append("doelen")
    if leeg:
        out.append(
            Bevinding(
                "VRAGENLIJST_ONVOLLEDIG",
                "blokkerend",
                f"Vragenlijst of doelen onvolledig: {', '.join(leeg)} ontbreekt (R §6).",
            )
        )
    return out


def check_verlenging(a: Aanvraag, beleid: Beleid, peildatum: dt.date) -> list[Bevinding]:
    out = []
    if not (a.evaluatie_vorige_periode or "").strip():
        out.append(
            Bevinding(
                "EVALUATIE_ONTBREEKT",
                "blokkerend",
                "Bij een verlenging hoort de evaluatie van de doelen van de vorige periode (R §11).",
            )
        )
    for c in a.clienten:
        if c.vg7_plus:
            out.append(
                Bevinding(
                    "VG7PLUS_GEEN_VERLENGING",
                    "blokkerend",
                    f"Client {c.client_id}: VG7-plus, in principe geen verlenging (R §9); "
                    "plan een passende overgang.",
                )
            )
        periode = beleid.termijnen.ontwikkeltraject_periode_maanden
        if not ontwikkeltraject_binnen(c, max(a.gevraagde_start, peildatum), periode):
            out.append(
                Bevinding(
                    "ONTWIKKELTRAJECT_ONTBREEKT",
                    "signaal",
                    f"Client {c.client_id}: geen afgerond CCE-ontwikkeltraject in de laatste "
                    f"{periode // 12} jaar (R §10).",
                )
            )
    if beleid.toets.coulante_verlenging_thuis and a.is_thuis:
        out.append(
            Bevinding(
                "COULANTE_MAATWERKBEOORDELING",
                "signaal",
                "Verlenging van meerzorg thuis: coulante maatwerkbeoordeling toepassen (N 2025).",
            )
        )
    return out


def signalen_per_client(a: Aanvraag) -> list[Bevinding]:
    out = []
    for c in a.clienten:
        if c.lvhc:
            out.append(
                Bevinding(
                    "LVHC_VOORWAARDEN",
                    "signaal",
                    f"Client {c.client_id}: Laag Volume Hoog Complex, specifieke voorwaarden "
                    "(Voorschrift Zorgtoewijzing 5.4).",
                )
            )
        for o in c.ontwikkeltrajecten:
            if o.bijeenkomst_2 and o.bijeenkomst_2.year != o.bijeenkomst_1.year:
                out.append(
                    Bevinding(
                        "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND",
                        "signaal",
                        f"Client {c.client_id}: de twee bijeenkomsten van het ontwikkeltraject "
                        "vallen in verschillende kalenderjaren (liefst binnen een jaar, R §10).",
                    )
                )
    return out


def landelijke_methode(a: Aanvraag) -> bool:
    """The national method of policy 2026.1 is the "landelijke beoordelingsmethode pgb
    meerzorg thuis": it applies to a pgb aanvraag (every client pgb); an mpt aanvraag gets
    every check, as before 2026.1 (its source names pgb only)."""
    return all(c.leveringsvorm == "pgb" for c in a.clienten)


def stapsgewijs(
    gevonden: Mapping[str, list[Bevinding]], volgorde: Sequence[str]
) -> tuple[list[Bevinding], tuple[str, ...]]:
    """The national method (2026.1): the content is assessed step by step in the method's
    order and stops at the first step with a blocking content finding; completeness is
    checked in full whatever the stop, in every step (also one the policy does not list), so
    one request to complete the aanvraag names everything missing (Awb 4:5: no second round
    for the family) and `volledig` always rests on a check. aanname: how the method and 4:5
    combine; the method stops the assessment, not the request. Returns the findings and the
    steps whose content was not assessed (`niet_getoetst`)."""
    out: list[Bevinding] = []
    gestopt = None
    for stap in volgorde:
        bevindingen = gevonden[stap]
        if gestopt is not None:
            out.extend(b for b in bevindingen if b.volledigheid)
            continue
        out.extend(bevindingen)
        if any(b.ernst == "blokkerend" and not b.volledigheid for b in bevindingen):
            gestopt = stap
    for stap, bevindingen in gevonden.items():
        if stap not in volgorde:
            out.extend(b for b in bevindingen if b.volledigheid)
    niet = tuple(volgorde[volgorde.index(gestopt) + 1 :]) if gestopt else ()
    if niet:
        out.append(
            Bevinding(
                "TOETS_GESTOPT",
                "signaal",
                f"Stapsgewijze toets (pgb thuis) inhoudelijk gestopt na stap '{gestopt}'; "
                f"inhoudelijk niet getoetst: {', '.join(niet)}. De volledigheid is wel "
                "helemaal getoetst.",
            )
        )
    return out, niet


def check_andere_toeslagen(a: Aanvraag) -> list[Bevinding]:
    if a.check_vooraf.andere_toeslagen:
        return [
            Bevinding(
                "ANDERE_TOESLAGEN",
                "blokkerend",
                "Meerzorg kan niet samen met andere toeslagen (NZa, sinds 2019).",
            )
        ]
    return []


# --- overlap: meerzorg for the same client and days elsewhere (issue 26 point 8) -------------


@dataclass(frozen=True, slots=True)
class MeerzorgElders:
    """A running (actief) meerzorg beschikking of a client in another zaak, at any provider,
    found by the client's BSN: a fact for the overlap check, read by
    models/db/overlap_lezen.py. `eind` is its last day (DOMAIN.md §11); `voortgezet` marks
    the beschikking a verlenging continues (the zaak its `vorige_zaak` names)."""

    zaak: str
    start: dt.date
    eind: dt.date
    voortgezet: bool = False


# BSN -> the running meerzorg of that client elsewhere; a BSN that is a key was looked up
# (an empty sequence: none found), one that is not was not.
Elders = Mapping[str, Sequence[MeerzorgElders]]


def check_overlap(
    a: Aanvraag, perioden: Mapping[str, tuple[dt.date, dt.date]], elders: Elders | None
) -> tuple[list[Bevinding], bool]:
    """OVERLAP_MEERZORG per client whose period (`perioden`: client_id -> the term the toets
    set, first and last day) shares a day with a running meerzorg beschikking elsewhere:
    meerzorg for the same client and days twice is double funding (Wlz; the seeds give no
    article: the rule's form is aanname, DOMAIN.md §5). Periods count their first and last
    day, so a verlenging that starts the day after the beschikking it continues ends touches
    it without overlap. Returns the findings and whether every client was checked (False
    without facts: `meerzorg toets` has no database)."""
    if elders is None:
        return [], False
    out = []
    for c in a.clienten:
        start, eind = perioden[c.client_id]
        for m in elders.get(c.bsn, ()):
            if m.start > eind or start > m.eind:
                continue
            van, tot = max(start, m.start), min(eind, m.eind)
            periode = f"zaak {m.zaak} ({m.start} t/m {m.eind})"
            if m.voortgezet:
                wat = f"de beschikking die deze verlenging voortzet, {periode}"
            else:
                wat = f"lopende meerzorg in {periode}"
            # Never the BSN: the client's id in this aanvraag and the other zaak's key.
            out.append(
                Bevinding(
                    "OVERLAP_MEERZORG",
                    "blokkerend",
                    f"Client {c.client_id}: de periode {start} t/m {eind} overlapt van {van} "
                    f"t/m {tot} met {wat}: dubbele financiering (Wlz).",
                )
            )
    return out, all(c.bsn in elders for c in a.clienten)
