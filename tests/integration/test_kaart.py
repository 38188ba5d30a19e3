"""The whole aanvraag in view (issue 12 item 5) on a real database: the case card and the
JSON of `meerzorg zaak` show the vragenlijst, doelen, rekentool breakdown, check vooraf,
the spiegel of comparable beschikkingen, the toets's advice and, for a verlenging, the
previous period beside this aanvraag; never a BSN."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from deployments.operations import zaak_overzicht
from models.aanvraag import parse_aanvraag
from models.db.kaart import zaakkaart
from models.db.store import lees_zaak, migrate, session_scope
from models.db.tables import Beschikking, Besluit
from models.zaakinhoud import BSN_MASKER
from tasks import zaak as ops
from tests.factories import BSNS, aanvraag_dict, client_dict, uren

DAG = dt.date(2026, 11, 22)
START = dt.date(2027, 1, 1)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    migrate(db_url)
    return db_url


def registreer(ref: str, *, toets: bool = True, **aanvraag) -> str:
    aanvraag.setdefault("gevraagde_start", START)
    key, _ = ops.registreer(parse_aanvraag(aanvraag_dict(**aanvraag)), DAG, provider_referentie=ref)
    if toets:
        ops.voer_actie_uit(key, DAG)
    return key


def geef_beschikking(key: str, client_id: str, bedrag: float) -> None:
    """A granted beschikking written directly: the spiegel reads only what is stored."""
    with session_scope() as session:
        session.add(
            Beschikking(
                zaak=key,
                client_id=client_id,
                start=START,
                eind=dt.date(2028, 12, 31),
                bedrag_per_jaar=bedrag,
                uitkomst_rekentool="MZ3",
                beleidsversie="2026.1",
                besluitdatum=DAG,
            )
        )


def kaart(key: str) -> str:
    with session_scope() as session:
        return zaakkaart(session, lees_zaak(session=session, key=key))


def wijzig_zaak(key: str, **velden) -> None:
    with session_scope() as session:
        z = lees_zaak(session=session, key=key)
        for naam, waarde in velden.items():
            setattr(z, naam, waarde)
        session.add(z)


def test_the_card_shows_the_vragenlijst_doelen_rekentool_and_check_vooraf(db):
    key = registreer(
        "K-1",
        uren_per_week=uren(begeleiding=40, nachtzorg=7),
        behandelaar_uren_per_week={"gedragsdeskundige": 3, "psychiater": 0.5},
        context_middelen_per_jaar=12_500,
        vragenlijst={
            "huidige_situatie": "Dagelijks agressie-incidenten.",
            "gewenste_situatie": "Voorspelbaar dagprogramma.",
            "inzet": "Extra begeleider in de avond.",
        },
        doelen=["Fixatie afgebouwd binnen 9 maanden", "Avondbezetting regulier in jaar 2"],
    )
    card = kaart(key)
    # Free text may name a client: on the card (a Prefect artifact) only that it is there;
    # the text itself in `meerzorg zaak`, read from the database.
    assert "- **1. Huidige situatie:** ingevuld (2 woorden)" in card
    assert "- **3. Inzet om die te bereiken:** ingevuld (5 woorden)" in card
    assert "1. ingevuld (5 woorden)\n2. ingevuld (5 woorden)" in card
    assert "Dagelijks agressie-incidenten" not in card and f"meerzorg zaak {key}" in card
    inhoud = zaak_overzicht(key, log_read=False)["aanvraag_inhoud"]
    assert inhoud["vragenlijst"]["huidige_situatie"] == "Dagelijks agressie-incidenten."
    assert inhoud["doelen"][0] == "Fixatie afgebouwd binnen 9 maanden"
    assert "| begeleiding | 40 |" in card and "| nachtzorg | 7 |" in card
    assert "| **totaal** | **47** |" in card
    assert "| norm van het profiel (CL-001 VG7 26) | 26 |" in card
    assert "| boven de norm | 21 |" in card
    assert "gedragsdeskundige 3, psychiater 0.5 (totaal 3.5)" in card
    assert "**Context-gebonden middelen:** 12,500.00 euro per jaar" in card
    assert "- Basiszorg op orde: **ja**" in card
    assert "- Andere toeslagen tegelijk (mag niet, NZa): **nee**" in card
    # The compact summary comes first, the details after it.
    assert card.index("| Status |") < card.index("### Vragenlijst") < card.index("### Rekentool")


def test_a_check_vooraf_answered_no_shows_as_nee(db):
    key = registreer("K-2", check_vooraf={"basiszorg_op_orde": False, "client_betrokken": True})
    card = kaart(key)
    assert "- Basiszorg op orde: **nee**" in card
    assert "- Client of vertegenwoordiger betrokken: **ja**" in card


def test_the_spiegel_is_the_median_of_comparable_beschikkingen_only(db):
    key = registreer("K-3")
    for i, (ref, client, bedrag) in enumerate(
        (
            ("K-3a", {"client_id": "VGL-1"}, 30_000.0),
            ("K-3b", {"client_id": "VGL-2"}, 50_000.0),
            ("K-3c", {"client_id": "THUIS-1", "leveringsvorm": "mpt"}, 400_000.0),
            ("K-3d", {"client_id": "VG8-1", "zorgprofiel": "VG8"}, 400_000.0),
        ),
        start=1,
    ):
        ander = registreer(ref, toets=False, clienten=[client_dict(i, **client)])
        geef_beschikking(ander, client["client_id"], bedrag)
    geef_beschikking(key, "CL-001", 9_999_999.0)  # its own beschikking never counts
    card = kaart(key)
    assert (
        "| Spiegel | mediaan 40,000.00 euro per client per jaar (2 vergelijkbare beschikkingen) |"
        in card
    )
    spiegel = zaak_overzicht(key, log_read=False)["spiegel"]
    assert spiegel["mediaan_bedrag_per_jaar"] == 40_000 and spiegel["aantal"] == 2


def test_without_comparable_beschikkingen_the_card_says_so(db):
    key = registreer("K-4")
    assert "| Spiegel | geen vergelijkbare beschikkingen |" in kaart(key)
    assert zaak_overzicht(key, log_read=False)["spiegel"]["aantal"] == 0


def test_the_advice_of_the_toets_is_on_the_card_when_the_toets_gave_one(db):
    key = registreer("K-5", toets=False)
    toets = {
        "bevindingen": [],
        "advies": "afwijzen",
        "advies_toelichting": "drempel niet gehaald, 19.2%",
        "volledig": True,
    }
    wijzig_zaak(key, toets=toets)
    assert (
        "| Advies toets | **afwijzen**: drempel niet gehaald, 19.2% (aanvraag volledig) |"
        in kaart(key)
    )
    z = zaak_overzicht(key, log_read=False)
    assert (z["advies"], z["volledig"]) == ("afwijzen", True)


def test_an_old_zaak_without_advice_shows_no_advies_line(db):
    key = registreer("K-6", toets=False)
    wijzig_zaak(key, toets={"bevindingen": [], "ontvankelijk": True})
    assert "Advies toets" not in kaart(key)
    assert zaak_overzicht(key, log_read=False)["advies"] is None


def vorige_en_verlenging(ref: str, **verlenging) -> tuple[str, str]:
    """A previous zaak with a toekenning (perspectief) and the provider's evaluation, and
    the verlenging that names it."""
    vorige = registreer(f"{ref}-v", doelen=["Fixatie afgebouwd", "Dagstructuur vast"])
    with session_scope() as session:
        session.add(
            Besluit(
                zaak=vorige,
                ronde=0,
                uitkomst="toekennen",
                beoordelaar="b-1",
                beoordeling={
                    "perspectief": {
                        "verwachting": "Afbouw na een jaar",
                        "evalueren_op": "2027-06-01",
                    }
                },
                start=START,
                eind=dt.date(2028, 12, 31),
                datum=DAG,
                beleidsversie="2026.1",
            )
        )
    wijzig_zaak(
        vorige,
        evaluatie={
            "doelen_behaald": "deels",
            "toelichting": "Fixatie af, avonden onrustig.",
            "datum": "2028-09-01",
        },
    )
    verlenging.setdefault("evaluatie_vorige_periode", "Deels behaald: fixatie af.")
    key = registreer(
        ref,
        soort="verlenging",
        vorige_zaak=vorige,
        doelen=["Avonden rustig binnen 6 maanden"],
        **verlenging,
    )
    return vorige, key


def test_a_verlenging_shows_the_previous_period_beside_this_aanvraag(db):
    vorige, key = vorige_en_verlenging("K-7")
    card = kaart(key)
    assert f"### Vorige periode ({vorige}) en deze aanvraag" in card
    assert (
        "| Doelen | 1. ingevuld (2 woorden) · 2. ingevuld (2 woorden) | 1. ingevuld (5 woorden) |"
        in card
    )
    assert "| Perspectief | ingevuld (4 woorden), evalueren op 2027-06-01 |" in card
    assert (
        "| Evaluatie | deels, toelichting ingevuld (4 woorden) (2028-09-01) | ingevuld (4 woorden) |"
        in card
    )
    v = zaak_overzicht(key, log_read=False)["vorige_periode"]
    assert v["zaak"] == vorige and v["doelen"] == ["Fixatie afgebouwd", "Dagstructuur vast"]
    assert v["perspectief"] == {"verwachting": "Afbouw na een jaar", "evalueren_op": "2027-06-01"}
    assert v["evaluatie"]["doelen_behaald"] == "deels"
    assert v["evaluatie_vorige_periode"] == "Deels behaald: fixatie af."


def test_a_new_aanvraag_has_no_previous_period(db):
    key = registreer("K-8")
    assert "Vorige periode" not in kaart(key)
    assert zaak_overzicht(key, log_read=False)["vorige_periode"] is None


def test_a_thuis_verlenging_shows_the_coulante_maatwerkbeoordeling(db):
    _, key = vorige_en_verlenging("K-9", clienten=[client_dict(0, leveringsvorm="mpt")])
    assert "coulante maatwerkbeoordeling (N 2025)" in kaart(key)
    assert zaak_overzicht(key, log_read=False)["coulant"] is True


def test_a_verlenging_in_verblijf_is_not_coulant(db):
    _, key = vorige_en_verlenging("K-10")
    assert "coulante" not in kaart(key)
    assert zaak_overzicht(key, log_read=False)["coulant"] is False


def test_neither_card_nor_json_shows_a_bsn_even_one_typed_into_the_free_text(db):
    bsns = BSNS[:3]
    vorige, key = vorige_en_verlenging(
        "K-11",
        clienten=[client_dict(0), client_dict(1)],
        vorm="groep",
        vragenlijst={"huidige_situatie": f"client met bsn {bsns[0]}", "inzet": "x"},
        evaluatie_vorige_periode=f"Voor {bsns[1][:4]}.{bsns[1][4:6]}.{bsns[1][6:]} deels behaald",
    )
    card = kaart(key)
    tekst = json.dumps(zaak_overzicht(key, log_read=False))
    for bsn in bsns:
        for gezien in (card, tekst):
            assert bsn not in gezien.replace(".", "").replace(" ", "")
    assert tekst.count(BSN_MASKER) == 2  # the typed numbers were there, and are masked
    assert "CL-001" in card and "CL-002" in card  # the client_id is what identifies


def test_the_json_keeps_every_existing_field_and_adds_the_aanvraag(db):
    key = registreer("K-12")
    z = zaak_overzicht(key, log_read=False)
    bestaand = {
        "zaak",
        "status",
        "wacht_op",
        "wacht_key",
        "laatste_fout",
        "agb",
        "ingediend_op",
        "beleidsversie",
        "flow_run_id",
        "ontvankelijk",
        "besluiten",
        "beschikkingen",
        "deadlines",
        "notificaties",
    }
    assert bestaand <= set(z)
    assert z["zaak"] == key and z["agb"] == "73730001"
    inhoud = z["aanvraag_inhoud"]
    assert set(inhoud) == {
        "vragenlijst",
        "doelen",
        "check_vooraf",
        "uren",
        "behandelaar_uren",
        "context_middelen",
    }
    assert inhoud["doelen"] == ["Vrijheidsbeperkende maatregelen afgebouwd binnen 9 maanden"]
    assert {
        "advies",
        "advies_toelichting",
        "volledig",
        "coulant",
        "spiegel",
        "vorige_periode",
    } <= set(z)
