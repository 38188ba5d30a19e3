"""For the flow tests of an afwijzing that needs a zienswijze first (Awb 4:7, 4:8;
models/zienswijze.py): the run waits on the zienswijze's form; a zienswijze entered on it
returns the zaak to the assessor's form."""

from __future__ import annotations

import datetime as dt

from tests.flows.conftest import wait_for_wait


def geef_zienswijze(zaak: str, medewerker: str, dag: dt.date, samenvatting: str) -> dict:
    """The provider's zienswijze, recorded by `medewerker` on the run's form; returns the
    zaak as `meerzorg zaak` shows it once the assessor's form is back."""
    from deployments import operations as ops

    wait_for_wait(zaak, "zienswijze-")
    ops.hervat_zaak(
        zaak,
        ("zienswijze",),
        {
            "ontvangen": dag.isoformat(),
            "van": "zorgaanbieder",
            "samenvatting": samenvatting,
            "ingediend_door": medewerker,
            "peildatum": dag,
        },
    )
    wait_for_wait(zaak, "beoordeling-")
    return ops.zaak_overzicht(zaak, log_read=False)


def afwijzen_na_zienswijze(zaak: str, formulier: dict) -> dict:
    """The assessor's afwijzing of a thuis verlenging: the voornemen, the provider's
    zienswijze, and the same afwijzing again, now the besluit."""
    from deployments import operations as ops

    assert ops.beoordeel(zaak, formulier)["verwerkt"] is True
    geef_zienswijze(zaak, formulier["beoordelaar"], formulier["peildatum"], "Nachtzorg nodig.")
    return ops.beoordeel(zaak, formulier)
