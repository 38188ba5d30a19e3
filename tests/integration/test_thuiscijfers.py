"""`meerzorg thuiscijfers` on a real database (SQLite, and PostgreSQL when configured): N 2025
asks for the aanvragen, toekenningen and afwijzingen at home; each aanvraag counts once by its
final outcome, split mpt/pgb and nieuw/verlenging/verhoging, in the shape the CLI had plus
the split (docs/changelog.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.db.store import migrate, session_scope
from models.db.tables import Beschikking, Besluit, Zaak, Zorgaanbieder
from tasks import opvolging

AGB = "73730002"
VAN, TOT = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    with session_scope() as session:
        session.add(Zorgaanbieder(agb=AGB, naam="Thuiszorg Het Anker", notify=[]))
    return db_url


def thuiszaak(session, key, vorm, soort, client_id, ontvangen=dt.date(2026, 2, 1)) -> None:
    session.add(
        Zaak(
            key=key,
            agb=AGB,
            soort=soort,
            vorm="individueel",
            leveringsvorm=vorm,
            thuis=True,
            ingediend_op=ontvangen,
            aanvraag={"clienten": [{"client_id": client_id}]},
            status="lopend",
        )
    )
    session.flush()


def besluit(session, key, ronde, uitkomst, dag, coulant=False) -> None:
    session.add(
        Besluit(
            zaak=key,
            ronde=ronde,
            uitkomst=uitkomst,
            onderbouwing="Onderbouwing.",
            beoordelaar="b-1",
            coulant=coulant,
            datum=dag,
            beleidsversie="2025.2",
        )
    )


def test_n2025_each_aanvraag_at_home_once_by_its_final_outcome_split_by_vorm_and_soort(db):
    with session_scope() as session:
        # mpt, new: rejected, then granted after a gegrond bezwaar: one toekenning.
        thuiszaak(session, "MZ-2026-000001", "mpt", "nieuw", "ANKER-1")
        besluit(session, "MZ-2026-000001", 1, "afwijzen", dt.date(2026, 3, 1))
        besluit(session, "MZ-2026-000001", 2, "toekennen", dt.date(2026, 6, 1))
        session.add(
            Beschikking(
                zaak="MZ-2026-000001",
                client_id="ANKER-1",
                start=dt.date(2026, 6, 1),
                eind=dt.date(2027, 5, 31),
                bedrag_per_jaar=20_000.0,
                uitkomst_rekentool="profiel",
                beleidsversie="2025.2",
                besluitdatum=dt.date(2026, 6, 1),
            )
        )
        # pgb verlenging: afwijzing with the coulante weighing, bezwaar ongegrond.
        thuiszaak(session, "MZ-2026-000002", "pgb", "verlenging", "ANKER-2")
        besluit(session, "MZ-2026-000002", 1, "afwijzen", dt.date(2026, 3, 2), coulant=True)
        besluit(session, "MZ-2026-000002", 2, "ongegrond", dt.date(2026, 5, 2))
        # mpt, more for ANKER-1 while her beschikking runs: a verhoging, still open.
        thuiszaak(session, "MZ-2026-000003", "mpt", "nieuw", "ANKER-1", dt.date(2026, 9, 1))
    c = opvolging.thuiscijfers(VAN, TOT)
    assert (c["aanvragen"], c["toekenningen"], c["afwijzingen"]) == (3, 1, 1)
    assert (c["nieuwe_aanvragen"], c["verlengingen"], c["verhogingen"]) == (1, 1, 1)
    assert (c["coulant_beoordeeld"], c["coulante_toekenningen"]) == (1, 0)
    assert c["per_leveringsvorm"]["mpt"]["aanvragen"] == 2
    assert c["per_leveringsvorm"]["mpt"]["toekenningen"] == 1
    assert c["per_leveringsvorm"]["pgb"]["afwijzingen"] == 1
    assert c["per_soort"]["verhoging"] == {
        "aanvragen": 1,
        "toekenningen": 0,
        "bijstellingen": 0,
        "afwijzingen": 0,
        "buiten_behandelingstellingen": 0,
    }
    # The shape the CLI had stays: every earlier field is there.
    assert {
        "van",
        "tot",
        "bijstellingen",
        "buiten_behandelingstellingen",
        "bezwaren",
        "signalen_geen_passende_zorg",
        "passende_overgangen_gestart",
        "contacten",
        "contacten_per_bevinding",
    } <= set(c)
    # A period before the final toekenning: the first afwijzing no longer counts.
    voor = opvolging.thuiscijfers(VAN, dt.date(2026, 4, 30))
    assert (voor["afwijzingen"], voor["toekenningen"]) == (1, 0)  # only the pgb verlenging
