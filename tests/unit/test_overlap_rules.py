"""Overlap (issue 26 point 8): a client who already holds running meerzorg for some of the
same days is funded twice. Double funding is the Wlz's principle (the client's care is
funded once a day); the seeds (regeling, nota thuis) name no rule for it, so the check's form
is `aanname` (DOMAIN.md §5): by BSN across zaken and providers, the term the toets sets,
first and last day counted, a verlenging touching the end of the beschikking it continues.
Each test is named after that source. No database: the facts are plain data here
(tests/integration/test_overlap.py reads them from the database)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.aanvraag import parse_aanvraag
from models.besluit import na_beoordeling, valideer_beoordeling
from models.engine import OngeldigeInvoer
from models.overgang import Stand, VoorlopigBesluit
from models.proces import Feiten, antwoord_aanvraag, na_toets
from models.toets import toets
from models.toetsstappen import MeerzorgElders
from tests.factories import (
    BSNS,
    PEILDATUM,
    aanvraag,
    aanvraag_dict,
    check_vooraf,
    d,
    groep_dict,
    toekennen,
    uren,
    vragenlijst,
)

# The default aanvraag: one client (BSNS[0], id CL-001), 2026-07-01 t/m 2028-06-30.
EIND = d("2028-06-30")
ANDER = "MZ-2025-000007"


def elders(*beschikkingen: MeerzorgElders, bsn: str = BSNS[0]) -> dict:
    return {bsn: beschikkingen}


def lopend(start: str, eind: str, zaak: str = ANDER, voortgezet: bool = False) -> MeerzorgElders:
    return MeerzorgElders(zaak, d(start), d(eind), voortgezet)


def overlap(r) -> list:
    return [b for b in r.bevindingen if b.code == "OVERLAP_MEERZORG"]


# --- the finding -------------------------------------------------------------------------------


def test_wlz_meerzorg_elsewhere_in_the_same_period_is_a_blocking_content_finding():
    r = toets(aanvraag(), PEILDATUM, elders=elders(lopend("2025-01-01", "2026-12-31")))
    assert (r.termijn.start, r.termijn.eind) == (d("2026-07-01"), EIND)
    (b,) = overlap(r)
    assert b.ernst == "blokkerend"
    # Content for the beoordelaar, not herstel (Awb 4:5): the aanvraag is complete.
    assert r.volledig and not r.ontvankelijk
    assert r.advies == (
        "afwijzen",
        f"advies: afwijzen — overlap met lopende meerzorg: zaak {ANDER}",
    )
    assert b.toelichting == (
        "Client CL-001: de periode 2026-07-01 t/m 2028-06-30 overlapt van 2026-07-01 t/m "
        f"2026-12-31 met lopende meerzorg in zaak {ANDER} (2025-01-01 t/m 2026-12-31): dubbele "
        "financiering (Wlz)."
    )
    assert "\n" not in b.toelichting and BSNS[0] not in b.toelichting
    assert r.public()["niet_getoetst"] == []


def test_wlz_each_overlapping_beschikking_is_named_with_its_own_zaak():
    r = toets(
        aanvraag(),
        PEILDATUM,
        elders=elders(
            lopend("2026-01-01", "2026-09-30", "MZ-2026-000003"),
            lopend("2027-01-01", "2027-12-31", "MZ-2026-000009"),
        ),
    )
    assert [b.toelichting.split("zaak ")[1][:14] for b in overlap(r)] == [
        "MZ-2026-000003",
        "MZ-2026-000009",
    ]
    soort, tekst = r.advies
    assert soort == "afwijzen" and "MZ-2026-000003" in tekst and "MZ-2026-000009" in tekst


def test_wlz_in_a_group_only_the_client_who_holds_meerzorg_elsewhere_is_named():
    a = parse_aanvraag(groep_dict(2))
    feiten = {BSNS[0]: (), BSNS[1]: (lopend("2026-01-01", "2026-12-31"),)}
    r = toets(a, PEILDATUM, elders=feiten)
    (b,) = overlap(r)
    assert b.toelichting.startswith("Client CL-002: ") and BSNS[1] not in b.toelichting


def test_wlz_the_overlap_stands_beside_the_other_findings_and_after_them():
    r = toets(
        aanvraag(overschrijding=0.1),
        PEILDATUM,
        elders=elders(lopend("2026-01-01", "2026-12-31")),
    )
    assert r.codes[-1] == "OVERLAP_MEERZORG" and "DREMPEL_NIET_GEHAALD" in r.codes
    assert r.advies[1].startswith("advies: afwijzen — drempel niet gehaald, 10.0%; overlap")


# --- the periods compared (aanname) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "eind", "overlapt"),
    [
        ("2025-01-01", "2026-06-30", False),  # ends the day before the start: touching
        ("2025-01-01", "2026-07-01", True),  # ends on the first day: one day twice
        ("2028-06-30", "2029-12-31", True),  # starts on the last day
        ("2028-07-01", "2029-12-31", False),  # starts the day after the end
        ("2026-09-01", "2026-10-31", True),  # lies within
        ("2025-01-01", "2030-12-31", True),  # lies around
    ],
)
def test_aanname_both_periods_count_their_first_and_last_day(start, eind, overlapt):
    r = toets(aanvraag(), PEILDATUM, elders=elders(lopend(start, eind)))
    assert bool(overlap(r)) is overlapt


def test_aanname_the_period_compared_is_the_term_the_toets_sets():
    # Asked from 2026-03-01, but no retroactive start: the term starts on the peildatum, so a
    # beschikking that ended the day before does not overlap.
    verleden = aanvraag(gevraagde_start="2026-03-01")
    r = toets(verleden, PEILDATUM, elders=elders(lopend("2025-01-01", "2026-05-31")))
    assert "START_IN_VERLEDEN" in r.codes and not overlap(r)
    # Capped to the indicatie (2027-01-31): what starts after it is no overlap.
    kort = aanvraag(client={"indicatie_einddatum": "2027-01-31"})
    r = toets(kort, PEILDATUM, elders=elders(lopend("2027-02-01", "2029-01-31")))
    assert "EIND_NA_INDICATIE" in r.codes and not overlap(r)


def test_aanname_a_verlenging_may_touch_the_end_of_the_beschikking_it_continues():
    verlenging = aanvraag(soort="verlenging", vorige_zaak=ANDER)
    aansluitend = lopend("2024-07-01", "2026-06-30", voortgezet=True)
    assert not overlap(toets(verlenging, PEILDATUM, elders=elders(aansluitend)))


def test_aanname_a_verlenging_may_not_overlap_the_beschikking_it_continues():
    verlenging = aanvraag(soort="verlenging", vorige_zaak=ANDER)
    te_vroeg = lopend("2024-07-01", "2026-07-31", voortgezet=True)
    (b,) = overlap(toets(verlenging, PEILDATUM, elders=elders(te_vroeg)))
    assert b.ernst == "blokkerend"
    assert "overlapt van 2026-07-01 t/m 2026-07-31 met de beschikking die deze verlenging " in (
        b.toelichting
    )
    assert f"voortzet, zaak {ANDER} (2024-07-01 t/m 2026-07-31)" in b.toelichting


def test_aanname_overlap_is_no_step_of_the_stepwise_thuis_toets_and_runs_after_a_stop():
    thuis = aanvraag(client={"leveringsvorm": "pgb"}, uren_per_week=uren(begeleiding=1))
    r = toets(thuis, d("2026-03-01"), elders=elders(lopend("2026-01-01", "2026-12-31")))
    assert r.niet_getoetst == ("termijn",)  # stopped at the drempel
    assert r.codes[-2:] == ["TOETS_GESTOPT", "OVERLAP_MEERZORG"]
    assert r.public()["niet_getoetst"] == ["termijn"]


# --- without the facts -------------------------------------------------------------------------


def test_aanname_without_the_facts_niet_getoetst_says_the_overlap_was_not_checked():
    r = toets(aanvraag(), PEILDATUM)
    assert not overlap(r) and r.public()["niet_getoetst"] == ["overlap"]
    # The advice line is the findings' (and the stepwise steps'), as before.
    assert r.advies[1] == "advies: toekennen — geen blokkerende bevindingen, overschrijding 50.0%"
    # Looked up and nothing found: checked.
    assert toets(aanvraag(), PEILDATUM, elders=elders()).public()["niet_getoetst"] == []
    # A client whose BSN was not looked up leaves the overlap unchecked.
    groep = parse_aanvraag(groep_dict(2))
    half = toets(groep, PEILDATUM, elders=elders())
    assert half.public()["niet_getoetst"] == ["overlap"]


def test_the_command_line_has_no_database_and_says_overlap_niet_getoetst(tmp_path):
    pad = tmp_path / "aanvraag.json"
    pad.write_text(json.dumps(aanvraag_dict()), encoding="utf-8")
    script = Path(sys.executable).parent / "meerzorg"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "deployments.cli"]
    out = subprocess.run(
        [*command, "toets", str(pad), "--peildatum", PEILDATUM.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    resultaat = json.loads(out.stdout)
    assert resultaat["niet_getoetst"] == ["overlap"] and resultaat["advies"] == "toekennen"


# --- in the zaak (models/proces.py) -----------------------------------------------------------


def stand(status: str = "geregistreerd", **changes) -> Stand:
    base = dict(
        key="MZ-2026-000001",
        status=status,
        stap=1,
        ronde=0,
        aanvraag=aanvraag(),
        ingediend_op=PEILDATUM,
    )
    base.update(changes)
    return Stand(**base)


def test_wlz_the_zaak_with_overlap_reaches_the_beoordelaar_with_advies_afwijzen():
    o = na_toets(stand(), PEILDATUM, elders=elders(lopend("2025-01-01", "2026-12-31")))
    assert o.status == "beoordeling" and o.actie == "toets_ontvankelijk"
    assert o.toets["advies"] == "afwijzen" and o.toets["volledig"] is True
    assert [b["code"] for b in o.toets["bevindingen"]] == ["OVERLAP_MEERZORG"]
    assert o.toets["niet_getoetst"] == []


def test_wlz_a_resubmission_after_herstel_is_toetsed_again_with_the_facts():
    herstel = stand("herstel", aanvraag=aanvraag(vragenlijst=vragenlijst(inzet="")), ronde=1)
    feiten = Feiten(
        beoordelaars={},
        beschikking_actief=False,
        wacht_op="aanvraag",
        elders=elders(lopend("2025-01-01", "2026-12-31")),
    )
    o = antwoord_aanvraag(herstel, {"aanvraag": aanvraag_dict()}, PEILDATUM, feiten)
    assert o.status == "beoordeling"
    assert [b["code"] for b in o.toets["bevindingen"]] == ["OVERLAP_MEERZORG"]


# --- a toekenning despite it (issue 26 point 2) --------------------------------------------------


def _toekenning(toetsdata: dict, a, **invoer) -> str:
    """What a first beoordelaar's complete toekenning does on a zaak with this toets."""
    s = stand("beoordeling", aanvraag=a, toets=toetsdata, ronde=1)
    try:
        besluit = valideer_beoordeling(
            s, toekennen("b-001", **invoer), beoordelaars={"b-001": "beoordelaar"}
        )
    except OngeldigeInvoer:
        return "geweigerd"
    o = na_beoordeling(s, besluit, PEILDATUM)
    vier_ogen = any(isinstance(e, VoorlopigBesluit) for e in o.effecten)
    return f"{o.status}{' (vier ogen)' if vier_ogen else ''}"


def test_awb_3_46_a_toekenning_despite_overlap_goes_the_way_of_one_despite_andere_toeslagen():
    """A toekenning despite a blocking content finding needs a weighing in the onderbouwing
    and four eyes (issue 26 point 2, models/motivering.py); overlap gets the same as andere
    toeslagen: refused without the weighing, to a second beoordelaar with it."""
    a = aanvraag()
    met_overlap = na_toets(stand(), PEILDATUM, elders=elders(lopend("2025-01-01", "2026-12-31")))
    toeslagen = aanvraag(check_vooraf=check_vooraf(andere_toeslagen=True))
    met_toeslagen = na_toets(stand(aanvraag=toeslagen), PEILDATUM, elders=elders())
    assert met_overlap.toets["advies"] == met_toeslagen.toets["advies"] == "afwijzen"
    assert _toekenning(met_overlap.toets, a) == "geweigerd"
    assert _toekenning(met_toeslagen.toets, toeslagen) == "geweigerd"
    afweging = "Anders dan het advies: de overlap is een dag, de vorige beschikking eindigt."
    vier_ogen = "tweede_beoordeling (vier ogen)"
    assert _toekenning(met_overlap.toets, a, onderbouwing=afweging) == vier_ogen
    assert _toekenning(met_toeslagen.toets, toeslagen, onderbouwing=afweging) == vier_ogen
