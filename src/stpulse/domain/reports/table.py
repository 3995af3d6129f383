"""The render-ready report table shared by the page template, the xlsx writer, the CLI and the JSON API.

Values are integers: kopecks for money, basis points for percents (12.34 % = 1234), units for counts, whole
days; None where a figure is undefined (a percent of zero). A cell's kind is its column's kind, or the row's
kind when the column has none (P&L month columns take the row's kind). A row carries its own highlights (a loss
in red, a warning in amber), its note and whether it opens a drill-down: the domain decides them, every
renderer only shows them.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from stpulse.domain.kernel.formatting import format_amount, format_count, format_percent


class Kind(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    DAYS = "days"
    RATE = "rate"  # hundredths: 12.5 units a day = 1250


UNIT_SIGNS = {Kind.MONEY: "₽", Kind.PERCENT: "%", Kind.COUNT: "шт", Kind.DAYS: "дн", Kind.RATE: "шт/дн"}
UNIT_NAMES = {Kind.MONEY: "kopecks", Kind.PERCENT: "basis points (1234 = 12.34 %)", Kind.COUNT: "units",
              Kind.DAYS: "days", Kind.RATE: "hundredths of a unit a day (1250 = 12.5)"}


class Highlight(StrEnum):
    LOSS = "loss"  # red: a negative result
    WARNING = "warning"  # amber: something to look at (no cost price, stock running out)
    GOOD = "good"  # green: ahead of plan


class Column(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    kind: Kind | None = None

    @property
    def unit(self) -> str:
        return UNIT_SIGNS[self.kind] if self.kind else ""


class Row(msgspec.Struct, frozen=True, kw_only=True, gc=False):  # a row per SKU, kept in caches; no cycles
    code: str
    label: str
    kind: Kind
    values: tuple[int | None, ...]
    total: int | None = None
    level: int = 0  # 0 = main line, 1 = detail under a subtotal
    note: str = ""  # e.g. the tax rule, a warning; shown under the label
    emphasis: bool = False  # subtotals and results
    highlight: Highlight | None = None  # the whole row (e.g. a SKU without a cost price)
    marks: tuple[Highlight | None, ...] = ()  # per value, empty when no value is highlighted
    total_mark: Highlight | None = None
    drill: bool = False  # the row opens the accrual lines behind it

    def mark(self, index: int) -> Highlight | None:
        return self.marks[index] if self.marks else None


class Table(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # the report's registry code: "pnl", "unit", …
    title: str
    period: str  # "2026-01 — 2026-03"
    first_header: str  # header of the label column
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total_label: str | None = "Итого"  # header of the `total` column; None when rows carry no total
    warnings: tuple[str, ...] = ()
    data_as_of: str = ""  # «Данные Ozon на 30.11.2026 21:00 МСК» (set per request, never cached with the table)

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)

    def cell_kind(self, row: Row, column: Column) -> Kind:
        return column.kind or row.kind


def format_value(value: int | None, kind: Kind | str) -> str:
    """A cell as text: kopecks as roubles, basis points as percents, counts and days grouped; «—» if undefined."""
    if value is None:
        return "—"
    kind = Kind(kind)
    if kind is Kind.MONEY:
        return format_amount(value)
    if kind is Kind.PERCENT:
        return format_percent(value)
    if kind is Kind.RATE:
        return f"{value / 100:.2f}".replace(".", ",")
    return format_count(value)


PAGE_ROWS = 50  # a page of a long table (Юнитка by SKU): ≤ 200 KB of HTML; the xlsx has every row


class TablePage(msgspec.Struct, frozen=True, kw_only=True):
    rows: tuple[Row, ...]  # this page's rows, then the emphasised summary rows (Итого) on every page
    page: int
    pages: int
    first: int  # 1-based number of the first row on the page (0 when there is none)
    last: int
    count: int  # all plain rows of the table


def split_rows(table: Table) -> tuple[tuple[Row, ...], tuple[Row, ...]]:
    """(plain rows, emphasised summary rows) in the table's order: what `table_page` pages and repeats."""
    return tuple(r for r in table.rows if not r.emphasis), tuple(r for r in table.rows if r.emphasis)


def table_page(table: Table, page: int = 1, size: int = PAGE_ROWS,
               split: tuple[tuple[Row, ...], tuple[Row, ...]] | None = None) -> TablePage:
    """One page of a long table; a table that fits one page (P&L and its subtotals) is shown whole. `split`: the
    table's `split_rows`, when the caller keeps it (5,000 rows are ~0.3 ms of CPU to split on every page request)."""
    if len(table.rows) <= size:
        return TablePage(rows=table.rows, page=1, pages=1, first=1 if table.rows else 0, last=len(table.rows),
                         count=len(table.rows))
    body, summary = split if split is not None else split_rows(table)
    pages = max(1, -(-len(body) // size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    chunk = body[start:start + size]
    return TablePage(rows=chunk + summary, page=page, pages=pages, first=start + 1 if chunk else 0,
                     last=start + len(chunk), count=len(body))
