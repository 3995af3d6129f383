"""План: the seller's monthly targets per shop or product — a form, an xlsx import (all or nothing, errors by row)
and an xlsx export in the import's own format, so a file round-trips."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import may_see, require_shop, visible_shops
from stpulse.application.billing.policy import require_feature, require_writable
from stpulse.application.costs.cogs_import import ImportIssue, parse_money
from stpulse.application.costs.expenses import parse_month_cell
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.uploads import refuse_infected
from stpulse.application.planning.deps import PlanningDeps
from stpulse.application.planning.ports import PlanTargetRecord
from stpulse.application.reports.ports import Cell, CostSheetReader
from stpulse.domain.accounts.users import Permission
from stpulse.domain.billing.tariffs import FEATURE_PLAN
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.domain.ledger.shops import Shop

MONTH, SHOP, OFFER = "Месяц", "Магазин", "Артикул"
METRIC_HEADERS = {"revenue": "Выручка, ₽", "units": "Продажи, шт", "profit": "Прибыль, ₽",
                  "ad_budget": "Реклама, ₽", "drr_bp": "ДРР, %"}
HEADERS = (MONTH, SHOP, OFFER, *METRIC_HEADERS.values())
MAX_ROWS = 20_000
_INT = re.compile(r"^\d+$")


class PlanForm(msgspec.Struct, kw_only=True):
    shop_id: str = ""
    month: str = ""  # ГГГГ-ММ
    offer_id: str = ""  # empty: the whole shop
    revenue: str = ""
    units: str = ""
    profit: str = ""
    ad_budget: str = ""
    drr: str = ""  # percent, «12,5»


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _units(value: Cell) -> int | None | str:
    text = _text(value).replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text.startswith("-"):
        return "отрицательное число"
    if not _INT.match(text) or len(text) > 12:
        return f"«{_text(value)}» — не целое число штук"
    return int(text)


def _percent_bp(value: Cell) -> int | None | str:
    if isinstance(value, bool):
        return "не процент"
    if isinstance(value, float | int):
        text = f"{value * 100:.2f}" if 0 < value < 1 else f"{value}"  # Excel stores 12 % as 0.12
    else:
        text = _text(value).replace("%", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    if text.startswith("-"):
        return "отрицательный процент"
    try:
        bp = Decimal(text) * 100
    except InvalidOperation:
        return f"«{_text(value)}» — не процент (например, 12,5)"
    if not bp.is_finite():
        return "не процент"
    return int(bp.to_integral_value()) if bp <= 100_00 else "ДРР больше 100 %"


def _record(actor: Actor, shops: Sequence[Shop], offers: dict[uuid.UUID, frozenset[str]], month: Cell, shop: Cell,
            offer: Cell, values: dict[str, Cell]) -> PlanTargetRecord | dict[str, str]:
    errors: dict[str, str] = {}
    day = parse_month_cell(month)
    if day is None:
        errors["month"] = "Месяц в формате ГГГГ-ММ"
    shop_text = _text(shop)
    found = next((s for s in shops if shop_text in (str(s.id), s.name)), None)
    if found is None:
        errors["shop_id"] = f"Магазин «{shop_text}» не найден" if shop_text else "Выберите магазин"
    offer_id = _text(offer)
    if offer_id and found is not None and offer_id not in offers.get(found.id, frozenset()):
        errors["offer_id"] = f"Артикул «{offer_id}» не найден в магазине «{found.name}»"
    parsed: dict[str, int | None] = {}
    for field, raw in values.items():
        value = _units(raw) if field == "units" else _percent_bp(raw) if field == "drr_bp" else parse_money(raw)
        if isinstance(value, str):
            errors[field] = f"{METRIC_HEADERS[field]}: {value}"
        else:
            parsed[field] = value
    if not errors and all(v is None for v in parsed.values()):
        errors["revenue"] = "Задайте хотя бы одну цель: выручку, штуки, прибыль, рекламу или ДРР"
    if errors or day is None or found is None:
        return errors
    return PlanTargetRecord(id=new_id(), account_id=actor.account_id, shop_id=found.id, month=day,
                            offer_id=offer_id[:100], **parsed)


async def _offers(uow: object, shops: Sequence[Shop]) -> dict[uuid.UUID, frozenset[str]]:
    items = await uow.report_data.catalog([s.id for s in shops])  # type: ignore[attr-defined]
    out: dict[uuid.UUID, set[str]] = {s.id: set() for s in shops}
    for item in items:
        out.setdefault(item.shop_id, set()).add(item.offer_id)
    return {k: frozenset(v) for k, v in out.items()}


async def list_targets(deps: PlanningDeps, actor: Actor, first: dt.date,
                       last: dt.date) -> tuple[list[PlanTargetRecord], list[Shop]]:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        shops = await visible_shops(uow, actor)
        records = await uow.plan_targets.between(actor.account_id, first, last)
    return [r for r in records if may_see(actor, r.shop_id)], shops


async def save_target(deps: PlanningDeps, actor: Actor, form: PlanForm) -> PlanTargetRecord:
    actor.membership.require(Permission.EDIT_DATA)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await require_feature(uow, actor.account_id, deps.clock.now(), FEATURE_PLAN)
        shops = await visible_shops(uow, actor)
        if form.shop_id.strip():
            try:
                await require_shop(uow, actor, uuid.UUID(form.shop_id.strip()))
            except ValueError:
                raise ValidationError({"shop_id": "Выберите магазин"}) from None
        values = {"revenue": form.revenue, "units": form.units, "profit": form.profit, "ad_budget": form.ad_budget,
                  "drr_bp": form.drr}
        record = _record(actor, shops, await _offers(uow, shops), form.month, form.shop_id, form.offer_id,
                         dict(values))
        if isinstance(record, dict):
            raise ValidationError({("drr" if k == "drr_bp" else k): v for k, v in record.items()})
        await uow.plan_targets.upsert([record])
        await uow.commit()
    return record


async def delete_target(deps: PlanningDeps, actor: Actor, target_id: uuid.UUID) -> None:
    actor.membership.require(Permission.EDIT_DATA)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        records = await uow.plan_targets.between(actor.account_id, dt.date.min, dt.date.max)
        target = next((r for r in records if r.id == target_id and may_see(actor, r.shop_id)), None)
        if target is None:
            raise NotFound("Цель плана не найдена")
        await uow.plan_targets.delete(actor.account_id, target_id)
        await uow.commit()


def _header_ok(header: Sequence[Cell]) -> bool:
    norm = [re.sub(r"\s+", " ", str(c or "")).strip().lower() for c in header]
    return norm[:len(HEADERS)] == [h.lower() for h in HEADERS]


async def import_targets(deps: PlanningDeps, actor: Actor, data: bytes, reader: CostSheetReader) -> tuple[
        list[ImportIssue], int]:
    """Rows «Месяц | Магазин | Артикул (пусто — весь магазин) | Выручка, ₽ | Продажи, шт | Прибыль, ₽ | Реклама, ₽ |
    ДРР, %»; every row checked, and only a file without a single error is written (upserted)."""
    actor.membership.require(Permission.EDIT_DATA)
    await refuse_infected(deps.scanner, data, "plan.xlsx", actor.user.id)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await require_feature(uow, actor.account_id, deps.clock.now(), FEATURE_PLAN)
    rows = reader.read_rows(data)  # raises SpreadsheetRejected for a file that is not an xlsx
    if not rows or not _header_ok(rows[0]):
        return [ImportIssue(row=1, message="Нужны столбцы: " + ", ".join(f"«{h}»" for h in HEADERS)
                            + ". Скачайте шаблон и заполните его.")], 0
    if len(rows) - 1 > MAX_ROWS:
        return [ImportIssue(row=1, message=f"Больше {MAX_ROWS} строк")], 0
    async with deps.uow() as uow:
        shops = await visible_shops(uow, actor)
        offers = await _offers(uow, shops)
        records: list[PlanTargetRecord] = []
        issues: list[ImportIssue] = []
        seen: dict[tuple[uuid.UUID, dt.date, str], int] = {}
        for number, cells in enumerate(rows[1:], start=2):
            cells = [*cells, *([None] * len(HEADERS))]
            if all(_text(c) == "" for c in cells[:len(HEADERS)]):
                continue
            rec = _record(actor, shops, offers, cells[0], cells[1], cells[2],
                          dict(zip(METRIC_HEADERS, cells[3:len(HEADERS)], strict=True)))
            if isinstance(rec, dict):
                issues.extend(ImportIssue(row=number, message=m) for m in rec.values())
                continue
            key = (rec.shop_id, rec.month, rec.offer_id)
            if key in seen:
                issues.append(ImportIssue(row=number, message=f"повтор строки {seen[key]}: тот же месяц, магазин и артикул"))
                continue
            seen[key] = number
            records.append(rec)
        if issues:
            return issues, 0
        await uow.plan_targets.upsert(records)
        await uow.commit()
    return [], len(records)


def export_rows(records: Sequence[PlanTargetRecord], shops: Sequence[Shop]) -> list[list[object]]:
    """The targets in the import's format (money in roubles, ДРР in percent): what `import_targets` reads back."""
    names = {s.id: s.name for s in shops}
    out: list[list[object]] = []
    for r in sorted(records, key=lambda r: (r.month, names.get(r.shop_id, ""), r.offer_id)):
        money = lambda v: None if v is None else Decimal(v) / 100  # noqa: E731
        out.append([r.month.strftime("%Y-%m"), names.get(r.shop_id, ""), r.offer_id, money(r.revenue), r.units,
                    money(r.profit), money(r.ad_budget), None if r.drr_bp is None else Decimal(r.drr_bp) / 100])
    return out
