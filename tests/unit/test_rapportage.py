"""The analyses as rules: validating history lines, snapshots and CCE status as of a
peildatum, the report's counts and charts, and the what-if diff."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from models.aanvraag import Aanvraag, parse_beschikking
from models.beleid import beleid_op
from models.historie import (
    HistorischeZaak,
    beleid_voor,
    historische_status,
    sleutel_van,
    valideer_regels,
)
from models.rapportage import (
    BesluitFeit,
    ZaakFeit,
    doorlooptijden,
    expiraties,
    maandtabel,
    spiegelinformatie,
    totalen,
)
from models.snapshot import BeschikkingFeit, peildata, snapshot_rijen
from models.whatif import CaseloadZaak, whatif_verschillen
from tasks.rapport_grafieken import staafdiagram
from tasks.rapport_uitvoer import maak_rapport, png_naam, schrijf_rapport
from tests.factories import AGB, aanvraag_dict, beschikking_dict, client_dict, d, traject

PEIL = d("2026-11-22")


def regel(**changes) -> str:
    data = aanvraag_dict(gevraagde_start="2026-02-01")
    data["ingediend_op"] = "2026-01-05"
    data.update(changes)
    return json.dumps(data)


def besluit(uitkomst: str = "toekennen", datum: str = "2026-02-20", **changes) -> dict:
    out = {"uitkomst": uitkomst, "datum": datum}
    if uitkomst == "toekennen":
        out |= {"start": "2026-03-01", "eind": "2028-02-29"}
    else:
        out["onderbouwing"] = "Niet onderbouwd."
    return out | changes


# --- history lines -----------------------------------------------------------------------------


def test_every_invalid_line_is_reported_with_its_number_and_reason():
    lines = [
        regel(besluit=besluit()),
        "{not json",
        regel(besluit=besluit(uitkomst="afwijzen", onderbouwing="")),
        "",  # blank lines are not zaken
        regel(besluit={"uitkomst": "toekennen", "datum": "2026-02-20", "start": "2026-03-01"}),
        json.dumps({k: v for k, v in json.loads(regel()).items() if k != "ingediend_op"}),
        regel(besluit=besluit(datum="2025-12-01")),
        regel(besluit=besluit(), clienten=[client_dict(0, bsn="123456789")]),
    ]
    goed, fouten = valideer_regels(lines, PEIL)
    assert [g.nummer for g in goed] == [1]
    redenen = {f.nummer: f.reden for f in fouten}
    assert sorted(redenen) == [2, 3, 5, 6, 7, 8]
    assert "not valid JSON" in redenen[2]
    assert "onderbouwing" in redenen[3]
    assert "start and eind" in redenen[5]
    assert redenen[6] == "ingediend_op: is required"
    assert "before ingediend_op" in redenen[7]
    assert "BSN" in redenen[8]


def test_a_decision_after_the_peildatum_or_the_same_zaak_twice_is_invalid():
    lines = [
        regel(besluit=besluit()),
        regel(besluit=besluit()),
        regel(besluit=besluit(datum="2026-12-01")),
        regel(provider_referentie="REF-9"),
        regel(provider_referentie="REF-9", ingediend_op="2026-01-06"),
    ]
    goed, fouten = valideer_regels(lines, PEIL)
    assert [g.nummer for g in goed] == [1, 4]
    assert {f.nummer: f.reden for f in fouten} == {
        2: "the same zaak as line 1 (identical content)",
        3: "besluit.datum 2026-12-01 is after the peildatum 2026-11-22",
        5: "the same zaak as line 4 (REF-9)",
    }


def test_the_idempotency_key_is_the_providers_reference_else_a_content_hash():
    zonder = HistorischeZaak.model_validate(json.loads(regel()))
    assert sleutel_van(zonder) == sleutel_van(HistorischeZaak.model_validate(json.loads(regel())))
    assert sleutel_van(zonder).startswith("historie-")
    anders = HistorischeZaak.model_validate(json.loads(regel(ingediend_op="2026-01-06")))
    assert sleutel_van(anders) != sleutel_van(zonder)
    met = HistorischeZaak.model_validate(json.loads(regel(provider_referentie="P-1")))
    assert sleutel_van(met) == "P-1"


@pytest.mark.parametrize(
    ("besluit_", "einde", "status"),
    [
        (None, None, "geregistreerd"),
        (besluit(), d("2028-02-29"), "lopend"),
        (besluit(), d("2026-11-22"), "lopend"),  # its last day: the sweep ends it tomorrow
        (besluit(), d("2026-11-21"), "beeindigd"),
        (besluit("afwijzen", "2026-10-12"), None, "bezwaartermijn"),  # last day 2026-11-23
        # Six weeks end on Saturday 21 November: the term runs to Monday 23 (Atw art. 1).
        (besluit("afwijzen", "2026-10-10"), None, "bezwaartermijn"),
        (besluit("afwijzen", "2026-10-09"), None, "afgewezen"),  # last day Friday 20 November
        (besluit("bijstellen", "2026-10-26"), None, "bijstelling"),  # 4 weeks to adjust
        # R §10: no adjusted aanvraag by its term: a person decides, never 4:5 by itself.
        (besluit("bijstellen", "2026-10-25"), None, "beoordeling"),
    ],
)
def test_a_historical_zaak_continues_where_its_history_left_it(besluit_, einde, status):
    zaak = HistorischeZaak.model_validate(json.loads(regel(besluit=besluit_)))
    assert historische_status(zaak, einde, PEIL) == status


# --- snapshots: obligations and CCE as of a peildatum ------------------------------------


def feit(
    *,
    trajecten=(),
    start="2026-07-01",
    eind="2028-06-30",
    besluitdatum="2026-06-15",
    meerzorg_sinds=None,
    **client,
) -> BeschikkingFeit:
    data = beschikking_dict(
        start=start,
        eind=eind,
        besluitdatum=besluitdatum,
        client={"ontwikkeltrajecten": [traject(*t) for t in trajecten], **client},
    )
    b = parse_beschikking(data)
    c = b.clienten[0]
    return BeschikkingFeit(
        id=1,
        zaak="MZ-2026-000001",
        agb=AGB,
        client_id=c.client_id,
        leveringsvorm=c.leveringsvorm,
        zorgprofiel=c.zorgprofiel,
        start=b.start,
        eind=b.eind,
        besluitdatum=b.besluitdatum,
        bedrag_per_jaar=50_000.0,
        beschikking=b,
        beleid=beleid_voor(b.besluitdatum),
        meerzorg_sinds=d(meerzorg_sinds) if meerzorg_sinds else b.start,
        trajecten=tuple(c.ontwikkeltrajecten),
    )


def test_peildata_by_month_stay_at_month_ends_and_include_the_last_day():
    assert peildata(d("2026-01-31"), d("2026-04-30"), "maand") == [
        d("2026-01-31"),
        d("2026-02-28"),
        d("2026-03-31"),
        d("2026-04-30"),
    ]
    assert len(peildata(d("2026-01-01"), d("2026-12-31"), "dag")) == 365
    assert peildata(d("2026-01-01"), d("2026-01-20"), "week")[-1] == d("2026-01-15")
    with pytest.raises(ValueError, match="before"):
        peildata(d("2026-02-01"), d("2026-01-01"), "dag")


def test_a_beschikking_is_in_the_snapshot_from_its_decision_until_its_last_day():
    rijen = snapshot_rijen(
        feit(),
        [d("2026-06-14"), d("2026-06-15"), d("2026-07-01"), d("2028-06-30"), d("2028-07-01")],
    )
    assert [(r["peildatum"], r["fase"]) for r in rijen] == [
        (d("2026-06-15"), "toekomstig"),
        (d("2026-07-01"), "actief"),
        (d("2028-06-30"), "actief"),
    ]
    assert rijen[0]["herbeoordeling_start"] == d("2027-12-30")
    assert rijen[-1]["volgende_verplichting"] == "einde_beschikking"
    # The einde itself, and the CCE reminder and deadline that fall after it.
    assert rijen[-1]["verplichtingen_open"] == 3


def test_cce_is_ok_then_at_risk_from_the_reminder_lead_time_then_in_breach():
    # No traject: the window runs 3 years from the start (2026-07-01 .. 2029-06-30).
    f = feit(eind="2029-06-30")
    status = {
        r["peildatum"]: (r["cce_status"], r["cce_uiterlijk"])
        for r in snapshot_rijen(f, [d("2028-12-29"), d("2028-12-30"), d("2029-06-30")])
    }
    assert status == {
        d("2028-12-29"): ("ok", d("2029-06-30")),
        d("2028-12-30"): ("risico", d("2029-06-30")),
        d("2029-06-30"): ("risico", d("2029-06-30")),
    }
    # Meerzorg since 2023 without a traject: in breach on the day after the window closed.
    oud = feit(meerzorg_sinds="2023-03-01")
    assert [r["cce_status"] for r in snapshot_rijen(oud, [d("2026-02-28"), d("2026-07-01")])] == [
        "overtreding"
    ]
    assert snapshot_rijen(oud, [d("2026-07-01")])[0]["cce_uiterlijk"] == d("2026-02-28")


def test_a_traject_counts_only_from_the_day_its_second_bijeenkomst_took_place():
    f = feit(meerzorg_sinds="2023-03-01", trajecten=[("2026-09-01", "2026-10-15")])
    rijen = snapshot_rijen(f, [d("2026-10-14"), d("2026-10-15")])
    assert [(r["cce_status"], r["cce_uiterlijk"]) for r in rijen] == [
        ("overtreding", d("2026-02-28")),
        ("ok", d("2029-10-14")),
    ]


# --- the report's counts ------------------------------------------------------------------


def test_month_table_counts_aanvragen_by_receipt_and_decisions_by_their_date():
    zaken = [
        ZaakFeit("Z1", AGB, d("2026-01-10"), thuis=False),
        ZaakFeit("Z2", AGB, d("2026-01-20"), thuis=True),
        ZaakFeit("Z3", AGB, d("2025-12-30"), thuis=True),
    ]
    besluiten = [
        BesluitFeit("Z1", 1, "bijstellen", d("2026-02-01")),
        BesluitFeit("Z1", 2, "toekennen", d("2026-03-01")),
        BesluitFeit("Z2", 1, "afwijzen", d("2026-02-10")),
        BesluitFeit("Z3", 1, "toekennen", d("2026-01-15")),
        BesluitFeit("Z3", 0, "toekennen", d("2025-12-31")),
    ]
    maanden = maandtabel(2026, zaken, besluiten)
    assert len(maanden) == 12
    assert maanden[0] | {} == {
        "maand": "2026-01",
        "aanvragen": 2,
        "toekenningen": 1,
        "bijstellingen": 0,
        "afwijzingen": 0,
        "thuis_aanvragen": 1,
        "thuis_toekenningen": 1,
        "thuis_bijstellingen": 0,
        "thuis_afwijzingen": 0,
    }
    assert totalen(maanden) == {
        "aanvragen": 2,
        "toekenningen": 2,
        "bijstellingen": 1,
        "afwijzingen": 1,
        "thuis": {"aanvragen": 1, "toekenningen": 1, "bijstellingen": 0, "afwijzingen": 1},
    }


def test_doorlooptijd_is_measured_to_the_first_decision_against_eight_weeks():
    zaken = [
        ZaakFeit("Z1", AGB, d("2026-01-01"), False),
        ZaakFeit("Z2", AGB, d("2026-01-01"), False),
    ]
    besluiten = [
        BesluitFeit("Z1", 1, "bijstellen", d("2026-02-26")),  # day 56: on time
        BesluitFeit("Z1", 2, "toekennen", d("2026-06-01")),  # not the first decision
        BesluitFeit("Z2", 1, "afwijzen", d("2026-02-27")),  # day 57: late
    ]
    per_maand, jaar = doorlooptijden(2026, zaken, besluiten)
    assert jaar | {} == {
        "jaar": 2026,
        "besluiten": 2,
        "mediaan_dagen": 56.5,
        "gemiddeld_dagen": 56.5,
        "max_dagen": 57,
        "binnen_termijn": 1,
        "buiten_termijn": 1,
        "pct_binnen_termijn": 50.0,
    }
    assert [m["besluiten"] for m in per_maand] == [0, 2] + [0] * 10


def test_expiries_are_counted_per_month_for_24_months_from_the_peildatum():
    lopend = feit(start="2025-01-01", eind="2027-03-31", besluitdatum="2024-12-01")
    thuis = feit(
        start="2025-01-01", eind="2027-03-15", besluitdatum="2024-12-01", leveringsvorm="pgb"
    )
    voorbij = feit(start="2024-01-01", eind="2026-10-31", besluitdatum="2023-12-01")
    rijen = expiraties([lopend, thuis, voorbij], PEIL)
    assert len(rijen) == 24 and rijen[0]["maand"] == "2026-11" and rijen[-1]["maand"] == "2028-10"
    assert [r for r in rijen if r["aflopend"]] == [{"maand": "2027-03", "aflopend": 2, "thuis": 1}]


def test_spiegelinformatie_compares_a_provider_with_the_median_of_comparable_beschikkingen():
    def met(agb, bedrag, profiel="VG7"):
        f = feit(zorgprofiel=profiel)
        return BeschikkingFeit(**{**_velden(f), "agb": agb, "bedrag_per_jaar": bedrag})

    rijen = spiegelinformatie(
        2026,
        [
            met("11111111", 40_000),
            met("11111111", 60_000),
            met("22222222", 80_000),
            met("33333333", 10_000, "VG8"),
        ],
    )
    per = {(r["agb"], r["zorgprofiel"]): r for r in rijen}
    assert per[("11111111", "VG7")]["vergelijkbaar_mediaan"] == 60_000
    assert per[("11111111", "VG7")]["index"] == pytest.approx(83.3)
    assert per[("22222222", "VG7")]["index"] == pytest.approx(133.3)
    assert per[("33333333", "VG8")]["vergelijkbaar_clienten"] == 1


def _velden(f: BeschikkingFeit) -> dict:
    return {k: getattr(f, k) for k in f.__dataclass_fields__}


# --- charts ------------------------------------------------------------------------------


def test_a_bar_chart_is_valid_svg_with_a_bar_and_tooltip_per_value():
    svg = staafdiagram(
        "Test <&>",
        ["jan", "feb", "mrt"],
        {"ok": [3, 0, 5], "risico": [1, 2, 0]},
        gestapeld=True,
        referentie=("norm", 4),
    )
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    balken = [r for r in root.iterfind("s:rect", ns) if r.find("s:title", ns) is not None]
    assert [b.find("s:title", ns).text for b in balken] == [
        "jan · ok: 3",
        "jan · risico: 1",
        "feb · risico: 2",
        "mrt · ok: 5",
    ]
    # Stacked: jan's two bars together are as tall as mrt's single bar of 5 is to 4/5.
    hoogte = {b.find("s:title", ns).text: float(b.get("height")) for b in balken}
    assert hoogte["jan · ok: 3"] + hoogte["jan · risico: 1"] == pytest.approx(
        hoogte["mrt · ok: 5"] * 4 / 5, rel=1e-3
    )
    assert "Test &lt;&amp;&gt;" in svg


def test_every_chart_is_written_as_svg_and_png_of_the_same_name_and_listed(tmp_path):
    zaken = [ZaakFeit("Z1", AGB, d("2026-01-10"), thuis=False)]
    besluiten = [BesluitFeit("Z1", 1, "toekennen", d("2026-02-20"))]
    lopend = feit(start="2025-01-01", eind="2027-03-31", besluitdatum="2024-12-01")
    r = maak_rapport(2026, PEIL, zaken, besluiten, [lopend])
    assert set(r.grafieken) == {
        "aanvragen_en_besluiten.svg",
        "thuis.svg",
        "doorlooptijd.svg",
        "expiraties.svg",
        "cce.svg",
        "spiegelinformatie.svg",
    }
    assert set(r.png) == {png_naam(n) for n in r.grafieken}
    paden = [Path(p) for p in schrijf_rapport(r, tmp_path)]
    namen = [p.name for p in paden]
    svgs = [n for n in namen if n.endswith(".svg")]
    pngs = [n for n in namen if n.endswith(".png")]
    assert pngs == [png_naam(n) for n in svgs] and namen[-1] == "rapport.md"
    assert namen.index(pngs[0]) > namen.index(svgs[-1])  # added after the SVGs
    for pad in paden:
        assert pad.is_file()
    for n in pngs:
        assert (tmp_path / n).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    for n in svgs:
        ET.fromstring((tmp_path / n).read_text(encoding="utf-8"))
    assert "![aanvragen en besluiten per maand](aanvragen_en_besluiten.svg)" in (
        tmp_path / "rapport.md"
    ).read_text(encoding="utf-8")
    # The same figures as before matplotlib: titles, Dutch labels and the reference line.
    svg = r.grafieken["doorlooptijd.svg"]
    assert "Doorlooptijd tot het eerste besluit 2026 (mediaan, dagen)" in svg
    assert "beslistermijn 8 weken" in svg and "feb · mediaan dagen: 41" in svg


def test_the_report_rules_load_no_plotting_and_drawing_loads_no_gui_backend():
    script = (
        "import sys\n"
        "import models.rapportage\n"
        "verboden = ('matplotlib', 'prefect', 'httpx', 'apprise', 'sqlalchemy', 'sqlmodel')\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in verboden], sys.modules\n"
        "from tasks.rapport_grafieken import teken\n"
        "g = teken('t', ['a'], {'x': [1]})\n"
        "assert g.png and g.svg\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith('matplotlib.backends.backend_')\n"
        "            and m.split('_')[-1] not in ('agg', 'svg', 'mixed')], sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2])


# --- what-if -------------------------------------------------------------------------------


def test_whatif_lists_the_zaken_whose_outcome_or_deadline_would_change():
    huidig = beleid_op(PEIL)
    concept = huidig.model_copy(
        update={
            "versie": "concept",
            "drempel": 0.35,
            "termijnen": huidig.termijnen.model_copy(
                update={"herbeoordeling_voor_einde_maanden": 9}
            ),
        }
    )
    krap = Aanvraag.model_validate(aanvraag_dict(overschrijding=0.30, gevraagde_start="2027-01-01"))
    ruim = Aanvraag.model_validate(aanvraag_dict(overschrijding=0.60, gevraagde_start="2027-01-01"))
    lopend = feit()
    zaken = [
        CaseloadZaak("MZ-1", "beoordeling", d("2026-11-01"), krap),
        CaseloadZaak("MZ-2", "beoordeling", d("2026-11-01"), ruim),
        CaseloadZaak("MZ-3", "lopend", d("2026-05-01"), ruim, (lopend.beschikking,)),
    ]
    rijen, samenvatting = whatif_verschillen(zaken, PEIL, huidig, concept)
    assert {(r["zaak"], r["veld"]): (r["huidig"], r["concept"]) for r in rijen} == {
        ("MZ-1", "ontvankelijk"): (True, False),
        ("MZ-1", "bevindingen"): ("-", "DREMPEL_NIET_GEHAALD"),
        ("MZ-3", "herbeoordeling_start"): ("2027-12-30", "2027-09-30"),
    }
    assert samenvatting["zaken"] == 3 and samenvatting["gewijzigd"] == 2
    assert samenvatting["niet_meer_ontvankelijk"] == 1
    assert whatif_verschillen(zaken, PEIL, huidig, huidig)[0] == []


def test_dates_in_the_snapshot_are_dates():
    r = snapshot_rijen(feit(), [d("2026-08-01")])[0]
    assert isinstance(r["cce_uiterlijk"], dt.date) and isinstance(r["einde"], dt.date)
