"""The rules a toekenning must meet, as pure functions: the decided term by the same rules as
the toets (R §7, §9; no retroactive start), term and amount against what was asked (Awb 3:47)
and the rekentool, the three pillars judged, the algemene toetsingscriteria answered (R §10)
and the perspectief recorded. models/besluit.py applies them to the assessor's form."""

from __future__ import annotations

import datetime as dt

from models.beleid import Beleid
from models.dates import maanden_tussen, termijn_einde
from models.engine import OngeldigeInvoer, invoer_datum
from models.overgang import PIJLERS, Stand
from models.toets import max_maanden

OORDELEN = ("voldoet", "voldoet deels", "voldoet niet")
PIJLER_NAMEN = {
    "kwaliteit_van_leven": "kwaliteit van leven",
    "doelmatigheid": "doelmatigheid",
    "maatschappelijk_verantwoord": "maatschappelijk verantwoord",
}
# R §10, "Uitgangspunten bij beoordelen" and "Algemene toetsingscriteria", as statements the
# assessor confirms; a toekenning needs every one answered yes. Field name -> statement.
CRITERIA: dict[str, str] = {
    "zorg_en_context": "het gaat om zorg en context, niet om welzijnsactiviteiten",
    "basis_op_orde": "de basiszorg en de context vanuit het zorgprofiel zijn op orde",
    "past_niet_in_profiel": "de zorgvraag past niet binnen het reguliere zorgprofiel",
    "andere_opties_eerst": "andere mogelijkheden dan meerzorg zijn eerst ingezet of afgewogen",
    "afbouw_overwogen": "de doelen geven perspectief; tijdelijkheid en afbouw zijn overwogen",
    "in_verhouding": "inzet en bedrag staan in verhouding tot het resultaat en vergelijkbare aanvragen",
}
# An amount differing by less than a cent from the rekentool's is the rekentool's.
CENT = 0.005


def maanden_tekst(start: dt.date, eind: dt.date) -> str:
    n = maanden_tussen(start, eind)
    n = round(n) if abs(n - round(n)) < 0.05 else round(n, 1)
    return f"{n} maand" if n == 1 else f"{n} maanden"


def vroegste_start(stand: Stand) -> dt.date:
    """The day the aanvraag was complete and correct: the day it was received, moved on by
    the days it waited in herstel for the provider's completion (Awb 4:15: `opgeschort_dagen`
    run from the request to complete it, which the toets makes on receipt). Not the day a
    toets happened to run: a late toets or a backdated registration does not move it. No
    meerzorg starts earlier: no retroactive start (ZK; R §9: the zorgkantoor sets the term)."""
    return stand.ingediend_op + dt.timedelta(days=max(0, stand.opgeschort_dagen))


def controleer_termijn(stand: Stand, start: dt.date, eind: dt.date, beleid: Beleid) -> None:
    """The decided term by the toets's own rules (models/toets.py: max_maanden); raises
    OngeldigeInvoer naming the rule and its source."""
    a = stand.aanvraag
    if eind < start:
        raise OngeldigeInvoer(f"het eind {eind} ligt voor de start {start}")
    vroegst = vroegste_start(stand)
    if start < vroegst:
        raise OngeldigeInvoer(
            f"meerzorg kent geen terugwerkende kracht: de start is op zijn vroegst {vroegst}, de "
            f"dag waarop de aanvraag volledig was (ZK, R §9); gekozen: {start}"
        )
    maximum = max_maanden(a, beleid)
    gekozen = maanden_tekst(start, eind)
    t = beleid.termijnen
    if a.soort == "preventief":
        te_kort = eind < termijn_einde(start, t.preventief_min_maanden)
        if te_kort or eind > termijn_einde(start, maximum):
            raise OngeldigeInvoer(
                f"preventieve meerzorg duurt {t.preventief_min_maanden} tot "
                f"{t.preventief_max_maanden} maanden (R §7); gekozen: {gekozen}"
            )
    elif eind > termijn_einde(start, maximum):
        wie = "een VG7-plus-beschikking" if maximum < t.max_maanden else "een meerzorgbeschikking"
        raise OngeldigeInvoer(
            f"{wie} duurt ten hoogste {maximum} maanden (R §9); gekozen: {gekozen}"
        )
    # aanname (DOMAIN.md, inferred from R §9): meerzorg rests on the indicatie, so no
    # beschikking runs past it; in a group each client's own beschikking is capped to its
    # own indicatie (models/besluit.py: beschikkingen_van), the group's term to the last.
    laatste = max(c.indicatie_einddatum for c in a.clienten)
    if eind > laatste:
        raise OngeldigeInvoer(
            f"de beschikking loopt niet langer dan de indicatie (R §9, afgeleid): de indicatie "
            f"eindigt op {laatste}; gekozen eind: {eind}"
        )


def gevraagde_termijn(stand: Stand) -> tuple[dt.date, dt.date]:
    """What was asked, as far as the rules allow it: the toets's term (the asked term with no
    retroactive start and capped by R §7/§9). Where a rule cuts the term, the rule itself is
    the motivation (the toets's finding says which); less than this is the assessor's choice."""
    a = stand.aanvraag
    termijn = (stand.toets or {}).get("termijn") or {}
    start = invoer_datum(termijn.get("start")) or a.gevraagde_start
    eind = invoer_datum(termijn.get("eind")) or a.gevraagde_eind
    return start, eind


def rekentool_bedrag(stand: Stand) -> float | None:
    bedrag = (stand.toets or {}).get("bedrag_per_jaar")
    return None if bedrag is None else float(bedrag)


def afwijkingen(stand: Stand, start: dt.date, eind: dt.date, bedrag: float | None) -> dict:
    """How the decision differs from what was asked and from the rekentool (for the record)."""
    g_start, g_eind = gevraagde_termijn(stand)
    reken = rekentool_bedrag(stand)
    return {
        "korter_dan_gevraagd": start > g_start or eind < g_eind,
        "lager_dan_rekentool": bedrag is not None and reken is not None and bedrag < reken - CENT,
        "hoger_dan_rekentool": bedrag is not None and reken is not None and bedrag > reken + CENT,
    }


def controleer_afwijkingen(afwijking: dict, onderbouwing: str) -> None:
    """Less than asked is a partial afwijzing: it needs an onderbouwing (Awb 3:47); more than
    the rekentool gives needs one too, and four eyes (models/besluit.py: vier_ogen_nodig)."""
    if onderbouwing:
        return
    if afwijking["korter_dan_gevraagd"]:
        raise OngeldigeInvoer(
            "een kortere termijn dan gevraagd is een gedeeltelijke afwijzing: vul een "
            "onderbouwing in (Awb 3:47)"
        )
    if afwijking["lager_dan_rekentool"]:
        raise OngeldigeInvoer(
            "een lager bedrag dan de rekentool is een gedeeltelijke afwijzing: vul een "
            "onderbouwing in (Awb 3:47)"
        )
    if afwijking["hoger_dan_rekentool"]:
        raise OngeldigeInvoer(
            "een hoger bedrag dan de rekentool vraagt een onderbouwing (Awb 3:46) en een "
            "tweede beoordelaar"
        )


def pijlers_van(invoer: dict) -> dict:
    """The three pillars as judged on the form: {pijler: {"oordeel", "motivering"}}; an
    unjudged pillar ("kies" or empty) is left out."""
    out = {}
    for p in PIJLERS:
        oordeel = invoer.get(p)
        if oordeel in (None, "", "kies"):
            continue
        if oordeel not in OORDELEN:
            raise OngeldigeInvoer(
                f"{PIJLER_NAMEN[p]}: kies voldoet, voldoet deels of voldoet niet (R §10)"
            )
        out[p] = {"oordeel": oordeel, "motivering": (invoer.get(f"{p}_motivering") or "").strip()}
    return out


def controleer_pijlers(pijlers: dict) -> None:
    """R §10: a toekenning weighs all three pillars, each with a motivation, and none fails."""
    for p in PIJLERS:
        naam = PIJLER_NAMEN[p]
        if p not in pijlers:
            raise OngeldigeInvoer(f"toekennen vraagt een oordeel over de pijler {naam} (R §10)")
        if pijlers[p]["oordeel"] == "voldoet niet":
            raise OngeldigeInvoer(
                f"toekennen kan niet: de pijler {naam} voldoet niet (R §10); kies afwijzen of "
                "bijstellen"
            )
        if not pijlers[p]["motivering"]:
            raise OngeldigeInvoer(f"motiveer het oordeel over de pijler {naam} (R §10)")


def criteria_van(invoer: dict) -> dict[str, bool]:
    return {k: invoer.get(k) is True for k in CRITERIA}


def controleer_criteria(criteria: dict[str, bool]) -> None:
    """R §10 algemene toetsingscriteria: a toekenning confirms every one."""
    for k, vraag in CRITERIA.items():
        if not criteria.get(k):
            raise OngeldigeInvoer(
                f"toekennen kan niet: '{vraag}' is niet met ja beantwoord (R §10 "
                "algemene toetsingscriteria)"
            )


def perspectief_van(invoer: dict, start: dt.date, eind: dt.date) -> dict:
    """R §10–11: the toekenning records the expected afbouw and when to evaluate it (within
    the term, so the re-evaluation can compare). The date is stored as ISO text: the
    record is saved as JSON."""
    verwachting = (invoer.get("perspectief_verwachting") or "").strip()
    if not verwachting:
        raise OngeldigeInvoer(
            "vul het perspectief in: welke afbouw of verbetering wordt verwacht (R §10)"
        )
    evalueren_op = invoer_datum(invoer.get("evalueren_op"), "evalueren op")
    if evalueren_op is None:
        raise OngeldigeInvoer("vul in wanneer het perspectief wordt geëvalueerd (R §10–11)")
    if not start <= evalueren_op <= eind:
        raise OngeldigeInvoer(
            f"evalueer het perspectief binnen de termijn ({start} t/m {eind}); "
            f"gekozen: {evalueren_op}"
        )
    return {"verwachting": verwachting[:2000], "evalueren_op": evalueren_op.isoformat()}


def toekenning_record(
    stand: Stand, invoer: dict, start: dt.date, eind: dt.date, onderbouwing: str, beleid: Beleid
) -> dict:
    """All the checks of a first toekenning; returns what the besluit record adds."""
    # In the order of the form: pillars, criteria, term, amount, perspectief.
    pijlers = pijlers_van(invoer)
    controleer_pijlers(pijlers)
    criteria = criteria_van(invoer)
    controleer_criteria(criteria)
    controleer_termijn(stand, start, eind, beleid)
    bedrag = invoer.get("bedrag_per_jaar")
    # An empty amount (None or 0 on the form) is the rekentool's.
    bedrag = float(bedrag) if bedrag not in (None, "", 0, 0.0) else None
    if bedrag is not None and bedrag < 0:
        raise OngeldigeInvoer("het bedrag per jaar kan niet negatief zijn")
    afwijking = afwijkingen(stand, start, eind, bedrag)
    controleer_afwijkingen(afwijking, onderbouwing)
    return {
        "start": start,
        "eind": eind,
        "bedrag_per_jaar": bedrag,
        "pijlers": pijlers,
        "criteria": criteria,
        "perspectief": perspectief_van(invoer, start, eind),
        **{k: v for k, v in afwijking.items() if v},
    }
