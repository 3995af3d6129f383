"""The render-ready report table shared by the page template, the xlsx writer and the JSON API.

Values are integers: kopecks for money, basis points for percents (12.34 % = 1234), units for counts;
None where a figure is undefined (a percent of zero). A cell's kind is its column's kind, or the row's kind
when the column has none (P&L month columns take the row's kind).
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Kind(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"


class Column(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    kind: Kind | None = None


class Row(msgspec.Struct, frozen=True, kw_only=True, gc=False):  # a row per SKU, kept in caches; no cycles
    code: str
    label: str
    kind: Kind
    values: tuple[int | None, ...]
    total: int | None = None
    level: int = 0  # 0 = main line, 1 = detail under a subtotal
    note: str = ""  # e.g. the tax rule, a warning
    emphasis: bool = False  # subtotals and results


class Table(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # "pnl" | "unit_economics"
    title: str
    period: str  # "2026-01 — 2026-03"
    first_header: str  # header of the label column
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total_label: str | None = "Итого"  # header of the `total` column; None when rows carry no total
    warnings: tuple[str, ...] = ()

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)

    def cell_kind(self, row: Row, column: Column) -> Kind:
        return column.kind or row.kind
