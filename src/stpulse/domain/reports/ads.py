"""«Реклама»: per campaign and SKU over the period — spend, views, clicks, CTR, CPC, orders and revenue from ads,
ДРР (spend / ad revenue), total ДРР (spend / all revenue of the SKU), CPO, ROAS — and what no peer shows:
the break-even ДРР (the SKU's margin before ads, from the same cube as Юнитка) and the ads profit
(ad revenue × that margin − spend). A ДРР above break-even is red, with the amount lost.
"""

from __future__ import annotations

import numpy as np

from stpulse.domain.kernel.allocation import BP, div_half_up, percent_bp
from stpulse.domain.kernel.formatting import format_percent, format_rub
from stpulse.domain.kernel.period import day_number, period_label
from stpulse.domain.ledger.ad_stats import AdStatsTable
from stpulse.domain.reports.cube import AllocationRule, ReportInputs, build_cube
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table
from stpulse.domain.reports.taxes import shop_taxes
from stpulse.domain.reports.unit_economics import allocate
from stpulse.domain.reports.unit_metrics import Money, metrics

M, P, C = Kind.MONEY, Kind.PERCENT, Kind.COUNT
COLUMNS = (
    Column(code="spend", label="Расход", kind=M), Column(code="views", label="Показы", kind=C),
    Column(code="clicks", label="Клики", kind=C), Column(code="ctr", label="CTR", kind=P),
    Column(code="cpc", label="CPC", kind=M), Column(code="orders", label="Заказы с рекламы", kind=C),
    Column(code="ad_revenue", label="Выручка с рекламы", kind=M), Column(code="drr", label="ДРР", kind=P),
    Column(code="total_drr", label="Общий ДРР", kind=P), Column(code="cpo", label="CPO", kind=M),
    Column(code="roas", label="ROAS", kind=P), Column(code="break_even_drr", label="Безубыточный ДРР", kind=P),
    Column(code="ads_profit", label="Прибыль от рекламы", kind=M), Column(code="lost", label="Потеряно", kind=M),
)
_DRR = 7  # index of «ДРР» in COLUMNS


def margin_before_ads(profit: int, advertising: int, revenue: int) -> int | None:
    """The SKU's margin before ads in basis points: (profit − advertising) / revenue (advertising ≤ 0)."""
    return percent_bp(profit - advertising, revenue)


def ads_profit(ad_revenue: int, spend: int, margin_bp: int | None) -> int | None:
    """Ad revenue × the margin before ads − spend, in kopecks (half-up once)."""
    if margin_bp is None:
        return None
    return (div_half_up(ad_revenue * margin_bp, BP) or 0) - spend


def ad_row_values(spend: int, views: int, clicks: int, orders: int, revenue: int, sku_revenue: int | None,
                  margin_bp: int | None) -> tuple[int | None, ...]:
    profit = ads_profit(revenue, spend, margin_bp)
    return (spend, views, clicks, percent_bp(clicks, views), div_half_up(spend, clicks) if clicks else None, orders,
            revenue, percent_bp(spend, revenue), percent_bp(spend, sku_revenue) if sku_revenue else None,
            div_half_up(spend, orders) if orders else None, percent_bp(revenue, spend), margin_bp, profit,
            -profit if profit is not None and profit < 0 else 0 if profit is not None else None)


def _sku_figures(inputs: ReportInputs) -> dict[tuple[int, int], tuple[int, int | None]]:
    """(shop key, SKU) → (all revenue of the SKU, margin before ads in bp) as Юнитка counts them (by revenue)."""
    cube = build_cube(inputs)
    alloc = allocate(cube, shop_taxes(cube, inputs), AllocationRule.REVENUE)
    n = len(alloc.skus) + 1
    units, cogs = np.zeros((n, 3), np.int64), np.zeros(n, np.int64)
    units[:-1], cogs[:-1] = cube.units[alloc.skus], cube.cogs_sku[alloc.skus]
    figures = metrics(Money(articles=alloc.articles, units=units, cogs=cogs, opex=alloc.opex, tax=alloc.tax))
    revenue, profit, ads = (figures[k][0].tolist() for k in ("revenue", "profit", "advertising"))
    shops = cube.shop_ids[cube.sku_shop[alloc.skus]].tolist()
    return {(shop, sku): (revenue[i], margin_before_ads(profit[i], ads[i], revenue[i]))
            for i, (shop, sku) in enumerate(zip(shops, cube.skus[alloc.skus].tolist(), strict=True))}


def _grouped(ads: AdStatsTable, first: int, last: int) -> list[tuple[int, int, int, list[int]]]:
    keep = (ads.day >= first) & (ads.day <= last)
    keys = np.stack([ads.shop[keep], ads.campaign[keep], ads.sku[keep]], axis=1)
    if not len(keys):
        return []
    values = np.stack([getattr(ads, c)[keep] for c in ("spend", "views", "clicks", "orders", "revenue")], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    sums = np.zeros((len(unique), 5), np.int64)
    np.add.at(sums, inverse.reshape(-1), values)
    return [(int(k[0]), int(k[1]), int(k[2]), s) for k, s in zip(unique.tolist(), sums.tolist(), strict=True)]


def build_ads(inputs: ReportInputs) -> Table:
    ads = inputs.ads if inputs.ads is not None else AdStatsTable.empty()
    period = inputs.period
    groups = _grouped(ads, day_number(period.first_day), day_number(period.last_day))
    skus = _sku_figures(inputs) if groups else {}
    labels = {(p.shop_id, p.sku): p.offer_id for p in inputs.products}
    rows, total = [], np.zeros(5, np.int64)
    for shop, campaign, sku, (spend, views, clicks, orders, revenue) in groups:
        sku_revenue, margin = skus.get((shop, sku), (None, None)) if sku else (None, None)
        values = ad_row_values(spend, views, clicks, orders, revenue, sku_revenue, margin)
        rows.append(_row(shop, campaign, sku, values, ads.titles.get(campaign, f"Кампания {campaign}"),
                         labels.get((shop, sku))))
        total += (spend, views, clicks, orders, revenue)
    rows.sort(key=lambda r: (r.values[-2] is None, r.values[-2] or 0))  # the worst ads profit first
    spend, views, clicks, orders, revenue = (int(v) for v in total)
    all_revenue = sum(r for r, _ in skus.values())
    summary = ad_row_values(spend, views, clicks, orders, revenue, all_revenue or None, None)
    rows.append(Row(code="total", label="Итого", kind=M, values=summary[:-3] + (None, _sum(rows, -2), _sum(rows, -1)),
                    emphasis=True))
    return Table(code="ads", title="Реклама", period=period_label(period.first_month, period.last_month),
                 first_header="Кампания · товар", columns=COLUMNS, rows=tuple(rows), total_label=None,
                 warnings=() if groups else ("Нет статистики рекламы за период: добавьте ключ Performance API "
                                             "на странице магазина.",))


def _sum(rows: list[Row], column: int) -> int:
    return sum(v for r in rows if (v := r.values[column]) is not None)


def _row(shop: int, campaign: int, sku: int, values: tuple[int | None, ...], title: str, offer: str | None) -> Row:
    drr, break_even, lost = values[_DRR], values[-3], values[-1]
    above = drr is not None and break_even is not None and drr > break_even
    marks = tuple(Highlight.LOSS if above and j in (_DRR, len(values) - 1) else None for j in range(len(values)))
    note = (f"ДРР выше безубыточного ({format_percent(break_even)}): потеряно {format_rub(lost or 0)}"
            if above and break_even is not None else "" if sku else "Без товара (баннер)")
    what = f"{offer or f'SKU {sku}'}" if sku else "—"
    return Row(code=f"{shop}:{campaign}:{sku}", label=f"{title} · {what}", kind=M, values=values, note=note,
               marks=marks if above else ())
