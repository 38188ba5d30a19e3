"""The figures on meerzorg at home (N 2025: "gegevens over het aantal aanvragen, toekenningen
en afwijzingen voor meerzorg in de thuissituatie"): each aanvraag once by its final outcome,
split mpt/pgb and nieuw/verlenging/verhoging ("verlenging of verhoging", N 2025)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from models.thuiscijfers import ThuisBesluit, ThuisZaak, eindoordelen, gevraagd, tel
from tests.unit.test_properties import SETTINGS

VAN, TOT = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def zaak(key, vorm="pgb", soort="nieuw", dag=dt.date(2026, 2, 1), lopend=False) -> ThuisZaak:
    return ThuisZaak(key, vorm, soort, dag, lopend)


def besluit(zaak, uitkomst, ronde=1, dag=dt.date(2026, 3, 1), id=1, coulant=False) -> ThuisBesluit:
    return ThuisBesluit(zaak, ronde, dag, id, uitkomst, coulant)


def test_n2025_an_afwijzing_then_a_toekenning_after_bezwaar_counts_once_as_a_toekenning():
    cijfers = tel(
        [zaak("Z1")],
        [
            besluit("Z1", "afwijzen"),
            besluit("Z1", "toekennen", ronde=2, dag=dt.date(2026, 6, 1), id=2),
        ],
        VAN,
        TOT,
    )
    assert (cijfers["aanvragen"], cijfers["toekenningen"], cijfers["afwijzingen"]) == (1, 1, 0)


def test_n2025_a_beslissing_op_bezwaar_is_no_outcome_of_the_aanvraag():
    """An ongegrond bezwaar leaves the afwijzing the final outcome: counted once, as that."""
    laatste = eindoordelen([besluit("Z1", "afwijzen"), besluit("Z1", "ongegrond", ronde=2, id=2)])
    assert laatste["Z1"].uitkomst == "afwijzen"


def test_n2025_the_final_outcome_counts_in_the_period_of_its_own_date():
    besluiten = [
        besluit("Z1", "bijstellen"),
        besluit("Z1", "afwijzen", ronde=2, dag=dt.date(2027, 1, 10), id=2),
    ]
    assert tel([zaak("Z1")], besluiten, VAN, TOT)["bijstellingen"] == 0
    volgend = tel([zaak("Z1")], besluiten, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert (volgend["afwijzingen"], volgend["aanvragen"]) == (1, 0)


def test_n2025_verlenging_verhoging_and_nieuw_are_told_apart():
    """A verlenging says so; another aanvraag while the client holds running meerzorg asks for
    more (verhoging, aanname); otherwise it is new meerzorg, preventief included."""
    assert gevraagd(zaak("A", soort="verlenging", lopend=True)) == "verlenging"
    assert gevraagd(zaak("B", soort="nieuw", lopend=True)) == "verhoging"
    assert gevraagd(zaak("C", soort="preventief")) == "nieuw"


def test_n2025_the_split_per_leveringsvorm_and_soort_adds_up_to_the_totals():
    zaken = [
        zaak("M1", "mpt", "nieuw"),
        zaak("M2", "mpt", "verlenging"),
        zaak("P1", "pgb", "verlenging"),
        zaak("P2", "pgb", "nieuw", lopend=True),
    ]
    besluiten = [
        besluit("M1", "toekennen", coulant=False),
        besluit("M2", "afwijzen", coulant=True, id=2),
        besluit("P1", "toekennen", coulant=True, id=3),
        besluit("P2", "buiten_behandeling", id=4),
    ]
    c = tel(zaken, besluiten, VAN, TOT)
    assert c["per_leveringsvorm"]["mpt"] == {
        "aanvragen": 2,
        "toekenningen": 1,
        "bijstellingen": 0,
        "afwijzingen": 1,
        "buiten_behandelingstellingen": 0,
    }
    assert c["per_soort"]["verlenging"]["toekenningen"] == 1
    assert c["per_soort"]["verhoging"]["buiten_behandelingstellingen"] == 1
    rij = next(
        r for r in c["uitsplitsing"] if (r["leveringsvorm"], r["soort"]) == ("pgb", "verlenging")
    )
    assert (rij["aanvragen"], rij["toekenningen"]) == (1, 1)
    for veld in ("aanvragen", "toekenningen", "afwijzingen", "buiten_behandelingstellingen"):
        assert sum(r[veld] for r in c["uitsplitsing"]) == c[veld]
        assert sum(v[veld] for v in c["per_leveringsvorm"].values()) == c[veld]
        assert sum(v[veld] for v in c["per_soort"].values()) == c[veld]
    assert (c["coulant_beoordeeld"], c["coulante_toekenningen"]) == (2, 1)


UITKOMSTEN = ("toekennen", "bijstellen", "afwijzen", "buiten_behandeling", "ongegrond")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(("mpt", "pgb")),
            st.sampled_from(("nieuw", "verlenging", "preventief")),
            st.booleans(),
            st.lists(st.tuples(st.sampled_from(UITKOMSTEN), st.integers(0, 400)), max_size=4),
        ),
        max_size=12,
    )
)
@SETTINGS
def test_n2025_every_aanvraag_is_counted_at_most_once_under_one_outcome(gevallen):
    zaken, besluiten = [], []
    for n, (vorm, soort, lopend, beslissingen) in enumerate(gevallen):
        zaken.append(zaak(f"Z{n}", vorm, soort, VAN, lopend))
        for ronde, (uitkomst, dag) in enumerate(beslissingen, start=1):
            besluiten.append(
                besluit(f"Z{n}", uitkomst, ronde, VAN + dt.timedelta(days=dag), len(besluiten))
            )
    c = tel(zaken, besluiten, VAN, TOT)
    uitkomsten = ("toekenningen", "bijstellingen", "afwijzingen", "buiten_behandelingstellingen")
    met_uitkomst = {b.zaak for b in besluiten if b.uitkomst != "ongegrond"}
    assert sum(c[u] for u in uitkomsten) <= len(met_uitkomst)
    assert c["aanvragen"] == len(zaken)
    for veld in ("aanvragen", *uitkomsten):
        assert sum(r[veld] for r in c["uitsplitsing"]) == c[veld]
