"""A simple case kind is one package (issue 24): models/soorten finds it, under its own
directory or named in MEERZORG_SOORTEN, and a package that lacks a piece stops the import
with one line. tests/soort_voorbeeld is the kind these rules are shown on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys

import pytest

from models import soorten
from tests import soort_voorbeeld as voorbeeld

SOORT = voorbeeld.SOORT


def _pakket(pad, naam: str, inhoud: str = "") -> None:
    (pad / naam).mkdir()
    (pad / naam / "__init__.py").write_text(inhoud, encoding="utf-8")


def test_a_kind_is_each_package_under_the_directory_and_not_its_modules(tmp_path):
    _pakket(tmp_path, "controle")
    _pakket(tmp_path, "aanmelding")
    (tmp_path / "hulp.py").write_text("", encoding="utf-8")
    gevonden = soorten.pakketten([str(tmp_path)], "models.soorten.")
    assert gevonden == ["models.soorten.aanmelding", "models.soorten.controle"]


def test_the_environment_names_kinds_as_dotted_modules_separated_by_commas():
    assert soorten.uit_omgeving(None) == []
    assert soorten.uit_omgeving(" tests.soort_voorbeeld, a.b ,") == ["tests.soort_voorbeeld", "a.b"]
    with pytest.raises(ImportError, match="MEERZORG_SOORTEN: 'a/b' is not a module name"):
        soorten.uit_omgeving("a/b")


def test_production_declares_no_simple_kind_yet_and_the_zaak_and_dialoog_stay_specific():
    assert "voorbeeld" not in soorten.SOORTEN
    assert set(soorten.SOORTEN) >= {"zaak", "dialoog"}
    assert not {"zaak", "dialoog"} & set(soorten.EENVOUDIG)


def test_a_package_without_its_declaration_stops_the_import(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    _pakket(tmp_path, "zonder_soort", "SOORT = 'controle'\n")
    with pytest.raises(ImportError, match=r"^zonder_soort: a case kind exports SOORT"):
        soorten.neem_op(["zonder_soort"])
    monkeypatch.delitem(sys.modules, "zonder_soort")


def test_a_second_kind_of_a_name_taken_stops_the_import(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    _pakket(
        tmp_path,
        "tweede_dialoog",
        "import dataclasses\nfrom tests.soort_voorbeeld import SOORT as S\n"
        "SOORT = dataclasses.replace(S, soort=dataclasses.replace(S.soort, naam='dialoog'))\n",
    )
    with pytest.raises(ImportError, match="a case kind named 'dialoog' exists already"):
        soorten.neem_op(["tweede_dialoog"])
    assert soorten.SOORTEN["dialoog"].statussen is not voorbeeld.VoorbeeldStatus
    monkeypatch.delitem(sys.modules, "tweede_dialoog")


def _zonder(**veranderd):
    return dataclasses.replace(SOORT, **veranderd)


@pytest.mark.parametrize(
    ("veranderd", "fout"),
    [
        ({"actie": None}, "need an actie"),
        ({"begin": "bevestigd"}, "begin 'bevestigd' is not an open status"),
        ({"stand": dict}, "stand must be a pydantic model"),
        ({"kaart": "## kaart"}, "kaart must be a function"),
        ({"deployment": "Mijn Deployment"}, "is not a deployment name"),
        ({"soort": "voorbeeld"}, "soort must be a Soort"),
    ],
)
def test_a_declaration_missing_a_piece_is_refused_with_one_line(veranderd, fout):
    from models.eenvoudige_soort import geen_actie

    if veranderd.get("actie", 1) is None:
        veranderd["actie"] = geen_actie
    with pytest.raises(ValueError, match=fout) as exc:
        _zonder(**veranderd)
    assert "\n" not in str(exc.value)


def test_a_wait_whose_form_has_no_processing_date_is_refused():
    from models.engine import Formulier

    class ZonderDatum(Formulier):
        akkoord: bool = False
        medewerker: str = ""

    wacht = dataclasses.replace(SOORT.soort.wachten[0], formulier=ZonderDatum)
    # Every kind checks it when declared (models/engine.Soort), the zaak's and dialoog's too.
    with pytest.raises(ValueError, match="form ZonderDatum has no field peildatum"):
        dataclasses.replace(SOORT.soort, wachten=(wacht,))


def test_stored_data_of_another_schema_version_is_refused_not_misread():
    assert SOORT.lees({"code": "VB-1"}, 1).code == "VB-1"
    with pytest.raises(ValueError, match="gegevens of schema 2, the kind reads 1"):
        SOORT.lees({"code": "VB-1"}, 2)


def test_a_timer_applies_in_its_rules_statuses_only():
    from models.eenvoudige_soort import GevalStand

    stand = voorbeeld.Voorbeeld(code="VB-1")
    wacht = GevalStand("vb-1", "te_bevestigen", 1, stand)
    dag = dt.date(2026, 12, 15)
    herinnerd = SOORT.bij_termijn(wacht, "herinnering", dag)
    assert herinnerd.status == "te_bevestigen" and herinnerd.effecten[0].waarde.herinneringen == 1
    assert SOORT.bij_termijn(GevalStand("vb-1", "bevestigd", 2, stand), "herinnering", dag) is None
    assert SOORT.bij_termijn(wacht, "onbekend", dag) is None


def test_the_card_is_pseudonymous_key_and_code_only():
    from models.eenvoudige_soort import GevalStand

    kaart = SOORT.kaart(GevalStand("vb-1", "te_bevestigen", 1, voorbeeld.Voorbeeld(code="VB-1")))
    assert "vb-1" in kaart and "VB-1" in kaart
    with pytest.raises(ValueError):  # its data holds codes: no room for a name
        voorbeeld.Voorbeeld(code="Jan Jansen")


def test_a_found_kind_runs_on_the_one_flow_the_failed_run_alert_watches(soort_voorbeeld):
    from fnmatch import fnmatch

    from deployments.automations import ALERT_FLOWS
    from deployments.specs import resolved_config

    kind = soort_voorbeeld
    assert kind.naam == "voorbeeld" and kind.soort is SOORT.soort
    assert any(fnmatch(kind.flow, patroon) for patroon in ALERT_FLOWS)
    assert kind.reconcile().flow == kind.flow == "meerzorg-geval"
    # The shared deployment it starts on is prefect.yaml's, so a worker runs it.
    deployments = {d["name"]: d for d in resolved_config(with_schedules=False)["deployments"]}
    assert deployments[SOORT.deployment]["entrypoint"] == "flows/geval.py:geval"


def test_the_kind_is_found_through_the_environment_at_import():
    import json
    import os
    import subprocess

    code = "import json; from tasks.soorten import REGISTER; print(json.dumps(sorted(REGISTER)))"
    uit = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "MEERZORG_SOORTEN": "tests.soort_voorbeeld"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert {"zaak", "dialoog", "voorbeeld"} <= set(json.loads(uit.stdout))


def test_the_checks_over_every_kind_hold_for_the_example():
    """tests/unit/test_wachten.py checks every kind production declares; a package under
    models/soorten/ is one of them, the example is not, so it is checked here."""
    from tests.unit import test_wachten

    test_wachten.test_every_waiting_status_declares_its_wait_explanation_timers_form_and_handler(
        SOORT.soort
    )
    test_wachten.test_a_wait_key_is_its_wacht_op_and_step_and_closed_cases_have_none(SOORT.soort)
    test_wachten.test_every_rule_of_a_timer_applies_in_statuses_of_its_own_kind(SOORT.soort)


def test_who_may_answer_a_simple_kinds_wait_is_its_declaration(soort_voorbeeld):
    from models.toegang import mag_hervatten

    assert mag_hervatten("beoordelaar", "voorbeeld", "te_bevestigen") is None
    assert mag_hervatten("teamleider", "voorbeeld", "te_bevestigen") is None
    assert "mag niet antwoorden" in mag_hervatten("jurist", "voorbeeld", "te_bevestigen")
    assert "analist" in mag_hervatten("analist", "voorbeeld", "te_bevestigen")


def test_a_module_named_in_the_environment_without_a_kind_stops_the_import_with_one_line():
    import os
    import subprocess

    uit = subprocess.run(
        [sys.executable, "-c", "import models.soorten"],
        env={**os.environ, "MEERZORG_SOORTEN": "models.dates"},
        capture_output=True,
        text=True,
    )
    assert uit.returncode != 0
    assert uit.stderr.strip().splitlines()[-1] == (
        "ImportError: models.dates: a case kind exports SOORT = EenvoudigeSoort(...)"
    )
