"""The yearly planning of the meerzorgdialoog (R §10): a dialoog per provider with active
meerzorg, planned by `plan-dialogen` for next year and, by the deadline sweep, for the
providers that come in after it. Idempotent: one dialoog per provider-year, under the row
lock. The apply and a new dialoog's row are in tasks/dialoog.py."""

from __future__ import annotations

import datetime as dt

from models import dialoog as regels
from models import dialoog_proces as proces
from models.beleid import beleid_op
from models.db.dialogen_lezen import (
    aanbieders_met_dialoog,
    actieve_aanbieders,
    gepland_zonder_meerzorg,
    open_zonder_run,
)
from models.db.store import session_scope
from models.db.tables_dialoog import Dialoog
from models.dialoog import Data, DialoogOvergang, dialoog_key
from models.engine import Gewijzigd, Herpland, Termijn
from tasks.dialoog import lees, maak_dialoog, pas_toe, stand_van


def plan_jaar(jaar: int, peildatum: dt.date, actor: str = "plan-dialogen") -> dict:
    """Plan the dialogen of `jaar`: one per provider with active meerzorg (idempotent).
    A planned dialoog follows the policy in force; a planned dialoog of a provider without
    meerzorg lapses. Returns what changed and which dialogen need a run."""
    beleid = beleid_op(peildatum).dialoog
    gepland, herpland, vervallen = [], [], []
    with session_scope() as session:
        actief = actieve_aanbieders(session=session)
    for agb in actief:
        with session_scope() as session:
            d = lees(session, agb, jaar, lock=True)
            if d is None:
                vorige = lees(session, agb, jaar - 1)
                afspraken = vorige.afspraken if vorige and vorige.status == "afgerond" else None
                maak_dialoog(session, agb, jaar, peildatum, vorige_afspraken=afspraken, actor=actor)
                gepland.append(agb)
                continue
            data = regels.herplan_gepland(stand_van(d), beleid)
            if data is not None:
                herplan = _herplan(d, data, peildatum)
                pas_toe(session=session, d=d, overgang=herplan, peildatum=peildatum, actor=actor)
                herpland.append(agb)
    with session_scope() as session:
        weg = gepland_zonder_meerzorg(session=session, jaar=jaar, actief=actief)
    for agb in weg:
        with session_scope() as session:
            d = lees(session, agb, jaar, lock=True)
            if d is None or d.status != "gepland":
                continue
            pas_toe(
                session=session,
                d=d,
                overgang=proces.vervallen(stand_van(d), "geen actieve meerzorg"),
                peildatum=peildatum,
                actor=actor,
            )
            vervallen.append(agb)
    with session_scope() as session:
        zonder_run = open_zonder_run(session=session, jaar=jaar)
    return {
        "jaar": jaar,
        "gepland": gepland,
        "herpland": herpland,
        "vervallen": vervallen,
        "zonder_run": sorted(zonder_run),
    }


def _herplan(d: Dialoog, data: Data, peildatum: dt.date) -> DialoogOvergang:
    """A planned dialoog moved to the dates of the policy in force (`plan_jaar`)."""
    return DialoogOvergang(
        status=d.status,
        actie="dialoog_herpland",
        effecten=(
            Herpland(),
            Gewijzigd(
                {
                    "uitnodiging": data.uitnodiging,
                    "meerzorgplan_uiterlijk": data.meerzorgplan_uiterlijk,
                    "dialoog": data.dialoog,
                    "beleidsversie": beleid_op(peildatum).versie,
                }
            ),
            Termijn("uitnodiging_uiterlijk", data.uitnodiging),
        ),
        details={"uitnodiging": data.uitnodiging, "dialoog": data.dialoog},
    )


def plan_nieuwkomers(peildatum: dt.date, actor: str = "deadline-sweep") -> list[str]:
    """Plan the dialogen of providers that got meerzorg after the yearly planning: for each
    year the rules still allow (models.dialoog.planbare_jaren), every provider with active
    meerzorg and no dialoog for that year. Idempotent (one dialoog per provider-year, under
    the row lock); the sweep's reconcile then starts their runs. Returns their keys."""
    beleid = beleid_op(peildatum).dialoog
    gepland = []
    for jaar in regels.planbare_jaren(peildatum, beleid):
        with session_scope() as session:
            heeft = aanbieders_met_dialoog(session=session, jaar=jaar)
            nieuw = [a for a in actieve_aanbieders(session=session) if a not in heeft]
        for agb in nieuw:
            with session_scope() as session:
                if lees(session, agb, jaar, lock=True) is not None:
                    continue  # planned by another process meanwhile
                vorige = lees(session, agb, jaar - 1)
                afspraken = vorige.afspraken if vorige and vorige.status == "afgerond" else None
                maak_dialoog(session, agb, jaar, peildatum, vorige_afspraken=afspraken, actor=actor)
            gepland.append(dialoog_key(agb, jaar))
    return gepland
