"""A dwangsom running after an ingebrekestelling and stopping at the besluit (issue 26 point
4; Awb 4:17, 4:18), against the real Prefect server, runner and notification sink: the zaak
waits for its beoordeling past the beslistermijn, the ingebrekestelling is registered, the
dwangsom runs from two weeks after it, the beoordelaar's toekenning stops it, and the next
day's sweep takes the besluit that fixes it, with its letter to the provider."""

from __future__ import annotations

import datetime as dt

import pytest

from models import dwangsom
from models.beleid import beleid_op
from models.planner import beslistermijn_einde
from tests.factories import toekennen
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until
from tests.flows.test_lifecycle import PEILDATUM, indienen, individueel, messages_for

pytestmark = pytest.mark.usefixtures("aanbieders")


def test_awb_4_17_4_18_a_dwangsom_runs_after_an_ingebrekestelling_and_stops_at_the_besluit(
    aanbieders,
):
    from deployments import operations as ops
    from tasks import dwangsom as dwangsom_ops

    zaak, _ = indienen(individueel("FLOW-DWANGSOM", "LINDE-131", "999990238"))
    wacht_key = wait_for_wait(zaak, "beoordeling-")
    termijn = beslistermijn_einde(PEILDATUM, beleid_op(PEILDATUM))
    ontvangen = termijn + dt.timedelta(days=1)
    start = dwangsom.dwangsom_start(ontvangen)
    dwangsom_ops.registreer_ingebrekestelling(zaak, ontvangen, ontvangen, "b-001")

    ops.sweep(start + dt.timedelta(days=4))  # day five: it runs; nothing is due yet
    z = ops.zaak_overzicht(zaak, log_read=False, peildatum=start + dt.timedelta(days=4))
    assert z["wacht_key"] == wacht_key  # the assessor's form stays where it was
    assert z["ingebrekestelling"]["loopt"] is True
    assert (z["ingebrekestelling"]["dagen"], z["ingebrekestelling"]["bedrag_tot_nu"]) == (5, 115)

    besloten = start + dt.timedelta(days=6)
    ops.beoordeel(zaak, toekennen("b-001", peildatum=besloten))
    z = wait_for_status(zaak, "lopend")
    later = ops.zaak_overzicht(zaak, log_read=False, peildatum=besloten + dt.timedelta(days=20))
    assert later["ingebrekestelling"]["gestopt_op"] == besloten.isoformat()
    assert later["ingebrekestelling"]["bedrag_tot_nu"] == 6 * 23  # it stopped at the besluit
    assert later["ingebrekestelling"]["vastgesteld_besluit"] is None

    ops.sweep(dwangsom.vaststelling_op(besloten))
    z = ops.zaak_overzicht(zaak, log_read=False, peildatum=besloten + dt.timedelta(days=20))
    (vastgesteld,) = [b for b in z["besluiten"] if b["soort"] == "dwangsom"]
    assert z["ingebrekestelling"]["vastgesteld_besluit"] == vastgesteld["id"]
    assert vastgesteld["rechtsmiddel"] == "bezwaar" and vastgesteld["geadresseerden"]
    wait_until(
        lambda: any(
            "dwangsom vastgesteld" in (m["title"] or "") and m["bijlagen"]
            for m in messages_for(aanbieders, zaak)
        ),
        60,
        what="the dwangsom besluit's letter to the provider",
    )
    wait_for_wait(zaak, "einde-beschikking-")  # the run goes on with the beschikking
