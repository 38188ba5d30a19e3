"""The running system schedules exactly what `meerzorg plan` returns (issue 11): the timers
of a toekenning (models/proces.py) against the public plan of each beschikking it issues."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given

from models.aanvraag import Beschikking, parse_aanvraag
from models.beleid import beleid_op
from models.besluit import toekenning
from models.overgang import Stand
from models.planner import CLIENT_TIMERS, HERINNERINGEN, ZAAK_TIMERS, plan_public
from models.toets import toets
from tests.factories import PEILDATUM, aanvraag, client_dict
from tests.unit.test_properties import SETTINGS, aanvragen


def _toekennen(a, peildatum: dt.date):
    """Grant the aanvraag as the assessor would by default: the toets's term."""
    beleid = beleid_op(peildatum)
    r = toets(a, peildatum, beleid).public()
    stand = Stand("MZ-2026-000001", "beoordeling", 1, 1, a, peildatum, toets=r)
    start = dt.date.fromisoformat(r["termijn"]["start"])
    eind = max(start, dt.date.fromisoformat(r["termijn"]["eind"]))
    record = {"uitkomst": "toekennen", "start": start, "eind": eind, "beoordelaar": "b-1"}
    return toekenning(stand, record, peildatum, beleid)


def _volgens_plan(a, beschikkingen: tuple[dict, ...], peildatum: dt.date) -> Counter:
    """Read off `meerzorg plan`'s output: each client's own obligations from its beschikking,
    the zaak's from the group's beschikking to its last end; the day the system acts on
    each one is its `vuurt_op`. A reminder already past on the decision day is not sent."""
    out: Counter = Counter()
    for b in beschikkingen:
        eigen = Beschikking(
            **a.model_dump(),
            start=b["start"],
            eind=b["eind"],
            client_id=b["client_id"],
            besluitdatum=peildatum,
        )
        for v in plan_public(eigen, peildatum):
            if v["soort"] in CLIENT_TIMERS:
                if v["soort"] in HERINNERINGEN and v["status"] == "verstreken":
                    continue
                out[(v["soort"], v["vuurt_op"], v.get("client_id"))] += 1
    groep = Beschikking(
        **a.model_dump(),
        start=beschikkingen[0]["start"],
        eind=max(b["eind"] for b in beschikkingen),
        besluitdatum=peildatum,
    )
    for v in plan_public(groep, peildatum):
        if v["soort"] in ZAAK_TIMERS:
            out[(v["soort"], v["vuurt_op"], None)] += 1
    return out


def _gepland(overgang) -> Counter:
    return Counter((d.soort, d.datum.isoformat(), d.client_id) for d in overgang.deadlines)


@SETTINGS
@given(aanvragen())
def test_a_toekenning_schedules_exactly_the_plan_of_its_beschikkingen(case):
    data, peildatum = case
    a = parse_aanvraag(data)
    o = _toekennen(a, peildatum)
    assert _gepland(o) == _volgens_plan(a, o.beschikkingen, peildatum)


def test_r_11_the_beschikking_ends_on_the_day_after_its_last_day_as_the_plan_says():
    o = _toekennen(aanvraag(), PEILDATUM)
    (b,) = o.beschikkingen
    (einde,) = [d for d in o.deadlines if d.soort == "einde_beschikking"]
    assert einde.datum == b["eind"] + dt.timedelta(days=1)


def test_r_9_vg7_plus_schedules_a_passende_overgang_and_no_verlenging_deadline():
    vg7 = aanvraag(clienten=[client_dict(0, zorgprofiel="VG7", vg7_plus=True)], maanden=12)
    soorten = {d.soort for d in _toekennen(vg7, PEILDATUM).deadlines}
    assert {"passende_overgang_start", "passende_overgang_uiterlijk"} <= soorten
    assert not {"herbeoordeling_start", "verlenging_uiterlijk"} & soorten
