"""The CLI's operations on the running system: providers, submitting, deciding, reading
a zaak, and running the sweep. JSON in and out; bad input raises CliFout (exit 2)."""

from __future__ import annotations

import datetime as dt
import time

from deployments.errors import CliFout  # noqa: E402  (re-exported for the CLI modules)
from models.aanvraag import Zorgaanbieder as ZorgaanbiederIn
from models.aanvraag import parse_aanvraag
from models.besluit import valideer_beoordeling
from models.db.store import (
    audit,
    lees_zaak,
    medewerker_rollen,
    registreer_aanbieder,
    session_scope,
    stand_van,
)
from models.db.tables import Zaak
from models.engine import OngeldigeInvoer
from models.proces import ZAAK


def actor(persoon: bool = False) -> str:
    """Who acts, for the audit trail: the login (deployments/aanmelding.py)."""
    from deployments.aanmelding import actor as aangemeld

    return aangemeld(persoon)


def ensure_db() -> None:
    from models.db.store import migrate

    migrate()


def aanbieder_registreer(agb: str, naam: str, notify: list[str]) -> dict:
    import apprise

    try:
        ZorgaanbiederIn(agb=agb, naam=naam)
    except ValueError:
        raise CliFout(f"agb '{agb}' must be 8 digits and naam must not be empty") from None
    for url in notify:
        if not apprise.Apprise().add(url):
            raise CliFout(f"--notify '{url}' is not a notification URL apprise understands")
    ensure_db()
    with session_scope() as session:
        registreer_aanbieder(session=session, agb=agb, naam=naam, notify=notify)
        audit(session=session, actor=actor(), actie="aanbieder_geregistreerd", details={"agb": agb})
    return {"agb": agb, "naam": naam, "notify": len(notify)}


def indienen(text: str, peildatum: dt.date) -> dict:
    from tasks import runs
    from tasks import zaak as zaak_ops

    aanvraag = parse_aanvraag(text)
    ensure_db()
    key, nieuw = zaak_ops.registreer(aanvraag, peildatum, actor=actor())
    run_id = runs.start_lifecycle(key, aanvraag.agb, aanvraag.clienten[0].leveringsvorm)
    return {"zaak": key, "flow_run_id": run_id, "nieuw": nieuw}


def _zaak_of_fout(session, key: str) -> Zaak:
    zaak = lees_zaak(session=session, key=key)
    if zaak is None:
        raise CliFout(f"zaak {key} does not exist")
    return zaak


def wait_for_move(key: str, from_key: str | None, timeout: float) -> Zaak:
    deadline = time.monotonic() + timeout
    while True:
        with session_scope() as session:
            zaak = _zaak_of_fout(session, key)
        if zaak.wacht_key != from_key or time.monotonic() > deadline:
            return zaak
        time.sleep(0.5)


def beoordeel(key: str, invoer: dict, wacht: float = 120) -> dict:
    """Resume the zaak's run with exactly the fields the Resume form sends."""

    def check(session, zaak):
        valideer_beoordeling(
            stand_van(zaak), invoer, beoordelaars=medewerker_rollen(session=session)
        )

    beslissend = tuple(w.status for w in ZAAK.wachten if w.rol == "beoordelaar")
    return hervat_zaak(key, beslissend, invoer, check, wacht)


def hervat_zaak(
    key: str, statussen: tuple[str, ...], invoer: dict, check=None, wacht: float = 120
) -> dict:
    """Check the input with the same rules the run applies, then resume the zaak's waiting
    run with it and wait until the zaak has moved on."""
    from tasks import runs

    with session_scope() as session:
        zaak = _zaak_of_fout(session, key)
        if zaak.status not in statussen:
            raise CliFout(
                f"zaak {key} does not wait for this (status {zaak.status}, wacht op {zaak.wacht_op})"
            )
        if check is not None:
            try:
                check(session, zaak)
            except OngeldigeInvoer as exc:
                raise CliFout(str(exc)) from None
        wacht_key, run_id = zaak.wacht_key, zaak.flow_run_id
    if not run_id:
        raise CliFout(f"zaak {key} has no flow run yet; run `meerzorg sweep` to start it")
    # Suspended on the key, and its form saved (Prefect saves it just after the pause).
    if runs.pause_key(run_id) != wacht_key or not _formulier_binnen(run_id, wacht_key):
        raise CliFout(
            f"the run of zaak {key} is not (yet) waiting for {wacht_key}; try again shortly"
        )
    form = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in invoer.items()
        if v is not None
    }
    if not runs.resume(run_id, form):
        raise CliFout(f"the run of zaak {key} was already resumed by someone else")
    zaak = wait_for_move(key, wacht_key, wacht)
    return zaak_overzicht(key, log_read=False) | {"verwerkt": zaak.wacht_key != wacht_key}


def _formulier_binnen(run_id: str, wacht_key: str, seconden: float = 10) -> bool:
    from tasks import runs

    deadline = time.monotonic() + seconden
    while not runs.formulier_opgeslagen(run_id, wacht_key):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def zaak_overzicht(key: str, log_read: bool = True, peildatum: dt.date | None = None) -> dict:
    """Long because it is the JSON of meerzorg zaak, field by field. The whole aanvraag in
    view (issue 12 item 5) comes from models/db/zaakbeeld.py, as on the case card.
    `peildatum`: the day the dwangsom is counted to (default today)."""
    from models.dates import vandaag
    from models.db.brieven import brieven_van_zaak
    from models.db.dwangsom_store import ingebrekestelling_van
    from models.db.notificaties import notificaties_van
    from models.db.zaakbeeld import zaak_feiten
    from models.db.zaakoverzicht import beschikkingen_van, besluiten_van, open_deadlines
    from models.dwangsom import overzicht
    from models.zienswijze import publiek as zienswijze_publiek

    with session_scope() as session:
        zaak = _zaak_of_fout(session, key)
        if log_read:
            audit(session=session, actor=actor(), actie="zaak_gelezen", zaak=key)
        besluiten = besluiten_van(session=session, zaak=key)
        beschikkingen = beschikkingen_van(session=session, zaak=key)
        deadlines = open_deadlines(session=session, zaak=key)
        notificaties = notificaties_van(session=session, zaak=key)
        brieven: dict[int, list] = {}
        for brief in brieven_van_zaak(session=session, zaak=key):
            brieven.setdefault(brief.besluit_id, []).append(brief)
        return {
            "zaak": zaak.key,
            "status": zaak.status,
            "wacht_op": zaak.wacht_op,
            "wacht_key": zaak.wacht_key,
            "laatste_fout": zaak.laatste_fout,
            "agb": zaak.agb,
            "ingediend_op": zaak.ingediend_op.isoformat(),
            "beleidsversie": zaak.beleidsversie,
            "flow_run_id": zaak.flow_run_id,
            "ontvankelijk": (zaak.toets or {}).get("ontvankelijk"),
            "besluiten": [besluit_public(b, brieven.get(b.id, [])) for b in besluiten],
            "beschikkingen": [
                {
                    "client_id": b.client_id,
                    "start": b.start.isoformat(),
                    "eind": b.eind.isoformat(),
                    "bedrag_per_jaar": b.bedrag_per_jaar,
                    "status": b.status,
                }
                for b in beschikkingen
            ],
            "deadlines": [
                {"soort": d.soort, "datum": d.datum.isoformat(), "client_id": d.client_id}
                for d in deadlines
            ],
            "notificaties": [
                {
                    "sleutel": n.sleutel,
                    "onderwerp": n.onderwerp,
                    "status": n.status,
                    "pogingen": n.pogingen,
                    "fout": n.laatste_fout,
                }
                for n in notificaties
            ],
            # extensions (stable interface: every key above stays as it was)
            # Awb 4:17, 4:18: the ingebrekestelling and its dwangsom to date (None: none).
            "ingebrekestelling": overzicht(
                ingebrekestelling_van(session=session, zaak=key), peildatum or vandaag()
            ),
            **zaak_feiten(session, zaak),
            # Awb 6-7: the last bezwaar, facts only (no gronden, no verslag's text).
            "bezwaar": _bezwaar(session, key),
            # Awb 4:7, 4:8: the voornemen and the zienswijze, or that none came.
            "zienswijze": zienswijze_publiek(
                zaak.voorlopig_besluit, [b.beoordeling for b in besluiten]
            ),
            # R §10 bijstellen: term, consent to suspend (Awb 4:15 lid 2 sub a), how it ended.
            "bijstelling": zaak.bijstelling,
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _bezwaar(session, key: str) -> dict | None:
    from models.db.bezwaar_lezen import bezwaar_publiek

    return bezwaar_publiek(session=session, zaak=key)


def besluit_public(b, brieven: list) -> dict:
    """A besluit as `meerzorg zaak` shows it (issue 25, in the ZGW Besluiten API's terms):
    its addressees by role and channel, never an address or a name."""
    return {
        "id": b.id,
        "soort": b.soort or None,
        "uitkomst": b.uitkomst,
        "datum": b.datum.isoformat(),
        "beoordelaar": b.beoordelaar,
        "onderbouwing": b.onderbouwing,
        "ingangsdatum": _iso(b.ingangsdatum),
        "vervaldatum": _iso(b.vervaldatum),
        "verzenddatum": _iso(b.verzenddatum),
        "bekendgemaakt_op": _iso(b.bekendgemaakt_op),
        "uiterlijke_reactiedatum": _iso(b.uiterlijke_reactiedatum),
        "rechtsmiddel": b.rechtsmiddel,
        "geadresseerden": [
            {
                "rol": "+".join(brief.rollen),
                "client_id": brief.client_id,
                "kanaal": "post" if brief.kanaal == "post" else "digitaal",
                "status": brief.status,
                "bekendgemaakt_op": _iso(brief.bekendgemaakt_op),
                "uiterlijke_reactiedatum": _iso(brief.uiterlijke_reactiedatum),
            }
            for brief in brieven
        ],
        "document": (
            {
                "brieven": len(brieven),
                "opvragen": f"meerzorg besluit document {b.id} --uitvoer BESTAND.pdf",
            }
            if brieven
            else None
        ),
    }


def sweep(peildatum: dt.date, timeout: float = 900) -> dict:
    from prefect.deployments import run_deployment

    run = run_deployment(
        "meerzorg-deadline-sweep/deadline-sweep",
        parameters={"peildatum": peildatum.isoformat()},
        timeout=timeout,
        as_subflow=False,
        flow_run_name=f"sweep-{peildatum.isoformat()}",
        _sync=True,
    )
    if not run.state or not run.state.is_completed():
        raise CliFout(f"sweep run {run.id} ended as {run.state.name if run.state else 'unknown'}")
    try:
        result = run.state.result(_sync=True)
    except Exception:  # the result store may not be readable from here
        result = {}
    return {
        "flow_run_id": str(run.id),
        "status": run.state.name,
        **(result if isinstance(result, dict) else {}),
    }
