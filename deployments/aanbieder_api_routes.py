"""The routes of the provider's API (issue 28). Each reads and writes only through its key's
AGB (models/db/aanbieder_lezen.py); a wait is answered only while the case waits on it and
the wait's declaration says the provider answers it (deployments/aanbieder_acties.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool

from deployments import aanbieder_api_schema as S
from deployments.aanbieder_acties import (
    Aanbieder,
    Probleem,
    dien_in,
    hervat,
    lees_aanvraag,
    lezen,
    schrijven,
    start_run,
    wacht_van_aanbieder,
)
from deployments.aanbieder_toegang import PREFIX, aanbieder
from models.dates import vandaag
from models.db import aanbieder_lezen as db
from models.db.aanbieder_sleutels import abonneer, abonnementen, zeg_op
from models.db.dialogen_lezen import dialoog_van
from models.soorten import SOORTEN
from tasks.webhooks import onveilige_bestemming

PROBLEEM_INHOUD = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Probleem"}}
}
FOUTEN = {c: {"content": PROBLEEM_INHOUD, "description": d} for c, d in (
    (400, "Onleesbaar verzoek (geen JSON)"), (401, "Geen of een onbekende sleutel"), (404, "Niet gevonden (of niet van uw AGB)"),
    (409, "De zaak wacht hier nu niet op"), (422, "Ongeldige invoer"), (429, "Te veel verzoeken"),
)}  # fmt: skip
ISO_TIJDSTIP = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _iso_tijdstip(waarde: object) -> object:
    """Only an ISO 8601 date-time, as the document says: pydantic would also read a number
    as seconds since 1970, so `gewijzigd_sinds=2.6e-295` would silently mean 1 January 1970."""
    if isinstance(waarde, str) and not ISO_TIJDSTIP.match(waarde):
        raise ValueError("geef een tijdstip als 2026-12-01T09:00:00+01:00 (ISO 8601)")
    return waarde


IsoTijdstip = Annotated[dt.datetime, BeforeValidator(_iso_tijdstip)]
ZAAK_KEY = Path(pattern=r"^MZ-\d{4}-\d{6}$", description="De zaak, bv. MZ-2026-000123")
router = APIRouter(responses=FOUTEN)


@router.post(
    "/aanvragen",
    response_model=S.Ingediend,
    status_code=201,
    summary="Dien een aanvraag in; het antwoord bevat de ontvangstbevestiging en de toets",
    responses={200: {"model": S.Ingediend, "description": "Herhaald verzoek: dezelfde zaak"}},
)
async def postlees_aanvraag(
    request: Request,
    response: Response,
    achteraf: BackgroundTasks,
    wie: Aanbieder = Depends(aanbieder),
):
    sleutel = request.headers.get("idempotency-key")
    if sleutel is not None and not (1 <= len(sleutel) <= 128 and sleutel.isprintable()):
        raise Probleem(
            422, "Ongeldige Idempotency-Key", "Idempotency-Key: 1 tot 128 leesbare tekens"
        )
    antwoord, nieuw = await run_in_threadpool(dien_in, await request.body(), wie, sleutel)
    response.status_code = 201 if nieuw else 200
    request.state.geaudit = True  # in dien_in's transaction
    achteraf.add_task(start_run, antwoord["zaak"])
    return antwoord


@router.get("/zaken", response_model=S.Zaken, summary="Uw zaken, per pagina")
def get_zaken(
    gewijzigd_sinds: IsoTijdstip | None = Query(None, description="Alleen zaken gewijzigd sinds"),
    na: str | None = Query(None, pattern=r"^MZ-\d{4}-\d{6}$", description="Vanaf na deze zaak"),
    limiet: int = Query(50, ge=1, le=200),
    wie: Aanbieder = Depends(aanbieder),
):
    if gewijzigd_sinds is not None:  # compared in UTC, as `bijgewerkt` is stored
        if gewijzigd_sinds.tzinfo is None:
            gewijzigd_sinds = gewijzigd_sinds.replace(tzinfo=dt.UTC)
        gewijzigd_sinds = gewijzigd_sinds.astimezone(dt.UTC)
    with lezen() as session:
        rijen = db.zaken_van(
            session=session, agb=wie.agb, gewijzigd_sinds=gewijzigd_sinds, na=na, limiet=limiet + 1
        )
        zaken = [_kort(z) for z in rijen[:limiet]]
    return {"zaken": zaken, "volgende": zaken[-1]["zaak"] if len(rijen) > limiet else None}


def _kort(z) -> dict:
    return {
        "zaak": z.key,
        "status": z.status,
        "wacht_op": z.wacht_op,
        "ingediend_op": z.ingediend_op,
        "gewijzigd": z.bijgewerkt,
    }


@router.get(
    "/zaken/{key}",
    response_model=S.ZaakDetail,
    summary="Eén zaak: wat er van u gevraagd wordt, besluiten, bezwaar",
)
def get_zaak(key: str = ZAAK_KEY, wie: Aanbieder = Depends(aanbieder)):
    with lezen() as session:
        z = db.zaak_van(session=session, agb=wie.agb, key=key)
        if z is None:
            raise Probleem(404, "Onbekende zaak", f"zaak {key} bestaat niet voor AGB {wie.agb}")
        termijnen = db.open_termijnen(session=session, zaak=key)
        wacht = SOORTEN["zaak"].wacht(z.status)
        gevraagd = None
        if wacht is not None and wacht.rol == "aanbieder":
            eigen = [t.datum for t in termijnen if t.voor_status == z.status]
            gevraagd = {"wat": wacht.wacht_op, "uiterlijk": min(eigen) if eigen else None}
        # The besluiten addressed to the provider and its own bezwaren: a besluit only to a
        # client (a mutation's), or a client's bezwaar, is that client's (issue 25).
        besluiten = []
        for b in db.besluiten_van(session=session, zaak=key):
            brief = db.brief_aan_aanbieder(session=session, agb=wie.agb, besluit_id=b.id)
            if brief is None:
                continue
            besluiten.append(
                {
                    "id": b.id,
                    "soort": b.soort,
                    "uitkomst": b.uitkomst,
                    "datum": b.datum,
                    "bekendgemaakt_op": b.bekendgemaakt_op,
                    "uiterlijke_reactiedatum": b.uiterlijke_reactiedatum,
                    "document": f"{PREFIX}/besluiten/{b.id}/document",
                }
            )
        bezwaren = [
            {"id": bz.id, "besluit_id": bz.besluit_id, "ontvangen": bz.ontvangen,
             "uitkomst": bz.uitkomst, "uiterlijk": bz.uiterlijk}
            for bz in db.bezwaren_van(session=session, zaak=key)
            if any(i.get("indiener") == "zorgaanbieder" for i in bz.indieners or [])
            or bz.indiener == "zorgaanbieder"
        ]  # fmt: skip
        return {
            **_kort(z),
            "soort": z.soort,
            "leveringsvorm": z.leveringsvorm,
            "gevraagd": gevraagd,
            "termijnen": [{"soort": t.soort, "datum": t.datum} for t in termijnen],
            "besluiten": besluiten,
            "bezwaren": bezwaren,
        }


def _zaak_wacht(key: str, wie: Aanbieder, *wacht_op: str):
    return _zaak_en_wacht(key, wie, *wacht_op)[1]


def _zaak_en_wacht(key: str, wie: Aanbieder, *wacht_op: str):
    """(the zaak's stored aanvraag, its wait) in one read."""
    with lezen() as session:
        rij = db.zaak_van(session=session, agb=wie.agb, key=key)
        geval = wacht_van_aanbieder("zaak", rij, key, wacht_op)
        return dict(rij.aanvraag), geval


def _lees_zaak(key: str, wie: Aanbieder):
    return lambda session: db.zaak_van(session=session, agb=wie.agb, key=key)


def _aangepast(key: str, wie: Aanbieder, delen: dict, *wacht_op: str) -> dict:
    """The stored aanvraag with the parts sent (the aanvraag's own field names), checked as
    a whole, as the form of the wait answers it."""
    opgeslagen, geval = _zaak_en_wacht(key, wie, *wacht_op)
    aanvraag = lees_aanvraag({**opgeslagen, **delen}, wie)
    invoer = {"aanvraag": aanvraag.model_dump(mode="json")}
    return hervat(geval, invoer, wie, f"api_{wacht_op[0]}", _lees_zaak(key, wie))


@router.post(
    "/zaken/{key}/aanvulling",
    response_model=S.Verwerkt,
    summary="Vul een onvolledige aanvraag aan (herstel, Awb 4:5)",
)
def post_aanvulling(body: S.Aanvulling, key: str = ZAAK_KEY, wie: Aanbieder = Depends(aanbieder)):
    return _aangepast(key, wie, body.model_dump(mode="json", exclude_unset=True), "aanvulling")


@router.post(
    "/zaken/{key}/bijstelling", response_model=S.Verwerkt, summary="Stuur de bijgestelde aanvraag"
)
def post_bijstelling(body: S.Aanvulling, key: str = ZAAK_KEY, wie: Aanbieder = Depends(aanbieder)):
    return _aangepast(key, wie, body.model_dump(mode="json", exclude_unset=True), "bijstelling")


@router.post(
    "/zaken/{key}/evaluatie",
    response_model=S.Verwerkt,
    summary="De evaluatie bij herbeoordeling, eventueel met een verlenging",
)
def post_evaluatie(body: S.EvaluatieIn, key: str = ZAAK_KEY, wie: Aanbieder = Depends(aanbieder)):
    geval = _zaak_wacht(key, wie, "evaluatie")
    if body.verlenging is not None:
        lees_aanvraag(body.verlenging.model_dump(mode="json"), wie)
    return hervat(geval, body.model_dump(mode="json"), wie, "api_evaluatie", _lees_zaak(key, wie))


@router.post(
    "/zaken/{key}/zienswijze",
    response_model=S.Verwerkt,
    summary="Uw zienswijze op een voornemen (Awb 4:7, 4:8)",
)
def post_zienswijze(body: S.ZienswijzeIn, key: str = ZAAK_KEY, wie: Aanbieder = Depends(aanbieder)):
    geval = _zaak_wacht(key, wie, "zienswijze")
    invoer = {
        "ontvangen": vandaag().isoformat(),
        "van": "zorgaanbieder",
        "samenvatting": body.samenvatting,
    }
    return hervat(geval, invoer, wie, "api_zienswijze", _lees_zaak(key, wie))


@router.post(
    "/zaken/{key}/bezwaarschriften",
    response_model=S.BezwaarGeregistreerd,
    status_code=201,
    summary="Maak bezwaar tegen een besluit van de zaak (Awb 6:4)",
)
def post_bezwaar(
    body: S.BezwaarschriftIn,
    achteraf: BackgroundTasks,
    key: str = ZAAK_KEY,
    wie: Aanbieder = Depends(aanbieder),
):
    from tasks import bezwaar  # the bezwaar's own registration, as on the CLI

    with lezen() as session:
        if db.zaak_van(session=session, agb=wie.agb, key=key) is None:
            raise Probleem(404, "Onbekende zaak", f"zaak {key} bestaat niet voor AGB {wie.agb}")
    peildatum = vandaag()
    invoer = {
        "besluit": body.besluit,
        "ontvangen": peildatum,
        "verzonden": None,
        "gronden": body.gronden,
        "pro_forma": body.pro_forma,
        "indiener": "zorgaanbieder",
        "client": None,
        "ingediend_door": wie.wie,
    }
    try:
        uit = bezwaar.registreer_bezwaar(key, invoer, peildatum, wie.wie)
    except bezwaar.Geweigerd as exc:
        raise Probleem(422, "Bezwaar niet geregistreerd", str(exc)) from None
    achteraf.add_task(bezwaar.volg_run, key)
    return {k: uit[k] for k in ("zaak", "status") if k in uit}


@router.post(
    "/dialogen/{jaar}/meerzorgplan",
    response_model=S.Verwerkt,
    summary="Het meerzorgplan voor de meerzorgdialoog van dat jaar",
)
def post_meerzorgplan(
    body: S.MeerzorgplanIn, jaar: int = Path(ge=2000, le=2099), wie: Aanbieder = Depends(aanbieder)
):
    from models.dialoog import dialoog_key

    key = dialoog_key(wie.agb, jaar)
    with lezen() as session:
        rij = dialoog_van(session=session, agb=wie.agb, jaar=jaar)
        geval = wacht_van_aanbieder("dialoog", rij, key, ("meerzorgplan",))
    invoer = {"ontvangen": True, "document": body.document}
    return hervat(
        geval, invoer, wie, "api_meerzorgplan",
        lambda session: dialoog_van(session=session, agb=wie.agb, jaar=jaar),
    )  # fmt: skip


@router.get(
    "/besluiten/{besluit_id}/document",
    summary="De PDF van een besluit dat aan u is gericht",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "De brief"}},
)
def get_document(besluit_id: int = Path(ge=1, le=2**31 - 1), wie: Aanbieder = Depends(aanbieder)):
    with lezen() as session:
        brief = db.brief_aan_aanbieder(session=session, agb=wie.agb, besluit_id=besluit_id)
        if brief is None:
            raise Probleem(404, "Onbekend besluit", f"besluit {besluit_id} is niet aan u gericht")
        pdf = bytes(brief.pdf)
    return Response(pdf, media_type="application/pdf", headers={"cache-control": "no-store"})


@router.post(
    "/abonnementen",
    response_model=S.Abonnement,
    status_code=201,
    summary="Abonneer een webhook op uw zaken",
)
def post_abonnement(body: S.AbonnementIn, wie: Aanbieder = Depends(aanbieder)):
    url = str(body.url)
    if fout := onveilige_bestemming(url):
        raise Probleem(422, "Onveilige webhook", fout)
    with schrijven() as session:
        return abonneer(session=session, agb=wie.agb, url=url, door=wie.wie)


@router.get("/abonnementen", response_model=list[S.Abonnement], summary="Uw webhooks")
def get_abonnementen(wie: Aanbieder = Depends(aanbieder)):
    with lezen() as session:
        return [{"id": a.id, "url": a.url} for a in abonnementen(session=session, agb=wie.agb)]


@router.delete("/abonnementen/{abonnement_id}", status_code=204, summary="Zeg een webhook op")
def delete_abonnement(
    abonnement_id: int = Path(ge=1, le=2**31 - 1), wie: Aanbieder = Depends(aanbieder)
):
    with schrijven() as session:
        if not zeg_op(session=session, agb=wie.agb, abonnement_id=abonnement_id, door=wie.wie):
            raise Probleem(
                404, "Onbekend abonnement", f"abonnement {abonnement_id} bestaat niet voor u"
            )
    return Response(status_code=204)
