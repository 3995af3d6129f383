"""ДДС entries as rows «Дата | Счёт | Статья | Сумма, ₽ | Комментарий | ID»: read (every row checked, errors by row,
all or nothing) and the rows the export writes, so an exported file imports back unchanged."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Sequence

from stpulse.application.costs.cogs_import import ImportIssue, parse_day, parse_money
from stpulse.application.kernel.deps import new_id
from stpulse.application.reports.ports import Cell
from stpulse.domain.cash.book import CashCategory, CashEntry, MoneyAccount

DATE, ACCOUNT, CATEGORY, AMOUNT, COMMENT, ID = "Дата", "Счёт", "Статья", "Сумма, ₽", "Комментарий", "ID"
HEADERS = (DATE, ACCOUNT, CATEGORY, AMOUNT, COMMENT, ID)
REQUIRED = (DATE, ACCOUNT, CATEGORY, AMOUNT)
MAX_ROWS = 50_000


def _key(text: Cell) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _columns(header: Sequence[Cell]) -> tuple[dict[str, int], list[str]]:
    wanted = {_key(h): h for h in HEADERS}
    found = {wanted[_key(c)]: i for i, c in reversed(list(enumerate(header))) if _key(c) in wanted}
    return found, [h for h in REQUIRED if h not in found]


def read_entries(rows: Sequence[Sequence[Cell]], account_id: uuid.UUID, accounts: Sequence[MoneyAccount],
                 categories: Sequence[CashCategory]) -> tuple[list[CashEntry], list[ImportIssue]]:
    """Every row as an entry, or the problems of every bad row (then no entry is returned)."""
    if not rows:
        return [], [ImportIssue(row=1, message="Файл пустой")]
    cols, missing = _columns(rows[0])
    if missing:
        text = ("Нет столбцов: " + ", ".join(f"«{h}»" for h in missing) + ". Нужны столбцы: "
                + ", ".join(f"«{h}»" for h in HEADERS[:5]) + " — скачайте шаблон и заполните его.")
        return [], [ImportIssue(row=1, message=text)]
    if len(rows) - 1 > MAX_ROWS:
        return [], [ImportIssue(row=1, message=f"Больше {MAX_ROWS} строк")]
    by_account = {_key(a.name): a for a in accounts}
    by_category = {_key(c.name): c for c in categories}
    entries: list[CashEntry] = []
    issues: list[ImportIssue] = []
    for number, cells in enumerate(rows[1:], start=2):
        def get(name: str, cells: Sequence[Cell] = cells) -> Cell:
            return cells[cols[name]] if name in cols and cols[name] < len(cells) else None

        if all(get(h) is None or str(get(h)).strip() == "" for h in REQUIRED):
            continue
        parsed = _row(get, account_id, by_account, by_category)
        if isinstance(parsed, list):
            issues += [ImportIssue(row=number, message=m) for m in parsed]
        else:
            entries.append(parsed)
    return ([], issues) if issues else (entries, [])


def _row(cell: Callable[[str], Cell], account_id: uuid.UUID, by_account: dict[str, MoneyAccount],
         by_category: dict[str, CashCategory]) -> CashEntry | list[str]:
    problems: list[str] = []
    day = _day(cell(DATE))
    if isinstance(day, str):
        problems.append(day)
    account = by_account.get(_key(cell(ACCOUNT)))
    if account is None:
        problems.append(f"счёт «{cell(ACCOUNT) or ''}» не найден — добавьте его на странице ДДС")
    category = by_category.get(_key(cell(CATEGORY)))
    if category is None:
        problems.append(f"статья «{cell(CATEGORY) or ''}» не найдена — добавьте её на странице ДДС")
    amount = parse_money(cell(AMOUNT))
    if isinstance(amount, str):
        problems.append(f"«{AMOUNT}»: {amount}")
    elif not amount:
        problems.append(f"«{AMOUNT}»: не заполнено")
    if isinstance(day, dt.date) and account is not None and day < account.opening_date:
        problems.append(f"дата раньше начального остатка счёта «{account.name}» ({account.opening_date:%d.%m.%Y})")
    if problems or account is None or category is None or not isinstance(amount, int) or isinstance(day, str):
        return problems
    return CashEntry(id=_id(cell(ID)) or new_id(), account_id=account_id, money_account_id=account.id,
                     category_id=category.id, date=day, amount=amount,
                     comment=str(cell(COMMENT) or "").strip()[:200])


def _day(value: Cell) -> dt.date | str:
    """A date cell; a bare number is Excel's serial date (a date typed into a cell without a date format)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 20_000 <= value <= 80_000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    return parse_day(value)


def _id(value: Cell) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value).strip()) if value else None
    except ValueError:
        return None


def entry_rows(entries: Sequence[CashEntry], accounts: Sequence[MoneyAccount],
               categories: Sequence[CashCategory]) -> list[tuple[dt.date, str, str, int, str, str]]:
    """The export's rows in the import's columns (amounts in kopecks; the writer shows roubles)."""
    names = {a.id: a.name for a in accounts}
    cats = {c.id: c.name for c in categories}
    return [(e.date, names.get(e.money_account_id, ""), cats.get(e.category_id, ""), e.amount, e.comment, str(e.id))
            for e in sorted(entries, key=lambda e: (e.date, e.id))]
