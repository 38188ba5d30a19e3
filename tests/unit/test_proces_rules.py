"""The zaak state machine (models/proces.py) by itself: given this stand and this event,
this transition. One test per rule, named after its source; no database, no Prefect."""

from __future__ import annotations

import datetime as dt

import pytest

from models.besluit import na_beoordeling, na_bezwaar, valideer_beoordeling
from models.engine import OngeldigeInvoer
from models.opvolging_regels import bij_deadline
from models.overgang import GESLOTEN, Stand
from models.proces import na_toets, volgende_stap
from tests.factories import PEILDATUM, aanvraag, vragenlijst


def stand(status: str = "beoordeling", **changes) -> Stand:
    a = changes.pop("aanvraag", None) or aanvraag()
    base = dict(
        key="MZ-2026-000001",
        status=status,
        stap=1,
        ronde=1,
        aanvraag=a,
        ingediend_op=PEILDATUM,
        toets={
            "termijn": {
                "start": a.gevraagde_start.isoformat(),
                "eind": a.gevraagde_eind.isoformat(),
            }
        },
    )
    base.update(changes)
    return Stand(**base)


def deadlines(overgang) -> dict[str, dt.date]:
    return {d.soort: d.datum for d in overgang.deadlines}


def test_awb_4_5_an_incomplete_aanvraag_gets_a_term_to_complete_it():
    onvolledig = aanvraag(vragenlijst=vragenlijst(inzet=""))
    o = na_toets(stand("geregistreerd", aanvraag=onvolledig, ronde=0), PEILDATUM)
    assert o.status == "herstel" and o.actie == "toets_niet_ontvankelijk"
    assert deadlines(o) == {"herstel_termijn": PEILDATUM + dt.timedelta(weeks=4)}
    assert [b.sjabloon for b in o.berichten] == ["niet_ontvankelijk"]


def test_awb_4_13_a_complete_aanvraag_waits_for_the_assessor_within_eight_weeks():
    o = na_toets(stand("geregistreerd", ronde=0), PEILDATUM)
    assert o.status == "beoordeling" and o.nieuwe_ronde
    termijn = PEILDATUM + dt.timedelta(weeks=8)
    (ontvangen,) = o.berichten
    assert ontvangen.context["beslistermijn"] == termijn.isoformat()
    assert deadlines(o)["beslistermijn_waarschuwing"] < termijn


def test_awb_3_47_afwijzen_and_bijstellen_need_an_onderbouwing():
    for uitkomst in ("afwijzen", "bijstellen"):
        with pytest.raises(OngeldigeInvoer, match="Awb 3:47"):
            valideer_beoordeling(stand(), {"uitkomst": uitkomst, "beoordelaar": "b-001"})


def test_r_10_the_cce_never_decides():
    with pytest.raises(OngeldigeInvoer, match="R §10"):
        valideer_beoordeling(
            stand(),
            {"uitkomst": "toekennen", "beoordelaar": "cce-1"},
            beoordelaars={"cce-1": "cce"},
        )


def test_four_eyes_the_second_beoordeling_is_by_someone_else():
    tweede = stand("tweede_beoordeling", voorlopig_besluit={"beoordelaar": "b-001"})
    with pytest.raises(OngeldigeInvoer, match="vier ogen"):
        valideer_beoordeling(tweede, {"uitkomst": "toekennen", "beoordelaar": "b-001"})


def test_awb_6_7_an_afwijzing_opens_a_bezwaartermijn_of_six_weeks():
    besluit = valideer_beoordeling(
        stand(),
        {"uitkomst": "afwijzen", "onderbouwing": "Basiszorg niet op orde.", "beoordelaar": "b"},
    )
    o = na_beoordeling(stand(), besluit, PEILDATUM)
    assert o.status == "bezwaartermijn" and o.besluit["uitkomst"] == "afwijzen"
    assert deadlines(o) == {"bezwaartermijn_einde": PEILDATUM + dt.timedelta(weeks=6)}


def test_awb_6_7_a_bezwaar_within_the_term_reopens_the_assessment():
    o = na_bezwaar(
        stand("bezwaartermijn"), {"bezwaar": True, "toelichting": "Plan gereed."}, PEILDATUM
    )
    assert o.status == "beoordeling" and o.nieuwe_ronde
    with pytest.raises(OngeldigeInvoer):
        na_bezwaar(stand("lopend"), {"bezwaar": True}, PEILDATUM)


def test_awb_6_7_the_bezwaartermijn_passing_closes_the_zaak_as_afgewezen():
    o = bij_deadline(stand("bezwaartermijn"), "bezwaartermijn_einde", PEILDATUM, None)
    assert o.status == "afgewezen" and o.status in GESLOTEN


def test_awb_4_5_no_completion_within_the_term_puts_it_buiten_behandeling():
    o = bij_deadline(stand("herstel"), "herstel_termijn", PEILDATUM, None)
    assert o.status == "buiten_behandeling" and o.status in GESLOTEN


def test_a_timer_of_a_wait_the_zaak_has_left_does_nothing():
    assert bij_deadline(stand("beoordeling"), "herstel_termijn", PEILDATUM, None) is None
    assert bij_deadline(stand("lopend"), "bezwaartermijn_einde", PEILDATUM, None) is None


def test_r_9_vg7_plus_herbeoordeling_starts_a_passende_overgang_not_a_verlenging():
    vg7 = aanvraag(
        clienten=[
            {
                **aanvraag().model_dump(mode="json")["clienten"][0],
                "zorgprofiel": "VG7",
                "vg7_plus": True,
            }
        ]
    )
    o = bij_deadline(stand("lopend", aanvraag=vg7), "herbeoordeling_start", PEILDATUM, None)
    assert o.status == "passende_overgang"
    o = bij_deadline(stand("lopend"), "herbeoordeling_start", PEILDATUM, None)
    assert o.status == "herbeoordeling"


def test_a_closed_zaak_has_no_next_step_and_a_waiting_one_a_stable_key():
    for status in GESLOTEN:
        assert volgende_stap(status, 3).soort == "klaar"
    assert volgende_stap("beoordeling", 2).key == "beoordeling-2"
    assert volgende_stap("geregistreerd", 0).soort == "actie"
