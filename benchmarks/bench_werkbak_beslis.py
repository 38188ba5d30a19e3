"""From Submit to the zaak's next wait shown (issue 27): deciding in the dossier against the same
decision through Prefect's Resume, side by side on one embedded system with the logins on
(deployments/system.py: Prefect behind the gateway, the runner serving prefect.yaml).

Per zaak (an individual aanvraag from examples/, toekend without four eyes), alternating:
  dossier  POST /zaken/KEY/beslissen with the session cookie (claimed first, not timed): the
           gateway checks role, claim and the rules, resumes the run signed by the login and
           answers once the zaak left its wait; then GET /zaken/KEY shows the new state;
  resume   POST /api/flow_runs/ID/resume through the gateway with the same form (as Prefect's
           UI sends it), then GET /zaken/KEY until the dossier shows the zaak past its wait.
Printed: p50 and max of each, and the target (dossier p50 ≤ 2 s).

    .venv/bin/python benchmarks/bench_werkbak_beslis.py [--n 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks.bench_gateway import omgeving as gateway_omgeving  # noqa: E402
from deployments.system import EmbeddedSystem  # noqa: E402

WACHTWOORD = "benchmark-wachtwoord-lang"
FORM = {
    "uitkomst": "toekennen",
    "kwaliteit_van_leven": "voldoet",
    "kwaliteit_van_leven_motivering": "Minder incidenten.",
    "doelmatigheid": "voldoet",
    "doelmatigheid_motivering": "Inzet past bij de doelen.",
    "maatschappelijk_verantwoord": "voldoet",
    "maatschappelijk_verantwoord_motivering": "Alternatieven benut.",
    "perspectief_verwachting": "Afbouw na een jaar.",
    "evalueren_op": "2027-06-01",
}
CRITERIA = ("zorg_en_context", "basis_op_orde", "past_niet_in_profiel", "andere_opties_eerst",
            "afbouw_overwogen", "in_verhouding")  # fmt: skip


def omgeving(tmp: Path) -> int:
    """The gateway benchmark's environment (its own data dir and PREFECT_HOME, the logins
    on, the service credential), as the staff member `beheerder` who creates the logins."""
    os.environ["MEERZORG_MEDEWERKER"] = "beheerder"
    return gateway_omgeving(tmp)


def aanvraag(i: int) -> dict:
    data = json.loads((PROJECT / "examples" / "aanvraag-groep-vg.json").read_text())
    c = dict(data["clienten"][0], client_id=f"BENCH-{i}", bsn=["999991000", "999991012",
             "999991024", "999991036", "999991048", "999991061", "999991073", "999991085",
             "999991097", "999991103"][i % 10])  # fmt: skip
    c.pop("correspondentie", None)
    data.update(vorm="individueel", clienten=[c], provider_referentie=f"BENCH-BESLIS-{i}")
    data["uren_per_week"] = {"begeleiding": 24, "verzorging": 8, "verpleging": 2,
                             "dagbesteding": 6, "nachtzorg": 5}  # fmt: skip
    return data


def wacht_key(key: str) -> str | None:
    from models.db.store import session_scope
    from models.db.tables import Zaak

    with session_scope() as session:
        z = session.get(Zaak, key)
        return z.wacht_key if z else None


def tot(predicaat, seconden: float = 120, stap: float = 0.05):
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if waarde := predicaat():
            return waarde
        time.sleep(stap)
    raise SystemExit("timed out waiting")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=5)
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-beslis-"))
    port = omgeving(tmp)
    import httpx

    from deployments import operations as ops
    from deployments.cli_beheer import medewerker_registreer
    from models.dates import vandaag
    from models.db.store import migrate, registreer_aanbieder, session_scope
    from tasks import runs

    migrate()
    system = EmbeddedSystem(port=port, home=tmp / "prefect", schedules=False, auth=True)
    system.start_server()
    system.start_runner()
    try:
        medewerker_registreer("bo-1", "beoordelaar", WACHTWOORD)
        with session_scope() as session:
            registreer_aanbieder(session=session, agb="73730001", naam="Bench", notify=[])
        web = httpx.Client(base_url=system.ui_url, timeout=60, follow_redirects=False)
        r = web.post("/login", data={"id": "bo-1", "wachtwoord": WACHTWOORD, "next": "/werkbak"})
        assert r.status_code == 303, r.text
        tijden: dict[str, list[float]] = {"dossier": [], "resume": []}
        for i in range(2 * a.n):
            pad = "dossier" if i % 2 == 0 else "resume"
            res = ops.indienen(json.dumps(aanvraag(i)), vandaag())
            key, run_id = res["zaak"], res["flow_run_id"]
            wk = tot(lambda key=key: (w := wacht_key(key)) and w.startswith("beoordeling-") and w)
            tot(lambda run_id=run_id, wk=wk: runs.pause_key(run_id) == wk)
            time.sleep(1.0)  # the run's form is saved just after the pause
            csrf = re.search(r'name="csrf" value="([^"]+)"', web.get("/werkbak").text).group(1)
            assert (
                web.post("/werkbak/oppakken", data={"zaak": key, "csrf": csrf}).status_code == 303
            )
            form = {**FORM, **{k: "ja" for k in CRITERIA}}
            t0 = time.perf_counter()
            if pad == "dossier":
                r = web.post(f"/zaken/{key}/beslissen", data={**form, "csrf": csrf})
                assert r.status_code == 303, r.text[-500:]
                pagina = web.get(f"/zaken/{key}").text
                assert "Uw beslissing is verwerkt." in pagina, "the run did not move within 20 s"
            else:
                invoer = {
                    **FORM,
                    **dict.fromkeys(CRITERIA, True),
                    "peildatum": vandaag().isoformat(),
                }
                r = web.post(f"/api/flow_runs/{run_id}/resume", json={"run_input": invoer})
                assert r.status_code < 300 and r.json().get("status") == "ACCEPT", r.text
                tot(lambda key=key, wk=wk: wk not in web.get(f"/zaken/{key}").text.split("Audittrail")[0]
                    and wacht_key(key) != wk)  # fmt: skip
            tijden[pad].append(time.perf_counter() - t0)
            print(f"{key} {pad:8s} {tijden[pad][-1]:.2f} s", flush=True)
        print(f"n={a.n} each, {dt.datetime.now(dt.UTC):%Y-%m-%d}, load {os.getloadavg()[0]:.1f}")
        for pad, t in tijden.items():
            print(f"  {pad:8s} p50 {statistics.median(t):.2f} s  max {max(t):.2f} s")
        p50 = statistics.median(tijden["dossier"])
        print(f"target dossier p50 ≤ 2 s: {'met' if p50 <= 2 else 'NOT met'} ({p50:.2f} s)")
    finally:
        system.stop()


if __name__ == "__main__":
    main()
