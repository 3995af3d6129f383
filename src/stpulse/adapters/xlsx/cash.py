"""ДДС entries as an xlsx in the import's columns (xlsxwriter): the export, and with no rows the template."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter

from stpulse.application.cash.sheet import HEADERS


class XlsxEntrySheetWriter:
    """Satisfies application.cash.book.EntrySheetWriter; the file is read back by CalamineCostSheetReader."""

    def write_entries(self, rows: Sequence[tuple[dt.date, str, str, int, str, str]]) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet("ДДС")
        head = wb.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
        money, date = wb.add_format({"num_format": "#,##0.00"}), wb.add_format({"num_format": "dd.mm.yyyy"})
        ws.write_row(0, 0, HEADERS, head)
        for i, (day, account, category, amount, comment, entry_id) in enumerate(rows, start=1):
            ws.write_datetime(i, 0, dt.datetime(day.year, day.month, day.day), date)
            ws.write_string(i, 1, account)
            ws.write_string(i, 2, category)
            ws.write_number(i, 3, float(Decimal(amount) / 100), money)
            ws.write_string(i, 4, comment)
            ws.write_string(i, 5, entry_id)
        ws.freeze_panes(1, 0)
        ws.set_column(0, 0, 12)
        ws.set_column(1, 2, 32)
        ws.set_column(3, 3, 16)
        ws.set_column(4, 4, 40)
        ws.set_column(5, 5, 38)
        wb.close()
        return buf.getvalue()
