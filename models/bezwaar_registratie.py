"""Registering a bezwaarschrift as pure rules: against which besluit it can be made (any of
the zaak's that stands; not one open to beroep only, 7:1, 8:1), by which belanghebbende
(1:2, 6:7), in time by the indiener's own letter's term (6:7-6:9, 6:11), with its gronden
or pro forma with a term for them (6:5, 6:6); a first one opens the procedure and starts the
7:10 term, a further one against the same besluit joins it (7:12 lid 2). Each indiener's
acknowledgement (6:14), and the warning for a client-side indiener who could not receive the
beslissing. The steps after it: models/bezwaar_behandeling.py, models/bezwaar_beslissing.py."""

from __future__ import annotations

import datetime as dt

from models.beleid import beleid_op
from models.besluit import is_thuis_verlenging
from models.bezwaar_procedure import (
    HERROEPEN,
    INDIENERS,
    UITKOMSTEN,
    aan_indieners,
    actieve_indieners,
    indieners,
    open_bezwaar,
    volgende_wacht,
    wie_tekst,
)
from models.bezwaar_termijnen import (
    GRONDEN_TIMER,
    beslis_uiterlijk,
    gronden_uiterlijk,
    tijdig,
    timers,
)
from models.engine import Bericht, OngeldigeInvoer, Overgang, Termijn, invoer_datum
from models.overgang import (
    BEZWAAR_STATUSSEN,
    BezwaarBijgewerkt,
    BezwaarGeregistreerd,
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
        op_bezwaar = b.get("uitkomst") in HERROEPEN and b.get("heropend_ronde") == besluit["ronde"]
        if eerder or op_bezwaar:
            wat = (
                f"{b.get('uitkomst') or 'in behandeling'}, ontvangen {b['ontvangen']}"
                if eerder
                else f"{b['uitkomst']}; het nieuwe besluit van {datum} is de beslissing op bezwaar"
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
    # The clients the contested besluit concerns (a mutation's: one), else the aanvraag's.
    clienten = besluit.get("clienten") or [c.client_id for c in stand.aanvraag.clienten]
    if indiener == "zorgaanbieder" and client_id:
        raise OngeldigeInvoer("de zorgaanbieder maakt bezwaar als aanvrager: laat de cliënt leeg")
    if indiener != "zorgaanbieder":
        if client_id is None and len(clienten) == 1:
            client_id = clienten[0]
        elif client_id is None:
            raise OngeldigeInvoer(f"kies de cliënt van de {indiener}: {', '.join(clienten)}")
        elif client_id not in [c.client_id for c in stand.aanvraag.clienten]:
            raise OngeldigeInvoer(f"cliënt {client_id} hoort niet bij zaak {stand.key}")
        elif client_id not in clienten:
            raise OngeldigeInvoer(f"het besluit gaat niet over cliënt {client_id}")
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
            "indieners": wie_tekst(actieve_indieners(lijst)),
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
    # Awb 7:13: with an adviescommissie the term is twelve weeks (7:10 lid 1). aanname: the
    # choice is made when the procedure opens (the term it sets is in the acknowledgement).
    adviescommissie = bool(invoer.get("adviescommissie"))
    uiterlijk = beslis_uiterlijk(
        einde or bezwaartermijn_einde(ontvangen, beleid_op(besluit_datum)),
        ontvangen,
        adviescommissie,
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
        "adviescommissie": adviescommissie,
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
            "adviescommissie": adviescommissie,
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
