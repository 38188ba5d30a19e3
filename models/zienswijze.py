"""Zienswijze before an adverse besluit (Awb 4:7, 4:8), as pure rules (issue 26 point 3).

When the assessor chooses **afwijzen** and the Awb requires the parties to be heard first,
the choice is not yet a besluit but a *voornemen*: the zaak waits in `zienswijze`, the
voornemen goes to the provider (its message) and to every client's parties (a letter that is
no besluit, models/overgang.Mededeling) with a term; a zienswijze recorded on the wait's form
(date, from whom, a summary kept in the case database), or the term passing without one (the
sweep fires `zienswijze_termijn`), returns the zaak to the assessor, who then takes the
besluit. That besluit's motivation names the zienswijze or its absence (its record's
`motivering` and `regels`, models/besluit_brief.py).

When it is required (`zienswijze_nodig`):
- Awb 4:8: before a besluit a belanghebbende who did not apply is expected to object to,
  resting on facts about it it did not supply itself. A client at home whose verlenging is
  refused loses meerzorg it had (N 2025: the families at home in the knel); the provider
  applied, not the client. aanname: a first aanvraag refused, or one for a client in an
  instelling (verblijf, vpt, whose care the provider keeps giving under the zorgprofiel), is
  not expected to meet the client's bedenkingen, so 4:8 is not applied there;
- Awb 4:7: refusing an aanvraag on facts about the applicant that the applicant did not
  supply: the toets's findings from the zorgkantoor's own records (`EIGEN_GEGEVENS`: the
  client's meerzorg elsewhere, OVERLAP_MEERZORG). aanname: an afwijzing while such a finding
  stands rests on it.
Not when the zaak is assessed again after a gegrond bezwaar: the parties were heard in the
bezwaar (Awb 7:2; aanname, 4:7/4:8 are about the first besluit), nor a second time in the
same ronde. The term: `zienswijze_weken` of the policy, two weeks (aanname: the Awb names no
term, "in de gelegenheid stellen"; two weeks is common practice). One zienswijze per
voornemen returns the zaak (aanname: several parties' views come in one entry).

No Prefect, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Literal

from pydantic import Field

from models.beleid import beleid_op
from models.berichten import sjablonen
from models.brief_teksten import datum_nl
from models.engine import (
    Bericht,
    Formulier,
    OngeldigeInvoer,
    Overgang,
    Termijn,
    invoer_datum,
    medewerker_met_rol,
)
from models.overgang import BESLISSENDE_ROLLEN, Mededeling, Stand, VoorlopigBesluit, ZaakOvergang
from models.overgang import ZaakStatus as S

# The messages of this wait's rules (models/berichten.sjablonen).
sjablonen(
    # Awb 4:7, 4:8: the voornemen before an afwijzing, with the term for a zienswijze; also
    # the letter to the clients' parties (below).
    voornemen_afwijzen=(
        "Meerzorgaanvraag {zaak}: voornemen tot afwijzing",
        "Het zorgkantoor is van plan de aanvraag {zaak} af te wijzen. Dit is nog geen besluit.\n"
        "Reden: {onderbouwing}\n"
        "U kunt tot en met {uiterlijk} uw zienswijze geven, schriftelijk of mondeling ({gronden}). "
        "Het zorgkantoor betrekt uw zienswijze bij het besluit; komt er geen, dan beslist het "
        "na die datum.",
    ),
)

ZIENSWIJZE_TIMER = "zienswijze_termijn"
# Toets findings that rest on the zorgkantoor's own records, not on what the applicant sent.
EIGEN_GEGEVENS = frozenset({"OVERLAP_MEERZORG"})
INDIENERS = ("zorgaanbieder", "client", "vertegenwoordiger", "budgethouder")
WIE = {
    "zorgaanbieder": "de zorgaanbieder",
    "client": "de cliënt",
    "vertegenwoordiger": "de vertegenwoordiger van de cliënt",
    "budgethouder": "de budgethouder",
}
BRON = ("Gelegenheid tot het geven van een zienswijze op het voornemen", "Awb 4:7, 4:8")
MOGELIJK_BSN = re.compile(r"\b\d{8,9}\b")
# The identity the provider API signs a form with (deployments/aanbieder_acties.Aanbieder.wie).
AANBIEDER = "aanbieder:"


class Zienswijze(Formulier):
    """Zienswijze op het voornemen tot afwijzing (Awb 4:7, 4:8): wanneer ontvangen, van wie,
    en een korte samenvatting (blijft in de zaakdatabase)."""

    ontvangen: str = Field("", title="Ontvangen op", description="JJJJ-MM-DD")
    van: Literal["kies", *INDIENERS] = Field("kies", title="Van")
    samenvatting: str = Field("", title="Samenvatting van de zienswijze")
    ingediend_door: str = ""
    peildatum: dt.date | None = None


def is_thuis_verlenging(stand: Stand) -> bool:
    return stand.aanvraag.soort == "verlenging" and stand.aanvraag.is_thuis


def zienswijze_nodig(stand: Stand, besluit: dict, op_bezwaar: bool = False) -> tuple[str, ...]:
    """The articles that require a voornemen before this besluit; empty: decide at once."""
    if besluit.get("uitkomst") != "afwijzen" or op_bezwaar or gehoord(stand):
        return ()
    out = []
    codes = {b.get("code") for b in (stand.toets or {}).get("bevindingen", [])}
    if codes & EIGEN_GEGEVENS:
        out.append("Awb 4:7")
    if is_thuis_verlenging(stand):
        out.append("Awb 4:8")
    return tuple(out)


def voornemen_van(stand: Stand) -> dict | None:
    """The voornemen of this ronde, with its zienswijze once given or its term passed."""
    v = (stand.voorlopig_besluit or {}).get("voornemen")
    return v if v and v.get("ronde") == stand.ronde else None


def gehoord(stand: Stand) -> bool:
    return bool((voornemen_van(stand) or {}).get("zienswijze"))


def voornemen(stand: Stand, besluit: dict, peildatum: dt.date, grond: tuple[str, ...]) -> Overgang:
    """The assessor's afwijzing as a voornemen: sent to the provider and every client's
    parties with the term for a zienswijze; the zaak waits in `zienswijze`."""
    weken = beleid_op(peildatum).termijnen.zienswijze_weken
    uiterlijk = peildatum + dt.timedelta(weeks=weken)
    record = {
        "ronde": stand.ronde,
        "datum": peildatum.isoformat(),
        "uiterlijk": uiterlijk.isoformat(),
        "gronden": list(grond),
        "besluit": {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in besluit.items()
        },
    }
    context = {
        "uiterlijk": datum_nl(uiterlijk),
        "onderbouwing": besluit.get("onderbouwing") or "-",
        "gronden": ", ".join(grond),
    }
    return ZaakOvergang(
        status=S.ZIENSWIJZE,
        actie="voornemen_afwijzen",
        details={"gronden": list(grond), "uiterlijk": uiterlijk.isoformat()},
        effecten=(
            VoorlopigBesluit({"voornemen": record}),
            # The day after the last day of the term, as every term's timer.
            Termijn(ZIENSWIJZE_TIMER, uiterlijk + dt.timedelta(days=1)),
            Bericht("voornemen_afwijzen", context=context),
            Mededeling(
                "voornemen_afwijzen",
                context,
                client_ids=tuple(c.client_id for c in stand.aanvraag.clienten),
            ),
        ),
    )


def _terug(stand: Stand, actie: str, zienswijze: dict, details: dict) -> Overgang:
    v = voornemen_van(stand)
    if stand.status != S.ZIENSWIJZE or v is None:
        raise OngeldigeInvoer(f"zaak {stand.key} wacht niet op een zienswijze")
    return ZaakOvergang(
        status=S.BEOORDELING,
        actie=actie,
        details=details,
        effecten=(VoorlopigBesluit({"voornemen": {**v, "zienswijze": zienswijze}}),),
    )


def na_zienswijze(stand: Stand, invoer: dict, peildatum: dt.date, feiten=None) -> Overgang | None:
    """A zienswijze recorded on the wait's form: back to the assessor. A late one (after the
    term, before the sweep fired) is recorded as late: the assessor may still weigh it."""
    if not any(invoer.get(k) for k in ("ontvangen", "samenvatting")) and invoer.get("van") in (
        None,
        "",
        "kies",
    ):
        return None  # the sweep resumed it, or an empty form: nothing to apply
    v = voornemen_van(stand) or {}
    ontvangen = invoer_datum(invoer.get("ontvangen"), "ontvangen op") or peildatum
    if ontvangen > peildatum:
        raise OngeldigeInvoer(f"de zienswijze is ontvangen op {ontvangen}: dat ligt in de toekomst")
    if v.get("datum") and ontvangen < dt.date.fromisoformat(v["datum"]):
        raise OngeldigeInvoer(
            f"de zienswijze is ontvangen op {ontvangen}, voor het voornemen van {v['datum']}"
        )
    van = invoer.get("van")
    if van not in INDIENERS:
        raise OngeldigeInvoer("kies van wie de zienswijze is: " + ", ".join(INDIENERS))
    samenvatting = (invoer.get("samenvatting") or "").strip()
    if not samenvatting:
        raise OngeldigeInvoer("vul een samenvatting van de zienswijze in")
    wie = (invoer.get("ingediend_door") or "").strip()
    if wie.startswith(AANBIEDER):
        # The provider's own, through its API (signed with its key): as applicant only.
        if van != "zorgaanbieder":
            raise OngeldigeInvoer("een zorgaanbieder geeft alleen haar eigen zienswijze")
    else:
        # Deciding staff record any other (R §10): the zienswijze is part of the assessment.
        wie = medewerker_met_rol(
            wie,
            getattr(feiten, "beoordelaars", None),
            BESLISSENDE_ROLLEN,
            als="medewerker",
            mag_niet="legt geen zienswijze vast (R §10)",
            leeg="vul het id van de medewerker in die de zienswijze vastlegt",
        )
    te_laat = bool(v.get("uiterlijk")) and ontvangen > dt.date.fromisoformat(v["uiterlijk"])
    zienswijze = {
        "gegeven": True,
        "ontvangen": ontvangen.isoformat(),
        "van": van,
        "samenvatting": samenvatting[:4000],
        "te_laat": te_laat,
        "vastgelegd_door": wie,
    }
    # The summary is free text: it stays in the zaak's row, not in the audit trail.
    return _terug(
        stand,
        "zienswijze_ontvangen",
        zienswijze,
        {"ontvangen": ontvangen.isoformat(), "van": van, "te_laat": te_laat},
    )


def termijn_verstreken(stand: Stand, datum: dt.date, client_id, context) -> Overgang | None:
    """The term passed without a zienswijze: the assessor decides (the sweep fires it)."""
    if voornemen_van(stand) is None or gehoord(stand):
        return None
    uiterlijk = voornemen_van(stand)["uiterlijk"]
    return _terug(
        stand,
        "zienswijze_termijn_verstreken",
        {"gegeven": False, "uiterlijk": uiterlijk},
        {"uiterlijk": uiterlijk},
    )


def met_zienswijze(stand: Stand, besluit: dict) -> dict:
    """The besluit with the zienswijze (or its absence) in its record and its motivation
    (Awb 3:46: the besluit answers what the parties brought in)."""
    v = voornemen_van(stand)
    if not v or not v.get("zienswijze") or besluit.get("uitkomst") != "afwijzen":
        return besluit
    z = v["zienswijze"]
    verzonden = datum_nl(dt.date.fromisoformat(v["datum"]))
    tot = datum_nl(dt.date.fromisoformat(v["uiterlijk"]))
    tekst = (
        f"Het zorgkantoor heeft op {verzonden} het voornemen tot afwijzing aan de zorgaanbieder "
        f"en de cliënt gezonden, met de gelegenheid tot en met {tot} een zienswijze te geven "
        f"({', '.join(v.get('gronden') or ['Awb 4:7, 4:8'])})."
    )
    if z.get("gegeven"):
        tekst += (
            f" Op {datum_nl(dt.date.fromisoformat(z['ontvangen']))} gaf {WIE[z['van']]} een "
            f"zienswijze{' (na de termijn)' if z.get('te_laat') else ''}: {z['samenvatting']} "
            "Het zorgkantoor heeft die zienswijze bij dit besluit betrokken."
        )
    else:
        tekst += " Binnen die termijn is geen zienswijze ontvangen."
    return {
        **besluit,
        "zienswijze": {**z, "voornemen": v["datum"], "uiterlijk": v["uiterlijk"]},
        "motivering": [*(besluit.get("motivering") or ()), tekst],
        "regels": [*(besluit.get("regels") or ()), BRON],
    }


def voornemen_afgerond(stand: Stand, overgang: Overgang | None) -> Overgang | None:
    """The besluit after the zienswijze clears the voornemen (a toekenning does already)."""
    if overgang is None or voornemen_van(stand) is None or overgang.alle(VoorlopigBesluit):
        return overgang
    return dataclasses.replace(overgang, effecten=(*overgang.effecten, VoorlopigBesluit(None)))


# --- what the card and `meerzorg zaak` show ----------------------------------------------


def kaart_regels(voorlopig: dict | None) -> list[str]:
    """The voornemen and its zienswijze on the pseudonymous card: dates and roles, never
    the summary (free text stays in the case database)."""
    v = (voorlopig or {}).get("voornemen")
    if not v:
        return []
    lines = [
        "",
        "### Voornemen en zienswijze (Awb 4:7, 4:8)",
        f"- voornemen afwijzen op {v['datum']} ({', '.join(v.get('gronden') or [])}); "
        f"zienswijze mogelijk t/m {v['uiterlijk']}",
    ]
    z = v.get("zienswijze")
    if z and z.get("gegeven"):
        laat = ", na de termijn" if z.get("te_laat") else ""
        lines.append(
            f"- zienswijze ontvangen op {z['ontvangen']} van {z['van']}{laat} "
            "(samenvatting: `meerzorg zaak`)"
        )
    elif z:
        lines.append("- geen zienswijze ontvangen binnen de termijn: neem het besluit")
    else:
        lines.append("- wacht op de zienswijze")
    return lines


def publiek(voorlopig: dict | None, beoordelingen: list[dict]) -> dict | None:
    """`meerzorg zaak`'s `zienswijze`: the open voornemen, else the last besluit's; the
    summary with any number that could be a BSN masked."""
    v = (voorlopig or {}).get("voornemen")
    if v:
        z = v.get("zienswijze")
        out = {"voornemen": v["datum"], "uiterlijk": v["uiterlijk"], "gronden": v.get("gronden")}
        out["status"] = "open" if not z else ("gegeven" if z.get("gegeven") else "niet_gegeven")
        if z:
            out.update(_zienswijze(z))
        return out
    for b in reversed(beoordelingen):
        z = (b or {}).get("zienswijze")
        if z:
            return {
                "voornemen": z.get("voornemen"),
                "uiterlijk": z.get("uiterlijk"),
                "status": "gegeven" if z.get("gegeven") else "niet_gegeven",
                **_zienswijze(z),
            }
    return None


def _zienswijze(z: dict) -> dict:
    if not z.get("gegeven"):
        return {}
    return {
        "ontvangen": z["ontvangen"],
        "van": z["van"],
        "te_laat": bool(z.get("te_laat")),
        "samenvatting": MOGELIJK_BSN.sub("…", z.get("samenvatting") or ""),
    }
