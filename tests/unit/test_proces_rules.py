"""The zaak state machine (models/proces.py) by itself: given this stand and this event,
this transition. One test per rule, named after its source; no database, no Prefect."""

from __future__ import annotations

import datetime as dt

import pytest

from models.beleid import beleid_op
from models.berichten import maak_bericht
from models.besluit import na_beoordeling, valideer_beoordeling
from models.engine import OngeldigeInvoer
from models.overgang import GESLOTEN, BeslistermijnOpgeschort, BesluitVastgelegd, Stand
from models.planner import beslistermijn_einde
from models.proces import na_herstel, na_toets, volgende_stap
from models.toets import toets
from models.werkvoorraad import WachtendeZaak, werkvoorraad
from models.zaak_termijnen import bij_deadline
from tests.factories import PEILDATUM, aanvraag, aanvraag_dict, afwijzen, vragenlijst


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
    besluit = valideer_beoordeling(stand(), afwijzen("b"))
    o = na_beoordeling(stand(), besluit, PEILDATUM)
    assert o.status == "bezwaartermijn" and o.besluit["uitkomst"] == "afwijzen"
    # Awb 6:8: the six weeks run from the day after the letters were made known, so the
    # decision itself plans no end (models/db/brieven.bekendgemaakt does, on delivery).
    assert "bezwaartermijn_einde" not in deadlines(o)
    assert [b.bijlage for b in o.berichten if b.sjabloon == "afwijzen"] == [True]


def test_awb_6_7_the_bezwaartermijn_passing_closes_the_zaak_as_afgewezen():
    o = bij_deadline(stand("bezwaartermijn"), "bezwaartermijn_einde", PEILDATUM, None)
    assert o.status == "afgewezen" and o.status in GESLOTEN


def test_awb_4_5_no_completion_within_the_term_puts_it_buiten_behandeling():
    o = bij_deadline(stand("herstel"), "herstel_termijn", PEILDATUM, None)
    assert o.status == "buiten_behandeling" and o.status in GESLOTEN
    assert o.besluit["uitkomst"] == "buiten_behandeling"


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


# --- issue 12: the toets advises; only an incomplete aanvraag goes to herstel (Awb 4:5) ------


def thuis_verlenging(peildatum: dt.date, overschrijding: float = 0.192):
    return aanvraag(
        soort="verlenging",
        client={"leveringsvorm": "pgb"},
        overschrijding=overschrijding,
        gevraagde_start=peildatum + dt.timedelta(days=30),
    )


def test_awb_4_5_drempel_niet_gehaald_reaches_the_beoordelaar_with_advies_afwijzen():
    o = na_toets(
        stand("geregistreerd", aanvraag=aanvraag(overschrijding=0.192), ronde=0), PEILDATUM
    )
    assert o.status == "beoordeling" and o.nieuwe_ronde
    assert o.toets["ontvankelijk"] is False and o.toets["volledig"] is True
    assert o.toets["advies"] == "afwijzen"
    assert o.toets["advies_toelichting"] == "advies: afwijzen — drempel niet gehaald, 19.2%"
    assert "herstel_termijn" not in deadlines(o)


@pytest.mark.parametrize("peildatum", [dt.date(2025, 10, 1), dt.date(2026, 6, 1)])
def test_n_2025_a_thuis_verlenging_at_19_2_percent_reaches_the_assessor_with_coulance(peildatum):
    o = na_toets(stand("geregistreerd", aanvraag=thuis_verlenging(peildatum), ronde=0), peildatum)
    assert o.toets["beleidsversie"] == {2025: "2025.2", 2026: "2026.1"}[peildatum.year]
    assert o.status == "beoordeling"
    assert o.toets["advies"] == "afwijzen"
    assert "19.2%" in o.toets["advies_toelichting"]
    assert "coulante maatwerkbeoordeling" in o.toets["advies_toelichting"]


@pytest.mark.parametrize(
    "wijziging",
    [
        {"client": {"zorgprofiel": "VG6"}},
        {"client": {"zorgprofiel": "VG7", "vg7_plus": True}, "soort": "verlenging"},
        {"check_vooraf": {**aanvraag_dict()["check_vooraf"], "andere_toeslagen": True}},
    ],
    ids=["profiel", "vg7plus-verlenging", "andere-toeslagen"],
)
def test_awb_4_5_a_blocking_content_finding_is_advice_not_herstel(wijziging):
    o = na_toets(stand("geregistreerd", aanvraag=aanvraag(**wijziging), ronde=0), PEILDATUM)
    assert o.status == "beoordeling" and o.toets["advies"] == "afwijzen"


def test_awb_4_5_the_herstel_message_lists_only_what_is_missing():
    onvolledig = aanvraag(overschrijding=0.1, vragenlijst=vragenlijst(gewenste_situatie=""))
    o = na_toets(stand("geregistreerd", aanvraag=onvolledig, ronde=0), PEILDATUM)
    assert o.status == "herstel" and o.toets["advies"] == "aanvullen"
    (bericht,) = o.berichten
    tekst = bericht.context["bevindingen"]
    assert "VRAGENLIJST_ONVOLLEDIG" in tekst and "gewenste_situatie" in tekst
    assert "DREMPEL" not in tekst
    onderwerp, volledig = maak_bericht(
        "niet_ontvankelijk", zaak="MZ-2026-000001", **bericht.context
    )
    assert "aanvulling nodig" in onderwerp and "Awb 4:15" in volledig


def test_awb_4_5_not_completed_in_time_is_a_besluit_with_onderbouwing_and_bezwaar_clause():
    onvolledig = aanvraag(vragenlijst=vragenlijst(inzet=""))
    herstel = stand(
        "herstel",
        aanvraag=onvolledig,
        ronde=0,
        toets=toets(onvolledig, PEILDATUM).public(),
    )
    datum = PEILDATUM + dt.timedelta(weeks=4)
    o = bij_deadline(herstel, "herstel_termijn", datum, None)
    assert o.status == "buiten_behandeling" and o.nieuwe_ronde
    b = o.besluit
    assert (b["uitkomst"], b["datum"], b["ronde"]) == ("buiten_behandeling", datum, 1)
    assert b["beoordelaar"] == "deadline-sweep" and b["beleidsversie"] == "2026.1"
    assert "inzet ontbreekt" in b["onderbouwing"] and "4:5 Awb" in b["onderbouwing"]
    (bericht,) = o.berichten
    # Awb 6:8: no end date in the message: the term runs from the letter's bekendmaking, and
    # the message carries that letter, with its clause (Awb 3:45), as its attachment.
    assert "bezwaar_uiterlijk" not in bericht.context and bericht.bijlage
    _, tekst = maak_bericht("buiten_behandeling", zaak="MZ-2026-000001", **bericht.context)
    assert "bezwaar" in tekst and "Awb 6:7" in tekst and "bijlage" in tekst
    # The motivation is in the letter attached, not in the notification (no free text there).
    assert "inzet ontbreekt" not in tekst


def test_r_10_awb_4_5_a_bijstelling_not_resubmitted_in_time_goes_to_a_person_not_4_5():
    """A herstel term planned in a bijstelling before issue 26 no longer puts the complete
    aanvraag buiten behandeling by itself (Awb 4:5 is for an incomplete aanvraag, and a
    power a person exercises): the zaak returns to the beoordelaar, no besluit is taken."""
    o = bij_deadline(stand("bijstelling", ronde=2), "herstel_termijn", PEILDATUM, None)
    assert o.status == "beoordeling" and o.actie == "bijstelling_niet_ontvangen"
    assert o.besluit is None and o.een(BesluitVastgelegd) is None


def test_awb_4_15_the_days_in_herstel_move_the_beslistermijn():
    herstel = stand(
        "herstel",
        ronde=0,
        wacht_sinds=PEILDATUM,
        aanvraag=aanvraag(vragenlijst=vragenlijst(inzet="")),
    )
    aangevuld = PEILDATUM + dt.timedelta(days=10)
    o = na_herstel(herstel, aanvraag().model_dump(mode="json"), aangevuld)
    assert o.status == "beoordeling"
    assert o.een(BeslistermijnOpgeschort) == BeslistermijnOpgeschort(10)
    (ontvangen,) = o.berichten
    verwacht = PEILDATUM + dt.timedelta(weeks=8, days=10)
    assert ontvangen.context["beslistermijn"] == verwacht.isoformat()


def test_awb_4_15_a_resubmission_still_incomplete_suspends_on_without_counting_twice():
    onvolledig = aanvraag(vragenlijst=vragenlijst(inzet=""))
    herstel = stand("herstel", ronde=0, wacht_sinds=PEILDATUM, aanvraag=onvolledig)
    o = na_herstel(herstel, onvolledig.model_dump(mode="json"), PEILDATUM + dt.timedelta(days=5))
    assert o.status == "herstel" and o.een(BeslistermijnOpgeschort) is None


def test_awb_4_15_a_bijstelling_without_consent_does_not_suspend_the_beslistermijn():
    bijstelling = stand("bijstelling", wacht_sinds=PEILDATUM)
    o = na_herstel(
        bijstelling, aanvraag().model_dump(mode="json"), PEILDATUM + dt.timedelta(days=9)
    )
    assert o.status == "beoordeling" and o.een(BeslistermijnOpgeschort) is None


def test_awb_4_15_the_beslistermijn_waarschuwing_and_werkvoorraad_count_the_suspension():
    beleid = beleid_op(PEILDATUM)
    assert beslistermijn_einde(PEILDATUM, beleid, 10) == PEILDATUM + dt.timedelta(weeks=8, days=10)
    assert beslistermijn_einde(PEILDATUM, beleid) == PEILDATUM + dt.timedelta(weeks=8)
    o = bij_deadline(stand(opgeschort_dagen=10), "beslistermijn_waarschuwing", PEILDATUM, None)
    assert o.berichten[0].context["beslistermijn"] == "2026-08-06"
    zaak = WachtendeZaak(
        key="MZ-2026-000001",
        status="beoordeling",
        wacht_op="beoordeling",
        ingediend_op=PEILDATUM,
        wacht_sinds=PEILDATUM,
        beleidsversie="2026.1",
        opgeschort_dagen=10,
    )
    (rij,) = werkvoorraad([zaak], [], PEILDATUM)
    assert (rij.termijn, rij.termijn_datum) == ("beslistermijn", dt.date(2026, 8, 6))
