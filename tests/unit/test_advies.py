"""The toets advises, a person decides (issue 12; Awb 4:5, 3:46; N 2025): which findings are
about completeness, and the advies with its one-line toelichting."""

from __future__ import annotations

import datetime as dt

import pytest

from models.bevinding import AARD, advies, is_volledigheid
from tests.factories import BSNS, aanvraag_dict, check_vooraf, toets_van, vragenlijst
from tests.unit.test_finding_codes import ALL_CODES, SCENARIOS

# Policies with a coulante maatwerkbeoordeling thuis (models/beleid/2025.2.toml, 2026.1).
COULANT = {"2025.2": dt.date(2025, 10, 1), "2026.1": dt.date(2026, 6, 1)}


def thuis_verlenging(overschrijding: float, peildatum: dt.date, **overrides) -> dict:
    return aanvraag_dict(
        soort="verlenging",
        client={"leveringsvorm": "pgb"},
        overschrijding=overschrijding,
        gevraagde_start=peildatum + dt.timedelta(days=30),
        **overrides,
    )


# --- the classification --------------------------------------------------------------------


def test_every_finding_code_the_toets_produces_is_classified():
    assert ALL_CODES <= set(AARD), sorted(ALL_CODES - set(AARD))
    for code, (aard, label, bron) in AARD.items():
        assert aard in ("volledigheid", "inhoud") and label and bron, code


def test_only_what_the_provider_must_supply_is_a_completeness_finding():
    """Awb 4:5 is for what the applicant can supply; the CIZ indicatie is a CIZ besluit, a
    content finding (R §5, §10; issue 26 point 9)."""
    volledigheid = {c for c in AARD if is_volledigheid(c)}
    assert volledigheid == {
        "VRAGENLIJST_ONVOLLEDIG",
        "CHECK_VOORAF_ONVOLLEDIG",
        "EVALUATIE_ONTBREEKT",
    }
    for inhoud in (
        "DREMPEL_NIET_GEHAALD",
        "PROFIEL_GEEN_MEERZORG",
        "VG7PLUS_GEEN_VERLENGING",
        "INDICATIE_HERAANVRAAG",
    ):
        assert not is_volledigheid(inhoud)


def test_an_unknown_code_counts_as_content_so_a_person_sees_it():
    assert not is_volledigheid("NIEUWE_CODE")


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_volledig_is_false_exactly_when_a_completeness_finding_is_present(code):
    _, data, peildatum = SCENARIOS[code]
    r = toets_van(data, peildatum) if peildatum else toets_van(data)
    assert r.volledig is not any(is_volledigheid(b.code) for b in r.bevindingen)
    assert r.public()["volledig"] is r.volledig


# --- the advies ------------------------------------------------------------------------------


def test_a_missing_vragenlijst_is_advised_aanvullen_naming_what_is_missing():
    r = toets_van(aanvraag_dict(vragenlijst=vragenlijst(inzet="")))
    assert not r.volledig and not r.ontvankelijk
    soort, tekst = r.advies
    assert soort == "aanvullen"
    assert tekst == "advies: aanvullen — vragenlijst of doelen onvolledig: inzet ontbreekt"


def test_an_incomplete_aanvraag_is_aanvullen_even_when_the_threshold_also_fails():
    r = toets_van(
        aanvraag_dict(overschrijding=0.1, check_vooraf=check_vooraf(client_betrokken=False))
    )
    soort, tekst = r.advies
    assert soort == "aanvullen" and "check vooraf niet afgerond: client_betrokken" in tekst
    assert "drempel" not in tekst  # the content is for the beoordelaar, later


def test_drempel_niet_gehaald_is_advised_afwijzen_with_the_percentage():
    r = toets_van(aanvraag_dict(overschrijding=0.192))
    assert r.volledig and not r.ontvankelijk
    assert r.advies == ("afwijzen", "advies: afwijzen — drempel niet gehaald, 19.2%")


def test_a_profile_without_meerzorg_is_advised_afwijzen():
    r = toets_van(aanvraag_dict(client={"zorgprofiel": "VG6"}))
    assert r.advies[0] == "afwijzen" and "zorgprofiel komt niet in aanmerking" in r.advies[1]


def test_r_9_a_capped_term_is_the_zorgkantoors_own_setting_not_bijstellen():
    """R §9: "De definitieve toekenningstermijn wordt door het zorgkantoor vastgesteld": a
    term capped to the maximum is set in the toekenning, not asked of the provider."""
    r = toets_van(aanvraag_dict(maanden=48))
    assert r.ontvankelijk and r.volledig
    assert r.advies == (
        "toekennen",
        "advies: toekennen — termijn door het zorgkantoor vastgesteld (R §9): termijn "
        "ingekort tot het maximum",
    )


def test_a_clean_aanvraag_is_advised_toekennen():
    r = toets_van(aanvraag_dict(overschrijding=0.5))
    assert r.advies == (
        "toekennen",
        "advies: toekennen — geen blokkerende bevindingen, overschrijding 50.0%",
    )


@pytest.mark.parametrize("versie", sorted(COULANT))
def test_n_2025_a_thuis_verlenging_below_the_threshold_names_the_coulante_beoordeling(versie):
    r = toets_van(thuis_verlenging(0.192, COULANT[versie]), COULANT[versie])
    assert r.beleidsversie == versie and r.volledig
    soort, tekst = r.advies
    assert soort == "afwijzen"
    assert tekst.startswith("advies: afwijzen — drempel niet gehaald, 19.2%")
    assert "coulante maatwerkbeoordeling" in tekst and "N 2025" in tekst
    assert "de beoordelaar beslist" in tekst


def test_before_the_memo_a_thuis_verlenging_has_no_coulance_in_the_advies():
    peildatum = dt.date(2025, 6, 1)  # 2025.1
    r = toets_van(thuis_verlenging(0.192, peildatum), peildatum)
    assert r.beleidsversie == "2025.1"
    assert r.advies == ("afwijzen", "advies: afwijzen — drempel niet gehaald, 19.2%")


def test_a_new_thuis_aanvraag_gets_no_coulance():
    peildatum = COULANT["2026.1"]
    r = toets_van(aanvraag_dict(client={"leveringsvorm": "pgb"}, overschrijding=0.192), peildatum)
    assert "coulant" not in r.advies[1]


def test_the_stepwise_thuis_toets_names_the_steps_it_did_not_reach():
    peildatum = COULANT["2026.1"]
    r = toets_van(aanvraag_dict(client={"leveringsvorm": "pgb", "zorgprofiel": "VG6"}), peildatum)
    soort, tekst = r.advies
    assert soort == "afwijzen" and "niet getoetst: volledigheid" in tekst


def test_the_advies_line_carries_no_bsn():
    r = toets_van(
        aanvraag_dict(overschrijding=0.1, check_vooraf=check_vooraf(indicatie_passend=False))
    )
    assert BSNS[0] not in r.advies[1] and BSNS[0] not in str(r.public()["advies_toelichting"])


def test_public_toets_keeps_its_keys_and_adds_the_advies():
    out = toets_van(aanvraag_dict(overschrijding=0.192)).public()
    assert out["ontvankelijk"] is False  # its stable meaning: a blocking finding
    assert out["volledig"] is True
    assert out["advies"] == "afwijzen"
    assert out["advies_toelichting"] == "advies: afwijzen — drempel niet gehaald, 19.2%"
    assert {"bevindingen", "overschrijding_pct", "termijn", "beleidsversie"} <= set(out)
    for b in out["bevindingen"]:
        assert set(b) == {"code", "ernst", "toelichting"}


def test_advies_of_no_findings_is_toekennen():
    assert advies([], 30.0)[0] == "toekennen"
