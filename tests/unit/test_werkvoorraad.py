"""The werkvoorraad rules: what each waiting zaak waits for, its deadline, oldest first,
and which role sees it."""

from __future__ import annotations

import datetime as dt

import pytest

from models.werkvoorraad import (
    CceStatus,
    OpenTermijn,
    WachtendeZaak,
    markdown,
    samenvatting,
    voor_rol,
    werkvoorraad,
)

PEIL = dt.date(2026, 11, 22)


def zaak(key: str, wacht_op: str, sinds: dt.date, status: str | None = None, **kw) -> WachtendeZaak:
    return WachtendeZaak(
        key=key,
        status=status or wacht_op,
        wacht_op=wacht_op,
        ingediend_op=kw.pop("ingediend_op", sinds),
        wacht_sinds=sinds,
        agb="73730001",
        leveringsvorm="verblijf",
        flow_run_id=kw.pop("flow_run_id", f"run-{key}"),
        **kw,
    )


def test_oldest_wait_comes_first():
    rows = werkvoorraad(
        [
            zaak("MZ-2026-000003", "beoordeling", dt.date(2026, 11, 20)),
            zaak("MZ-2026-000001", "aanvulling", dt.date(2026, 10, 1), status="herstel"),
            zaak("MZ-2026-000002", "bezwaar", dt.date(2026, 11, 1), status="bezwaartermijn"),
        ],
        [],
        PEIL,
    )
    assert [r.zaak for r in rows] == ["MZ-2026-000001", "MZ-2026-000002", "MZ-2026-000003"]
    assert [r.dagen_wachtend for r in rows] == [52, 21, 2]


def test_a_beoordeling_is_bounded_by_the_beslistermijn_of_eight_weeks_after_receipt():
    (row,) = werkvoorraad(
        [zaak("MZ-2026-000001", "beoordeling", PEIL, ingediend_op=dt.date(2026, 10, 1))], [], PEIL
    )
    assert row.termijn == "beslistermijn"
    assert row.termijn_datum == dt.date(2026, 11, 26)
    assert row.dagen_resterend == 4
    assert row.signaal == "urgent"


def test_an_expired_beslistermijn_is_signalled():
    (row,) = werkvoorraad([zaak("MZ-2026-000001", "beoordeling", dt.date(2026, 9, 1))], [], PEIL)
    assert row.termijn_datum == dt.date(2026, 10, 27)
    assert row.signaal == "verlopen"
    assert row.dagen_resterend < 0


def test_a_bezwaar_wait_shows_the_bezwaartermijn_not_other_timers():
    rows = werkvoorraad(
        [zaak("MZ-2026-000001", "bezwaar", PEIL, status="bezwaartermijn")],
        [
            OpenTermijn("MZ-2026-000001", "bezwaartermijn_einde", dt.date(2027, 1, 3)),
            OpenTermijn("MZ-2026-000001", "beslistermijn_waarschuwing", dt.date(2026, 12, 1)),
        ],
        PEIL,
    )
    assert (rows[0].termijn, rows[0].termijn_datum) == ("bezwaartermijn_einde", dt.date(2027, 1, 3))
    assert rows[0].signaal == "op-tijd"


def test_a_running_beschikking_shows_its_most_pressing_deadline_including_the_ontwikkeltraject():
    cce = (CceStatus("LINDE-014", "risico", dt.date(2027, 3, 1)),)
    (row,) = werkvoorraad(
        [zaak("MZ-2026-000001", "einde-beschikking", PEIL, status="lopend", cce=cce)],
        [
            OpenTermijn("MZ-2026-000001", "herbeoordeling_start", dt.date(2028, 4, 1)),
            OpenTermijn("MZ-2026-000001", "einde_beschikking", dt.date(2028, 10, 23)),
        ],
        PEIL,
    )
    assert (row.termijn, row.termijn_datum) == ("ontwikkeltraject", dt.date(2027, 3, 1))
    assert row.ontwikkeltraject_uiterlijk == dt.date(2027, 3, 1)
    assert row.cce_status == "risico"


def test_roles_see_their_part():
    rows = werkvoorraad(
        [
            zaak("MZ-2026-000001", "beoordeling", dt.date(2026, 11, 1)),
            zaak("MZ-2026-000002", "tweede-beoordeling", dt.date(2026, 11, 2)),
            zaak(
                "MZ-2026-000003",
                "einde-beschikking",
                dt.date(2026, 1, 1),
                status="lopend",
                cce=(
                    CceStatus("A", "ok", dt.date(2028, 1, 1)),
                    CceStatus("B", "overtreding", dt.date(2026, 10, 1)),
                ),
            ),
            zaak(
                "MZ-2026-000004",
                "einde-beschikking",
                dt.date(2025, 1, 1),
                status="lopend",
                cce=(CceStatus("C", "ok", dt.date(2028, 1, 1)),),
            ),
            zaak("MZ-2026-000005", "aanvulling", dt.date(2026, 11, 3), status="herstel"),
        ],
        [],
        PEIL,
    )
    assert [r.zaak for r in voor_rol(rows, "beoordelaar")] == ["MZ-2026-000001", "MZ-2026-000002"]
    assert [r.zaak for r in voor_rol(rows, "cce")] == ["MZ-2026-000003"]
    assert voor_rol(rows, "cce")[0].cce_status == "overtreding"
    assert len(voor_rol(rows, "analist")) == 5


def test_the_cce_view_is_ordered_by_the_ontwikkeltraject_date():
    rows = werkvoorraad(
        [
            zaak(
                f"MZ-2026-00000{i}",
                "einde-beschikking",
                sinds,
                status="lopend",
                cce=(CceStatus("X", "risico", uiterlijk),),
            )
            for i, sinds, uiterlijk in (
                (1, dt.date(2025, 1, 1), dt.date(2027, 5, 1)),
                (2, dt.date(2026, 1, 1), dt.date(2027, 2, 1)),
            )
        ],
        [],
        PEIL,
        rol="cce",
    )
    assert [r.zaak for r in rows] == ["MZ-2026-000002", "MZ-2026-000001"]


def test_closed_zaken_are_not_in_the_werkvoorraad():
    closed = WachtendeZaak(
        key="MZ-2026-000009", status="afgewezen", wacht_op=None, ingediend_op=PEIL
    )
    assert werkvoorraad([closed], [], PEIL) == []


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown rol 'jurist'"):
        werkvoorraad([], [], PEIL, rol="jurist")


def test_the_markdown_links_every_zaak_to_its_run_and_carries_no_more_than_codes():
    rows = werkvoorraad(
        [
            zaak("MZ-2026-000001", "beoordeling", dt.date(2026, 11, 1)),
            zaak("MZ-2026-000002", "aanvulling", dt.date(2026, 11, 2), status="herstel"),
        ],
        [],
        PEIL,
    )
    text = markdown(rows, PEIL, run_url=lambda i: f"http://127.0.0.1:4200/runs/flow-run/{i}")
    assert "[MZ-2026-000001](http://127.0.0.1:4200/runs/flow-run/run-MZ-2026-000001)" in text
    assert text.index("MZ-2026-000001") < text.index("MZ-2026-000002")
    assert "**2** wachtend" in text
    summary = samenvatting(rows)
    assert summary["per_wacht_op"] == {"aanvulling": 1, "beoordeling": 1}


def test_an_empty_werkvoorraad_says_so():
    assert "_Niets wachtend._" in markdown([], PEIL, rol="beoordelaar")
