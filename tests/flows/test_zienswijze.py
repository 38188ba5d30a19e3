"""A rejected thuis verlenging against a real Prefect server, runner and notification sink
(issue 26 points 3 and 6): the afwijzing is first a voornemen with a zienswijze (Awb 4:8),
then the besluit; the passende overgang is due when the running beschikking ends, and the
zorgkantoor's contact with the client goes on until a contact finds the situation
verantwoord after that end (N 2025)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from models.contact import NA_AFWIJZING
from tests.flows.conftest import wait_for_wait, wait_until
from tests.flows.zienswijze_stap import geef_zienswijze

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PEILDATUM = dt.date(2026, 11, 22)
CLIENT = "ANKER-003"
pytestmark = pytest.mark.usefixtures("aanbieders")


def momenten(z: dict) -> list[str]:
    return sorted(d["datum"] for d in z["deadlines"] if d["soort"] == NA_AFWIJZING)


def test_a_rejected_thuis_verlenging_with_a_zienswijze_a_passende_overgang_and_contact_until_verantwoord(
    aanbieders,
):
    from deployments import operations as ops
    from tasks import opvolging

    sink = aanbieders
    data = json.loads((EXAMPLES / "aanvraag-thuis-pgb.json").read_text())
    data["provider_referentie"] = "FLOW-ZIENSWIJZE"
    data["clienten"][0]["correspondentie"]["kanaal"] = sink.url + "zienswijze-client"
    zaak = ops.indienen(json.dumps(data), PEILDATUM)["zaak"]
    wait_for_wait(zaak, "beoordeling-")
    afwijzen = {
        "uitkomst": "afwijzen",
        "doelmatigheid": "voldoet niet",
        "doelmatigheid_motivering": "De nachtzorg past binnen het zorgprofiel.",
        "onderbouwing": "Anders dan het advies (toekennen): de nachtzorg past in het profiel.",
        "coulante_afweging": "Coulant gewogen: ook met maatwerk past de zorg in het profiel.",
        "beoordelaar": "b-001",
        "peildatum": PEILDATUM,
    }
    # Awb 4:8: a voornemen first, as a letter to the client; no besluit yet.
    assert ops.beoordeel(zaak, afwijzen)["verwerkt"] is True
    z = ops.zaak_overzicht(zaak, log_read=False)
    assert (z["status"], z["zienswijze"]["status"], z["besluiten"]) == ("zienswijze", "open", [])
    wait_until(
        lambda: any(
            r["path"] == "/zienswijze-client" and r["title"].startswith("Brief")
            for r in sink.received
        ),
        60,
        what="the voornemen's letter to the client",
    )
    z = geef_zienswijze(zaak, "b-001", PEILDATUM, "De ouders: nachtelijk toezicht is nodig.")
    assert (z["zienswijze"]["status"], z["zienswijze"]["van"]) == ("gegeven", "zorgaanbieder")
    assert ops.beoordeel(zaak, afwijzen)["verwerkt"] is True
    z = wait_until(
        lambda: (
            (o := ops.zaak_overzicht(zaak, log_read=False))["besluiten"]
            and o["besluiten"][-1]["uiterlijke_reactiedatum"]
            and o
        ),
        what="the besluit's letters made known",
    )
    assert z["status"] == "bezwaartermijn" and z["besluiten"][-1]["soort"] == "afwijzing"
    # N 2025: the overgang is due when the running beschikking ends (the day before the
    # verlenging's start), the first contact within two weeks.
    einde = dt.date.fromisoformat(data["gevraagde_start"]) - dt.timedelta(days=1)
    assert {
        "soort": "passende_overgang_uiterlijk",
        "datum": einde.isoformat(),
        "client_id": None,
    } in (z["deadlines"])
    assert momenten(z) == [(PEILDATUM + dt.timedelta(weeks=2)).isoformat()]

    # After the bezwaartermijn: the passende overgang; the contact moments kept coming.
    na_termijn = dt.date.fromisoformat(z["besluiten"][-1]["uiterlijke_reactiedatum"])
    na_termijn += dt.timedelta(days=1)
    ops.sweep(na_termijn)
    wait_for_wait(zaak, "passende-overgang-")
    # A contact found it verantwoord while the beschikking still ran: the contact goes on.
    opvolging.registreer_contact(zaak, CLIENT, einde, "Situatie verantwoord.", "b-001")
    later = max(dt.date.fromisoformat(d) for d in momenten(ops.zaak_overzicht(zaak, False)))
    ops.sweep(later)
    z = ops.zaak_overzicht(zaak, log_read=False)
    assert momenten(z) and min(momenten(z)) > later.isoformat(), "the contact went on"
    # Verantwoord after the beschikking ended: the next moment plans nothing more.
    na_einde = later
    opvolging.registreer_contact(zaak, CLIENT, na_einde, "Zorg thuis geregeld.", "b-001")
    ops.sweep(dt.date.fromisoformat(min(momenten(z))))
    assert momenten(ops.zaak_overzicht(zaak, log_read=False)) == []
    # The overgang arranged: the zaak closes as afgewezen.
    ops.hervat_zaak(
        zaak,
        ("passende_overgang",),
        {
            "geregeld": True,
            "toelichting": "Overgang naar pgb zonder meerzorg.",
            "ingediend_door": "b-001",
            "peildatum": na_einde,
        },
    )
    assert ops.zaak_overzicht(zaak, log_read=False)["status"] == "afgewezen"
