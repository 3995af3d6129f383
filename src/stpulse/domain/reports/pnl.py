"""ОПиУ (P&L): months as columns plus the total; every money row is a plain sum of signed kopecks."""

from __future__ import annotations

import numpy as np

from stpulse.domain.kernel.allocation import percent_bp
from stpulse.domain.kernel.formatting import format_count, format_rub
from stpulse.domain.kernel.period import month_label, month_text, period_label
from stpulse.domain.ledger.articles import (
    ARTICLES,
    BUYOUTS,
    EXTERNAL_ADS,
    MAPPABLE,
    NON_PNL,
    RETURNS,
    REVENUE,
    Section,
    accrual_indices,
)
from stpulse.domain.reports.clocks import with_clocks
from stpulse.domain.reports.cube import PeriodCube, ReportInputs, build_cube
from stpulse.domain.reports.kinds import DrillTarget
from stpulse.domain.reports.table import Column, Kind, Row, Table
from stpulse.domain.reports.taxes import ShopTaxes, shop_taxes

_COMPENSATIONS = [i for i, a in enumerate(ARTICLES) if a.section is Section.COMPENSATION]
_OZON = [i for i, a in enumerate(ARTICLES) if a.section is Section.OZON]


def build_pnl(inputs: ReportInputs) -> Table:
    cube = build_cube(inputs)
    table = pnl_from_cube(cube, shop_taxes(cube, inputs))
    if inputs.history is None and inputs.estimate is None:  # read without Input.ESTIMATE: no second clock
        return table
    return with_clocks(table, cube, inputs)


def pnl_from_cube(cube: PeriodCube, taxes: ShopTaxes) -> Table:
    by_month = cube.shop_month.sum(axis=0)  # [month, article]
    art = by_month.T.__getitem__  # article index → its month column
    net_revenue = art(REVENUE) + art(RETURNS) + art(BUYOUTS)
    cogs = cube.cogs_shop_month.sum(axis=0)
    gross = net_revenue + cogs
    ozon = by_month[:, _OZON].sum(axis=1)
    compensations = by_month[:, _COMPENSATIONS].sum(axis=1)
    opex = cube.opex.sum(axis=0)  # [month, opex article]
    ebitda = gross + ozon + compensations + art(EXTERNAL_ADS) + opex.sum(axis=1)
    tax = taxes.amounts.sum(axis=0)
    net = ebitda + tax
    rows = [
        _money("revenue", "Выручка", art(REVENUE)),
        _money("returns", "Возвраты (−)", art(RETURNS)),
        _money("buyouts", "Выкупы Озоном", art(BUYOUTS)),
        _money("net_revenue", "Чистая выручка", net_revenue, emphasis=True),
        _money("cogs", "Себестоимость продаж (−)", cogs),
        _money("gross_profit", "Валовая прибыль", gross, emphasis=True),
        _percent("gross_margin", "Валовая маржа, %", gross, net_revenue),
        _money("ozon_expenses", "Расходы Ozon", ozon, emphasis=True),
        *(_money(f"ozon:{ARTICLES[i].code}", ARTICLES[i].name, art(i), level=1) for i in _OZON),
        _money("compensations", "Компенсации Ozon (+)", compensations),
        _money("external_ads", "Реклама из рекламного кабинета (−)", art(EXTERNAL_ADS),
               note="Расход рекламного кабинета Ozon, не списанный через начисления"),
        _money("opex", "Операционные расходы", opex.sum(axis=1), emphasis=True),
        *(_money(f"opex:{name}", name, opex[:, j], level=1) for j, name in enumerate(cube.opex_names)),
        _money("ebitda", "Операционная прибыль (EBITDA)", ebitda, emphasis=True),
        _money("tax", "Налог (оценка)", tax, note=taxes.summary),
        _money("net_profit", "Чистая прибыль", net, emphasis=True),
        _percent("profitability", "Рентабельность, %", net, net_revenue),
        _percent("roi", "ROI, %", net, -cogs),
        _money("memo:non_pnl", "Справочно: не влияет на прибыль (взаимозачёт, обеспечительный платёж)",
               art(NON_PNL)),
        _money("memo:accruals", "Справочно: всего начислений Ozon", by_month[:, accrual_indices()].sum(axis=1)),
    ]
    return Table(
        code="pnl", title="ОПиУ", period=period_label(cube.months[0], cube.months[-1]),
        first_header="Статья", columns=tuple(Column(code=month_text(m), label=month_label(m)) for m in cube.months),
        rows=tuple(rows), warnings=uncosted_warnings(cube),
    )


def _money(code: str, label: str, values: np.ndarray, *, level: int = 0, note: str = "",
           emphasis: bool = False) -> Row:
    ints = tuple(int(v) for v in values)
    return Row(code=code, label=label, kind=Kind.MONEY, values=ints, total=sum(ints), level=level, note=note,
               emphasis=emphasis)


def _percent(code: str, label: str, num: np.ndarray, den: np.ndarray) -> Row:
    values = tuple(percent_bp(int(n), int(d)) for n, d in zip(num, den, strict=True))
    return Row(code=code, label=label, kind=Kind.PERCENT, values=values,
               total=percent_bp(int(num.sum()), int(den.sum())))


def uncosted_warnings(cube: PeriodCube) -> tuple[str, ...]:
    flagged = cube.uncosted[:, 0] > 0
    unmatched = () if not cube.returns_at_return_date else (
        f"Возвраты без найденной продажи: {format_count(cube.returns_at_return_date)}\u00a0шт. — себестоимость "
        "взята на дату возврата",)
    if not flagged.any():
        return unmatched
    sold, returned, revenue = (int(cube.uncosted[flagged, c].sum()) for c in (1, 2, 3))
    return (f"Продажи без себестоимости: {int(flagged.sum())} SKU, продано {format_count(sold)} шт., "
            f"возвращено {format_count(returned)} шт., выручка за вычетом возвратов {format_rub(revenue)} — "
            "себестоимость по ним не учтена, укажите её в разделе «Себестоимость»", *unmatched)


_ARTICLE_NAMES = {a.code: a.name for a in ARTICLES}


def pnl_drill(row_code: str) -> DrillTarget | None:
    """The accrual lines behind a P&L row, or None for rows that are not made of accruals (results, costs)."""
    if row_code == "revenue":
        return DrillTarget(title="Выручка", component="sale", sign=1)
    if row_code == "returns":
        return DrillTarget(title="Возвраты", component="sale", sign=-1)
    code = row_code.split(":", 1)[1] if row_code.startswith(("ozon:", "memo:")) else row_code
    title = _ARTICLE_NAMES.get(code, row_code)
    if code == "commission":
        return DrillTarget(title=title, component="commission")
    if code == "other":
        return DrillTarget(title=title, component="service", unmapped=True)
    if code in MAPPABLE:
        return DrillTarget(title=title, component="service", article=code)
    return None
