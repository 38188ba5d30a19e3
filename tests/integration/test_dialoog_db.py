"""The meerzorgdialoog on a real database (SQLite, and PostgreSQL when configured): planning,
the invitation, timers fired once, the forms, and next year's dialoog at completion."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlmodel import select

from deployments.sink import Sink
from models.db.store import migrate, session_scope
from models.db.tables import AuditEvent, Beschikking, Notificatie, Zaak, Zorgaanbieder
from models.db.tables_dialoog import Dialoog, DialoogTermijn
from tasks import dialoog as ops
from tasks import dialoog_lezen, dialoog_planning, notify

ACTIEF, ZONDER = "73730001", "73730002"
RUN = "6f1c1d2e-0000-4000-8000-000000000001"


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        for agb in (ACTIEF, ZONDER):
            session.add(Zorgaanbieder(agb=agb, naam=f"Aanbieder {agb}", notify=[]))
        session.flush()
        for n, (agb, status) in enumerate(((ACTIEF, "actief"), (ZONDER, "beeindigd")), start=1):
            key = f"MZ-2026-{n:06d}"
            session.add(
                Zaak(
                    key=key,
                    agb=agb,
                    soort="nieuw",
                    vorm="individueel",
                    leveringsvorm="verblijf",
                    ingediend_op=dt.date(2026, 3, 1),
                    aanvraag={},
                    status="lopend",
                )
            )
            session.flush()
            session.add(
                Beschikking(
                    zaak=key,
                    client_id=f"C-{n}",
                    start=dt.date(2026, 4, 1),
                    eind=dt.date(2029, 3, 31),
                    bedrag_per_jaar=25_000.0,
                    uitkomst_rekentool="profiel",
                    status=status,
                    beleidsversie="2025.2",
                    besluitdatum=dt.date(2026, 3, 20),
                )
            )
    return db_url


def rij(agb: str = ACTIEF, jaar: int = 2027) -> Dialoog:
    with session_scope() as session:
        return ops.lees(session, agb, jaar)


def termijnen(agb: str = ACTIEF, jaar: int = 2027) -> dict[str, str]:
    with session_scope() as session:
        d = ops.lees(session, agb, jaar)
        return {
            t.soort: t.status
            for t in session.exec(select(DialoogTermijn).where(DialoogTermijn.dialoog_id == d.id))
        }


def berichten(agb: str = ACTIEF, jaar: int = 2027) -> list[tuple[str, str]]:
    with session_scope() as session:
        rows = session.exec(
            select(Notificatie)
            .where(Notificatie.zaak == f"dialoog-{agb}-{jaar}")
            .order_by(Notificatie.id)
        )
        return [(n.kanaal, n.onderwerp) for n in rows]


def uitgenodigd(peildatum=dt.date(2026, 9, 1)) -> Dialoog:
    dialoog_planning.plan_jaar(2027, peildatum)
    ops.koppel_flow_run(ACTIEF, 2027, RUN)
    assert ops.uitnodigen(ACTIEF, 2027, peildatum)
    return rij()


def verslag(**changes) -> dict:
    return {
        "terugblik": "Eerste dialoog.",
        "meerzorgplan": "Besproken.",
        "samenwerking_cce": "Twee trajecten gepland.",
        "sturing": "Sturing op nachtzorg.",
        "afspraken": "Evaluatie in juni\nNachtzorg afbouwen",
        "gehouden_op": "2027-02-01",
        "verslaglegger": "b-001",
        "cce_aanwezig": True,
        **changes,
    }


def test_planning_creates_one_dialoog_per_provider_with_active_meerzorg_once(db):
    eerste = dialoog_planning.plan_jaar(2027, dt.date(2026, 9, 1))
    tweede = dialoog_planning.plan_jaar(2027, dt.date(2026, 9, 1))
    assert eerste["gepland"] == [ACTIEF] and eerste["zonder_run"] == [ACTIEF]
    assert tweede["gepland"] == [] and tweede["herpland"] == []
    assert dialoog_lezen.overzicht(2027) == [
        {
            "agb": ACTIEF,
            "uitnodiging": "2026-10-01",
            "meerzorgplan_uiterlijk": "2027-01-04",
            "dialoog": "2027-02-01",
            "status": "gepland",
            "wacht_op": None,
            "meerzorgplan_ontvangen": None,
            "gehouden_op": None,
        }
    ]
    assert termijnen() == {"uitnodiging_uiterlijk": "open"}


def test_the_invitation_queues_provider_and_cce_messages_with_its_timers(db):
    d = uitgenodigd()
    assert (d.status, d.wacht_op, d.wacht_key, d.uitnodiging) == (
        "uitgenodigd",
        "meerzorgplan",
        "meerzorgplan-1",
        dt.date(2026, 9, 1),
    )
    assert [k for k, _ in berichten()] == ["aanbieder", "cce"]
    assert termijnen() == {
        "uitnodiging_uiterlijk": "vervallen",
        "herinnering_meerzorgplan": "open",
        "escalatie_meerzorgplan": "open",
    }
    assert not ops.uitnodigen(ACTIEF, 2027, dt.date(2026, 9, 2))
    assert len(berichten()) == 2


def test_the_reminder_and_the_escalation_fire_once_and_only_the_escalation_resumes_the_run(db):
    uitgenodigd()
    assert ops.vuur_dialoog_termijnen(dt.date(2026, 12, 20)) == []
    assert ops.vuur_dialoog_termijnen(dt.date(2026, 12, 21)) == []
    assert berichten()[-1][0] == "aanbieder" and "Herinnering" in berichten()[-1][1]
    assert rij().wacht_key == "meerzorgplan-1"
    assert ops.vuur_dialoog_termijnen(dt.date(2027, 1, 11)) == [RUN]
    assert ops.vuur_dialoog_termijnen(dt.date(2027, 1, 11)) == []
    d = rij()
    assert (d.wacht_op, d.wacht_key) == ("meerzorgplan-te-laat", "meerzorgplan-2")
    assert berichten()[-1][0] == "operations" and "ontbreekt" in berichten()[-1][1]
    assert len(berichten()) == 4


def test_the_forms_apply_once_and_completion_plans_next_year_with_the_terugblik(db):
    uitgenodigd()
    assert (
        ops.verwerk_invoer(
            ACTIEF, 2027, "meerzorgplan-0", {"ontvangen": True}, dt.date(2026, 12, 1)
        )
        == "verouderd"
    )
    assert (
        ops.verwerk_invoer(ACTIEF, 2027, "meerzorgplan-1", {}, dt.date(2026, 12, 1)) == "ongeldig"
    )
    d = rij()
    assert d.wacht_key == "meerzorgplan-2" and "ontvangen" in d.laatste_fout
    assert (
        ops.verwerk_invoer(
            ACTIEF, 2027, "meerzorgplan-2", {"ontvangen": True}, dt.date(2026, 12, 1)
        )
        == "toegepast"
    )
    d = rij()
    assert (d.status, d.wacht_key, d.meerzorgplan_ontvangen, d.laatste_fout) == (
        "plan_ontvangen",
        "dialoog-3",
        dt.date(2026, 12, 1),
        None,
    )
    assert termijnen()["escalatie_meerzorgplan"] == "vervallen"
    # A verslag missing an item comes back with the typed notes kept.
    onvolledig = verslag(sturing="")
    assert (
        ops.verwerk_invoer(ACTIEF, 2027, "dialoog-3", onvolledig, dt.date(2027, 2, 2)) == "ongeldig"
    )
    d = rij()
    assert d.notities["meerzorgplan"] == "Besproken." and "4. Sturing" in d.laatste_fout
    assert (
        ops.verwerk_invoer(ACTIEF, 2027, "dialoog-4", verslag(), dt.date(2027, 2, 2)) == "toegepast"
    )
    d = rij()
    assert (d.status, d.wacht_key, d.gehouden_op) == ("afgerond", None, dt.date(2027, 2, 1))
    assert d.afspraken == "Evaluatie in juni\nNachtzorg afbouwen"
    assert set(termijnen().values()) <= {"vervallen", "gevuurd"}
    volgend = rij(jaar=2028)
    assert volgend.status == "gepland" and volgend.vorige_afspraken == d.afspraken
    assert volgend.notities["terugblik"] == (
        "Afspraken uit de meerzorgdialoog 2027:\n- Evaluatie in juni\n- Nachtzorg afbouwen"
    )
    assert (volgend.uitnodiging, volgend.dialoog) == (dt.date(2027, 10, 1), dt.date(2028, 2, 1))
    # The same answer again changes nothing.
    assert (
        ops.verwerk_invoer(ACTIEF, 2027, "dialoog-4", verslag(), dt.date(2027, 2, 2)) == "verouderd"
    )
    with session_scope() as session:
        acties = [
            a.actie
            for a in session.exec(
                select(AuditEvent)
                .where(AuditEvent.zaak == "dialoog-73730001-2027")
                .order_by(AuditEvent.id)
            )
        ]
    assert acties == [
        "dialoog_gepland",
        "dialoog_uitgenodigd",
        "ongeldige_invoer",
        "meerzorgplan_ontvangen",
        "ongeldige_invoer",
        "dialoog_afgerond",
    ]


def test_planning_next_year_keeps_the_prefilled_terugblik_and_lapses_providers_without_meerzorg(db):
    uitgenodigd()
    ops.verwerk_invoer(ACTIEF, 2027, "meerzorgplan-1", {"ontvangen": True}, dt.date(2026, 12, 1))
    ops.verwerk_invoer(ACTIEF, 2027, "dialoog-2", verslag(), dt.date(2027, 2, 2))
    prefill = rij(jaar=2028).notities["terugblik"]
    result = dialoog_planning.plan_jaar(2028, dt.date(2027, 9, 1))
    assert result["gepland"] == [] and result["zonder_run"] == [ACTIEF]
    assert rij(jaar=2028).notities["terugblik"] == prefill
    with session_scope() as session:
        for b in session.exec(select(Beschikking).where(Beschikking.status == "actief")):
            b.status = "beeindigd"
            session.add(b)
    result = dialoog_planning.plan_jaar(2028, dt.date(2027, 9, 2))
    assert result["vervallen"] == [ACTIEF] and result["zonder_run"] == []
    assert rij(jaar=2028).status == "vervallen"
    assert termijnen(jaar=2028) == {"uitnodiging_uiterlijk": "vervallen"}


def test_a_dialoog_not_invited_by_the_latest_date_alerts_operations_once(db):
    dialoog_planning.plan_jaar(2027, dt.date(2026, 9, 1))
    assert ops.vuur_dialoog_termijnen(dt.date(2026, 10, 1)) == []
    assert ops.vuur_dialoog_termijnen(dt.date(2026, 10, 2)) == []
    assert [k for k, _ in berichten()] == ["operations"]
    assert rij().status == "gepland"


def test_one_sweep_completes_its_day_so_a_second_sweep_that_day_changes_nothing(db):
    """Issue 24 (README: running the sweep twice for one day changes nothing): the sweep plans
    the day's new dialoog and sends its invitation before it fires what is due. Fired first,
    the newcomer's overdue `uitnodiging_uiterlijk` alerted operations only at a second sweep."""
    from tasks.sweep import dag

    peildatum = dt.date(2027, 3, 1)  # ACTIEF has meerzorg and no dialoog for 2027 yet
    eerste = dag(peildatum)
    assert eerste["gepland"]["dialoog"] == [f"dialoog-{ACTIEF}-2027"]
    assert rij().status == "uitgenodigd"
    na_eerste = (berichten(), termijnen())
    assert {k for k, _ in na_eerste[0]} == {"aanbieder", "cce"}  # the invitations
    assert not any("niet uitgenodigd" in onderwerp for _, onderwerp in na_eerste[0])

    tweede = dag(peildatum)
    assert tweede == {
        "gepland": {"zaak": [], "dialoog": []},
        "gevuurd": {"zaak": [], "dialoog": []},
    }
    assert (berichten(), termijnen()) == na_eerste


def test_r10_the_cce_is_invited_on_its_channel_and_the_verslag_reaches_the_provider(
    db, monkeypatch
):
    """R §10: the dialoog is held with the CCE (invited on MEERZORG_CCE_NOTIFY, recorded as
    present) and its afspraken go into the provider's meerzorgplan: the verslag reaches the
    provider as a letter (PDF in the case database) whose message names the key only."""
    sink = Sink().start()
    try:
        monkeypatch.setenv("MEERZORG_CCE_NOTIFY", f"{sink.url}cce")
        with session_scope() as session:
            session.get(Zorgaanbieder, ACTIEF).notify = [f"{sink.url}aanbieder"]
        uitgenodigd()
        assert ops.verwerk_invoer(
            ACTIEF, 2027, "meerzorgplan-1", {"ontvangen": True}, dt.date(2026, 12, 1)
        ) == ("toegepast")
        zonder_cce = verslag(cce_aanwezig=False)
        assert ops.verwerk_invoer(ACTIEF, 2027, "dialoog-2", zonder_cce, dt.date(2027, 2, 2)) == (
            "ongeldig"
        )
        assert rij().status == "plan_ontvangen" and "CCE neemt deel" in rij().laatste_fout
        notities = verslag(meerzorgplan="Zorgen om mevrouw Jansen, BSN 999999990.")
        assert ops.verwerk_invoer(ACTIEF, 2027, "dialoog-3", notities, dt.date(2027, 2, 2)) == (
            "toegepast"
        )
        # The two invitations, the plan's receipt and the verslag.
        assert notify.deliver_pending()["verzonden"] == 4
        assert sorted(r["path"] for r in sink.received) == ["/aanbieder"] * 3 + ["/cce"]
        cce = [r for r in sink.received if r["path"] == "/cce"]
        assert len(cce) == 1 and "uitnodiging CCE" in cce[0]["title"]
        brief = [r for r in sink.received if r["bijlagen"]]
        assert len(brief) == 1 and brief[0]["path"] == "/aanbieder"
        assert brief[0]["sleutel"] == "dialoog-73730001-2027-verslag"
        bijlage = brief[0]["bijlagen"][0]
        assert bijlage["naam"] == "verslag-dialoog-73730001-2027.pdf"
        pdf = sink.bestanden[bijlage["sha256"]]
        tekst = " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages
        )
        assert "Op 1 februari 2027 hielden wij met u en het CCE de meerzorgdialoog 2027" in tekst
        assert "Zorgen om mevrouw Jansen" in tekst and "- Nachtzorg afbouwen" in tekst
        assert "999999990" not in tekst  # DOMAIN.md §17: a typed BSN is masked in the letter
        for r in sink.received:  # the messages carry key and dates, never the verslag
            assert "Jansen" not in r["title"] + r["message"]
            assert "999999990" not in r["title"] + r["message"]
        detail = dialoog_lezen.detail(ACTIEF, 2027)
        assert detail["cce_aanwezig"] is True
        assert detail["verslag"]["notificatie"] == "verzonden"
        assert detail["verslag"]["sha256"] == bijlage["sha256"]
    finally:
        sink.stop()
