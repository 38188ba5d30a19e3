"""The analysts' deployments against the real server and runner: an imported running zaak
gets its lifecycle run in the right wait, the backfill deployment reports progress and
skips the chunks a crashed run finished, the report deployment publishes its artifacts.

The data lives in years and provider codes no other flow test uses (history 2018–2021,
AGB 7373990x), so the shared database's other zaken do not change these figures."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest

from tests.factories import aanvraag_dict, client_dict
from tests.flows.conftest import wait_for_wait

AGB_HISTORIE, AGB_LOPEND = "73739901", "73739902"
PEIL = dt.date(2026, 11, 22)
pytestmark = pytest.mark.usefixtures("system")


def _regel(i: int, agb: str, ingediend: dt.date, vorm: str, besluit: dict | None) -> str:
    data = aanvraag_dict(
        client=client_dict(0, client_id=f"HIST-{i:03d}", leveringsvorm=vorm),
        gevraagde_start=ingediend + dt.timedelta(days=30),
        zorgaanbieder={"agb": agb, "naam": "Historie"},
        provider_referentie=f"FLOW-HIST-{agb}-{i}",
    )
    data["ingediend_op"] = ingediend.isoformat()
    if besluit:
        data["besluit"] = besluit
    return json.dumps(data)


def _historie() -> list[str]:
    """36 zaken 2018–2021: a third at home, every kind of decision."""
    lines = []
    for i in range(36):
        ingediend = dt.date(2018, 1, 10) + dt.timedelta(days=37 * i)
        datum = ingediend + dt.timedelta(days=20 + i % 50)
        soort = ("toekennen", "toekennen", "afwijzen", "bijstellen")[i % 4]
        besluit = {"uitkomst": soort, "datum": datum.isoformat()}
        if soort == "toekennen":
            start = datum + dt.timedelta(days=10)
            besluit |= {
                "start": start.isoformat(),
                "eind": (start + dt.timedelta(days=700)).isoformat(),
            }
        else:
            besluit["onderbouwing"] = "Historisch besluit."
        vorm = ("verblijf", "vpt", "pgb")[i % 3]
        lines.append(_regel(i, AGB_HISTORIE, ingediend, vorm, besluit))
    return lines


@pytest.fixture(scope="module")
def historie(system):
    from models.historie import valideer_regels
    from tasks import historie_import

    lines = _historie()
    regels, fouten = valideer_regels(lines, PEIL)
    assert fouten == []
    uit = historie_import.importeer(regels, PEIL)
    # The nine bijstellingen never adjusted wait for a person's decision now, not an
    # automatic 4:5 (issue 26 point 1, R §10): they are open; the other 27 closed.
    assert uit["geimporteerd"] == 36 and uit["lopend"] == 9
    return [json.loads(x) for x in lines]


def test_an_imported_running_beschikking_gets_a_lifecycle_run_waiting_for_its_end(tmp_path):
    from sqlmodel import select

    from deployments import cli_analyse
    from deployments import operations as ops
    from models.db.store import session_scope

    lopend = _regel(
        900,
        AGB_LOPEND,
        dt.date(2026, 1, 5),
        "verblijf",
        {
            "uitkomst": "toekennen",
            "datum": "2026-02-10",
            "start": "2026-03-01",
            "eind": "2028-02-29",
        },
    )
    afgewezen = _regel(
        901,
        AGB_LOPEND,
        dt.date(2025, 1, 5),
        "mpt",
        {"uitkomst": "afwijzen", "datum": "2025-02-10", "onderbouwing": "Geen meerzorg."},
    )
    bestand = tmp_path / "historie.jsonl"
    bestand.write_text(lopend + "\n" + afgewezen + "\n")
    args = argparse.Namespace(bestand=str(bestand), peildatum=PEIL, zonder_runs=False)
    uit = cli_analyse.importeer(args)
    assert (uit["geimporteerd"], uit["lopend"], uit["runs_gestart"]) == (2, 1, 1)
    with session_scope() as session:
        from models.db.tables import Zaak

        zaken = {
            z.provider_referentie: z.key
            for z in session.exec(select(Zaak).where(Zaak.agb == AGB_LOPEND))
        }
    zaak = zaken[f"FLOW-HIST-{AGB_LOPEND}-900"]
    try:
        assert wait_for_wait(zaak, "einde-beschikking-", timeout=180) == "einde-beschikking-1"
        z = ops.zaak_overzicht(zaak, log_read=False)
        assert z["status"] == "lopend" and z["notificaties"] == []
        closed = ops.zaak_overzicht(zaken[f"FLOW-HIST-{AGB_LOPEND}-901"], log_read=False)
        assert (closed["status"], closed["flow_run_id"]) == ("afgewezen", None)
        # Importing the file again starts nothing twice.
        again = cli_analyse.importeer(args)
        assert (again["geimporteerd"], again["al_aanwezig"], again["runs_gestart"]) == (0, 2, 0)
    finally:
        # Leave nothing running for the other tests' sweeps and work lists: close the zaak
        # and cancel its waiting run.
        _sluit(zaak)


def _sluit(zaak: str) -> None:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.states import Cancelled
    from sqlmodel import select

    from models.db.store import lees_zaak, session_scope
    from models.db.tables import Beschikking, Deadline

    with session_scope() as session:
        z = lees_zaak(session=session, key=zaak, lock=True)
        z.status, z.wacht_op, z.wacht_key, z.gesloten_op = "beeindigd", None, None, PEIL
        session.add(z)
        for d in session.exec(select(Deadline).where(Deadline.zaak == zaak)):
            d.status = "vervallen"
            session.add(d)
        for b in session.exec(select(Beschikking).where(Beschikking.zaak == zaak)):
            b.status = "beeindigd"
            session.add(b)
        run_id = z.flow_run_id
    if run_id:
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(UUID(run_id), Cancelled(), force=True)


def test_backfill_deployment_shows_progress_and_skips_what_a_crashed_run_finished(historie):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from deployments import cli_analyse
    from flows.backfill import artifact_key
    from tasks import snapshots

    van, tot = dt.date(2019, 1, 31), dt.date(2021, 12, 31)
    # The state a crash leaves: the backfill registered, its first chunk done.
    plan = snapshots.bereid_backfill(van, tot, "maand", AGB_HISTORIE, chunk_grootte=10)
    assert len(plan["chunks"]) >= 2
    snapshots.verwerk_chunk(plan["key"], plan["chunks"][0], 10, plan["peildata"], AGB_HISTORIE)

    args = argparse.Namespace(
        van=van,
        tot=tot,
        stap="maand",
        scope=AGB_HISTORIE,
        opnieuw=False,
        gelijktijdig=2,
        chunk_grootte=10,
    )
    uit = cli_analyse.backfill(args, timeout=300)
    assert uit["flow_run_status"] == "Completed" and uit["status"] == "klaar"
    assert uit["overgeslagen"] == 1 and uit["chunks_klaar"] == uit["chunks"] == len(plan["chunks"])
    assert uit["peildata"] == 36 and len(uit["per_peildatum"]) > 0
    referentie = snapshots.backfill_lokaal(van, tot, "maand", AGB_HISTORIE, chunk_grootte=10)
    assert uit["per_peildatum"] == referentie["per_peildatum"]
    assert uit["snapshots"] == referentie["snapshots"]

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[artifact_key(plan["key"])]))
        )
    assert artifacts and artifacts[0].type == "progress" and float(artifacts[0].data) == 100.0


def test_report_deployment_publishes_totals_equal_to_the_file_and_charts(historie):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.deployments import run_deployment

    run = run_deployment(
        "meerzorg-rapport/rapport",
        parameters={"jaar": 2018, "peildatum": "2019-06-30"},
        timeout=300,
        as_subflow=False,
        _sync=True,
    )
    assert run.state.is_completed()
    uit = run.state.result()
    in_2018 = [h for h in historie if h["ingediend_op"].startswith("2018")]
    besluiten = [h["besluit"] for h in historie if h["besluit"]["datum"].startswith("2018")]
    thuis = [h for h in historie if h["clienten"][0]["leveringsvorm"] == "pgb"]
    assert uit["aanvragen"] == len(in_2018)
    assert uit["toekenningen"] == sum(b["uitkomst"] == "toekennen" for b in besluiten)
    assert uit["afwijzingen"] == sum(b["uitkomst"] == "afwijzen" for b in besluiten)
    assert uit["thuis"]["aanvragen"] == sum(h["ingediend_op"].startswith("2018") for h in thuis)
    with get_client(sync_client=True) as client:
        samenvatting = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["meerzorg-rapport-2018"]))
        )
        tabel = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(
                    any_=["meerzorg-rapport-2018-aanvragen-en-besluiten-per-maand"]
                )
            )
        )
    assert samenvatting[0].type == "markdown"
    assert samenvatting[0].data.count("data:image/svg+xml;base64,") >= 4
    assert tabel[0].type == "table"
    rijen = json.loads(tabel[0].data) if isinstance(tabel[0].data, str) else tabel[0].data
    assert sum(r["aanvragen"] for r in rijen) == len(in_2018)
