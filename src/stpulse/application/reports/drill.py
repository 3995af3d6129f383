"""The drill-down behind a report row (the registry entry's `drill` names its lines): subtotals by Ozon's accrual
type and by SKU first, the lines on demand, filters by SKU, posting, type and dates, and every line to xlsx.
Only the shops the member may see are read (`views._selected` over `shop_access.only_visible`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.billing.policy import require_feature
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.ports import DrillRow, LineFilter, LineSheetWriter
from stpulse.application.reports.views import ReportRequest, _selected, _shops, resolve_period
from stpulse.domain.accounts.users import Permission
from stpulse.domain.billing.tariffs import FEATURE_EXPORT
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.domain.kernel.formatting import format_count
from stpulse.domain.kernel.period import month_first_day, parse_month
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.reports.drill import (
    COMPONENT_LABELS,
    EXPORT_MAX_LINES,
    GROUPS_SHOWN,
    DrillFilter,
    DrillView,
    fold,
    product_label,
    type_label,
)
from stpulse.domain.reports.kinds import DrillTarget
from stpulse.domain.reports.registry import report_kind

PAGE_SIZE = 50
CHUNK = 5_000


class Subtotal(msgspec.Struct, frozen=True, kw_only=True):
    key: int  # type_id or SKU; 0: without one
    label: str
    lines: int
    quantity: int
    amount: int


class DrillPage(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    total: int  # lines behind the row (after the filters)
    amount: int
    by_type: tuple[Subtotal, ...]
    by_sku: tuple[Subtotal, ...]
    sku_rest: Subtotal | None  # the SKUs beyond GROUPS_SHOWN, summed
    lines: tuple[DrillRow, ...]  # only when the filter asks for lines
    page: int
    pages: int
    first: dt.date
    last: dt.date


class _Scope(msgspec.Struct, frozen=True, kw_only=True):
    target: DrillTarget
    first: dt.date
    last: dt.date


def line_filter(target: DrillTarget, mapping: LedgerMapping, filt: DrillFilter = DrillFilter()) -> LineFilter:
    """The accrual lines a drill target names, under the current type → article mapping, narrowed by the user."""
    return msgspec.structs.replace(_target_lines(target, mapping), sku=filt.sku, posting=filt.posting.strip(),
                                   type_id=filt.type_id)


def _target_lines(target: DrillTarget, mapping: LedgerMapping) -> LineFilter:
    if target.component == "sale":
        return LineFilter(component="sale", sign=target.sign)
    if target.component == "commission":
        return LineFilter(component="commission")
    if target.unmapped:
        return LineFilter(component="service", other_than=tuple(sorted(mapping.articles)))
    return LineFilter(component="service",
                      type_ids=tuple(sorted(t for t, a in mapping.articles.items() if a == target.article)))


def _scope(deps: ReportsDeps, actor: Actor, code: str, req: ReportRequest, row_code: str, month: str | None,
           filt: DrillFilter) -> _Scope:
    actor.membership.require(Permission.VIEW)
    drill = report_kind(code).drill
    target = drill(row_code) if drill is not None else None
    if target is None:
        raise NotFound("По этой строке нет начислений Ozon для расшифровки")
    period = resolve_period(deps, req, [])
    first, last = period.first_day, period.last_day
    if month:
        m = parse_month(month)
        first, last = month_first_day(m), month_first_day(m + 1) - dt.timedelta(days=1)
    first, last = filt.days(first, last)
    return _Scope(target=target, first=first, last=last)


class _Names(msgspec.Struct, frozen=True, kw_only=True):
    shops: dict[uuid.UUID, str]
    types: dict[int, str]
    products: dict[int, tuple[str, str]]

    def row(self, line: AccrualLine, shop_id: uuid.UUID | None = None) -> DrillRow:
        return DrillRow(date=line.date, shop=self.shops.get(shop_id, "") if shop_id else "",
                        accrual_id=line.accrual_id, line_no=line.line_no, posting=line.unit_number or "", sku=line.sku,
                        product=product_label(line.sku, self.products), part=COMPONENT_LABELS[line.component.value],
                        type=type_label(line.type_id, self.types) if line.type_id is not None else "",
                        quantity=line.quantity, amount=line.amount)


async def _names(uow: Any, shop_ids: list[uuid.UUID], shops: dict[uuid.UUID, str]) -> _Names:
    catalog = await uow.report_data.catalog(shop_ids)
    return _Names(shops=shops, types=await uow.ledger.type_names(),
                  products={c.sku: (c.offer_id, c.name) for c in catalog})


def _subtotals(rows: list[tuple[int, int, int, int]], label: Any) -> tuple[Subtotal, ...]:
    return tuple(Subtotal(key=k, label=label(k), lines=n, quantity=q, amount=a) for k, n, q, a in rows)


async def drill_down(deps: ReportsDeps, actor: Actor, code: str, req: ReportRequest, row_code: str, month: str | None,
                     page: int, filt: DrillFilter = DrillFilter()) -> DrillPage:
    """Subtotals of the lines behind a row by type and by SKU; the lines themselves when `filt.view` asks."""
    scope = _scope(deps, actor, code, req, row_code, month, filt)
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, [])
        ids = [s.id for s in chosen]
        where = line_filter(scope.target, await uow.ledger.mapping(), filt)
        names = await _names(uow, ids, {s.id: s.name for s in chosen})
        sums = await uow.report_data.line_sums(ids, scope.first, scope.last, where)
        page, lines = max(page, 1), []
        if filt.view is DrillView.LINES:
            found, _ = await uow.report_data.lines(ids, scope.first, scope.last, where, (page - 1) * PAGE_SIZE,
                                                   PAGE_SIZE)
            lines = [names.row(x) for x in found]
    by_type = fold((s.type_id, s.lines, s.quantity, s.amount) for s in sums)
    by_sku = fold((s.sku, s.lines, s.quantity, s.amount) for s in sums)
    total = sum(g[1] for g in by_type)
    rest = by_sku[GROUPS_SHOWN:]
    sku_rest = Subtotal(key=-1, label=f"ещё {format_count(len(rest))} товаров", lines=sum(g[1] for g in rest),
                        quantity=sum(g[2] for g in rest), amount=sum(g[3] for g in rest)) if rest else None
    return DrillPage(title=_title(scope), total=total, amount=sum(g[3] for g in by_type),
                     by_type=_subtotals(by_type, lambda k: type_label(k, names.types)),
                     by_sku=_subtotals(by_sku[:GROUPS_SHOWN], lambda k: product_label(k, names.products)),
                     sku_rest=sku_rest, lines=tuple(lines), page=page, pages=max(1, -(-total // PAGE_SIZE)),
                     first=scope.first, last=scope.last)


class RowDays(msgspec.Struct, frozen=True, kw_only=True):
    """What the drill-down of a row totals for a span of days: its amount, quantity and lines."""

    first: dt.date
    last: dt.date
    amount: int
    quantity: int
    lines: int


async def row_days(deps: ReportsDeps, actor: Actor, code: str, req: ReportRequest, row_code: str,
                   spans: list[tuple[dt.date, dt.date]]) -> list[RowDays]:
    """The totals `drill_down` shows for each span (one month each), in one unit of work and without the labels:
    the same filter and the same sums as the drill-down page the dashboard's day tiles link to."""
    out = []
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
        ids = [s.id for s in _selected(visible, req.shop_ids, [])]
        mapping = await uow.ledger.mapping()
        for first, last in spans:
            month = f"{first:%Y-%m}"
            scope = _scope(deps, actor, code, req, row_code, month, DrillFilter(day_from=first, day_to=last))
            sums = await uow.report_data.line_sums(ids, scope.first, scope.last,
                                                   line_filter(scope.target, mapping, DrillFilter(day_from=first,
                                                                                                  day_to=last)))
            out.append(RowDays(first=scope.first, last=scope.last, amount=sum(x.amount for x in sums),
                               quantity=sum(x.quantity for x in sums), lines=sum(x.lines for x in sums)))
    return out


def _title(scope: _Scope) -> str:
    return f"{scope.target.title}: {scope.first.strftime('%d.%m.%Y')} — {scope.last.strftime('%d.%m.%Y')}"


async def export_drill(deps: ReportsDeps, actor: Actor, code: str, req: ReportRequest, row_code: str,
                       month: str | None, filt: DrillFilter, writer: LineSheetWriter) -> bytes:
    """Every line behind the row (after the filters) as xlsx, read and written in chunks; refused over
    EXPORT_MAX_LINES with a request to narrow the filter."""
    scope = _scope(deps, actor, code, req, row_code, month, filt)
    async with deps.uow() as uow:
        await require_feature(uow, actor.account_id, deps.clock.now(), FEATURE_EXPORT)  # xlsx is a tariff feature
        _, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, [])
        where = line_filter(scope.target, await uow.ledger.mapping(), filt)
        names = await _names(uow, [s.id for s in chosen], {s.id: s.name for s in chosen})
        _, count = await uow.report_data.lines([s.id for s in chosen], scope.first, scope.last, where, 0, 0)
        if count > EXPORT_MAX_LINES:
            raise ValidationError({"export": _too_many(count)}, _too_many(count))
        sheet = writer.start(_title(scope))
        for shop in chosen:  # shop by shop, so each line knows its shop
            async for chunk in uow.report_data.line_chunks([shop.id], scope.first, scope.last, where, CHUNK):
                # the writer is CPU-bound (~0.1 ms a line): in a thread, so other requests are served meanwhile
                await asyncio.to_thread(sheet.add, [names.row(x, shop.id) for x in chunk])
    return await asyncio.to_thread(sheet.finish)


def _too_many(count: int) -> str:
    return (f"Строк слишком много для одного файла ({format_count(count)}, не больше "
            f"{format_count(EXPORT_MAX_LINES)}): выберите товар, тип или даты")
