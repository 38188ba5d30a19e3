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
        # Bezwaar (Awb 6-7) and the beslistermijn (4:14): refused before anything is read.
        "bezwaar-zonder-gronden": Aanroep(
            ("bezwaar", "registreer", "MZ-2026-000001"), fout="--gronden"
        ),
        "bezwaar-slechte-datum": Aanroep(
            (
                "bezwaar",
                "registreer",
                "MZ-2026-000001",
                "--gronden",
                "x",
                "--ontvangen",
                "2026-02-30",
            ),
            fout="is not a date",
        ),
        # A bezwaarschrift has gronden or is pro forma (Awb 6:5, 6:6), not both; a besluit id.
        "bezwaar-gronden-en-pro-forma": Aanroep(
            ("bezwaar", "registreer", "MZ-2026-000001", "--gronden", "x", "--pro-forma"),
            fout="not allowed with argument",
        ),
        "bezwaar-besluit-geen-getal": Aanroep(
            ("bezwaar", "registreer", "MZ-2026-000001", "--besluit", "laatste", "--pro-forma"),
            fout="invalid int value",
        ),
        "bezwaar-onbekende-indiener": Aanroep(
            ("bezwaar", "registreer", "MZ-2026-000001", "--pro-forma", "--indiener", "buurman"),
            fout="invalid choice",
        ),
        "bezwaar-gronden-zonder-keuze": Aanroep(
            ("bezwaar", "gronden", "MZ-2026-000001"), fout="--gronden --niet-ontvankelijk"
        ),
        "bezwaar-onbekende-grond": Aanroep(
            ("bezwaar", "hoorzitting", "MZ-2026-000001", "--afzien", "geen zin"),
            fout="invalid choice",
        ),
        "bezwaar-onbekende-uitkomst": Aanroep(
            ("bezwaar", "beslis", "MZ-2026-000001", "--uitkomst", "half", "--onderbouwing", "x"),
            fout="invalid choice",
        ),
        "beslistermijn-weken-geen-getal": Aanroep(
            ("beslistermijn", "verleng", "MZ-2026-000001", "--weken", "veel", "--reden", "x"),
            fout="invalid int value",
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
    "bezwaar-zonder-gronden",
    "bezwaar-slechte-datum",
    "bezwaar-gronden-en-pro-forma",
    "bezwaar-besluit-geen-getal",
    "bezwaar-onbekende-indiener",
    "bezwaar-gronden-zonder-keuze",
    "bezwaar-onbekende-grond",
    "bezwaar-onbekende-uitkomst",
    "beslistermijn-weken-geen-getal",
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


def test_toets_adds_the_advies_and_keeps_ontvankelijk(cli):
    """Issue 12: the toets advises (a person decides); `ontvankelijk` keeps its meaning."""
    voorbeeld = _json(cli, "toets-voorbeeld")
    assert (voorbeeld["volledig"], voorbeeld["advies"]) == (True, "toekennen")
    assert voorbeeld["advies_toelichting"].startswith("advies: toekennen — ")
    out = _json(cli, "toets-niet-in-aanmerking")
    assert out["ontvankelijk"] is False and out["volledig"] is True
    assert out["advies"] == "afwijzen"
    assert out["advies_toelichting"].startswith("advies: afwijzen — ")
    assert "zorgprofiel komt niet in aanmerking" in out["advies_toelichting"]
    assert "drempel niet gehaald" in out["advies_toelichting"]


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


# --- group mutations and the thuis figures on a real database ------------------------------------


@pytest.fixture(scope="module")
def groepszaak(tmp_path_factory) -> tuple[str, str, Path]:
    """A SQLite database with a granted group zaak, a beoordelaar b-1 and a CCE member."""
    import datetime as dt

    from models.aanvraag import parse_aanvraag
    from models.db.store import engine_for, migrate, registreer_medewerker, session_scope
    from tasks import zaak as ops
    from tests.factories import toekennen

    directory = tmp_path_factory.mktemp("mutatie")
    url = f"sqlite:///{directory / 'meerzorg.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("MEERZORG_DATABASE_URL", url)
    try:
        migrate(url)
        from deployments.gateway_auth import hash_wachtwoord

        with session_scope() as session:
            for wie, rol in (("b-1", "beoordelaar"), ("cce-1", "cce"), ("x-1", "beoordelaar")):
                m = registreer_medewerker(session=session, id=wie, rol=rol)
                m.wachtwoord_hash = hash_wachtwoord(WACHTWOORD)
                session.add(m)
        dag = dt.date(2026, 11, 22)
        key, _ = ops.registreer(parse_aanvraag(Path(AANVRAAG_VOORBEELD).read_text()), dag)
        ops.voer_actie_uit(key, dag)
        assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1"), dag) == "toegepast"
    finally:
        mp.undo()
        engine_for(url).dispose()
    groep = json.loads(Path(AANVRAAG_VOORBEELD).read_text())
    uren = dict(groep["uren_per_week"], begeleiding=groep["uren_per_week"]["begeleiding"] + 45)
    nieuw = dict(groep["clienten"][0], client_id="LINDE-050", bsn="999990147", zorgprofiel="VG8")
    instroom = directory / "instroom.json"
    instroom.write_text(json.dumps({"client": nieuw, "uren_per_week": uren}), encoding="utf-8")
    return url, key, instroom


WACHTWOORD = "een-lang-wachtwoord"


def _meerzorg_db(
    url: str, *args: str, medewerker: str | None, wachtwoord: str = WACHTWOORD
) -> subprocess.CompletedProcess:
    """The CLI as a person logged in with PREFECT_API_AUTH_STRING (logins on, the default)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("MEERZORG_", "PREFECT_API_AUTH"))
    }
    env.update(MEERZORG_DATABASE_URL=url, MEERZORG_DATA_DIR=str(Path(url[10:]).parent))
    if medewerker:
        env["PREFECT_API_AUTH_STRING"] = f"{medewerker}:{wachtwoord}"
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_an_instroom_is_signed_by_the_login_and_a_cce_login_exits_2_with_one_line(groepszaak):
    url, key, instroom = groepszaak
    args = ("mutatie", key, "--instroom", str(instroom), "--per", "2027-05-01")
    p = _meerzorg_db(url, *args, medewerker="cce-1")
    assert p.returncode == 2 and p.stdout == "", p.stderr
    assert p.stderr.splitlines() == [
        "meerzorg: 'cce-1' heeft de rol cce en mag niet beslissen over een instroom (R §10)"
    ]
    # No login, a wrong password, an unknown id, the service credential: refused, one line.
    for medewerker, wachtwoord, fout in (
        (None, "", "log eerst in"),
        ("b-1", "verkeerd-wachtwoord", "inloggen mislukt voor 'b-1'"),
        ("iemand", WACHTWOORD, "inloggen mislukt voor 'iemand'"),
    ):
        p = _meerzorg_db(url, *args, medewerker=medewerker, wachtwoord=wachtwoord)
        assert p.returncode == 2 and len(p.stderr.splitlines()) == 1, p.stderr
        assert fout in p.stderr, p.stderr
    # A typed --beoordelaar that is not the login is refused: one cannot sign for another.
    p = _meerzorg_db(url, *args, "--beoordelaar", "b-1", medewerker="x-1")
    assert p.returncode == 2 and "u bent ingelogd als x-1" in p.stderr, p.stderr
    # An instroom is a besluit, dated the day it is taken: a person cannot date it otherwise.
    p = _meerzorg_db(url, *args, "--peildatum", "2027-05-01", medewerker="b-1")
    assert p.returncode == 2 and "de dag waarop het wordt genomen" in p.stderr, p.stderr
    assert len(p.stderr.splitlines()) == 1
    p = _meerzorg_db(url, *args, medewerker="b-1")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["toegevoegd"] is True and out["beoordelaar"] == "b-1"
    assert out["bedrag_per_jaar"] == 48405.61 and out["groep_bedrag_per_jaar"] == 277221.47


def test_the_service_credential_signs_no_decision(groepszaak, tmp_path):
    from deployments.gateway_auth import service_auth_string

    url, key, _ = groepszaak
    dienst = service_auth_string(Path(url[10:]).parent)
    p = _meerzorg_db(
        url, "signaal", key, "--toelichting", "geen plek", medewerker=dienst.split(":")[0],
        wachtwoord=dienst.split(":", 1)[1],
    )  # fmt: skip
    assert p.returncode == 2 and "niet met de dienst-credential" in p.stderr, p.stderr


def test_thuiscijfers_prints_the_home_care_figures_with_the_new_counts(groepszaak):
    url, _, _ = groepszaak
    p = _meerzorg_db(
        url, "thuiscijfers", "--van", "2026-01-01", "--tot", "2026-12-31", medewerker="b-1"
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert {
        "aanvragen",
        "toekenningen",
        "afwijzingen",
        "coulant_beoordeeld",
        "coulante_toekenningen",
        "signalen_geen_passende_zorg",
        "passende_overgangen_gestart",
    } <= set(out)
    assert out["aanvragen"] == 0 and out["coulante_toekenningen"] == 0  # the group is verblijf
