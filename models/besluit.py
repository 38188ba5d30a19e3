"""The assessor's decision as pure rules: the form checked, four eyes, the toekenning with
its beschikkingen and timers (from the plan), afwijzen and bijstellen with a bezwaartermijn,
and a bezwaar within it."""

from __future__ import annotations

import datetime as dt

from models import bijstelling
from models.aanvraag import Beschikking
from models.beleid import Beleid, beleid_op, beleid_versie
from models.besluit_regels import pijlers_van, toekenning_record
from models.bijstelling import bijstelling_van_invoer
from models.contact import thuis_overgang
from models.engine import (
    Bericht,
    OngeldigeInvoer,
    Overgang,
    Termijn,
    invoer_datum,
    medewerker_met_rol,
)
from models.motivering import (
    afwijzingsgronden,
    blokkerende_bevindingen,
    coulant_vastgelegd,
    motiveringsproblemen,
)
from models.overgang import (
    BESLISSENDE_ROLLEN,
    BeschikkingAfgegeven,
    BesluitVastgelegd,
    Stand,
    VoorlopigBesluit,
    ZaakOvergang,
)
from models.overgang import ZaakStatus as S
from models.planner import timers


def valideer_beoordeling(
    stand: Stand, invoer: dict, beoordelaars: dict[str, str] | None = None
) -> dict:
    """Check the assessor's form; returns the normalised decision or raises OngeldigeInvoer.
    A first toekenning must meet every rule of models/besluit_regels.py; the second
    beoordelaar's toekennen confirms the first's (whose record stands, see na_beoordeling)."""
    uitkomst = invoer.get("uitkomst")
    if uitkomst not in ("toekennen", "bijstellen", "afwijzen"):
        raise OngeldigeInvoer("kies een uitkomst: toekennen, bijstellen of afwijzen")
    onderbouwing = (invoer.get("onderbouwing") or "").strip()
    if uitkomst in ("bijstellen", "afwijzen") and not onderbouwing:
        raise OngeldigeInvoer(f"{uitkomst} vraagt een onderbouwing (Awb 3:47)")
    beoordelaar = _beoordelaar(stand, invoer, beoordelaars)
    termijn = (stand.toets or {}).get("termijn") or {}
    start = invoer_datum(invoer.get("start"), "start") or invoer_datum(termijn.get("start"))
    eind = invoer_datum(invoer.get("eind"), "eind") or invoer_datum(termijn.get("eind"))
    besluit = {
        "uitkomst": uitkomst,
        "onderbouwing": onderbouwing,
        "beoordelaar": beoordelaar,
        "pijlers": pijlers_van(invoer),
        "bedrag_per_jaar": invoer.get("bedrag_per_jaar") or None,
    }
    # R §10 bijstellen: its term and the applicant's consent to suspend (models/bijstelling.py).
    gevraagd = bijstelling_van_invoer(invoer, uitkomst, _beleid_van_besluit(stand, invoer))
    if gevraagd:
        besluit["bijstelling"] = gevraagd
    if uitkomst == "toekennen" and stand.status == S.TWEEDE_BEOORDELING:
        return besluit
    besluit.update(_motivering(stand, invoer))
    if uitkomst == "toekennen":
        if start is None or eind is None:
            raise OngeldigeInvoer("vul start en eind van de beschikking in")
        beleid = _beleid_van_besluit(stand, invoer)
        besluit.update(toekenning_record(stand, invoer, start, eind, onderbouwing, beleid))
    return besluit


def _motivering(stand: Stand, invoer: dict) -> dict:
    """Motivation for every outcome (models/motivering.py: Awb 3:46, 3:47, N 2025): the first
    problem refuses the answer; what the besluit record adds: an afwijzing's grounds, the
    blocking findings a toekenning is given despite (four eyes), the coulante weighing."""
    beleid = _beleid_van_besluit(stand, invoer)
    if problemen := motiveringsproblemen(invoer, stand.toets, coulant(stand, beleid)):
        raise OngeldigeInvoer(problemen[0].reden)
    uit: dict = {}
    if invoer.get("uitkomst") == "afwijzen":
        uit["gronden"] = afwijzingsgronden(invoer, stand.toets)
    if invoer.get("uitkomst") == "toekennen" and (
        blokkerend := blokkerende_bevindingen(stand.toets)
    ):
        uit["ondanks_bevindingen"] = list(dict.fromkeys(b["code"] for b in blokkerend))
    if afweging := (invoer.get("coulante_afweging") or "").strip():
        uit["coulante_afweging"] = afweging
    return uit


def _beoordelaar(stand: Stand, invoer: dict, beoordelaars: dict[str, str] | None) -> str:
    beoordelaar = medewerker_met_rol(
        invoer.get("beoordelaar"),
        beoordelaars,
        BESLISSENDE_ROLLEN,
        als="beoordelaar",
        mag_niet="mag niet beslissen (R §10)",
        leeg="vul het id van de beoordelaar in",
    )
    eerste = (stand.voorlopig_besluit or {}).get("beoordelaar")
    if stand.status == S.TWEEDE_BEOORDELING and beoordelaar == eerste:
        raise OngeldigeInvoer(f"de tweede beoordeling moet door een ander dan {eerste} (vier ogen)")
    return beoordelaar


def _beleid_van_besluit(stand: Stand, invoer: dict) -> Beleid:
    """The policy of the decision date (the form's peildatum); without one, the toets's."""
    peildatum = invoer_datum(invoer.get("peildatum"), "besluitdatum")
    if peildatum is not None:
        return beleid_op(peildatum)
    versie = (stand.toets or {}).get("beleidsversie")
    return beleid_versie(versie) if versie else beleid_op(stand.ingediend_op)


def na_beoordeling(stand: Stand, besluit: dict, peildatum: dt.date) -> Overgang:
    """Apply a validated decision (see `valideer_beoordeling`)."""
    beleid = beleid_op(peildatum)
    record = {
        **besluit,
        "datum": peildatum,
        "ronde": stand.ronde,
        "beleidsversie": beleid.versie,
        # N 2025 figures: coulant only when the coulante weighing was recorded.
        "coulant": coulant_vastgelegd(besluit, coulant(stand, beleid)),
    }
    if besluit["uitkomst"] == "afwijzen":
        return afwijzing(stand, record, peildatum, beleid)
    if besluit["uitkomst"] == "bijstellen":
        if "bijstelling" not in record:  # a historical record: the policy's default term
            record["bijstelling"] = bijstelling_van_invoer({}, "bijstellen", beleid)
        return bijstelling.verzoek(stand, record, peildatum)
    if stand.status == S.TWEEDE_BEOORDELING:
        eerste = stand.voorlopig_besluit or {}
        # The second beoordelaar confirms the first's decision; the first's term and amount stand.
        record = {
            **record,
            **{
                k: invoer_datum(v) if k in ("start", "eind") else v
                for k, v in eerste.items()
                if k in OVERGENOMEN_VAN_EERSTE
            },
            "beoordelaar": eerste.get("beoordelaar"),
            "tweede_beoordelaar": besluit["beoordelaar"],
            "coulant": coulant_vastgelegd(eerste, coulant(stand, beleid)),
        }
        return toekenning(stand, record, peildatum, beleid)
    if vier_ogen_nodig(stand, besluit, beleid):
        voorlopig = {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in besluit.items()
        }
        return ZaakOvergang(
            status=S.TWEEDE_BEOORDELING,
            actie="eerste_beoordeling_toekennen",
            details={"beoordelaar": besluit["beoordelaar"]},
            effecten=(VoorlopigBesluit(voorlopig),),
        )
    return toekenning(stand, record, peildatum, beleid)


# What the second beoordelaar confirms of the first's toekenning (four eyes).
OVERGENOMEN_VAN_EERSTE = (
    "start",
    "eind",
    "bedrag_per_jaar",
    "onderbouwing",
    "pijlers",
    "criteria",
    "perspectief",
    "korter_dan_gevraagd",
    "lager_dan_rekentool",
    "hoger_dan_rekentool",
    "ondanks_bevindingen",
    "coulante_afweging",
)


def _bezwaar_context(record: dict) -> dict:
    # No date of the bezwaar term here: it runs from each letter's bekendmaking (Awb 6:8),
    # models/db/brieven.py, and the letter carries the clause (Awb 3:45).
    return {"onderbouwing": record["onderbouwing"]}


def afwijzing(stand: Stand, record: dict, peildatum: dt.date, beleid: Beleid) -> Overgang:
    """Afwijzen opens the bezwaartermijn (Awb 6:7), which runs from the letters' bekendmaking
    (Awb 6:8: models/db/brieven.py plans its end then); a client at home who no longer
    qualifies gets a passende overgang arranged (N 2025)."""
    effecten = [
        BesluitVastgelegd(record),
        Bericht("afwijzen", context=_bezwaar_context(record), bijlage=True),
    ]
    if is_thuis_verlenging(stand):
        # N 2025: the passende overgang by the end of the running beschikking, and the
        # zorgkantoor's own contact until verantwoord (models/contact.thuis_overgang).
        extra, thuis = thuis_overgang(stand, peildatum, beleid)
        effecten[0] = BesluitVastgelegd({**record, **extra})
        effecten += thuis
    return ZaakOvergang(status=S.BEZWAARTERMIJN, actie="afgewezen", effecten=tuple(effecten))


def coulant(stand: Stand, beleid: Beleid) -> bool:
    """N 2025: a verlenging of an earlier thuis-beschikking gets a coulante maatwerkbeoordeling."""
    return bool(beleid.toets.coulante_verlenging_thuis and is_thuis_verlenging(stand))


def vier_ogen_nodig(stand: Stand, besluit: dict, beleid: Beleid) -> bool:
    """A maatwerkbedrag, an amount per client above the policy limit, or more than the
    rekentool gives (aanname, issue 12: an amount above the rule's outcome is checked by a
    second person, as a maatwerkbedrag is) needs a second beoordelaar; so does a toekenning
    despite a blocking content finding of the toets (issue 26 point 2, models/motivering.py:
    a profile without meerzorg, andere toeslagen, the threshold, overlap, the indicatie)."""
    if besluit.get("hoger_dan_rekentool") or besluit.get("ondanks_bevindingen"):
        return True
    toetsdata = stand.toets or {}
    if (
        beleid.vier_ogen.maatwerk
        and (toetsdata.get("uitkomst_rekentool") or {}).get("soort") == "maatwerk"
    ):
        return True
    grens = beleid.vier_ogen.boven_bedrag_per_client
    totaal = besluit.get("bedrag_per_jaar")
    if totaal is None:
        totaal = toetsdata.get("bedrag_per_jaar", 0.0)
    return grens is not None and float(totaal) / len(stand.aanvraag.clienten) > grens


def toekenning(stand: Stand, record: dict, peildatum: dt.date, beleid: Beleid) -> Overgang:
    """The decision, one beschikking per client, and exactly the plan's timers."""
    beschikkingen = beschikkingen_van(stand, record, peildatum, beleid)
    uitgegeven = [
        Beschikking(
            **stand.aanvraag.model_dump(),
            start=b["start"],
            eind=b["eind"],
            client_id=b["client_id"],
            besluitdatum=peildatum,
        )
        for b in beschikkingen
    ]
    # The timers are exactly the plan's (models/planner.py: timers), nothing computed here.
    gepland = timers(uitgegeven, beleid, peildatum)
    herbeoordeling = next(
        t.datum for t in gepland if t.soort in ("herbeoordeling_start", "passende_overgang_start")
    )
    regels = "\n".join(
        f"- client {b['client_id']}: {b['start']} t/m {b['eind']}, "
        f"{b['bedrag_per_jaar']:.2f} euro per jaar"
        for b in beschikkingen
    )
    return ZaakOvergang(
        status=S.LOPEND,
        actie="toegekend",
        effecten=(
            BesluitVastgelegd(record),
            *((VoorlopigBesluit(None),) if stand.voorlopig_besluit else ()),
            *(BeschikkingAfgegeven(b) for b in beschikkingen),
            *(Termijn(t.soort, t.datum, t.client_id, aan_wacht=False) for t in gepland),
            Bericht(
                "toekennen",
                bijlage=True,
                context={
                    "beschikkingen": regels,
                    "herbeoordeling_start": herbeoordeling.isoformat(),
                },
            ),
        ),
    )


def beschikkingen_van(stand: Stand, record: dict, peildatum: dt.date, beleid: Beleid) -> list[dict]:
    """One beschikking per client of the decided term and amount (split equally), each never
    past its own indicatie end."""
    toetsdata = stand.toets or {}
    per_client_termijn = {c["client_id"]: c["termijn"] for c in toetsdata.get("clienten", [])}
    bedrag_totaal = record.get("bedrag_per_jaar")
    if bedrag_totaal is None:
        bedrag_totaal = toetsdata.get("bedrag_per_jaar", 0.0)
    per_client_bedrag = round(float(bedrag_totaal) / len(stand.aanvraag.clienten), 2)
    rekentool = toetsdata.get("uitkomst_rekentool") or {}
    soort = rekentool.get("profiel") or rekentool.get("soort") or "maatwerk"
    start, eind = record["start"], record["eind"]
    out = []
    for client in stand.aanvraag.clienten:
        c_eind = min(
            eind,
            client.indicatie_einddatum,
            invoer_datum(per_client_termijn.get(client.client_id, {}).get("eind")) or eind,
        )
        out.append(
            {
                "client_id": client.client_id,
                "start": start,
                "eind": max(c_eind, start),
                "bedrag_per_jaar": per_client_bedrag,
                "uitkomst_rekentool": soort,
                "beleidsversie": beleid.versie,
                "besluitdatum": peildatum,
            }
        )
    return out


def is_thuis_verlenging(stand: Stand) -> bool:
    return stand.aanvraag.soort == "verlenging" and stand.aanvraag.is_thuis
