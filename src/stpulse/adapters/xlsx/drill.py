"""The drill-down's accrual lines as xlsx, written row by row (xlsxwriter's constant_memory: memory stays bounded
however many lines go out). Amounts are roubles with two decimals, exact to the kopeck (see reports.cell_value)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from stpulse.adapters.xlsx.reports import cell_value
from stpulse.application.reports.ports import DrillRow
from stpulse.domain.reports.table import Kind

HEADER = ("Дата", "Магазин", "Начисление", "Отправление", "SKU", "Товар", "Часть", "Тип начисления Ozon",
          "Кол-во", "Сумма, ₽")
WIDTHS = (11, 20, 14, 22, 12, 48, 15, 48, 9, 14)


class XlsxLineSheet:
    def __init__(self, title: str) -> None:
        self.buf = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buf, {"constant_memory": True})
        self.sheet = self.book.add_worksheet("Начисления")
        self.date = self.book.add_format({"num_format": "dd.mm.yyyy"})
        self.money = self.book.add_format({"num_format": "#,##0.00"})
        self.count = self.book.add_format({"num_format": "#,##0"})
        bold = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2"})
        self.sheet.freeze_panes(2, 0)
        for j, width in enumerate(WIDTHS):
            self.sheet.set_column(j, j, width)
        self.sheet.write(0, 0, title, self.book.add_format({"bold": True}))
        self.sheet.write_row(1, 0, HEADER, bold)
        self.next = 2

    def add(self, rows: Sequence[DrillRow]) -> None:
        write = self.sheet.write
        for r in rows:
            i = self.next
            self.sheet.write_datetime(i, 0, r.date, self.date)
            write(i, 1, r.shop)
            self.sheet.write_number(i, 2, r.accrual_id)
            write(i, 3, r.posting)
            write(i, 4, r.sku if r.sku else "")
            write(i, 5, r.product)
            write(i, 6, r.part)
            write(i, 7, r.type)
            self.sheet.write_number(i, 8, r.quantity, self.count)
            self.sheet.write_number(i, 9, cell_value(Kind.MONEY, r.amount) or 0, self.money)
            self.next += 1

    def finish(self) -> bytes:
        self.book.close()
        return self.buf.getvalue()


class XlsxLineSheetWriter:
    """Satisfies application.reports.ports.LineSheetWriter."""

    def start(self, title: str) -> XlsxLineSheet:
        return XlsxLineSheet(title)
