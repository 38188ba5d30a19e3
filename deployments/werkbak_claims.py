"""The gateway's side of claims (issue 27): synchronous reads and writes of the case
database, run in a worker thread by the gateway, the werkbak and the dossier. The rules are
models/claim.py; the storage models/db/claims.py."""

from __future__ import annotations

import datetime as dt

from models.claim import reden_hervatten
from models.dates import vandaag
from models.db.claims import claim_van
from models.db.store import read_engine_for, session_scope
from models.settings import get_settings


def minuten() -> int:
    return get_settings().claim_minuten


def reden_resume(zaak: str, pause_key: str | None, wie: str) -> str | None:
    """Why a person's Resume of this zaak's wait through Prefect is refused: someone else
    holds the task (models/claim.reden_hervatten), else None."""
    with session_scope(read_engine_for(get_settings().db_url)) as session:
        claim = claim_van(session=session, taak=zaak)
    return reden_hervatten(claim, wie, pause_key, dt.datetime.now(dt.UTC), minuten())


# The werkvoorraad's rows per set of statuses, with the fingerprint of the data they were
# computed from (models/db/werkbak_lezen.werkbak_versie): the deadline rules over 10,000 open
# zaken take about a second, a werkbak view must answer within 300 ms (issue 27).
_REKEN: dict[tuple, tuple] = {}
_TAKEN: dict[tuple, tuple] = {}


def lees_werkbak(wie: str, rol: str, query: dict[str, str]) -> dict:
    """The login's werkbak: its filter (asked for, else saved; a changed one is saved), its
    tasks filtered and sorted, how many open tasks in all, and for a teamleider the
    colleagues she may give a task to. Raises OngeldigeInvoer on a filter value not offered."""
    from models.db.claims import claims_van, filter_bewaren, filter_van
    from models.db.werkbak_lezen import (
        collegas,
        eerste_beoordelaars,
        open_termijnen,
        wachtende_zaken,
        werkbak_versie,
    )
    from models.overgang import ZaakStatus as S
    from models.proces import ZAAK
    from models.werkbak import (
        STANDAARD,
        filter_uit,
        gefilterd,
        is_taak_voor,
        met_houders,
        taken,
    )
    from models.werkbak_overig import soorten_voor
    from models.werkvoorraad import werkvoorraad

    peildatum = vandaag()
    statussen = [w.status for w in ZAAK.wachten if is_taak_voor(rol, w.status)]
    with session_scope(read_engine_for(get_settings().db_url)) as session:
        opgeslagen = filter_van(session=session, medewerker=wie)
        f = filter_uit(query, opgeslagen)
        sleutel = (
            get_settings().db_url,
            peildatum,
            tuple(statussen),
            werkbak_versie(session=session, statussen=statussen),
        )
        berekend = _REKEN.get(tuple(statussen))
        if berekend is None or berekend[0] != sleutel:
            zaken, wacht_keys = wachtende_zaken(session=session, statussen=statussen)
            termijnen = open_termijnen(session=session, statussen=statussen)
            rijen = werkvoorraad(zaken, termijnen, peildatum) if zaken else []
            berekend = (sleutel, rijen, wacht_keys)
            _REKEN[tuple(statussen)] = berekend
        _, rijen, wacht_keys = berekend
        eerste = eerste_beoordelaars(session=session, status=S.TWEEDE_BEOORDELING)
        claims = claims_van(session=session)
        overig = overige_taken(session, rol, peildatum)
        team = collegas(session=session, rollen=("beoordelaar", "teamleider", "jurist"))
    if any(k in query for k in STANDAARD) and f != opgeslagen:
        with session_scope() as session:
            filter_bewaren(session=session, medewerker=wie, filter=f)
    nu = dt.datetime.now(dt.UTC)
    # The login's tasks without their holders, kept with the rows they came from.
    basis_sleutel = (sleutel, rol, wie, tuple(sorted(eerste.items())))
    basis = _TAKEN.get((rol, wie))
    if basis is None or basis[0] != basis_sleutel:
        basis = (basis_sleutel, taken(rijen, {}, wacht_keys, eerste, wie, rol, nu, minuten()))
        if len(_TAKEN) > 200:
            _TAKEN.clear()
        _TAKEN[(rol, wie)] = basis
    overig, dialoog_keys = overig
    # The claims laid over the zaak waits and the dialoog waits (a contact is not claimed).
    alle = met_houders(basis[1] + overig, claims, {**wacht_keys, **dialoog_keys}, nu, minuten())
    return {
        "filter": f,
        "taken": gefilterd(alle, f, wie),
        "totaal": len(alle),
        "collegas": team if rol == "teamleider" else {},
        "peildatum": peildatum,
        "wachten": sorted({w.wacht_op for w in ZAAK.wachten if w.status in statussen})
        + soorten_voor(rol),
    }


def overige_taken(session, rol: str, peildatum) -> tuple[list, dict[str, str | None]]:
    """The role's tasks that are no zaak wait (models/werkbak_overig.py), and the wacht_key
    of each dialoog (its claim's wait): few rows, read on every view (a contact recorded or
    a dialoog answered shows at once)."""
    from models.db.werkbak_lezen import open_contacttaken, open_dialogen
    from models.werkbak_overig import (
        cce_taken,
        contact_taken,
        dialoog_statussen,
        dialoog_taken,
        doet_contact,
        doet_ontwikkeltraject,
    )
    from models.werkvoorraad import taak_rijen

    uit = []
    if doet_contact(rol):
        rijen = [
            r for z, t in open_contacttaken(session=session) for r in taak_rijen(z, t, peildatum)
        ]
        uit += contact_taken(rijen, rol)
    if doet_ontwikkeltraject(rol):
        uit += cce_taken(_cce_zaken(session, peildatum), rol, peildatum)
    dialogen = open_dialogen(session=session, statussen=dialoog_statussen(rol))
    # The run's page through the gateway (same origin): its Resume answers the wait.
    uit += dialoog_taken(dialogen, rol, peildatum, lambda run: f"/runs/flow-run/{run}")
    return uit, {d.key: d.wacht_key for d in dialogen}


def _cce_zaken(session, peildatum) -> list:
    """The running beschikkingen with their clients' CCE status (as tasks/werkvoorraad.lees
    reads them for the werkvoorraad's `--rol cce`)."""
    from models.db.opvolging_lezen import lopende_zaken
    from models.werkvoorraad import CceStatus, WachtendeZaak
    from tasks.opvolging import cce_per_zaak

    zaken = lopende_zaken(session=session)
    cce_van = cce_per_zaak(session, list(zaken), peildatum)
    return [
        WachtendeZaak(
            key=z.key,
            status=z.status,
            wacht_op=z.wacht_op or "",
            ingediend_op=z.ingediend_op,
            wacht_sinds=z.wacht_sinds,
            cce=tuple(
                CceStatus(c["client_id"], c["status"], dt.date.fromisoformat(c["uiterlijk"]))
                for c in cce_van.get(z.key, [])
            ),
        )
        for z in zaken
        if z.key in cce_van
    ]


def claim_actie(wie: str, rol: str, actie: str, zaak: str, naar: str = "") -> str | None:
    """Oppakken, vrijgeven or herverdelen of a zaak's current wait, in one transaction with
    the zaak locked; None when done, else the one-line reason (nothing changed)."""
    from models.claim import reden_herverdelen, reden_vrijgeven
    from models.db.claims import claim_van, herverdelen, oppakken, vrijgeven
    from models.db.store import medewerker_rollen

    with session_scope() as session:
        taak = _taak_van(session, zaak, rol)
        if isinstance(taak, str):
            return taak
        soort, status, wacht_key, wacht, client, mag = taak
        if actie != "herverdelen" and not mag:
            return f"uw rol {rol} heeft bij {soort} {zaak} nu geen taak (status {status})"
        if actie == "oppakken":
            return oppakken(
                session=session,
                taak=zaak,
                wacht_key=wacht_key if wacht else None,
                wie=wie,
                minuten=minuten(),
                client_id=client,
            )
        nu = dt.datetime.now(dt.UTC)
        if actie == "vrijgeven":
            claim = claim_van(session=session, taak=zaak)
            if reden := reden_vrijgeven(claim, wie, rol, wacht_key, nu, minuten()):
                return reden
            vrijgeven(session=session, taak=zaak, wie=wie, reden="vrijgegeven", client_id=client)
            return None
        naar_rol = medewerker_rollen(session=session).get(naar)
        if reden := reden_herverdelen(rol, naar, naar_rol, status, wacht_key, soort):
            return reden
        herverdelen(
            session=session, taak=zaak, wacht_key=wacht_key, door=wie, naar=naar, client_id=client
        )
        return None


def _taak_van(session, key: str, rol: str) -> tuple | str:
    """(soort, status, wacht_key, does it wait now, its one client or None, may this role
    answer it) of a zaak's or a dialoog's key, under its row lock; else why not."""
    from models.db.dialogen_lezen import dialoog_van
    from models.db.store import lees_zaak
    from models.werkbak import is_taak_voor
    from models.werkbak_overig import dialoog_uit_key, doet_dialoog

    if (agb_jaar := dialoog_uit_key(key)) is not None:
        d = dialoog_van(session=session, agb=agb_jaar[0], jaar=agb_jaar[1], lock=True)
        if d is None:
            return f"dialoog {key} bestaat niet"
        mag = doet_dialoog(rol, d.status)
        return "dialoog", d.status, d.wacht_key, d.wacht_op is not None, None, mag
    z = lees_zaak(session=session, key=key, lock=True)
    if z is None:
        return f"zaak {key} bestaat niet"
    mag = is_taak_voor(rol, z.status)
    return "zaak", z.status, z.wacht_key, z.wacht_op is not None, _enige_client(z), mag


def _enige_client(z) -> str | None:
    clienten = (z.aanvraag or {}).get("clienten") or []
    return clienten[0].get("client_id") if len(clienten) == 1 else None
