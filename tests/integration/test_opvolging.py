"""Follow-up of granted meerzorg on a real database: the CCE rule, re-evaluation and
verlenging, VG7-plus, group mutations, and meerzorg at home (N 2025)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import select

from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import (
    Besluit,
    Contact,
    Deadline,
    Notificatie,
    Zaak,
)
from models.planner import bezwaartermijn_einde
from tasks import opvolging
from tasks import zaak as ops
from tests.factories import COULANTE_AFWEGING, afwijzen, toekennen
from tests.integration.bekendmaking import maak_bekend
from tests.integration.zienswijze_stap import wijs_af

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GROEP = json.loads((EXAMPLES / "aanvraag-groep-vg.json").read_text())
THUIS = json.loads((EXAMPLES / "aanvraag-thuis-pgb.json").read_text())
DAG = dt.date(2026, 11, 22)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        registreer_medewerker(session=session, id="b-1", rol="beoordelaar")
    return db_url


def toegekend(ref: str, data: dict, **invoer) -> str:
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie=ref)
    ops.voer_actie_uit(key, DAG)
    assert ops.verwerk_invoer(key, "beoordeling-1", toekennen("b-1", **invoer), DAG) == "toegepast"
    return key


def fire_until(peildatum: dt.date) -> None:
    for i in ops.due_deadlines(peildatum):
        ops.vuur_deadline(i, peildatum)


def zaak(key: str) -> Zaak:
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def berichten(key: str, kanaal: str | None = None) -> list[Notificatie]:
    with session_scope() as session:
        stmt = select(Notificatie).where(Notificatie.zaak == key)
        if kanaal:
            stmt = stmt.where(Notificatie.kanaal == kanaal)
        return session.exec(stmt).all()


def individueel(**changes) -> dict:
    data = copy.deepcopy(GROEP)
    data["vorm"] = "individueel"
    data["clienten"] = [dict(data["clienten"][0])]
    data["uren_per_week"] = {
        "begeleiding": 24,
        "verzorging": 8,
        "verpleging": 2,
        "dagbesteding": 6,
        "nachtzorg": 5,
    }
    data.update(changes)
    return data


def test_a_client_without_ontwikkeltraject_is_at_risk_and_recording_one_makes_it_ok(db):
    key = toegekend("CCE-1", individueel())  # LINDE-014 has no ontwikkeltraject; start 2027-02-01
    rows = {r["client_id"]: r for r in opvolging.compliance_lijst(dt.date(2029, 9, 1))}
    assert (
        rows["LINDE-014"]["status"] == "risico" and rows["LINDE-014"]["uiterlijk"] == "2030-01-31"
    )
    assert {r["status"] for r in opvolging.compliance_lijst(dt.date(2030, 2, 1))} == {"overtreding"}
    result = opvolging.registreer_ontwikkeltraject(
        key, "LINDE-014", dt.date(2028, 3, 1), dt.date(2028, 9, 1), dt.date(2028, 9, 2), "cce-1"
    )
    assert result["compliance"]["status"] == "ok" and result["waarschuwing"] is None
    assert opvolging.compliance_lijst(dt.date(2030, 2, 1))[0]["status"] == "ok"


def test_bijeenkomsten_in_two_calendar_years_give_a_warning_not_a_block(db):
    key = toegekend("CCE-2", individueel())
    result = opvolging.registreer_ontwikkeltraject(
        key, "LINDE-014", dt.date(2027, 11, 1), dt.date(2028, 2, 1), dt.date(2028, 2, 2), "cce-1"
    )
    assert result["waarschuwing"] == "ONTWIKKELTRAJECT_JAAROVERSCHRIJDEND"
    assert result["compliance"]["status"] == "ok"


def test_an_ontwikkeltraject_with_the_second_bijeenkomst_before_the_first_is_refused(db):
    key = toegekend("CCE-3", individueel())
    with pytest.raises(opvolging.Geweigerd, match="latere dag"):
        opvolging.registreer_ontwikkeltraject(
            key, "LINDE-014", dt.date(2028, 3, 1), dt.date(2028, 3, 1), DAG, "x"
        )


def test_the_ontwikkeltraject_reminder_goes_to_provider_and_cce_only_when_none_is_recorded(db):
    key = toegekend("CCE-4", individueel(gevraagde_eind="2030-01-31"))
    fire_until(dt.date(2029, 8, 1))
    assert {n.kanaal for n in berichten(key) if "ontwikkeltraject" in n.onderwerp} == {
        "aanbieder",
        "cce",
    }
    other = toegekend(
        "CCE-5",
        individueel(
            gevraagde_eind="2030-01-31",
            provider_referentie=None,
            clienten=[dict(GROEP["clienten"][1])],
        ),
    )
    opvolging.registreer_ontwikkeltraject(
        other, "LINDE-022", dt.date(2028, 1, 10), dt.date(2028, 5, 1), dt.date(2028, 5, 2), "cce-1"
    )
    fire_until(dt.date(2029, 8, 1))
    assert not [n for n in berichten(other) if "ontwikkeltraject" in n.onderwerp]


def test_r_10_a_traject_recorded_with_dates_still_to_come_counts_only_once_it_took_place(db):
    # LINDE-014, meerzorg from 2027-02-01, its first window ends 2030-01-31. A traject is
    # recorded in advance for 2029-10-01 and 2030-03-01: until its second bijeenkomst it is
    # planned, not held. The old rule counted it at once: the list said `ok` (until
    # 2033-02-28) and the sweep sent neither the reminder nor the overtreding.
    key = toegekend("CCE-6", individueel(gevraagde_eind="2030-01-31"))
    opvolging.registreer_ontwikkeltraject(
        key, "LINDE-014", dt.date(2029, 10, 1), dt.date(2030, 3, 1), DAG, "cce-1"
    )
    rows = opvolging.compliance_lijst(dt.date(2029, 9, 1))
    assert [(r["status"], r["uiterlijk"]) for r in rows] == [("risico", "2030-01-31")]
    rows = opvolging.compliance_lijst(dt.date(2030, 1, 31))
    assert [(r["status"], r["uiterlijk"]) for r in rows] == [("risico", "2030-01-31")]
    fire_until(dt.date(2030, 1, 31))
    onderwerpen = {(n.kanaal, n.onderwerp) for n in berichten(key)}
    assert {k for k, o in onderwerpen if "ontwikkeltraject plannen" in o} == {"aanbieder", "cce"}
    assert {k for k, o in onderwerpen if "ontwikkeltraject te laat" in o} == {"operations", "cce"}
    rows = opvolging.compliance_lijst(dt.date(2030, 3, 1))
    assert [(r["status"], r["uiterlijk"]) for r in rows] == [("ok", "2033-02-28")]


def test_goals_reached_with_a_verlenging_start_a_linked_zaak_and_mark_a_good_example(db):
    key = toegekend(
        "EVAL-1", individueel(gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31")
    )
    fire_until(dt.date(2027, 6, 30))
    z = zaak(key)
    assert z.status == "herbeoordeling" and z.wacht_op == "evaluatie"
    verlenging = individueel(gevraagde_start="2028-01-01", gevraagde_eind="2029-12-31")
    invoer = {
        "doelen_behaald": "behaald",
        "toelichting": "Geen fixaties meer sinds mei.",
        "verlenging": verlenging,
    }
    assert ops.verwerk_invoer(key, z.wacht_key, invoer, dt.date(2027, 7, 15)) == "toegepast"
    z = zaak(key)
    assert z.goed_voorbeeld and z.evaluatie["doelen_behaald"] == "behaald" and z.status == "lopend"
    with session_scope() as session:
        vervolg = session.exec(select(Zaak).where(Zaak.vorige_zaak == key)).one()
    assert vervolg.soort == "verlenging" and vervolg.status == "geregistreerd"
    assert "behaald" in vervolg.aanvraag["evaluatie_vorige_periode"]
    assert [v["zaak"] for v in opvolging.goede_voorbeelden()] == [key]
    fire_until(dt.date(2027, 10, 1))  # verlenging_uiterlijk passes: no escalation, it was received
    assert not berichten(key, "operations")


def test_no_verlenging_by_the_deadline_escalates_and_then_the_beschikking_simply_ends(db):
    key = toegekend(
        "EVAL-2", individueel(gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31")
    )
    fire_until(dt.date(2027, 10, 1))
    assert [n.onderwerp for n in berichten(key, "operations")] == [
        f"Zaak {key}: geen verlenging ontvangen"
    ]
    fire_until(dt.date(2028, 1, 1))
    assert zaak(key).status == "beeindigd"


def test_vg7_plus_gets_a_passende_overgang_instead_of_a_verlenging_route(db):
    data = individueel(gevraagde_start="2027-01-01", gevraagde_eind="2027-12-31")
    data["clienten"][0]["vg7_plus"] = True
    key = toegekend("VG7P-1", data)
    fire_until(dt.date(2027, 6, 30))
    z = zaak(key)
    assert z.status == "passende_overgang"
    assert (
        ops.verwerk_invoer(key, z.wacht_key, {"geregeld": False}, dt.date(2027, 7, 1)) == "ongeldig"
    )
    z = zaak(key)
    assert (
        ops.verwerk_invoer(
            key,
            z.wacht_key,
            {"geregeld": True, "toelichting": "Overgang naar VG7 met extra begeleiding."},
            dt.date(2027, 7, 2),
        )
        == "toegepast"
    )
    assert zaak(key).status == "lopend"


def test_a_rejected_thuis_verlenging_gets_a_passende_overgang_with_its_own_deadline(db):
    key, _ = ops.registreer(parse_aanvraag(THUIS), DAG, provider_referentie="THUIS-1")
    ops.voer_actie_uit(key, DAG)
    wijs_af(
        key,
        afwijzen("b-1", coulante_afweging=COULANTE_AFWEGING),
        DAG,
    )
    maak_bekend(key, DAG)  # Awb 6:8: the term runs from the letters' bekendmaking
    with session_scope() as session:
        besluit = session.exec(select(Besluit).where(Besluit.zaak == key)).one()
        overgang = session.exec(
            select(Deadline).where(
                Deadline.zaak == key, Deadline.soort == "passende_overgang_uiterlijk"
            )
        ).one()
    assert besluit.coulant is True
    # N 2025: due when the running beschikking ends, the day before the verlenging's start.
    start = dt.date.fromisoformat(THUIS["gevraagde_start"])
    assert overgang.datum == start - dt.timedelta(days=1)
    fire_until(bezwaartermijn_einde(DAG, beleid_op(DAG)) + dt.timedelta(days=1))
    assert zaak(key).status == "passende_overgang"
    fire_until(overgang.datum)
    assert any("passende overgang nog niet" in n.onderwerp for n in berichten(key, "operations"))
    # Counted once, in the period of the afwijzing that started it (N 2025: collect figures).
    cijfers = opvolging.thuiscijfers(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (cijfers["afwijzingen"], cijfers["passende_overgangen_gestart"]) == (1, 1)
    assert (cijfers["coulant_beoordeeld"], cijfers["coulante_toekenningen"]) == (1, 0)
    later = opvolging.thuiscijfers(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert later["passende_overgangen_gestart"] == 0


def test_periodic_contacts_at_home_are_recorded_and_counted_in_the_thuis_figures(db):
    # N 2025: counted as coulant because the coulante weighing was recorded (issue 26).
    key = toegekend("THUIS-2", copy.deepcopy(THUIS), coulante_afweging=COULANTE_AFWEGING)
    with session_scope() as session:  # issue 13: only registered zorgkantoor staff record it
        registreer_medewerker(session=session, id="ops-1", rol="teamleider")
    opvolging.registreer_contact(
        key, "ANKER-003", dt.date(2027, 4, 1), "Situatie verantwoord.", "ops-1"
    )
    with session_scope() as session:
        assert (
            session.exec(select(Contact).where(Contact.zaak == key)).one().client_id == "ANKER-003"
        )
    with pytest.raises(opvolging.Geweigerd):
        opvolging.registreer_contact(
            toegekend("VERBLIJF-1", individueel()), "LINDE-014", DAG, "", "x"
        )
    opvolging.signaal_geen_passende_zorg(key, "Geen passende plek in de regio.", DAG, "ops-1")
    opvolging.signaal_geen_passende_zorg(key, "Nog steeds geen plek.", dt.date(2027, 2, 1), "ops-1")
    cijfers = opvolging.thuiscijfers(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (cijfers["aanvragen"], cijfers["toekenningen"], cijfers["afwijzingen"]) == (1, 1, 0)
    assert cijfers["coulant_beoordeeld"] == 1
    # The coulante toekenning and the signal of no fitting care are counted (N 2025).
    assert cijfers["coulante_toekenningen"] == 1
    assert cijfers["signalen_geen_passende_zorg"] == 1
    assert cijfers["passende_overgangen_gestart"] == 0
    assert (
        opvolging.thuiscijfers(dt.date(2027, 1, 1), dt.date(2027, 12, 31))[
            "signalen_geen_passende_zorg"
        ]
        == 1
    )


def test_a_recorded_ontwikkeltraject_counts_at_its_own_provider_only_in_every_list(db):
    # The same client reference at two providers: the werkvoorraad and the compliance list
    # read all running zaken at once (tasks/opvolging.cce_per_zaak) and must keep them apart.
    linde = toegekend("CCE-A", individueel())
    # Another person (another BSN): the same person at both would be double funding, a
    # blocking finding (OVERLAP_MEERZORG) that needs a weighing and four eyes (issue 26).
    ander = individueel(zorgaanbieder={"agb": "73730002", "naam": "Thuiszorg Het Anker"})
    ander["clienten"][0]["bsn"] = "999990111"
    anker = toegekend("CCE-B", ander)
    opvolging.registreer_ontwikkeltraject(
        linde, "LINDE-014", dt.date(2028, 3, 1), dt.date(2028, 9, 1), dt.date(2028, 9, 2), "cce-1"
    )
    peildatum = dt.date(2030, 2, 1)
    rows = {r["zaak"]: r["status"] for r in opvolging.compliance_lijst(peildatum)}
    assert rows == {linde: "ok", anker: "overtreding"}
    with session_scope() as session:
        zaken = session.exec(select(Zaak).where(Zaak.key.in_([linde, anker]))).all()
        one_by_one = {z.key: opvolging.cce_per_client(session, z, peildatum) for z in zaken}
        assert opvolging.cce_per_zaak(session, zaken, peildatum) == one_by_one
    from tasks.werkvoorraad import lees

    assert {r.zaak: r.cce_status for r in lees(peildatum)} == rows
