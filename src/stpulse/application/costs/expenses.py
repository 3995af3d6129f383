"""Операционные расходы: the user's own articles with monthly amounts per shop or per account (form and xlsx)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import may_see, require_shop_id, sees_every_shop, visible_shops
from stpulse.application.billing.policy import require_writable
from stpulse.application.costs.cogs_import import ImportIssue, parse_money
from stpulse.application.costs.deps import CostsDeps
from stpulse.application.costs.ports import OpexRecord
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.uploads import refuse_infected
from stpulse.application.reports.ports import Cell, CostSheetReader
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.domain.kernel.formatting import format_rub
from stpulse.domain.ledger.shops import Shop

SUGGESTED = ("Упаковка", "Фулфилмент", "Зарплата", "Аренда", "Маркетинг вне Ozon", "Прочее")
HEADERS = ("Месяц", "Статья", "Сумма, ₽", "Магазин")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$|^(\d{2})\.(\d{4})$")


class ExpenseForm(msgspec.Struct, kw_only=True):
    month: str = ""  # ГГГГ-ММ
    article: str = ""
    amount: str = ""
    shop_id: str = ""  # empty: the whole account


def parse_month_cell(value: Cell) -> dt.date | None:
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    m = _MONTH.match(str(value or "").strip())
    if not m:
        return None
    year, month = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(4)), int(m.group(3)))
    return dt.date(year, month, 1) if 1 <= month <= 12 else None


def _record(actor: Actor, shops: Sequence[Shop], month: Cell, article: str, amount: Cell,
            shop: str) -> OpexRecord | dict[str, str]:
    errors: dict[str, str] = {}
    day = parse_month_cell(month)
    if day is None:
        errors["month"] = "Месяц в формате ГГГГ-ММ"
    if not article.strip():
        errors["article"] = "Укажите статью расходов"
    kopecks = parse_money(amount)
    if isinstance(kopecks, str) and kopecks.startswith("сумма больше"):
        errors["amount"] = kopecks.capitalize()
    elif not isinstance(kopecks, int) or kopecks == 0:
        errors["amount"] = "Сумма — положительное число" if kopecks != 0 else "Сумма не может быть нулевой"
    shop_id = next((s.id for s in shops if shop.strip() in (str(s.id), s.name)), None)
    if shop.strip() and shop_id is None:
        errors["shop_id"] = f"Магазин «{shop}» не найден"
    elif shop_id is None and not sees_every_shop(actor):
        errors["shop_id"] = "Выберите один из ваших магазинов: расход на весь аккаунт вносит владелец"
    if errors or day is None or not isinstance(kopecks, int):
        return errors
    return OpexRecord(id=new_id(), account_id=actor.account_id, shop_id=shop_id, month=day,
                      article=article.strip()[:100], amount=kopecks)


def _what(record: OpexRecord) -> str:
    return f"{record.article}, {record.month:%m.%Y}, {format_rub(record.amount)}"


async def add_expense(deps: CostsDeps, actor: Actor, form: ExpenseForm) -> OpexRecord:
    actor.membership.require(Permission.EDIT_FINANCE)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        shops = await visible_shops(uow, actor)
        record = _record(actor, shops, form.month, form.article, form.amount, form.shop_id)
        if isinstance(record, dict):
            raise ValidationError(record)
        await uow.opex.add(record)
        await uow.audit.record(actor.user.id, "expense.add", str(record.id), _what(record), deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()
    return record


async def delete_expense(deps: CostsDeps, actor: Actor, entry_id: uuid.UUID) -> None:
    async with deps.uow() as uow:
        record = await uow.opex.get(actor.account_id, entry_id)
        if record is None or (record.shop_id is not None and not may_see(actor, record.shop_id)):
            raise NotFound("Расход не найден")
        actor.membership.require(Permission.EDIT_FINANCE)
        require_shop_id(actor, record.shop_id)
        await require_writable(uow, actor.account_id, deps.clock.now())
        await uow.opex.delete(actor.account_id, entry_id)
        await uow.audit.record(actor.user.id, "expense.delete", str(entry_id), _what(record), deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()


async def list_expenses(deps: CostsDeps, actor: Actor, first: dt.date, last: dt.date) -> tuple[list[OpexRecord], list[Shop]]:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        shops = await visible_shops(uow, actor)
        records = await uow.opex.between(actor.account_id, first, last)
    return [r for r in records if r.shop_id is None or may_see(actor, r.shop_id)], shops


async def import_expenses(deps: CostsDeps, actor: Actor, data: bytes, reader: CostSheetReader) -> list[ImportIssue]:
    """Rows «Месяц | Статья | Сумма, ₽ | Магазин (пусто — весь аккаунт)»; all or nothing."""
    actor.membership.require(Permission.EDIT_FINANCE)
    await refuse_infected(deps.scanner, data, "expenses.xlsx", actor.user.id)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
    rows = reader.read_rows(data)
    header = [str(c or "").strip().lower() for c in (rows[0] if rows else [])]
    if header[:3] != [h.lower() for h in HEADERS[:3]]:
        return [ImportIssue(row=1, message="Нужны столбцы: " + ", ".join(f"«{h}»" for h in HEADERS))]
    async with deps.uow() as uow:
        shops = await visible_shops(uow, actor)
        records: list[OpexRecord] = []
        issues: list[ImportIssue] = []
        for number, cells in enumerate(rows[1:], start=2):
            cells = [*cells, None, None, None, None]
            if all(c is None or str(c).strip() == "" for c in cells[:4]):
                continue
            rec = _record(actor, shops, cells[0], str(cells[1] or ""), cells[2], str(cells[3] or ""))
            if isinstance(rec, dict):
                issues.extend(ImportIssue(row=number, message=m) for m in rec.values())
            else:
                records.append(rec)
        if issues:
            return issues
        for rec in records:
            await uow.opex.add(rec)
        await uow.audit.record(actor.user.id, "expense.import", "expenses.xlsx", f"строк: {len(records)}",
                               deps.clock.now(), account_id=actor.account_id)
        await uow.commit()
    return []
