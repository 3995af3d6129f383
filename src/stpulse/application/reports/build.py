"""Any registered report for a set of shops and months, its inputs read through the ports."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from stpulse.application.reports.ports import (
    AdStatsReader,
    CatalogReader,
    CostReader,
    OpexReader,
    PayoutReader,
    ReportSpreadsheetWriter,
    ReturnOriginReader,
    RollupReader,
    TaxSettingsReader,
)
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import Period
from stpulse.domain.reports.cube import AllocationRule, ReportInputs
from stpulse.domain.reports.kinds import ALL_INPUTS, Input, ReportKind, Selection
from stpulse.domain.reports.table import Table
from stpulse.domain.reports.tax_rules import TaxRegime, UsnBase


class ReportQuery(msgspec.Struct, frozen=True, kw_only=True):
    account_id: int
    shop_ids: tuple[int, ...]  # already checked to belong to the account by the caller
    month_from: str  # "YYYY-MM"
    month_to: str
    allocation: AllocationRule = AllocationRule.REVENUE


@dataclass(frozen=True, kw_only=True)
class ReportSources:
    """The readers a report needs; wired once in bootstrap."""

    rollups: RollupReader
    catalog: CatalogReader
    costs: CostReader
    opex: OpexReader
    tax: TaxSettingsReader
    payouts: PayoutReader | None = None
    returns: ReturnOriginReader | None = None  # None: no posting data, a return is costed on its own date
    ads: AdStatsReader | None = None  # None: no ad statistics (the «Реклама» report is empty)


async def load_inputs(query: ReportQuery, src: ReportSources, wanted: frozenset[Input] = ALL_INPUTS) -> ReportInputs:
    """The period's rollups, and of the rest only what the report reads (`ReportKind.inputs`)."""
    if not query.shop_ids:
        raise ValidationError({"shop_ids": "Выберите хотя бы один магазин"})
    period = Period.parse(query.month_from, query.month_to)
    shops = tuple(sorted(set(query.shop_ids)))
    tax = dict(await src.tax.tax_settings(shops)) if Input.TAX in wanted else {}
    wants_payouts = any(s.regime is TaxRegime.USN_INCOME and s.usn_base is UsnBase.PAYOUTS for s in tax.values())
    payouts: dict[tuple[int, int], int] = {}
    if wants_payouts and src.payouts is not None:
        known = await src.payouts.monthly_payouts(shops, period)
        payouts = {(s, m): known.get((s, m), 0) for s in shops for m in period.months}  # no payout = 0
    origins = None
    if Input.COSTS in wanted and src.returns is not None:
        origins = await src.returns.return_origins(shops, period.first_day, period.last_day)
    return ReportInputs(
        period=period, shop_ids=shops, return_origins=origins,
        rollup=await src.rollups.read_rollup(shops, period.first_day, period.last_day),
        products=tuple(await src.catalog.products(shops)) if Input.CATALOG in wanted else (),
        costs=(await src.costs.cost_book(query.account_id)).table() if Input.COSTS in wanted else None,
        opex=tuple(await src.opex.opex(shops, period)) if Input.OPEX in wanted else (), tax=tax, payouts=payouts,
        ads=await src.ads.ad_stats(shops, period.first_day, period.last_day)
        if Input.ADS in wanted and src.ads is not None else None,
    )


async def build_table(kind: ReportKind, query: ReportQuery, src: ReportSources) -> Table:
    """Any registered report: its inputs through the ports, its pure build function, its entry's rules."""
    return kind.render(await load_inputs(query, src, kind.inputs), Selection(allocation=query.allocation))


async def export_report(table: Table, writer: ReportSpreadsheetWriter) -> bytes:
    """The same table as an xlsx file: the writer renders exactly the numbers of the page."""
    return writer.write_table(table)
