"""Cost-price import from xlsx: validate every row, report errors by row number, write all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import msgspec

from stpulse.application.kernel.uploads import UploadRefused
from stpulse.application.reports.ports import CatalogReader, Cell, CostReader, CostSheetReader, CostWriter
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.formatting import format_rub
from stpulse.domain.kernel.money import MAX_AMOUNT_KOPECKS, kopecks_from_decimal
from stpulse.domain.kernel.period import parse_day as parse_day_text

OFFER, DATE, NAME, TOTAL = "Артикул", "Дата начала действия", "Товар", "Итого, ₽"
COMPONENTS = {"purchase": "Закупка, ₽", "delivery": "Доставка до склада, ₽", "packaging": "Упаковка, ₽",
              "marking": "Маркировка, ₽"}
# «Товар» and «Итого» are written on export and ignored on import
HEADERS = (OFFER, NAME, DATE, *COMPONENTS.values(), TOTAL)
REQUIRED = (OFFER, DATE, COMPONENTS["purchase"])
MAX_ROWS = 50_000
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?([eE][+-]?\d+)?$")


class SpreadsheetRejected(UploadRefused):
    """The file itself is refused (not xlsx, too big, a zip bomb) before any row is read."""


class ImportIssue(msgspec.Struct, frozen=True, kw_only=True):
    row: int  # the row number as Excel shows it (the header is row 1)
    message: str


class CostImportResult(msgspec.Struct, frozen=True, kw_only=True):
    entries: tuple[CostPrice, ...]  # empty when there is any error: nothing is written
    errors: tuple[ImportIssue, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(header: Cell) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().lower().replace(", ₽", "").replace(",₽", "")


def _columns(header_row: Sequence[Cell]) -> tuple[dict[str, int], list[str]]:
    wanted = {_key(h): h for h in HEADERS}
    found = {wanted[_key(c)]: i for i, c in reversed(list(enumerate(header_row))) if _key(c) in wanted}
    missing = [h for h in REQUIRED if h not in found]
    return found, missing


def parse_money(value: Cell) -> int | None | str:
    """Kopecks, None for an empty cell, or a Russian error text (also for amounts over 10 billion ₽)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        return "не число"
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("₽", "")
    if not _NUMBER.match(text) and not isinstance(value, int | float):
        return f"текст «{value}» вместо числа"
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return f"текст «{value}» вместо числа"
    if not amount.is_finite():
        return "не число"
    if amount < 0:
        return "отрицательная сумма"
    if amount * 100 > MAX_AMOUNT_KOPECKS:
        return f"сумма больше {format_rub(MAX_AMOUNT_KOPECKS).replace(',00', '')} — проверьте число"
    return kopecks_from_decimal(amount)


def parse_day(value: Cell) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = parse_day_text(str(value or ""))
    if day is not None:
        return day
    return f"дата «{value if value is not None else ''}» не распознана (нужно ДД.ММ.ГГГГ)"


def _offer(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel turns the article 12345 into 12345.0
    return str(value if value is not None else "").strip()


def _parse_row(cells: Sequence[Cell], cols: dict[str, int], known: frozenset[str]) -> CostPrice | list[str]:
    def get(name: str) -> Cell:
        return cells[cols[name]] if name in cols and cols[name] < len(cells) else None

    problems: list[str] = []
    offer = _offer(get(OFFER))
    if not offer:
        problems.append("не указан артикул")
    elif offer not in known:
        problems.append(f"артикул «{offer}» не найден в ваших магазинах")
    day = parse_day(get(DATE))
    if isinstance(day, str):
        problems.append(day)
    amounts: dict[str, int] = {}
    for field, header in COMPONENTS.items():
        parsed = parse_money(get(header))
        if isinstance(parsed, str):
            problems.append(f"«{header}»: {parsed}")
        elif parsed is None and header in REQUIRED:
            problems.append(f"«{header}»: не заполнено")
        else:
            amounts[field] = parsed or 0
    if problems or isinstance(day, str):
        return problems
    return CostPrice(offer_id=offer, effective_from=day, **amounts)


def _blank(cells: Sequence[Cell], cols: dict[str, int]) -> bool:
    filled = [cells[i] for h, i in cols.items() if h in (DATE, *COMPONENTS.values()) and i < len(cells)]
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in filled)


def validate_cost_rows(rows: Sequence[Sequence[Cell]], known_offers: frozenset[str]) -> CostImportResult:
    if not rows:
        return CostImportResult(entries=(), errors=(ImportIssue(row=1, message="Файл пустой"),))
    cols, missing = _columns(rows[0])
    if missing:
        text = "Нет столбцов: " + ", ".join(f"«{h}»" for h in missing) + ". Скачайте шаблон и заполните его."
        return CostImportResult(entries=(), errors=(ImportIssue(row=1, message=text),))
    if len(rows) - 1 > MAX_ROWS:
        return CostImportResult(entries=(), errors=(ImportIssue(row=1, message=f"Больше {MAX_ROWS} строк"),))
    entries: list[CostPrice] = []
    errors: list[ImportIssue] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if _blank(cells, cols):  # an empty line, or a template line of an offer left without a price
            continue
        parsed = _parse_row(cells, cols, known_offers)
        if isinstance(parsed, list):
            errors.extend(ImportIssue(row=number, message=p) for p in parsed)
            continue
        key = (parsed.offer_id, parsed.effective_from)
        if key in seen:
            errors.append(ImportIssue(row=number, message=f"повтор строки {seen[key]}: тот же артикул и дата"))
            continue
        seen[key] = number
        entries.append(parsed)
    return CostImportResult(entries=() if errors else tuple(entries), errors=tuple(errors))


async def import_costs(account_id: int, data: bytes, *, reader: CostSheetReader, catalog: CatalogReader,
                       costs: CostReader, writer: CostWriter) -> CostImportResult:
    """Read, validate and — only when every row is right — upsert the cost prices."""
    rows = reader.read_rows(data)  # raises SpreadsheetRejected
    result = validate_cost_rows(rows, await catalog.offer_ids(account_id))
    if result.ok and result.entries:
        (await costs.cost_book(account_id)).merged(result.entries)  # re-check the whole history
        await writer.save_cost_prices(account_id, result.entries)
    return result


def format_errors(result: CostImportResult) -> list[str]:
    return [f"Строка {e.row}: {e.message}" for e in result.errors]


__all__ = ["CostImportResult", "ImportIssue", "SpreadsheetRejected", "import_costs",
           "validate_cost_rows", "format_errors"]
