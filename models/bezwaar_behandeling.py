"""Handling a registered bezwaar as pure rules, the steps between the registration and the
beslissing: the gronden of a pro forma bezwaarschrift, received or, after their term, the
bezwaarschrift declared niet-ontvankelijk (6:5, 6:6, with 7:10 lid 2's suspension of the
term); the excusability of a late one (6:11); the hoorzitting planned, or waived on a 7:3
ground. A bezwaarschrift found niet-ontvankelijk leaves the procedure; when none is left,
the procedure ends in a beslissing (models/bezwaar_beslissing.py). Every wait here also
takes the verdaging of the term (7:10 lid 3, models/bezwaar_beslissing.verdaging)."""

from __future__ import annotations

import datetime as dt

from models.bezwaar_beslissing import beslissing, verdaging
from models.bezwaar_procedure import (
    AFZIEN_GRONDEN,
    aan_indieners,
    actieve_indieners,
    behandelaar,
    bezwaar_in_behandeling,
    indieners,
    te_laat_open,
    vereiste_onderbouwing,
    volgende_wacht,
    wie_tekst,
    zonder_gronden,
)
from models.bezwaar_termijnen import timers
from models.bezwaar_verslag import hoorzitting_datum
from models.dates import atw_einde
from models.engine import Bericht, OngeldigeInvoer, Overgang, invoer_datum, medewerker_met_rol
from models.overgang import BEZWAAR_ROLLEN, BezwaarBijgewerkt, Stand, ZaakOvergang
from models.overgang import ZaakStatus as S


def _niet_ontvankelijk(
    stand: Stand,
    bezwaar: dict,
    lijst: list[dict],
    wie: str,
    onderbouwing: str,
    peildatum: dt.date,
    velden: dict,
    actie: str,
    beschikking_actief: bool = True,
) -> Overgang:
    """Some bezwaarschriften are niet-ontvankelijk (late and not excusable, 6:11; no gronden
    in the term, 6:6): when none is left the procedure ends with a beslissing niet-ontvankelijk
    without hoorzitting (7:3 a); otherwise it goes on with the rest, and the beslissing names
    these in its dictum."""
    velden = {**velden, "indieners": lijst, "behandelaar": wie}
    if not actieve_indieners(lijst):
        extra = {**velden, "afzien_grond": "kennelijk niet-ontvankelijk"}
        bijgewerkt = {**bezwaar, "indieners": lijst}
        return beslissing(
            stand,
            bijgewerkt,
            "niet-ontvankelijk",
            onderbouwing,
            wie,
            peildatum,
            extra,
            beschikking_actief,
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
    bezwaar = bezwaar_in_behandeling(stand, feiten)
    if stand.status != S.BEZWAAR_TE_LAAT:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} is op tijd ontvangen")
    wie = behandelaar(invoer, feiten, bezwaar)
    oordeel = invoer.get("oordeel")
    if oordeel not in ("verschoonbaar", "niet-ontvankelijk"):
        raise OngeldigeInvoer("kies bij oordeel: verschoonbaar of niet-ontvankelijk (Awb 6:11)")
    onderbouwing = vereiste_onderbouwing(invoer, oordeel)
    lijst = indieners(bezwaar)
    beoordeeld = [i for i in actieve_indieners(lijst) if te_laat_open(i)]
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
            feiten.beschikking_actief,
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
    bezwaar = bezwaar_in_behandeling(stand, feiten)
    if stand.status not in (S.BEZWAAR_GRONDEN, S.BEZWAAR_GRONDEN_VERSTREKEN):
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht niet op gronden")
    lijst = indieners(bezwaar)
    missend = [i for i in actieve_indieners(lijst) if zonder_gronden(i)]
    handeling = invoer.get("handeling")
    if handeling == "niet-ontvankelijk":
        wie = behandelaar(invoer, feiten, bezwaar)
        onderbouwing = vereiste_onderbouwing(invoer, "niet-ontvankelijk")
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
            feiten.beschikking_actief,
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
    bezwaar = bezwaar_in_behandeling(stand, feiten)
    if stand.status != S.BEZWAAR_HOREN:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht niet op de hoorzitting")
    wie = behandelaar(invoer, feiten, bezwaar)
    handeling = invoer.get("handeling")
    if handeling == "plannen":
        op = hoorzitting_datum(invoer, peildatum, invoer_datum(bezwaar["ontvangen"]))
        # Awb 7:4: the message below is the invitation; it goes out today.
        velden = {"hoorzitting_op": op, "uitgenodigd_op": peildatum}
        details = {"hoorzitting_op": op.isoformat(), "uitgenodigd_op": peildatum.isoformat()}
        wie_gehoord = wie_tekst(actieve_indieners(indieners(bezwaar)))
        berichten = aan_indieners(
            Bericht(
                "bezwaar_hoorzitting", context={"datum": op.isoformat(), "indieners": wie_gehoord}
            ),
            actieve_indieners(indieners(bezwaar)),
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
