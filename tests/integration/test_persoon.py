"""The client's CCE history follows her across providers on a real database (SQLite, and
PostgreSQL when configured): R §10 ("voor iedere cliënt met meerzorg ... minimaal 1x per 3
jaar"), by the pseudonymous persoon (DOMAIN.md §10, §17), never by the BSN as a key."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models.db import persoon as persoon_db
from models.db.store import engine_for, migrate, session_scope
from models.db.tables import Beschikking, Client, Ontwikkeltraject, Zaak, Zorgaanbieder
from models.db.tables_persoon import ClientPersoon, Persoon
from models.persoon import pseudoniem
from tasks import opvolging

A, B = "73730001", "73730002"
BSN, ANDER = "999990093", "999990111"
SLEUTEL = "test-persoonssleutel"


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_PERSOON_SLEUTEL", SLEUTEL)
    migrate(db_url)
    return db_url


def zaak(session, key: str, agb: str, client_id: str, start: dt.date, status: str) -> None:
    session.add(
        Zaak(
            key=key,
            agb=agb,
            soort="nieuw",
            vorm="individueel",
            leveringsvorm="verblijf",
            ingediend_op=start - dt.timedelta(days=60),
            aanvraag={},
            status="lopend" if status == "actief" else "beeindigd",
        )
    )
    session.flush()
    session.add(
        Beschikking(
            zaak=key,
            client_id=client_id,
            start=start,
            eind=start + dt.timedelta(days=3 * 365),
            bedrag_per_jaar=25_000.0,
            uitkomst_rekentool="profiel",
            status=status,
            beleidsversie="2025.2",
            besluitdatum=start - dt.timedelta(days=20),
        )
    )


def client(agb: str, client_id: str, bsn: str, sinds: dt.date) -> Client:
    return Client(
        agb=agb,
        client_id=client_id,
        bsn=bsn,
        zorgprofiel="VG7",
        leveringsvorm="verblijf",
        indicatie_einddatum=dt.date(2035, 1, 1),
        meerzorg_sinds=sinds,
    )


@pytest.fixture
def verhuisd(db):
    """LINDE-014 had meerzorg at A from 2024-02-01 and completed a traject there on
    2025-03-10; from 2026-06-01 she is ANKER-077 at B. ANKER-078 is someone else at B."""
    with session_scope() as session:
        for agb in (A, B):
            session.add(Zorgaanbieder(agb=agb, naam=f"Aanbieder {agb}", notify=[]))
        session.flush()
        session.add(client(A, "LINDE-014", BSN, dt.date(2024, 2, 1)))
        session.add(client(B, "ANKER-077", BSN, dt.date(2026, 6, 1)))
        session.add(client(B, "ANKER-078", ANDER, dt.date(2026, 6, 1)))
        zaak(session, "MZ-2024-000001", A, "LINDE-014", dt.date(2024, 2, 1), "beeindigd")
        zaak(session, "MZ-2026-000001", B, "ANKER-077", dt.date(2026, 6, 1), "actief")
        zaak(session, "MZ-2026-000002", B, "ANKER-078", dt.date(2026, 6, 1), "actief")
        session.add(
            Ontwikkeltraject(
                agb=A,
                client_id="LINDE-014",
                bijeenkomst_1=dt.date(2025, 1, 15),
                bijeenkomst_2=dt.date(2025, 3, 10),
            )
        )
    return db


def lijst(peildatum: dt.date) -> dict[str, tuple[str, str]]:
    return {
        r["client_id"]: (r["status"], r["uiterlijk"]) for r in opvolging.compliance_lijst(peildatum)
    }


def test_r10_a_client_who_moved_to_b_keeps_her_traject_at_a_and_her_window(verhuisd):
    """Her traject at A counts at B: due 2028-03-09 (3 years after it), not 2029-05-31 (a
    fresh window from the move); the other client at B has no history and starts at B."""
    assert lijst(dt.date(2027, 3, 1)) == {
        "ANKER-077": ("ok", "2028-03-09"),
        "ANKER-078": ("ok", "2029-05-31"),
    }
    assert lijst(dt.date(2028, 6, 1))["ANKER-077"] == ("overtreding", "2028-03-09")
    with session_scope() as session:
        zaken = session.exec(select(Zaak).where(Zaak.agb == B)).all()
        een_voor_een = {
            z.key: opvolging.cce_per_client(session, z, dt.date(2027, 3, 1)) for z in zaken
        }
        assert opvolging.cce_per_zaak(session, list(zaken), dt.date(2027, 3, 1)) == een_voor_een


def test_every_client_row_links_to_one_persoon_per_bsn_keyed_by_the_hmac_not_the_bsn(verhuisd):
    """DOMAIN.md §17: the BSN is never a key; the persoon's key is HMAC-SHA256 under the
    zorgkantoor's key, so the two rows of the client who moved share one persoon."""
    with session_scope() as session:
        personen = {p.id: p.sleutel for p in session.exec(select(Persoon))}
        links = {
            c.client_id: cp.persoon_id
            for c, cp in session.exec(
                select(Client, ClientPersoon).join(
                    ClientPersoon, ClientPersoon.client_id == Client.id
                )
            )
        }
    assert links["LINDE-014"] == links["ANKER-077"] != links["ANKER-078"]
    assert personen[links["ANKER-077"]] == pseudoniem(BSN, SLEUTEL.encode())
    assert len(personen) == 2 and not any(BSN in s or ANDER in s for s in personen.values())


def test_a_corrected_bsn_links_the_row_to_the_persoon_of_the_new_number(verhuisd):
    """aanname (DOMAIN.md §10): a BSN corrected on a client row moves the row to the persoon
    of the corrected number; her history goes with the row."""
    with session_scope() as session:
        rij = session.exec(select(Client).where(Client.client_id == "ANKER-078")).one()
        rij.bsn = BSN
    assert lijst(dt.date(2027, 3, 1))["ANKER-078"] == ("ok", "2028-03-09")


def test_migration_0021_links_the_client_rows_that_existed_before_it(db_url, monkeypatch):
    """The backfill: client rows written before the persoon table get their persoon."""
    from alembic import command
    from alembic.config import Config

    from models.db.store import MIGRATIONS

    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_PERSOON_SLEUTEL", SLEUTEL)
    engine = engine_for(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0014_brief_mededeling")
    with engine.begin() as conn:  # Core: as rows written before this release
        conn.execute(
            sa.text(
                "INSERT INTO zorgaanbieder (agb, naam, notify, aangemaakt) "
                "VALUES (:a, 'A', '[]', :t)"
            ),
            {"a": A, "t": dt.datetime(2025, 1, 1)},
        )
        for client_id, bsn in (("OUD-1", BSN), ("OUD-2", ANDER)):
            conn.execute(
                sa.text(
                    "INSERT INTO client (agb, client_id, bsn, zorgprofiel, leveringsvorm, "
                    "vg7_plus, indicatie_einddatum) VALUES (:a, :c, :b, 'VG7', 'verblijf', "
                    "false, '2035-01-01')"
                ),
                {"a": A, "c": client_id, "b": bsn},
            )
    migrate(db_url)
    with session_scope() as session:
        gekoppeld = session.exec(
            select(Client.client_id, Persoon.sleutel)
            .join(ClientPersoon, ClientPersoon.client_id == Client.id)
            .join(Persoon, Persoon.id == ClientPersoon.persoon_id)
        ).all()
    assert dict(gekoppeld) == {
        "OUD-1": pseudoniem(BSN, SLEUTEL.encode()),
        "OUD-2": pseudoniem(ANDER, SLEUTEL.encode()),
    }
    with engine.begin() as conn:
        assert persoon_db.koppel_ontbrekende(conn) == 0  # nothing left to link


def test_r10_the_sweep_reminds_the_new_provider_on_her_own_window_not_a_fresh_one(verhuisd):
    """The CCE timers at B read her history too (tasks/zaak.deadline_context): the reminder
    six months before 2028-03-09 goes out, and the deadline after it is an overtreding; with
    a fresh window from the move (2029-05-31) both would be silenced."""
    from models.db.tables import Deadline
    from tasks.zaak import deadline_context

    with session_scope() as session:
        z = session.get(Zaak, "MZ-2026-000001")
        for soort, datum in (
            ("ontwikkeltraject_herinnering", dt.date(2027, 9, 9)),
            ("ontwikkeltraject_uiterlijk", dt.date(2028, 3, 10)),
        ):
            timer = Deadline(
                sleutel=f"t-{soort}", zaak=z.key, soort=soort, client_id="ANKER-077", datum=datum
            )
            assert deadline_context(session, z, timer)["cce_ok"] is False, soort
        ander = Deadline(
            sleutel="t-ander",
            zaak="MZ-2026-000002",
            soort="ontwikkeltraject_herinnering",
            client_id="ANKER-078",
            datum=dt.date(2027, 9, 9),
        )
        context = deadline_context(session, session.get(Zaak, "MZ-2026-000002"), ander)
        assert context["cce_ok"] is True and context["uiterlijk"] == "2029-05-31"


def test_r10_the_backfill_and_report_read_her_history_as_the_compliance_list_does(verhuisd):
    """The analyses' CCE status (models/snapshot.py via tasks/analyse.laad_feiten) follows
    the persoon too, so backfill, report and `meerzorg compliance` never disagree."""
    import copy
    import json
    from pathlib import Path

    from models.db.analyse_lezen import actief_in
    from models.snapshot import snapshot_rijen
    from tasks.analyse import laad_feiten

    voorbeeld = Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json"
    aanvraag = json.loads(voorbeeld.read_text())
    aanvraag.update(vorm="individueel", zorgaanbieder={"agb": B, "naam": "Aanbieder B"})
    aanvraag["clienten"] = [
        dict(copy.deepcopy(aanvraag["clienten"][0]), client_id="ANKER-077", bsn=BSN)
    ]
    aanvraag["clienten"][0]["ontwikkeltrajecten"] = []
    with session_scope() as session:
        session.get(Zaak, "MZ-2026-000001").aanvraag = aanvraag
    with session_scope() as session:
        (feit,) = laad_feiten(session, *actief_in(["MZ-2026-000001"]))
    (rij,) = snapshot_rijen(feit, [dt.date(2028, 6, 1)])
    # Due 2028-03-09 by the traject at A, as in lijst(); a fresh window would say "ok".
    assert (rij["cce_status"], rij["cce_uiterlijk"]) == ("overtreding", dt.date(2028, 3, 9))
    assert lijst(dt.date(2028, 6, 1))["ANKER-077"] == ("overtreding", "2028-03-09")
