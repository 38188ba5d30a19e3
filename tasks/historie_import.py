"""Side effects of the historical import: validated history lines (models/historie.py) become
zaken in the case database, each brought to where its history left it by the same
transitions the live lifecycle applies, and open zaken get their lifecycle run.

Plain functions (no Prefect here): `meerzorg importeer`, the tests and the benchmarks call
them directly."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from sqlmodel import Session, select

from models.aanvraag import Aanvraag
from models.beleid import Beleid, BeleidsFout
from models.besluit import na_beoordeling, toekenning
from models.db.store import registreer_zaak, session_scope, stand_van
from models.db.tables import Ontwikkeltraject as OntwikkeltrajectRij
from models.db.tables import Zaak
from models.db.zaak_store import pas_toe
from models.engine import Bericht, Termijn
from models.historie import Regel, beleid_voor, historische_status
from models.overgang import (
    GESLOTEN,
    BesluitVastgelegd,
    NieuweRonde,
    ToetsVastgelegd,
    ZaakOvergang,
)
from models.planner import bezwaartermijn_einde
from models.proces import na_toets
from models.toets import toets

IMPORT_ACTOR = "historie-import"
IMPORT_BATCH = 500
# Reminders whose moment has passed are history; the timers that move a zaak (herbeoordeling,
# verlenging, CCE uiterlijk) stay, and the next sweep fires them like any overdue timer.
HERINNERINGEN = frozenset({"ontwikkeltraject_herinnering", "periodiek_contact"})


def importeer(regels: Sequence[Regel], peildatum: dt.date, batch: int = IMPORT_BATCH) -> dict:
    """Import validated lines, oldest first (so zaak keys and `meerzorg_sinds` follow time).
    One transaction per batch; a zaak that exists already (same key) is left as it is."""
    volgorde = sorted(regels, key=lambda r: (r.zaak.ingediend_op, r.nummer))
    nieuw = bestaand = 0
    per_status: dict[str, int] = {}
    keys: list[str] = []
    for start in range(0, len(volgorde), batch):
        deel = volgorde[start : start + batch]
        with session_scope() as session, session.no_autoflush:
            # A re-import finds the whole batch in one query instead of one per line.
            aanwezig = dict(
                session.exec(
                    select(Zaak.provider_referentie, Zaak.key).where(
                        Zaak.provider_referentie.in_([r.sleutel for r in deel])
                    )
                ).all()
            )
            # registreer_zaak and pas_toe flush where later reads need it; flushing before
            # every query as well would double the ORM work of a 20,000-line import.
            for regel in deel:
                if regel.sleutel in aanwezig:
                    keys.append(aanwezig[regel.sleutel])
                    bestaand += 1
                    continue
                key, is_nieuw, status = _importeer_regel(session, regel, peildatum)
                keys.append(key)
                if is_nieuw:
                    nieuw += 1
                    per_status[status] = per_status.get(status, 0) + 1
                else:
                    bestaand += 1
    return {
        "geimporteerd": nieuw,
        "lopend": sum(n for s, n in per_status.items() if s not in GESLOTEN),
        "al_aanwezig": bestaand,
        "per_status": dict(sorted(per_status.items())),
        "zaken": keys,
    }


def _importeer_regel(session: Session, regel: Regel, peildatum: dt.date) -> tuple[str, bool, str]:
    h = regel.zaak
    aanvraag = h.aanvraag()
    zaak, nieuw = registreer_zaak(
        session=session,
        aanvraag=aanvraag,
        ingediend_op=h.ingediend_op,
        provider_referentie=regel.sleutel,
        actor=IMPORT_ACTOR,
    )
    if not nieuw:
        return zaak.key, False, zaak.status
    _registreer_trajecten(session, zaak.key, aanvraag)
    # The toets as it was on receipt: what the assessor saw, and what what-if compares.
    ontvangst = beleid_voor(h.ingediend_op)
    resultaat = toets(aanvraag, h.ingediend_op, ontvangst).public()
    stand = dataclasses.replace(stand_van(zaak), toets=resultaat)
    for overgang, datum in _historische_overgangen(h, stand, resultaat, ontvangst, peildatum):
        pas_toe(session=session, zaak=zaak, overgang=overgang, peildatum=datum, actor=IMPORT_ACTOR)
    return zaak.key, True, zaak.status


def _historische_overgangen(
    h, stand, resultaat: dict, ontvangst: Beleid, peildatum: dt.date
) -> Iterator[tuple[ZaakOvergang, dt.date]]:
    """The transitions that bring a freshly registered zaak to where its history left it,
    each with the date it happened on. Never a notification: the provider had those then.
    Lazy, like the branches it hands on to: each is applied before the next is made."""
    b = h.besluit
    if b is None:
        # Not decided yet: the toets on the peildatum, as the lifecycle run would do now.
        o = na_toets(stand, peildatum, beleid_voor(peildatum))
        yield _stil(o, f"historie_{o.actie}"), peildatum
        return
    beleid = beleid_voor(b.datum)
    record = {
        "ronde": 1,
        "uitkomst": b.uitkomst,
        "onderbouwing": b.onderbouwing,
        "beoordelaar": IMPORT_ACTOR,
        "pijlers": {},
        "start": b.start,
        "eind": b.eind,
        "bedrag_per_jaar": b.bedrag_per_jaar,
        "datum": b.datum,
        "beleidsversie": beleid.versie,
    }
    basis = (ToetsVastgelegd(resultaat, ontvangst.versie), NieuweRonde())
    if b.uitkomst == "toekennen":
        yield from _historisch_toegekend(h, stand, resultaat, record, basis, beleid, peildatum)
    else:
        yield from _historisch_besloten(h, stand, record, basis, beleid, peildatum)


def _historisch_toegekend(
    h, stand, resultaat: dict, record: dict, basis: tuple, beleid: Beleid, peildatum: dt.date
) -> Iterator[tuple[ZaakOvergang, dt.date]]:
    """A toekenning: still running on the peildatum, or ended the day after its last day."""
    b = h.besluit
    # The decided term stands as it was: only each client's indicatie end caps it (the
    # toets' own term proposal is not applied to history).
    o = toekenning(
        dataclasses.replace(stand, toets={**resultaat, "clienten": []}),
        record,
        b.datum,
        beleid,
    )
    einde = max(x["eind"] for x in o.beschikkingen)
    status = historische_status(h, einde, peildatum)
    if status == "lopend":
        # A reminder whose moment has passed is not sent late; a deadline still counts.
        yield (
            _stil(
                o,
                "historie_toegekend",
                *basis,
                houd=lambda d: d.datum >= peildatum or d.soort not in HERINNERINGEN,
            ),
            b.datum,
        )
        return
    yield _stil(o, "historie_toegekend", *basis, houd=lambda d: False), b.datum
    einde_dag = einde + dt.timedelta(days=1)
    yield ZaakOvergang(status="beeindigd", actie="historie_beeindigd"), einde_dag


def _historisch_besloten(
    h, stand, record: dict, basis: tuple, beleid: Beleid, peildatum: dt.date
) -> Iterator[tuple[ZaakOvergang, dt.date]]:
    """An afwijzing or bijstelling: closed once its term has passed, else the live decision
    with its term still running."""
    b = h.besluit
    status = historische_status(h, None, peildatum)
    if status in GESLOTEN:
        if b.uitkomst == "afwijzen":
            gesloten = bezwaartermijn_einde(b.datum, beleid)
        else:
            gesloten = b.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken)
        yield (
            ZaakOvergang(
                status=status,
                actie=f"historie_{b.uitkomst}",
                effecten=(BesluitVastgelegd(record), *basis),
            ),
            max(gesloten, b.datum),
        )
        return
    # Still within the bezwaartermijn or the time to adjust: exactly the live decision.
    try:
        o = na_beoordeling(stand, record, b.datum)
    except BeleidsFout:
        deadline = (
            Termijn("bezwaartermijn_einde", bezwaartermijn_einde(b.datum, beleid))
            if b.uitkomst == "afwijzen"
            else Termijn(
                "herstel_termijn",
                b.datum + dt.timedelta(weeks=beleid.termijnen.herstel_aanvraag_weken),
            )
        )
        o = ZaakOvergang(
            status=status, actie=b.uitkomst, effecten=(BesluitVastgelegd(record), deadline)
        )
    besluit = BesluitVastgelegd({**(o.besluit or {}), **record})
    zonder = dataclasses.replace(
        o, effecten=tuple(e for e in o.effecten if not isinstance(e, BesluitVastgelegd))
    )
    yield _stil(zonder, f"historie_{o.actie}", besluit, *basis), b.datum


def _stil(o, actie: str, *extra, houd=None):
    """The live transition as history: no notification (the provider had those then), its
    own effects plus `extra`, and only the timers `houd` keeps (default: all)."""
    effecten = tuple(
        e
        for e in o.effecten
        if not isinstance(e, Bericht) and not (isinstance(e, Termijn) and houd and not houd(e))
    )
    return dataclasses.replace(o, actie=actie, effecten=effecten + extra)


def _registreer_trajecten(session: Session, zaak: str, aanvraag: Aanvraag) -> None:
    """The ontwikkeltrajecten a historical aanvraag names are facts about the client: record
    them, so compliance over later beschikkingen of the same client sees them too."""
    gezien = set()
    for c in aanvraag.clienten:
        for o in c.ontwikkeltrajecten:
            if (c.client_id, o.bijeenkomst_1) in gezien:
                continue  # the same traject listed twice
            gezien.add((c.client_id, o.bijeenkomst_1))
            row = session.exec(
                select(OntwikkeltrajectRij).where(
                    OntwikkeltrajectRij.agb == aanvraag.zorgaanbieder.agb,
                    OntwikkeltrajectRij.client_id == c.client_id,
                    OntwikkeltrajectRij.bijeenkomst_1 == o.bijeenkomst_1,
                )
            ).first()
            if row is None:
                session.add(
                    OntwikkeltrajectRij(
                        agb=aanvraag.zorgaanbieder.agb,
                        client_id=c.client_id,
                        zaak=zaak,
                        bijeenkomst_1=o.bijeenkomst_1,
                        bijeenkomst_2=o.bijeenkomst_2,
                    )
                )
            elif row.bijeenkomst_2 is None and o.bijeenkomst_2 is not None:
                row.bijeenkomst_2 = o.bijeenkomst_2
                session.add(row)
    session.flush()


def open_zaken_zonder_run(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    keys = list(keys)
    out = []
    with session_scope() as session:
        for start in range(0, len(keys), 500):
            out += session.exec(
                select(Zaak.key, Zaak.agb, Zaak.leveringsvorm).where(
                    Zaak.key.in_(keys[start : start + 500]),
                    Zaak.flow_run_id.is_(None),
                    Zaak.status.notin_(tuple(GESLOTEN)),
                )
            ).all()
    return [tuple(r) for r in out]


def start_runs(keys: Iterable[str]) -> int:
    """A lifecycle run for every open zaak of the import that has none yet (idempotent:
    the zaak key is the run's idempotency key; zaken left over are started by the sweep)."""
    from tasks import runs

    gestart = 0
    for key, agb, leveringsvorm in open_zaken_zonder_run(keys):
        runs.start_lifecycle(key, agb, leveringsvorm)
        gestart += 1
    return gestart
