"""The JSON API encodes a cached table once: every request gets a shallow copy with its own `data_as_of`, and the
copies of one cached table share its rows, so the encoded bytes are reused — and never for another table."""

from __future__ import annotations

import msgspec

from stpulse.domain.reports.table import Column, Kind, Row, Table
from stpulse.entrypoints.web.reports import api_v1


def _table(amount: int) -> Table:
    row = Row(code="revenue", label="Выручка", kind=Kind.MONEY, values=(amount,), total=amount)
    return Table(code="pnl", title="ОПиУ", period="2026-01", first_header="Статья",
                 columns=(Column(code="2026-01", label="Январь 2026"),), rows=(row,))


def test_copies_of_a_cached_table_reuse_its_json_and_other_tables_do_not():
    api_v1.clear_encoded()
    cached = _table(100)
    first = api_v1._report_json(msgspec.structs.replace(cached, data_as_of="Данные Ozon на 01.12.2026"))
    again = api_v1._report_json(msgspec.structs.replace(cached, data_as_of="Данные Ozon на 01.12.2026"))
    assert again is first  # encoded once
    assert msgspec.json.decode(first)["rows"][0]["total"] == 100

    later = api_v1._report_json(msgspec.structs.replace(cached, data_as_of="Данные Ozon на 02.12.2026"))
    assert later is not first and b"02.12.2026" in later  # another heading is encoded anew

    other = api_v1._report_json(_table(200))  # equal heading, other rows
    assert msgspec.json.decode(other)["rows"][0]["total"] == 200
    assert api_v1._report_json(None) == b"null"
