"""Motivation for every outcome (issue 26 point 2; Awb 3:46 deugdelijke motivering, 3:47 the
motivation in the besluit; N 2025 coulante maatwerkbeoordeling), models/motivering.py through
the run's handler (models/besluit.valideer_beoordeling). Pure rules: no database, no Prefect."""

from __future__ import annotations

import pytest

from models.beleid import beleid_op
from models.besluit import na_beoordeling, valideer_beoordeling
from models.engine import OngeldigeInvoer
from models.motivering import (
    MIN_AFWEGING,
    motiveringsproblemen,
    problemen_afweging,
    wijkt_af_van_advies,
)
from models.overgang import Stand, VoorlopigBesluit
from models.toets import toets
from models.toetsstappen import MeerzorgElders
from tests.factories import (
    BSNS,
    COULANTE_AFWEGING,
    PEILDATUM,
    aanvraag,
    afwijzen,
    check_vooraf,
    client_dict,
    d,
    toekennen,
)

PGB_VERLENGING = aanvraag(soort="verlenging", client=client_dict(0, leveringsvorm="pgb"))
AFWEGING = "Anders dan het advies: de zorgvraag is uitzonderlijk en tijdelijk, zie het plan."
ELDERS = {BSNS[0]: (MeerzorgElders("MZ-2025-000009", d("2025-01-01"), d("2026-12-31")),)}


def stand(a=None, status: str = "beoordeling", elders=None, **changes) -> Stand:
    """A zaak waiting for its assessor with the real toets of `a` on PEILDATUM."""
    a = a or aanvraag()
    base = dict(
        key="MZ-2026-000001",
        status=status,
        stap=1,
        ronde=1,
        aanvraag=a,
        ingediend_op=PEILDATUM,
        toets=toets(a, PEILDATUM, elders=elders).public(),
    )
    base.update(changes)
    return Stand(**base)


def weigert(s: Stand, invoer: dict, match: str) -> None:
    with pytest.raises(OngeldigeInvoer, match=match):
        valideer_beoordeling(s, invoer)


def besluit_van(s: Stand, invoer: dict) -> dict:
    return na_beoordeling(s, valideer_beoordeling(s, invoer), PEILDATUM).besluit


# --- the reproduction ------------------------------------------------------------------------


def test_n_2025_awb_3_46_an_afwijzing_with_x_against_toekennen_is_refused_not_coulant():
    """Issue 26: an afwijzing of a pgb verlenging against the advice "toekennen" with
    onderbouwing "x" and no pillar was accepted and recorded `coulant: true`, inflating the
    N 2025 figures. It is refused, and the reasons name each field and rule."""
    s = stand(PGB_VERLENGING)
    assert s.toets["advies"] == "toekennen" and beleid_op(PEILDATUM).toets.coulante_verlenging_thuis
    invoer = {"uitkomst": "afwijzen", "onderbouwing": "x", "beoordelaar": "b-001"}
    weigert(s, invoer, r"^afwijzen noemt de grond: .*\(R §10, Awb 3:46\)")
    velden = [p.veld for p in motiveringsproblemen(invoer, s.toets, coulante_beoordeling=True)]
    assert velden == ["uitkomst", "onderbouwing", "coulante_afweging"]


# --- an afwijzing names its grounds (Awb 3:46, 3:47) -------------------------------------------


def test_awb_3_46_an_afwijzing_without_a_failing_pillar_or_finding_is_refused():
    weigert(stand(), afwijzen(doelmatigheid="voldoet deels"), "afwijzen noemt de grond")


def test_awb_3_46_r_10_a_pillar_that_does_not_meet_carries_its_motivation():
    weigert(stand(), afwijzen(doelmatigheid_motivering=" "), "motiveer waarom de pijler doelm")


def test_awb_3_47_an_afwijzing_records_its_failing_pillar_with_its_motivation():
    record = besluit_van(stand(), afwijzen())
    assert record["gronden"] == [
        {
            "grond": "pijler doelmatigheid voldoet niet",
            "bron": "R §10",
            "motivering": "De basiszorg is niet op orde; eerst een verbeterplan.",
        }
    ]


def test_awb_3_47_r_10_an_afwijzing_on_the_advice_rests_on_the_toets_finding_and_its_rule():
    s = stand(aanvraag(overschrijding=0.1))
    assert s.toets["advies"] == "afwijzen"
    invoer = {"uitkomst": "afwijzen", "onderbouwing": "Drempel niet gehaald.", "beoordelaar": "b"}
    (grond,) = besluit_van(s, invoer)["gronden"]
    assert grond["grond"] == "drempel niet gehaald" and grond["bron"] == "R §10"
    assert "de drempel is 25%" in grond["motivering"]


# --- against the toets's advice: a weighing (Awb 3:46) -----------------------------------------


@pytest.mark.parametrize(
    ("advies", "uitkomst", "wijkt_af"),
    [
        ("toekennen", "afwijzen", True),
        ("toekennen", "bijstellen", True),
        ("afwijzen", "toekennen", True),
        ("bijstellen", "afwijzen", True),
        ("afwijzen", "bijstellen", False),  # e.g. waiting for the new CIZ indicatie
        ("bijstellen", "toekennen", False),  # the zorgkantoor sets the term itself (R §9)
        ("toekennen", "toekennen", False),
        ("afwijzen", "afwijzen", False),
    ],
)
def test_awb_3_46_which_outcomes_depart_from_the_advice(advies, uitkomst, wijkt_af):
    assert wijkt_af_van_advies(advies, uitkomst) is wijkt_af


@pytest.mark.parametrize(
    "onderbouwing",
    [
        "Basiszorg niet op orde, zie het gesprek met de locatie.",  # the advice not named
        "Afgewezen tegen het advies.",  # a token
    ],
)
def test_awb_3_46_an_afwijzing_against_toekennen_weighs_the_advice_it_departs_from(onderbouwing):
    weigert(stand(), afwijzen(onderbouwing=onderbouwing), r"advies 'toekennen'.*40 tekens")


def test_awb_3_46_a_weighing_naming_the_advice_is_accepted():
    tekst = afwijzen()["onderbouwing"]
    assert len(tekst) >= MIN_AFWEGING and "advies" in tekst
    assert besluit_van(stand(), afwijzen())["onderbouwing"] == tekst


def test_awb_3_46_bijstellen_against_the_advice_toekennen_needs_the_weighing_too():
    toetsdata = stand().toets
    (p,) = problemen_afweging({"uitkomst": "bijstellen", "onderbouwing": "Te hoog."}, toetsdata)
    assert p.veld == "onderbouwing" and "advies 'toekennen'" in p.reden
    weging = {"uitkomst": "bijstellen", "onderbouwing": AFWEGING}
    assert problemen_afweging(weging, toetsdata) == []


# --- a toekenning despite a blocking finding: onderbouwing and four eyes -----------------------

BLOKKEREND = {
    "PROFIEL_GEEN_MEERZORG": (aanvraag(client={"zorgprofiel": "VG6"}), None),
    "ANDERE_TOESLAGEN": (aanvraag(check_vooraf=check_vooraf(andere_toeslagen=True)), None),
    "DREMPEL_NIET_GEHAALD": (aanvraag(overschrijding=0.1), None),
    "OVERLAP_MEERZORG": (aanvraag(), ELDERS),
    "INDICATIE_HERAANVRAAG": (aanvraag(check_vooraf=check_vooraf(indicatie_passend=False)), None),
}


@pytest.mark.parametrize("code", sorted(BLOKKEREND))
def test_awb_3_46_a_toekenning_despite_a_blocking_finding_needs_a_weighing(code):
    a, elders = BLOKKEREND[code]
    s = stand(a, elders=elders)
    assert code in [b["code"] for b in s.toets["bevindingen"]]
    weigert(s, toekennen(), r"^toekennen ondanks '.*' vraagt een afweging .*\(vier ogen\)$")


@pytest.mark.parametrize("code", sorted(BLOKKEREND))
def test_r_10_a_toekenning_despite_a_blocking_finding_goes_to_a_second_beoordelaar(code):
    a, elders = BLOKKEREND[code]
    s = stand(a, elders=elders)
    o = na_beoordeling(s, valideer_beoordeling(s, toekennen(onderbouwing=AFWEGING)), PEILDATUM)
    assert o.status == "tweede_beoordeling" and not o.beschikkingen
    (voorlopig,) = o.alle(VoorlopigBesluit)
    assert code in voorlopig.besluit["ondanks_bevindingen"]
    tweede = stand(
        a, elders=elders, status="tweede_beoordeling", voorlopig_besluit=voorlopig.besluit
    )
    bevestigd = valideer_beoordeling(tweede, {"uitkomst": "toekennen", "beoordelaar": "b-002"})
    record = na_beoordeling(tweede, bevestigd, PEILDATUM).besluit
    assert record["tweede_beoordelaar"] == "b-002" and code in record["ondanks_bevindingen"]
    assert record["onderbouwing"] == AFWEGING


def test_a_toekenning_within_the_rules_needs_no_weighing_and_one_beoordelaar():
    o = na_beoordeling(stand(), valideer_beoordeling(stand(), toekennen()), PEILDATUM)
    assert o.status == "lopend" and "ondanks_bevindingen" not in o.besluit


# --- coulant only when the coulante weighing was recorded (N 2025) -----------------------------


def test_n_2025_an_afwijzing_of_a_thuis_verlenging_records_the_coulante_weighing():
    s = stand(PGB_VERLENGING)
    weigert(s, afwijzen(), r"coulant beoordeeld \(N 2025\): leg bij afwijzen")
    record = besluit_van(s, afwijzen(coulante_afweging=COULANTE_AFWEGING))
    assert record["coulant"] is True and record["coulante_afweging"] == COULANTE_AFWEGING


def test_n_2025_a_toekenning_of_a_thuis_verlenging_is_coulant_only_with_the_weighing():
    s = stand(PGB_VERLENGING)
    assert besluit_van(s, toekennen())["coulant"] is False
    assert besluit_van(s, toekennen(coulante_afweging=COULANTE_AFWEGING))["coulant"] is True


def test_n_2025_a_token_coulante_weighing_is_refused():
    weigert(stand(PGB_VERLENGING), afwijzen(coulante_afweging="coulant"), "te kort")


def test_n_2025_a_coulante_weighing_outside_a_thuis_verlenging_is_refused():
    weigert(stand(), toekennen(coulante_afweging=COULANTE_AFWEGING), "hoort alleen bij")


def test_every_reason_is_one_dutch_line_naming_its_source():
    s = stand(PGB_VERLENGING)
    invoer = {"uitkomst": "afwijzen", "onderbouwing": "x", "doelmatigheid": "voldoet niet"}
    problemen = motiveringsproblemen(invoer, s.toets, coulante_beoordeling=True)
    assert [p.veld for p in problemen] == [
        "doelmatigheid_motivering",
        "onderbouwing",
        "coulante_afweging",
    ]
    for p in problemen:
        assert "\n" not in p.reden and ("Awb" in p.reden or "N 2025" in p.reden)
