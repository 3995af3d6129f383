"""The JSON API's kept views are bounded by their tables' cells, least recently used dropped first
(`adapters/db/reports/report_hits.DbReportHits`): a view may hold a table the report cache has already let go."""

from __future__ import annotations

import datetime as dt

from stpulse.adapters.db.reports import report_hits
from stpulse.adapters.db.reports.report_hits import DbReportHits
from stpulse.application.reports.api_hits import Hit
from stpulse.application.reports.views import ReportView
from stpulse.domain.kernel.period import Period
from stpulse.domain.reports.table import Column, Kind, Row, Table


def hit(rows: int) -> Hit:
    table = Table(code="unit", title="Юнитка", period="2026-01", first_header="Товар",
                  columns=(Column(code="revenue", label="Выручка"),),
                  rows=tuple(Row(code=str(i), label="", kind=Kind.MONEY, values=(i,)) for i in range(rows)))
    view = ReportView(table=table, shops=(), selected=(), period=Period(first_month=672, last_month=672))
    return Hit(stamp="s", until=dt.datetime(2026, 1, 2, tzinfo=dt.UTC), view=view)


def test_views_beyond_the_cell_budget_drop_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(report_hits, "_CELLS", 100)
    memo = DbReportHits(engine=None)  # type: ignore[arg-type]  # get and put never touch the database
    a, b, c = hit(10), hit(10), hit(10)  # 10 rows × (1 column + value, label) + 1 = 31 cells each
    memo.put(("a",), a)
    memo.put(("b",), b)
    memo.put(("c",), c)
    assert memo.cells == 93
    assert memo.get(("a",)) is a  # used: now the most recent
    memo.put(("d",), hit(10))  # 124 > 100: the least recently used («b») goes
    assert memo.get(("b",)) is None and memo.get(("a",)) is a and memo.get(("c",)) is c
    assert memo.cells == 93
    memo.put(("a",), hit(1))  # replaced: its cells counted once
    assert memo.cells == 66
    memo.put(("big",), hit(50))  # more than the whole budget: not kept, nothing dropped for it
    assert memo.get(("big",)) is None and memo.cells == 66
    memo.clear()
    assert memo.cells == 0 and memo.get(("c",)) is None
