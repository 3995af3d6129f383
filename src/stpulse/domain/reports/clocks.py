"""Two clocks on ОПиУ: beside the confirmed P&L by accrual date, the operational one by order date (estimated).

The rows are appended to ОПиУ's table in a section of their own («clock:…» rows), so the page, the JSON, the CLI
and the xlsx all carry them. The confirmed figures are ОПиУ's own rows «Чистая выручка» and «Чистая прибыль», copied
cell for cell. The estimate (`operational.estimate_by_orders`) replaces the money that follows the orders —
revenue, returns, commission, logistics, reverse logistics, cost of goods — and takes the rest of the month as ОПиУ
has it: advertising (Ozon's promotion charges and the ad cabinet's spend), Ozon's other charges and compensations
(storage, acquiring, fines …) and the own expenses; the tax is ОПиУ's rule applied to the estimated base. For a
closed month the deviation of the estimate from the confirmed figure is shown in roubles and percent.
"""

from __future__ import annotations

import numpy as np
from msgspec.structs import replace

from stpulse.domain.kernel.allocation import BP, div_half_up
from stpulse.domain.kernel.formatting import format_count
from stpulse.domain.kernel.period import day_number, month_first_day
from stpulse.domain.ledger.articles import ARTICLE_INDEX, ARTICLES, EXTERNAL_ADS, Section
from stpulse.domain.reports.cube import PeriodCube, ReportInputs
from stpulse.domain.reports.operational import HISTORY_MONTHS, Estimate, estimate_by_orders
from stpulse.domain.reports.table import Kind, Row, Table
from stpulse.domain.reports.tax_rules import TaxBase, estimate_tax
from stpulse.domain.reports.taxes import NO_REGIME

CONFIRMED, ESTIMATED = "по начислениям (подтверждено)", "по заказам (оценка)"
_FOLLOWS_ORDERS = {"commission", "logistics", "reverse_logistics", "promotion"}  # promotion: under «Реклама»
_OTHER_OZON = [i for i, a in enumerate(ARTICLES) if a.section is Section.OZON and a.code not in _FOLLOWS_ORDERS]
_COMPENSATIONS = [i for i, a in enumerate(ARTICLES) if a.section is Section.COMPENSATION]
_PROMOTION = ARTICLE_INDEX["promotion"]
CLOCKS_FOOTNOTE = (
    "Два расчёта прибыли. «По начислениям (подтверждено)» — ОПиУ по дате начисления Ozon, строки таблицы выше. "
    "«По заказам (оценка)» — заказы месяца по дате создания (МСК) по цене продавца без отмен, переведённые в деньги "
    f"по истории каждого SKU за {HISTORY_MONTHS} предыдущих месяца (нет истории у SKU — средняя по магазину): "
    "выручка × доля выкупа, вознаграждение по ставке SKU, логистика по средней на единицу, обратная логистика "
    "ожидаемых возвратов, себестоимость на дату заказа; реклама, прочие расходы Ozon и операционные расходы — как в "
    "ОПиУ, налог — по тому же правилу на оценочную базу. Для закрытых месяцев показано отклонение оценки от "
    "подтверждённой суммы.")
PROFIT_ROWS = frozenset({"clock:profit_confirmed", "clock:profit_estimated"})


def with_clocks(table: Table, cube: PeriodCube, inputs: ReportInputs) -> Table:
    """ОПиУ's table with the section «Два расчёта»: confirmed and estimated revenue and net profit per month."""
    est = inputs.estimate if inputs.estimate is not None else estimate_by_orders(inputs, cube.shop_ids)
    sm = cube.shop_month
    ads = sm[:, :, _PROMOTION] + sm[:, :, EXTERNAL_ADS]
    compensations = sm[:, :, _COMPENSATIONS].sum(axis=2)
    other = sm[:, :, _OTHER_OZON].sum(axis=2) + compensations
    opex = cube.opex.sum(axis=2)
    ebitda = est.revenue + est.commission + est.logistics + est.reverse + est.cogs + ads + other + opex
    tax, rules = _tax(cube, inputs, est, compensations, ebitda)
    net = ebitda + tax
    shown: list[bool] = [bool(x) for x in np.asarray(est.has_orders.any(axis=0)).tolist()]  # a month without any order stored has no estimate
    closed = _closed(cube.months, inputs.as_of) & np.array(shown, bool)
    col = lambda a: tuple(int(v) if ok else None for v, ok in zip(a.sum(axis=0), shown, strict=True))  # noqa: E731
    net_revenue, net_profit = table.row("net_revenue").values, table.row("net_profit").values
    est_revenue, est_profit = col(est.revenue), col(net)
    rows = [
        _row("clock:revenue_confirmed", f"Выручка {CONFIRMED}", net_revenue,
             note="Чистая выручка по дате начисления Ozon — строка выше", emphasis=True),
        _row("clock:revenue_estimated", f"Выручка {ESTIMATED}", est_revenue, emphasis=True,
             note=f"Чистая выручка: заказы по дате создания (МСК) по цене продавца без отмен × доля выкупа SKU за "
                  f"{HISTORY_MONTHS} предыдущих мес."),
        *_deviation("revenue", "выручки", est_revenue, net_revenue, closed),
        _row("clock:profit_confirmed", f"Прибыль {CONFIRMED}", net_profit, emphasis=True,
             note="Чистая прибыль по дате начисления Ozon — строка выше"),
        _row("clock:profit_estimated", f"Прибыль {ESTIMATED}", est_profit, emphasis=True,
             note="Чистая прибыль по дате заказа; по мере поступления начислений её сменяет подтверждённая"),
        _row("clock:orders", "Заказы без отмен, по цене продавца (оценка)", col(est.ordered), level=1,
             note=f"{format_count(int(est.units.sum()))}\u00a0шт."),
        _row("clock:est_returns", "Ожидаемые невыкупы и возвраты (−)", col(est.revenue - est.ordered), level=1,
             note=_source_note(est, "buyout", "Доля выкупа")),
        _row("clock:est_commission", "Ожидаемое вознаграждение Ozon (−)", col(est.commission), level=1,
             note=_source_note(est, "commission", "Ставка вознаграждения (вознаграждение / продажи)")),
        _row("clock:est_logistics", "Ожидаемая логистика (−)", col(est.logistics), level=1,
             note=_source_note(est, "logistics", "Логистика на доставленную единицу")),
        _row("clock:est_reverse", "Ожидаемая обратная логистика возвратов (−)", col(est.reverse), level=1,
             note=_source_note(est, "reverse", "Обратная логистика на возвращённую единицу")),
        _row("clock:est_cogs", "Себестоимость выкупаемых товаров (−)", col(est.cogs), level=1,
             note=_cogs_note(est)),
        _row("clock:ads", "Реклама — как в ОПиУ (−)", col(ads), level=1,
             note="Продвижение в начислениях Ozon и расход рекламного кабинета за месяц"),
        _row("clock:other", "Прочие расходы и компенсации Ozon — как в ОПиУ", col(other), level=1,
             note="Хранение, эквайринг, штрафы, услуги и компенсации по начислениям месяца"),
        _row("clock:opex", "Операционные расходы — как в ОПиУ (−)", col(opex), level=1),
        _row("clock:tax", "Налог на оценочную базу (−)", col(tax), level=1, note=rules),
        *_deviation("profit", "прибыли", est_profit, net_profit, closed),
    ]
    return replace(table, rows=(*table.rows, *rows))


def _closed(months: tuple[int, ...], as_of: int | None) -> np.ndarray:
    """Months whose last day is on or before `as_of` (None: every month is closed)."""
    if as_of is None:
        return np.ones(len(months), bool)
    return np.array([day_number(month_first_day(m + 1)) - 1 <= as_of for m in months], bool)


def _deviation(what: str, genitive: str, est: tuple[int | None, ...], confirmed: tuple[int | None, ...],
               closed: np.ndarray) -> list[Row]:
    """Estimate − confirmed in ₽ and in % of the confirmed figure's size, for closed months only."""
    money: list[int | None] = []
    for e, c, ok in zip(est, confirmed, closed, strict=True):
        money.append(e - c if ok and e is not None and c is not None else None)
    percent = [None if d is None or not c else div_half_up(d * BP, abs(c)) for d, c in zip(money, confirmed, strict=True)]
    done = [d for d in money if d is not None]
    base = sum(c or 0 for d, c in zip(money, confirmed, strict=True) if d is not None)
    note = "Оценка − подтверждено, по закрытым месяцам"
    return [
        Row(code=f"clock:{what}_deviation", label=f"Отклонение оценки {genitive}, ₽", kind=Kind.MONEY,
            values=tuple(money), total=sum(done) if done else None, note=note),
        Row(code=f"clock:{what}_deviation_pct", label=f"Отклонение оценки {genitive}, %", kind=Kind.PERCENT,
            values=tuple(percent), total=div_half_up(sum(done) * BP, abs(base)) if done and base else None,
            note="От подтверждённой суммы по модулю"),
    ]


def _row(code: str, label: str, values: tuple[int | None, ...], *, level: int = 0, note: str = "",
         emphasis: bool = False) -> Row:
    known = [v for v in values if v is not None]
    return Row(code=code, label=label, kind=Kind.MONEY, values=values, total=sum(known) if known else None,
               level=level, note=note, emphasis=emphasis)


def _source_note(est: Estimate, rate: str, what: str) -> str:
    sku, shop, month, none = est.sources[rate]
    text = f"{what}: по истории SKU за {HISTORY_MONTHS} предыдущих мес. — {format_count(sku)}"
    if shop:
        text += f"; средняя по магазину (у SKU нет истории) — {format_count(shop)}"
    if month:
        text += f"; средняя по магазину за сам месяц (истории нет) — {format_count(month)}"
    if none:
        text += f"; без начислений у магазина — {format_count(none)}"
    return text + " (SKU×месяц)"


def _cogs_note(est: Estimate) -> str:
    text = "По себестоимости, действующей на дату заказа, × доля выкупа"
    missing = int(est.uncosted.sum())
    return text + (f"; без себестоимости: {format_count(missing)}\u00a0шт. — не учтены" if missing else "")


def _tax(cube: PeriodCube, inputs: ReportInputs, est: Estimate, compensations: np.ndarray,
         ebitda: np.ndarray) -> tuple[np.ndarray, str]:
    """ОПиУ's tax rule per shop on the estimated base: sales = the expected revenue, income = it + compensations,
    profit = the estimated operating profit; the payouts (УСН on payouts) are the month's as ОПиУ reads them."""
    out = np.zeros(ebitda.shape, np.int64)
    described = set()
    for s, shop_id in enumerate(int(x) for x in cube.shop_ids):
        settings = inputs.tax.get(shop_id)
        described.add(settings.describe() if settings is not None else NO_REGIME)
        if settings is None:
            continue
        for m, month in enumerate(cube.months):
            if not est.has_orders[s, m]:
                continue
            revenue = int(est.revenue[s, m])
            base = TaxBase(sales=revenue, income=revenue + int(compensations[s, m]), profit=int(ebitda[s, m]),
                           payouts=inputs.payouts.get((shop_id, month)))
            out[s, m] = -estimate_tax(settings, base).amount
    return out, "; ".join(sorted(described))
