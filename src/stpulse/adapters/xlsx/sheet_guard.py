"""Bound a worksheet's area and cell count before any parser sees it.

A reader that returns a rectangle (python-calamine's `to_python`) allocates rows × columns cells from A1 to the
farthest cell, so a 1.5 KB file with cells at A1 and XFD1048576 asks for 17 billion cells. Each worksheet is
streamed once: the declared `<dimension>` and every row's and cell's position are checked against the limits,
and the scan stops at the first one passed. The usual sheet (every row and cell carries its `r` reference) is
scanned by regular expressions over 1 MiB chunks (0.5 s for 600 000 cells); a sheet with positional rows or cells
is scanned exactly by expat (no tree is built), 20 times slower. A DOCTYPE is refused either way.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any
from xml.parsers import expat

from stpulse.application.costs.cogs_import import SpreadsheetRejected

MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELLS = 1_000_000  # the area from A1 to the farthest cell: what a rectangular reader allocates
_REF = re.compile(r"^\$?([A-Za-z]+)\$?(\d+)$")
_REFS = re.compile(rb' r="\$?([A-Za-z]*)\$?(\d+)"')  # rows (digits) and cells (letters and digits): the only r= of a sheet
_DIMENSION = re.compile(rb'<dimension\s[^>]*?\bref="([^"]*)"')
_CHUNK = 1 << 20


class _TooBig(Exception):
    pass


class SheetLimits:
    def __init__(self, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS, max_cells: int = MAX_CELLS) -> None:
        self.max_rows, self.max_columns, self.max_cells = max_rows, max_columns, max_cells

    def refusal(self) -> SpreadsheetRejected:
        return SpreadsheetRejected(f"В таблице слишком много строк или столбцов: допускается не больше "
                                   f"{_n(self.max_rows)} строк, {_n(self.max_columns)} столбцов и "
                                   f"{_n(self.max_cells)} ячеек. Удалите лишнее (в том числе пустые, но "
                                   "отформатированные ячейки далеко от данных)")

    def check_archive(self, archive: zipfile.ZipFile) -> None:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as stream:
                    exact = not self._fast_scan(stream)
                if exact:
                    with archive.open(info) as stream:
                        self._check_sheet(stream)

    def _fast_scan(self, stream: Any) -> bool:
        """False when the sheet needs the exact scan: a row or a cell without its `r`, or prefixed tags (x:c)."""
        scan, carry = _Scan(self), b""
        while True:
            chunk = stream.read(_CHUNK)
            data = carry + chunk
            cut = data.rfind(b">") + 1 if chunk else len(data)
            part, carry = data[:cut], data[cut:]
            if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                raise SpreadsheetRejected("Файл Excel повреждён: лист не читается")
            if not self._fast_part(scan, part):
                return False
            if not chunk:
                return True

    def _fast_part(self, scan: _Scan, part: bytes) -> bool:
        refs = _REFS.findall(part)
        cells = [r for r in refs if r[0]]
        rows = len(refs) - len(cells)
        if (b":c " in part or b":row " in part or len(cells) != part.count(b"<c ") + part.count(b"<c>")
                or rows != part.count(b"<row ") + part.count(b"<row>")):
            return False
        try:
            for ref in _DIMENSION.findall(part) if b"<dimension" in part else ():
                scan._dimension(ref.decode("ascii", "replace"))
            scan.cells += len(cells)
            letters = {c for c, _ in cells}
            scan._reach(max(map(int, (n for _, n in refs)), default=0),
                        max(map(column_number, (c.decode() for c in letters)), default=0))
        except _TooBig:
            raise self.refusal() from None
        return True

    def _check_sheet(self, stream: Any) -> None:
        scan = _Scan(self)
        parser = expat.ParserCreate()
        parser.StartElementHandler = scan.start
        parser.StartDoctypeDeclHandler = _no_doctype
        try:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _TooBig:
            raise self.refusal() from None
        except (expat.ExpatError, ValueError) as exc:
            raise SpreadsheetRejected("Файл Excel повреждён: лист не читается") from exc


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _no_doctype(*_: Any) -> None:
    raise ValueError("a worksheet never has a DOCTYPE")


def column_number(letters: str) -> int:
    if len(letters) > 4:
        return 1 << 30  # past any limit: no need to compute it
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def parse_ref(ref: str) -> tuple[int, int] | None:
    """«XFD1048576» → (row 1048576, column 16384); None when it is not a cell reference."""
    m = _REF.match(ref.strip())
    return (int(m.group(2)), column_number(m.group(1))) if m else None


class _Scan:
    def __init__(self, limits: SheetLimits) -> None:
        self.limits = limits
        self.row = self.col = self.max_row = self.max_col = self.cells = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "dimension":
            self._dimension(attrs.get("ref", ""))
        elif local == "row":
            ref = attrs.get("r", "")
            self.row, self.col = (int(ref) if ref.isdigit() else self.row + 1), 0
            self._reach(self.row, 1)
        elif local == "c":
            cell = parse_ref(attrs.get("r", ""))
            self.row, self.col = cell if cell else (max(self.row, 1), self.col + 1)
            self.cells += 1
            self._reach(self.row, self.col)

    def _dimension(self, ref: str) -> None:
        for part in ref.split(":"):
            cell = parse_ref(part)
            if cell:
                self._reach(*cell)

    def _reach(self, row: int, col: int) -> None:
        self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
        lim = self.limits
        if (self.max_row > lim.max_rows or self.max_col > lim.max_columns or self.cells > lim.max_cells
                or self.max_row * self.max_col > lim.max_cells):
            raise _TooBig
