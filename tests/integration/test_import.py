"""Historical import and the analyses built on it, on a real database (SQLite, and
PostgreSQL when configured): states after import, idempotency, report totals that are
exactly the file's counts, a backfill that resumes after a crash, what-if over the caseload.
The command line is run as a subprocess where its exit code is the point."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from models.aanvraag import elfproef
from models.beleid import beleid_op
from models.db.store import migrate, session_scope
from models.db.tables import AuditEvent, Beschikking, Besluit, Deadline, Notificatie, Zaak
from models.db.tables_analyse import Backfill, BackfillChunk, Snapshot
from models.historie import valideer_regels
from tasks import analyse, historie_import, rapport_uitvoer, snapshots
from tests.factories import aanvraag_dict, client_dict

PROJECT = Path(__file__).resolve().parents[2]
VOORBEELD = PROJECT / "examples" / "historie.jsonl"
PEIL = dt.date(2026, 11, 22)
SCRIPT = Path(sys.executable).parent / "meerzorg"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "deployments.cli"]


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    return db_url


def importeer(lines: list[str], peildatum: dt.date = PEIL) -> dict:
    regels, fouten = valideer_regels(lines, peildatum)
    assert fouten == []
    return historie_import.importeer(regels, peildatum)


def tellingen() -> dict[str, int]:
    with session_scope() as session:
        return {
            t.__name__: session.exec(select(func.count()).select_from(t)).one()
            for t in (Zaak, Besluit, Beschikking, Deadline, Notificatie, AuditEvent)
        }


def zaken() -> dict[str, Zaak]:
    with session_scope() as session:
        return {z.provider_referentie: z for z in session.exec(select(Zaak))}


BSNS = [b for b in (f"9999{i:05d}" for i in range(3000)) if elfproef(b)]


def historie(n: int, seed: int = 7) -> list[dict]:
    """Random but valid history: aanvragen over two years, decisions of every kind, some at
    home (mpt/pgb), some still undecided."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        ingediend = dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randrange(0, 680))
        vorm = rnd.choice(["verblijf", "vpt", "mpt", "pgb"])
        data = aanvraag_dict(
            client=client_dict(0, client_id=f"H-{i:04d}", bsn=BSNS[i], leveringsvorm=vorm),
            gevraagde_start=ingediend + dt.timedelta(days=30),
            zorgaanbieder={"agb": rnd.choice(["73731111", "73732222"]), "naam": "Historie"},
        )
        data["ingediend_op"] = ingediend.isoformat()
        uitkomst = rnd.choice(["toekennen", "toekennen", "bijstellen", "afwijzen", None])
        datum = min(ingediend + dt.timedelta(days=rnd.randrange(5, 90)), PEIL)
        if uitkomst == "toekennen":
            start = datum + dt.timedelta(days=rnd.randrange(0, 30))
            eind = start + dt.timedelta(days=rnd.randrange(90, 1000))
            data["besluit"] = {
                "uitkomst": "toekennen",
                "datum": datum.isoformat(),
                "start": start.isoformat(),
                "eind": eind.isoformat(),
                "bedrag_per_jaar": rnd.randrange(20_000, 90_000),
            }
        elif uitkomst:
            data["besluit"] = {
                "uitkomst": uitkomst,
                "datum": datum.isoformat(),
                "onderbouwing": "Historisch besluit.",
            }
        out.append(data)
    return out


# --- import ----------------------------------------------------------------------------------


def test_each_zaak_is_imported_in_the_state_its_history_left_it(db):
    uit = importeer(VOORBEELD.read_text().splitlines())
    assert uit["geimporteerd"] == 12
    assert uit["per_status"] == {
        "afgewezen": 1,
        "beeindigd": 3,
        # R §10: the two bijstellingen whose term passed are back at the beoordelaar.
        "beoordeling": 3,
        "bezwaartermijn": 1,
        "lopend": 4,
    }
    assert uit["lopend"] == 8
    with session_scope() as session:
        groep = session.exec(select(Zaak).where(Zaak.provider_referentie == "LINDE-2026-02")).one()
        assert (groep.status, groep.wacht_key, groep.wacht_op) == (
            "lopend",
            "einde-beschikking-1",
            "einde-beschikking",
        )
        beschikkingen = session.exec(select(Beschikking).where(Beschikking.zaak == groep.key)).all()
        assert sorted((b.client_id, b.start, b.eind, b.bedrag_per_jaar) for b in beschikkingen) == [
            ("LINDE-014", dt.date(2026, 5, 1), dt.date(2029, 4, 30), 45_500.0),
            ("LINDE-022", dt.date(2026, 5, 1), dt.date(2029, 4, 30), 45_500.0),
        ]
        besluit = session.exec(select(Besluit).where(Besluit.zaak == groep.key)).one()
        assert (besluit.uitkomst, besluit.datum) == ("toekennen", dt.date(2026, 3, 20))
        timers = {
            d.soort: d.datum
            for d in session.exec(
                select(Deadline).where(Deadline.zaak == groep.key, Deadline.status == "open")
            )
        }
        assert timers["einde_beschikking"] == dt.date(2029, 5, 1)
        assert timers["herbeoordeling_start"] == dt.date(2028, 10, 30)
        oud = session.exec(select(Zaak).where(Zaak.provider_referentie == "LINDE-2023-07")).one()
        assert (oud.status, oud.gesloten_op) == ("beeindigd", dt.date(2026, 5, 1))
        assert {
            b.status for b in session.exec(select(Beschikking).where(Beschikking.zaak == oud.key))
        } == {"beeindigd"}
        assert (
            session.exec(
                select(func.count())
                .select_from(Deadline)
                .where(Deadline.zaak == oud.key, Deadline.status == "open")
            ).one()
            == 0
        )
    # History is not news: nobody is notified of decisions taken long ago.
    assert tellingen()["Notificatie"] == 0


def test_reimporting_the_same_file_creates_nothing_twice(db):
    lines = VOORBEELD.read_text().splitlines() + [json.dumps(h) for h in historie(40)]
    eerste = importeer(lines)
    voor = tellingen()
    tweede = importeer(lines)
    assert eerste["geimporteerd"] == 52 and eerste["al_aanwezig"] == 0
    assert (tweede["geimporteerd"], tweede["al_aanwezig"], tweede["lopend"]) == (0, 52, 0)
    assert tellingen() == voor


def test_a_running_beschikking_whose_herbeoordeling_is_overdue_keeps_that_timer_for_the_sweep(db):
    importeer(VOORBEELD.read_text().splitlines())
    with session_scope() as session:
        # LINDE-052: 2023-12-01 .. 2026-11-30; the herbeoordeling was due on 2026-05-30.
        key = next(
            z.key
            for z in session.exec(select(Zaak))
            if z.aanvraag["clienten"][0]["client_id"] == "LINDE-052"
        )
        open_ = {
            d.soort: d.datum
            for d in session.exec(
                select(Deadline).where(Deadline.zaak == key, Deadline.status == "open")
            )
        }
    assert open_["herbeoordeling_start"] == dt.date(2026, 5, 30)
    assert open_["einde_beschikking"] == dt.date(2026, 12, 1)
    assert "ontwikkeltraject_herinnering" not in open_  # a reminder whose moment has passed


# --- the report ------------------------------------------------------------------------------


def test_report_totals_are_exactly_the_counts_in_the_imported_file(db, tmp_path):
    data = historie(160)
    importeer([json.dumps(h) for h in data])
    for jaar in (2025, 2026):
        thuis = [h["clienten"][0]["leveringsvorm"] in ("mpt", "pgb") for h in data]
        verwacht = {"aanvragen": 0, "toekenningen": 0, "bijstellingen": 0, "afwijzingen": 0}
        verwacht_thuis = dict(verwacht)
        naam = {
            "toekennen": "toekenningen",
            "bijstellen": "bijstellingen",
            "afwijzen": "afwijzingen",
        }
        for h, is_thuis in zip(data, thuis, strict=True):
            tellers = [verwacht, verwacht_thuis] if is_thuis else [verwacht]
            if h["ingediend_op"].startswith(str(jaar)):
                for t in tellers:
                    t["aanvragen"] += 1
            b = h.get("besluit")
            if b and b["datum"].startswith(str(jaar)):
                for t in tellers:
                    t[naam[b["uitkomst"]]] += 1
        rapport = analyse.rapport_gegevens(jaar, PEIL)
        assert rapport.totalen == verwacht | {"thuis": verwacht_thuis}
        uit = analyse.rapport_json(
            rapport, rapport_uitvoer.schrijf_rapport(rapport, tmp_path / str(jaar))
        )
        assert {k: uit[k] for k in (*verwacht, "thuis")} == verwacht | {"thuis": verwacht_thuis}
        csv_regels = (tmp_path / str(jaar) / "aanvragen_en_besluiten_per_maand.csv").read_text()
        kolommen = csv_regels.splitlines()[0].split(",")
        som = Counter()
        for regel in csv_regels.splitlines()[1:]:
            for k, v in zip(kolommen[1:], regel.split(",")[1:], strict=True):
                som[k] += int(v)
        assert som["aanvragen"] == verwacht["aanvragen"]
        assert som["thuis_afwijzingen"] == verwacht_thuis["afwijzingen"]
        namen = {Path(p).name for p in uit["bestanden"]}
        assert {"rapport.md", "aanvragen_en_besluiten.svg", "thuis.svg", "expiraties.svg"} <= namen


# --- backfill --------------------------------------------------------------------------------


def _snapshots(key: str) -> list[tuple]:
    with session_scope() as session:
        return sorted(
            (s.peildatum, s.beschikking, s.fase, s.cce_status, s.cce_uiterlijk, s.volgende_datum)
            for s in session.exec(select(Snapshot).where(Snapshot.backfill == key))
        )


def test_backfill_resumes_after_a_crash_and_a_rerun_replaces_its_own_snapshots(db, monkeypatch):
    importeer(VOORBEELD.read_text().splitlines() + [json.dumps(h) for h in historie(60)])
    van, tot = dt.date(2025, 1, 31), dt.date(2026, 12, 31)
    referentie = snapshots.backfill_lokaal(van, tot, "maand", scope="all", chunk_grootte=10)
    goed = _snapshots(referentie["backfill"])
    assert referentie["chunks"] >= 4 and referentie["snapshots"] == len(goed) > 100

    echt = snapshots.verwerk_chunk
    gedaan = []

    def crash_bij_derde(key, chunk, *args, **kwargs):
        if len(gedaan) == 2:
            raise RuntimeError("the worker died")
        gedaan.append(chunk)
        return echt(key, chunk, *args, **kwargs)

    monkeypatch.setattr(snapshots, "verwerk_chunk", crash_bij_derde)
    with pytest.raises(RuntimeError):
        snapshots.backfill_lokaal(van, tot, "maand", chunk_grootte=10, opnieuw=True)
    with session_scope() as session:
        key = referentie["backfill"]
        assert session.get(Backfill, key).status == "bezig"
        klaar = session.exec(select(BackfillChunk.chunk).where(BackfillChunk.backfill == key))
        assert sorted(klaar.all()) == sorted(gedaan)
    monkeypatch.setattr(snapshots, "verwerk_chunk", echt)
    hervat = snapshots.backfill_lokaal(van, tot, "maand", chunk_grootte=10)
    assert hervat["overgeslagen"] == 2 and hervat["status"] == "klaar"
    assert _snapshots(key) == goed
    # Finished: running the same question again recomputes it, without doubling anything.
    opnieuw = snapshots.backfill_lokaal(van, tot, "maand", chunk_grootte=10)
    assert opnieuw["overgeslagen"] == 0 and _snapshots(key) == goed
    assert opnieuw["per_peildatum"] == referentie["per_peildatum"]


def test_backfill_scope_is_one_provider(db):
    importeer(VOORBEELD.read_text().splitlines())
    alles = snapshots.backfill_lokaal(dt.date(2026, 1, 31), dt.date(2026, 6, 30), "maand")
    anker = snapshots.backfill_lokaal(
        dt.date(2026, 1, 31), dt.date(2026, 6, 30), "maand", scope="73730002"
    )
    with session_scope() as session:
        agbs = set(
            session.exec(select(Snapshot.agb).where(Snapshot.backfill == anker["backfill"])).all()
        )
    assert agbs == {"73730002"} and 0 < anker["snapshots"] < alles["snapshots"]


# --- what-if ---------------------------------------------------------------------------------


def test_whatif_runs_a_draft_over_the_open_zaken_only(db):
    importeer(VOORBEELD.read_text().splitlines())
    huidig = beleid_op(PEIL)
    concept = huidig.model_copy(
        update={
            "versie": "concept",
            "termijnen": huidig.termijnen.model_copy(
                update={"herbeoordeling_voor_einde_maanden": 9}
            ),
        }
    )
    uit = analyse.whatif(concept, PEIL)
    assert uit["zaken"] == 8  # the open ones
    gewijzigd = {r["zaak"] for r in uit["verschillen"]}
    assert {r["veld"] for r in uit["verschillen"]} == {"herbeoordeling_start"}
    with session_scope() as session:
        lopend = {z.key for z in session.exec(select(Zaak).where(Zaak.status == "lopend"))}
    assert gewijzigd == lopend


# --- the command line (exit codes) -----------------------------------------------------------


def _meerzorg(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "MEERZORG_DATA_DIR": str(tmp_path / "data"),
        "MEERZORG_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'cli.db'}",
    }
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, env=env, timeout=120, cwd=PROJECT
    )


def test_cli_import_with_invalid_lines_exits_2_lists_each_and_imports_nothing(tmp_path):
    goed = VOORBEELD.read_text().splitlines()
    slecht = [goed[0], "{oops", goed[2], goed[3].replace('"ingediend_op"', '"ingediend"'), goed[4]]
    bestand = tmp_path / "historie.jsonl"
    bestand.write_text("\n".join(slecht) + "\n")
    r = _meerzorg(
        ["importeer", str(bestand), "--zonder-runs", "--peildatum", "2026-11-22"], tmp_path
    )
    assert r.returncode == 2 and r.stdout == ""
    regels = r.stderr.splitlines()
    regels = regels[next(i for i, x in enumerate(regels) if x.startswith("meerzorg:")) :]
    assert regels[0] == f"meerzorg: {bestand}: 2 of 5 lines invalid; nothing imported"
    assert regels[1].startswith("  line 2: not valid JSON")
    assert regels[2].startswith("  line 4: ") and "ingediend" in regels[2]
    db = tmp_path / "data" / "cli.db"
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as conn:
            tabellen = {r[0] for r in conn.execute("select name from sqlite_master")}
            if "zaak" in tabellen:
                assert conn.execute("select count(*) from zaak").fetchone() == (0,)

    ok = _meerzorg(
        ["importeer", str(VOORBEELD), "--zonder-runs", "--peildatum", "2026-11-22"], tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) | {"duur_s": 0} == {
        "geimporteerd": 12,
        "lopend": 8,
        "al_aanwezig": 0,
        "per_status": {
            "afgewezen": 1,
            "beeindigd": 3,
            "beoordeling": 3,
            "bezwaartermijn": 1,
            "lopend": 4,
        },
        "runs_gestart": 0,
        "duur_s": 0,
    }
    rapport = _meerzorg(
        [
            "rapport",
            "--jaar",
            "2026",
            "--uitvoer",
            str(tmp_path / "r"),
            "--peildatum",
            "2026-11-22",
        ],
        tmp_path,
    )
    assert rapport.returncode == 0, rapport.stderr
    assert json.loads(rapport.stdout)["aanvragen"] == sum(
        1 for line in goed if json.loads(line)["ingediend_op"].startswith("2026")
    )
    onbekend = tmp_path / "concept.toml"
    onbekend.write_text('versie = "c"\nbasis = "1999.9"\ningangsdatum = 2027-01-01\n')
    fouten = (
        (["whatif", str(onbekend)], "basis 1999.9 does not exist"),
        (["backfill", "--van", "2026-02-01", "--tot", "2026-01-01"], "is before van"),
        (["rapport", "--jaar", "26"], "not a year"),
    )
    # Each command is a fresh interpreter (about a second, more under load): run them together.
    with ThreadPoolExecutor(len(fouten)) as pool:
        uitkomsten = list(pool.map(lambda a: _meerzorg(a[0], tmp_path), fouten))
    for (args, fout), r in zip(fouten, uitkomsten, strict=True):
        # One error line (a library's warning on a loaded machine is not ours to count).
        regels = [x for x in r.stderr.splitlines() if x.startswith("meerzorg:")]
        assert r.returncode == 2 and len(regels) == 1 and fout in regels[0], (args, r.stderr)
