"""Throughput of the pure rules: toets and plan, parsed and unparsed.

Generates N varied aanvragen (default 100,000; profiles, leveringsvormen, soort, group sizes,
hours, dates, check vooraf, policy versions by peildatum) in one process, as JSON text, and
measures aanvragen per second for:

- toets, parsed:   parse_aanvraag(JSON text, incl. validation) + toets(...).public()
- toets, unparsed: toets(...).public() on already-validated Aanvraag models
- plan, parsed:    parse_beschikking(JSON text) + plan_public(...)
- plan, unparsed:  plan_public(...) on already-validated Beschikking models

Each measurement is repeated (default 3 times); the median is reported.

    .venv/bin/python benchmarks/bench_rules.py [--n N] [--repeats R] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.aanvraag import parse_aanvraag, parse_beschikking  # noqa: E402
from models.beleid import (  # noqa: E402
    BEHANDELAARS,
    LEVERINGSVORMEN,
    ZORG_CATEGORIEEN,
    alle_versies,
)
from models.dates import termijn_einde  # noqa: E402
from models.planner import plan_public  # noqa: E402
from models.toets import toets  # noqa: E402

BSNS = (
    "999990007",
    "999990019",
    "999990020",
    "999990032",
    "999990044",
    "999990056",
    "999990068",
    "999990081",
    "999990093",
    "999990111",
)
EERSTE = dt.date(2025, 3, 15)  # so that start - 40 days still has a policy in force
DAGEN = (dt.date(2028, 12, 31) - EERSTE).days


def _dag(rng: random.Random, van: dt.date = EERSTE, dagen: int = DAGEN) -> dt.date:
    return van + dt.timedelta(days=rng.randrange(dagen))


def genereer(n: int, seed: int) -> tuple[list[str], list[str], list[dt.date]]:
    """n aanvragen and n beschikkingen as JSON text, plus a peildatum per item."""
    rng = random.Random(seed)
    versies = alle_versies()
    profielen = {lv: sorted(versies[0].profielen[lv]) for lv in LEVERINGSVORMEN}
    # Mostly eligible profiles, sometimes one without meerzorg (VG6) or a lower profile.
    alle_profielen = sorted(versies[0].norm_uren_per_week)
    aanvragen, beschikkingen, peildata = [], [], []
    for i in range(n):
        peildatum = _dag(rng)
        soort = rng.choices(("nieuw", "verlenging", "preventief"), (6, 3, 1))[0]
        grootte = rng.choices((1, 2, 3, 4, 6), (10, 4, 3, 2, 1))[0]
        start = peildatum + dt.timedelta(days=rng.randint(-30, 120))
        maanden = (
            rng.choice((2, 3, 6, 7)) if soort == "preventief" else rng.choice((6, 12, 24, 36, 40))
        )
        eind = termijn_einde(start, maanden)
        clienten = []
        for k in range(grootte):
            lv = rng.choices(LEVERINGSVORMEN, (6, 1, 2, 2))[0]
            profiel = (
                rng.choice(profielen[lv]) if rng.random() < 0.92 else rng.choice(alle_profielen)
            )
            clienten.append(
                {
                    "client_id": f"C{i}-{k}",
                    "bsn": BSNS[k],
                    "zorgprofiel": profiel,
                    "leveringsvorm": lv,
                    "vg7_plus": profiel == "VG7" and rng.random() < 0.15,
                    "lvhc": rng.random() < 0.05,
                    "indicatie_einddatum": (
                        start + dt.timedelta(days=rng.randint(-60, 2500))
                    ).isoformat(),
                    "ontwikkeltrajecten": [
                        {
                            "bijeenkomst_1": (
                                b1 := start - dt.timedelta(days=rng.randint(30, 1500))
                            ).isoformat(),
                            "bijeenkomst_2": (
                                b1 + dt.timedelta(days=rng.randint(14, 200))
                            ).isoformat()
                            if rng.random() < 0.8
                            else None,
                        }
                        for _ in range(rng.choice((0, 0, 1, 2)))
                    ],
                }
            )
        norm = sum(versies[0].norm_uren_per_week[c["zorgprofiel"]] for c in clienten)
        totaal = norm * rng.uniform(0.9, 2.5)
        mix = [rng.random() for _ in ZORG_CATEGORIEEN]
        uren = {
            c: round(min(168.0, totaal * m / sum(mix)), 1)
            for c, m in zip(ZORG_CATEGORIEEN, mix, strict=True)
        }
        check = {
            k: rng.random() < 0.95
            for k in (
                "indicatie_passend",
                "beeldvorming_helder",
                "handelingsverlegenheid",
                "basiszorg_op_orde",
                "driehoek_betrokken",
                "client_betrokken",
                "cce_consultatie_overwogen",
            )
        }
        check["andere_toeslagen"] = rng.random() < 0.03
        aanvraag = {
            "soort": soort,
            "vorm": "individueel" if grootte == 1 and rng.random() < 0.95 else "groep",
            "zorgaanbieder": {"agb": f"7373{rng.randrange(10000):04d}", "naam": "Zorgaanbieder"},
            "clienten": clienten,
            "gevraagde_start": start.isoformat(),
            "gevraagde_eind": eind.isoformat(),
            "uren_per_week": uren,
            "behandelaar_uren_per_week": {
                b: rng.choice((0, 0, 0.5, 1, 2, 4)) for b in BEHANDELAARS
            },
            "context_middelen_per_jaar": rng.choice((0, 0, 5000, 12500, 60000)),
            "vragenlijst": {
                "huidige_situatie": "Huidige situatie.",
                "gewenste_situatie": "Gewenste situatie.",
                "inzet": "Inzet." if rng.random() < 0.97 else "",
            },
            "doelen": ["Afbouw binnen een jaar"] if rng.random() < 0.97 else [],
            "check_vooraf": check,
        }
        if soort == "verlenging" and rng.random() < 0.9:
            aanvraag["evaluatie_vorige_periode"] = "Doelen deels behaald."
        beschikking = dict(
            aanvraag,
            start=start.isoformat(),
            eind=eind.isoformat(),
            uitkomst=rng.choices(("toekennen", "bijstellen", "afwijzen"), (8, 1, 1))[0],
            besluitdatum=(start - dt.timedelta(days=rng.randint(0, 40))).isoformat(),
        )
        aanvragen.append(json.dumps(aanvraag))
        beschikkingen.append(json.dumps(beschikking))
        peildata.append(peildatum)
    return aanvragen, beschikkingen, peildata


def meet(naam: str, n: int, werk: Callable[[], object], repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        werk()
        rates.append(n / (time.perf_counter() - t0))
    mediaan = statistics.median(rates)
    runs = ", ".join(f"{r:>9,.0f}" for r in rates)
    print(f"{naam:<17} {mediaan:>10,.0f} /s   (runs: {runs})", flush=True)
    return mediaan


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of aanvragen (100000)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per measurement (3)")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args(argv)
    n = args.n

    print(
        f"python {platform.python_version()} on {platform.machine()}; n={n:,}, repeats={args.repeats}"
    )
    t0 = time.perf_counter()
    aanvraag_json, beschikking_json, peildata = genereer(n, args.seed)
    print(f"generated {n:,} aanvragen + beschikkingen in {time.perf_counter() - t0:.1f}s")

    # Validate once outside the timing (and describe the mix).
    aanvragen = [parse_aanvraag(t) for t in aanvraag_json]
    resultaten = [toets(a, p) for a, p in zip(aanvragen, peildata, strict=True)]
    versies = Counter(r.beleidsversie for r in resultaten)
    ontvankelijk = sum(r.ontvankelijk for r in resultaten)
    codes = Counter(c for r in resultaten for c in set(r.codes))
    print(
        f"mix: ontvankelijk {ontvankelijk / n:.0%}; policy versions "
        + ", ".join(f"{v} {k / n:.0%}" for v, k in sorted(versies.items()))
        + f"; {len(codes)} distinct finding codes"
    )
    resultaten.clear()

    paren = list(zip(aanvraag_json, peildata, strict=True))
    mediaan = {}
    print(f"\n{'measurement':<17} {'median':>10}")
    mediaan["toets parsed"] = meet(
        "toets parsed",
        n,
        lambda: [toets(parse_aanvraag(t), p).public() for t, p in paren],
        args.repeats,
    )
    model_paren = list(zip(aanvragen, peildata, strict=True))
    mediaan["toets unparsed"] = meet(
        "toets unparsed", n, lambda: [toets(a, p).public() for a, p in model_paren], args.repeats
    )
    model_paren.clear()  # free the models before the plan measurements
    aanvragen.clear()

    paren = list(zip(beschikking_json, peildata, strict=True))
    mediaan["plan parsed"] = meet(
        "plan parsed",
        n,
        lambda: [plan_public(parse_beschikking(t), p) for t, p in paren],
        args.repeats,
    )
    beschikkingen = [(parse_beschikking(t), p) for t, p in paren]
    mediaan["plan unparsed"] = meet(
        "plan unparsed", n, lambda: [plan_public(b, p) for b, p in beschikkingen], args.repeats
    )
    print(
        "\nvalidation share: toets {:.0%}, plan {:.0%}".format(
            1 - mediaan["toets parsed"] / mediaan["toets unparsed"],
            1 - mediaan["plan parsed"] / mediaan["plan unparsed"],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
