"""Report tables as xlsx: the same integers as the page, shown in roubles with 2 decimals and percents.

Kopecks become roubles by exact decimal division; the shortest float repr of such a value reads back as the
same two-decimal number, so the file round-trips to the kopeck.
"""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter

from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table

_FORMATS = {Kind.MONEY: "#,##0.00", Kind.PERCENT: "0.00%", Kind.COUNT: "#,##0", Kind.DAYS: "#,##0", Kind.RATE: "#,##0.00"}
_SCALE = {Kind.MONEY: Decimal(100), Kind.PERCENT: Decimal(10_000), Kind.COUNT: Decimal(1), Kind.DAYS: Decimal(1), Kind.RATE: Decimal(100)}
# int / int is correctly rounded in Python, as is float(Decimal quotient): the same float, without a Decimal per cell
_DIVISOR = {Kind.MONEY: 100, Kind.PERCENT: 10_000, Kind.COUNT: 1, Kind.DAYS: 1, Kind.RATE: 100}
_WHOLE = (Kind.COUNT, Kind.DAYS)
_LOOK: dict[Highlight | None, dict[str, object]] = {Highlight.LOSS: {"font_color": "#C00000"},
                                                    Highlight.WARNING: {"bg_color": "#FFF3CD"},
                                                    Highlight.GOOD: {"font_color": "#15803D"}}


def cell_value(kind: Kind, value: int | None) -> float | int | None:
    if value is None:
        return None
    if kind in _WHOLE:
        return value
    return float(Decimal(value) / _SCALE[kind])


class XlsxReportWriter:
    """Satisfies application.report_ports.ReportSpreadsheetWriter."""

    def write_table(self, table: Table) -> bytes:
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"constant_memory": True})  # rows go out as written
        sheet = book.add_worksheet(table.title[:31])
        fmt = _Formats(book)
        columns = list(table.columns)
        with_notes = any(r.note for r in table.rows)
        header = [table.first_header, *(c.label for c in columns)]
        header += [table.total_label] if table.total_label else []
        header += ["Примечание"] if with_notes else []
        sheet.freeze_panes(1, 1)  # sheet settings before the rows: constant_memory writes rows out in order
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, len(header) - 1, 16)
        sheet.set_row(0, 32)
        sheet.write_row(0, 0, header, fmt.header)
        for i, row in enumerate(table.rows, start=1):
            self._write_row(sheet, fmt, table, i, row, columns, with_notes)
        last = len(table.rows) + 2
        for j, warning in enumerate(table.warnings):
            sheet.write(last + j, 0, warning, fmt.warning)
        sheet.write(last + len(table.warnings), 0, f"Период: {table.period}")
        if table.data_as_of:
            sheet.write(last + len(table.warnings) + 1, 0, table.data_as_of)
        book.close()
        return buf.getvalue()

    def _write_row(self, sheet, fmt: _Formats, table: Table, i: int, row: Row, columns: list[Column],
                   with_notes: bool) -> None:
        label = ("    " * row.level) + row.label
        sheet.write_string(i, 0, label, fmt.label(row.emphasis, row.highlight))
        kinds = [table.cell_kind(row, col) for col in columns]
        if row.emphasis or row.marks:
            for j, (kind, value) in enumerate(zip(kinds, row.values, strict=True), start=1):
                self._write_cell(sheet, fmt.number(kind, row.emphasis, row.mark(j - 1)), i, j, kind, value)
        else:  # a plain row: one format per column kind, numbers written straight
            number = sheet.write_number
            for j, (kind, value) in enumerate(zip(kinds, row.values, strict=True), start=1):
                if value is None:
                    sheet.write_blank(i, j, None, fmt.number(kind, False))
                else:
                    number(i, j, value if kind in _WHOLE else value / _DIVISOR[kind], fmt.number(kind, False))
        j = len(columns) + 1
        if table.total_label:
            self._write_cell(sheet, fmt.number(row.kind, True, row.total_mark), i, j, row.kind, row.total)
            j += 1
        if with_notes and row.note:
            sheet.write_string(i, j, row.note, fmt.note)

    @staticmethod
    def _write_cell(sheet, cell_format: object, i: int, j: int, kind: Kind, value: int | None) -> None:
        v = cell_value(kind, value)
        if v is None:
            sheet.write_blank(i, j, None, cell_format)
        else:
            sheet.write_number(i, j, v, cell_format)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._cache: dict[tuple, object] = {}
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF2F7",
                                       "border": 1})
        self.note = book.add_format({"italic": True, "font_color": "#555555"})
        self.warning = book.add_format({"font_color": "#B45309", "bold": True})

    def label(self, bold: bool, highlight: Highlight | None = None) -> object:
        return self._get(("label", bold, highlight), {"bold": bold, **_LOOK.get(highlight, {})})

    def number(self, kind: Kind, bold: bool, highlight: Highlight | None = None) -> object:
        """The cell's look follows the row's own highlight (decided in the domain), nothing else."""
        props: dict[str, object] = {"num_format": _FORMATS[kind], "bold": bold, **_LOOK.get(highlight, {})}
        return self._get((kind, bold, highlight), props)

    def _get(self, key: tuple, props: dict) -> object:
        if key not in self._cache:
            self._cache[key] = self._book.add_format(props)
        return self._cache[key]
