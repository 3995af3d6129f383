"""Cost-price sheets: a safe xlsx reader (python-calamine) and the export/template writer (xlsxwriter).

An uploaded file is refused before parsing when it is not an xlsx (zip) file, is over the size limit,
unpacks to far more than it weighs (a zip bomb: the members' declared sizes are checked first), or spans more rows,
columns or cells than a sheet may (`sheet_guard`). The parse itself runs in a memory-limited subprocess
(`sheet_process`), so a file that slips past the checks still cannot kill the web process.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from decimal import Decimal

import xlsxwriter
from python_calamine import CalamineWorkbook

from stpulse.adapters.xlsx.sheet_guard import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, SheetLimits
from stpulse.adapters.xlsx.sheet_process import read_isolated
from stpulse.application.costs.cogs_import import COMPONENTS, DATE, HEADERS, NAME, OFFER, SpreadsheetRejected
from stpulse.application.reports.ports import Cell
from stpulse.domain.costs.cogs import CostBook, CostPrice

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed per member; real sheets compress 5–20×
MAX_MEMBERS = 200


class CalamineCostSheetReader:
    """Satisfies application.report_ports.CostSheetReader."""

    def __init__(self, *, max_file_bytes: int = MAX_FILE_BYTES, max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
                 max_ratio: int = MAX_RATIO, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS,
                 max_cells: int = MAX_CELLS, isolated: bool = True) -> None:
        self.max_file_bytes, self.max_unpacked_bytes, self.max_ratio = max_file_bytes, max_unpacked_bytes, max_ratio
        self.limits = SheetLimits(max_rows, max_columns, max_cells)
        self.isolated = isolated  # False only where a crash could not take anything else down (tools, benches)

    def read_rows(self, data: bytes) -> list[list[Cell]]:
        if len(data) > self.max_file_bytes:
            raise SpreadsheetRejected(f"Файл больше {self.max_file_bytes // (1024 * 1024)} МБ")
        self._check_zip(data)
        if self.isolated:
            return read_isolated(data)
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            return [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises its own error types for a broken workbook
            raise SpreadsheetRejected("Не удалось прочитать файл Excel: он повреждён или не в формате .xlsx") from exc

    def _check_zip(self, data: bytes) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise SpreadsheetRejected("Это не файл Excel (.xlsx). Сохраните таблицу в формате .xlsx") from exc
        with archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if len(members) > MAX_MEMBERS or "xl/workbook.xml" not in names:
                raise SpreadsheetRejected("Это не файл Excel (.xlsx). Сохраните таблицу в формате .xlsx")
            unpacked = sum(m.file_size for m in members)
            bomb = any(m.file_size > self.max_ratio * max(m.compress_size, 1) and m.file_size > 1024 * 1024
                       for m in members)
            if unpacked > self.max_unpacked_bytes or bomb or not self._real_size_ok(archive, members):
                raise SpreadsheetRejected("Файл распаковывается в слишком большой объём — загрузка отклонена")
            self.limits.check_archive(archive)

    def _real_size_ok(self, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bool:
        """Declared sizes can lie: inflate in chunks and stop at the limit, before calamine sees the file."""
        budget = self.max_unpacked_bytes
        try:
            for m in members:
                with archive.open(m) as stream:
                    while chunk := stream.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            return False
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise SpreadsheetRejected("Файл Excel повреждён") from exc
        return True


class XlsxCostSheetWriter:
    """The cost history (or an empty template) in the import format. Satisfies CostSheetWriter."""

    def write_costs(self, book: CostBook, names: Mapping[str, str] | None = None) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet("Себестоимость")
        head = wb.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True})
        money, date = wb.add_format({"num_format": "#,##0.00"}), wb.add_format({"num_format": "dd.mm.yyyy"})
        ws.write_row(0, 0, HEADERS, head)
        names = names or {}
        costed = {e.offer_id for e in book.entries}
        rows: list[tuple[str, CostPrice | None]] = [(o, None) for o in sorted(set(names) - costed)]  # to fill first
        rows += [(e.offer_id, e) for e in sorted(book.entries, key=lambda e: (e.offer_id, e.effective_from))]
        for i, (offer, e) in enumerate(rows, start=1):
            ws.write_string(i, HEADERS.index(OFFER), offer)
            ws.write_string(i, HEADERS.index(NAME), names.get(offer, ""))
            if e is None:
                continue
            ws.write_datetime(i, HEADERS.index(DATE), _midnight(e.effective_from), date)
            for field, header in COMPONENTS.items():
                ws.write_number(i, HEADERS.index(header), _rub(getattr(e, field)), money)
            ws.write_number(i, len(HEADERS) - 1, _rub(e.total), money)
        ws.freeze_panes(1, 1)
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 48)
        ws.set_column(2, len(HEADERS) - 1, 16)
        wb.close()
        return buf.getvalue()


def _rub(kopecks: int) -> float:
    return float(Decimal(kopecks) / 100)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)
