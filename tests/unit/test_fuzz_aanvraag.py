"""Fuzzing the aanvraag schema (hypothesis): arbitrary JSON-ish input and near-valid
aanvragen with one or more fields broken. Whatever comes in, `parse_aanvraag` either
returns an Aanvraag or raises InvoerFout with one readable line, and for every aanvraag it
accepts the toets runs without an exception, returns finite numbers and never sets a term
beyond the policy: no start before the peildatum, never past the maximum for its kind
(3 years, VG7-plus 1 year, preventief 6 months), never past a client's indicatie."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.aanvraag import Aanvraag, InvoerFout, parse_aanvraag
from models.beleid import beleid_op
from models.dates import termijn_einde
from models.toets import max_maanden, toets
from tests.unit.test_properties import partijen

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "aanvraag-groep-vg.json").read_text()
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
peildata = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2031, 12, 31))

# Scalars as JSON (and Python callers) produce them, with the awkward ones included.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "9999-12-31",
            "0001-01-01",
            "2027-02-30",
            "1e309",
            "NaN",
            "VG7",
            "pgb",
            "999990019",
            "12345678",
            "<script>",
            "\u0000",
            "toekennen",
            "groep",
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
FIELDS = list(Aanvraag.model_fields) + ["clienten", "bsn", "zorgprofiel", "uren_per_week"]
# The parties of a client (models/partijen.py) and their fields.
FIELDS += ["correspondentie", "vertegenwoordiger", "budgethouder", "kanaal", "naam", "adres"]


def paths(data, prefix=()):
    """Every path into a nested dict/list (the places a mutation can hit)."""
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, (*prefix, i))


@st.composite
def near_valid(draw) -> dict:
    """The shipped example with one to three fields replaced, removed or added."""
    data = copy.deepcopy(EXAMPLE)
    if draw(st.booleans()):
        data["vorm"] = "individueel"
        data["clienten"] = data["clienten"][:1]
    for _ in range(draw(st.integers(1, 3))):
        all_paths = [p for p in paths(data) if p]
        path = draw(st.sampled_from(all_paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete" and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(FIELDS))] = draw(json_values)
    return data


@st.composite
def valid_with_extremes(draw) -> dict:
    """Valid aanvragen with values at and beyond the edges the rules must cope with."""
    data = copy.deepcopy(EXAMPLE)
    # The schema's date range (2000-2099) up to its last day: the term arithmetic runs past it.
    start = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
    eind = min(start + dt.timedelta(days=draw(st.integers(0, 20000))), dt.date(2099, 12, 31))
    data["gevraagde_start"], data["gevraagde_eind"] = start.isoformat(), eind.isoformat()
    data["soort"] = draw(st.sampled_from(["nieuw", "verlenging", "preventief"]))
    for c in data["clienten"]:
        indicatie = start + dt.timedelta(days=draw(st.integers(-5000, 20000)))
        indicatie = min(max(indicatie, dt.date(2000, 1, 1)), dt.date(2099, 12, 31))
        c["indicatie_einddatum"] = indicatie.isoformat()
        if c["zorgprofiel"] == "VG7":
            c["vg7_plus"] = draw(st.booleans())
        # Any leveringsvorm (a profile it does not fit is a finding, not a refusal), and
        # sometimes the parties: replaced, so the example's own may go.
        c["leveringsvorm"] = draw(st.sampled_from(["verblijf", "vpt", "mpt", "pgb"]))
        for veld in ("correspondentie", "vertegenwoordiger", "budgethouder"):
            c.pop(veld, None)
        c.update(draw(partijen(c["leveringsvorm"])))
    big = st.floats(0, 168, allow_nan=False)
    data["uren_per_week"] = {k: draw(big) for k in data["uren_per_week"]}
    data["behandelaar_uren_per_week"] = {k: draw(big) for k in data["behandelaar_uren_per_week"]}
    data["context_middelen_per_jaar"] = draw(
        st.floats(0, 1e12, allow_nan=False) | st.just(0) | st.just(10**15)
    )
    return data


def check(data, peildatum: dt.date) -> bool:
    """True when the aanvraag was accepted and assessed within the policy."""
    try:
        aanvraag = parse_aanvraag(json.dumps(data, default=str))
    except InvoerFout as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 500, message
        return False
    result = toets(aanvraag, peildatum)
    public = result.public()
    json.dumps(public, allow_nan=False)  # finite numbers only: NaN/inf is not JSON
    assert math.isfinite(result.rekentool.bedrag_per_jaar)
    beleid = beleid_op(peildatum)
    grens_maanden = max_maanden(aanvraag, beleid)
    for termijn in [result.termijn, *result.termijnen_per_client.values()]:
        assert termijn.start >= peildatum and termijn.start >= aanvraag.gevraagde_start
        assert termijn.start <= termijn.eind <= termijn_einde(termijn.start, grens_maanden)
        assert grens_maanden <= 36
        if aanvraag.soort == "preventief":
            assert grens_maanden <= 6
        if any(c.vg7_plus for c in aanvraag.clienten):
            assert grens_maanden <= 12
    for client in aanvraag.clienten:
        t = result.termijnen_per_client[client.client_id]
        if client.indicatie_einddatum >= t.start:
            assert t.eind <= client.indicatie_einddatum
    return True


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), json_values), peildata)
def test_arbitrary_json_objects_never_crash_the_parser_or_the_toets(data, peildatum):
    check(data, peildatum)


@FUZZ
@given(json_values)
def test_any_json_value_is_refused_with_one_line_unless_it_is_an_aanvraag(value):
    check(value, dt.date(2026, 11, 22))


@FUZZ
@given(near_valid(), peildata)
def test_near_valid_aanvragen_are_refused_clearly_or_assessed_within_the_policy(data, peildatum):
    check(data, peildatum)


@FUZZ
@given(valid_with_extremes(), peildata)
def test_extreme_but_valid_aanvragen_get_a_term_within_the_policy(data, peildatum):
    assert check(data, peildatum), "the generator makes valid aanvragen only"


@FUZZ
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_is_refused_with_one_line_unless_it_is_an_aanvraag(text):
    try:
        parse_aanvraag(text)
    except InvoerFout as exc:
        assert "\n" not in str(exc)


def budgethouder_bereikbaar(client: dict) -> bool:
    """From the JSON itself: the budgethouder (absent or null: the client) can be written to."""
    if (client.get("budgethouder") or "client") == "client":
        return bool(client.get("correspondentie"))
    return bool((client.get("vertegenwoordiger") or {}).get("correspondentie"))


@FUZZ
@given(valid_with_extremes(), peildata, st.booleans())
def test_wlz_pgb_an_aanvraag_without_provider_is_accepted_exactly_when_budgethouders_apply(
    data, peildatum, alles_pgb
):
    """Issue 25 (Wlz pgb, `aanname`): without `zorgaanbieder` an aanvraag is accepted exactly
    when every client has a pgb and a budgethouder with a correspondentie, and is then
    assessed within the policy; otherwise refused in one line naming the rule."""
    del data["zorgaanbieder"]
    if alles_pgb:  # most drawn groups mix leveringsvormen: make the accepted case common
        for c in data["clienten"]:
            c["leveringsvorm"] = "pgb"
    mag = all(c["leveringsvorm"] == "pgb" and budgethouder_bereikbaar(c) for c in data["clienten"])
    try:
        aanvraag = parse_aanvraag(json.dumps(data, default=str))
    except InvoerFout as exc:
        assert not mag, str(exc)
        assert "zorgaanbieder ontbreekt" in str(exc) and "\n" not in str(exc)
        return
    assert mag and aanvraag.agb is None
    assert check(data, peildatum)
