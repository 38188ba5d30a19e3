"""Bezwaar (Awb chapters 6 and 7) as pure rules: bezwaarschriften registered against one
besluit (any of the zaak's, by any belanghebbende: the provider, a client, a
vertegenwoordiger, the budgethouder), several against the same besluit being one procedure
with several indieners (7:12 lid 2); their timeliness, each by its own letter's term (6:7-
6:9, 6:11); a pro forma bezwaarschrift and its term for the gronden (6:5, 6:6); the handling
by someone not involved (7:5), the hoorzitting or the ground to waive it (7:2, 7:3), the term
of the beslissing op bezwaar and its one verdaging (7:10), and the beslissing itself: a
besluit of its own whose letters carry the beroep clause (6:7, 8:1).

Why waits of the zaak and not a case kind of its own: a bezwaar is a reconsideration of the
zaak's own besluit (7:11), and a gegrond bezwaar sends the zaak back to its own beoordeling,
where the new besluit is taken by the same rules, roles, four eyes and beschikkingen as the
first (models/besluit.py). A kind of its own would have to hand the zaak back and forth and
would need a second run per zaak; as waits, the zaak's card, werkvoorraad, audit trail and
run show the bezwaar as what the zaak waits for now. The price: the zaak has one status, so
a beschikking's timer due during a bezwaar against it waits until the bezwaar is decided
(models/opvolging_regels.py), and one procedure is open at a time (a bezwaar against
another besluit waits until it is decided)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from models.beleid import beleid_op
from models.besluit import is_thuis_verlenging
from models.besluit_brief import datum_nl
from models.bezwaar_termijnen import (
    GRONDEN_TIMER,
    VERDAGING_WEKEN,
    beslis_uiterlijk,
    gronden_uiterlijk,
    tijdig,
    timers,
)
from models.dates import atw_einde
from models.engine import (
    Bericht,
    OngeldigeInvoer,
    Overgang,
    Termijn,
    invoer_datum,
    medewerker_met_rol,
)
from models.overgang import (
    BEZWAAR_ROLLEN,
    BEZWAAR_STATUSSEN,
    BesluitVastgelegd,
    BezwaarBijgewerkt,
    BezwaarGeregistreerd,
    Mededeling,
    NieuweRonde,
    Stand,
    ZaakOvergang,
)
from models.overgang import ZaakStatus as S
from models.partijen import geadresseerden
from models.planner import bezwaartermijn_einde

# The besluit a bezwaar can be made against, by the status the zaak is in after it: every
# status in which a besluit exists and stands (Awb 6:7): the bezwaartermijn of an afwijzing,
# a bijstelling asked (its letter offers bezwaar), a running (partial) toekenning, a
# preventive beschikking in its herbeoordeling, a mutation, and a closed zaak (afgewezen,
# buiten behandeling, ended). A late bezwaar must be registrable too: only then can it be
# declared niet-ontvankelijk (6:11). Not while the aanvraag is being (re)assessed
# (geregistreerd, herstel, beoordeling): no besluit stands then, or the one that did is being
# replaced.
BEZWAAR_MOGELIJK = frozenset(
    {
        S.BEZWAARTERMIJN,
        S.BIJSTELLING,
        S.AFGEWEZEN,
        S.BUITEN_BEHANDELING,
        S.LOPEND,
        S.HERBEOORDELING,
        S.PASSENDE_OVERGANG,
        S.BEEINDIGD,
    }
)
# Every belanghebbende may object (Awb 1:2, 6:7): the provider as applicant, and for a client
# the client, a vertegenwoordiger or the budgethouder. aanname: the indiener is named by its
# capacity and client id, never by name (names stay in the parties' own records).
INDIENERS = ("zorgaanbieder", "client", "vertegenwoordiger", "budgethouder")
UITKOMSTEN = ("gegrond", "ongegrond", "niet-ontvankelijk")
# Awb 7:3: the grounds to waive the hoorzitting, and the only uitkomst each allows (a, b, e:
# the ground is the outcome; c, d: the indiener waives, any outcome).
AFZIEN_GRONDEN: dict[str, str | None] = {
    "kennelijk niet-ontvankelijk": "niet-ontvankelijk",  # 7:3 a
    "kennelijk ongegrond": "ongegrond",  # 7:3 b
    "indiener ziet af": None,  # 7:3 c, d
    "volledig tegemoetgekomen": "gegrond",  # 7:3 e
}
# The indiener as a message to the provider and the beslissing's dictum name it: by role
# only (a group's letters go to every client's parties; no client reads who else objected).
ROL_TEKST = {
    "zorgaanbieder": ("de zorgaanbieder", "de zorgaanbieder"),
    "client": ("een cliënt", "cliënten"),
    "vertegenwoordiger": ("de vertegenwoordiger van een cliënt", "vertegenwoordigers van cliënten"),
    "budgethouder": ("de budgethouder van een cliënt", "budgethouders van cliënten"),
}


def open_bezwaar(feiten) -> dict | None:
    """The zaak's bezwaar still being handled (at most one), from `Feiten.bezwaren`."""
    return next((b for b in feiten.bezwaren if b.get("uitkomst") is None), None)


def indieners(bezwaar: dict) -> list[dict]:
    """The procedure's bezwaarschriften, copied (a rule changes them and passes the list on).
    A row without the list (none in the database since migration 0013) has its one."""
    lijst = bezwaar.get("indieners") or [
        {
            "indiener": bezwaar.get("indiener") or "zorgaanbieder",
            "client_id": None,
            "ontvangen": str(bezwaar.get("ontvangen")),
            "verzonden": None,
            "tijdig": bool(bezwaar.get("tijdig", True)),
            "verschoonbaar": bezwaar.get("verschoonbaar"),
            "pro_forma": False,
            "gronden": bezwaar.get("gronden") or "",
            "gronden_uiterlijk": None,
            "niet_ontvankelijk": False,
        }
    ]
    return [dict(i) for i in lijst]


def _actief(lijst: list[dict]) -> list[dict]:
    return [i for i in lijst if not i.get("niet_ontvankelijk")]


def _zonder_gronden(i: dict) -> bool:
    return bool(i.get("pro_forma")) and not i.get("gronden")


def _te_laat_open(i: dict) -> bool:
    return not i.get("tijdig", True) and i.get("verschoonbaar") is None


def volgende_wacht(
    bezwaar: dict, lijst: list[dict] | None = None, peildatum: dt.date | None = None
) -> S:
    """Where the procedure waits now: the gronden of a pro forma bezwaarschrift first (6:6;
    a behandelaar's decision once their term passed), then the excusability of a late one
    (6:11), then the hoorzitting (7:2) or, once it is planned or waived, the beslissing
    (7:12). Indieners declared niet-ontvankelijk no longer count."""
    actief = _actief(indieners(bezwaar) if lijst is None else lijst)
    missend = [i for i in actief if _zonder_gronden(i)]
    if peildatum is not None and any(
        invoer_datum(i["gronden_uiterlijk"]) < peildatum for i in missend
    ):
        return S.BEZWAAR_GRONDEN_VERSTREKEN
    if missend:
        return S.BEZWAAR_GRONDEN
    if any(_te_laat_open(i) for i in actief):
        return S.BEZWAAR_TE_LAAT
    if bezwaar.get("hoorzitting_op") or bezwaar.get("afzien_grond"):
        return S.BEZWAAR_BESLISSEN
    return S.BEZWAAR_HOREN


def wie_tekst(lijst: list[dict]) -> str:
    """The indieners by role only: "de zorgaanbieder en een cliënt", "twee cliënten"."""
    delen = []
    for rol in INDIENERS:
        n = sum(1 for i in lijst if i["indiener"] == rol)
        if n == 1 or (n and rol == "zorgaanbieder"):
            delen.append(ROL_TEKST[rol][0])
        elif n:
            delen.append(f"{TELWOORD.get(n, n)} {ROL_TEKST[rol][1]}")
    if len(delen) <= 1:
        return delen[0] if delen else "de indiener"
    return ", ".join(delen[:-1]) + " en " + delen[-1]


TELWOORD = {2: "twee", 3: "drie", 4: "vier", 5: "vijf"}


def _weiger_beroep(besluit: dict, bezwaren) -> None:
    """A beslissing op bezwaar, and a besluit taken after a gegrond bezwaar (part of the
    beslissing op bezwaar, 7:11), are open to beroep only (7:1, 8:1); a procedure against the
    besluit that was decided already is not opened again."""
    datum = besluit["datum"]
    if (
        besluit.get("rechtsmiddel") == "beroep"
        or besluit.get("soort") == "beslissing_op_bezwaar"
        or besluit.get("uitkomst") in UITKOMSTEN
    ):
        raise OngeldigeInvoer(
            f"tegen het besluit van {datum} staat geen bezwaar open: beroep is het "
            "rechtsmiddel, bij de rechtbank (Awb 7:1, 8:1)"
        )
    for b in bezwaren:
        eerder = b["besluit_id"] == besluit["id"]
        op_bezwaar = b.get("uitkomst") == "gegrond" and b.get("heropend_ronde") == besluit["ronde"]
        if eerder or op_bezwaar:
            wat = (
                f"{b.get('uitkomst') or 'in behandeling'}, ontvangen {b['ontvangen']}"
                if eerder
                else f"gegrond; het nieuwe besluit van {datum} is de beslissing op bezwaar"
            )
            raise OngeldigeInvoer(
                f"tegen het besluit van {b['besluit_datum']} is al bezwaar gemaakt ({wat}); "
                "daarna staat beroep open bij de rechtbank"
            )


def _reactie_einde(besluit: dict, indiener: str, client_id: str | None) -> dt.date | None:
    """The end of the indiener's own bezwaar term: that of its own letter of the besluit
    (Awb 6:8: from its bekendmaking; None while it is not made known or was undeliverable,
    so no term runs); without a letter of its own, the besluit's (the last addressee's)."""
    for brief in besluit.get("brieven") or ():
        rollen = brief.get("rollen") or ()
        if indiener in rollen and (
            indiener == "zorgaanbieder" or brief.get("client_id") == client_id
        ):
            return invoer_datum(brief.get("uiterlijke_reactiedatum"))
    return invoer_datum(besluit.get("uiterlijke_reactiedatum"))


def _indiener(stand: Stand, invoer: dict, peildatum: dt.date, besluit: dict) -> dict:
    """One checked bezwaarschrift: who (role, client), receipt and posting dates, gronden
    (6:5) or pro forma with its term (6:6), and whether it came in time (6:7-6:9)."""
    besluit_datum = invoer_datum(besluit["datum"])
    ontvangen = invoer_datum(invoer.get("ontvangen"), "ontvangen") or peildatum
    verzonden = invoer_datum(invoer.get("verzonden"), "verzonden")
    if ontvangen > peildatum:
        raise OngeldigeInvoer(f"ontvangen {ontvangen} ligt na vandaag ({peildatum})")
    if ontvangen < besluit_datum:
        raise OngeldigeInvoer(f"ontvangen {ontvangen} ligt voor het besluit van {besluit_datum}")
    if verzonden is not None and verzonden > ontvangen:
        raise OngeldigeInvoer(f"verzonden {verzonden} ligt na ontvangen {ontvangen}")
    indiener = invoer.get("indiener") or "zorgaanbieder"
    if indiener not in INDIENERS:
        raise OngeldigeInvoer(f"kies bij indiener: {', '.join(INDIENERS)}")
    client_id = (invoer.get("client") or "").strip() or None
    clienten = [c.client_id for c in stand.aanvraag.clienten]
    if indiener == "zorgaanbieder" and client_id:
        raise OngeldigeInvoer("de zorgaanbieder maakt bezwaar als aanvrager: laat de cliënt leeg")
    if indiener != "zorgaanbieder":
        if client_id is None and len(clienten) == 1:
            client_id = clienten[0]
        elif client_id is None:
            raise OngeldigeInvoer(f"kies de cliënt van de {indiener}: {', '.join(clienten)}")
        elif client_id not in clienten:
            raise OngeldigeInvoer(f"cliënt {client_id} hoort niet bij zaak {stand.key}")
    pro_forma = bool(invoer.get("pro_forma"))
    gronden = (invoer.get("gronden") or "").strip()
    if pro_forma and gronden:
        raise OngeldigeInvoer("een pro forma bezwaar heeft nog geen gronden: kies een van beide")
    if not pro_forma and not gronden:
        raise OngeldigeInvoer(
            "vul de gronden van het bezwaar in (Awb 6:5), of registreer het pro forma (Awb 6:6)"
        )
    einde = _reactie_einde(besluit, indiener, client_id)
    return {
        "indiener": indiener,
        "client_id": client_id,
        "ontvangen": ontvangen.isoformat(),
        "verzonden": verzonden.isoformat() if verzonden else None,
        "tijdig": einde is None or tijdig(ontvangen, verzonden, einde),
        "termijn_einde": einde.isoformat() if einde else None,
        "verschoonbaar": None,
        "pro_forma": pro_forma,
        "gronden": gronden[:4000],
        "gronden_gevraagd": peildatum.isoformat() if pro_forma else None,
        "gronden_uiterlijk": gronden_uiterlijk(peildatum).isoformat() if pro_forma else None,
        "niet_ontvankelijk": False,
    }


def zonder_brief(stand: Stand, indiener: dict) -> str | None:
    """A client-side indiener whom the aanvraag gives no correspondentie cannot receive the
    beslissing op bezwaar (Awb 7:12 lid 2): the line that says so and how to fix it."""
    if indiener["indiener"] == "zorgaanbieder":
        return None
    client = next(c for c in stand.aanvraag.clienten if c.client_id == indiener["client_id"])
    if any(indiener["indiener"] in p.rollen for p in geadresseerden(client)):
        return None
    return (
        f"de {indiener['indiener']} van cliënt {indiener['client_id']} heeft geen "
        "correspondentie in de aanvraag: leg die vast met `meerzorg partij wijzig` voor de "
        "beslissing op bezwaar, anders ontvangt de indiener haar niet (Awb 7:12)"
    )


def aan_indieners(bericht: Bericht, lijst: list[dict]) -> tuple:
    """The provider's message and, for every client-side indiener in `lijst`, the same text as
    a letter to its party: each indiener hears every step (Awb 6:14, 7:12 lid 2)."""
    client_zijdig = [i for i in lijst if i["indiener"] != "zorgaanbieder" and i.get("client_id")]
    if not client_zijdig:
        return (bericht,)
    return (
        bericht,
        Mededeling(
            bericht.sjabloon,
            bericht.context,
            client_ids=tuple(sorted({i["client_id"] for i in client_zijdig})),
            rollen=tuple(sorted({i["indiener"] for i in client_zijdig})),
        ),
    )


def _ontvangst(stand, besluit_datum, indiener: dict, uiterlijk: dt.date, lijst) -> Bericht:
    """The acknowledgement (Awb 6:14) to the provider, naming the indiener by role."""
    if indiener["tijdig"]:
        termijn = "binnen de bezwaartermijn"
    else:
        termijn = (
            f"na afloop van de bezwaartermijn ({indiener['termijn_einde']}); het zorgkantoor "
            "beoordeelt eerst of die termijnoverschrijding verschoonbaar is (Awb 6:11)"
        )
    aanvulling = ""
    if indiener["pro_forma"]:
        aanvulling = (
            "Het bezwaarschrift bevat nog geen gronden (pro forma). De indiener kan die "
            f"aanvullen tot en met {indiener['gronden_uiterlijk']}; daarna kan het bezwaar "
            "niet-ontvankelijk worden verklaard (Awb 6:5, 6:6). "
        )
    return Bericht(
        "bezwaar_ontvangstbevestiging",
        context={
            "indiener": wie_tekst([indiener]),
            "besluit_datum": besluit_datum.isoformat(),
            "ontvangen": indiener["ontvangen"],
            "uiterlijk": uiterlijk.isoformat(),
            "termijn": termijn,
            "aanvulling": aanvulling,
            "indieners": wie_tekst(_actief(lijst)),
        },
    )


def registreer(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """A bezwaarschrift against `feiten.besluit` (the caller's choice; the zaak's last by
    default). A first one opens the procedure: pro forma to the wait for its gronden (6:6),
    late to the decision on excusability (6:11), else to the hoorzitting wait; the 7:10 term
    starts as timers. A further one against the same besluit (another belanghebbende) joins
    the open procedure (7:12 lid 2: each indiener receives the beslissing). The provider gets
    an acknowledgement naming the indiener by role."""
    besluit = feiten.besluit
    lopend = open_bezwaar(feiten) if stand.status in BEZWAAR_STATUSSEN else None
    if lopend is None and stand.status not in BEZWAAR_MOGELIJK:
        raise OngeldigeInvoer(
            f"zaak {stand.key} heeft geen besluit waartegen bezwaar kan worden gemaakt "
            f"(status {stand.status})"
        )
    if besluit is None:
        raise OngeldigeInvoer(f"zaak {stand.key} heeft nog geen besluit")
    if lopend is not None:
        return _sluit_aan(stand, invoer, peildatum, feiten, lopend)
    _weiger_beroep(besluit, feiten.bezwaren)
    indiener = _indiener(stand, invoer, peildatum, besluit)
    besluit_datum = invoer_datum(besluit["datum"])
    ontvangen = invoer_datum(indiener["ontvangen"])
    # Awb 6:8: the term runs from the bekendmaking of the besluit's letters; while one is not
    # known, it has not started, and a bezwaar cannot be late (Awb 6:10 for an early one).
    einde = invoer_datum(indiener["termijn_einde"])
    uiterlijk = beslis_uiterlijk(
        einde or bezwaartermijn_einde(ontvangen, beleid_op(besluit_datum)), ontvangen
    )
    # Where the zaak goes when the besluit stands: a bezwaar within the bezwaartermijn ends
    # it, as the term passing would (models/opvolging_regels.bezwaartermijn_verstreken).
    terug = stand.status
    if stand.status == S.BEZWAARTERMIJN:
        terug = S.PASSENDE_OVERGANG if is_thuis_verlenging(stand) else S.AFGEWEZEN
    bezwaar = {
        "besluit_id": besluit["id"],
        "besluit_datum": besluit_datum,
        "ontvangen": ontvangen,
        "verzonden": invoer_datum(indiener["verzonden"]),
        "gronden": indiener["gronden"],
        "indiener": indiener["indiener"],
        "tijdig": indiener["tijdig"],
        "uiterlijk": uiterlijk,
        "terug_status": str(terug),
        "betrokken": [
            b for b in (besluit.get("beoordelaar"), besluit.get("tweede_beoordelaar")) if b
        ],
        "indieners": [indiener],
        "clienten": besluit.get("clienten"),
    }
    status = volgende_wacht(bezwaar)
    return ZaakOvergang(
        status=status,
        actie="bezwaar_ontvangen",
        # No gronden, no indiener: the audit's details reach the card.
        details={
            "besluit_datum": besluit_datum.isoformat(),
            "ontvangen": ontvangen.isoformat(),
            "tijdig": indiener["tijdig"],
            "pro_forma": indiener["pro_forma"],
            "beslissing_uiterlijk": uiterlijk.isoformat(),
        },
        effecten=(
            BezwaarGeregistreerd(bezwaar),
            *timers(uiterlijk, peildatum),
            *_gronden_timer(indiener),
            *aan_indieners(
                _ontvangst(stand, besluit_datum, indiener, uiterlijk, [indiener]), [indiener]
            ),
        ),
    )


def _gronden_timer(indiener: dict) -> tuple[Termijn, ...]:
    """Awb 6:6: the day after the term for the gronden, a person is asked to decide; the
    timer belongs to the wait for the gronden and lapses when the procedure leaves it."""
    if not indiener["pro_forma"]:
        return ()
    dag = invoer_datum(indiener["gronden_uiterlijk"]) + dt.timedelta(days=1)
    return (Termijn(GRONDEN_TIMER, dag, indiener.get("client_id")),)


def _sluit_aan(stand: Stand, invoer: dict, peildatum: dt.date, feiten, lopend: dict) -> Overgang:
    """A further belanghebbende against the besluit of the open procedure joins it; the
    same indiener (role and client) twice is refused; against another besluit, the open
    procedure is decided first (the zaak has one status)."""
    besluit = feiten.besluit
    if lopend["besluit_id"] != besluit["id"]:
        raise OngeldigeInvoer(
            f"zaak {stand.key} behandelt al een bezwaar tegen het besluit van "
            f"{lopend['besluit_datum']}; een bezwaar tegen een ander besluit kan pas na de "
            "beslissing daarop"
        )
    indiener = _indiener(stand, invoer, peildatum, besluit)
    lijst = indieners(lopend)
    if any(
        (i["indiener"], i.get("client_id")) == (indiener["indiener"], indiener["client_id"])
        for i in lijst
    ):
        wie = indiener["indiener"] + (
            f" van cliënt {indiener['client_id']}" if indiener["client_id"] else ""
        )
        raise OngeldigeInvoer(f"de {wie} heeft al bezwaar gemaakt tegen dit besluit")
    lijst.append(indiener)
    status = volgende_wacht(lopend, lijst, peildatum)
    besluit_datum = invoer_datum(lopend["besluit_datum"])
    uiterlijk = invoer_datum(lopend["uiterlijk"])
    return ZaakOvergang(
        status=status,
        actie="bezwaar_indiener_toegevoegd",
        # The run keeps its wait when the procedure does (a hoorzitting form stays as it is).
        nieuwe_wacht=status != stand.status,
        details={
            "besluit_datum": besluit_datum.isoformat(),
            "ontvangen": indiener["ontvangen"],
            "tijdig": indiener["tijdig"],
            "pro_forma": indiener["pro_forma"],
            "indieners": len(lijst),
        },
        effecten=(
            BezwaarBijgewerkt({"indieners": lijst}),
            *_gronden_timer(indiener),
            *aan_indieners(
                _ontvangst(stand, besluit_datum, indiener, uiterlijk, lijst), [indiener]
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
            *aan_indieners(
                Bericht(
                    "bezwaar_verdaagd",
                    context={
                        "uiterlijk": uiterlijk.isoformat(),
                        "reden": reden[:2000],
                        "indieners": wie_tekst(_actief(indieners(bezwaar))),
                    },
                ),
                _actief(indieners(bezwaar)),
            ),
        ),
    )


def _niet_ontvankelijk(
    stand: Stand,
    bezwaar: dict,
    lijst: list[dict],
    wie: str,
    onderbouwing: str,
    peildatum: dt.date,
    velden: dict,
    actie: str,
) -> Overgang:
    """Some bezwaarschriften are niet-ontvankelijk (late and not excusable, 6:11; no gronden
    in the term, 6:6): when none is left the procedure ends with a beslissing niet-ontvankelijk
    without hoorzitting (7:3 a); otherwise it goes on with the rest, and the beslissing names
    these in its dictum."""
    velden = {**velden, "indieners": lijst, "behandelaar": wie}
    if not _actief(lijst):
        extra = {**velden, "afzien_grond": "kennelijk niet-ontvankelijk"}
        bijgewerkt = {**bezwaar, "indieners": lijst}
        return beslissing(
            stand, bijgewerkt, "niet-ontvankelijk", onderbouwing, wie, peildatum, extra
        )
    status = volgende_wacht(bezwaar, lijst, peildatum)
    return ZaakOvergang(
        status=status,
        actie=actie,
        details={"behandelaar": wie},
        effecten=(BezwaarBijgewerkt(velden),),
    )


def na_verschoonbaarheid(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 6:11: a late bezwaarschrift is niet-ontvankelijk unless the lateness is excusable;
    the behandelaar decides, with onderbouwing, for every late one not yet judged.
    Verschoonbaar: handled as one in time."""
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
    lijst = indieners(bezwaar)
    beoordeeld = [i for i in _actief(lijst) if _te_laat_open(i)]
    for i in beoordeeld:
        i["verschoonbaar"] = oordeel == "verschoonbaar"
        i["niet_ontvankelijk"] = oordeel == "niet-ontvankelijk"
        i["niet_ontvankelijk_grond"] = "Awb 6:11" if i["niet_ontvankelijk"] else None
    velden: dict = {}
    if lijst[0] in beoordeeld:  # the procedure's own columns are its first bezwaarschrift's
        velden = {"verschoonbaar": oordeel == "verschoonbaar"}
        velden["verschoonbaar_onderbouwing"] = onderbouwing
    if oordeel == "niet-ontvankelijk":
        # Not excusable is kennelijk niet-ontvankelijk: no hoorzitting (7:3 a).
        return _niet_ontvankelijk(
            stand,
            bezwaar,
            lijst,
            wie,
            onderbouwing,
            peildatum,
            velden,
            "bezwaar_deels_niet_ontvankelijk",
        )
    return ZaakOvergang(
        status=volgende_wacht(bezwaar, lijst, peildatum),
        actie="bezwaar_verschoonbaar",
        details={"behandelaar": wie},
        effecten=(BezwaarBijgewerkt({**velden, "behandelaar": wie, "indieners": lijst}),),
    )


def na_gronden(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 6:5, 6:6: the gronden of a pro forma bezwaarschrift, received (the procedure goes
    on to the hoorzitting when none is missing), or, once the term for them has passed
    without them, a behandelaar's decision that it is niet-ontvankelijk, with onderbouwing
    (never the timer itself: 6:6 says the bezwaar "kan" be declared so). Awb 7:10 lid 2: the
    days from the request to the gronden do not count towards the beslissing's term."""
    if invoer.get("verdagen"):
        return verdaging(stand, invoer, peildatum, feiten)
    bezwaar = _bezwaar_of_fout(stand, feiten)
    if stand.status not in (S.BEZWAAR_GRONDEN, S.BEZWAAR_GRONDEN_VERSTREKEN):
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht niet op gronden")
    lijst = indieners(bezwaar)
    missend = [i for i in _actief(lijst) if _zonder_gronden(i)]
    handeling = invoer.get("handeling")
    if handeling == "niet-ontvankelijk":
        wie = behandelaar(invoer, feiten, bezwaar)
        onderbouwing = _onderbouwing(invoer, "niet-ontvankelijk")
        verstreken = [i for i in missend if invoer_datum(i["gronden_uiterlijk"]) < peildatum]
        if not verstreken:
            eerste = min(i["gronden_uiterlijk"] for i in missend)
            raise OngeldigeInvoer(
                f"de termijn voor de gronden loopt nog tot en met {eerste} (Awb 6:6)"
            )
        for i in verstreken:
            i["niet_ontvankelijk"], i["niet_ontvankelijk_grond"] = True, "Awb 6:6"
        return _niet_ontvankelijk(
            stand,
            bezwaar,
            lijst,
            wie,
            onderbouwing,
            peildatum,
            {},
            "bezwaar_deels_niet_ontvankelijk",
        )
    if handeling != "gronden":
        raise OngeldigeInvoer(
            "kies: de ontvangen gronden invullen, of niet-ontvankelijk na de termijn (Awb 6:6)"
        )
    wie = medewerker_met_rol(
        invoer.get("behandelaar"),
        feiten.beoordelaars,
        BEZWAAR_ROLLEN,
        als="medewerker",
        mag_niet="mag geen bezwaar behandelen",
        leeg="vul het id in van wie de gronden registreert",
    )
    i = _kies_missend(missend, invoer)
    gronden = (invoer.get("gronden") or "").strip()
    if not gronden:
        raise OngeldigeInvoer("vul de gronden van het bezwaar in (Awb 6:5)")
    ontvangen = invoer_datum(invoer.get("ontvangen"), "ontvangen") or peildatum
    if ontvangen > peildatum:
        raise OngeldigeInvoer(f"ontvangen {ontvangen} ligt na vandaag ({peildatum})")
    if ontvangen < invoer_datum(i["ontvangen"]):
        raise OngeldigeInvoer(f"de gronden ({ontvangen}) kwamen voor het bezwaarschrift")
    i.update(gronden=gronden[:4000], gronden_ontvangen=ontvangen.isoformat())
    velden: dict = {"indieners": lijst}
    effecten: list = []
    if i is lijst[0]:
        velden["gronden"] = i["gronden"]
        # Awb 7:10 lid 2: suspended from the day after the request until the gronden came
        # (or their term passed). aanname: only the first bezwaarschrift's, whose term is
        # the procedure's.
        tot = min(ontvangen, invoer_datum(i["gronden_uiterlijk"]))
        dagen = max(0, (tot - invoer_datum(i["gronden_gevraagd"])).days)
        if dagen:
            uiterlijk = atw_einde(invoer_datum(bezwaar["uiterlijk"]) + dt.timedelta(days=dagen))
            velden["uiterlijk"] = uiterlijk
            effecten += timers(uiterlijk, peildatum)
    status = volgende_wacht(bezwaar, lijst, peildatum)
    return ZaakOvergang(
        status=status,
        actie="bezwaar_gronden_ontvangen",
        details={"door": wie, "ontvangen": ontvangen.isoformat()},
        effecten=(
            BezwaarBijgewerkt(velden, timers_vervallen="uiterlijk" in velden),
            *effecten,
        ),
    )


def _kies_missend(missend: list[dict], invoer: dict) -> dict:
    """The bezwaarschrift whose gronden came: the one named, or the only one without."""
    rol = invoer.get("indiener")
    rol = None if rol in (None, "", "kies") else rol
    client = (invoer.get("client") or "").strip() or None
    gekozen = [
        i
        for i in missend
        if (rol is None or i["indiener"] == rol) and (client is None or i["client_id"] == client)
    ]
    if len(gekozen) == 1:
        return gekozen[0]
    if not gekozen:
        raise OngeldigeInvoer("van die indiener ontbreken geen gronden")
    namen = ", ".join(
        i["indiener"] + (f" ({i['client_id']})" if i["client_id"] else "") for i in gekozen
    )
    raise OngeldigeInvoer(f"van meer indieners ontbreken de gronden; kies: {namen}")


def na_hoorzitting(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 7:2: the indieners are heard, at a hoorzitting planned with its date; Awb 7:3: it
    is waived only on one of its grounds, which then binds the outcome (AFZIEN_GRONDEN)."""
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
        wie_gehoord = wie_tekst(_actief(indieners(bezwaar)))
        berichten = aan_indieners(
            Bericht(
                "bezwaar_hoorzitting", context={"datum": op.isoformat(), "indieners": wie_gehoord}
            ),
            _actief(indieners(bezwaar)),
        )
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
    """The beslissing op bezwaar is a besluit (7:12) in a ronde of its own, whose letters
    carry the beroep clause (6:7, 8:1) and reach the applicant and the parties of the clients
    the contested besluit concerns, every indiener among them (7:12 lid 2). Gegrond: the
    besluit is revoked and the zaak is assessed again in the ronde after it, under the same
    rules and roles; the new besluit is due within the 7:10 term (its timers stay, 7:11) and
    is open to beroep only. Ongegrond / niet-ontvankelijk: the besluit stands and the zaak is
    where it was (a bijstelling gets a new term to submit it)."""
    gegrond = uitkomst == "gegrond"
    beleid = beleid_op(peildatum)
    lijst = indieners({**bezwaar, **extra})
    velden = {
        **extra,
        "uitkomst": uitkomst,
        "onderbouwing": onderbouwing,
        "behandelaar": wie,
        "beslist_op": peildatum,
        # The besluit's own ronde is the one after the zaak's; a new primary besluit after it.
        "heropend_ronde": stand.ronde + 2 if gegrond else None,
    }
    terug = S.BEOORDELING if gegrond else bezwaar["terug_status"]
    gevolg = (
        "Het besluit wordt herroepen; het zorgkantoor neemt een nieuw besluit op de aanvraag "
        "(Awb 7:11)."
        if gegrond
        else "Het besluit blijft in stand."
    )
    termijnen: tuple[Termijn, ...] = ()
    if terug == S.BIJSTELLING:
        herstel = peildatum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        termijnen = (Termijn("herstel_termijn", herstel),)
        gevolg += f" Dien de bijgestelde aanvraag in uiterlijk {herstel.isoformat()}."
    record = besluit_record(stand, {**bezwaar, **velden}, lijst, peildatum, beleid.versie)
    return ZaakOvergang(
        status=terug,
        actie=f"bezwaar_{uitkomst.replace('-', '_')}",
        details={"behandelaar": wie, "uitkomst": uitkomst},
        effecten=(
            NieuweRonde(),
            BesluitVastgelegd(record),
            BezwaarBijgewerkt(velden, timers_vervallen=not gegrond),
            *termijnen,
            Bericht(
                "bezwaar_beslist",
                bijlage=True,
                context={
                    "uitkomst": uitkomst,
                    "onderbouwing": onderbouwing,
                    "besluit_datum": str(bezwaar["besluit_datum"]),
                    "gevolg": gevolg,
                    "indieners": wie_tekst(lijst),
                },
            ),
        ),
    )


def besluit_record(
    stand: Stand, bezwaar: dict, lijst: list[dict], peildatum: dt.date, beleidsversie: str
) -> dict:
    """The beslissing op bezwaar as a besluit record (models/besluit.py's keys, with its own
    soort, dictum, motivation and rules): the indieners by role, the contested besluit by its
    date and kenmerk."""
    uitkomst = bezwaar["uitkomst"]
    besluit_datum = datum_nl(invoer_datum(bezwaar["besluit_datum"]))
    kenmerk = f"{stand.key}/B{bezwaar['besluit_id']}"
    actief, afgewezen = _actief(lijst), [i for i in lijst if i.get("niet_ontvankelijk")]
    # The whole procedure niet-ontvankelijk: its one sentence names every indiener.
    hoofd = actief or afgewezen
    bezwaren = "de bezwaren" if len(hoofd) > 1 else "het bezwaar"
    dictum = [
        f"Het zorgkantoor verklaart {bezwaren} van {wie_tekst(hoofd)} tegen het besluit van "
        f"{besluit_datum} (kenmerk {kenmerk}) {uitkomst}."
    ]
    if actief and afgewezen:
        artikelen = sorted({i.get("niet_ontvankelijk_grond") or "Awb 6:11" for i in afgewezen})
        dictum.append(
            f"Het zorgkantoor verklaart {'de bezwaren' if len(afgewezen) > 1 else 'het bezwaar'} "
            f"van {wie_tekst(afgewezen)} niet-ontvankelijk ({', '.join(artikelen)})."
        )
    if uitkomst == "gegrond":
        dictum.append(
            f"Het zorgkantoor herroept het besluit van {besluit_datum} en neemt een nieuw besluit "
            "op de aanvraag (artikel 7:11 Awb); dat besluit ontvangt u apart."
        )
    else:
        dictum.append(f"Het besluit van {besluit_datum} blijft in stand.")
    motivering, regels = (
        [],
        [
            ["Heroverweging van het bestreden besluit op grond van het bezwaar", "Awb 7:11"],
            [
                "Beslissing op bezwaar, bekendgemaakt aan de indieners en belanghebbenden",
                "Awb 7:12",
            ],
        ],
    )
    hoorzitting = invoer_datum(bezwaar.get("hoorzitting_op"))
    if hoorzitting is not None:
        motivering.append(
            f"Het zorgkantoor heeft de indieners gehoord op {datum_nl(hoorzitting)} "
            "(artikel 7:2 Awb)."
        )
        regels.append(["Horen van de indieners", "Awb 7:2"])
    elif bezwaar.get("afzien_grond"):
        motivering.append(
            f"Het zorgkantoor heeft afgezien van het horen: {bezwaar['afzien_grond']} "
            "(artikel 7:3 Awb)."
        )
        regels.append(["Afzien van het horen", "Awb 7:3"])
    gronden = {i.get("niet_ontvankelijk_grond") for i in afgewezen}
    if "Awb 6:6" in gronden:
        regels.append(["De gronden zijn niet binnen de gestelde termijn aangevuld", "Awb 6:5, 6:6"])
    if gronden - {"Awb 6:6"}:
        regels.append(["Het bezwaarschrift is na de bezwaartermijn ingediend", "Awb 6:7, 6:11"])
    clienten = bezwaar.get("clienten")
    client_ids = None
    if clienten is not None:
        eigen = {i["client_id"] for i in lijst if i.get("client_id")}
        client_ids = sorted(set(clienten) | eigen) or None
    return {
        "uitkomst": uitkomst,
        "soort": "beslissing_op_bezwaar",
        "rechtsmiddel": "beroep",
        "onderbouwing": bezwaar["onderbouwing"],
        "beoordelaar": bezwaar["behandelaar"],
        "pijlers": {},
        "coulant": False,
        "datum": peildatum,
        "ronde": stand.ronde + 1,
        "beleidsversie": beleidsversie,
        "dictum": dictum,
        "motivering": motivering,
        "regels": regels,
        "client_ids": client_ids,
    }


def op_bezwaar(stand: Stand, feiten) -> bool:
    """The zaak is assessed again after a gegrond bezwaar (7:11): the besluit of this ronde
    is part of the beslissing op bezwaar."""
    return any(
        b.get("uitkomst") == "gegrond" and b.get("heropend_ronde") == stand.ronde
        for b in feiten.bezwaren
    )


def met_beroep(stand: Stand, feiten, overgang: Overgang | None) -> Overgang | None:
    """The besluit taken after a gegrond bezwaar carries the beroep clause (7:11, 8:1): its
    record's rechtsmiddel is "beroep", so its letters say so and a bezwaar is refused."""
    if overgang is None or not op_bezwaar(stand, feiten):
        return overgang
    effecten = tuple(
        BesluitVastgelegd({**e.besluit, "rechtsmiddel": "beroep"}, e.bekendmaken)
        if isinstance(e, BesluitVastgelegd)
        else e
        for e in overgang.effecten
    )
    return dataclasses.replace(overgang, effecten=effecten)
