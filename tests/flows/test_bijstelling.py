"""Bijstellen with no adjusted aanvraag reaching a person's decision (issue 26 point 1),
against the real Prefect server, runner and notification sink: the sweep fires the
bijstelling's term, the zaak lands at the beoordelaar (never an automatic 4:5), she
decides afwijzen, and a besluit with its letter results."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.flows.conftest import wait_for_status, wait_for_wait, wait_until
from tests.flows.test_lifecycle import PEILDATUM, indienen, individueel, messages_for

pytestmark = pytest.mark.usefixtures("aanbieders")


def test_r_10_awb_4_5_bijstellen_without_an_adjusted_aanvraag_reaches_a_persons_afwijzing(
    aanbieders,
):
    from deployments import operations as ops

    zaak, _ = indienen(individueel("FLOW-BIJSTELLING-STIL", "LINDE-110", "999990184"))
    wait_for_wait(zaak, "beoordeling-")
    ops.beoordeel(
        zaak,
        {
            "uitkomst": "bijstellen",
            "onderbouwing": "Anders dan het advies (toekennen) van de toets: de nachtzorg is "
            "ruimer dan de zorgvraag vraagt.",
            "bijstelling_weken": 2,
            "instemming_opschorting": True,  # Awb 4:15 lid 2 sub a
            "beoordelaar": "b-001",
            "peildatum": PEILDATUM,
        },
    )
    wait_for_wait(zaak, "bijstelling-")
    uiterlijk = PEILDATUM + dt.timedelta(weeks=2)

    ops.sweep(uiterlijk)  # nothing came: the sweep fires the term
    wait_for_wait(zaak, "beoordeling-")
    z = ops.zaak_overzicht(zaak, log_read=False)
    assert (z["status"], z["wacht_op"]) == ("beoordeling", "beoordeling")
    assert z["bijstelling"]["niet_ontvangen_op"] == uiterlijk.isoformat()
    assert z["bijstelling"]["instemming_opschorting"] is True
    assert [b["uitkomst"] for b in z["besluiten"]] == ["bijstellen"]  # no 4:5 besluit

    ops.beoordeel(
        zaak,
        {
            "uitkomst": "afwijzen",
            "doelmatigheid": "voldoet niet",
            "doelmatigheid_motivering": "De nachtzorg is ruimer dan de zorgvraag; niet bijgesteld.",
            "onderbouwing": "Anders dan het advies (toekennen) van de toets: de gevraagde "
            "bijstelling kwam niet en de aanvraag zoals zij er ligt is niet doelmatig.",
            "beoordelaar": "b-001",
            "peildatum": uiterlijk,
        },
    )
    z = wait_for_status(zaak, "bezwaartermijn")
    verzoek, afwijzing = z["besluiten"]
    assert (afwijzing["uitkomst"], afwijzing["soort"]) == ("afwijzen", "afwijzing")
    assert afwijzing["datum"] == uiterlijk.isoformat() and afwijzing["beoordelaar"] == "b-001"
    assert afwijzing["geadresseerden"] and afwijzing["document"]["brieven"] >= 1
    wait_until(
        lambda: any("afgewezen" in (m["title"] or "") for m in messages_for(aanbieders, zaak)),
        60,
        what="the afwijzing's notification",
    )
    titels = [m["title"] for m in messages_for(aanbieders, zaak)]
    assert any("geen bijgestelde aanvraag ontvangen" in t for t in titels)
