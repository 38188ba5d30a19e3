"""The bezwaar's details (issue 26 point 10) on a real database (SQLite, and PostgreSQL when
configured), each scenario named after its Awb article: the hoorzitting a week after the
invitation (7:4) with its verslag (7:7), the kostenvergoeding (7:15) in the beslissing's
letter, the verdaging only within the term (7:10 lid 3), the adviescommissie (7:13) on the
command line, gedeeltelijk gegrond (7:11), and `meerzorg zaak` showing the facts without
the free text. The rules by themselves: tests/unit/test_bezwaar_details_rules.py."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlmodel import select

from deployments import operations
from models.aanvraag import parse_aanvraag
from models.bezwaar_termijnen import beslis_uiterlijk
from models.db.store import session_scope
from models.db.tables import AuditEvent, Beschikking, Bezwaar
from tasks import bezwaar as bezwaar_ops
from tasks import zaak as ops
from tests.factories import toekennen
from tests.integration.test_bezwaar import (  # noqa: F401 - db is the shared fixture
    AFZIEN,
    DAG,
    EINDE,
    EXAMPLE,
    _meerzorg,
    afgewezen,
    antwoord,
    behandel,
    besluiten,
    bezwaar,
    bezwaarschrift,
    brieven,
    db,
    pdf_tekst,
    zaak,
)

pytestmark = pytest.mark.usefixtures("db")
VERSLAG_TEKST = "De zorgaanbieder lichtte het verbeterplan toe; mevrouw X was aanwezig."


def test_awb_7_4_7_7_7_15_hoorzitting_a_week_on_its_verslag_and_the_costs_in_the_letter():
    key = afgewezen("BZD-1")
    antwoord(key, bezwaarschrift(DAG), DAG)
    plannen = {"behandelaar": "jur-1", "handeling": "plannen"}
    # Awb 7:4: six days after today's invitation is too soon; nothing changes.
    te_vroeg = {**plannen, "hoorzitting_op": DAG + dt.timedelta(days=6)}
    assert antwoord(key, te_vroeg, DAG) == "ongeldig"
    assert "Awb 7:4" in zaak(key).laatste_fout and bezwaar(key).hoorzitting_op is None
    op = DAG + dt.timedelta(days=7)
    assert antwoord(key, {**plannen, "hoorzitting_op": op}, DAG) == "toegepast"
    assert (bezwaar(key).uitgenodigd_op, bezwaar(key).hoorzitting_op) == (DAG, op)

    # Awb 7:7: the verslag, then the beslissing with the costs asked and granted (7:15).
    verslag = {"behandelaar": "jur-1", "verslag": True, "gehoord": "zorgaanbieder"}
    verslag |= {"verslag_tekst": VERSLAG_TEKST, "verslag_verzonden_op": op.isoformat()}
    assert antwoord(key, verslag, op) == "toegepast", zaak(key).laatste_fout
    kosten = {"kosten_gevraagd": True, "kosten_toegekend": True, "kosten_bedrag": 637.5}
    assert antwoord(key, behandel(**kosten), op) == "toegepast", zaak(key).laatste_fout
    b = bezwaar(key)
    assert b.verslag["tekst"] == VERSLAG_TEKST and b.verslag["gehoord"] == ["zorgaanbieder"]
    assert b.kostenvergoeding == {"gevraagd": True, "toegekend": True, "bedrag": 637.5}
    beslissing = besluiten(key)[-1]
    tekst = pdf_tekst(brieven(beslissing.id)[0].pdf)
    assert "EUR 637.50" in tekst and "7:15" in tekst and "7:7" in tekst

    # meerzorg zaak: the facts, not the verslag's text; nor does the audit trail hold it.
    uit = operations.zaak_overzicht(key, log_read=False)["bezwaar"]
    assert uit["verslag"] == {
        "gehoord": ["zorgaanbieder"],
        "opgemaakt_op": op.isoformat(),
        "verzonden_op": op.isoformat(),
        "vastgelegd": True,
    }
    assert (uit["uitgenodigd_op"], uit["kostenvergoeding"]["bedrag"]) == (DAG.isoformat(), 637.5)
    assert "mevrouw" not in json.dumps(uit)
    with session_scope() as session:
        details = [
            e.details for e in session.exec(select(AuditEvent).where(AuditEvent.zaak == key))
        ]
    assert "mevrouw" not in json.dumps(details, default=str)


def test_awb_7_10_lid_3_a_verdaging_after_the_term_is_refused_and_nothing_changes():
    key = afgewezen("BZD-2")
    antwoord(key, bezwaarschrift(DAG), DAG)
    termijn = bezwaar(key).uiterlijk
    verdaag = {"behandelaar": "jur-1", "verdagen": True, "reden_verdaging": "Advies nodig."}
    assert antwoord(key, verdaag, termijn + dt.timedelta(days=1)) == "ongeldig"
    assert "verdagen kan alleen binnen de termijn" in zaak(key).laatste_fout
    assert (bezwaar(key).uiterlijk, bezwaar(key).verdaagd) == (termijn, False)
    assert antwoord(key, verdaag, termijn) == "toegepast"  # on its last day it can
    assert bezwaar(key).verdaagd is True


def test_awb_7_13_cli_registreer_with_an_adviescommissie_sets_twelve_weeks(db_url, tmp_path):
    key = afgewezen("BZD-3")
    p = _meerzorg(db_url, tmp_path, key, "--gronden", "Het plan is gereed.", "--adviescommissie")
    assert p.returncode == 0, p.stderr
    uit = json.loads(p.stdout)["bezwaar"]
    twaalf = beslis_uiterlijk(EINDE, DAG, adviescommissie=True)
    assert (uit["adviescommissie"], uit["uiterlijk"]) == (True, twaalf.isoformat())
    assert twaalf > beslis_uiterlijk(EINDE, DAG) + dt.timedelta(weeks=5)
    with session_scope() as session:
        assert session.exec(select(Bezwaar.adviescommissie).where(Bezwaar.zaak == key)).one()
    # Awb 7:13 lid 7: the beslissing names the commissie's advice; meerzorg zaak shows it.
    antwoord(key, AFZIEN, DAG)
    assert antwoord(key, behandel("ongegrond"), DAG) == "ongeldig"
    assert "7:13 lid 7" in zaak(key).laatste_fout
    advies = behandel("ongegrond", advies_commissie="ongegrond")
    assert antwoord(key, advies, DAG) == "toegepast", zaak(key).laatste_fout
    assert bezwaar(key).advies_commissie == "ongegrond"
    assert operations.zaak_overzicht(key, log_read=False)["bezwaar"]["advies_commissie"] == (
        "ongegrond"
    )


def test_awb_7_11_gedeeltelijk_gegrond_against_a_toekenning_the_new_besluit_replaces_it():
    data = copy.deepcopy(EXAMPLE)
    key, _ = ops.registreer(parse_aanvraag(data), DAG, provider_referentie="BZD-4")
    ops.voer_actie_uit(key, DAG)
    antwoord(key, toekennen("b-2"), DAG)
    bezwaar_ops.registreer_bezwaar(key, bezwaarschrift(DAG), DAG, "cli")
    antwoord(key, AFZIEN, DAG)
    deels = behandel("gedeeltelijk-gegrond", onderbouwing="Het bedrag wel, de duur niet.")
    assert antwoord(key, deels, DAG) == "toegepast", zaak(key).laatste_fout
    assert (zaak(key).status, bezwaar(key).uitkomst) == ("beoordeling", "gedeeltelijk-gegrond")
    beslissing = besluiten(key)[-1]
    assert (beslissing.soort, beslissing.rechtsmiddel) == ("beslissing_op_bezwaar", "beroep")
    assert "voor zover het bezwaar gegrond is" in pdf_tekst(brieven(beslissing.id)[0].pdf)
    hoger = toekennen("b-1", onderbouwing="Het bedrag herzien; de duur blijft.")
    assert antwoord(key, hoger, DAG + dt.timedelta(days=3)) == "toegepast", zaak(key).laatste_fout
    assert besluiten(key)[-1].rechtsmiddel == "beroep"  # part of the beslissing (7:11, 8:1)
    with session_scope() as session:
        rijen = session.exec(select(Beschikking).where(Beschikking.zaak == key)).all()
    assert {b.status for b in rijen} == {"actief"} and len(rijen) == 2
