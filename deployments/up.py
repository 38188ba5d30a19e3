"""`meerzorg up [--port P] [--demo]`: the embedded default in one command."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import signal
import time

from deployments.sink import Sink
from deployments.system import EmbeddedSystem
from models.besluit_regels import CRITERIA
from models.dates import vandaag
from models.settings import PROJECT_DIR, get_settings

EXAMPLES = PROJECT_DIR / "examples"


def up(port: int | None = None, demo: bool = False) -> None:
    settings = get_settings()
    system = EmbeddedSystem(port=port or settings.prefect_port)
    os.environ.update({k: v for k, v in system.env.items() if k.startswith("PREFECT_")})
    from models.db.store import migrate

    print(f"meerzorg: database {settings.db_url.split('@')[-1]} migreren...", flush=True)
    migrate()
    print(f"meerzorg: Prefect server starten op {system.ui_url} ...", flush=True)
    if system.auth:
        # MEERZORG_AUTH=aan: logins in front of UI and API (deployments/gateway.py).
        print(
            f"meerzorg: toegang alleen met login via de gateway op {system.ui_url} "
            f"(Prefect zelf intern op 127.0.0.1:{system.internal_port})",
            flush=True,
        )
    sink = None
    try:
        if demo:
            sink = Sink(echo=True, log_file=settings.data_dir / "demo-notificaties.jsonl").start()
            # A provider's webhook may point at the demo's sink on this machine (http).
            system.env["MEERZORG_AANBIEDER_WEBHOOK_LOKAAL"] = "1"
            os.environ["MEERZORG_AANBIEDER_WEBHOOK_LOKAAL"] = "1"
            if not settings.cce_targets:
                # The CCE's own channel (its invitation to the dialoog, R §10) is the demo
                # sink's /cce when none is configured; the runner inherits it.
                system.env["MEERZORG_CCE_NOTIFY"] = os.environ["MEERZORG_CCE_NOTIFY"] = (
                    f"{sink.url}cce"
                )
        system.start_server()
        system.start_runner()
        print(
            f"meerzorg: runner bedient de deployments uit prefect.yaml (logs in {system.log_dir})",
            flush=True,
        )
        # The demo's sink doubles as the operations channel when none is configured.
        dashboard_inrichten(settings.operations_targets or ([sink.url] if sink else []))
        if demo:
            load_demo(sink.url)
        sweep_nu()
        publiceer_werkvoorraad()
        print(volgende_sweep_regel(), flush=True)
        print(dashboard_links(system.ui_url), flush=True)
        if system.auth and demo:
            print(demo_login_regels(), flush=True)
        elif system.auth:
            print(
                "Inloggen met een medewerker-id: `meerzorg medewerker registreer --id ID "
                "--rol ROL --wachtwoord`",
                flush=True,
            )
        print("(Ctrl-C stopt alles)", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        # Started in the background by a script, SIGINT arrives ignored: Ctrl-C still stops.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        while True:
            time.sleep(1)
            if system.server and system.server.poll() is not None:
                raise RuntimeError("the Prefect server stopped; see server.log")
            if system.gateway and system.gateway.poll() is not None:
                raise RuntimeError("the gateway stopped; see gateway.log")
    except KeyboardInterrupt:
        print("\nmeerzorg: stoppen...", flush=True)
    finally:
        system.stop()
        if sink:
            sink.stop()


def dashboard_inrichten(targets: list[str]) -> None:
    """Alert automations and saved views (deployments/automations.py); never fatal."""
    from deployments.automations import inrichten

    try:
        result = inrichten(targets)
    except Exception as exc:  # the system runs without alerts; say how to retry
        print(
            f"meerzorg: dashboard inrichten mislukt ({exc}); probeer `meerzorg dashboard inrichten`"
        )
        return
    if result["automations"]:
        print(
            f"meerzorg: alerts (mislukte runs, sweep niet voltooid) naar {result['kanalen']} "
            f"operations-kanaal/kanalen; {len(result['views'])} opgeslagen views per rol",
            flush=True,
        )
    else:
        print("meerzorg: geen MEERZORG_OPERATIONS_NOTIFY: geen alerts ingericht", flush=True)


def volgende_sweep_regel(timeout: float = 90) -> str:
    """The scheduler's next deadline-sweep run, once it exists (the server's scheduler adds
    upcoming runs for a new deployment within seconds; none means it does not work)."""
    import pendulum
    from prefect.client.orchestration import get_client

    from deployments.specs import SWEEP_DEPLOYMENT, scheduled_deployments
    from tasks.status import scheduler_feiten

    if SWEEP_DEPLOYMENT not in scheduled_deployments():
        return "meerzorg: de deadline-sweep heeft geen schema (start hem met `meerzorg sweep`)"
    deadline = time.monotonic() + timeout
    while True:
        with get_client(sync_client=True) as client:
            volgende = scheduler_feiten(client)["volgende"].get(SWEEP_DEPLOYMENT)
        if volgende:
            lokaal = pendulum.parse(volgende).in_timezone("Europe/Amsterdam")
            return f"meerzorg: volgende deadline-sweep {lokaal.format('YYYY-MM-DD HH:mm')} (Europe/Amsterdam)"
        if time.monotonic() > deadline:
            return (
                f"meerzorg: LET OP: na {timeout:.0f} s nog geen geplande deadline-sweep; "
                "kijk in server.log of de scheduler werkt (`meerzorg status`)"
            )
        time.sleep(2)


def sweep_nu() -> None:
    """One sweep at start: timers that fell due while the system was down fire now, not at
    the next scheduled sweep; runs lost meanwhile are started again."""
    from prefect.deployments import run_deployment

    try:
        run_deployment(
            "meerzorg-deadline-sweep/deadline-sweep", timeout=0, as_subflow=False, _sync=True
        )
        print(
            "meerzorg: deadline-sweep gestart (termijnen van vandaag, runs herstellen)", flush=True
        )
    except Exception as exc:
        print(f"meerzorg: deadline-sweep niet gestart ({exc})", flush=True)


def publiceer_werkvoorraad() -> None:
    """Run the werkvoorraad deployment once now, so its artifacts exist before the hour."""
    from prefect.deployments import run_deployment

    try:
        run_deployment(
            "meerzorg-werkvoorraad/werkvoorraad", timeout=0, as_subflow=False, _sync=True
        )
    except Exception as exc:
        print(f"meerzorg: werkvoorraad niet gestart ({exc})", flush=True)


def dashboard_links(ui_url: str) -> str:
    from deployments.automations import view_url

    return (
        f"\nDashboard: {ui_url}\n"
        f"  werkvoorraad (alle wachtende zaken): {ui_url}/artifacts/key/werkvoorraad\n"
        f"  beoordelaar: {view_url(ui_url, 'wacht-op:beoordeling')}\n"
        f"  CCE:         {ui_url}/artifacts/key/werkvoorraad-cce\n"
        f"  (opgeslagen views per rol: Runs, menu rechtsboven)\n"
        f"Werkbak van de beoordelaars: {ui_url}/werkbak\n"
        f"API voor zorgaanbieders: {ui_url}/aanbieder/v1/ (een sleutel: "
        "meerzorg aanbieder sleutel maak --agb AGB)\n"
    )


def _variant(base: dict, ref: str, client_id: str, bsn: str, **changes) -> dict:
    data = copy.deepcopy(base)
    data["vorm"] = "individueel"
    data["clienten"] = [dict(data["clienten"][0], client_id=client_id, bsn=bsn)]
    data["provider_referentie"] = ref
    for key, value in changes.items():
        if key.startswith("client_"):
            data["clienten"][0][key.removeprefix("client_")] = value
        else:
            data[key] = value
    return data


def demo_aanvragen(peildatum: dt.date) -> list[tuple[dict, dict | None]]:
    """Long because it is demo data. About ten aanvragen, each with the decision to take (None: leave it waiting)."""
    groep = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
    thuis = json.loads((EXAMPLES / "aanvraag-thuis-pgb.json").read_text())
    start = (peildatum + dt.timedelta(days=30)).isoformat()
    eind = (peildatum + dt.timedelta(days=700)).isoformat()
    groep.update(gevraagde_start=start, gevraagde_eind=eind, provider_referentie="DEMO-LINDE-G1")
    thuis.update(gevraagde_start=start, gevraagde_eind=eind, provider_referentie="DEMO-ANKER-1")
    individueel = _variant(
        groep,
        "DEMO-LINDE-2",
        "LINDE-031",
        "999990044",
        uren_per_week={
            "begeleiding": 24,
            "verzorging": 8,
            "verpleging": 2,
            "dagbesteding": 6,
            "nachtzorg": 5,
        },
    )
    besluit = {"beoordelaar": "demo-beoordelaar"}
    return [
        (groep, None),
        (thuis, None),
        (individueel, None),
        (
            _variant(
                individueel, "DEMO-LINDE-3", "LINDE-040", "999990056", client_zorgprofiel="VG8"
            ),
            None,
        ),
        (
            _variant(
                individueel, "DEMO-LINDE-4", "LINDE-041", "999990068", client_zorgprofiel="VG6"
            ),
            None,
        ),
        (
            _variant(
                individueel,
                "DEMO-LINDE-5",
                "LINDE-042",
                "999990081",
                uren_per_week={
                    "begeleiding": 20,
                    "verzorging": 6,
                    "verpleging": 0,
                    "dagbesteding": 4,
                    "nachtzorg": 0,
                },
            ),
            None,
        ),
        (
            _variant(individueel, "DEMO-LINDE-6", "LINDE-043", "999990093"),
            {
                **besluit,
                "uitkomst": "toekennen",
                "kwaliteit_van_leven": "voldoet",
                "kwaliteit_van_leven_motivering": "Minder incidenten verwacht.",
                "doelmatigheid": "voldoet",
                "doelmatigheid_motivering": "Inzet past bij de doelen.",
                "maatschappelijk_verantwoord": "voldoet",
                "maatschappelijk_verantwoord_motivering": "Andere opties zijn benut.",
                # R §10: every algemeen toetsingscriterium confirmed, and the perspectief.
                **dict.fromkeys(CRITERIA, True),
                "perspectief_verwachting": "Afbouw van de extra begeleiding na een jaar.",
                "evalueren_op": (peildatum + dt.timedelta(days=365)).isoformat(),
            },
        ),
        (
            _variant(individueel, "DEMO-LINDE-7", "LINDE-044", "999990111"),
            {
                **besluit,
                "uitkomst": "afwijzen",
                # Issue 26 point 2: the failing pillar with its motivation, and the weighing
                # of the toets's advice the afwijzing departs from (Awb 3:46).
                "doelmatigheid": "voldoet niet",
                "doelmatigheid_motivering": "Basiszorg is nog niet op orde; eerst verbeterplan.",
                "onderbouwing": "Anders dan het advies (toekennen): de basiszorg is nog niet "
                "op orde, eerst een verbeterplan.",
            },
        ),
        (
            _variant(individueel, "DEMO-LINDE-8", "LINDE-045", "999990123"),
            {
                **besluit,
                "uitkomst": "bijstellen",
                # Awb 3:46: the toets never advises bijstellen (R §9, §10): weigh why.
                "onderbouwing": "Anders dan het advies (toekennen) van de toets: nachtzorg is "
                "niet onderbouwd; graag herzien.",
                "instemming_opschorting": True,  # Awb 4:15 lid 2 sub a: shown on the card
            },
        ),
        (
            _variant(
                individueel,
                "DEMO-LINDE-9",
                "LINDE-046",
                "999990135",
                client_vg7_plus=True,
                soort="nieuw",
            ),
            None,
        ),
    ]


# One login per role for the demo (the gateway's login page; README, Dashboard).
DEMO_LOGINS = (
    ("demo-beoordelaar", "beoordelaar"),
    ("demo-teamleider", "teamleider"),
    ("demo-jurist", "jurist"),
    ("demo-cce", "cce"),
    ("demo-analist", "analist"),
    ("demo-operations", "operations"),
)


DEMO_WACHTWOORDEN = "demo-wachtwoorden"


def demo_wachtwoorden() -> dict[str, str]:
    """Each demo login its own password (one shared password let any demo login act as every
    other): generated once per data directory, kept there (0600), one "id wachtwoord" a line."""
    import secrets

    pad = get_settings().data_dir / DEMO_WACHTWOORDEN
    bekend = {}
    if pad.exists():
        bekend = dict(r.split(" ", 1) for r in pad.read_text().splitlines() if " " in r)
    nieuw = {wie: bekend.get(wie) or secrets.token_urlsafe(12) for wie, _ in DEMO_LOGINS}
    if nieuw != bekend:
        from deployments.bestanden import open_prive, prive_map

        prive_map(pad.parent)
        with open_prive(pad, "w") as f:
            f.write("".join(f"{wie} {pw}\n" for wie, pw in nieuw.items()))
    return nieuw


def demo_wachtwoord(wie: str = "demo-beoordelaar") -> str:
    """One demo login's password (docs/make_screenshots.py logs in as the beoordelaar)."""
    return demo_wachtwoorden()[wie]


def demo_login_regels() -> str:
    wachtwoorden = demo_wachtwoorden()
    regels = "\n".join(f"  {wie:<18} {wachtwoorden[wie]:<18} ({rol})" for wie, rol in DEMO_LOGINS)
    pad = get_settings().data_dir / DEMO_WACHTWOORDEN
    return f"Demo-logins (id, wachtwoord; ook in {pad}, alleen voor u leesbaar):\n{regels}"


def demo_logins_registreren() -> dict[str, str]:
    from deployments.cli_beheer import medewerker_registreer

    wachtwoorden = demo_wachtwoorden()
    for medewerker, rol in DEMO_LOGINS:
        medewerker_registreer(medewerker, rol, wachtwoorden[medewerker])
    return wachtwoorden


def demo_partijen(aanvraag: dict, sink_url: str) -> dict:
    """The examples' parties reach the demo's sink: a client's digital channel becomes a path
    of it, so its letters show in the terminal beside the provider's messages."""
    for client in aanvraag["clienten"]:
        for partij in (
            client.get("correspondentie"),
            (client.get("vertegenwoordiger") or {}).get("correspondentie"),
        ):
            if partij and partij["kanaal"] != "post":
                partij["kanaal"] = f"{sink_url}client/{client['client_id']}"
    return aanvraag


def load_demo(sink_url: str, peildatum: dt.date | None = None) -> list[str]:
    from deployments import operations as ops

    peildatum = peildatum or vandaag()
    demo_logins_registreren()
    ops.aanbieder_registreer("73730001", "Stichting De Linde", [sink_url])
    ops.aanbieder_registreer("73730002", "Thuiszorg Het Anker", [sink_url])
    zaken = []
    besluiten = []
    print("meerzorg: demo-caseload indienen...", flush=True)
    for aanvraag, besluit in demo_aanvragen(peildatum):
        result = ops.indienen(json.dumps(demo_partijen(aanvraag, sink_url)), peildatum)
        zaken.append(result["zaak"])
        print(f"  {result['zaak']} ingediend", flush=True)
        if besluit:
            besluiten.append((result["zaak"], besluit))
    for zaak, besluit in besluiten:
        for _ in range(240):  # the served run needs a few seconds to reach its first wait
            if ops.zaak_overzicht(zaak, log_read=False)["wacht_key"] == "beoordeling-1":
                try:
                    ops.beoordeel(zaak, besluit, wacht=90)
                    print(f"  {zaak}: {besluit['uitkomst']}", flush=True)
                    break
                except ops.CliFout:
                    pass
            time.sleep(1)
    return zaken
