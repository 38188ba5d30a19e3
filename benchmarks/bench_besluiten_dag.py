"""What a day with N besluiten (default 1,000) adds to the deadline sweep now that every
besluit makes its letters (issue 25 point 7; models/db/brieven.maak_brieven, called from
models/db/zaak_store._na_effecten in the transition's own transaction).

The day: N zaken were registered on DAG with an incomplete aanvraag (examples/
aanvraag-groep-vg.json as an individual aanvraag of one client, `vragenlijst.inzet` empty),
so after the toets each waits in herstel with a `herstel_termijn` timer four weeks later
(Awb 4:5). On the day those timers are due, the sweep's database part runs, the code the
deadline-sweep flow runs in its tasks: `tasks.zaak.due_deadlines(day)` and
`tasks.zaak.vuur_deadline(id, day)` for each due row, one transaction each. Each fires a
buiten_behandeling besluit. Not measured: Prefect (no flow run, no run resumed) and the
outbox that later sends the letters.

Three variants, each on its own fresh SQLite database built the same way, their days
measured one after another in the same process:
  (a) letters as they are, zaken without parties: one letter per besluit (the provider's);
  (b) each client with a digital correspondentie and a vertegenwoordiger by post: three
      letters per besluit (provider, client, vertegenwoordiger);
  (c) the baseline, letters switched off: in this benchmark process only,
      `models.db.zaak_store.maak_brieven` is replaced by a function that returns None for
      the duration of that day (monkeypatched here; production code is not changed).
In (a) and (b) `models.db.brieven.render_pdf` is wrapped by a timer (same process only) to
split the render time from the rest of making a letter (composing, storing the PDF in the
case database, the outbox row). Before the days a warm-up database of a few zaken is fired
with letters, so the font preparation and lazy imports fall outside every variant.

Printed as JSON: per variant the seconds for the day, ms per besluit, the ratio to the
baseline, the letters made and the letters per second inside the sweep (letters over the
render time, and letters over the time the day took beyond the baseline); the machine's
cores, the load average and the date. With --rondes R > 1 every round builds three fresh
databases, the order of the days rotates, and medians are reported.

    .venv/bin/python benchmarks/bench_besluiten_dag.py [--zaken 1000] [--rondes 1]
    .venv/bin/python benchmarks/bench_besluiten_dag.py --zaken 200          # a quick run
    .venv/bin/python benchmarks/bench_besluiten_dag.py --profiel a          # cProfile one day
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

DAG = dt.date(2026, 11, 22)
VOORBEELD = json.loads((PROJECT / "examples" / "aanvraag-groep-vg.json").read_text())
VARIANTEN = {
    "a": "brieven, zaken zonder partijen (1 brief: de zorgaanbieder)",
    "b": "brieven, client digitaal + vertegenwoordiger per post (3 brieven)",
    "c": "geen brieven (maak_brieven uitgeschakeld): de basislijn",
}


def _bsns():
    from models.aanvraag import elfproef

    i = 0
    while True:
        bsn = f"8{i:08d}"
        if elfproef(bsn):
            yield bsn
        i += 1


def aanvraag(i: int, bsn: str, partijen: bool) -> dict:
    """An individual, incomplete aanvraag of one client (inzet empty: herstel)."""
    data = copy.deepcopy(VOORBEELD)
    data["vorm"] = "individueel"
    client = data["clienten"][0]
    client.pop("correspondentie", None)
    client.pop("vertegenwoordiger", None)
    client["client_id"] = f"BENCH-{i:06d}"
    client["bsn"] = bsn
    if partijen:  # as tests/factories.correspondentie and .vertegenwoordiger
        client["correspondentie"] = {
            "kanaal": f"json://localhost:8099/client/BENCH-{i:06d}",
            "naam": "A. de Vries",
        }
        client["vertegenwoordiger"] = {
            "rol": "wettelijk vertegenwoordiger",
            "correspondentie": {
                "kanaal": "post",
                "naam": "M. Bakker",
                "adres": ["Voorbeeldstraat 12", "1234 AB Voorbeeldstad"],
            },
        }
    data["clienten"] = [client]
    data["vragenlijst"]["inzet"] = ""
    return data


def gebruik(url: str) -> None:
    os.environ["MEERZORG_DATABASE_URL"] = url


def bouw(url: str, zaken: int, partijen: bool) -> tuple[dt.date, float]:
    """A fresh database with `zaken` zaken in herstel; returns the day their timers are due."""
    from sqlmodel import func, select

    from models.aanvraag import parse_aanvraag
    from models.db.store import migrate, session_scope
    from models.db.tables import Deadline, Zaak
    from tasks import zaak as ops

    gebruik(url)
    migrate(url)
    t0 = time.perf_counter()
    bsn = _bsns()
    for i in range(zaken):
        key, nieuw = ops.registreer(
            parse_aanvraag(aanvraag(i, next(bsn), partijen)),
            DAG,
            provider_referentie=f"BENCH-REF-{i:06d}",
        )
        assert nieuw and ops.voer_actie_uit(key, DAG)
    with session_scope() as session:
        dagen = session.exec(
            select(Deadline.datum).where(Deadline.soort == "herstel_termijn").distinct()
        ).all()
        herstel = session.exec(select(func.count()).where(Zaak.status == "herstel")).one()
    assert herstel == zaken and len(dagen) == 1, (herstel, dagen)
    return dagen[0], time.perf_counter() - t0


class RenderKlok:
    """Wraps models.db.brieven.render_pdf in this process: counts letters and render time."""

    def __init__(self) -> None:
        import models.db.brieven as brieven

        self.brieven, self.origineel = brieven, brieven.render_pdf
        self.n, self.s = 0, 0.0

    def __enter__(self) -> RenderKlok:
        def getimed(inhoud):
            t0 = time.perf_counter()
            try:
                return self.origineel(inhoud)
            finally:
                self.s += time.perf_counter() - t0
                self.n += 1

        self.brieven.render_pdf = getimed
        return self

    def __exit__(self, *exc) -> None:
        self.brieven.render_pdf = self.origineel


class ZonderBrieven:
    """Variant (c): maak_brieven switched off in this benchmark process only."""

    def __enter__(self) -> ZonderBrieven:
        import models.db.zaak_store as zaak_store

        self.zaak_store, self.origineel = zaak_store, zaak_store.maak_brieven
        zaak_store.maak_brieven = lambda *args, **kwargs: None
        return self

    def __exit__(self, *exc) -> None:
        self.zaak_store.maak_brieven = self.origineel


def vuur_dag(dag: dt.date) -> int:
    """The sweep's database work for one day: find the due timers and fire each."""
    from tasks import zaak as ops

    gevuurd = 0
    for deadline_id in ops.due_deadlines(dag):
        if ops.vuur_deadline(deadline_id, dag) is not None:
            gevuurd += 1
    return gevuurd


def tel(url: str) -> dict:
    from sqlmodel import func, select

    from models.db.store import session_scope
    from models.db.tables import Besluit, Notificatie, Zaak
    from models.db.tables_brief import Brief

    gebruik(url)
    with session_scope() as session:
        return {
            "besluiten": session.exec(select(func.count()).select_from(Besluit)).one(),
            "brieven": session.exec(select(func.count()).select_from(Brief)).one(),
            "pdf_bytes": session.exec(
                select(func.coalesce(func.sum(func.length(Brief.pdf)), 0))
            ).one(),
            "buiten_behandeling": session.exec(
                select(func.count()).where(Zaak.status == "buiten_behandeling")
            ).one(),
            "notificaties": session.exec(select(func.count()).select_from(Notificatie)).one(),
        }


def meet_dag(variant: str, url: str, dag: dt.date) -> dict:
    gebruik(url)
    render = RenderKlok()
    with render, ZonderBrieven() if variant == "c" else _niets():
        t0 = time.perf_counter()
        gevuurd = vuur_dag(dag)
        s = time.perf_counter() - t0
    telling = tel(url)
    assert telling["buiten_behandeling"] == gevuurd == telling["besluiten"], telling
    return {"s": s, "gevuurd": gevuurd, "render_s": render.s, "gerenderd": render.n, **telling}


class _niets:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def opwarmen(tmp: Path) -> None:
    """Font preparation, lazy imports and first-call costs, outside the measured days."""
    url = f"sqlite:///{tmp / 'opwarmen.db'}"
    dag, _ = bouw(url, 3, partijen=True)
    vuur_dag(dag)


def profiel(variant: str, zaken: int, tmp: Path) -> str:
    """cProfile of one day of `variant` (the build not included): where the time goes."""
    url = f"sqlite:///{tmp / f'profiel-{variant}.db'}"
    dag, _ = bouw(url, zaken, partijen=variant == "b")
    gebruik(url)
    prof = cProfile.Profile()
    with ZonderBrieven() if variant == "c" else _niets():
        prof.enable()
        vuur_dag(dag)
        prof.disable()
    uit = io.StringIO()
    stats = pstats.Stats(prof, stream=uit).strip_dirs().sort_stats("cumulative")
    stats.print_stats(45)
    return uit.getvalue()


def mediaan(rondes: list[dict], veld: str) -> float:
    return statistics.median(r[veld] for r in rondes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zaken", type=int, default=1000, help="besluiten on the day (1000)")
    parser.add_argument("--rondes", type=int, default=1, help="fresh databases per variant (1)")
    parser.add_argument(
        "--profiel", choices=sorted(VARIANTEN), help="only cProfile one day of this variant"
    )
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="meerzorg-bench-besluiten-"))
    os.environ["MEERZORG_DATA_DIR"] = str(tmp)
    opwarmen(tmp)
    if args.profiel:
        print(profiel(args.profiel, args.zaken, tmp))
        return 0

    load_voor = os.getloadavg()
    gemeten: dict[str, list[dict]] = {v: [] for v in VARIANTEN}
    dagen = set()
    bouwen: dict[str, list[float]] = {v: [] for v in VARIANTEN}
    for ronde in range(args.rondes):
        databases = {}
        for v in VARIANTEN:
            url = f"sqlite:///{tmp / f'dag-{v}-{ronde}.db'}"
            dag, s = bouw(url, args.zaken, partijen=v == "b")
            databases[v] = (url, dag)
            dagen.add(dag)
            bouwen[v].append(s)
        volgorde = list(VARIANTEN)[ronde % 3 :] + list(VARIANTEN)[: ronde % 3]
        for v in volgorde:
            gemeten[v].append(meet_dag(v, *databases[v]))
    load_na = os.getloadavg()

    basis_s = mediaan(gemeten["c"], "s")
    uitkomst = {}
    for v, rondes in gemeten.items():
        s = mediaan(rondes, "s")
        brieven = rondes[0]["brieven"]
        render_s = mediaan(rondes, "render_s")
        rij = {
            "wat": VARIANTEN[v],
            "besluiten": rondes[0]["gevuurd"],
            "brieven": brieven,
            "brieven_per_besluit": round(brieven / max(rondes[0]["gevuurd"], 1), 2),
            "dag_s": round(s, 2),
            "dag_s_per_ronde": [round(r["s"], 2) for r in rondes],
            "ms_per_besluit": round(1000 * s / max(rondes[0]["gevuurd"], 1), 1),
            "ratio_tegen_basislijn": round(s / basis_s, 2),
            "bouwen_s": round(statistics.median(bouwen[v]), 1),
        }
        if brieven:
            extra = s - basis_s
            rij |= {
                "pdf_kb_per_brief": round(rondes[0]["pdf_bytes"] / brieven / 1024, 1),
                "render_s": round(render_s, 2),
                "render_ms_per_brief": round(1000 * render_s / brieven, 1),
                "brieven_per_s_render": round(brieven / render_s, 1),
                "extra_s_tegen_basislijn": round(extra, 2),
                "extra_ms_per_besluit": round(1000 * extra / rondes[0]["gevuurd"], 1),
                "brieven_per_s_in_de_sweep": round(brieven / extra, 1) if extra > 0 else None,
                "render_aandeel_van_extra": round(render_s / extra, 2) if extra > 0 else None,
            }
        uitkomst[v] = rij
    print(
        json.dumps(
            {
                "datum": dt.date.today().isoformat(),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "kernen": os.cpu_count(),
                "database": "SQLite (een vers bestand per variant en ronde)",
                "zaken": args.zaken,
                "rondes": args.rondes,
                "ingediend": DAG.isoformat(),
                "dag": sorted(d.isoformat() for d in dagen),
                "load_avg_1_5_15_voor": [round(x, 2) for x in load_voor],
                "load_avg_1_5_15_na": [round(x, 2) for x in load_na],
                "varianten": uitkomst,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
