"""Every finding code the toets can produce is produced by at least one scenario here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import models.toets
import models.toetsstappen
from models.aanvraag import parse_aanvraag
from models.toets import toets
from models.toetsstappen import MeerzorgElders
from tests.factories import (
    BSNS,
    PEILDATUM,
    aanvraag_dict,
    check_vooraf,
    d,
    groep_dict,
    traject,
    uren,
)

# DOMAIN.md "Stable interfaces".
DOMAIN_CODES = {
    "PROFIEL_GEEN_MEERZORG",
    "DREMPEL_NIET_GEHAALD",
    "TERMIJN_TE_LANG",
    "PREVENTIEF_TERMIJN",
    "GROEP_TE_KLEIN",
    "CHECK_VOORAF_ONVOLLEDIG",
    "VRAGENLIJST_ONVOLLEDIG",
    "EVALUATIE_ONTBREEKT",
    "VG7PLUS_GEEN_VERLENGING",
    "ANDERE_TOESLAGEN",
    "INDICATIE_HERAANVRAAG",
    "EIND_NA_INDICATIE",
    "ONTWIKKELTRAJECT_ONTBREEKT",
}
# Added in models/toets.py and models/toetsstappen.py.
EXTRA_CODES = {
    "START_IN_VERLEDEN",
    "MAATWERK",
    "COULANTE_MAATWERKBEOORDELING",
    "TOETS_GESTOPT",
    "LVHC_VOORWAARDEN",
    "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND",
    "CCE_CONSULTATIE_NIET_OVERWOGEN",
    # Issue 26: needs the client's running meerzorg elsewhere (ELDERS below).
    "OVERLAP_MEERZORG",
}
ALL_CODES = DOMAIN_CODES | EXTRA_CODES

THUIS = {"leveringsvorm": "pgb"}

# code -> (expected ernst, aanvraag dict, peildatum)
SCENARIOS = {
    "PROFIEL_GEEN_MEERZORG": ("blokkerend", aanvraag_dict(client={"zorgprofiel": "VG6"}), None),
    "DREMPEL_NIET_GEHAALD": ("blokkerend", aanvraag_dict(overschrijding=0.1), None),
    "TERMIJN_TE_LANG": ("aanpassing", aanvraag_dict(maanden=40), None),
    "PREVENTIEF_TERMIJN": ("blokkerend", aanvraag_dict(soort="preventief", maanden=1), None),
    "GROEP_TE_KLEIN": ("blokkerend", groep_dict(1), None),
    "CHECK_VOORAF_ONVOLLEDIG": (
        "blokkerend",
        aanvraag_dict(check_vooraf=check_vooraf(basiszorg_op_orde=False)),
        None,
    ),
    "VRAGENLIJST_ONVOLLEDIG": ("blokkerend", aanvraag_dict(doelen=[]), None),
    "EVALUATIE_ONTBREEKT": (
        "blokkerend",
        aanvraag_dict(soort="verlenging", evaluatie_vorige_periode=None),
        None,
    ),
    "VG7PLUS_GEEN_VERLENGING": (
        "blokkerend",
        aanvraag_dict(soort="verlenging", client={"vg7_plus": True}, maanden=12),
        None,
    ),
    "ANDERE_TOESLAGEN": (
        "blokkerend",
        aanvraag_dict(check_vooraf=check_vooraf(andere_toeslagen=True)),
        None,
    ),
    "INDICATIE_HERAANVRAAG": (
        "blokkerend",
        aanvraag_dict(client={"indicatie_einddatum": "2026-01-31"}),
        None,
    ),
    "EIND_NA_INDICATIE": (
        "aanpassing",
        aanvraag_dict(client={"indicatie_einddatum": "2027-01-31"}),
        None,
    ),
    "ONTWIKKELTRAJECT_ONTBREEKT": ("signaal", aanvraag_dict(soort="verlenging"), None),
    "START_IN_VERLEDEN": ("aanpassing", aanvraag_dict(gevraagde_start="2026-02-01"), None),
    "MAATWERK": ("signaal", aanvraag_dict(context_middelen_per_jaar=200_000), None),
    "COULANTE_MAATWERKBEOORDELING": (
        "signaal",
        aanvraag_dict(
            soort="verlenging",
            client={**THUIS, "ontwikkeltrajecten": [traject("2025-03-03", "2025-06-02")]},
        ),
        d("2025-09-01"),
    ),
    "TOETS_GESTOPT": (
        "signaal",
        aanvraag_dict(client=THUIS, uren_per_week=uren(begeleiding=1)),
        d("2026-03-01"),
    ),
    "LVHC_VOORWAARDEN": ("signaal", aanvraag_dict(client={"lvhc": True}), None),
    "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND": (
        "signaal",
        aanvraag_dict(client={"ontwikkeltrajecten": [traject("2024-12-02", "2025-01-13")]}),
        None,
    ),
    "CCE_CONSULTATIE_NIET_OVERWOGEN": (
        "signaal",
        aanvraag_dict(check_vooraf=check_vooraf(cce_consultatie_overwogen=False)),
        None,
    ),
    # The default client (BSNS[0]) holds meerzorg in another zaak until the end of 2026.
    "OVERLAP_MEERZORG": ("blokkerend", aanvraag_dict(), None),
}

# The facts a code needs beyond the aanvraag: per BSN, the running meerzorg elsewhere.
ELDERS = {
    "OVERLAP_MEERZORG": {
        BSNS[0]: (MeerzorgElders("MZ-2025-000007", d("2025-01-01"), d("2026-12-31")),)
    },
}


def _run(code):
    _, data, peildatum = SCENARIOS[code]
    # As the CLI validates (through JSON text); with the zaak's facts where the code needs them.
    return toets(parse_aanvraag(json.dumps(data)), peildatum or PEILDATUM, elders=ELDERS.get(code))


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_scenario_produces_its_finding_code_with_the_expected_ernst(code):
    verwacht, _, _ = SCENARIOS[code]
    r = _run(code)
    assert code in r.codes
    assert {b.ernst for b in r.bevindingen if b.code == code} == {verwacht}
    assert r.ontvankelijk is not any(b.ernst == "blokkerend" for b in r.bevindingen)


def test_scenarios_together_produce_every_finding_code():
    produced = set().union(*(set(_run(code).codes) for code in SCENARIOS))
    missing = ALL_CODES - produced
    assert not missing, f"finding codes no test produces: {sorted(missing)}"


def test_every_code_in_the_toets_source_is_in_the_known_list():
    # A new finding code in models/toets.py needs a scenario above (and a line in DOMAIN.md).
    source = "".join(  # the toets and its steps (models/toetsstappen.py)
        Path(m.__file__).read_text(encoding="utf-8") for m in (models.toets, models.toetsstappen)
    )
    in_source = set(re.findall(r'"([A-Z][A-Z0-9_]{3,})"', source))
    assert in_source - ALL_CODES == set(), "unknown codes in models/toets.py"
    assert ALL_CODES - in_source == set(), "known codes no longer in models/toets.py"


def test_every_finding_has_a_known_ernst_and_a_toelichting():
    for code in SCENARIOS:
        for b in _run(code).bevindingen:
            assert b.ernst in ("blokkerend", "aanpassing", "signaal")
            assert b.toelichting.strip()
