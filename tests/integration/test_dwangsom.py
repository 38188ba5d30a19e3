"""Ingebrekestelling and dwangsom bij niet tijdig beslissen (Awb 4:17, 4:18) on a real
database (SQLite, and PostgreSQL when configured): the registration (audited, refused in one
line with nothing written), the card, `meerzorg zaak` and the werkvoorraad with the amount to
date, the besluit on the aanvraag that stops it, and the sweep's 4:18 besluit with its
letter to the applicant."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from deployments.operations import zaak_overzicht
from models import dwangsom
from models.aanvraag import parse_aanvraag
from models.beleid import beleid_op
from models.db.brieven import brieven_van
from models.db.kaart import zaakkaart
from models.db.store import lees_zaak, migrate, registreer_medewerker, session_scope
from models.db.tables import AuditEvent, Besluit, Deadline, Notificatie
from models.db.tables_dwangsom import Ingebrekestelling
from models.db.zaak_lezen import laatste_besluit
from models.planner import beslistermijn_einde
from tasks import dwangsom as dwangsom_ops
from tasks import werkvoorraad
from tasks import zaak as ops
from tasks.opvolging_basis import Geweigerd
from tests.factories import toekennen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "aanvraag-groep-vg.json").read_text())
DAG = dt.date(2026, 11, 2)  # a Monday
TERMIJN = beslistermijn_einde(DAG, beleid_op(DAG))  # Awb 4:13: eight weeks
ONTVANGEN = TERMIJN + dt.timedelta(days=1)
START = dwangsom.dwangsom_start(ONTVANGEN)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        for id_, rol in (("b-1", "beoordelaar"), ("b-2", "teamleider"), ("cce-1", "cce")):
            registreer_medewerker(session=session, id=id_, rol=rol)
    return db_url


def in_beoordeling(ref: str) -> str:
    key, _ = ops.registreer(parse_aanvraag(copy.deepcopy(EXAMPLE)), DAG, provider_referentie=ref)
    assert ops.voer_actie_uit(key, DAG)
    return key


def zaak(key: str):
    with session_scope() as session:
        return lees_zaak(session=session, key=key)


def rij(key: str) -> Ingebrekestelling | None:
    with session_scope() as session:
        return session.exec(select(Ingebrekestelling).where(Ingebrekestelling.zaak == key)).first()


def acties(key: str) -> list[tuple[str, str]]:
    with session_scope() as session:
        return [
            (e.actor, e.actie)
            for e in session.exec(select(AuditEvent).where(AuditEvent.zaak == key))
        ]


def sweep(peildatum: dt.date) -> None:
    for i in ops.due_deadlines(peildatum):
        ops.vuur_deadline(i, peildatum)


def tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_awb_4_17_an_ingebrekestelling_is_registered_once_after_the_term_and_audited(db):
    key = in_beoordeling("DWS-1")
    for args, fout in (
        (("MZ-1999-000001", ONTVANGEN, ONTVANGEN), "zaak MZ-1999-000001 bestaat niet"),
        ((key, TERMIJN, ONTVANGEN), "te vroeg en telt niet (Awb 4:17 lid 3)"),
        ((key, ONTVANGEN + dt.timedelta(days=2), ONTVANGEN), "ligt in de toekomst"),
        ((key, ONTVANGEN, ONTVANGEN, "cce-1"), "registreert geen ingebrekestelling"),
    ):
        args = args if len(args) == 4 else (*args, "b-1")
        with pytest.raises(Geweigerd, match=fout.replace("(", r"\(").replace(")", r"\)")):
            dwangsom_ops.registreer_ingebrekestelling(*args)
    assert rij(key) is None and not any(a.startswith("ingebreke") for _, a in acties(key))

    wacht_key = zaak(key).wacht_key
    uit = dwangsom_ops.registreer_ingebrekestelling(key, ONTVANGEN, ONTVANGEN, "b-1")
    assert uit["ingebrekestelling"]["dwangsom_start"] == START.isoformat()
    assert uit["ingebrekestelling"]["bedrag_tot_nu"] == 0
    assert zaak(key).wacht_key == wacht_key  # the assessor's form stays as it is
    assert ("b-1", "ingebrekestelling_geregistreerd") in acties(key)
    with session_scope() as session:
        berichten = {
            (n.kanaal, n.onderwerp)
            for n in session.exec(select(Notificatie).where(Notificatie.zaak == key))
        }
        timer = session.exec(
            select(Deadline).where(Deadline.zaak == key, Deadline.soort == dwangsom.TIMER)
        ).one()
    assert ("aanbieder", f"Meerzorgaanvraag {key}: ingebrekestelling ontvangen") in berichten
    assert ("operations", f"Ingebrekestelling in zaak {key}") in berichten
    assert timer.datum == START + dt.timedelta(days=42) and timer.voor_status is None
    with pytest.raises(Geweigerd, match="al een ingebrekestelling geregistreerd"):
        dwangsom_ops.registreer_ingebrekestelling(key, ONTVANGEN, ONTVANGEN, "b-1")


def test_awb_4_17_the_card_zaak_and_werkvoorraad_show_the_amount_to_date(db):
    key = in_beoordeling("DWS-2")
    dwangsom_ops.registreer_ingebrekestelling(key, ONTVANGEN, ONTVANGEN, "b-1")
    peil = START + dt.timedelta(days=15)  # 16 days: 14 x 23 + 2 x 35
    with session_scope() as session:
        kaart = zaakkaart(session, lees_zaak(session=session, key=key), peil)
    assert "Ingebrekestelling en dwangsom (Awb 4:17)" in kaart
    assert f"dwangsom vanaf {START}: 16 dagen, 392 euro tot nu; **loopt**" in kaart
    data = zaak_overzicht(key, log_read=False, peildatum=peil)["ingebrekestelling"]
    assert data["ingebrekestelling_ontvangen"] == ONTVANGEN.isoformat()
    assert (data["dagen"], data["bedrag_tot_nu"], data["gestopt_op"]) == (16, 392, None)
    (wacht,) = [r for r in werkvoorraad.lees(peil, rol="beoordelaar") if r.zaak == key]
    assert wacht.dwangsom["bedrag_tot_nu"] == 392 and wacht.dwangsom["loopt"]


def test_awb_4_18_the_besluit_stops_it_and_the_sweep_fixes_it_with_a_letter(db):
    key = in_beoordeling("DWS-3")
    dwangsom_ops.registreer_ingebrekestelling(key, ONTVANGEN, ONTVANGEN, "b-1")
    besloten = START + dt.timedelta(days=9)  # owed for the nine days before it
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, toekennen("b-1"), besloten) == "toegepast"
    assert zaak(key).status == "lopend"
    r = rij(key)
    assert (r.besluit_op, r.besluit_soort, r.vastgesteld_besluit) == (besloten, "toekenning", None)
    with session_scope() as session:
        timers = {
            t.datum
            for t in session.exec(
                select(Deadline).where(
                    Deadline.zaak == key,
                    Deadline.soort == dwangsom.TIMER,
                    Deadline.status == "open",
                )
            )
        }
    assert timers == {besloten + dt.timedelta(days=1)}  # the 42-day one lapsed

    sweep(besloten)  # nothing yet on the day itself
    assert rij(key).vastgesteld_besluit is None
    sweep(besloten + dt.timedelta(days=1))
    r = rij(key)
    assert (r.dagen, r.bedrag, r.gestopt_op) == (9, 207, besloten)
    with session_scope() as session:
        besluit = session.get(Besluit, r.vastgesteld_besluit)
        (brief,) = [b for b in brieven_van(session=session, besluit_id=besluit.id)]
        laatste = laatste_besluit(session=session, zaak=key)
        bericht = session.exec(
            select(Notificatie).where(
                Notificatie.zaak == key, Notificatie.onderwerp.contains("dwangsom vastgesteld")
            )
        ).one()
    assert (besluit.soort, besluit.ronde, besluit.rechtsmiddel) == ("dwangsom", -1, "bezwaar")
    assert besluit.datum == besloten + dt.timedelta(days=1)
    # The applicant's letter carries the amount, the rules applied and the bezwaar clause.
    assert brief.rollen == ["zorgaanbieder"] and bericht.brief_id == brief.id
    inhoud = tekst(brief.pdf)
    assert "€ 207,00" in inhoud and "9 dagen" in inhoud and "Awb 4:17" in inhoud
    assert "Awb 4:18" in inhoud and "bezwaar" in inhoud and "R §10" not in inhoud
    # A bezwaar without a besluit named still goes against the toekenning (Awb 4:19).
    assert laatste.soort == "toekenning"
    data = zaak_overzicht(key, log_read=False, peildatum=besloten + dt.timedelta(days=30))
    assert data["ingebrekestelling"]["gestopt_op"] == besloten.isoformat()
    assert data["ingebrekestelling"]["vastgesteld_besluit"] == besluit.id
    assert data["ingebrekestelling"]["bedrag_tot_nu"] == 207
    sweep(besloten + dt.timedelta(days=60))  # twice for one day, or later: nothing more
    with session_scope() as session:
        n = session.exec(select(Besluit).where(Besluit.zaak == key, Besluit.soort == "dwangsom"))
        assert len(n.all()) == 1


def test_awb_4_17_lid_1_after_42_days_it_is_fixed_at_1442_and_a_later_besluit_changes_nothing(
    db,
):
    key = in_beoordeling("DWS-4")
    dwangsom_ops.registreer_ingebrekestelling(key, ONTVANGEN, ONTVANGEN, "b-1")
    eind = dwangsom.einde_maximum(ONTVANGEN)
    sweep(eind)
    r = rij(key)
    assert (r.dagen, r.bedrag, r.gestopt_op) == (42, 1442, eind)
    assert zaak(key).status == "beoordeling"  # the assessor still decides
    later = eind + dt.timedelta(days=3)
    assert ops.verwerk_invoer(key, zaak(key).wacht_key, toekennen("b-1"), later) == "toegepast"
    with session_scope() as session:
        soorten = sorted(b.soort for b in session.exec(select(Besluit).where(Besluit.zaak == key)))
    assert soorten == ["dwangsom", "toekenning"]
    assert rij(key).bedrag == 1442


def _meerzorg(
    db_url: str,
    tmp_path: Path,
    *args: str,
    command: str = "ingebrekestelling",
    login: str | None = None,
) -> subprocess.CompletedProcess:
    """The CLI with the door off as b-1, or (`login` "id:wachtwoord") on, logged in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEERZORG_", "PREFECT_"))}
    env.update(
        MEERZORG_DATABASE_URL=db_url,
        MEERZORG_DATA_DIR=str(tmp_path / "cli-data"),
        MEERZORG_AUTH="uit",
        MEERZORG_MEDEWERKER="b-1",
        PREFECT_API_URL="http://127.0.0.1:9/api",  # never reached
    )
    if login is not None:
        del env["MEERZORG_MEDEWERKER"]
        env.update(MEERZORG_AUTH="aan", PREFECT_API_AUTH_STRING=login)
    return subprocess.run(
        [sys.executable, "-m", "deployments.cli", command, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_cli_ingebrekestelling_refuses_in_one_dutch_line_and_registers_once(db, tmp_path):
    key = in_beoordeling("DWS-5")
    te_vroeg = _meerzorg(
        db, tmp_path, key, "--ontvangen", str(TERMIJN), "--peildatum", str(TERMIJN)
    )
    assert (te_vroeg.returncode, te_vroeg.stdout) == (2, ""), te_vroeg.stderr
    assert len(te_vroeg.stderr.splitlines()) == 1 and "te vroeg" in te_vroeg.stderr
    goed = _meerzorg(db, tmp_path, key, "--ontvangen", str(ONTVANGEN), "--peildatum", str(START))
    assert goed.returncode == 0, goed.stderr
    assert json.loads(goed.stdout)["ingebrekestelling"]["dagen"] == 1
    assert ("b-1", "ingebrekestelling_geregistreerd") in acties(key)
    # meerzorg zaak counts the dwangsom to its --peildatum (default today).
    z = _meerzorg(
        db, tmp_path, key, "--peildatum", str(START + dt.timedelta(days=2)), command="zaak"
    )
    assert z.returncode == 0, z.stderr
    assert json.loads(z.stdout)["ingebrekestelling"]["bedrag_tot_nu"] == 3 * 23


def test_issue_25_a_person_cannot_choose_the_registration_date_with_the_door_on(db, tmp_path):
    """Like a besluit (deployments/aanmelding.besluitdatum): a logged-in person registers an
    ingebrekestelling today; another --peildatum, which would get around the check that it
    was not received in the future, is refused in one line and nothing is written."""
    from deployments.gateway_auth import hash_wachtwoord
    from models.db.tables import Medewerker

    with session_scope() as session:
        session.get(Medewerker, "b-1").wachtwoord_hash = hash_wachtwoord("een-lang-wachtwoord")
    key = in_beoordeling("DWS-6")
    p = _meerzorg(
        db,
        tmp_path,
        key,
        "--ontvangen",
        str(ONTVANGEN),
        "--peildatum",
        str(START),
        login="b-1:een-lang-wachtwoord",
    )
    assert (p.returncode, p.stdout) == (2, ""), p.stderr
    assert len(p.stderr.splitlines()) == 1 and "de dag waarop het wordt genomen" in p.stderr
    assert rij(key) is None
    assert ("b-1", "ingebrekestelling_geregistreerd") not in acties(key)
