"""Import of a history file of 20,000 zaken (`meerzorg importeer --zonder-runs`) into a fresh
database: validation of every line, then the import; then the same file again (idempotent:
nothing created). Wall time of the command as a user runs it, and the import's own time
(`duur_s`, what the command prints), and the command's CPU time (start-up and validation
included, PostgreSQL's server not: what it costs on a core of its own, however loaded the
machine); zaken/s is the
median of `--runs` runs, for each of the three.

    .venv/bin/python benchmarks/bench_import.py [--zaken 20000] [--runs 3] [--per-overgang]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

`--per-overgang`: also once through the per-transition path (`importeer_per_overgang`, the
live apply one flush at a time: the import before issue 15) by the same command, side by
side, with the same resulting row counts checked. `--postgres URL`: the same on PostgreSQL
too; URL is an administrative database, a database of its own is made and dropped per run.

The command runs with a bytecode cache of its own (PYTHONPYCACHEPREFIX in the temporary
directory), warmed by a first small import, as an installed command has one: where
PYTHONDONTWRITEBYTECODE is set, every start would otherwise compile every module again
(seconds, not the import's)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from models.aanvraag import elfproef  # noqa: E402

PEIL = dt.date(2026, 11, 22)
PROFIELEN = {"verblijf": "VG7", "vpt": "LG6", "mpt": "VV7", "pgb": "VG5"}
NORM = {"VG7": 26.0, "LG6": 20.0, "VV7": 22.0, "VG5": 18.0}


def bsns(n: int) -> list[str]:
    out, i = [], 0
    while len(out) < n:
        b = f"9{i:08d}"
        if elfproef(b):
            out.append(b)
        i += 1
    return out


def regels(n: int, seed: int = 1) -> list[str]:
    """n valid historical zaken: a fifth groups of two, every kind of decision, 2022–2026."""
    rnd = random.Random(seed)
    nummers = iter(bsns(2 * n))
    out = []
    for i in range(n):
        vorm = rnd.choice(list(PROFIELEN))
        groep = vorm in ("verblijf", "vpt") and i % 5 == 0
        clienten = [
            {
                "client_id": f"C{i:06d}-{j}",
                "bsn": next(nummers),
                "zorgprofiel": PROFIELEN[vorm],
                "leveringsvorm": vorm,
                "indicatie_einddatum": "2034-12-31",
                "ontwikkeltrajecten": (
                    [{"bijeenkomst_1": "2023-03-01", "bijeenkomst_2": "2023-06-01"}]
                    if rnd.random() < 0.4
                    else []
                ),
            }
            for j in range(2 if groep else 1)
        ]
        ingediend = dt.date(2022, 1, 1) + dt.timedelta(days=rnd.randrange(0, 1750))
        norm = sum(NORM[c["zorgprofiel"]] for c in clienten)
        data = {
            "soort": "nieuw",
            "vorm": "groep" if groep else "individueel",
            "zorgaanbieder": {"agb": f"7373{rnd.randrange(100):04d}", "naam": "Aanbieder"},
            "clienten": clienten,
            "gevraagde_start": (ingediend + dt.timedelta(days=45)).isoformat(),
            "gevraagde_eind": (ingediend + dt.timedelta(days=45 + 720)).isoformat(),
            "uren_per_week": {"begeleiding": round(norm * 1.5, 1)},
            "vragenlijst": {"huidige_situatie": "a", "gewenste_situatie": "b", "inzet": "c"},
            "doelen": ["Afbouw binnen een jaar"],
            "check_vooraf": {
                k: True
                for k in (
                    "indicatie_passend",
                    "beeldvorming_helder",
                    "handelingsverlegenheid",
                    "basiszorg_op_orde",
                    "driehoek_betrokken",
                    "client_betrokken",
                    "cce_consultatie_overwogen",
                )
            },
            "provider_referentie": f"BENCH-{i:06d}",
            "ingediend_op": ingediend.isoformat(),
        }
        datum = min(ingediend + dt.timedelta(days=rnd.randrange(10, 70)), PEIL)
        uitkomst = rnd.choice(("toekennen", "toekennen", "toekennen", "afwijzen", "bijstellen"))
        if ingediend + dt.timedelta(days=70) < PEIL:
            besluit = {"uitkomst": uitkomst, "datum": datum.isoformat()}
            if uitkomst == "toekennen":
                start = datum + dt.timedelta(days=14)
                besluit |= {
                    "start": start.isoformat(),
                    "eind": (start + dt.timedelta(days=rnd.randrange(180, 1090))).isoformat(),
                }
            else:
                besluit["onderbouwing"] = "Historisch besluit."
            data["besluit"] = besluit
        out.append(json.dumps(data))
    return out


# The command line itself; the per-transition path is the same command with the bulk
# import swapped for the reference one, so both pay the same start-up and validation.
BULK = "import sys; from deployments.cli import main; sys.exit(main(sys.argv[1:]))"
PER_OVERGANG = (
    "import sys; from tasks import historie_import as h; "
    "h.importeer = h.importeer_per_overgang; "
    "from deployments.cli import main; sys.exit(main(sys.argv[1:]))"
)
TABELLEN = ("zaak", "client", "besluit", "beschikking", "deadline", "auditevent")


def cpu_kinderen() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def meerzorg(args: list[str], env: dict, runner: str = BULK) -> tuple[float, float, dict]:
    """Wall time, CPU time (what the command costs whatever else the machine runs), output."""
    c0, t0 = cpu_kinderen(), time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", runner, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT,
    )
    wall, cpu = time.perf_counter() - t0, cpu_kinderen() - c0
    if r.returncode != 0:
        raise SystemExit(f"meerzorg {' '.join(args)} failed: {r.stderr}")
    return wall, cpu, json.loads(r.stdout)


class Database:
    """A fresh database per run: a SQLite file, or a PostgreSQL database of its own."""

    def __init__(self, tmp: Path, postgres: str | None) -> None:
        self.tmp, self.postgres = tmp, postgres

    def nieuw(self, naam: str) -> str:
        if self.postgres is None:
            return f"sqlite:///{self.tmp / naam / 'meerzorg.db'}"
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        db = f"meerzorg_bench_{secrets.token_hex(4)}"
        admin = create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
        admin.dispose()
        return make_url(self.postgres).set(database=db).render_as_string(hide_password=False)

    def weg(self, url: str) -> None:
        if self.postgres is None:
            return
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            db = make_url(url).database
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def rijen(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        uit = {t: conn.execute(text(f"select count(*) from {t}")).scalar_one() for t in TABELLEN}
    engine.dispose()
    return uit


def een_run(bestand: Path, db: Database, naam: str, env: dict, runner: str) -> dict:
    """Import into a fresh database, then the same file again; the row counts after."""
    url = db.nieuw(naam)
    env = {**env, "MEERZORG_DATA_DIR": str(db.tmp / naam), "MEERZORG_DATABASE_URL": url}
    cmd = ["importeer", str(bestand), "--zonder-runs", "--peildatum", PEIL.isoformat()]
    try:
        wall, cpu, eerste = meerzorg(cmd, env, runner)
        wall2, _, tweede = meerzorg(cmd, env, runner)
        assert tweede["geimporteerd"] == 0, tweede
        return {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "in_proces_s": eerste["duur_s"],
            "herimport_wall_s": round(wall2, 2),
            "herimport_in_proces_s": tweede["duur_s"],
            "uitkomst": {k: v for k, v in eerste.items() if k != "duur_s"},
            "rijen": rijen(url),
        }
    finally:
        db.weg(url)


def per_s(zaken: int, runs: list[dict], veld: str) -> int:
    return round(zaken / statistics.median(r[veld] for r in runs))


def meet(bestand: Path, zaken: int, db: Database, env: dict, args) -> dict:
    runs = [een_run(bestand, db, f"bulk-{i}", env, BULK) for i in range(args.runs)]
    assert all(r["rijen"] == runs[0]["rijen"] for r in runs)
    uit = {
        "bulk": {
            "zaken_per_s": per_s(zaken, runs, "wall_s"),
            "zaken_per_s_in_proces": per_s(zaken, runs, "in_proces_s"),
            "zaken_per_s_cpu": per_s(zaken, runs, "cpu_s"),
            "mediaan_wall_s": statistics.median(r["wall_s"] for r in runs),
            "mediaan_herimport_wall_s": statistics.median(r["herimport_wall_s"] for r in runs),
            "runs": [{k: v for k, v in r.items() if k not in ("uitkomst", "rijen")} for r in runs],
        },
        "uitkomst": runs[0]["uitkomst"],
        "rijen": runs[0]["rijen"],
    }
    if args.per_overgang:
        ref = een_run(bestand, db, "per-overgang", env, PER_OVERGANG)
        # The same rows (counted here; row by row in tests/integration/test_import_bulk.py).
        assert (ref["rijen"], ref["uitkomst"]) == (runs[0]["rijen"], runs[0]["uitkomst"]), ref
        uit["per_overgang"] = {
            "zaken_per_s": per_s(zaken, [ref], "wall_s"),
            "zaken_per_s_in_proces": per_s(zaken, [ref], "in_proces_s"),
            "zaken_per_s_cpu": per_s(zaken, [ref], "cpu_s"),
            **{k: v for k, v in ref.items() if k not in ("uitkomst", "rijen")},
        }
    return uit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zaken", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-overgang", action="store_true")
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-import-"))
    try:
        print(json.dumps(meet_alles(tmp, args), indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def meet_alles(tmp: Path, args) -> dict:
    bestand = tmp / "historie.jsonl"
    t0 = time.perf_counter()
    lines = regels(args.zaken)
    bestand.write_text("\n".join(lines) + "\n")
    gegenereerd = time.perf_counter() - t0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    warm = tmp / "warm.jsonl"
    warm.write_text("\n".join(lines[:20]) + "\n")
    een_run(warm, Database(tmp, None), "warm", env, PER_OVERGANG)  # fills the bytecode cache
    uit = {
        "zaken": args.zaken,
        "bestand_mb": round(bestand.stat().st_size / 1e6, 1),
        "genereren_s": round(gegenereerd, 1),
        "load_avg_1m_voor": round(os.getloadavg()[0], 1),
        "sqlite": meet(bestand, args.zaken, Database(tmp, None), env, args),
    }
    if args.postgres:
        uit["postgres"] = meet(bestand, args.zaken, Database(tmp, args.postgres), env, args)
    uit["load_avg_1m_na"] = round(os.getloadavg()[0], 1)
    return uit


if __name__ == "__main__":
    main()
