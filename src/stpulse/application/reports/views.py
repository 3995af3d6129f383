"""Report use cases for the cabinet, the JSON API and the CLI, generic over the report registry: any registered
report for the chosen shops and months, the shops one may pick."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import only_visible, sees_every_shop
from stpulse.application.billing.policy import (
    OPERATOR,
    Entitlement,
    FeatureNotInTariff,
    check_skus,
    entitlement,
    history_refusal,
    history_start,
    tariff_with,
)
from stpulse.application.reports.build import ReportQuery, ReportSources, build_table
from stpulse.application.reports.cache import SHOWN, heavy_reads, table_key
from stpulse.application.reports.cash_sources import UowCashSource
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.facts_sources import UowFactSources
from stpulse.application.reports.keys import data_fingerprint, models_fingerprint, stock_stamp
from stpulse.application.reports.settlement_source import PreloadedSettlement, Settled, read_settled
from stpulse.application.reports.sources import ShopKeys, UowReportSources
from stpulse.domain.accounts.users import Permission
from stpulse.domain.billing import Tariff
from stpulse.domain.billing.tariffs import FEATURE_EXPORT
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import (
    Period,
    day_number,
    month_text,
    nearest_period,
    parse_month,
    period_label,
)
from stpulse.domain.ledger.shops import Shop, data_age
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.kinds import Input, ReportKind, RollupGrain, Selection
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.table import Table


class ReportRequest(msgspec.Struct, frozen=True, kw_only=True):
    shop_ids: tuple[uuid.UUID, ...] = ()  # empty: every shop the user sees
    month_from: str
    month_to: str
    allocation: AllocationRule = AllocationRule.REVENUE
    metrics: tuple[str, ...] = ()  # «Показатели» to show; empty: the user's remembered choice, else the default
    options: tuple[tuple[str, str], ...] = ()  # the report's own options (code, value) beyond the allocation
    model: str = ""  # a SKU report: only this model's SKUs
    by_model: bool = False  # a SKU report: grouped by model with subtotals
    remember: bool = False  # the user chose the «Показатели» now: keep them for this report
    thresholds: tuple[tuple[str, int], ...] = ()  # set by `build_report` from the account's settings

    def selection(self) -> Selection:
        return Selection(allocation=self.allocation, metrics=self.metrics, options=self.options, model=self.model,
                         by_model=self.by_model, thresholds=self.thresholds)

    def option(self, code: str) -> str:
        """The value of a report option by its query parameter (the registry's `Option.code`)."""
        return {"alloc": self.allocation.value, **dict(self.options)}.get(code, "")


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    table: Table | None  # None when the account has no shop yet
    shops: tuple[Shop, ...]  # every shop the user may pick
    selected: tuple[uuid.UUID, ...]
    period: Period
    no_entity: tuple[Shop, ...] = ()  # chosen shops not linked to a legal entity: their tax is not estimated
    notices: tuple[str, ...] = ()  # what was wrong with the request and what is shown instead
    recon_gap: int | None = None  # «Сверено с Ozon»: Σ unexplained over the shops and months; None: nothing imported
    models: tuple[str, ...] = ()  # asked with `models`: the account's model names, sorted (a SKU report's picker)


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
                       lenient: bool = False, export: bool = False, operator: bool = False,
                       entitled: Entitlement | None = None, models: bool = False) -> ReportView:
    """Any registered report; finished tables are cached by code, selection and the data's fingerprint.

    `lenient` (the cabinet): a bad period or a shop from a link the user cannot see is corrected and noted.
    The tariff bounds the history (a period before it is moved into it on a page, refused by the API), the SKUs
    of a per-SKU report and, with `export`, the xlsx file; `operator` (the server's CLI) is not bounded.
    `entitled`: the account's entitlement as this very request's authentication read it (not read again).
    `models`: a per-SKU report's page also gets the account's model names (its picker), read in the same
    transaction: a cached page is one unit of work here."""
    actor.membership.require(Permission.VIEW)
    kind = report_kind(code)
    notices: list[str] | None = [] if lenient else None
    now = deps.clock.now()
    async with deps.uow() as uow:  # one unit of work: the tariff (read once), the settings, the shops, the table
        await uow.report_data.snapshot()  # the fingerprint and the rows behind it are read from one snapshot
        tariff = OPERATOR if operator else (entitled or await entitlement(uow, actor.account_id, now)).tariff
        for feature in ((FEATURE_EXPORT,) if export else ()) + ((kind.feature,) if kind.feature else ()):
            tariff_with(tariff, feature)
        period = _within_history(resolve_period(deps, req, notices), tariff, now, notices)
        req = msgspec.structs.replace(req, month_from=month_text(period.first_month),
                                      month_to=month_text(period.last_month))
        req = await _settings(uow, actor, kind, req)
        names = (tuple(sorted(set((await uow.report_settings.models(actor.account_id)).values())))
                 if models and kind.sku_rows else ())
        everything, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids, notices)
        if chosen:
            keys = ShopKeys.of(chosen)
            fingerprint = await data_fingerprint(uow, actor, kind, period, keys)
            settled = await read_settled(uow.settlement, {s.id: keys.key(s.id) for s in keys.shops}, period)
            table = await _finished_table(deps, uow, actor, kind, req, period, keys, everything, tariff, settled,
                                          fingerprint)
    if kind.metrics and req.remember and req.metrics:  # «Показатели» chosen now: kept once the report was allowed
        async with deps.uow() as uow:
            await uow.report_settings.save_metric_choice(actor.user.id, actor.account_id, kind.code, req.metrics)
            await uow.commit()
    if not chosen:
        return ReportView(table=None, shops=(), selected=(), period=period, notices=tuple(notices or ()), models=names)
    table = msgspec.structs.replace(table, data_as_of=data_age(chosen))
    return ReportView(table=SHOWN.shown(kind, table, req.selection()), shops=tuple(visible),
                      selected=tuple(s.id for s in chosen), period=period,
                      no_entity=tuple(s for s in chosen if s.legal_entity_id is None and Input.TAX in kind.inputs),
                      notices=tuple(notices or ()), recon_gap=settled.gap(period.months), models=names)


async def build_reports(deps: ReportsDeps, actor: Actor, wanted: list[tuple[str, ReportRequest]]) -> list[ReportView]:
    """Several reports for one member, each as `build_report` gives it (not lenient, no export), with the tariff, the
    shops and one snapshot read once for all of them: a page made of several tables (the dashboard) pays the
    per-request reads once."""
    actor.membership.require(Permission.VIEW)
    now = deps.clock.now()
    out = []
    async with deps.uow() as uow:
        await uow.report_data.snapshot()
        tariff = (await entitlement(uow, actor.account_id, now)).tariff
        everything, visible = await _shops(uow, actor)
        for code, req in wanted:
            kind = report_kind(code)
            period = _within_history(resolve_period(deps, req), tariff, now, None)
            req = msgspec.structs.replace(req, month_from=month_text(period.first_month),
                                          month_to=month_text(period.last_month))
            chosen = _selected(visible, req.shop_ids)
            if not chosen:
                out.append(ReportView(table=None, shops=(), selected=(), period=period))
                continue
            keys = ShopKeys.of(chosen)
            fingerprint = await data_fingerprint(uow, actor, kind, period, keys)
            settled = await read_settled(uow.settlement, {s.id: keys.key(s.id) for s in keys.shops}, period)
            table = await _finished_table(deps, uow, actor, kind, req, period, keys, everything, tariff, settled,
                                          fingerprint)
            table = msgspec.structs.replace(table, data_as_of=data_age(chosen))
            out.append(ReportView(table=SHOWN.shown(kind, table, req.selection()), shops=tuple(visible),
                                  selected=tuple(s.id for s in chosen), period=period,
                                  no_entity=tuple(s for s in chosen if s.legal_entity_id is None
                                                  and Input.TAX in kind.inputs),
                                  recon_gap=settled.gap(period.months)))
    return out


async def _finished_table(deps: ReportsDeps, uow: Any, actor: Actor, kind: ReportKind, req: ReportRequest,
                          period: Period, keys: ShopKeys, everything: list[Shop], tariff: Tariff | None,
                          settled: Settled, fingerprint: str | None) -> Table:
    estimated = fingerprint  # what the estimate reads (the money and postings; settled months, cash … are the table's)
    if fingerprint is not None and kind.inputs & {Input.SETTLEMENT, Input.TAX}:  # the tax base reads them too
        fingerprint = f"{fingerprint}|settled:{settled.digest()}"
    skus = tariff.limits.max_skus if tariff is not None else 0  # a tariff change re-checks the SKU limit
    as_of = (day_number(as_moscow(deps.clock.now()).date()) - 1  # yesterday: План's forecast, ОПиУ's closed months
             if kind.inputs & {Input.PLAN, Input.ESTIMATE} else None)
    cash = UowCashSource(uow, actor.account_id, keys, sees_every_shop(actor)) if Input.CASH in kind.inputs else None
    if fingerprint is not None and cash is not None:
        fingerprint += "|" + await cash.digest(period)
    selection = req.selection()
    if fingerprint is not None:
        fingerprint += await models_fingerprint(uow, actor, selection)
    months = (period.first_month, period.last_month)
    estimate_key = None if estimated is None or Input.ESTIMATE not in kind.inputs else table_key(
        "estimate", actor.account_id, keys.shops, everything, months, "", estimated)
    key = None if fingerprint is None else table_key(
        kind.code, actor.account_id, keys.shops, everything, months,
        selection.key(), f"{fingerprint}|skus:{skus}|as_of:{as_of}{await stock_stamp(uow, actor, kind, keys)}")
    table = await deps.report_cache.get(key) if key is not None else None
    if table is not None:
        return table
    async with heavy_reads():  # a burst computes a few tables at a time; the rest find them in the cache
        table = deps.report_cache.peek(key) if key is not None else None
        if table is None:
            src = await UowReportSources(uow, actor.account_id, keys, everything, kind.grain).prepare()
            if kind.grain is RollupGrain.BY_SKU:
                check_skus(tariff, len(src.catalog))
            preloaded = PreloadedSettlement(settled)
            sources = ReportSources(rollups=src, catalog=src, costs=src, opex=src, tax=src, returns=src, plan=src,
                                    buyouts=src, payouts=preloaded, settlement=preloaded, cash=cash,
                                    facts=UowFactSources(uow, actor.account_id, keys), stock=src, ads=src)
            query = ReportQuery(account_id=0, shop_ids=keys.keys, month_from=req.month_from,
                                month_to=req.month_to, allocation=req.allocation, as_of=as_of,
                                estimate_key=estimate_key)
            table = await build_table(kind, query, sources, selection)
            if key is not None:
                await deps.report_cache.put(key, table, behind=True)
    return table


async def _settings(uow: Any, actor: Actor, kind: ReportKind, req: ReportRequest) -> ReportRequest:
    """The user's «Показатели» for the report (as chosen now, else as remembered) and the account's highlight
    thresholds."""
    settings = uow.report_settings
    metrics = req.metrics
    if kind.metrics and not metrics and not req.remember:
        metrics = await settings.metric_choice(actor.user.id, actor.account_id, kind.code) or ()
    codes = {r.code for r in kind.highlights if r.code}
    thresholds = ({k: v for k, v in (await settings.thresholds(actor.account_id)).items() if k in codes}
                  if codes else {})
    return msgspec.structs.replace(req, metrics=metrics, thresholds=tuple(sorted(thresholds.items())))


def _within_history(period: Period, tariff: Tariff | None, now: dt.datetime, notices: list[str] | None) -> Period:
    """The tariff's history depth: a page shows the part of the period within it (with a note), the API refuses."""
    earliest = history_start(tariff, now)
    if period.first_month >= earliest:
        return period
    if notices is None:
        raise FeatureNotInTariff(history_refusal(tariff))
    shown = Period(first_month=earliest, last_month=max(period.last_month, earliest))
    notices.append(f"{history_refusal(tariff)} Показан период {period_label(shown.first_month, shown.last_month)}.")
    return shown

