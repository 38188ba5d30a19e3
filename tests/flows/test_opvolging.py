"""Re-evaluation before expiry through the real server: the sweep starts the herbeoordeling,
the provider's evaluation with a verlenging starts a new lifecycle linked to the old zaak."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import toekennen
from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until
from tests.flows.test_lifecycle import PEILDATUM, indienen, individueel

pytestmark = pytest.mark.usefixtures("aanbieders")


def test_evaluation_with_verlenging_starts_a_linked_lifecycle_and_marks_a_good_example(aanbieders):
    from deployments import operations as ops
    from deployments.cli_opvolging import hervat_zaak
    from tasks.opvolging import goede_voorbeelden

    data = individueel("FLOW-VERLENGING", "LINDE-120", "999990160")
    data["gevraagde_start"], data["gevraagde_eind"] = "2027-01-01", "2027-12-31"
    zaak, _ = indienen(data)
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(zaak, toekennen("b-001", peildatum=PEILDATUM))
    wait_for_wait(zaak, "einde-beschikking-")
    ops.sweep(dt.date(2027, 6, 30))
    wait_for_wait(zaak, "evaluatie-")

    verlenging = individueel("FLOW-VERLENGING-2", "LINDE-120", "999990160")
    verlenging["gevraagde_start"], verlenging["gevraagde_eind"] = "2028-01-01", "2029-12-31"
    result = hervat_zaak(
        zaak,
        ("herbeoordeling",),
        {
            "doelen_behaald": "behaald",
            "toelichting": "Doelen gehaald.",
            "verlenging": verlenging,
            "peildatum": "2027-07-01",
        },
    )
    assert result["verwerkt"] and result["status"] == "lopend"
    assert [v["zaak"] for v in goede_voorbeelden()] == [zaak]

    def vervolg():
        from sqlmodel import select

        from models.db.store import session_scope
        from models.db.tables import Zaak

        with session_scope() as session:
            z = session.exec(select(Zaak).where(Zaak.vorige_zaak == zaak)).first()
            return z.key if z is not None and z.flow_run_id else None

    nieuw = wait_until(vervolg, 90, what="the linked verlenging zaak and its run")
    wait_for_wait(nieuw, "beoordeling-")
    z = wait_for_status(nieuw, "beoordeling")
    assert z["ontvankelijk"] is True
