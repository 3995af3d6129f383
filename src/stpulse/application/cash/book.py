"""ДДС in the cabinet: the user's money accounts with opening balances, categories and entries (form, xlsx import
and export). Only a member who sees every shop reaches them: bank and cash belong to the whole account."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import require_every_shop
from stpulse.application.billing.policy import require_writable
from stpulse.application.cash.deps import CashDeps, CashUnitOfWork
from stpulse.application.cash.sheet import entry_rows, read_entries
from stpulse.application.costs.cogs_import import ImportIssue, parse_money
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.uploads import refuse_infected
from stpulse.application.reports.ports import Cell, CostSheetReader
from stpulse.domain.accounts.users import Permission
from stpulse.domain.cash.book import (
    DEFAULT_CATEGORIES,
    AccountKind,
    Activity,
    CashCategory,
    CashEntry,
    Flow,
    MoneyAccount,
    check_entry,
)
from stpulse.domain.kernel.errors import Conflict, NotFound, ValidationError
from stpulse.domain.kernel.period import parse_day

PAGE = 50


class EntrySheetWriter(Protocol):
    def write_entries(self, rows: Sequence[tuple[dt.date, str, str, int, str, str]]) -> bytes: ...


class EntryForm(msgspec.Struct, kw_only=True):
    date: str = ""  # ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
    money_account_id: str = ""
    category_id: str = ""
    amount: str = ""
    comment: str = ""


class AccountForm(msgspec.Struct, kw_only=True):
    id: str = ""  # empty: a new account
    name: str = ""
    kind: str = AccountKind.BANK.value
    opening_date: str = ""
    opening_balance: str = "0"
    receives_payouts: str = ""


class CategoryForm(msgspec.Struct, kw_only=True):
    id: str = ""
    name: str = ""
    activity: str = Activity.OPERATING.value
    flow: str = Flow.PAYMENT.value


class CashBook(msgspec.Struct, frozen=True, kw_only=True):
    accounts: tuple[MoneyAccount, ...]
    categories: tuple[CashCategory, ...]
    entries: tuple[CashEntry, ...]  # this page
    count: int
    page: int
    pages: int


async def _open(deps: CashDeps, actor: Actor, permission: Permission, uow: CashUnitOfWork) -> None:
    actor.membership.require(permission)
    require_every_shop(actor)
    if permission is not Permission.VIEW:
        await require_writable(uow, actor.account_id, deps.clock.now())


async def _categories(uow: CashUnitOfWork, account_id: uuid.UUID) -> list[CashCategory]:
    found = await uow.cash.categories(account_id)
    if found:
        return found
    for name, activity, flow in DEFAULT_CATEGORIES:  # a new account starts with the usual ones
        await uow.cash.save_category(CashCategory(id=new_id(), account_id=account_id, name=name, activity=activity,
                                                  flow=flow))
    await uow.commit()
    return await uow.cash.categories(account_id)


async def cash_book(deps: CashDeps, actor: Actor, first: dt.date, last: dt.date, page: int = 1) -> CashBook:
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.VIEW, uow)
        categories = await _categories(uow, actor.account_id)
        accounts = await uow.cash.accounts(actor.account_id)
        page = max(page, 1)
        entries, count = await uow.cash.entries(actor.account_id, first, last, (page - 1) * PAGE, PAGE)
    return CashBook(accounts=tuple(accounts), categories=tuple(categories), entries=tuple(entries), count=count,
                    page=page, pages=max(1, -(-count // PAGE)))


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


def _amount(value: Cell, field: str, errors: dict[str, str], *, signed: bool = False) -> int:
    """Kopecks typed as «1 500,50»; with `signed`, a leading minus is allowed (an overdraft)."""
    text = str(value or "").strip()
    negative = signed and text.startswith(("-", "−"))
    parsed = parse_money(text.lstrip("-−") if negative else text)
    if parsed is None:
        if not signed:
            errors[field] = "Укажите сумму"
        return 0
    if isinstance(parsed, str):
        plain = parsed.startswith("текст") or parsed == "не число"
        errors[field] = "Введите сумму числом, например 1500,50" if plain else parsed[:1].upper() + parsed[1:]
        return 0
    return -parsed if negative else parsed


async def add_entry(deps: CashDeps, actor: Actor, form: EntryForm) -> CashEntry:
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.EDIT_FINANCE, uow)
        accounts = {a.id: a for a in await uow.cash.accounts(actor.account_id)}
        categories = {c.id: c for c in await uow.cash.categories(actor.account_id)}
        errors: dict[str, str] = {}
        day = parse_day(form.date)
        if day is None:
            errors["date"] = "Дата в формате ДД.ММ.ГГГГ"
        money_account = accounts.get(_uuid(form.money_account_id) or uuid.UUID(int=0))
        if money_account is None:
            errors["money_account_id"] = "Выберите счёт (или добавьте его ниже)"
        category = categories.get(_uuid(form.category_id) or uuid.UUID(int=0))
        if category is None:
            errors["category_id"] = "Выберите статью"
        amount = _amount(form.amount, "amount", errors)
        if not errors and amount == 0:
            errors["amount"] = "Сумма не может быть нулевой"
        if errors or day is None or money_account is None or category is None:
            raise ValidationError(errors)
        entry = CashEntry(id=new_id(), account_id=actor.account_id, money_account_id=money_account.id,
                          category_id=category.id, date=day, amount=amount, comment=form.comment.strip()[:200])
        check_entry(entry, money_account)
        await uow.cash.save_entries([entry])
        await uow.commit()
    return entry


async def delete_entry(deps: CashDeps, actor: Actor, entry_id: uuid.UUID) -> None:
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.EDIT_FINANCE, uow)
        if not await uow.cash.delete_entry(actor.account_id, entry_id):
            raise NotFound("Запись не найдена")
        await uow.commit()


async def save_account(deps: CashDeps, actor: Actor, form: AccountForm) -> MoneyAccount:
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.EDIT_FINANCE, uow)
        existing = await uow.cash.accounts(actor.account_id)
        account = _account(actor, form, existing)
        if form.id and account.id not in {a.id for a in existing}:
            raise NotFound("Счёт не найден")
        await uow.cash.save_account(account)
        await uow.commit()
    return account


def _account(actor: Actor, form: AccountForm, existing: Sequence[MoneyAccount]) -> MoneyAccount:
    errors: dict[str, str] = {}
    own_id = _uuid(form.id) if form.id else None
    name = _unique_name(form.name, own_id, existing, errors, "Укажите название счёта", "Счёт «{}» уже есть")
    if form.kind not in (AccountKind.BANK.value, AccountKind.CASH.value):
        errors["kind"] = "Выберите: расчётный счёт или касса"
    day = parse_day(form.opening_date)
    if day is None:
        errors["opening_date"] = "Дата в формате ДД.ММ.ГГГГ"
    opening = _amount(form.opening_balance or "0", "opening_balance", errors, signed=True)
    if errors or day is None:
        raise ValidationError(errors)
    return MoneyAccount(id=own_id or new_id(), account_id=actor.account_id, name=name, kind=AccountKind(form.kind),
                        opening_date=day, opening_balance=opening,
                        receives_payouts=bool(form.receives_payouts) and form.kind == AccountKind.BANK.value)


async def delete_account(deps: CashDeps, actor: Actor, money_account_id: uuid.UUID) -> None:
    await _delete_unused(deps, actor, lambda uow: uow.cash.delete_account(actor.account_id, money_account_id),
                         "По счёту есть записи: удалите их сначала", "Счёт не найден",
                         money_account_id=money_account_id)


async def save_category(deps: CashDeps, actor: Actor, form: CategoryForm) -> CashCategory:
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.EDIT_FINANCE, uow)
        existing = await uow.cash.categories(actor.account_id)
        errors: dict[str, str] = {}
        own_id = _uuid(form.id) if form.id else None
        name = _unique_name(form.name, own_id, existing, errors, "Укажите название статьи", "Статья «{}» уже есть")
        if form.activity not in set(Activity):
            errors["activity"] = "Выберите раздел"
        if form.flow not in set(Flow):
            errors["flow"] = "Выберите: поступление или платёж"
        if errors:
            raise ValidationError(errors)
        if form.id and own_id not in {c.id for c in existing}:
            raise NotFound("Статья не найдена")
        category = CashCategory(id=own_id or new_id(), account_id=actor.account_id, name=name,
                                activity=Activity(form.activity), flow=Flow(form.flow))
        await uow.cash.save_category(category)
        await uow.commit()
    return category


async def delete_category(deps: CashDeps, actor: Actor, category_id: uuid.UUID) -> None:
    await _delete_unused(deps, actor, lambda uow: uow.cash.delete_category(actor.account_id, category_id),
                         "По статье есть записи: перенесите или удалите их сначала", "Статья не найдена",
                         category_id=category_id)


def _unique_name(raw: str, own_id: uuid.UUID | None, existing: Sequence[MoneyAccount | CashCategory],
                 errors: dict[str, str], missing: str, taken: str) -> str:
    """The trimmed name, or an error under «name» when it is empty or another of `existing` has it."""
    name = raw.strip()[:100]
    if not name:
        errors["name"] = missing
    elif any(x.name.lower() == name.lower() and x.id != own_id for x in existing):
        errors["name"] = taken.format(name)
    return name


async def _delete_unused(deps: CashDeps, actor: Actor, delete: Callable[[CashUnitOfWork], Awaitable[bool]],
                         in_use: str, not_found: str, *, money_account_id: uuid.UUID | None = None,
                         category_id: uuid.UUID | None = None) -> None:
    """Delete an account or a category no entry uses (409 when one does, 404 when it is not the account's)."""
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.EDIT_FINANCE, uow)
        if await uow.cash.used(actor.account_id, money_account_id=money_account_id, category_id=category_id):
            raise Conflict(in_use)
        if not await delete(uow):
            raise NotFound(not_found)
        await uow.commit()


async def import_entries(deps: CashDeps, actor: Actor, data: bytes, reader: CostSheetReader) -> list[ImportIssue]:
    """Every row checked; any error refuses the whole file and nothing is written. A row with the ID of an entry
    of this account updates it (an exported file imports back unchanged)."""
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.EDIT_FINANCE, uow)
    await refuse_infected(deps.scanner, data, "cash.xlsx", actor.user.id)
    rows = reader.read_rows(data)  # raises SpreadsheetRejected for a file that is not an xlsx
    async with deps.uow() as uow:
        accounts = await uow.cash.accounts(actor.account_id)
        entries, issues = read_entries(rows, actor.account_id, accounts, await _categories(uow, actor.account_id))
        if issues:
            return issues
        mine = await uow.cash.entry_ids(actor.account_id, [e.id for e in entries])
        seen: set[uuid.UUID] = set()
        fresh = []
        for e in entries:  # an ID of another account, or repeated in the file, makes a new entry
            fresh.append(e if e.id in mine and e.id not in seen else msgspec.structs.replace(e, id=new_id()))
            seen.add(e.id)
        await uow.cash.save_entries(fresh)
        await uow.commit()
    return []


async def export_entries(deps: CashDeps, actor: Actor, writer: EntrySheetWriter) -> bytes:
    """Every entry in the import's columns; with none, an empty template."""
    async with deps.uow() as uow:
        await _open(deps, actor, Permission.VIEW, uow)
        rows = entry_rows(await uow.cash.all_entries(actor.account_id), await uow.cash.accounts(actor.account_id),
                          await _categories(uow, actor.account_id))
    return writer.write_entries(rows)
