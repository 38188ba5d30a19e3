"""Every besluit within the rules (issue 12): the decided term and amount by the rules of the
toets, a real assessment (pillars, R §10 criteria, perspectief) and a rejected thuis
verlenging that plans the contact with the client. Pure rules: no database, no Prefect."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flows.driver import run_input
from models.beleid import beleid_op
from models.berichten import maak_bericht
from models.besluit import na_beoordeling, valideer_beoordeling, vier_ogen_nodig
from models.besluit_regels import CRITERIA
from models.engine import OngeldigeInvoer
from models.formulieren import Beoordeling
from models.formulieren_kaart import initial_data
from models.overgang import PIJLERS, Stand
from models.toets import toets
from tests.factories import (
    COULANTE_AFWEGING,
    PEILDATUM,
    START,
    aanvraag,
    afwijzen,
    client_dict,
    toekennen,
)


def stand(a=None, status: str = "beoordeling", **changes) -> Stand:
    """A zaak waiting for its assessor with the real toets of `a` on PEILDATUM."""
    a = a or aanvraag()
    base = dict(
        key="MZ-2026-000001",
        status=status,
        stap=1,
        ronde=1,
        aanvraag=a,
        ingediend_op=PEILDATUM,
        toets=toets(a, PEILDATUM).public(),
    )
    base.update(changes)
    return Stand(**base)


def weigert(s: Stand, invoer: dict, match: str) -> None:
    with pytest.raises(OngeldigeInvoer, match=match):
        valideer_beoordeling(s, invoer)


VG7_PLUS = aanvraag(client={"vg7_plus": True}, maanden=12)
PREVENTIEF = aanvraag(soort="preventief", maanden=6)


# --- the term and amount (R §7, §9; Awb 3:47) ------------------------------------------------


def test_a_complete_toekenning_within_the_rules_is_accepted_and_recorded():
    besluit = valideer_beoordeling(stand(), toekennen())
    assert besluit["start"] == START and besluit["bedrag_per_jaar"] is None
    assert besluit["pijlers"]["doelmatigheid"]["oordeel"] == "voldoet"
    assert all(besluit["criteria"][k] for k in CRITERIA)
    assert besluit["perspectief"]["evalueren_op"] == "2027-06-01"
    assert "korter_dan_gevraagd" not in besluit


def test_r_9_a_32_month_vg7_plus_decision_is_refused():
    eind = dt.date(2029, 2, 28)  # 32 months from 2026-07-01
    with pytest.raises(OngeldigeInvoer) as exc:
        valideer_beoordeling(stand(VG7_PLUS), toekennen(eind=eind))
    assert str(exc.value) == (
        "een VG7-plus-beschikking duurt ten hoogste 12 maanden (R §9); gekozen: 32 maanden"
    )


def test_r_9_a_decision_longer_than_36_months_is_refused():
    weigert(stand(), toekennen(eind="2029-07-01"), r"ten hoogste 36 maanden \(R §9\)")


def test_r_7_a_one_month_preventief_is_refused():
    invoer = toekennen(eind="2026-07-31", evalueren_op="2026-07-15", onderbouwing="Korter.")
    weigert(stand(PREVENTIEF), invoer, r"3 tot 6 maanden \(R §7\); gekozen: 1 maand$")


def test_r_7_a_preventief_of_four_months_with_a_reason_is_accepted():
    invoer = toekennen(eind="2026-10-31", evalueren_op="2026-10-01", onderbouwing="Doel in 4 mnd.")
    besluit = valideer_beoordeling(stand(PREVENTIEF), invoer)
    assert besluit["eind"] == dt.date(2026, 10, 31) and besluit["korter_dan_gevraagd"]


def test_zk_a_start_19_months_before_the_decision_is_refused():
    # The decision on PEILDATUM; the start 19 months earlier, before the aanvraag was complete.
    invoer = toekennen(start="2024-11-01", eind="2026-10-31", onderbouwing="x")
    weigert(stand(), invoer, r"geen terugwerkende kracht.*2026-06-01.*gekozen: 2024-11-01")


def test_an_end_before_the_start_is_refused():
    weigert(stand(), toekennen(eind="2026-06-30"), "ligt voor de start")


def test_the_term_never_runs_past_the_indicatie():
    a = aanvraag(client={"indicatie_einddatum": "2027-12-31"}, maanden=12)
    weigert(stand(a), toekennen(eind="2028-01-31"), r"niet langer dan de indicatie.*2027-12-31")


def test_awb_3_47_toekennen_with_a_shorter_term_and_no_onderbouwing_is_refused():
    weigert(stand(), toekennen(eind="2027-06-30"), r"kortere termijn.*\(Awb 3:47\)")
    besluit = valideer_beoordeling(stand(), toekennen(eind="2027-06-30", onderbouwing="Een jaar."))
    assert besluit["korter_dan_gevraagd"] is True


def test_awb_3_47_toekennen_with_a_lower_amount_and_no_onderbouwing_is_refused():
    s = stand()
    lager = s.toets["bedrag_per_jaar"] - 1000
    weigert(s, toekennen(bedrag_per_jaar=lager), r"lager bedrag.*\(Awb 3:47\)")
    besluit = valideer_beoordeling(s, toekennen(bedrag_per_jaar=lager, onderbouwing="Geen nacht."))
    assert besluit["lager_dan_rekentool"] is True


def test_a_term_cut_by_the_rules_is_not_less_than_asked():
    # Asked 24 months for VG7-plus; the toets caps it at 12 (R §9): the rule is the reason.
    a = aanvraag(client={"vg7_plus": True}, maanden=24)
    besluit = valideer_beoordeling(stand(a), toekennen())
    assert besluit["eind"] == dt.date(2027, 6, 30) and "korter_dan_gevraagd" not in besluit


def test_more_than_the_rekentool_needs_an_onderbouwing_and_four_eyes():
    s = stand()
    hoger = s.toets["bedrag_per_jaar"] + 5000
    weigert(s, toekennen(bedrag_per_jaar=hoger), "hoger bedrag.*onderbouwing")
    besluit = valideer_beoordeling(s, toekennen(bedrag_per_jaar=hoger, onderbouwing="Nachtzorg."))
    beleid = beleid_op(PEILDATUM)
    assert vier_ogen_nodig(s, besluit, beleid)
    assert not vier_ogen_nodig(s, valideer_beoordeling(s, toekennen()), beleid)
    o = na_beoordeling(s, besluit, PEILDATUM)
    assert o.status == "tweede_beoordeling" and not o.beschikkingen


def test_four_eyes_the_second_confirms_the_first_record_with_its_assessment():
    s = stand()
    hoger = s.toets["bedrag_per_jaar"] + 5000
    eerste = valideer_beoordeling(s, toekennen(bedrag_per_jaar=hoger, onderbouwing="Nachtzorg."))
    voorlopig = na_beoordeling(s, eerste, PEILDATUM).alle(object)[0].besluit
    tweede = stand(status="tweede_beoordeling", voorlopig_besluit=voorlopig)
    bevestigd = valideer_beoordeling(tweede, {"uitkomst": "toekennen", "beoordelaar": "b-002"})
    record = na_beoordeling(tweede, bevestigd, PEILDATUM).besluit
    assert record["tweede_beoordelaar"] == "b-002" and record["bedrag_per_jaar"] == hoger
    assert record["perspectief"] == eerste["perspectief"] and record["hoger_dan_rekentool"]


# --- a real assessment (R §10) ---------------------------------------------------------------


def test_r_10_toekennen_with_a_failing_pillar_is_refused():
    invoer = toekennen(doelmatigheid="voldoet niet")
    weigert(stand(), invoer, r"pijler doelmatigheid voldoet niet \(R §10\)")


def test_r_10_toekennen_needs_all_three_pillars_judged_and_motivated():
    weigert(stand(), toekennen(kwaliteit_van_leven="kies"), "oordeel over de pijler kwaliteit")
    weigert(stand(), toekennen(doelmatigheid_motivering=" "), "motiveer .* doelmatigheid")
    besluit = valideer_beoordeling(stand(), toekennen(doelmatigheid="voldoet deels"))
    assert besluit["pijlers"]["doelmatigheid"]["oordeel"] == "voldoet deels"


@pytest.mark.parametrize("criterium", list(CRITERIA))
def test_r_10_toekennen_needs_every_toetsingscriterium_answered_yes(criterium):
    weigert(stand(), toekennen(**{criterium: False}), f"'{CRITERIA[criterium]}' is niet met ja")


def test_r_10_toekennen_records_a_perspectief_evaluated_within_the_term():
    weigert(stand(), toekennen(perspectief_verwachting=""), "vul het perspectief in")
    weigert(stand(), toekennen(evalueren_op=""), "wanneer het perspectief")
    weigert(stand(), toekennen(evalueren_op="2029-01-01"), "binnen de termijn")


def test_afwijzen_needs_no_checklist_but_keeps_the_pillars_judged():
    invoer = {
        "uitkomst": "afwijzen",
        "onderbouwing": "Anders dan het advies toekennen: de basiszorg is niet op orde.",
        "beoordelaar": "b-001",
        "maatschappelijk_verantwoord": "voldoet niet",
        "maatschappelijk_verantwoord_motivering": "Andere opties niet benut.",
    }
    besluit = valideer_beoordeling(stand(), invoer)
    assert besluit["pijlers"] == {
        "maatschappelijk_verantwoord": {
            "oordeel": "voldoet niet",
            "motivering": "Andere opties niet benut.",
        }
    }


def test_the_besluit_record_serializes_as_json():
    o = na_beoordeling(stand(), valideer_beoordeling(stand(), toekennen()), PEILDATUM)
    record = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in o.besluit.items()}
    assert json.loads(json.dumps(record))["perspectief"]["evalueren_op"] == "2027-06-01"


# --- a rejected thuis verlenging (N 2025) ----------------------------------------------------


def test_n_2025_a_rejected_thuis_verlenging_plans_the_contact_with_the_client():
    thuis = aanvraag(soort="verlenging", client=client_dict(0, leveringsvorm="mpt"))
    s = stand(thuis)
    besluit = valideer_beoordeling(s, afwijzen("b", coulante_afweging=COULANTE_AFWEGING))
    o = na_beoordeling(s, besluit, PEILDATUM)
    from models.contact import overgang_uiterlijk

    # N 2025: by the end of the running beschikking (tests/unit/test_thuis_rules.py).
    uiterlijk = overgang_uiterlijk(s, PEILDATUM, beleid_op(PEILDATUM))
    assert o.besluit["contact_client_gepland"] is True
    assert o.besluit["contact_client_uiterlijk"] == uiterlijk
    (contact,) = [b for b in o.berichten if b.sjabloon == "contact_client_thuis"]
    assert contact.kanaal == "operations"
    onderwerp, tekst = maak_bericht(contact.sjabloon, zaak=s.key, **contact.context)
    assert "CL-001" in tekst and uiterlijk.isoformat() in tekst and "niet de zorgaanbieder" in tekst
    assert {"passende_overgang_thuis", "afwijzen"} <= {b.sjabloon for b in o.berichten}
    # The contacts are tasks for zorgkantoor staff, planned over the passende overgang.
    contacten = [t for t in o.termijnen if t.soort == "contact_na_afwijzing"]
    assert contacten and all(PEILDATUM < t.datum <= uiterlijk for t in contacten)
    assert {t.client_id for t in contacten} == {"CL-001"}


def test_a_rejected_verlenging_in_verblijf_plans_no_contact_moment():
    s = stand(aanvraag(soort="verlenging"))
    besluit = valideer_beoordeling(s, afwijzen("b"))
    o = na_beoordeling(s, besluit, PEILDATUM)
    assert "contact_client_gepland" not in o.besluit
    assert "contact_client_thuis" not in {b.sjabloon for b in o.berichten}


# --- the form (models/formulieren*.py) -------------------------------------------------------


def test_the_form_has_no_optional_unions_and_resumes_with_nothing():
    schema = Beoordeling.model_json_schema()
    assert all("anyOf" not in p for p in schema["properties"].values())
    assert all(p.get("title") for p in schema["properties"].values())
    assert Beoordeling().uitkomst == "kies"


def test_the_form_asks_every_pillar_criterium_and_the_perspectief_in_assessment_order():
    velden = list(Beoordeling.model_fields)
    for naam in (*PIJLERS, *(f"{p}_motivering" for p in PIJLERS), *CRITERIA):
        assert naam in velden
    volgorde = [
        "kwaliteit_van_leven",
        "zorg_en_context",
        "uitkomst",
        "onderbouwing",
        "start",
        "bedrag_per_jaar",
        "perspectief_verwachting",
        "beoordelaar",
    ]
    assert [velden.index(v) for v in volgorde] == sorted(velden.index(v) for v in volgorde)


def test_the_complete_toekenning_of_the_tests_is_a_valid_form():
    Beoordeling.model_validate(toekennen())  # extra="forbid": every key is a form field


def test_the_form_opens_with_the_term_amount_and_summary_of_the_toets():
    data = toets(aanvraag(), PEILDATUM).public()
    form = run_input(Beoordeling).with_initial_data(
        description="kaart", **initial_data("beoordeling", data)
    )
    velden = form.model_json_schema()["properties"]
    assert velden["start"]["default"] == START.isoformat()
    assert velden["start"]["title"] == "Start beschikking"  # the Dutch title survives
    assert velden["bedrag_per_jaar"]["default"] == data["bedrag_per_jaar"]
    samenvatting = velden["kwaliteit_van_leven"]["description"]
    assert "Overschrijding 50.0%" in samenvatting and "999990007" not in samenvatting
    assert form().uitkomst == "kies"  # a timer's {} still resumes it
    assert initial_data("herstel", data) == {}


def test_a_refused_answer_opens_the_next_form_with_its_reason_and_no_bsn():
    data = toets(aanvraag(), PEILDATUM).public()
    fout = "beoordelaar '999990007' is niet geregistreerd"
    veld = initial_data("beoordeling", data, fout)["kwaliteit_van_leven"]
    assert veld.description.startswith("**Invoer niet verwerkt:** beoordelaar '…'")
    assert "999990007" not in veld.description
