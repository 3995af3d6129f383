"""The chosen «Показатели» of a cached table are cut out once per table and choice: the same cached table (with
each request's own heading) gives the very same shown rows, equal to cutting them afresh; another choice or another
table gives its own."""

from __future__ import annotations

import msgspec

from stpulse.application.reports.cache import ShownCache
from stpulse.domain.reports.kinds import Selection
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.table import Kind, Row, Table

OPS = report_kind("ops")


def _table(base: int) -> Table:
    columns = OPS.columns
    rows = tuple(Row(code=f"sku{i}", label=f"Товар {i}", kind=Kind.COUNT, values=tuple(base + i * 10 + j for j in range(len(columns))))
                 for i in range(3))
    return Table(code="ops", title="Операционка", period="2026-01", first_header="Товар", columns=columns, rows=rows)


def test_a_cached_tables_choice_is_cut_once_and_equals_a_fresh_cut():
    cache, cached = ShownCache(), _table(0)
    few = Selection(metrics=(OPS.columns[2].code, OPS.columns[0].code))
    first = cache.shown(OPS, msgspec.structs.replace(cached, data_as_of="на 01.12"), few)
    again = cache.shown(OPS, msgspec.structs.replace(cached, data_as_of="на 02.12"), few)
    assert again.rows is first.rows and again.data_as_of == "на 02.12"  # cut once, the request's own heading
    assert again == OPS.shown(msgspec.structs.replace(cached, data_as_of="на 02.12"), few)
    assert [c.code for c in again.columns] == [OPS.columns[2].code, OPS.columns[0].code]

    default = cache.shown(OPS, cached, Selection())
    assert default == OPS.shown(cached, Selection()) and default.columns != first.columns
    other = _table(1000)  # another table: its own values
    assert cache.shown(OPS, other, few) == OPS.shown(other, few) != first


def test_a_report_without_metrics_is_handed_back_as_it_is():
    pnl = report_kind("pnl")
    table = Table(code="pnl", title="ОПиУ", period="2026-01", first_header="Статья", columns=(), rows=())
    assert ShownCache().shown(pnl, table, Selection(metrics=("x",))) is table
