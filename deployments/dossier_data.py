"""The dossier's reads and writes of the case database (issue 27), run by the gateway in a
worker thread: the whole zaak as plain data, each opening an audit event (NEN 7513: who,
when, which zaak and client), a letter's PDF (audited as the CLI's `besluit document`), and
the check of a decision by the run's own rules. Nothing here reaches Prefect."""

from __future__ import annotations

import datetime as dt

from deployments.werkbak_claims import minuten
from models.claim import houder, reden_indienen
from models.dates import vandaag
from models.db.brieven import brieven_van_zaak
from models.db.claims import activiteit, claim_van, vrijgeven
from models.db.engine_store import audit
from models.db.store import lees_zaak, read_engine_for, session_scope, stand_van
from models.db.zaak_lezen import bezwaren_van
from models.db.zaakbeeld import zaak_feiten
from models.db.zaakoverzicht import audit_trail, beschikkingen_van, besluiten_van, open_deadlines
from models.dossier_regels import (
    BESLISSEN_IN_DOSSIER,
    Fout,
    controleer_beslissing,
    formulier_invoer,
)
from models.proces import ZAAK
from models.settings import get_settings
from models.toegang import mag_hervatten
from tasks.zaak import feiten_van

PARTIJ_VELDEN = ("correspondentie", "vertegenwoordiger", "budgethouder")


def _clienten(zaak) -> list[str]:
    return [c.get("client_id") for c in (zaak.aanvraag or {}).get("clienten") or []]


def _audit_clienten(session, wie: str, actie: str, zaak, details: dict) -> None:
    for client_id in _clienten(zaak) or [None]:
        audit(
            session=session,
            actor=wie,
            actie=actie,
            zaak=zaak.key,
            client_id=client_id,
            details={"via": "dossier", **details},
        )


def lees_dossier(wie: str, rol: str, key: str) -> dict | None:
    """The zaak as the dossier shows it, or None when it does not exist. The opening is an
    audit event per client of the zaak; the holder's opening keeps her claim alive."""
    with session_scope() as session:
        z = lees_zaak(session=session, key=key)
        if z is None:
            return None
        _audit_clienten(session, wie, "dossier_geopend", z, {"rol": rol})
        activiteit(session=session, taak=key, wie=wie, wacht_key=z.wacht_key)
        claim = claim_van(session=session, taak=key)
        besluiten = besluiten_van(session=session, zaak=key)
        brieven: dict[int | None, list[dict]] = {}
        for b in brieven_van_zaak(session=session, zaak=key):
            brieven.setdefault(b.besluit_id, []).append(
                {"id": b.id, "rollen": b.rollen, "client_id": b.client_id, "kanaal": b.kanaal}
            )
        data = {
            "key": z.key,
            "status": z.status,
            "wacht_op": z.wacht_op,
            "wacht_key": z.wacht_key,
            "wacht_sinds": z.wacht_sinds,
            "soort": z.soort,
            "vorm": z.vorm,
            "leveringsvorm": z.leveringsvorm,
            "agb": z.agb,
            "ingediend_op": z.ingediend_op,
            "laatste_fout": z.laatste_fout,
            "flow_run_id": z.flow_run_id,
            "voorlopig_besluit": z.voorlopig_besluit,
            "aanvraag": z.aanvraag,
            "toets": z.toets or {},
            "feiten": zaak_feiten(session, z),
            "besluiten": [{**b.model_dump(), "brieven": brieven.get(b.id, [])} for b in besluiten],
            "mededelingen": brieven.get(None, []),
            "beschikkingen": [b.model_dump() for b in beschikkingen_van(session=session, zaak=key)],
            "deadlines": [d.model_dump() for d in open_deadlines(session=session, zaak=key)],
            "bezwaren": [b.model_dump() for b in bezwaren_van(session=session, zaak=key)],
            "audit": [a.model_dump() for a in audit_trail(session=session, zaak=key)][-200:],
        }
    nu = dt.datetime.now(dt.UTC)
    data["houder"] = houder(claim, z.wacht_key, nu, minuten())
    data["wacht"] = ZAAK.wacht(z.status)
    data["mag_beslissen"] = (
        z.status in BESLISSEN_IN_DOSSIER and mag_hervatten(rol, "zaak", z.status) is None
    )
    data["peildatum"] = vandaag()
    return data


def brief_pdf(wie: str, key: str, brief_id: int) -> tuple[bytes, str] | None:
    """A letter of this zaak (PDF, its hash), audited; None when the zaak has no such one."""
    from models.db.tables_brief import Brief

    with session_scope() as session:
        brief = session.get(Brief, brief_id)
        if brief is None or brief.zaak != key:
            return None
        audit(
            session=session,
            actor=wie,
            actie="besluit_document_gelezen",
            zaak=key,
            client_id=brief.client_id,
            details={"via": "dossier", "besluit": brief.besluit_id, "brief": brief.id},
        )
        return bytes(brief.pdf), brief.sha256


def controleer(wie: str, rol: str, key: str, velden: dict[str, str]) -> dict:
    """Everything before Prefect: the zaak waits for this decision, the role may answer, the
    login holds the task, and the form passes the wait's own rules. Returns
    {"fout": Fout} or {"invoer", "run_id", "wacht_key", "status", "identiteit"}."""
    with session_scope(read_engine_for(get_settings().db_url)) as session:
        z = lees_zaak(session=session, key=key)
        if z is None:
            return {"fout": Fout(f"zaak {key} bestaat niet", None), "code": 404}
        if z.status not in BESLISSEN_IN_DOSSIER:
            melding = f"zaak {key} wacht nu niet op een beoordeling (status {z.status})"
            return {"fout": Fout(melding, None), "code": 409}
        if reden := mag_hervatten(rol, "zaak", z.status):
            return {"fout": Fout(reden, None), "code": 403}
        claim = claim_van(session=session, taak=key)
        nu = dt.datetime.now(dt.UTC)
        if reden := reden_indienen(claim, wie, z.wacht_key, nu, minuten()):
            return {"fout": Fout(reden, None), "code": 409}
        wacht = ZAAK.wacht(z.status)
        peildatum = vandaag()
        invoer = formulier_invoer(wacht, velden, wie, peildatum)
        if isinstance(invoer, Fout):
            return {"fout": invoer, "code": 422}
        fout = controleer_beslissing(wacht, stand_van(z), invoer, peildatum, feiten_van(session, z))
        if fout is not None:
            return {"fout": fout, "code": 422, "invoer": invoer}
        return {
            "invoer": invoer,
            "run_id": z.flow_run_id,
            "wacht_key": z.wacht_key,
            "status": z.status,
            "identiteit": wacht.identiteit,
        }


def na_indienen(wie: str, key: str, wacht_key: str, run_id: str) -> None:
    """Prefect took the decision: the claim ends and the audit trail says it went via the
    dossier (the gateway's own `hervat` event names the run)."""
    with session_scope() as session:
        z = lees_zaak(session=session, key=key)
        client = _clienten(z)[0] if z is not None and len(_clienten(z)) == 1 else None
        vrijgeven(
            session=session,
            taak=key,
            wie=wie,
            reden="ingediend",
            client_id=client,
            details={"run": run_id, "ingediend_onder": wacht_key},
        )


def wacht_key_van(key: str) -> str | None:
    with session_scope(read_engine_for(get_settings().db_url)) as session:
        z = lees_zaak(session=session, key=key)
        return z.wacht_key if z is not None else None
