"""Report use cases for the cabinet, the JSON API and the CLI: ОПиУ, Юнитка and the drill-down to accruals."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from stpulse.application.deps import Actor, Deps
from stpulse.application.money_ports import LineFilter
from stpulse.application.report_cache import TABLES
from stpulse.application.report_sources import ShopKeys, UowReportSources
from stpulse.application.reports import ReportQuery, ReportSources, build_pnl, build_unit_economics
from stpulse.domain.accounts import Permission
from stpulse.domain.accruals import AccrualLine
from stpulse.domain.errors import NotFound, ValidationError
from stpulse.domain.ledger import ARTICLES, MAPPABLE, LedgerMapping
from stpulse.domain.period import Period, month_first_day, month_text, nearest_period, parse_month
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.table import Table
from stpulse.domain.shops import Shop

KINDS = ("pnl", "unit")
PAGE_SIZE = 50
MSK = dt.timezone(dt.timedelta(hours=3))


class ReportRequest(msgspec.Struct, frozen=True, kw_only=True):
    shop_ids: tuple[uuid.UUID, ...] = ()  # empty: every shop the user sees
    month_from: str
    month_to: str
    allocation: AllocationRule = AllocationRule.REVENUE


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    table: Table | None  # None when the account has no shop yet
    shops: tuple[Shop, ...]  # every shop the user may pick
    selected: tuple[uuid.UUID, ...]
    period: Period
    notices: tuple[str, ...] = ()  # what was wrong with the request and what is shown instead


class DrillPage(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    lines: tuple[AccrualLine, ...]
    total: int
    page: int
    pages: int
    shop_names: dict[str, str]  # str(shop_id) → name (lines carry no shop)


def default_period(deps: Deps, months: int = 12) -> tuple[str, str]:
    now = deps.clock.now().astimezone(MSK)
    last = (now.year - 1970) * 12 + now.month - 1
    return month_text(last - months + 1), month_text(last)


async def _shops(uow: Any, actor: Actor) -> tuple[list[Shop], list[Shop]]:
    """(every shop of the account, the shops this member may see)."""
    everything = await uow.shops.for_account(actor.account_id)
    return everything, [s for s in everything if actor.membership.sees_shop(s.id)]


def _selected(visible: list[Shop], wanted: tuple[uuid.UUID, ...], notices: list[str] | None = None) -> list[Shop]:
    """The chosen shops among those the user sees. With `notices`, shops from a link that the user cannot see
    are left out with a note (all shops when none is left), instead of refusing the page."""
    chosen = [s for s in visible if not wanted or s.id in wanted]
    if notices is not None and wanted and len(chosen) < len(set(wanted)):
        if chosen:
            notices.append("Часть магазинов из ссылки недоступна (отключены или нет доступа) — показаны остальные")
        elif visible:
            notices.append("Магазин из ссылки недоступен (отключён или нет доступа) — показаны все ваши магазины")
            chosen = list(visible)
    if not chosen and visible:
        raise ValidationError({"shops": "Выберите хотя бы один из ваших магазинов"},
                              "Выберите хотя бы один из ваших магазинов")
    return chosen


def resolve_period(deps: Deps, req: ReportRequest, notices: list[str] | None = None) -> Period:
    """The period of the request; with `notices`, a bad one becomes the nearest valid one with a note."""
    if notices is None:
        return Period.parse(req.month_from, req.month_to)
    default = tuple(parse_month(m) for m in default_period(deps))
    period, note = nearest_period(req.month_from, req.month_to, (default[0], default[1]))
    notices.extend([note] if note else [])
    return period


async def build_report(deps: Deps, actor: Actor, kind: str, req: ReportRequest, *, lenient: bool = False) -> ReportView:
    """`lenient` (the cabinet): a bad period or a shop from a link the user cannot see is corrected and noted."""
    actor.membership.require(Permission.VIEW)
    if kind not in KINDS:
        raise NotFound("Такого отчёта нет")
    notices: list[str] | None = [] if lenient else None
    period = resolve_period(deps, req, notices)
    req = msgspec.structs.replace(req, month_from=month_text(period.first_month), month_to=month_text(period.last_month))
    async with deps.uow() as uow:
        await uow.report_data.snapshot()  # the fingerprint and the rows behind it are read from one snapshot
        everything, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, notices)
        table = await _table(uow, actor, kind, req, period, chosen, everything) if chosen else None
    return ReportView(table=table, shops=tuple(visible), selected=tuple(s.id for s in chosen), period=period,
                      notices=tuple(notices or ()))


async def _table(uow: Any, actor: Actor, kind: str, req: ReportRequest, period: Period, chosen: list[Shop],
                 everything: list[Shop]) -> Table:
    keys = ShopKeys.of(chosen)
    fingerprint = await uow.report_data.fingerprint(actor.account_id, [s.id for s in keys.shops],
                                                    period.first_day, period.last_day)
    key = None if fingerprint is None else (
        kind, actor.account_id, tuple((s.id, s.legal_entity_id) for s in keys.shops),
        tuple(sorted(s.id for s in everything)), period.first_month, period.last_month, req.allocation,
        fingerprint)
    table = TABLES.get(key) if key is not None else None
    if table is None:
        src = await UowReportSources(uow, actor.account_id, keys, everything, kind).prepare()
        sources = ReportSources(rollups=src, catalog=src, costs=src, opex=src, tax=src)
        query = ReportQuery(account_id=0, shop_ids=keys.keys, month_from=req.month_from,
                            month_to=req.month_to, allocation=req.allocation)
        table = await (build_pnl(query, sources) if kind == "pnl" else build_unit_economics(query, sources))
        if key is not None:
            TABLES.put(key, table)
    return table


def line_filter(row_code: str, mapping: LedgerMapping) -> LineFilter | None:
    """The accrual lines behind a P&L row, or None for rows that are not made of accruals."""
    if row_code == "revenue":
        return LineFilter(component="sale", sign=1)
    if row_code == "returns":
        return LineFilter(component="sale", sign=-1)
    code = row_code.split(":", 1)[1] if row_code.startswith(("ozon:", "memo:")) else row_code
    if code == "commission":
        return LineFilter(component="commission")
    if code == "other":
        return LineFilter(component="service", other_than=tuple(sorted(mapping.articles)))
    if code in MAPPABLE:
        return LineFilter(component="service", type_ids=tuple(sorted(t for t, a in mapping.articles.items() if a == code)))
    return None


def drillable(row_code: str) -> bool:
    return line_filter(row_code, LedgerMapping(articles={})) is not None


def _row_title(row_code: str) -> str:
    code = row_code.split(":", 1)[-1]
    names = {a.code: a.name for a in ARTICLES}
    return names.get(code, row_code)


async def drill_down(deps: Deps, actor: Actor, req: ReportRequest, row_code: str, month: str | None,
                     page: int) -> DrillPage:
    actor.membership.require(Permission.VIEW)
    period = resolve_period(deps, req, [])
    first, last = period.first_day, period.last_day
    if month:
        m = parse_month(month)
        first, last = month_first_day(m), month_first_day(m + 1) - dt.timedelta(days=1)
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, [])
        where = line_filter(row_code, await uow.ledger.mapping())
        if where is None:
            raise NotFound("По этой строке нет начислений Ozon для расшифровки")
        page = max(page, 1)
        lines, total = await uow.report_data.lines([s.id for s in chosen], first, last, where,
                                                   (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    title = f"{_row_title(row_code)}: {first.strftime('%d.%m.%Y')} — {last.strftime('%d.%m.%Y')}"
    return DrillPage(title=title, lines=tuple(lines), total=total, page=page, pages=pages,
                     shop_names={str(s.id): s.name for s in chosen})
