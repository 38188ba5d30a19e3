"""Bezwaar (Awb chapters 6 and 7) as pure rules: the bezwaarschrift registered against one
besluit, its timeliness (6:7-6:9, 6:11), its handling by someone not involved (7:5), the
hoorzitting or the ground to waive it (7:2, 7:3), the term of the beslissing op bezwaar and
its one verdaging (7:10), and the beslissing itself with the beroep clause (6:7, 8:1).

Why waits of the zaak and not a case kind of its own: a bezwaar is a reconsideration of the
zaak's own besluit (7:11), and a gegrond bezwaar sends the zaak back to its own beoordeling,
where the new besluit is taken by the same rules, roles, four eyes and beschikkingen as the
first (models/besluit.py). A kind of its own would have to hand the zaak back and forth and
would need a second run per zaak; as waits, the zaak's card, werkvoorraad, audit trail and
run show the bezwaar as what the zaak waits for now. The price: the zaak has one status, so
a beschikking's timer due during a bezwaar against it waits until the bezwaar is decided
(models/opvolging_regels.py)."""

from __future__ import annotations

import datetime as dt

from models.beleid import beleid_op
from models.besluit import is_thuis_verlenging
from models.bezwaar_termijnen import (
    VERDAGING_WEKEN,
    beroep_uiterlijk,
    beslis_uiterlijk,
    tijdig,
    timers,
)
from models.dates import atw_einde
from models.engine import Bericht, OngeldigeInvoer, Overgang, invoer_datum, medewerker_met_rol
from models.overgang import (
    BEZWAAR_ROLLEN,
    BEZWAAR_STATUSSEN,
    BezwaarBijgewerkt,
    BezwaarGeregistreerd,
    NieuweRonde,
    Stand,
    ZaakOvergang,
)
from models.overgang import ZaakStatus as S
from models.planner import bezwaartermijn_einde

# The besluit a bezwaar can be made against, by the status the zaak is in after it: the
# bezwaartermijn of an afwijzing, a closed zaak (afgewezen, buiten behandeling, ended) and a
# running (partial) toekenning or mutation. A late bezwaar must be registrable too: only
# then can it be declared niet-ontvankelijk (6:11).
BEZWAAR_MOGELIJK = frozenset(
    {
        S.BEZWAARTERMIJN,
        S.AFGEWEZEN,
        S.BUITEN_BEHANDELING,
        S.LOPEND,
        S.PASSENDE_OVERGANG,
        S.BEEINDIGD,
    }
)
# aanname: the indiener is named by its capacity, not by name (no names outside the parties'
# own records; the provider is the applicant, a client or vertegenwoordiger may object too).
INDIENERS = ("zorgaanbieder", "client", "vertegenwoordiger")
UITKOMSTEN = ("gegrond", "ongegrond", "niet-ontvankelijk")
# Awb 7:3: the grounds to waive the hoorzitting, and the only uitkomst each allows (a, b, e:
# the ground is the outcome; c, d: the indiener waives, any outcome).
AFZIEN_GRONDEN: dict[str, str | None] = {
    "kennelijk niet-ontvankelijk": "niet-ontvankelijk",  # 7:3 a
    "kennelijk ongegrond": "ongegrond",  # 7:3 b
    "indiener ziet af": None,  # 7:3 c, d
    "volledig tegemoetgekomen": "gegrond",  # 7:3 e
}


def open_bezwaar(feiten) -> dict | None:
    """The zaak's bezwaar still being handled (at most one), from `Feiten.bezwaren`."""
    return next((b for b in feiten.bezwaren if b.get("uitkomst") is None), None)


def _weiger_tweede(besluit: dict, bezwaren) -> None:
    """One bezwaar per besluit; a besluit taken after a gegrond bezwaar is part of the
    beslissing op bezwaar (7:11) and open to beroep only (7:1, 8:1)."""
    for b in bezwaren:
        eerder = b["besluit_id"] == besluit["id"]
        op_bezwaar = b.get("uitkomst") == "gegrond" and b.get("heropend_ronde") == besluit["ronde"]
        if eerder or op_bezwaar:
            wat = (
                f"{b.get('uitkomst') or 'in behandeling'}, ontvangen {b['ontvangen']}"
                if eerder
                else f"gegrond; het nieuwe besluit van {besluit['datum']} is de beslissing op bezwaar"
            )
            raise OngeldigeInvoer(
                f"tegen het besluit van {b['besluit_datum']} is al bezwaar gemaakt ({wat}); "
                "daarna staat beroep open bij de rechtbank"
            )


def _bezwaarschrift(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> dict:
    """The checked form: the contested besluit, receipt and posting dates, gronden (6:5)."""
    if stand.status not in BEZWAAR_MOGELIJK:
        raise OngeldigeInvoer(
            f"zaak {stand.key} heeft geen besluit waartegen bezwaar kan worden gemaakt "
            f"(status {stand.status})"
        )
    besluit = feiten.besluit
    if besluit is None:
        raise OngeldigeInvoer(f"zaak {stand.key} heeft nog geen besluit")
    _weiger_tweede(besluit, feiten.bezwaren)
    besluit_datum = invoer_datum(besluit["datum"])
    ontvangen = invoer_datum(invoer.get("ontvangen"), "ontvangen") or peildatum
    verzonden = invoer_datum(invoer.get("verzonden"), "verzonden")
    if ontvangen > peildatum:
        raise OngeldigeInvoer(f"ontvangen {ontvangen} ligt na vandaag ({peildatum})")
    if ontvangen < besluit_datum:
        raise OngeldigeInvoer(f"ontvangen {ontvangen} ligt voor het besluit van {besluit_datum}")
    if verzonden is not None and verzonden > ontvangen:
        raise OngeldigeInvoer(f"verzonden {verzonden} ligt na ontvangen {ontvangen}")
    gronden = (invoer.get("gronden") or "").strip()
    if not gronden:
        raise OngeldigeInvoer("vul de gronden van het bezwaar in (Awb 6:5)")
    indiener = invoer.get("indiener") or "zorgaanbieder"
    if indiener not in INDIENERS:
        raise OngeldigeInvoer(f"kies bij indiener: {', '.join(INDIENERS)}")
    return {
        "besluit_id": besluit["id"],
        "besluit_datum": besluit_datum,
        "ontvangen": ontvangen,
        "verzonden": verzonden,
        "gronden": gronden[:4000],
        "indiener": indiener,
        "betrokken": [
            b for b in (besluit.get("beoordelaar"), besluit.get("tweede_beoordelaar")) if b
        ],
    }


def registreer(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """A bezwaarschrift against the zaak's last besluit (`feiten.besluit`): in time (6:9)
    to the hoorzitting wait, late to the decision on excusability (6:11). The provider gets an
    acknowledgement; the 7:10 term starts as timers."""
    bezwaar = _bezwaarschrift(stand, invoer, peildatum, feiten)
    besluit_datum, ontvangen = bezwaar["besluit_datum"], bezwaar["ontvangen"]
    # Awb 6:8: the term runs from the bekendmaking of the besluit's letters; while one is not
    # known, it has not started, and a bezwaar cannot be late (Awb 6:10 for an early one).
    einde = invoer_datum(feiten.besluit.get("uiterlijke_reactiedatum"))
    op_tijd = einde is None or tijdig(ontvangen, bezwaar["verzonden"], einde)
    uiterlijk = beslis_uiterlijk(
        einde or bezwaartermijn_einde(ontvangen, beleid_op(besluit_datum)), ontvangen
    )
    # Where the zaak goes when the besluit stands: a bezwaar within the bezwaartermijn ends
    # it, as the term passing would (models/opvolging_regels.bezwaartermijn_verstreken).
    terug = stand.status
    if stand.status == S.BEZWAARTERMIJN:
        terug = S.PASSENDE_OVERGANG if is_thuis_verlenging(stand) else S.AFGEWEZEN
    bezwaar.update(tijdig=op_tijd, uiterlijk=uiterlijk, terug_status=str(terug))
    return ZaakOvergang(
        status=S.BEZWAAR_HOREN if op_tijd else S.BEZWAAR_TE_LAAT,
        actie="bezwaar_ontvangen",
        # No gronden, no indiener: the audit's details reach the card.
        details={
            "besluit_datum": besluit_datum.isoformat(),
            "ontvangen": ontvangen.isoformat(),
            "tijdig": op_tijd,
            "beslissing_uiterlijk": uiterlijk.isoformat(),
        },
        effecten=(
            BezwaarGeregistreerd(bezwaar),
            *timers(uiterlijk, peildatum),
            Bericht(
                "bezwaar_ontvangstbevestiging",
                context={
                    "besluit_datum": besluit_datum.isoformat(),
                    "ontvangen": ontvangen.isoformat(),
                    "uiterlijk": uiterlijk.isoformat(),
                    "termijn": "binnen de bezwaartermijn"
                    if op_tijd
                    else f"na afloop van de bezwaartermijn ({einde.isoformat()}); het "
                    "zorgkantoor beoordeelt eerst of die termijnoverschrijding verschoonbaar is "
                    "(Awb 6:11)",
                },
            ),
        ),
    )


def behandelaar(invoer: dict, feiten, bezwaar: dict) -> str:
    """Awb 7:5: a registered medewerker with a role that may handle a bezwaar, who did not
    take (or confirm) the contested besluit; the CCE never (R §10)."""
    wie = medewerker_met_rol(
        invoer.get("behandelaar"),
        feiten.beoordelaars,
        BEZWAAR_ROLLEN,
        als="behandelaar",
        mag_niet="mag geen bezwaar behandelen",
        leeg="vul het id van de behandelaar van het bezwaar in",
    )
    if wie in bezwaar.get("betrokken", []):
        raise OngeldigeInvoer(
            f"'{wie}' nam het bestreden besluit en mag het bezwaar niet behandelen (Awb 7:5)"
        )
    return wie


def _bezwaar_of_fout(stand: Stand, feiten) -> dict:
    bezwaar = open_bezwaar(feiten)
    if stand.status not in BEZWAAR_STATUSSEN or bezwaar is None:
        raise OngeldigeInvoer(f"zaak {stand.key} heeft geen bezwaar in behandeling")
    return bezwaar


def _onderbouwing(invoer: dict, wat: str) -> str:
    tekst = (invoer.get("onderbouwing") or "").strip()
    if not tekst:
        raise OngeldigeInvoer(f"{wat} vraagt een onderbouwing (Awb 7:12)")
    return tekst[:4000]


def verdaging(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 7:10 lid 3: the term is postponed once by six weeks, with a notice and a reason to
    the provider; a second verdaging is refused."""
    bezwaar = _bezwaar_of_fout(stand, feiten)
    wie = behandelaar(invoer, feiten, bezwaar)
    if bezwaar.get("verdaagd"):
        raise OngeldigeInvoer(
            f"de beslissing op bezwaar is al eens verdaagd (tot {bezwaar['uiterlijk']}); een "
            "tweede verdaging kan niet (Awb 7:10 lid 3)"
        )
    reden = (invoer.get("reden_verdaging") or "").strip()
    if not reden:
        raise OngeldigeInvoer("vul de reden van de verdaging in (Awb 7:10 lid 3)")
    uiterlijk = atw_einde(invoer_datum(bezwaar["uiterlijk"]) + dt.timedelta(weeks=VERDAGING_WEKEN))
    return ZaakOvergang(
        status=stand.status,
        actie="bezwaar_verdaagd",
        details={"behandelaar": wie, "uiterlijk": uiterlijk.isoformat()},
        effecten=(
            BezwaarBijgewerkt(
                {"verdaagd": True, "uiterlijk": uiterlijk, "verdaging_reden": reden[:2000]},
                timers_vervallen=True,
            ),
            *timers(uiterlijk, peildatum),
            Bericht(
                "bezwaar_verdaagd",
                context={"uiterlijk": uiterlijk.isoformat(), "reden": reden[:2000]},
            ),
        ),
    )


def na_verschoonbaarheid(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 6:11: a late bezwaar is niet-ontvankelijk unless the lateness is excusable; the
    behandelaar decides, with onderbouwing. Verschoonbaar: handled as one in time."""
    if invoer.get("verdagen"):
        return verdaging(stand, invoer, peildatum, feiten)
    bezwaar = _bezwaar_of_fout(stand, feiten)
    if stand.status != S.BEZWAAR_TE_LAAT:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} is op tijd ontvangen")
    wie = behandelaar(invoer, feiten, bezwaar)
    oordeel = invoer.get("oordeel")
    if oordeel not in ("verschoonbaar", "niet-ontvankelijk"):
        raise OngeldigeInvoer("kies bij oordeel: verschoonbaar of niet-ontvankelijk (Awb 6:11)")
    onderbouwing = _onderbouwing(invoer, oordeel)
    if oordeel == "niet-ontvankelijk":
        # Not excusable is kennelijk niet-ontvankelijk: no hoorzitting (7:3 a).
        extra = {"afzien_grond": "kennelijk niet-ontvankelijk", "verschoonbaar": False}
        return beslissing(stand, bezwaar, "niet-ontvankelijk", onderbouwing, wie, peildatum, extra)
    return ZaakOvergang(
        status=S.BEZWAAR_HOREN,
        actie="bezwaar_verschoonbaar",
        details={"behandelaar": wie},
        effecten=(
            BezwaarBijgewerkt(
                {
                    "verschoonbaar": True,
                    "verschoonbaar_onderbouwing": onderbouwing,
                    "behandelaar": wie,
                }
            ),
        ),
    )


def na_hoorzitting(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 7:2: the indiener is heard, at a hoorzitting planned with its date; Awb 7:3: it is
    waived only on one of its grounds, which then binds the outcome (AFZIEN_GRONDEN)."""
    if invoer.get("verdagen"):
        return verdaging(stand, invoer, peildatum, feiten)
    bezwaar = _bezwaar_of_fout(stand, feiten)
    if stand.status != S.BEZWAAR_HOREN:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht niet op de hoorzitting")
    wie = behandelaar(invoer, feiten, bezwaar)
    handeling = invoer.get("handeling")
    if handeling == "plannen":
        op = invoer_datum(invoer.get("hoorzitting_op"), "hoorzitting_op")
        if op is None:
            raise OngeldigeInvoer("vul de datum van de hoorzitting in (Awb 7:2)")
        if op < invoer_datum(bezwaar["ontvangen"]):
            raise OngeldigeInvoer(f"de hoorzitting ({op}) ligt voor de ontvangst van het bezwaar")
        velden, details = {"hoorzitting_op": op}, {"hoorzitting_op": op.isoformat()}
        berichten = (Bericht("bezwaar_hoorzitting", context={"datum": op.isoformat()}),)
    elif handeling == "afzien":
        grond = invoer.get("grond_afzien")
        if grond not in AFZIEN_GRONDEN:
            raise OngeldigeInvoer(
                f"kies een grond om van horen af te zien (Awb 7:3): {', '.join(AFZIEN_GRONDEN)}"
            )
        velden, details, berichten = {"afzien_grond": grond}, {"afzien_grond": grond}, ()
    else:
        raise OngeldigeInvoer("kies: de hoorzitting plannen of ervan afzien (Awb 7:2, 7:3)")
    return ZaakOvergang(
        status=S.BEZWAAR_BESLISSEN,
        actie="bezwaar_hoorzitting_" + ("gepland" if handeling == "plannen" else "afgezien"),
        details={"behandelaar": wie, **details},
        effecten=(BezwaarBijgewerkt({**velden, "behandelaar": wie}), *berichten),
    )


def na_beslissing(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """The beslissing op bezwaar (7:11, 7:12): gegrond, ongegrond or niet-ontvankelijk, with
    onderbouwing, after the hoorzitting took place or was waived on a 7:3 ground."""
    if invoer.get("verdagen"):
        return verdaging(stand, invoer, peildatum, feiten)
    bezwaar = _bezwaar_of_fout(stand, feiten)
    if stand.status != S.BEZWAAR_BESLISSEN:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht nog op de hoorzitting")
    wie = behandelaar(invoer, feiten, bezwaar)
    uitkomst = invoer.get("uitkomst")
    if uitkomst not in UITKOMSTEN:
        raise OngeldigeInvoer(f"kies een uitkomst: {', '.join(UITKOMSTEN)}")
    onderbouwing = _onderbouwing(invoer, uitkomst)
    hoorzitting = invoer_datum(bezwaar.get("hoorzitting_op"))
    if hoorzitting is not None and hoorzitting > peildatum:
        raise OngeldigeInvoer(f"de hoorzitting van {hoorzitting} is nog niet gehouden (Awb 7:2)")
    grond = bezwaar.get("afzien_grond")
    verplicht = AFZIEN_GRONDEN.get(grond) if grond else None
    if verplicht is not None and uitkomst != verplicht:
        raise OngeldigeInvoer(
            f"van horen is afgezien omdat het bezwaar {grond} is (Awb 7:3); de uitkomst is dan "
            f"{verplicht}"
        )
    return beslissing(stand, bezwaar, uitkomst, onderbouwing, wie, peildatum, {})


def beslissing(
    stand: Stand,
    bezwaar: dict,
    uitkomst: str,
    onderbouwing: str,
    wie: str,
    peildatum: dt.date,
    extra: dict,
) -> Overgang:
    """Gegrond: the besluit is revoked and the zaak is assessed again (a new ronde) under the
    same rules and roles; the new besluit is due within the 7:10 term (its timers stay, 7:11).
    Ongegrond / niet-ontvankelijk: the besluit stands and the zaak is where it was. Every
    outcome is sent with the beroep clause (6:7, 8:1)."""
    gegrond = uitkomst == "gegrond"
    velden = {
        **extra,
        "uitkomst": uitkomst,
        "onderbouwing": onderbouwing,
        "behandelaar": wie,
        "beslist_op": peildatum,
        "heropend_ronde": stand.ronde + 1 if gegrond else None,
    }
    context = {
        "uitkomst": uitkomst,
        "onderbouwing": onderbouwing,
        "besluit_datum": str(bezwaar["besluit_datum"]),
        "gevolg": "Het besluit wordt herroepen; het zorgkantoor neemt een nieuw besluit op uw "
        "aanvraag (Awb 7:11)."
        if gegrond
        else "Het besluit blijft in stand.",
        "beroep_uiterlijk": beroep_uiterlijk(peildatum).isoformat(),
    }
    return ZaakOvergang(
        status=S.BEOORDELING if gegrond else bezwaar["terug_status"],
        actie=f"bezwaar_{uitkomst.replace('-', '_')}",
        details={"behandelaar": wie, "uitkomst": uitkomst},
        effecten=(
            *((NieuweRonde(),) if gegrond else ()),
            BezwaarBijgewerkt(velden, timers_vervallen=not gegrond),
            Bericht("bezwaar_beslist", context=context),
        ),
    )
