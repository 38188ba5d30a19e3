"""Ingebrekestelling and dwangsom bij niet tijdig beslissen (Awb 4:17-4:20) on the zaak's
aanvraag, as pure rules: when an ingebrekestelling counts, when the dwangsom runs, what it
amounts to on a peildatum, when it stops, and the besluit that fixes it (4:18).

- An ingebrekestelling counts only when it is received after the beslistermijn ended (4:17
  lid 3; the term with its suspension, 4:15, and extension, 4:14: models/planner.
  beslistermijn_van). One per zaak: a second is refused.
- The dwangsom is owed from the day after two weeks have passed since the day of receipt
  (4:17 lid 3): received on D, the first day owed is D + 15.
- EUR 23 a day for the first 14 days, EUR 35 for the next 14, EUR 45 for the last 14 (4:17
  lid 2), at most 42 days (lid 1, the Atw does not apply to them), so at most EUR 1,442.
- It stops when the besluit on the aanvraag is given. aanname: the day the besluit is taken
  (its `datum`) is the day it is given; the system sends its letters that same day
  (models/db/brieven.py), and the ABRvS counts to the bekendmaking, which only a letter that
  waits in the outbox could make later. The last day owed is the day before.
- No dwangsom where 4:17 lid 6 excludes it and the data shows it: sub c, the aanvraag
  kennelijk niet-ontvankelijk, read as an aanvraag left buiten behandeling under 4:5
  (aanname: the system has no other record of it). Sub a (onredelijk laat in gebreke
  gesteld) and b (no belanghebbende) need a person's judgement: not checked here.
- The besluit that fixes it (4:18, models/dwangsom_besluit.py) is taken by the sweep on the
  day after the dwangsom stopped (the besluit on the aanvraag was taken, or day 42 passed),
  well within the two weeks of 4:18. aanname: automatically, because the amount follows from
  the law alone (docs/DOMAIN.md §13); it is open to bezwaar like any besluit (4:19: a bezwaar
  against the besluit on the aanvraag covers it too).

models/db/dwangsom_store.py keeps the ingebrekestelling; tasks/dwangsom.py registers it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.beleid import Beleid, beleid_op, beleid_versie
from models.berichten import sjablonen
from models.engine import Bericht, OngeldigeInvoer, Overgang, Termijn, medewerker_met_rol
from models.overgang import GESLOTEN, Stand, ZaakOvergang
from models.overgang import ZaakStatus as S
from models.planner import beslistermijn_van

# The messages of this wait's rules (models/berichten.sjablonen).
sjablonen(
    # Awb 4:17 lid 3: the ingebrekestelling counts; the dwangsom runs if no besluit follows.
    ingebrekestelling_ontvangen=(
        "Meerzorgaanvraag {zaak}: ingebrekestelling ontvangen",
        "Het zorgkantoor heeft op {ontvangen} uw ingebrekestelling wegens niet tijdig beslissen "
        "op aanvraag {zaak} ontvangen. Is er dan nog geen besluit, dan is vanaf {dwangsom_start} "
        "een dwangsom verschuldigd (Awb 4:17), ten hoogste 42 dagen.",
    ),
    ingebrekestelling_beslissen=(
        "Ingebrekestelling in zaak {zaak}",
        "Zaak {zaak} is in gebreke gesteld wegens niet tijdig beslissen. Beslis vóór "
        "{beslis_voor}: vanaf die dag is een dwangsom verschuldigd (Awb 4:17).",
    ),
)

# Awb 4:17 lid 2: (days, euro a day) in order; lid 1: at most 42 days.
TARIEVEN = ((14, 23), (14, 35), (14, 45))
MAX_DAGEN = sum(dagen for dagen, _ in TARIEVEN)  # 42
MAX_BEDRAG = sum(dagen * euro for dagen, euro in TARIEVEN)  # 1442
# Awb 4:17 lid 3: two weeks after the day of receipt. aanname: calendar days, no Atw (the Atw
# is excluded for the 42 days of lid 1; these two weeks are no term for the applicant).
WACHT_DAGEN = 14
VASTSTELLING_DAGEN = 14  # Awb 4:18: fixed within two weeks after the last day owed
TIMER = "dwangsom_vaststelling"
SOORT = "dwangsom"  # the besluit's soort (models/besluit_brief.besluit_soort)
# A besluit beside the zaak's rounds: the dwangsom's Besluit row has ronde -1 (one per zaak,
# the unique (zaak, ronde) keeps it single), so it is never the zaak's last besluit, the one a
# bezwaar goes against by default (models/db/zaak_lezen.laatste_besluit; 4:19 lid 1).
RONDE = -1
# The statuses in which the zaak still waits for the besluit on its aanvraag. In herstel
# the term is suspended (4:15); before the toets nothing is assessed yet. In a bijstelling
# the term runs on unless the applicant consented to suspending it (Awb 4:13; 4:15 lid 2
# sub a: models/bijstelling.py): registreer refuses it there only with that consent. While
# a zienswijze is awaited (Awb 4:7, 4:8) the term runs on too: 4:15 suspends it only for
# herstel, consent and force majeure, not for hearing the parties.
REGISTREERBAAR = frozenset({S.BEOORDELING, S.TWEEDE_BEOORDELING, S.BIJSTELLING, S.ZIENSWIJZE})
# Who registers one (default deny; aanname: those who decide, and the legal staff who
# handle the zorgkantoor's Awb correspondence; never the CCE, R §10, nor analysts).
REGISTRATIE_ROLLEN = ("beoordelaar", "teamleider", "jurist")
# The besluiten on the aanvraag (models/besluit_brief.besluit_soort). Not a verzoek tot
# bijstelling: the adjusted aanvraag is the same aanvraag, still to be decided on (R §10,
# models/bijstelling.py), so it neither ends the wait nor stops a dwangsom.
OP_AANVRAAG = frozenset(
    {"toekenning", "gedeeltelijke_toekenning", "afwijzing", "buiten_behandeling"}
)
# Awb 4:17 lid 6 sub c, as far as the data shows it (aanname, see above).
GEEN_DWANGSOM = {
    "buiten_behandeling": "de aanvraag is buiten behandeling gesteld (Awb 4:5) en was dus "
    "kennelijk niet-ontvankelijk (Awb 4:17 lid 6 onder c)",
}


@dataclass(frozen=True, slots=True)
class IngebrekestellingVastgelegd:
    """A registered ingebrekestelling (models/db/dwangsom_store.py keeps it)."""

    velden: dict  # ontvangen, beslistermijn, dwangsom_start (dates)


@dataclass(frozen=True, slots=True)
class DwangsomVastgesteld:
    """The dwangsom is fixed by the besluit of this transition (4:18)."""

    velden: dict  # gestopt_op, dagen, bedrag, geen_dwangsom


@dataclass(frozen=True, slots=True)
class Ingebrekestelling:
    """What the rules read of a registered ingebrekestelling."""

    ontvangen: dt.date
    beslistermijn: dt.date
    # The day the besluit on the aanvraag was taken (None: not yet) and its soort.
    besluit_op: dt.date | None = None
    besluit_soort: str | None = None
    vastgesteld_besluit: int | None = None


def dwangsom_start(ontvangen: dt.date) -> dt.date:
    """Awb 4:17 lid 3: the first day owed, the day after the two weeks since the day of
    receipt (received Monday 2 March: owed from Tuesday 17 March)."""
    return ontvangen + dt.timedelta(days=WACHT_DAGEN + 1)


def einde_maximum(ontvangen: dt.date) -> dt.date:
    """The day after the 42nd day owed (4:17 lid 1): the dwangsom has stopped by then."""
    return dwangsom_start(ontvangen) + dt.timedelta(days=MAX_DAGEN)


def bedrag_per_dag(dag: int) -> int:
    """Awb 4:17 lid 2: the euro owed for the `dag`-th day (1-based) of the dwangsom."""
    if not 1 <= dag <= MAX_DAGEN:
        raise ValueError(f"dag {dag} valt buiten de 42 dagen van de dwangsom (Awb 4:17 lid 1)")
    tot = 0
    for dagen, euro in TARIEVEN:
        tot += dagen
        if dag <= tot:
            return euro
    raise AssertionError("unreachable")


def bedrag(dagen: int) -> int:
    """Awb 4:17 lid 1, 2: the euro owed for the first `dagen` days, at most 42 (EUR 1,442)."""
    return sum(bedrag_per_dag(d) for d in range(1, min(max(dagen, 0), MAX_DAGEN) + 1))


def gestopt_op(ib: Ingebrekestelling, peildatum: dt.date) -> dt.date | None:
    """The day the dwangsom stops: the day the besluit on the aanvraag was taken, or the day
    after the 42nd day; None while it still runs (or has not started) on the peildatum."""
    maximum = einde_maximum(ib.ontvangen)
    if ib.besluit_op is not None and ib.besluit_op < maximum:
        return ib.besluit_op
    return maximum if peildatum >= maximum else None


def dagen_op(ib: Ingebrekestelling, peildatum: dt.date) -> int:
    """The days owed up to and including the peildatum: from the start, to the day before
    the besluit, at most 42; none where 4:17 lid 6 excludes it."""
    if ib.besluit_soort in GEEN_DWANGSOM:
        return 0
    start = dwangsom_start(ib.ontvangen)
    laatste = peildatum
    if ib.besluit_op is not None:
        laatste = min(laatste, ib.besluit_op - dt.timedelta(days=1))
    return max(0, min(MAX_DAGEN, (laatste - start).days + 1))


def overzicht(ib: Ingebrekestelling | None, peildatum: dt.date) -> dict | None:
    """The ingebrekestelling and its dwangsom as `meerzorg zaak`, the card and the
    werkvoorraad show it (JSON-ready)."""
    if ib is None:
        return None
    stop = gestopt_op(ib, peildatum)
    dagen = dagen_op(ib, peildatum)
    return {
        "ingebrekestelling_ontvangen": ib.ontvangen.isoformat(),
        "beslistermijn": ib.beslistermijn.isoformat(),
        "dwangsom_start": dwangsom_start(ib.ontvangen).isoformat(),
        "dagen": dagen,
        "bedrag_tot_nu": bedrag(dagen),
        "loopt": stop is None and peildatum >= dwangsom_start(ib.ontvangen),
        "gestopt_op": stop.isoformat() if stop else None,
        "geen_dwangsom": GEEN_DWANGSOM.get(ib.besluit_soort or ""),
        "vastgesteld_besluit": ib.vastgesteld_besluit,
    }


def kaart_regels(data: dict | None) -> list[str]:
    """The case card's section (models/db/kaart.py): dates and amounts only."""
    if data is None:
        return []
    regels = [
        "",
        "### Ingebrekestelling en dwangsom (Awb 4:17)",
        f"- ingebrekestelling ontvangen op {data['ingebrekestelling_ontvangen']}; de "
        f"beslistermijn liep tot en met {data['beslistermijn']}",
    ]
    if data["geen_dwangsom"]:
        regels.append(f"- geen dwangsom: {data['geen_dwangsom']}")
    else:
        stand = (
            f"gestopt op {data['gestopt_op']}"
            if data["gestopt_op"]
            else ("**loopt**" if data["loopt"] else "begint als er dan nog geen besluit is")
        )
        regels.append(
            f"- dwangsom vanaf {data['dwangsom_start']}: {data['dagen']} dagen, "
            f"{data['bedrag_tot_nu']} euro tot nu; {stand}"
        )
    if data["vastgesteld_besluit"] is not None:
        regels.append(f"- vastgesteld bij besluit {data['vastgesteld_besluit']} (Awb 4:18)")
    return regels


def beleid_van(stand: Stand, datum: dt.date) -> Beleid:
    versie = (stand.toets or {}).get("beleidsversie")
    return beleid_versie(versie) if versie else beleid_op(datum)


def registreer(
    stand: Stand,
    ontvangen: dt.date,
    peildatum: dt.date,
    *,
    besluit_genomen: bool,
    bestaande: dt.date | None,
    medewerker: str | None = None,
    rollen: dict[str, str] | None = None,
) -> Overgang:
    """Awb 4:17 lid 3: register a written ingebrekestelling received on `ontvangen`. Refused
    with one line: a medewerker whose role may not, a second one, a date in the future, a zaak
    that no longer waits for the besluit on its aanvraag, and one received before the
    beslistermijn ended. `rollen` None: no staff list (pure use), only the id is checked."""
    medewerker_met_rol(
        medewerker,
        rollen,
        REGISTRATIE_ROLLEN,
        als="medewerker",
        mag_niet="registreert geen ingebrekestelling: dat doen de beoordelaars, teamleiders en "
        "juristen van het zorgkantoor",
        leeg="vul het id van de medewerker in die de ingebrekestelling registreert",
    )
    if bestaande is not None:
        raise OngeldigeInvoer(
            f"in zaak {stand.key} is al een ingebrekestelling geregistreerd (ontvangen op "
            f"{bestaande}); een tweede telt niet"
        )
    if ontvangen > peildatum:
        raise OngeldigeInvoer(
            f"ontvangen op {ontvangen} ligt in de toekomst (vandaag is {peildatum}); registreer "
            "een ingebrekestelling als die is ontvangen"
        )
    if stand.status == S.HERSTEL:
        raise OngeldigeInvoer(
            f"de beslistermijn van zaak {stand.key} is opgeschort zolang de aanvraag wordt "
            "aangevuld (Awb 4:15); een ingebrekestelling kan dan niet"
        )
    if stand.status == S.BIJSTELLING and (stand.bijstelling or {}).get("instemming_opschorting"):
        raise OngeldigeInvoer(
            f"de beslistermijn van zaak {stand.key} is met instemming van de aanvrager "
            "opgeschort zolang de aanvraag wordt bijgesteld (Awb 4:15 lid 2 onder a); een "
            "ingebrekestelling kan dan niet"
        )
    if besluit_genomen or stand.status not in REGISTREERBAAR:
        raise OngeldigeInvoer(
            f"zaak {stand.key} wacht niet op een besluit op de aanvraag (status {stand.status}); "
            "een ingebrekestelling wegens niet tijdig beslissen kan dan niet (Awb 4:17)"
        )
    termijn = beslistermijn_van(stand, beleid_van(stand, peildatum))
    if ontvangen <= termijn:
        raise OngeldigeInvoer(
            f"de beslistermijn van zaak {stand.key} loopt tot en met {termijn}; een "
            f"ingebrekestelling ontvangen op {ontvangen} is te vroeg en telt niet (Awb 4:17 lid 3)"
        )
    start = dwangsom_start(ontvangen)
    return ZaakOvergang(
        status=stand.status,
        actie="ingebrekestelling_geregistreerd",
        nieuwe_wacht=False,
        details={
            "ontvangen": ontvangen.isoformat(),
            "beslistermijn": termijn.isoformat(),
            "dwangsom_start": start.isoformat(),
        },
        effecten=(
            IngebrekestellingVastgelegd(
                {"ontvangen": ontvangen, "beslistermijn": termijn, "dwangsom_start": start}
            ),
            # The latest day the vaststelling can be due; the besluit on the aanvraag moves
            # it earlier (models/db/dwangsom_store.bij_besluit). Runs beside the waits.
            Termijn(TIMER, einde_maximum(ontvangen), aan_wacht=False),
            Bericht(
                "ingebrekestelling_ontvangen",
                context={"ontvangen": ontvangen.isoformat(), "dwangsom_start": start.isoformat()},
            ),
            Bericht(
                "ingebrekestelling_beslissen",
                kanaal="operations",
                context={"beslis_voor": start.isoformat()},
            ),
        ),
    )


def vaststelling_op(besluit_op: dt.date) -> dt.date:
    """When the besluit on the aanvraag is taken, the sweep of the next day fixes the
    dwangsom (4:18: within two weeks after the last day owed, the day before the besluit)."""
    return besluit_op + dt.timedelta(days=1)


# The timer's rule (models/opvolging_regels.BIJ_TERMIJN): in every open status of the zaak,
# for the besluit on the aanvraag may have led anywhere (lopend, bezwaartermijn, ...).
TIMER_STATUSSEN = frozenset(s for s in S if s not in GESLOTEN)
