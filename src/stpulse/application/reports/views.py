"""Report use cases for the cabinet, the JSON API and the CLI, generic over the report registry: any registered
report for the chosen shops and months, the drill-down to the accruals behind a row, the shops one may pick."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import only_visible
from stpulse.application.reports.build import ReportQuery, ReportSources, build_table
from stpulse.application.reports.cache import TABLES
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.ports import LineFilter
from stpulse.application.reports.sources import ShopKeys, UowReportSources
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import Period, month_first_day, month_text, nearest_period, parse_month
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.shops import Shop, data_age
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.kinds import DrillTarget, ReportKind, Selection
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.table import Table

PAGE_SIZE = 50


class ReportRequest(msgspec.Struct, frozen=True, kw_only=True):
    shop_ids: tuple[uuid.UUID, ...] = ()  # empty: every shop the user sees
    month_from: str
    month_to: str
    allocation: AllocationRule = AllocationRule.REVENUE
    metrics: tuple[str, ...] = ()  # «Показатели» to show; empty: the report's default set

    def selection(self) -> Selection:
        return Selection(allocation=self.allocation, metrics=self.metrics)

    def option(self, code: str) -> str:
        """The value of a report option by its query parameter (the registry's `Option.code`)."""
        return {"alloc": self.allocation.value}.get(code, "")


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    table: Table | None  # None when the account has no shop yet
    shops: tuple[Shop, ...]  # every shop the user may pick
    selected: tuple[uuid.UUID, ...]
    period: Period
    no_entity: tuple[Shop, ...] = ()  # chosen shops not linked to a legal entity: their tax is not estimated
    notices: tuple[str, ...] = ()  # what was wrong with the request and what is shown instead


class DrillPage(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    lines: tuple[AccrualLine, ...]
    total: int
    page: int
    pages: int
    shop_names: dict[str, str]  # str(shop_id) → name (lines carry no shop)


def default_period(deps: ReportsDeps, months: int = 12) -> tuple[str, str]:
    now = as_moscow(deps.clock.now())
    last = (now.year - 1970) * 12 + now.month - 1
    return month_text(last - months + 1), month_text(last)


async def _shops(uow: Any, actor: Actor) -> tuple[list[Shop], list[Shop]]:
    """(every shop of the account, the shops this member may see)."""
    everything = await uow.shops.for_account(actor.account_id)
    return everything, only_visible(actor, everything)


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


def resolve_period(deps: ReportsDeps, req: ReportRequest, notices: list[str] | None = None) -> Period:
    """The period of the request; with `notices`, a bad one becomes the nearest valid one with a note."""
    if notices is None:
        return Period.parse(req.month_from, req.month_to)
    default = tuple(parse_month(m) for m in default_period(deps))
    period, note = nearest_period(req.month_from, req.month_to, (default[0], default[1]))
    notices.extend([note] if note else [])
    return period


async def list_shops(deps: ReportsDeps, actor: Actor) -> tuple[Shop, ...]:
    """The shops this member may pick in a report (no report is computed)."""
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
    return tuple(visible)


async def build_report(deps: ReportsDeps, actor: Actor, code: str, req: ReportRequest, *,
                       lenient: bool = False) -> ReportView:
    """Any registered report; finished tables are cached by code, selection and the data's fingerprint.

    `lenient` (the cabinet): a bad period or a shop from a link the user cannot see is corrected and noted."""
    actor.membership.require(Permission.VIEW)
    kind = report_kind(code)
    notices: list[str] | None = [] if lenient else None
    period = resolve_period(deps, req, notices)
    req = msgspec.structs.replace(req, month_from=month_text(period.first_month), month_to=month_text(period.last_month))
    async with deps.uow() as uow:
        await uow.report_data.snapshot()  # the fingerprint and the rows behind it are read from one snapshot
        everything, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, notices)
        if not chosen:
            return ReportView(table=None, shops=(), selected=(), period=period, notices=tuple(notices or ()))
        table = await _finished_table(uow, actor, kind, req, period, ShopKeys.of(chosen), everything)
    table = msgspec.structs.replace(table, data_as_of=data_age(chosen))
    return ReportView(table=kind.shown(table, req.selection()), shops=tuple(visible),
                      selected=tuple(s.id for s in chosen), period=period,
                      no_entity=tuple(s for s in chosen if s.legal_entity_id is None), notices=tuple(notices or ()))


async def _finished_table(uow: Any, actor: Actor, kind: ReportKind, req: ReportRequest, period: Period,
                          keys: ShopKeys, everything: list[Shop]) -> Table:
    fingerprint = await uow.report_data.fingerprint(actor.account_id, [s.id for s in keys.shops],
                                                    period.first_day, period.last_day)
    key = None if fingerprint is None else (
        kind.code, actor.account_id, tuple((s.id, s.legal_entity_id) for s in keys.shops),
        tuple(sorted(s.id for s in everything)), period.first_month, period.last_month, req.allocation, fingerprint)
    table = TABLES.get(key) if key is not None else None
    if table is None:
        src = await UowReportSources(uow, actor.account_id, keys, everything, kind.grain).prepare()
        sources = ReportSources(rollups=src, catalog=src, costs=src, opex=src, tax=src, returns=src)
        query = ReportQuery(account_id=0, shop_ids=keys.keys, month_from=req.month_from, month_to=req.month_to,
                            allocation=req.allocation)
        table = await build_table(kind, query, sources)
        if key is not None:
            TABLES.put(key, table)
    return table


def line_filter(target: DrillTarget, mapping: LedgerMapping) -> LineFilter:
    """The accrual lines a drill target names, under the current type → article mapping."""
    if target.component == "sale":
        return LineFilter(component="sale", sign=target.sign)
    if target.component == "commission":
        return LineFilter(component="commission")
    if target.unmapped:
        return LineFilter(component="service", other_than=tuple(sorted(mapping.articles)))
    return LineFilter(component="service",
                      type_ids=tuple(sorted(t for t, a in mapping.articles.items() if a == target.article)))


async def drill_down(deps: ReportsDeps, actor: Actor, code: str, req: ReportRequest, row_code: str, month: str | None,
                     page: int) -> DrillPage:
    """The accrual lines behind a row of a registered report (the entry's `drill` names them)."""
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
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, [])
        where = line_filter(target, await uow.ledger.mapping())
        page = max(page, 1)
        lines, total = await uow.report_data.lines([s.id for s in chosen], first, last, where,
                                                   (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    title = f"{target.title}: {first.strftime('%d.%m.%Y')} — {last.strftime('%d.%m.%Y')}"
    return DrillPage(title=title, lines=tuple(lines), total=total, page=page, pages=pages,
                     shop_names={str(s.id): s.name for s in chosen})
