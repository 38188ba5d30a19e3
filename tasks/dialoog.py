"""Side effects of the meerzorgdialoog: one transaction per transition, idempotent.

Plain functions shared by the dialoog flow, the planner, the deadline sweep and the CLI;
the flows wrap them as Prefect tasks with retries (flows/dialoog.py). Here: the apply and
a new dialoog's row (also next year's, at completion), the run's steps, the timers, the
runs and the dialoog as a case kind of the reconcile. The yearly planning is in
tasks/dialoog_planning.py, the read side of the CLI in tasks/dialoog_lezen.py."""

from __future__ import annotations

import datetime as dt
import logging

from sqlmodel import Session

from models import dialoog as regels
from models import dialoog_proces as proces
from models.beleid import beleid_op
from models.db.dialogen_lezen import (
    berichten_van,
    dialogen_van_aanbieders,
    dialoog_op_id,
    dialoog_van,
    open_dialogen,
)
from models.db.engine_store import (
    Context,
    Timers,
    audit,
    jsonable,
    pas_toe_geval,
)
from models.db.store import session_scope
from models.db.tables import Zorgaanbieder
from models.db.tables_dialoog import Dialoog, DialoogTermijn, DialoogVerslag
from models.dialoog import (
    GESLOTEN,
    DialoogStand,
    VerslagNaarAanbieder,
    VolgendJaarGepland,
    dialoog_key,
)
from models.dialoog_kaart import dialoogkaart
from models.dialoog_proces import DIALOOG
from models.engine import Beeld, Overgang
from tasks import geval
from tasks.reconcile import GevalRij, GevalRuns
from tasks.start import start_case_run

log = logging.getLogger("meerzorg.dialoog")
DEPLOYMENT = "meerzorgdialoog/meerzorgdialoog"
TAG = "meerzorgdialoog"


def stand_van(d: Dialoog) -> DialoogStand:
    return DialoogStand(
        agb=d.agb,
        jaar=d.jaar,
        status=d.status,
        stap=d.stap,
        uitnodiging=d.uitnodiging,
        meerzorgplan_uiterlijk=d.meerzorgplan_uiterlijk,
        dialoog=d.dialoog,
        vorige_afspraken=d.vorige_afspraken,
        notities=dict(d.notities or {}),
    )


def lees(session: Session, agb: str, jaar: int, lock: bool = False) -> Dialoog | None:
    return dialoog_van(session=session, agb=agb, jaar=jaar, lock=lock)


def pas_toe(
    *,
    session: Session,
    d: Dialoog,
    overgang: Overgang,
    peildatum: dt.date,
    actor: str = "systeem",
    namens: str | None = None,
) -> Dialoog:
    """Apply one Overgang to a dialoog the caller has locked and checked: the engine's one
    apply (models/db/engine_store.py); next year's dialoog at completion."""
    pas_toe_geval(
        session=session,
        soort=DIALOOG,
        rij=d,
        key=dialoog_key(d.agb, d.jaar),
        agb=d.agb,
        overgang=overgang,
        timers=timers_van(session, d),
        handlers={VolgendJaarGepland: _volgend_jaar, VerslagNaarAanbieder: _verslag},
        peildatum=peildatum,
        actor=actor,
        namens=namens,
    )
    return d


def timers_van(session: Session, d: Dialoog) -> Timers:
    if d.id is None:
        session.add(d)
        session.flush()
    return Timers(DialoogTermijn, {"dialoog_id": d.id})


def _volgend_jaar(ctx: Context, d: Dialoog, e: VolgendJaarGepland) -> None:
    _plan_volgend_jaar(ctx.session, d, ctx.peildatum, e.jaar, e.vorige_afspraken)


def _verslag(ctx: Context, d: Dialoog, e: VerslagNaarAanbieder) -> None:
    """The verslag as a letter to the provider (R §10): rendered from the row as the
    transition's Gewijzigd left it, kept in dialoog_verslag, sent once by its outbox row."""
    # Imported at completion only: fpdf2 and the letter's texts are no part of a dialoog's
    # every step (DESIGN.md §4).
    from models.brief import render_pdf, sha256_hex
    from models.db.brieven import afzender
    from models.dialoog_verslag import verslag_inhoud

    key = dialoog_key(d.agb, d.jaar)
    aanbieder = ctx.session.get(Zorgaanbieder, d.agb)
    pdf = render_pdf(
        verslag_inhoud(
            agb=d.agb,
            jaar=d.jaar,
            aanbieder_naam=aanbieder.naam if aanbieder else None,
            gehouden_op=d.gehouden_op,
            datum=ctx.peildatum,
            notities=dict(d.notities or {}),
            afspraken=d.afspraken or "",
            afzender=afzender(),
        )
    )
    sleutel = f"{key}-verslag"
    b = e.bericht
    if ctx.store.queue_bericht(
        sleutel=sleutel, sjabloon=b.sjabloon, kanaal=b.kanaal, zaak=key, agb=d.agb, **b.context
    ):
        ctx.session.add(
            DialoogVerslag(
                dialoog_id=d.id,
                notificatie=sleutel,
                datum=ctx.peildatum,
                pdf=pdf,
                sha256=sha256_hex(pdf),
            )
        )


def _plan_volgend_jaar(
    session: Session, d: Dialoog, peildatum: dt.date, jaar: int, vorige_afspraken: str
) -> Dialoog:
    volgende = lees(session, d.agb, jaar, lock=True)
    prefill = regels.terugblik_prefill(d.jaar, vorige_afspraken)
    if volgende is None:
        return maak_dialoog(
            session, d.agb, jaar, peildatum, vorige_afspraken=vorige_afspraken, actor="systeem"
        )
    if volgende.status not in GESLOTEN:
        # Planned already (the planner ran first): it still gets this year's afspraken.
        notities = dict(volgende.notities or {})
        oude_prefill = regels.terugblik_prefill(d.jaar, volgende.vorige_afspraken)
        if notities.get("terugblik", "") in ("", oude_prefill):
            notities["terugblik"] = prefill
        volgende.vorige_afspraken, volgende.notities = vorige_afspraken, notities
        session.add(volgende)
    return volgende


def maak_dialoog(
    session: Session,
    agb: str,
    jaar: int,
    peildatum: dt.date,
    vorige_afspraken: str | None = None,
    actor: str = "systeem",
) -> Dialoog:
    beleid = beleid_op(peildatum)
    nieuw = regels.nieuwe_dialoog(agb, jaar, beleid.dialoog, vorige_afspraken)
    d = Dialoog(
        agb=agb,
        jaar=jaar,
        status="gepland",
        uitnodiging=nieuw.data.uitnodiging,
        meerzorgplan_uiterlijk=nieuw.data.meerzorgplan_uiterlijk,
        dialoog=nieuw.data.dialoog,
        vorige_afspraken=vorige_afspraken,
        notities=nieuw.notities,
        beleidsversie=beleid.versie,
    )
    session.add(d)
    session.flush()
    for termijn in nieuw.termijnen:
        timers_van(session, d).plan(session, dialoog_key(agb, jaar), termijn, d.status)
    audit(
        session=session,
        actor=actor,
        actie="dialoog_gepland",
        zaak=dialoog_key(agb, jaar),
        details=jsonable(
            {
                "uitnodiging": d.uitnodiging,
                "dialoog": d.dialoog,
                "terugblik_ingevuld": bool(nieuw.notities),
            }
        ),
    )
    return d


# --- the run's steps ------------------------------------------------------------------------


def koppel_flow_run(agb: str, jaar: int, flow_run_id: str) -> None:
    geval.koppel_flow_run(OPSLAG, dialoog_key(agb, jaar), flow_run_id, verplicht=True)


def run_tags(agb: str, jaar: int, wacht_op: str | None, status: str) -> list[str]:
    return [
        TAG,
        f"agb:{agb}",
        f"jaar:{jaar}",
        f"wacht-op:{wacht_op or ('afgesloten' if status in DIALOOG.gesloten else '-')}",
        f"status:{status}",
    ]


def beeld(agb: str, jaar: int) -> Beeld:
    """What the dialoog's run needs for one loop: its step, key, tags, card and form defaults."""
    key = dialoog_key(agb, jaar)
    with session_scope() as session:
        d = lees(session, agb, jaar)
        if d is None:
            raise ValueError(f"{key} is not planned")
        aanbieder = session.get(Zorgaanbieder, agb)
        termijnen = timers_van(session, d).open(session)
        notificaties = berichten_van(session=session, key=key)
        kaart = dialoogkaart(
            d, aanbieder.naam if aanbieder else None, list(termijnen), list(notificaties)
        )
        initieel: dict = {}
        if d.status == "plan_ontvangen":
            initieel = {k: v for k, v in (d.notities or {}).items() if k in regels.AGENDA_KEYS}
            initieel["gehouden_op"] = d.dialoog.isoformat()
        return Beeld(
            key=key,
            status=d.status,
            stap=DIALOOG.volgende_stap(d.status, 0),
            wacht_key=d.wacht_key,
            tags=tuple(run_tags(agb, jaar, d.wacht_op, d.status)),
            kaart=kaart,
            initieel=initieel,
        )


def uitnodigen(agb: str, jaar: int, peildatum: dt.date) -> bool:
    """The action of a planned dialoog. False when another process did it already."""
    with session_scope() as session:
        d = lees(session, agb, jaar, lock=True)
        if d is None or d.status != "gepland":
            return False
        pas_toe(
            session=session,
            d=d,
            overgang=proces.uitnodigen(stand_van(d), peildatum, beleid_op(peildatum).dialoog),
            peildatum=peildatum,
        )
        return True


def verwerk_invoer(
    agb: str, jaar: int, wacht_key: str, invoer: dict, peildatum: dt.date, actor: str | None = None
) -> str:
    """Apply form input answered under `wacht_key` (tasks/geval.verwerk_invoer)."""
    return geval.verwerk_invoer(OPSLAG, dialoog_key(agb, jaar), wacht_key, invoer, peildatum, actor)


# --- timers ---------------------------------------------------------------------------------


def due_termijnen(peildatum: dt.date, limit: int = 10_000) -> list[int]:
    return geval.due_termijnen(OPSLAG, peildatum, limit)


def vuur_termijn(termijn_id: int, peildatum: dt.date) -> tuple[str, str | None, bool] | None:
    """Fire one due timer exactly once. Returns (dialoog key, flow_run_id, the run must be
    resumed), or None when another sweep fired it already."""
    gevuurd = geval.vuur_termijn(OPSLAG, termijn_id, peildatum)
    if gevuurd is None:
        return None
    d, hervatten = gevuurd
    return dialoog_key(d.agb, d.jaar), d.flow_run_id, hervatten


def _lees_key(session: Session, key: str, lock: bool) -> Dialoog | None:
    _, agb, jaar = key.rsplit("-", 2)
    return lees(session, agb, int(jaar), lock=lock)


def _pas_toe(*, rij: Dialoog, **kwargs) -> None:
    pas_toe(d=rij, **kwargs)


# The dialoog for the one case service (tasks/geval.py).
OPSLAG = geval.Opslag(
    soort=DIALOOG,
    lees=_lees_key,
    stand=stand_van,
    feiten=lambda session, d, peildatum: beleid_op(peildatum).dialoog,
    ongeldig=lambda d, fout, invoer: proces.ongeldig(stand_van(d), fout, invoer),
    pas_toe=_pas_toe,
    timer_model=DialoogTermijn,
    timer_geval=lambda session, t: dialoog_op_id(session=session, dialoog_id=t.dialoog_id),
    timer_regel=lambda session, d, t: proces.bij_termijn(
        stand_van(d), t.soort, t.datum, beleid_op(t.datum).dialoog
    ),
)


def vuur_dialoog_termijnen(peildatum: dt.date) -> list[str]:
    """Fire the dialoog timers due on the peildatum (the deadline sweep calls this). Returns
    the flow runs whose dialoog moved to a new wait (the sweep's reconcile resumes them)."""
    hervat = set()
    for termijn_id in due_termijnen(peildatum):
        result = vuur_termijn(termijn_id, peildatum)
        if result and result[1] and result[2]:
            hervat.add(result[1])
    return sorted(hervat)


def reconcile_soort():
    """The dialoog as a case kind for tasks/reconcile.py: open dialogen and their runs."""

    def geval(d) -> GevalRij:
        key = dialoog_key(d.agb, d.jaar)
        return GevalRij(key, d.flow_run_id, d.wacht_key, d.status not in GESLOTEN)

    def gevallen() -> list[GevalRij]:
        with session_scope() as session:
            return [geval(d) for d in open_dialogen(session=session)]

    def per_key(keys: list[str]) -> dict[str, GevalRij]:
        agbs = {k.split("-")[1] for k in keys if k.startswith("dialoog-") and k.count("-") == 2}
        with session_scope() as session:
            rows = dialogen_van_aanbieders(session=session, agbs=sorted(agbs))
            return {g.key: g for d in rows if (g := geval(d)).key in keys}

    def start(key: str, opvolger: str | None) -> str:
        _, agb, jaar = key.rsplit("-", 2)
        return start_run(agb, int(jaar), opvolger=opvolger)

    return GevalRuns("dialoog", "meerzorgdialoog", gevallen, per_key, start)


# --- runs -------------------------------------------------------------------------------------


def start_run(
    agb: str, jaar: int, peildatum: dt.date | None = None, opvolger: str | None = None
) -> str:
    """Create the dialoog's run once: its key is the idempotency key (plus, for a run that
    replaces a lost or cancelled one, the id of the run it replaces)."""
    run_id = start_case_run(
        DEPLOYMENT,
        dialoog_key(agb, jaar),
        {"agb": agb, "jaar": jaar, "peildatum": peildatum.isoformat() if peildatum else None},
        [TAG, f"agb:{agb}", "wacht-op:uitnodiging"],
        dialoog_key(agb, jaar),
        opvolger,
    )
    koppel_flow_run(agb, jaar, run_id)
    return run_id
