"""Side effects on the case database: one transaction per transition, idempotent.

Plain functions, so the flows, the sweep and the CLI share them; the flows wrap them as
Prefect tasks with retries (flows/lifecycle.py)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlmodel import Session

from models import compliance
from models.aanvraag import Aanvraag
from models.beleid import beleid_op
from models.bezwaar_termijnen import TIMERS as BEZWAAR_TIMERS
from models.contact import NA_AFWIJZING
from models.dates import plus_maanden
from models.db.contact_lezen import contact_feiten
from models.db.dwangsom_store import ingebrekestelling_van
from models.db.engine_store import audit
from models.db.kaart import zaakkaart
from models.db.overlap_lezen import meerzorg_elders
from models.db.persoon import client_sleutel, historie_elders
from models.db.store import (
    lees_zaak,
    medewerker_rollen,
    ontwikkeltrajecten_van,
    registreer_zaak,
    session_scope,
    stand_van,
)
from models.db.tables import Deadline, Zaak
from models.db.zaak_lezen import (
    aantal_actieve_beschikkingen,
    besluit_voor_bezwaar,
    bezwaren_van,
    bsn_in_aanvraag,
    client_van,
    laatste_audit,
)
from models.db.zaak_store import pas_toe
from models.db.zaakoverzicht import beschikkingen_van, laatste_bezwaar
from models.dwangsom import TIMER as DWANGSOM_TIMER
from models.engine import ONGELDIGE_INVOER, Antwoord, Beeld, Overgang
from models.formulieren_kaart import initial_data
from models.overgang import ZaakOvergang
from models.overgang import ZaakStatus as S
from models.proces import ZAAK, Feiten, na_toets
from models.toetsstappen import Elders
from models.zaak_termijnen import bij_deadline
from tasks import geval
from tasks.opvolging import cce_tag

log = logging.getLogger("meerzorg.zaak")


def registreer(
    aanvraag: Aanvraag,
    ingediend_op: dt.date,
    provider_referentie: str | None = None,
    flow_run_id: str | None = None,
    actor: str = "systeem",
) -> tuple[str, bool]:
    with session_scope() as session:
        zaak, nieuw = registreer_zaak(
            session=session,
            aanvraag=aanvraag,
            ingediend_op=ingediend_op,
            provider_referentie=provider_referentie,
            flow_run_id=flow_run_id,
            actor=actor,
        )
        return zaak.key, nieuw


def koppel_flow_run(zaak_key: str, flow_run_id: str) -> None:
    geval.koppel_flow_run(OPSLAG, zaak_key, flow_run_id)


def run_tags(zaak: Zaak, cce: str | None = None) -> list[str]:
    """The run's tags: codes only, never a BSN or a name."""
    tags = [
        "meerzorg",
        *([f"agb:{zaak.agb}"] if zaak.agb else []),  # none without provider (issue 25)
        f"leveringsvorm:{zaak.leveringsvorm}",
        f"wacht-op:{zaak.wacht_op or 'afgesloten'}",
        f"status:{zaak.status}",
    ]
    if cce:
        tags.append(f"cce:{cce}")
    return tags


def beeld(zaak_key: str, peildatum: dt.date) -> Beeld:
    """What the zaak's run needs for one loop, in one transaction: its step, wait key, tags,
    the pseudonymous card and the form's defaults."""
    with session_scope() as session:
        z = lees_zaak(session=session, key=zaak_key)
        if z is None:
            raise ValueError(f"zaak {zaak_key} does not exist")
        return Beeld(
            key=z.key,
            status=z.status,
            stap=ZAAK.volgende_stap(z.status, z.stap),
            wacht_key=z.wacht_key,
            tags=tuple(run_tags(z, cce_tag(session, z, peildatum))),
            kaart=zaakkaart(session, z, peildatum),
            initieel=initial_data(z.status, z.toets, z.laatste_fout),
        )


def voer_actie_uit(zaak_key: str, peildatum: dt.date) -> bool:
    """The action due in status 'geregistreerd': the toets. False if another process did it."""
    with session_scope() as session:
        zaak = lees_zaak(session=session, key=zaak_key, lock=True)
        if zaak is None or zaak.status != "geregistreerd":
            return False
        pas_toe(
            session=session,
            zaak=zaak,
            overgang=na_toets(stand_van(zaak), peildatum, elders=elders_van(session, zaak)),
            peildatum=peildatum,
        )
        return True


def verwerk_invoer(
    zaak_key: str, wacht_key: str, invoer: dict, peildatum: dt.date, actor: str | None = None
) -> Antwoord:
    """Apply form input answered under `wacht_key` (tasks/geval.verwerk_invoer)."""
    return geval.verwerk_invoer(OPSLAG, zaak_key, wacht_key, invoer, peildatum, actor)


def elders_van(session, zaak: Zaak) -> Elders:
    """The running meerzorg of the zaak's clients in other zaken, at any provider, by BSN,
    for the toets's overlap check (models/db/overlap_lezen.py); the beschikking of the zaak a
    verlenging continues is marked, not left out."""
    clienten = zaak.aanvraag.get("clienten", [])
    return meerzorg_elders(
        session=session,
        zaak=zaak.key,
        bsns=[c["bsn"] for c in clienten],
        vorige_zaak=zaak.vorige_zaak or zaak.aanvraag.get("vorige_zaak"),
    )


def feiten_van(session, zaak: Zaak) -> Feiten:
    """What the handlers read beyond the stand, in the caller's transaction: the staff's
    roles, the running beschikkingen, the last besluit and the bezwaren (models/bezwaar.py)."""
    # The last besluit with its letters: a bezwaar on the wait's form is in time by the
    # indiener's own letter's term (Awb 6:8), as on the CLI (models/db/zaak_lezen.py).
    besluit = besluit_voor_bezwaar(session=session, zaak=zaak.key, besluit_id=None)
    bezwaren = bezwaren_van(session=session, zaak=zaak.key)
    return Feiten(
        beoordelaars=medewerker_rollen(session=session),
        beschikking_actief=aantal_actieve_beschikkingen(session=session, zaak=zaak.key) > 0,
        wacht_op=zaak.wacht_op,
        besluit=besluit,
        bezwaren=tuple(b.model_dump() for b in bezwaren),
        # Read only where an answer runs the toets again (models/proces.py: na_herstel).
        elders=elders_van(session, zaak) if zaak.status in (S.HERSTEL, S.BIJSTELLING) else None,
    )


def deadline_context(session, zaak: Zaak, deadline: Deadline) -> dict:
    """What bij_deadline needs beyond the stand: the end of the beschikkingen and, for the
    CCE timers, whether the client's ontwikkeltraject is in time."""
    beschikkingen = beschikkingen_van(session=session, zaak=zaak.key)
    context: dict = {"einde": max((b.eind for b in beschikkingen), default=None)}
    # Whether a beschikking still runs: its timers fire during a bezwaar only then (Awb 6:16).
    context["actief"] = any(b.status == "actief" for b in beschikkingen)
    if deadline.soort == DWANGSOM_TIMER:  # Awb 4:18: the zaak's ingebrekestelling
        context["ingebrekestelling"] = ingebrekestelling_van(session=session, zaak=zaak.key)
    if deadline.soort == NA_AFWIJZING and deadline.client_id:
        # N 2025: the client's contacts and the running beschikking's end decide whether
        # the contact goes on (models/contact.contact_na_afwijzing).
        context.update(contact_feiten(session=session, zaak=zaak, client_id=deadline.client_id))
    if deadline.soort in BEZWAAR_TIMERS:
        # Awb 7:10: the term of the bezwaar still open (a verdaging moved it).
        bezwaar = laatste_bezwaar(session=session, zaak=zaak.key)
        context["uiterlijk"] = bezwaar.uiterlijk.isoformat() if bezwaar else None
    if (
        deadline.soort in ("ontwikkeltraject_herinnering", "ontwikkeltraject_uiterlijk")
        and deadline.client_id
    ):
        beleid = beleid_op(deadline.datum)
        bsn = bsn_in_aanvraag(zaak.aanvraag, deadline.client_id)
        client = client_van(session=session, agb=zaak.agb, client_id=deadline.client_id, bsn=bsn)
        aanvraag_client = next(
            (c for c in zaak.aanvraag.get("clienten", []) if c["client_id"] == deadline.client_id),
            None,
        )
        trajecten = ontwikkeltrajecten_van(
            session=session,
            agb=zaak.agb,
            client_id=deadline.client_id,
            aanvraag_client=aanvraag_client,
        )
        sinds = (client.meerzorg_sinds if client and client.meerzorg_sinds else None) or min(
            (b.start for b in beschikkingen), default=deadline.datum
        )
        # R §10 is per client: her trajecten and meerzorg under other providers count, read
        # by her persoon (DOMAIN.md §10), so a move neither loses nor restarts her window.
        sleutel = client_sleutel(zaak.agb, deadline.client_id, bsn)
        sinds, trajecten = compliance.over_aanbieders(
            sinds, trajecten, historie_elders(session=session, clienten=[sleutel]).get(sleutel, [])
        )
        # The trajecten completed by the timer's own day count (DOMAIN.md §10): one whose
        # second bijeenkomst is still to come is planned, not held, so the reminder and the
        # overtreding still go out.
        huidig = compliance.uiterlijk(trajecten, sinds, deadline.datum, beleid)
        doel = deadline.datum
        if deadline.soort == "ontwikkeltraject_herinnering":
            doel = plus_maanden(
                deadline.datum, beleid.termijnen.ontwikkeltraject_herinnering_maanden
            )
        context.update(
            cce_ok=huidig > doel,
            uiterlijk=huidig.isoformat() if huidig > doel else doel.isoformat(),
        )
    return context


def due_deadlines(peildatum: dt.date, limit: int = 10_000) -> list[int]:
    return geval.due_termijnen(OPSLAG, peildatum, limit)


def vuur_deadline(deadline_id: int, peildatum: dt.date) -> tuple[str, bool] | None:
    """Fire one due deadline exactly once. Returns (zaak, the run must be resumed) or None
    when another sweep fired it already."""
    gevuurd = geval.vuur_termijn(OPSLAG, deadline_id, peildatum)
    return None if gevuurd is None else (gevuurd[0].key, gevuurd[1])


def _deadline_regel(session: Session, zaak: Zaak, deadline: Deadline) -> Overgang | None:
    context = deadline_context(session, zaak, deadline)
    return bij_deadline(
        stand_van(zaak), deadline.soort, deadline.datum, deadline.client_id, context
    )


def _ongeldig(zaak: Zaak, fout: str, invoer: dict) -> Overgang:
    return ZaakOvergang(
        status=zaak.status, actie=ONGELDIGE_INVOER, wacht_op=zaak.wacht_op, details={"fout": fout}
    )


def _pas_toe(*, rij: Zaak, **kwargs) -> None:
    pas_toe(zaak=rij, **kwargs)


# The zaak for the one case service (tasks/geval.py).
OPSLAG = geval.Opslag(
    soort=ZAAK,
    lees=lambda session, key, lock: lees_zaak(session=session, key=key, lock=lock),
    stand=stand_van,
    feiten=lambda session, zaak, peildatum: feiten_van(session, zaak),
    ongeldig=_ongeldig,
    pas_toe=_pas_toe,
    timer_model=Deadline,
    timer_geval=lambda session, deadline: lees_zaak(session=session, key=deadline.zaak, lock=True),
    timer_regel=_deadline_regel,
)


SWEEP_ACTIE = "sweep_voltooid"


def sweep_voltooid(samenvatting: dict) -> None:
    """The sweep's summary in the audit trail: when it last completed and what it did (the
    database, not Prefect, is where an operator's `meerzorg status` finds it)."""
    with session_scope() as session:
        audit(session=session, actor="deadline-sweep", actie=SWEEP_ACTIE, details=samenvatting)


def laatste_sweep() -> dict | None:
    """{"tijd", "details"} of the last completed sweep, or None."""
    with session_scope() as session:
        e = laatste_audit(session=session, actie=SWEEP_ACTIE)
        return None if e is None else {"tijd": e.tijd, "details": e.details}
