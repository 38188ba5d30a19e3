"""The `meerzorg` console script, run as a real subprocess (DOMAIN.md "Stable interfaces").

Exit 0 with JSON on stdout for a valid request (also "not eligible"); exit 2 with exactly one
human-readable line on stderr and nothing on stdout for malformed input.

Every invocation below starts a fresh interpreter, which costs about a second; the module
fixture runs them all concurrently once, and the tests assert on the collected results.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import aanvraag_dict, beschikking_dict, uren

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = PROJECT / "examples"
SCRIPT = Path(sys.executable).parent / "meerzorg"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "deployments.cli"]
PEILDATUM = "2027-01-10"
AANVRAAG_VOORBEELD = str(EXAMPLES / "aanvraag-groep-vg.json")
BESCHIKKING_VOORBEELD = str(EXAMPLES / "beschikking-groep-vg.json")

NIET_IN_AANMERKING = aanvraag_dict(
    client={"zorgprofiel": "VG6"}, uren_per_week=uren(begeleiding=21), gevraagde_start="2027-02-01"
)
BESCHIKKING_PGB = beschikking_dict(client={"leveringsvorm": "pgb"}, besluitdatum="2026-06-15")


@dataclass(frozen=True)
class Aanroep:
    args: tuple[str, ...]
    stdin: str | None = None
    # For malformed input: a fragment the one error line must contain.
    fout: str | None = None


def _geldig() -> dict[str, Aanroep]:
    return {
        "beleid-2025.1": Aanroep(("beleid", "--peildatum", "2025-08-31")),
        "beleid-2025.2": Aanroep(("beleid", "--peildatum", "2025-09-01")),
        "beleid-2026.1": Aanroep(("beleid", "--peildatum", "2026-03-01")),
        "toets-voorbeeld": Aanroep(("toets", AANVRAAG_VOORBEELD, "--peildatum", PEILDATUM)),
        "toets-stdin": Aanroep(
            ("toets", "-", "--peildatum", PEILDATUM),
            stdin=Path(AANVRAAG_VOORBEELD).read_text(encoding="utf-8"),
        ),
        "toets-niet-in-aanmerking": Aanroep(
            ("toets", "-", "--peildatum", PEILDATUM), stdin=json.dumps(NIET_IN_AANMERKING)
        ),
        "plan-voorbeeld": Aanroep(("plan", BESCHIKKING_VOORBEELD, "--peildatum", PEILDATUM)),
        "plan-stdin-pgb": Aanroep(
            ("plan", "-", "--peildatum", PEILDATUM), stdin=json.dumps(BESCHIKKING_PGB)
        ),
    }


def _fout(directory: Path) -> dict[str, Aanroep]:
    def bestand(naam: str, data) -> str:
        path = directory / naam
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)

    return {
        "missing-file": Aanroep(("toets", str(directory / "nope.json")), fout="does not exist"),
        "bad-json": Aanroep(("toets", bestand("bad.json", '{"soort": ')), fout="not valid JSON"),
        "json-array": Aanroep(("toets", bestand("array.json", "[1, 2]")), fout="JSON object"),
        "unknown-zorgprofiel": Aanroep(
            ("toets", "-"),
            stdin=json.dumps(aanvraag_dict(client={"zorgprofiel": "VG9"})),
            fout="unknown zorgprofiel 'VG9'",
        ),
        "invalid-bsn": Aanroep(
            ("toets", bestand("bsn.json", aanvraag_dict(client={"bsn": "123456789"}))),
            fout="not a valid BSN",
        ),
        "end-before-start": Aanroep(
            (
                "toets",
                bestand(
                    "eind.json",
                    aanvraag_dict(gevraagde_start="2027-03-01", gevraagde_eind="2027-02-01"),
                ),
            ),
            fout="is before gevraagde_start",
        ),
        "negative-hours": Aanroep(
            ("toets", bestand("uren.json", aanvraag_dict(uren_per_week=uren(begeleiding=-4)))),
            fout="uren_per_week.begeleiding",
        ),
        "bad-peildatum": Aanroep(
            ("toets", AANVRAAG_VOORBEELD, "--peildatum", "2027-02-30"), fout="is not a date"
        ),
        "peildatum-before-first-policy": Aanroep(
            ("beleid", "--peildatum", "2024-12-31"), fout="no policy in force on 2024-12-31"
        ),
        "unknown-subcommand": Aanroep(("geen-commando", AANVRAAG_VOORBEELD), fout="invalid choice"),
        "missing-argument": Aanroep(("toets",), fout="required"),
        "bad-beschikking": Aanroep(
            ("plan", "-"),
            stdin=json.dumps(beschikking_dict() | {"eind": "2020-01-01"}),
            fout="is before start",
        ),
    }


GELDIG = sorted(_geldig())
FOUT = [
    "missing-file",
    "bad-json",
    "json-array",
    "unknown-zorgprofiel",
    "invalid-bsn",
    "end-before-start",
    "negative-hours",
    "bad-peildatum",
    "peildatum-before-first-policy",
    "unknown-subcommand",
    "missing-argument",
    "bad-beschikking",
]


def _run(aanroep: Aanroep) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *aanroep.args],
        input=aanroep.stdin if aanroep.stdin is not None else "",
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> dict[str, tuple[Aanroep, subprocess.CompletedProcess]]:
    aanroepen = {**_geldig(), **_fout(tmp_path_factory.mktemp("cli"))}
    assert set(FOUT) == set(aanroepen) - set(GELDIG)
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) * 2)) as pool:
        klaar = dict(zip(aanroepen, pool.map(_run, aanroepen.values()), strict=True))
    return {naam: (aanroepen[naam], klaar[naam]) for naam in aanroepen}


def _json(cli, naam: str):
    _, p = cli[naam]
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    return json.loads(p.stdout)


# --- beleid ------------------------------------------------------------------------------------


@pytest.mark.parametrize("versie", ["2025.1", "2025.2", "2026.1"])
def test_beleid_shows_the_version_in_force_on_the_peildatum(cli, versie):
    out = _json(cli, f"beleid-{versie}")
    assert out["versie"] == versie
    assert out["drempel"] == 0.25
    assert out["norm_uren_per_week"]["VG7"] == 26.0
    assert out["termijnen"]["max_maanden"] == 36
    assert out["termijnen"]["vg7_plus_max_maanden"] == 12
    assert "VG6" not in out["profielen"]["verblijf"]
    assert set(out["profielen"]) == {"verblijf", "vpt", "mpt", "pgb"}
    assert set(out["tarieven"]) == {"zorg", "behandelaar"}


# --- toets -------------------------------------------------------------------------------------


def test_toets_of_the_example_group_aanvraag(cli):
    out = _json(cli, "toets-voorbeeld")
    assert {
        "ontvankelijk",
        "bevindingen",
        "overschrijding_pct",
        "bedrag_per_jaar",
        "uitkomst_rekentool",
        "termijn",
        "beleidsversie",
    } <= set(out)
    assert out["ontvankelijk"] is True
    assert isinstance(out["bevindingen"], list)
    assert isinstance(out["overschrijding_pct"], float)
    assert isinstance(out["bedrag_per_jaar"], float)
    assert out["uitkomst_rekentool"]["soort"] in ("profiel", "maatwerk")
    assert out["termijn"] == {"start": "2027-02-01", "eind": "2029-01-31"}
    assert out["beleidsversie"] == "2026.1"


def test_not_eligible_aanvraag_still_exits_0(cli):
    out = _json(cli, "toets-niet-in-aanmerking")
    assert out["ontvankelijk"] is False
    codes = {b["code"] for b in out["bevindingen"]}
    assert {"PROFIEL_GEEN_MEERZORG", "DREMPEL_NIET_GEHAALD"} <= codes
    for b in out["bevindingen"]:
        assert set(b) == {"code", "ernst", "toelichting"}
        assert b["ernst"] in ("blokkerend", "aanpassing", "signaal")
    assert "blokkerend" in {b["ernst"] for b in out["bevindingen"]}


def test_toets_reads_the_aanvraag_from_stdin_for_dash(cli):
    assert _json(cli, "toets-stdin") == _json(cli, "toets-voorbeeld")


# --- plan --------------------------------------------------------------------------------------


def test_plan_of_the_example_beschikking_is_a_date_sorted_list(cli):
    out = _json(cli, "plan-voorbeeld")
    assert isinstance(out, list) and out
    for item in out:
        assert {"soort", "datum", "toelichting"} <= set(item)
    datums = [item["datum"] for item in out]
    assert datums == sorted(datums)
    soorten = {item["soort"] for item in out}
    assert {"ontwikkeltraject_uiterlijk", "herbeoordeling_start", "einde_beschikking"} <= soorten
    assert "periodiek_contact" not in soorten  # verblijf


def test_plan_reads_the_beschikking_from_stdin_for_dash(cli):
    out = _json(cli, "plan-stdin-pgb")
    soorten = [item["soort"] for item in out]
    assert "periodiek_contact" in soorten  # pgb: thuis
    assert [item["datum"] for item in out] == sorted(item["datum"] for item in out)


# --- malformed input: exit 2, one line on stderr, nothing on stdout ------------------------------


@pytest.mark.parametrize("naam", FOUT)
def test_bad_input_exits_2_with_one_line_on_stderr(cli, naam):
    aanroep, p = cli[naam]
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stdout == ""
    assert "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert p.stderr.endswith("\n")
    assert lines[0].startswith("meerzorg: ")
    assert aanroep.fout in lines[0]
