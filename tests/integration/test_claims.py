"""Claims in the case database (issue 27, models/db/claims.py) on SQLite and PostgreSQL:
two assessors picking up the same task at the same moment get one claim and one "al
opgepakt door …", a lapsed claim is taken over, a teamleider reassigns, and every claim,
release and reassignment is an audit event."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import update
from sqlmodel import select

from models.db.claims import claim_van, herverdelen, oppakken, vrijgeven
from models.db.store import engine_for, migrate, session_scope
from models.db.tables import AuditEvent, Medewerker
from models.db.tables_werkbak import TaakClaim

TAAK = "MZ-2026-000001"
WACHT = "beoordeling-1"


def _database(db_url):
    migrate(db_url)
    engine = engine_for(db_url)
    with session_scope(engine) as s:
        for wie, rol in (("bo-1", "beoordelaar"), ("bo-2", "beoordelaar"), ("tl-1", "teamleider")):
            s.add(Medewerker(id=wie, rol=rol))
    return engine


def _audit(engine) -> list[tuple[str, str, dict]]:
    with session_scope(engine) as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.zaak == TAAK).order_by(AuditEvent.id))
        return [(a.actor, a.actie, a.details) for a in rows]


def test_two_assessors_at_once_get_one_claim(db_url):
    engine = _database(db_url)
    start = threading.Barrier(2)
    uitkomst: dict[str, str | None] = {}

    def pak(wie: str) -> None:
        start.wait()
        with session_scope(engine) as s:
            uitkomst[wie] = oppakken(session=s, taak=TAAK, wacht_key=WACHT, wie=wie, minuten=30)

    threads = [threading.Thread(target=pak, args=(w,)) for w in ("bo-1", "bo-2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gelukt = [w for w, r in uitkomst.items() if r is None]
    assert len(gelukt) == 1, uitkomst
    ander = next(w for w in uitkomst if w not in gelukt)
    assert uitkomst[ander].startswith(f"al opgepakt door {gelukt[0]}")
    with session_scope(engine) as s:
        assert claim_van(session=s, taak=TAAK).houder == gelukt[0]
    assert [(a, b) for a, b, _ in _audit(engine)] == [(gelukt[0], "taak_opgepakt")]


def test_a_lapsed_claim_is_taken_over_and_the_audit_says_from_whom(db_url):
    engine = _database(db_url)
    with session_scope(engine) as s:
        assert oppakken(session=s, taak=TAAK, wacht_key=WACHT, wie="bo-1", minuten=30) is None
    with session_scope(engine) as s:  # an hour without activity
        s.execute(update(TaakClaim).values(actief=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)))
    with session_scope(engine) as s:
        assert oppakken(session=s, taak=TAAK, wacht_key=WACHT, wie="bo-2", minuten=30) is None
    with session_scope(engine) as s:
        assert claim_van(session=s, taak=TAAK).houder == "bo-2"
        reden = oppakken(session=s, taak=TAAK, wacht_key=WACHT, wie="bo-1", minuten=30)
        assert reden.startswith("al opgepakt door bo-2")
    laatste = _audit(engine)[-1]
    assert laatste[:2] == ("bo-2", "taak_opgepakt")
    assert laatste[2]["overgenomen_van"] == "bo-1" and laatste[2]["reden"] == "verlopen"


def test_a_teamleider_reassigns_and_a_release_is_audited(db_url):
    engine = _database(db_url)
    with session_scope(engine) as s:
        assert oppakken(session=s, taak=TAAK, wacht_key=WACHT, wie="bo-1", minuten=30) is None
    with session_scope(engine) as s:
        herverdelen(session=s, taak=TAAK, wacht_key=WACHT, door="tl-1", naar="bo-2")
    with session_scope(engine) as s:
        assert claim_van(session=s, taak=TAAK).houder == "bo-2"
        vrijgeven(session=s, taak=TAAK, wie="bo-2", reden="teruggegeven")
    with session_scope(engine) as s:
        assert claim_van(session=s, taak=TAAK) is None
    acties = _audit(engine)
    assert [(a, b) for a, b, _ in acties] == [
        ("bo-1", "taak_opgepakt"),
        ("tl-1", "taak_herverdeeld"),
        ("bo-2", "taak_vrijgegeven"),
    ]
    assert {k: acties[1][2][k] for k in ("van", "naar", "wacht_key")} == {
        "van": "bo-1",
        "naar": "bo-2",
        "wacht_key": WACHT,
    }
    assert acties[2][2]["reden"] == "teruggegeven"
