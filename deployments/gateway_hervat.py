"""A person's Resume, signed against the run's own wait (issue 23).

Which wait a Resume answers is what the run is suspended on in Prefect (its pause key and
the form saved with it), not the zaak's status in the case database: the two differ for a
moment whenever the case moved without the run (a bezwaar registered on the CLI writes the
case first). So the gateway reads the run's pause key, finds that wait in the kind's
declaration (models/engine.Soort: its roles) and the form's title in Prefect (the field the
login signs), and only then forwards. Prefect answers a Resume it does not take (the run no
longer waits, the input does not fit the form) with 200 and status REJECT or ABORT: that is
reported to the person as refused (409), never logged as a resume."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from deployments.gateway_audit import geval_van_run
from deployments.werkbak_claims import reden_resume
from models.dates import vandaag
from models.soorten import wacht_met_key
from models.toegang import mag_hervatten, onderteken


async def _wacht_van_run(gw, run_id: str) -> tuple[str | None, str | None]:
    """(pause key, the form's class name) of a suspended run; (None, None) when it waits
    for nothing."""
    resp = await gw.upstream_get(f"/api/flow_runs/{run_id}")
    if resp.status_code != 200:
        return None, None
    state = resp.json().get("state") or {}
    details = state.get("state_details") or {}
    key = details.get("pause_key")
    if state.get("type") != "PAUSED" or not key:
        return None, None
    schema_key = (details.get("run_input_keyset") or {}).get("schema")
    if not schema_key:
        return key, None
    schema = await gw.upstream_get(f"/api/flow_runs/{run_id}/input/{schema_key}")
    try:
        titel = json.loads(schema.text).get("title") if schema.status_code == 200 else None
    except (ValueError, AttributeError):
        titel = None
    return key, titel


# The werkbak's dossier (deployments/dossier.py) reads the run's wait the same way.
wacht_van_run = _wacht_van_run


async def hervat(gw, request: Request, ident, t, body: bytes) -> Response:
    run_id = t.run_id
    geval = await run_in_threadpool(geval_van_run, run_id)
    pause_key, formulier = await _wacht_van_run(gw, run_id)
    # The wait the run is suspended on, found once in its kind's declaration.
    wacht = wacht_met_key(geval.soort if geval else None, pause_key) if pause_key else None
    status = wacht.status if wacht is not None else None
    details = {"run": run_id, "pause_key": pause_key, "wacht": status}

    async def weiger(actie: str, reden: str, code: int) -> Response:
        await run_in_threadpool(gw.logboek.gebeurd, ident.id, actie, geval, details)
        return JSONResponse({"detail": reden}, code)

    if pause_key is None:
        return await weiger(
            "hervatten_geweigerd", "deze run wacht nu niet op invoer (al hervat of bezig)", 409
        )
    reden = mag_hervatten(ident.rol, geval.soort if geval else None, status)
    if reden is not None:
        return await weiger("hervatten_geweigerd", reden, 403)
    if geval is not None and geval.soort in ("zaak", "dialoog") and not ident.service:
        # Issue 27: the Resume follows the werkbak's claim; someone else's task is hers.
        if reden := await run_in_threadpool(reden_resume, geval.key, pause_key, ident.id):
            return await weiger("hervatten_geweigerd", reden, 409)
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return JSONResponse({"detail": "ongeldige JSON in het Resume-verzoek"}, 422)
    if not isinstance(data, dict) or not isinstance(data.get("run_input") or {}, dict):
        return JSONResponse({"detail": "run_input moet een JSON-object zijn"}, 422)
    # The login signs the field its wait declares, on the form that wait declares.
    veld = wacht.identiteit if wacht is not None else None
    if wacht is not None and formulier and formulier != wacht.formulier.__name__:
        return await weiger(
            "hervatten_geweigerd", "deze run wacht op een ander formulier dan zijn wacht", 409
        )
    invoer = data.get("run_input") or {}
    # A besluit's date is the day it is taken: a person answers today. Only the service (a
    # backfill, a test: not through this door) passes another peildatum (issue 25).
    vandaag_ = vandaag().isoformat()
    gegeven = invoer.get("peildatum")
    if gegeven not in (None, "", vandaag_):
        details["peildatum"] = str(gegeven)[:20]
        return await weiger(
            "hervatten_geweigerd",
            f"de datum van een besluit of handeling is vandaag ({vandaag_}), niet {gegeven}: "
            "een andere datum kan alleen de dienst meegeven",
            422,
        )
    invoer = {**invoer, "peildatum": vandaag_} if "peildatum" in invoer else invoer
    getypt = str(invoer.get(veld) or "").strip() if veld else ""
    data = {"run_input": onderteken(invoer, veld, ident.id)}
    details |= {"veld": veld, "getypt_overschreven": bool(getypt and getypt != ident.id)}
    resp = await gw.forward(request, json.dumps(data).encode(), t.pad, "")
    response, content = await gw.buffered(resp)
    try:
        antwoord = json.loads(content)
    except ValueError:
        antwoord = {}
    status_prefect = antwoord.get("status") if isinstance(antwoord, dict) else None
    if response.status_code < 300 and status_prefect == "ACCEPT":
        await run_in_threadpool(gw.logboek.gebeurd, ident.id, "hervat", geval, details)
        return response
    if response.status_code < 300:
        # REJECT or ABORT: Prefect did not take it; the run did not move.
        reden = (antwoord.get("details") or {}).get("reason") or status_prefect or "geweigerd"
        details["prefect"] = str(reden)[:200]
        return await weiger("hervatten_geweigerd", f"Prefect nam de invoer niet aan: {reden}", 409)
    return response
