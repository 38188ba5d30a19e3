"""A simple case kind on a real database (SQLite, and PostgreSQL when configured), from its
declaration alone (tests/soort_voorbeeld): a new case, its action, an answer through the one
case service (refused, then applied), its timer fired by the sweep's registry path, the
reconcile's list of its cases and the gateway's question which case a run is."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from models.db.store import migrate, session_scope
from models.db.tables_geval import Geval, GevalTermijn
from models.engine import OngeldigeInvoer
from tasks import eenvoudig

PEILDATUM = dt.date(2026, 12, 1)
RUN = "6f1c1d2e-0000-4000-8000-00000000b001"
KEY = "vb-1"


@pytest.fixture
def db(db_url, monkeypatch, soort_voorbeeld):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    return soort_voorbeeld


def rij(key: str = KEY) -> Geval:
    with session_scope() as session:
        return eenvoudig.opslag("voorbeeld").lees(session, key, False)


def start(key: str = KEY, **gegevens) -> None:
    with session_scope() as session:
        eenvoudig.start_geval(
            session=session, soort="voorbeeld", key=key, gegevens={"code": "VB-1", **gegevens}
        )


def test_a_simple_case_waits_is_reminded_by_the_sweep_and_closes_on_its_answer(db):
    from deployments.gateway_audit import geval_van_run
    from tasks.sweep import vuur_termijnen

    start()
    assert eenvoudig.beeld("voorbeeld", KEY).stap.soort == "actie"
    assert eenvoudig.actie("voorbeeld", KEY, PEILDATUM)
    assert not eenvoudig.actie("voorbeeld", KEY, PEILDATUM)  # done once

    b = eenvoudig.beeld("voorbeeld", KEY)
    assert (b.stap.soort, b.wacht_key) == ("wacht", "bevestiging-1")
    assert b.tags == ("voorbeeld", "wacht-op:bevestiging", "status:te_bevestigen")
    assert "vb-1" in b.kaart and "VB-1" in b.kaart
    runs = db.reconcile()
    assert [(g.key, g.wacht_key) for g in runs.gevallen()] == [(KEY, "bevestiging-1")]

    # The gateway finds the case of a run through the registry.
    eenvoudig.koppel_flow_run("voorbeeld", KEY, RUN)
    gevonden = geval_van_run(RUN)
    assert (gevonden.soort, gevonden.key, gevonden.status) == ("voorbeeld", KEY, "te_bevestigen")

    # A refused answer: the case waits again under a new key, the reason on its card.
    uitkomst = eenvoudig.verwerk_invoer("voorbeeld", KEY, "bevestiging-1", {}, PEILDATUM)
    assert uitkomst == "ongeldig"
    b = eenvoudig.beeld("voorbeeld", KEY)
    assert b.wacht_key == "bevestiging-2" and "vink akkoord aan" in b.kaart

    # The reminder: the sweep fires it once on its day, the case's data counts it and the
    # run must be resumed (its wait moved on).
    assert vuur_termijnen(PEILDATUM + dt.timedelta(days=13))["voorbeeld"] == []
    assert vuur_termijnen(PEILDATUM + dt.timedelta(days=14))["voorbeeld"] == [(KEY, True)]
    assert vuur_termijnen(PEILDATUM + dt.timedelta(days=15))["voorbeeld"] == []
    assert (rij().gegevens["herinneringen"], rij().wacht_key) == (1, "bevestiging-3")

    # An answer under a key the case left changes nothing; under the current one it closes.
    oud = {"akkoord": True, "medewerker": "b-001"}
    assert eenvoudig.verwerk_invoer("voorbeeld", KEY, "bevestiging-2", oud, PEILDATUM) == (
        "verouderd"
    )
    assert eenvoudig.verwerk_invoer("voorbeeld", KEY, "bevestiging-3", oud, PEILDATUM) == (
        "toegepast"
    )
    klaar = rij()
    assert (klaar.status, klaar.wacht_key, klaar.gegevens["bevestigd_door"]) == (
        "bevestigd",
        None,
        "b-001",
    )
    assert eenvoudig.beeld("voorbeeld", KEY).stap.soort == "klaar"
    assert runs.gevallen() == []
    assert runs.per_key([KEY])[KEY].open is False
    with session_scope() as session:
        statussen = session.exec(select(GevalTermijn.status)).all()
    assert statussen == ["gevuurd"]


@pytest.mark.parametrize(
    ("soort", "key", "gegevens", "fout"),
    [
        ("onbekend", "vb-2", {"code": "A"}, "'onbekend' is geen gevalsoort"),
        ("zaak", "vb-2", {"code": "A"}, "'zaak' is geen gevalsoort"),
        ("voorbeeld", "VB 2", {"code": "A"}, "key 'VB 2' moet"),
        ("voorbeeld", KEY, {"code": "A"}, f"geval {KEY} bestaat al"),
        ("voorbeeld", "vb-2", {}, "gegevens van voorbeeld: code: Field required"),
        ("voorbeeld", "vb-2", {"code": "Jan Jansen"}, "gegevens van voorbeeld: code: String"),
        ("voorbeeld", "vb-2", [1], "gegevens moeten een JSON-object zijn"),
    ],
)
def test_bad_input_for_a_new_case_is_one_dutch_line_and_changes_nothing(
    db, soort, key, gegevens, fout
):
    start()
    with pytest.raises(OngeldigeInvoer, match=fout) as exc:
        with session_scope() as session:
            eenvoudig.start_geval(session=session, soort=soort, key=key, gegevens=gegevens)
    assert "\n" not in str(exc.value)
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Geval)).one() == 1


def test_the_command_line_refuses_bad_input_with_one_line_and_writes_nothing(db, tmp_path, capsys):
    from deployments.cli import main

    bestand = tmp_path / "gegevens.json"
    for soort, key, inhoud, fout in (
        ("voorbeeld", "vb-2", "{", "gegevens: geen geldige JSON"),
        ("voorbeeld", "vb-2", '{"code": "jan jansen"}', "gegevens van voorbeeld: code:"),
        ("onbekend", "vb-2", '{"code": "A"}', "'onbekend' is geen gevalsoort"),
    ):
        bestand.write_text(inhoud, encoding="utf-8")
        assert main(["geval", "start", soort, key, "--gegevens", str(bestand)]) == 2
        regels = capsys.readouterr().err.splitlines()
        assert len(regels) == 1 and fout in regels[0], regels
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Geval)).one() == 0
