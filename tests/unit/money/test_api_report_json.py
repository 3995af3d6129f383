"""The JSON API encodes a cached table once: every request gets a shallow copy with its own `data_as_of`, and the
copies of one cached table share its rows, so the encoded bytes are reused — and never for another table. A big
body goes gzipped, from its second request on, once per table and shops, to a client that accepts gzip; it
inflates to the very same JSON."""

from __future__ import annotations

import gzip
import uuid

import msgspec

from stpulse.application.reports.views import ReportView
from stpulse.domain.kernel.period import Period
from stpulse.domain.reports.table import Column, Kind, Row, Table
from stpulse.entrypoints.web.reports import api_v1


def _table(amount: int, rows: int = 1) -> Table:
    row = Row(code="revenue", label="Выручка", kind=Kind.MONEY, values=(amount,), total=amount)
    return Table(code="pnl", title="ОПиУ", period="2026-01", first_header="Статья",
                 columns=(Column(code="2026-01", label="Январь 2026"),), rows=(row,) * rows)


def _json(table: Table) -> bytes:
    return api_v1._encoded(table).json


def test_copies_of_a_cached_table_reuse_its_json_and_other_tables_do_not():
    api_v1.clear_encoded()
    cached = _table(100)
    first = _json(msgspec.structs.replace(cached, data_as_of="Данные Ozon на 01.12.2026"))
    again = _json(msgspec.structs.replace(cached, data_as_of="Данные Ozon на 01.12.2026"))
    assert again is first  # encoded once
    assert msgspec.json.decode(first)["rows"][0]["total"] == 100

    later = _json(msgspec.structs.replace(cached, data_as_of="Данные Ozon на 02.12.2026"))
    assert later is not first and b"02.12.2026" in later  # another heading is encoded anew

    other = _json(_table(200))  # equal heading, other rows
    assert msgspec.json.decode(other)["rows"][0]["total"] == 200


def _view(table: Table | None, *shops: uuid.UUID) -> ReportView:
    return ReportView(table=table, shops=(), selected=shops, period=Period.parse("2026-01", "2026-01"))


def test_a_big_body_goes_gzipped_once_to_a_client_that_accepts_it_and_inflates_to_the_same_json():
    api_v1.clear_encoded()
    big, shop, other = _table(100, rows=5_000), uuid.uuid4(), uuid.uuid4()
    plain = api_v1._payload(_view(big, shop))
    assert "content-encoding" not in {k.lower() for k in plain.headers}  # asked for nothing: sent as it is
    assert len(plain.content) > 64 * 1024 and msgspec.json.decode(plain.content)["shops"] == [str(shop)]

    first = api_v1._payload(_view(big, shop), "gzip, deflate, br")  # a fresh table: not made to wait for gzip
    assert first.content == plain.content and "Content-Encoding" not in first.headers
    packed = api_v1._payload(_view(big, shop), "gzip, deflate, br")
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.content) == plain.content and len(packed.content) < len(plain.content) // 10
    assert api_v1._payload(_view(big, shop), "gzip").content is packed.content  # compressed once
    api_v1._payload(_view(big, other), "gzip")
    assert gzip.decompress(api_v1._payload(_view(big, other), "gzip").content) == (
        plain.content.replace(str(shop).encode(), str(other).encode()))  # another selection: its own body

    refused = api_v1._payload(_view(big, shop), "gzip;q=0, identity")
    assert refused.content == plain.content and "Content-Encoding" not in refused.headers
    api_v1._payload(_view(_table(100), shop), "gzip")
    small = api_v1._payload(_view(_table(100), shop), "gzip")  # not worth it
    assert "Content-Encoding" not in small.headers and msgspec.json.decode(small.content)["report"]["code"] == "pnl"
    assert api_v1._payload(_view(None), "gzip").content == b'{"shops":[],"report":null,"units":' + api_v1._UNITS + b"}"
