"""Import of a history file of 20,000 zaken (`meerzorg importeer --zonder-runs`) into a fresh
SQLite database: validation of every line, then the import; then the same file again
(idempotent: nothing created). Wall time of the command as a user runs it.

    .venv/bin/python benchmarks/bench_import.py [--zaken 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
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


def meerzorg(args: list[str], env: dict) -> tuple[float, dict]:
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "deployments.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT,
    )
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"meerzorg {' '.join(args)} failed: {r.stderr}")
    return wall, json.loads(r.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zaken", type=int, default=20_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-import-"))
    bestand = tmp / "historie.jsonl"
    t0 = time.perf_counter()
    bestand.write_text("\n".join(regels(args.zaken)) + "\n")
    gegenereerd = time.perf_counter() - t0
    env = {
        **os.environ,
        "MEERZORG_DATA_DIR": str(tmp / "data"),
        "MEERZORG_DATABASE_URL": f"sqlite:///{tmp / 'data' / 'meerzorg.db'}",
    }
    cmd = ["importeer", str(bestand), "--zonder-runs", "--peildatum", PEIL.isoformat()]
    eerste_wall, eerste = meerzorg(cmd, env)
    tweede_wall, tweede = meerzorg(cmd, env)
    with sqlite3.connect(tmp / "data" / "meerzorg.db") as conn:
        rijen = {
            t: conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("zaak", "besluit", "beschikking", "deadline", "auditevent")
        }
    print(
        json.dumps(
            {
                "zaken": args.zaken,
                "bestand_mb": round(bestand.stat().st_size / 1e6, 1),
                "genereren_s": round(gegenereerd, 1),
                "import": {
                    "wall_s": round(eerste_wall, 1),
                    "in_proces_s": eerste["duur_s"],
                    "zaken_per_s": round(args.zaken / eerste_wall),
                    "uitkomst": {k: v for k, v in eerste.items() if k != "duur_s"},
                },
                "herimport": {
                    "wall_s": round(tweede_wall, 1),
                    "in_proces_s": tweede["duur_s"],
                    "geimporteerd": tweede["geimporteerd"],
                    "al_aanwezig": tweede["al_aanwezig"],
                },
                "rijen": rijen,
                "load_avg_1m": round(os.getloadavg()[0], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
