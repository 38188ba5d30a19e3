"""The beslissing op bezwaar as pure rules: its 7:10 term postponed once (7:10 lid 3), the
step that takes it after the hoorzitting was held or waived (7:2, 7:3 binds the outcome),
and the beslissing itself (7:11, 7:12): a besluit in a ronde of its own whose letters carry
the beroep clause (6:7, 8:1) and reach every indiener, its besluit record (dictum naming the
indieners by role and the contested besluit, motivation, rules), and after gegrond the new
besluit taken by the zaak's own beoordeling, open to beroep only. The steps before it:
models/bezwaar_registratie.py, models/bezwaar_behandeling.py."""

from __future__ import annotations

import dataclasses
import datetime as dt

from models.beleid import beleid_op
from models.bezwaar_procedure import (
    AFZIEN_GRONDEN,
    HERROEPEN,
    UITKOMSTEN,
    aan_indieners,
    actieve_indieners,
    behandelaar,
    bezwaar_in_behandeling,
    indieners,
    vereiste_onderbouwing,
    wie_tekst,
)
from models.bezwaar_termijnen import VERDAGING_WEKEN, timers
from models.bezwaar_verslag import na_verslag
from models.brief_teksten import datum_nl
from models.dates import atw_einde
from models.engine import Bericht, OngeldigeInvoer, Overgang, Termijn, invoer_datum
from models.overgang import (
    BESCHIKKING_ACTIEF,
    BesluitVastgelegd,
    BezwaarBijgewerkt,
    NieuweRonde,
    Stand,
    ZaakOvergang,
)
from models.overgang import ZaakStatus as S


def verdaging(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 7:10 lid 3: the term is postponed once by six weeks, with a notice and a reason to
    the provider; a second verdaging is refused."""
    bezwaar = bezwaar_in_behandeling(stand, feiten)
    wie = behandelaar(invoer, feiten, bezwaar)
    if bezwaar.get("verdaagd"):
        raise OngeldigeInvoer(
            f"de beslissing op bezwaar is al eens verdaagd (tot {bezwaar['uiterlijk']}); een "
            "tweede verdaging kan niet (Awb 7:10 lid 3)"
        )
    reden = (invoer.get("reden_verdaging") or "").strip()
    if not reden:
        raise OngeldigeInvoer("vul de reden van de verdaging in (Awb 7:10 lid 3)")
    termijn = invoer_datum(bezwaar["uiterlijk"])
    if peildatum > termijn:
        # 7:10 lid 3 "kan de beslissing ... verdagen": a term that passed cannot be postponed
        # (as 4:14 for the beslistermijn, models/beslistermijn.py).
        raise OngeldigeInvoer(
            f"de termijn voor de beslissing op bezwaar is verstreken op {termijn}; verdagen "
            "kan alleen binnen de termijn (Awb 7:10 lid 3)"
        )
    uiterlijk = atw_einde(termijn + dt.timedelta(weeks=VERDAGING_WEKEN))
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
                        "indieners": wie_tekst(actieve_indieners(indieners(bezwaar))),
                    },
                ),
                actieve_indieners(indieners(bezwaar)),
            ),
        ),
    )


def na_beslissing(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """The beslissing op bezwaar (7:11, 7:12): gegrond, gedeeltelijk gegrond, ongegrond or
    niet-ontvankelijk, with onderbouwing, after the hoorzitting took place and its verslag was
    recorded (7:7), or it was waived on a 7:3 ground; with the costs when asked (7:15)."""
    if invoer.get("verdagen"):
        return verdaging(stand, invoer, peildatum, feiten)
    if invoer.get("verslag"):
        return na_verslag(stand, invoer, peildatum, feiten)
    bezwaar = bezwaar_in_behandeling(stand, feiten)
    if stand.status != S.BEZWAAR_BESLISSEN:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht nog op de hoorzitting")
    wie = behandelaar(invoer, feiten, bezwaar)
    uitkomst = invoer.get("uitkomst")
    if uitkomst not in UITKOMSTEN:
        raise OngeldigeInvoer(f"kies een uitkomst: {', '.join(UITKOMSTEN)}")
    onderbouwing = vereiste_onderbouwing(invoer, uitkomst)
    hoorzitting = invoer_datum(bezwaar.get("hoorzitting_op"))
    if hoorzitting is not None and hoorzitting > peildatum:
        raise OngeldigeInvoer(f"de hoorzitting van {hoorzitting} is nog niet gehouden (Awb 7:2)")
    if hoorzitting is not None and not bezwaar.get("verslag"):
        raise OngeldigeInvoer(
            f"leg eerst het verslag van de hoorzitting van {hoorzitting} vast (Awb 7:7)"
        )
    grond = bezwaar.get("afzien_grond")
    verplicht = AFZIEN_GRONDEN.get(grond) if grond else None
    if verplicht is not None and uitkomst != verplicht:
        raise OngeldigeInvoer(
            f"van horen is afgezien omdat het bezwaar {grond} is (Awb 7:3); de uitkomst is dan "
            f"{verplicht}"
        )
    kosten = kostenvergoeding(uitkomst, invoer)
    extra = {"kostenvergoeding": kosten} if kosten is not None else {}
    advies = advies_van(bezwaar, invoer)
    if advies is not None:
        extra["advies_commissie"] = advies
    return beslissing(
        stand, bezwaar, uitkomst, onderbouwing, wie, peildatum, extra, feiten.beschikking_actief
    )


def advies_van(bezwaar: dict, invoer: dict) -> str | None:
    """Awb 7:13 lid 7: with an adviescommissie, the beslissing names its advice (and, where it
    departs from it, the reason, which is the onderbouwing's); without one there is none."""
    advies = invoer.get("advies_commissie")
    advies = None if advies in (None, "", "kies") else advies
    if not bezwaar.get("adviescommissie"):
        if advies is not None:
            raise OngeldigeInvoer("dit bezwaar heeft geen adviescommissie (Awb 7:13)")
        return None
    if advies not in UITKOMSTEN:
        raise OngeldigeInvoer(
            f"vul het advies van de commissie in (Awb 7:13 lid 7): {', '.join(UITKOMSTEN)}"
        )
    return advies


def kostenvergoeding(uitkomst: str, invoer: dict) -> dict | None:
    """Awb 7:15: the costs of the bezwaar are reimbursed only on a request made before the
    beslissing (lid 3) and only when the besluit is revoked (lid 2: gegrond or partly, for
    an unlawfulness the zorgkantoor is to blame for, which the behandelaar weighs: granted or
    not). The amount is recorded as decided (aanname: computed by the Besluit proceskosten
    bestuursrecht outside this system). None: no request."""
    gevraagd = bool(invoer.get("kosten_gevraagd"))
    toegekend = bool(invoer.get("kosten_toegekend"))
    ruw = invoer.get("kosten_bedrag")
    try:
        bedrag = None if ruw in (None, "", 0, 0.0, "0") else round(float(ruw), 2)
    except (TypeError, ValueError):
        raise OngeldigeInvoer(f"kosten_bedrag '{ruw}' is geen bedrag in euro") from None
    if bedrag is not None and not 0 < bedrag < 1_000_000:
        raise OngeldigeInvoer(f"kosten_bedrag {bedrag} is geen geldig bedrag (meer dan 0 euro)")
    if not gevraagd:
        if toegekend or bedrag is not None:
            raise OngeldigeInvoer(
                "kosten worden alleen vergoed op een verzoek voor de beslissing (Awb 7:15 lid 3)"
            )
        return None
    if toegekend and uitkomst not in HERROEPEN:
        raise OngeldigeInvoer(
            f"bij {uitkomst} worden de kosten niet vergoed: alleen als het besluit wordt "
            "herroepen (Awb 7:15 lid 2)"
        )
    if toegekend and bedrag is None:
        raise OngeldigeInvoer("vul het bedrag van de kostenvergoeding in (Awb 7:15)")
    if not toegekend and bedrag is not None:
        raise OngeldigeInvoer("een bedrag hoort alleen bij een toegekende kostenvergoeding")
    return {"gevraagd": True, "toegekend": toegekend, "bedrag": bedrag}


def beslissing(
    stand: Stand,
    bezwaar: dict,
    uitkomst: str,
    onderbouwing: str,
    wie: str,
    peildatum: dt.date,
    extra: dict,
    beschikking_actief: bool = True,
) -> Overgang:
    """The beslissing op bezwaar is a besluit (7:12) in a ronde of its own, whose letters
    carry the beroep clause (6:7, 8:1) and reach the applicant and the parties of the clients
    the contested besluit concerns, every indiener among them (7:12 lid 2). Gegrond: the
    besluit is revoked and the zaak is assessed again in the ronde after it, under the same
    rules and roles; the new besluit is due within the 7:10 term (its timers stay, 7:11) and
    is open to beroep only. Ongegrond / niet-ontvankelijk: the besluit stands and the zaak is
    where it was (a bijstelling gets a new term to submit it), unless the beschikking it
    returns to ended meanwhile (Awb 6:16, models/bezwaar_termijnen.tijdens_bezwaar): then the
    zaak ends. Gedeeltelijk gegrond (7:11 "voor zover"): the besluit is revoked for that part
    and the zaak is assessed again as after gegrond; the new besluit replaces the contested
    one as a whole, keeping what the bezwaar did not touch (aanname: one besluit per aanvraag
    in force, as a bezwaar jurist writes it: "herroept het besluit voor zover ... en neemt een
    nieuw besluit"; the onderbouwing says which part)."""
    gegrond = uitkomst in HERROEPEN
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
        if uitkomst == "gegrond"
        else "Het besluit wordt herroepen voor zover het bezwaar gegrond is; het zorgkantoor "
        "neemt een nieuw besluit op de aanvraag dat het bestreden besluit vervangt (Awb 7:11)."
        if gegrond
        else "Het besluit blijft in stand."
    )
    if not gegrond and terug in BESCHIKKING_ACTIEF and not beschikking_actief:
        terug = S.BEEINDIGD
        gevolg += " De beschikking is inmiddels op haar einddatum geeindigd; de zaak sluit."
    termijnen: tuple[Termijn, ...] = ()
    if terug == S.BIJSTELLING:
        herstel = peildatum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        # R §10: the bijstelling's own term (models/bijstelling.py), not a 4:5 herstel term.
        termijnen = (Termijn("bijstelling_termijn", herstel),)
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
    actief, afgewezen = actieve_indieners(lijst), [i for i in lijst if i.get("niet_ontvankelijk")]
    # The whole procedure niet-ontvankelijk: its one sentence names every indiener.
    hoofd = actief or afgewezen
    bezwaren = "de bezwaren" if len(hoofd) > 1 else "het bezwaar"
    dictum = [
        f"Het zorgkantoor verklaart {bezwaren} van {wie_tekst(hoofd)} tegen het besluit van "
        f"{besluit_datum} (kenmerk {kenmerk}) {uitkomst.replace('-', ' ', 1)}."
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
    elif uitkomst in HERROEPEN:
        dictum.append(
            f"Het zorgkantoor herroept het besluit van {besluit_datum} voor zover het bezwaar "
            "gegrond is en neemt een nieuw besluit op de aanvraag dat het bestreden besluit "
            "vervangt; voor het overige houdt het nieuwe besluit de inhoud van het bestreden "
            "besluit aan (artikel 7:11 Awb). Dat besluit ontvangt u apart."
        )
    else:
        dictum.append(f"Het besluit van {besluit_datum} blijft in stand.")
    kosten = bezwaar.get("kostenvergoeding")
    if kosten:
        dictum.append(
            "Het zorgkantoor vergoedt de kosten die in verband met de behandeling van het "
            f"bezwaar redelijkerwijs zijn gemaakt, tot een bedrag van EUR {kosten['bedrag']:.2f} "
            "(artikel 7:15 Awb)."
            if kosten.get("toegekend")
            else "Het zorgkantoor wijst het verzoek om vergoeding van de kosten van het bezwaar "
            "af (artikel 7:15 Awb)."
        )
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
        if bezwaar.get("verslag"):
            motivering.append(
                "Van de hoorzitting is een verslag gemaakt, op "
                f"{datum_nl(invoer_datum(bezwaar['verslag']['opgemaakt_op']))} (artikel 7:7 Awb)."
            )
            regels.append(["Verslag van de hoorzitting", "Awb 7:7"])
    if bezwaar.get("adviescommissie"):
        regels.append(["Advies van de commissie voor de bezwaarschriften", "Awb 7:13"])
        advies = bezwaar.get("advies_commissie")
        if advies:
            volgt = "volgt dat advies" if advies == uitkomst else "wijkt daarvan af, om de redenen"
            motivering.append(
                f"De commissie voor de bezwaarschriften adviseerde het bezwaar "
                f"{advies.replace('-', ' ', 1)} te verklaren; het zorgkantoor {volgt}"
                + ("." if advies == uitkomst else " in deze beslissing (artikel 7:13 lid 7 Awb).")
            )
    if kosten:
        regels.append(["Vergoeding van de kosten van het bezwaar", "Awb 7:15"])
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
    """The zaak is assessed again after a (partly) gegrond bezwaar (7:11): the besluit of this
    ronde is part of the beslissing op bezwaar."""
    return any(
        b.get("uitkomst") in HERROEPEN and b.get("heropend_ronde") == stand.ronde
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
