"""The dossier (issue 27): `/zaken/{KEY}`, the whole zaak from the case database for the roles
that decide or handle it (models/dossier_regels.DOSSIER_ROLLEN), every opening an audit
event; its letters at `/zaken/{KEY}/brieven/{ID}` (audited); and deciding at
`/zaken/{KEY}/beslissen`.

Deciding goes the gateway's way, decided on the exact request Prefect will run: the zaak
waits for a beoordeling, the role may answer that wait (models/toegang.py), the login holds
the task (models/claim.py), the form passes the wait's own rules (models/dossier_regels.py),
all before anything reaches Prefect; then the run is resumed with the form signed by the
login (models/toegang.onderteken, as deployments/gateway_hervat.py does for Prefect's
Resume), only if the run is suspended on the zaak's own wait key with that wait's form.
Prefect's REJECT is reported, never logged as a resume. The form carries no free text to
Prefect beyond what the Resume form would: the same fields, the same run input."""

from __future__ import annotations

import asyncio
import json
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deployments.dossier_data import (
    brief_pdf,
    controleer,
    lees_dossier,
    na_indienen,
    wacht_key_van,
)
from deployments.dossier_html import dossier_pagina
from deployments.gateway_audit import geval_van_run
from deployments.gateway_hervat import wacht_van_run
from deployments.werkbak_pagina import (
    ZAAK_KEY,
    csrf_klopt,
    formulier,
    melden,
    pagina,
    persoon,
    terug,
    weigering,
)
from models.dossier_regels import Fout, mag_dossier_openen
from models.toegang import onderteken

# How long the dossier waits for the run to apply the decision before showing the zaak.
WACHT_SECONDEN = 20.0


async def hervat_als(gw, ident, key: str, gecontroleerd: dict) -> str | None:
    """Resume the zaak's run with the checked form, signed by the login; None when Prefect
    took it, else the one-line reason (the run did not move)."""
    run_id, wacht_key = gecontroleerd["run_id"], gecontroleerd["wacht_key"]
    if not run_id:
        return f"zaak {key} heeft nog geen run; probeer het over een minuut opnieuw"
    pause_key, formulier_naam = await wacht_van_run(gw, run_id)
    if pause_key != wacht_key:
        return "de run van deze zaak wacht (nog) niet op deze beoordeling; probeer het zo opnieuw"
    if formulier_naam and formulier_naam != "Beoordeling":
        return "de run van deze zaak wacht op een ander formulier dan de beoordeling"
    invoer = onderteken(gecontroleerd["invoer"], gecontroleerd["identiteit"], ident.id)
    geval = await run_in_threadpool(geval_van_run, run_id)
    details = {
        "run": run_id,
        "pause_key": pause_key,
        "wacht": gecontroleerd["status"],
        "veld": gecontroleerd["identiteit"],
        "via": "dossier",
    }
    resp = await gw.client.post(
        f"{gw.upstream}/api/flow_runs/{run_id}/resume",
        content=json.dumps({"run_input": invoer}).encode(),
        headers={"authorization": gw.upstream_auth, "content-type": "application/json"},
    )
    try:
        antwoord = resp.json()
    except ValueError:
        antwoord = {}
    status = antwoord.get("status") if isinstance(antwoord, dict) else None
    if resp.status_code < 300 and status == "ACCEPT":
        await run_in_threadpool(gw.logboek.gebeurd, ident.id, "hervat", geval, details)
        return None
    reden = (
        ((antwoord.get("details") or {}).get("reason") if isinstance(antwoord, dict) else None)
        or status
        or f"HTTP {resp.status_code}"
    )
    details["prefect"] = str(reden)[:200]
    await run_in_threadpool(gw.logboek.gebeurd, ident.id, "hervatten_geweigerd", geval, details)
    return f"Prefect nam de beslissing niet aan: {reden}"


async def _tot_verder(key: str, wacht_key: str) -> bool:
    """Wait until the run has applied the decision (the zaak left this wait)."""
    einde = time.monotonic() + WACHT_SECONDEN
    while time.monotonic() < einde:
        if await run_in_threadpool(wacht_key_van, key) != wacht_key:
            return True
        await asyncio.sleep(0.2)
    return False


def dossier_routes(gw) -> list[Route]:
    async def toegang(request: Request):
        ident = await persoon(gw, request)
        if isinstance(ident, Response):
            return None, ident
        key = request.path_params["key"]
        if not ZAAK_KEY.match(key):
            return None, weigering(
                "Dossier", "ongeldig zaaknummer: verwacht MZ-JJJJ-NNNNNN", ident, 400
            )
        if reden := mag_dossier_openen(ident.rol):
            return None, weigering("Dossier", reden, ident, 403)
        return ident, None

    async def dossier(request: Request, fout: Fout | None = None, invoer=None, code=200):
        ident, antwoord = await toegang(request)
        if ident is None:
            return antwoord
        key = request.path_params["key"]
        data = await run_in_threadpool(lees_dossier, ident.id, ident.rol, key)
        if data is None:
            return weigering("Dossier", f"zaak {key} bestaat niet", ident, 404)
        inhoud = dossier_pagina(request, data, ident, fout, invoer)
        return pagina(f"Dossier {key}", inhoud, ident, code)

    async def beslissen(request: Request) -> Response:
        ident, antwoord = await toegang(request)
        if ident is None:
            return antwoord
        key = request.path_params["key"]
        form = await formulier(request)
        if form is None:
            return weigering(
                "Dossier", "ongeldig formulier: gebruik het formulier van het dossier", ident, 400
            )
        if not csrf_klopt(request, form):
            return weigering(
                "Dossier",
                "het formulier is verlopen of komt niet van deze site: open het dossier opnieuw",
                ident,
                403,
            )
        uitkomst = await run_in_threadpool(controleer, ident.id, ident.rol, key, form)
        if "fout" in uitkomst:
            if uitkomst["code"] in (403, 404):
                return weigering("Dossier", uitkomst["fout"].melding, ident, uitkomst["code"])
            return await dossier(request, uitkomst["fout"], form, uitkomst["code"])
        if reden := await hervat_als(gw, ident, key, uitkomst):
            return await dossier(request, Fout(reden, None), form, 409)
        await run_in_threadpool(
            na_indienen, ident.id, key, uitkomst["wacht_key"], uitkomst["run_id"]
        )
        verder = await _tot_verder(key, uitkomst["wacht_key"])
        melden(
            request,
            "Uw beslissing is verwerkt."
            if verder
            else "Uw beslissing is aan de run gegeven; de zaak wordt zo bijgewerkt.",
        )
        return terug(f"/zaken/{key}")

    async def brief(request: Request) -> Response:
        ident, antwoord = await toegang(request)
        if ident is None:
            return antwoord
        key = request.path_params["key"]
        try:
            brief_id = int(request.path_params["brief"])
        except ValueError:
            return weigering("Brief", "ongeldig briefnummer", ident, 400)
        gevonden = await run_in_threadpool(brief_pdf, ident.id, key, brief_id)
        if gevonden is None:
            return weigering("Brief", f"zaak {key} heeft geen brief {brief_id}", ident, 404)
        pdf, _ = gevonden
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "content-disposition": f'inline; filename="{key}-brief-{brief_id}.pdf"',
                "cache-control": "no-store",
            },
        )

    return [
        Route("/zaken/{key}", dossier, methods=["GET"]),
        Route("/zaken/{key}/beslissen", beslissen, methods=["POST"]),
        Route("/zaken/{key}/brieven/{brief}", brief, methods=["GET"]),
    ]
