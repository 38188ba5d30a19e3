"""The zaak state machine, as pure rules: given the current stand of a zaak and an event
(toets done, a decision, a corrected aanvraag, a bezwaar, a due timer), compute the
Overgang to apply. `models/store.py` applies it in one transaction; the lifecycle flow
only asks `volgende_stap()` and waits where it says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from models.aanvraag import Aanvraag, Beschikking, parse_aanvraag
from models.beleid import Beleid, beleid_op, beleid_versie
from models.planner import beslistermijn_einde, bezwaartermijn_einde, timers
from models.toets import Toetsresultaat, toets

# status -> what the zaak waits for (None: an action is due, or the zaak is closed)
WACHT_OP = {
    "geregistreerd": None,
    "herstel": "aanvulling",
    "beoordeling": "beoordeling",
    "tweede_beoordeling": "tweede-beoordeling",
    "bijstelling": "bijstelling",
    "bezwaartermijn": "bezwaar",
    "lopend": "einde-beschikking",
    "herbeoordeling": "evaluatie",
    "passende_overgang": "passende-overgang",
    "buiten_behandeling": None,
    "afgewezen": None,
    "beeindigd": None,
}
GESLOTEN = frozenset({"buiten_behandeling", "afgewezen", "beeindigd"})
# Statuses in which the zaak's beschikkingen run (their timers apply).
BESCHIKKING_ACTIEF = frozenset({"lopend", "herbeoordeling", "passende_overgang"})
EVALUATIE_UITKOMSTEN = ("behaald", "deels", "niet")
PIJLERS = ("kwaliteit_van_leven", "doelmatigheid", "maatschappelijk_verantwoord")
ROLLEN = ("beoordelaar", "teamleider", "cce", "analist")
# R §10: the CCE advises and never takes part in the assessment; analysts only read.
BESLISSENDE_ROLLEN = ("beoordelaar", "teamleider")


@dataclass(frozen=True, slots=True)
class Stand:
    """What the rules need to know of a zaak."""

    key: str
    status: str
    stap: int
    ronde: int
    aanvraag: Aanvraag
    ingediend_op: dt.date
    toets: dict | None = None
    wacht_sinds: dt.date | None = None
    voorlopig_besluit: dict | None = None


@dataclass(frozen=True, slots=True)
class Stap:
    soort: Literal["actie", "wacht", "klaar"]
    wacht_op: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class NieuweDeadline:
    soort: str
    datum: dt.date
    client_id: str | None = None
    # True: belongs to the new wait and lapses when the zaak leaves it.
    aan_wacht: bool = True


@dataclass(frozen=True, slots=True)
class Bericht:
    sjabloon: str
    kanaal: Literal["aanbieder", "operations"] = "aanbieder"
    context: dict = field(default_factory=dict)
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class Overgang:
    status: str
    actie: str
    nieuwe_wacht: bool = True
    wacht_op: str | None = None  # overrides WACHT_OP[status] (e.g. "verlenging")
    deadlines: tuple[NieuweDeadline, ...] = ()
    berichten: tuple[Bericht, ...] = ()
    toets: dict | None = None
    aanvraag: dict | None = None
    besluit: dict | None = None
    beschikkingen: tuple[dict, ...] = ()
    # Set: the first beoordelaar's toekenning waiting for the second; {}: clear it.
    voorlopig_besluit: dict | None = None
    evaluatie: dict | None = None
    goed_voorbeeld: bool | None = None
    # A verlenging aanvraag that starts a new zaak linked to this one.
    vervolg_aanvraag: dict | None = None
    ontwikkeltraject: dict | None = None
    contact: dict | None = None
    # client_id -> last day: beschikkingen that end early (a client leaves the group).
    beeindig_clienten: dict = field(default_factory=dict)
    nieuwe_ronde: bool = False
    beleidsversie: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def sluit(self) -> bool:
        return self.status in GESLOTEN


class OngeldigeInvoer(ValueError):
    """Form input that cannot be applied; the run waits again with this message."""


def volgende_stap(status: str, stap: int) -> Stap:
    if status in GESLOTEN:
        return Stap("klaar")
    wacht = WACHT_OP[status]
    if wacht is None:
        return Stap("actie")
    return Stap("wacht", wacht_op=wacht, key=wacht_key(status, stap))


def wacht_key(status: str, stap: int) -> str:
    return f"{WACHT_OP[status]}-{stap}"


def _bevindingen_tekst(resultaat: dict) -> str:
    return (
        "\n".join(
            f"- {b['code']} ({b['ernst']}): {b['toelichting']}" for b in resultaat["bevindingen"]
        )
        or "-"
    )


# --- events ------------------------------------------------------------------------------


def na_toets(stand: Stand, peildatum: dt.date, beleid: Beleid | None = None) -> Overgang:
    """Registration or resubmission: toets, then either wait for a correction or for the assessor."""
    beleid = beleid or beleid_op(peildatum)
    resultaat: Toetsresultaat = toets(stand.aanvraag, peildatum, beleid)
    data = resultaat.public()
    t = beleid.termijnen
    if not resultaat.ontvankelijk:
        uiterlijk = peildatum + dt.timedelta(weeks=t.herstel_aanvraag_weken)
        return Overgang(
            status="herstel",
            actie="toets_niet_ontvankelijk",
            toets=data,
            beleidsversie=beleid.versie,
            deadlines=(NieuweDeadline("herstel_termijn", uiterlijk),),
            berichten=(
                Bericht(
                    "niet_ontvankelijk",
                    context={
                        "bevindingen": _bevindingen_tekst(data),
                        "herstel_uiterlijk": uiterlijk.isoformat(),
                    },
                ),
            ),
        )
    termijn = beslistermijn_einde(stand.ingediend_op, beleid)
    waarschuwing = max(peildatum, termijn - dt.timedelta(days=t.beslistermijn_waarschuwing_dagen))
    berichten = []
    if stand.ronde == 0:
        berichten.append(Bericht("ontvangen", context={"beslistermijn": termijn.isoformat()}))
    return Overgang(
        status="beoordeling",
        actie="toets_ontvankelijk",
        toets=data,
        beleidsversie=beleid.versie,
        nieuwe_ronde=True,
        deadlines=(NieuweDeadline("beslistermijn_waarschuwing", waarschuwing),),
        berichten=tuple(berichten),
    )


def na_herstel(stand: Stand, aanvraag_data, peildatum: dt.date) -> Overgang:
    """A corrected (herstel) or adjusted (bijstelling) aanvraag: toets it again."""
    if stand.status not in ("herstel", "bijstelling"):
        raise OngeldigeInvoer(
            f"zaak {stand.key} does not wait for an aanvraag (status {stand.status})"
        )
    if aanvraag_data is None:
        raise OngeldigeInvoer("vul de aangepaste aanvraag in")
    try:
        aanvraag = parse_aanvraag(
            aanvraag_data
            if not isinstance(aanvraag_data, Aanvraag)
            else aanvraag_data.model_dump(mode="json")
        )
    except ValueError as exc:
        raise OngeldigeInvoer(str(exc)) from None
    if aanvraag.zorgaanbieder.agb != stand.aanvraag.zorgaanbieder.agb:
        raise OngeldigeInvoer("de aangepaste aanvraag hoort bij een andere zorgaanbieder")
    nieuw = Stand(stand.key, stand.status, stand.stap, stand.ronde, aanvraag, stand.ingediend_op)
    overgang = na_toets(nieuw, peildatum)
    return Overgang(
        **{
            **_fields(overgang),
            "aanvraag": aanvraag.model_dump(mode="json"),
            "actie": "aanvraag_aangepast_" + overgang.actie.removeprefix("toets_"),
        }
    )


def _fields(o: Overgang) -> dict:
    return {f: getattr(o, f) for f in o.__dataclass_fields__}


def valideer_beoordeling(
    stand: Stand, invoer: dict, beoordelaars: dict[str, str] | None = None
) -> dict:
    """Check the assessor's form; returns the normalised decision or raises OngeldigeInvoer."""
    uitkomst = invoer.get("uitkomst")
    if uitkomst not in ("toekennen", "bijstellen", "afwijzen"):
        raise OngeldigeInvoer("kies een uitkomst: toekennen, bijstellen of afwijzen")
    onderbouwing = (invoer.get("onderbouwing") or "").strip()
    if uitkomst in ("bijstellen", "afwijzen") and not onderbouwing:
        raise OngeldigeInvoer(f"{uitkomst} vraagt een onderbouwing (Awb 3:47)")
    beoordelaar = (invoer.get("beoordelaar") or "").strip()
    if not beoordelaar:
        raise OngeldigeInvoer("vul het id van de beoordelaar in")
    if beoordelaars is not None:
        rol = beoordelaars.get(beoordelaar)
        if rol is None:
            raise OngeldigeInvoer(f"beoordelaar '{beoordelaar}' is niet geregistreerd")
        if rol not in BESLISSENDE_ROLLEN:
            raise OngeldigeInvoer(
                f"'{beoordelaar}' heeft de rol {rol} en mag niet beslissen (R §10)"
            )
    eerste = (stand.voorlopig_besluit or {}).get("beoordelaar")
    if stand.status == "tweede_beoordeling" and beoordelaar == eerste:
        raise OngeldigeInvoer(f"de tweede beoordeling moet door een ander dan {eerste} (vier ogen)")
    termijn = (stand.toets or {}).get("termijn") or {}
    start = invoer_datum(invoer.get("start")) or invoer_datum(termijn.get("start"))
    eind = invoer_datum(invoer.get("eind")) or invoer_datum(termijn.get("eind"))
    besluit = {
        "uitkomst": uitkomst,
        "onderbouwing": onderbouwing,
        "beoordelaar": beoordelaar,
        "pijlers": {p: invoer.get(p) for p in PIJLERS if invoer.get(p)},
        "bedrag_per_jaar": invoer.get("bedrag_per_jaar"),
    }
    if uitkomst == "toekennen":
        if start is None or eind is None:
            raise OngeldigeInvoer("vul start en eind van de beschikking in")
        if eind < start:
            raise OngeldigeInvoer(f"eind {eind} ligt voor start {start}")
        bedrag = invoer.get("bedrag_per_jaar")
        if bedrag is not None and float(bedrag) < 0:
            raise OngeldigeInvoer("het bedrag per jaar kan niet negatief zijn")
        besluit.update(start=start, eind=eind)
    return besluit


def invoer_datum(value, veld: str = "") -> dt.date | None:
    """A date from a form field; empty is None, anything else unreadable is OngeldigeInvoer."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise OngeldigeInvoer(
            f"{veld + ' ' if veld else ''}'{value}' is geen datum (JJJJ-MM-DD)"
        ) from None


def na_beoordeling(stand: Stand, besluit: dict, peildatum: dt.date) -> Overgang:
    """Apply a validated decision (see `valideer_beoordeling`)."""
    beleid = beleid_op(peildatum)
    uitkomst = besluit["uitkomst"]
    record = {
        **besluit,
        "datum": peildatum,
        "ronde": stand.ronde,
        "beleidsversie": beleid.versie,
        "coulant": coulant(stand, beleid),
    }
    if uitkomst in ("afwijzen", "bijstellen"):
        bezwaar = bezwaartermijn_einde(peildatum, beleid)
        context = {
            "onderbouwing": besluit["onderbouwing"],
            "bezwaar_uiterlijk": bezwaar.isoformat(),
        }
        if uitkomst == "afwijzen":
            deadlines = [NieuweDeadline("bezwaartermijn_einde", bezwaar)]
            berichten = [Bericht("afwijzen", context=context)]
            if is_thuis_verlenging(stand):
                # N 2025: arrange a passende overgang for a client at home who no longer qualifies.
                uiterlijk = peildatum + dt.timedelta(weeks=beleid.termijnen.passende_overgang_weken)
                deadlines.append(
                    NieuweDeadline("passende_overgang_uiterlijk", uiterlijk, aan_wacht=False)
                )
                berichten.append(
                    Bericht(
                        "passende_overgang_thuis",
                        kanaal="operations",
                        context={"uiterlijk": uiterlijk.isoformat()},
                    )
                )
            return Overgang(
                status="bezwaartermijn",
                actie="afgewezen",
                besluit=record,
                deadlines=tuple(deadlines),
                berichten=tuple(berichten),
            )
        herstel = peildatum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        return Overgang(
            status="bijstelling",
            actie="bijstelling_gevraagd",
            besluit=record,
            deadlines=(NieuweDeadline("herstel_termijn", herstel),),
            berichten=(Bericht("bijstellen", context=context),),
        )
    if stand.status == "tweede_beoordeling":
        eerste = stand.voorlopig_besluit or {}
        # The second beoordelaar confirms the first's decision; the first's term and amount stand.
        record = {
            **record,
            **{
                k: invoer_datum(v) if k in ("start", "eind") else v
                for k, v in eerste.items()
                if k in ("start", "eind", "bedrag_per_jaar", "onderbouwing", "pijlers")
            },
            "beoordelaar": eerste.get("beoordelaar"),
            "tweede_beoordelaar": besluit["beoordelaar"],
        }
        return toekenning(stand, record, peildatum, beleid)
    if vier_ogen_nodig(stand, besluit, beleid):
        voorlopig = {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in besluit.items()
        }
        return Overgang(
            status="tweede_beoordeling",
            actie="eerste_beoordeling_toekennen",
            voorlopig_besluit=voorlopig,
            details={"beoordelaar": besluit["beoordelaar"]},
        )
    return toekenning(stand, record, peildatum, beleid)


def coulant(stand: Stand, beleid: Beleid) -> bool:
    """N 2025: a verlenging of an earlier thuis-beschikking gets a coulante maatwerkbeoordeling."""
    return bool(beleid.toets.coulante_verlenging_thuis and is_thuis_verlenging(stand))


def vier_ogen_nodig(stand: Stand, besluit: dict, beleid: Beleid) -> bool:
    """A maatwerkbedrag, or an amount per client above the policy limit, needs a second beoordelaar."""
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
    aanvraag = stand.aanvraag
    toetsdata = stand.toets or {}
    per_client_termijn = {c["client_id"]: c["termijn"] for c in toetsdata.get("clienten", [])}
    bedrag_totaal = record.get("bedrag_per_jaar")
    if bedrag_totaal is None:
        bedrag_totaal = toetsdata.get("bedrag_per_jaar", 0.0)
    per_client_bedrag = round(float(bedrag_totaal) / len(aanvraag.clienten), 2)
    rekentool = toetsdata.get("uitkomst_rekentool") or {}
    soort = rekentool.get("profiel") or rekentool.get("soort") or "maatwerk"
    start, eind = record["start"], record["eind"]
    beschikkingen, uitgegeven = [], []
    for client in aanvraag.clienten:
        # Each client of a group gets an own beschikking, never past its own indicatie end.
        c_eind = min(
            eind,
            client.indicatie_einddatum,
            invoer_datum(per_client_termijn.get(client.client_id, {}).get("eind")) or eind,
        )
        c_eind = max(c_eind, start)
        beschikkingen.append(
            {
                "client_id": client.client_id,
                "start": start,
                "eind": c_eind,
                "bedrag_per_jaar": per_client_bedrag,
                "uitkomst_rekentool": soort,
                "beleidsversie": beleid.versie,
                "besluitdatum": peildatum,
            }
        )
        uitgegeven.append(
            Beschikking(
                **aanvraag.model_dump(),
                start=start,
                eind=c_eind,
                client_id=client.client_id,
                besluitdatum=peildatum,
            )
        )
    # The timers are exactly the plan's (models/planner.py: timers), nothing computed here.
    gepland = timers(uitgegeven, beleid, peildatum)
    deadlines = [NieuweDeadline(t.soort, t.datum, t.client_id, aan_wacht=False) for t in gepland]
    herbeoordeling = next(
        t.datum for t in gepland if t.soort in ("herbeoordeling_start", "passende_overgang_start")
    )
    regels = "\n".join(
        f"- client {b['client_id']}: {b['start']} t/m {b['eind']}, {b['bedrag_per_jaar']:.2f} euro per jaar"
        for b in beschikkingen
    )
    return Overgang(
        status="lopend",
        actie="toegekend",
        besluit=record,
        beschikkingen=tuple(beschikkingen),
        voorlopig_besluit={} if stand.voorlopig_besluit else None,
        deadlines=tuple(deadlines),
        berichten=(
            Bericht(
                "toekennen",
                context={
                    "beschikkingen": regels,
                    "herbeoordeling_start": herbeoordeling.isoformat(),
                },
            ),
        ),
    )


def na_bezwaar(stand: Stand, invoer: dict, peildatum: dt.date) -> Overgang:
    if stand.status != "bezwaartermijn":
        raise OngeldigeInvoer(f"zaak {stand.key} is not in its bezwaartermijn")
    if not invoer.get("bezwaar"):
        raise OngeldigeInvoer("vink 'bezwaar' aan om een bezwaar te registreren")
    return Overgang(
        status="beoordeling",
        actie="bezwaar_ontvangen",
        nieuwe_ronde=True,
        details={"toelichting": (invoer.get("toelichting") or "")[:2000]},
        berichten=(Bericht("bezwaar_ontvangen"),),
    )


def bij_deadline(
    stand: Stand, soort: str, datum: dt.date, client_id: str | None, context: dict | None = None
) -> Overgang | None:
    """A due timer. None: nothing to do (already handled, or no longer relevant).

    `context` carries what the rules cannot read from the stand: `einde` (last day of the
    beschikkingen), `cce_ok` (the client has a timely ontwikkeltraject), `uiterlijk`."""
    context = context or {}
    status = stand.status
    if soort == "herstel_termijn" and status in ("herstel", "bijstelling"):
        return Overgang(
            status="buiten_behandeling",
            actie="buiten_behandeling",
            berichten=(Bericht("buiten_behandeling"),),
        )
    if soort == "bezwaartermijn_einde" and status == "bezwaartermijn":
        if is_thuis_verlenging(stand):
            # N 2025: a rejected thuis-verlenging gets a passende overgang, not a silent end.
            return Overgang(
                status="passende_overgang",
                actie="bezwaartermijn_verstreken",
                berichten=(Bericht("afgesloten_na_bezwaartermijn"),),
            )
        return Overgang(
            status="afgewezen",
            actie="bezwaartermijn_verstreken",
            berichten=(Bericht("afgesloten_na_bezwaartermijn"),),
        )
    if soort == "beslistermijn_waarschuwing" and status in ("beoordeling", "tweede_beoordeling"):
        beleid = beleid_versie_of_op(stand, datum)
        return Overgang(
            status=status,
            actie="beslistermijn_waarschuwing",
            nieuwe_wacht=False,
            berichten=(
                Bericht(
                    "beslistermijn_waarschuwing",
                    kanaal="operations",
                    context={
                        "wacht_sinds": (stand.wacht_sinds or stand.ingediend_op).isoformat(),
                        "beslistermijn": beslistermijn_einde(
                            stand.ingediend_op, beleid
                        ).isoformat(),
                    },
                ),
            ),
        )
    if soort == "passende_overgang_uiterlijk" and status == "passende_overgang":
        return Overgang(
            status=status,
            actie="passende_overgang_escalatie",
            nieuwe_wacht=False,
            berichten=(Bericht("passende_overgang_ontbreekt", kanaal="operations"),),
        )
    if status not in BESCHIKKING_ACTIEF:
        return None
    einde = context.get("einde")
    einde_txt = einde.isoformat() if isinstance(einde, dt.date) else "?"
    if soort == "passende_overgang_start" and status == "lopend":
        return Overgang(
            status="passende_overgang",
            actie="herbeoordeling_gestart",
            berichten=(Bericht("passende_overgang", context={"einde": einde_txt}),),
        )
    if soort == "herbeoordeling_start" and status == "lopend":
        # VG7-plus zaken granted before the plan was the one source have this timer instead.
        if any(c.vg7_plus for c in stand.aanvraag.clienten):
            return Overgang(
                status="passende_overgang",
                actie="herbeoordeling_gestart",
                berichten=(Bericht("passende_overgang", context={"einde": einde_txt}),),
            )
        return Overgang(
            status="herbeoordeling",
            actie="herbeoordeling_gestart",
            berichten=(Bericht("herbeoordeling", context={"einde": einde_txt}),),
        )
    if soort == "verlenging_uiterlijk" and status in ("herbeoordeling", "passende_overgang"):
        sjabloon = (
            "verlenging_ontbreekt" if status == "herbeoordeling" else "passende_overgang_ontbreekt"
        )
        return Overgang(
            status=status,
            actie="verlenging_escalatie",
            nieuwe_wacht=False,
            berichten=(Bericht(sjabloon, kanaal="operations", context={"einde": einde_txt}),),
        )
    if soort == "einde_beschikking":
        return Overgang(
            status="beeindigd",
            actie="beschikking_beeindigd",
            berichten=(Bericht("beeindigd", context={"einde": einde_txt}),),
        )
    if soort == "ontwikkeltraject_herinnering" and not context.get("cce_ok", False):
        bericht = {"client_id": client_id, "uiterlijk": str(context.get("uiterlijk", "?"))}
        return Overgang(
            status=status,
            actie="ontwikkeltraject_herinnering",
            nieuwe_wacht=False,
            berichten=(
                Bericht("ontwikkeltraject_herinnering", client_id=client_id, context=bericht),
                Bericht(
                    "ontwikkeltraject_herinnering",
                    kanaal="cce",
                    client_id=client_id,
                    context=bericht,
                ),
            ),
        )
    if soort == "ontwikkeltraject_uiterlijk" and not context.get("cce_ok", False):
        bericht = {"client_id": client_id, "uiterlijk": datum.isoformat()}
        return Overgang(
            status=status,
            actie="ontwikkeltraject_overtreding",
            nieuwe_wacht=False,
            berichten=(
                Bericht(
                    "ontwikkeltraject_overtreding",
                    kanaal="operations",
                    client_id=client_id,
                    context=bericht,
                ),
                Bericht(
                    "ontwikkeltraject_overtreding",
                    kanaal="cce",
                    client_id=client_id,
                    context=bericht,
                ),
            ),
        )
    if soort == "periodiek_contact":
        return Overgang(
            status=status,
            actie="periodiek_contact_herinnering",
            nieuwe_wacht=False,
            berichten=(
                Bericht("periodiek_contact", client_id=client_id, context={"client_id": client_id}),
            ),
        )
    return None


def is_thuis_verlenging(stand: Stand) -> bool:
    return stand.aanvraag.soort == "verlenging" and stand.aanvraag.is_thuis


# --- follow-up of a running beschikking -----------------------------------------------------


def na_evaluatie(stand: Stand, invoer: dict, peildatum: dt.date) -> Overgang:
    """The provider's evaluation of the goals (PDCA), optionally with the verlenging aanvraag."""
    uitkomst = invoer.get("doelen_behaald")
    if uitkomst not in EVALUATIE_UITKOMSTEN:
        raise OngeldigeInvoer("kies bij doelen_behaald: behaald, deels of niet")
    toelichting = (invoer.get("toelichting") or "").strip()
    if not toelichting:
        raise OngeldigeInvoer("licht de evaluatie van de doelen toe")
    vervolg = None
    if invoer.get("verlenging") is not None:
        data = dict(invoer["verlenging"])
        data.update(
            soort="verlenging",
            vorige_zaak=stand.key,
            provider_referentie=data.get("provider_referentie") or f"{stand.key}-verlenging",
        )
        data["evaluatie_vorige_periode"] = (
            data.get("evaluatie_vorige_periode") or f"{uitkomst}: {toelichting}"
        )
        try:
            vervolg = parse_aanvraag(data)
        except ValueError as exc:
            raise OngeldigeInvoer(f"verlenging: {exc}") from None
        if vervolg.zorgaanbieder.agb != stand.aanvraag.zorgaanbieder.agb:
            raise OngeldigeInvoer("de verlenging hoort bij een andere zorgaanbieder")
    evaluatie = {
        "doelen_behaald": uitkomst,
        "toelichting": toelichting[:4000],
        "datum": peildatum.isoformat(),
        "verlenging": vervolg is not None,
    }
    return Overgang(
        status="lopend",
        actie="evaluatie_ontvangen",
        wacht_op="einde-beschikking",
        evaluatie=evaluatie,
        goed_voorbeeld=uitkomst == "behaald",
        vervolg_aanvraag=vervolg.model_dump(mode="json") if vervolg else None,
        details={"doelen_behaald": uitkomst, "verlenging": vervolg is not None},
    )


def na_passende_overgang(stand: Stand, invoer: dict, beschikking_actief: bool) -> Overgang:
    toelichting = (invoer.get("toelichting") or "").strip()
    if invoer.get("geen_passende_zorg"):
        if not toelichting:
            raise OngeldigeInvoer("licht toe waarom geen passende zorg mogelijk is")
        return Overgang(
            status=stand.status,
            actie="signaal_geen_passende_zorg",
            details={"toelichting": toelichting},
            berichten=(Bericht("geen_passende_zorg", kanaal="operations"),),
        )
    if not invoer.get("geregeld"):
        raise OngeldigeInvoer(
            "vink 'geregeld' aan als de passende overgang is afgesproken, of 'geen passende zorg'"
        )
    if beschikking_actief:
        return Overgang(
            status="lopend",
            actie="passende_overgang_geregeld",
            wacht_op="einde-beschikking",
            details={"toelichting": toelichting},
        )
    return Overgang(
        status="afgewezen", actie="passende_overgang_geregeld", details={"toelichting": toelichting}
    )


def na_melding(
    stand: Stand, invoer: dict, peildatum: dt.date, huidig_wacht_op: str | None
) -> Overgang:
    """Form input on a running beschikking: a CCE ontwikkeltraject or a periodic contact."""
    clienten = {c.client_id for c in stand.aanvraag.clienten}
    if invoer.get("ontwikkeltraject_client"):
        traject = valideer_ontwikkeltraject(
            invoer["ontwikkeltraject_client"],
            invoer.get("bijeenkomst_1"),
            invoer.get("bijeenkomst_2"),
            clienten,
        )
        return Overgang(
            status=stand.status,
            actie="ontwikkeltraject_geregistreerd",
            wacht_op=huidig_wacht_op,
            ontwikkeltraject=traject,
            details={k: str(v) for k, v in traject.items()},
        )
    if invoer.get("contact_client"):
        if invoer["contact_client"] not in clienten:
            raise OngeldigeInvoer(f"client {invoer['contact_client']} hoort niet bij deze zaak")
        contact = {
            "client_id": invoer["contact_client"],
            "datum": invoer_datum(invoer.get("contact_datum")) or peildatum,
            "verslag": (invoer.get("contact_verslag") or "")[:4000],
        }
        return Overgang(
            status=stand.status,
            actie="periodiek_contact_geregistreerd",
            wacht_op=huidig_wacht_op,
            contact=contact,
            details={"client_id": contact["client_id"]},
        )
    raise OngeldigeInvoer("vul een ontwikkeltraject of een periodiek contact in")


def valideer_ontwikkeltraject(
    client_id: str, bijeenkomst_1, bijeenkomst_2, clienten: set[str]
) -> dict:
    if client_id not in clienten:
        raise OngeldigeInvoer(f"client {client_id} hoort niet bij deze zaak")
    b1, b2 = invoer_datum(bijeenkomst_1), invoer_datum(bijeenkomst_2)
    if b1 is None:
        raise OngeldigeInvoer("vul de datum van bijeenkomst 1 in")
    if b2 is not None and b2 <= b1:
        raise OngeldigeInvoer(
            "de tweede bijeenkomst moet op een latere dag zijn dan de eerste (R §10)"
        )
    return {"client_id": client_id, "bijeenkomst_1": b1, "bijeenkomst_2": b2}


def beleid_versie_of_op(stand: Stand, datum: dt.date) -> Beleid:
    versie = (stand.toets or {}).get("beleidsversie")
    return beleid_versie(versie) if versie else beleid_op(datum)
