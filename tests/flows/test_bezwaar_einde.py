"""A beschikking's einde firing during a gegrond bezwaar (issue 26 point 5), against a real
Prefect server, runner and notification sink: Awb 6:16, a bezwaar suspends nothing, so the
running beschikking's timers outlive the bezwaar's waits and the new assessment after it
(models/bezwaar_termijnen.tijdens_bezwaar). The transitions by themselves:
tests/integration/test_bezwaar_timers.py."""

from __future__ import annotations

import datetime as dt

import pytest

from models.overgang import ZaakStatus as S
from tests.factories import toekennen
from tests.flows.conftest import wait_for_wait, wait_until
from tests.flows.test_lifecycle import PEILDATUM, indienen, individueel, messages_for

pytestmark = pytest.mark.usefixtures("aanbieders")
# The beschikking's last day; the sweep acts on the day after it (models/planner.vuurdatum).
EIND = dt.date(2027, 3, 31)


def test_awb_6_16_a_beschikkings_einde_fires_during_a_gegrond_bezwaar(aanbieders):
    """Toegekend, a bezwaar against it found gegrond (7:11): while the zaak is assessed again
    the sweep reaches the beschikking's einde. The care ends on its last day, the provider
    hears so, and the zaak keeps waiting for its new besluit on the same form."""
    from deployments import operations as ops
    from tasks import bezwaar as bezwaar_ops

    data = individueel("FLOW-BEZWAAR-EINDE", "LINDE-107", "999990093")
    data["gevraagde_start"], data["gevraagde_eind"] = "2027-01-01", "2027-12-31"
    zaak, _ = indienen(data)
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(
        zaak,
        toekennen(
            "b-001",
            eind=EIND,
            evalueren_op="2027-03-01",
            onderbouwing="Korter dan gevraagd: de doelen zijn binnen drie maanden haalbaar.",
            peildatum=PEILDATUM,
        ),
    )
    wait_for_wait(zaak, "einde-beschikking-")
    einde = dt.date.fromisoformat(
        next(
            d["datum"]
            for d in ops.zaak_overzicht(zaak, log_read=False)["deadlines"]
            if d["soort"] == "einde_beschikking"
        )
    )
    assert einde == EIND + dt.timedelta(days=1)

    # The provider objects; the run follows the zaak to the bezwaar's wait.
    bezwaarschrift = {"ontvangen": PEILDATUM, "gronden": "De duur is te kort."}
    bezwaar_ops.registreer_bezwaar(zaak, bezwaarschrift, PEILDATUM, "b-002")
    bezwaar_ops.volg_run(zaak)
    wait_for_wait(zaak, "hoorzitting-")
    afzien = {"handeling": "afzien", "grond_afzien": "indiener ziet af"}
    ops.hervat_zaak(zaak, (S.BEZWAAR_HOREN,), {"behandelaar": "b-002", **afzien})
    wait_for_wait(zaak, "beslissing-op-bezwaar-")
    gegrond = {"uitkomst": "gegrond", "onderbouwing": "De duur is te kort gekozen."}
    ops.hervat_zaak(
        zaak, (S.BEZWAAR_BESLISSEN,), {"behandelaar": "b-002", "peildatum": PEILDATUM, **gegrond}
    )
    wacht_key = wait_for_wait(zaak, "beoordeling-")
    z = ops.zaak_overzicht(zaak, log_read=False)
    assert z["bezwaar"]["uitkomst"] == "gegrond"
    assert "einde_beschikking" in {d["soort"] for d in z["deadlines"]}  # outlived the bezwaar

    ops.sweep(einde)
    z = wait_until(
        lambda: (
            (o := ops.zaak_overzicht(zaak, log_read=False))["beschikkingen"][0]["status"]
            == "beeindigd"
            and o
        ),
        what="the beschikking ended by its einde",
    )
    assert (z["status"], z["wacht_key"]) == ("beoordeling", wacht_key)
    assert "einde_beschikking" not in {d["soort"] for d in z["deadlines"]}
    wait_until(
        lambda: any(
            "bezwaar loopt door" in (m.get("message") or "").lower()
            for m in messages_for(aanbieders, zaak)
        ),
        60,
        what="the provider told the beschikking ended",
    )
    # The run still waits for the new besluit on the same form.
    assert wait_for_wait(zaak, "beoordeling-") == wacht_key
