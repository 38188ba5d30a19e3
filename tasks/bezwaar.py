"""Bezwaar and the beslistermijn's extension on the case database, for the CLI: the
registration against a chosen besluit (also on a zaak that is closed or whose run waits on
another form, and joining an open procedure), the 4:14 extension, and making the zaak's run
follow (models/bezwaar.py, models/beslistermijn.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from sqlalchemy.exc import IntegrityError

from models import bezwaar as regels
from models.beslistermijn import verleng
from models.db.bezwaar_lezen import bezwaar_publiek
from models.db.store import session_scope, stand_van
from models.db.zaak_lezen import besluit_voor_bezwaar
from models.db.zaak_store import pas_toe
from models.engine import OngeldigeInvoer
from models.overgang import BezwaarBijgewerkt, BezwaarGeregistreerd
from tasks.opvolging_basis import Geweigerd, zaak_of_weigering
from tasks.reconcile import beslis, runs_by_id, voer_uit
from tasks.soorten import REGISTER
from tasks.zaak import feiten_van

log = logging.getLogger("meerzorg.bezwaar")


def registreer_bezwaar(key: str, invoer: dict, peildatum: dt.date, actor: str) -> dict:
    """A bezwaarschrift against the besluit `invoer["besluit"]` (an id; default the zaak's
    last), whatever wait the zaak's run is in. Refused with one line, nothing written: a
    besluit that is not the zaak's, and whatever models/bezwaar.registreer refuses."""
    besluit_id = invoer.get("besluit")
    try:
        with session_scope() as session:
            zaak = zaak_of_weigering(session, key)
            besluit = besluit_voor_bezwaar(session=session, zaak=key, besluit_id=besluit_id)
            if besluit is None and besluit_id is not None:
                raise Geweigerd(f"zaak {key} heeft geen besluit {besluit_id}")
            feiten = dataclasses.replace(feiten_van(session, zaak), besluit=besluit)
            stand = stand_van(zaak)
            try:
                overgang = regels.registreer(stand, invoer, peildatum, feiten)
            except OngeldigeInvoer as exc:
                raise Geweigerd(str(exc)) from None
            pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=peildatum, actor=actor)
            status = zaak.status
            nieuw = overgang.een(BezwaarBijgewerkt) or overgang.een(BezwaarGeregistreerd)
            indiener = (nieuw.velden if isinstance(nieuw, BezwaarBijgewerkt) else nieuw.bezwaar)[
                "indieners"
            ][-1]
            waarschuwing = regels.zonder_brief(stand, indiener)
    except IntegrityError:  # two registrations of one besluit at the same moment
        raise Geweigerd(f"tegen dit besluit in zaak {key} is zojuist al bezwaar gemaakt") from None
    uit = {"zaak": key, "status": status, **bezwaar_van(key)}
    return uit | ({"waarschuwing": waarschuwing} if waarschuwing else {})


def verleng_beslistermijn(key: str, weken: int, reden: str, peildatum: dt.date, actor: str) -> dict:
    """Awb 4:14: extend the beslistermijn once, with a notice and a reason to the provider.
    The zaak keeps its wait (the beoordelaar's form stays as it is)."""
    with session_scope() as session:
        zaak = zaak_of_weigering(session, key)
        try:
            overgang = verleng(stand_van(zaak), weken, reden, peildatum)
        except OngeldigeInvoer as exc:
            raise Geweigerd(str(exc)) from None
        pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=peildatum, actor=actor)
        return {"zaak": key, "status": zaak.status, **overgang.details}


def bezwaar_van(key: str) -> dict:
    """The zaak's last bezwaar, pseudonymous (no gronden or verslag: free text stays in the
    database): the procedure and its indieners by role and client id
    (models/db/bezwaar_lezen.py, as `meerzorg zaak` shows it)."""
    with session_scope() as session:
        return {"bezwaar": bezwaar_publiek(session=session, zaak=key)}


def volg_run(key: str) -> str:
    """After a change outside the zaak's wait: resume its run when it waits on a key the
    zaak left, restart it when it ended while the zaak is open again (a bezwaar on a closed
    zaak), as the sweep's reconcile would (tasks/reconcile.py). Best effort: without Prefect
    the next sweep does it."""
    try:
        # lazy: Prefect (~1.5 s CPU); the CLI imports this module and refuses a bezwaar without it
        from prefect.client.orchestration import get_client

        from tasks import runs  # lazy: Prefect, as above

        soort = REGISTER["zaak"].reconcile()
        geval = soort.per_key([key]).get(key)
        if geval is None or geval.flow_run_id is None:
            return "geen run; de sweep start er een"
        with get_client(sync_client=True) as client:
            bekend = runs_by_id(client, [geval.flow_run_id])
            acties = beslis([geval], bekend, [], set(), dt.datetime.now(dt.UTC))
            for actie in acties:
                voer_uit(client, soort, actie, runs.resume)
        return ", ".join(a.soort for a in acties) or "run volgt al"
    except Exception as exc:  # noqa: BLE001 - Prefect unreachable: the sweep reconciles
        log.warning("run van %s niet bijgewerkt: %s", key, type(exc).__name__)
        return "run niet bereikbaar; de sweep herstelt haar"
