"""ОПиУ and Юнитка on a small shop, every figure computed by hand (amounts in kopecks).

March: SKU 1 (offer A, cost 420 ₽) sells 2 for 3 000 ₽, commission 450 ₽, logistics 120 ₽, acquiring 30 ₽;
SKU 2 (offer B, cost 100 ₽) sells 1 for 1 000 ₽, commission 150 ₽; shop-level storage 80 ₽; rent 200 ₽.
April: one SKU 1 comes back (−1 500 ₽, commission 225 ₽ given back, return logistics 50 ₽); Ozon pays a
100 ₽ compensation. Tax: УСН «доходы» 6 %.
"""

import datetime as dt

import pytest

from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.period import parse_month
from stpulse.domain.reports.cube import AllocationRule, OpexEntry, Product
from stpulse.domain.reports.pnl import build_pnl
from stpulse.domain.reports.tax_rules import TaxRegime, TaxSettings
from stpulse.domain.reports.unit_economics import build_unit_economics
from tests.unit.money._money_builders import commission, inputs, sale, service

MAR, APR = dt.date(2026, 3, 15), dt.date(2026, 4, 3)
LINES = [
    sale(MAR, 1, 300000, 2), commission(MAR, 1, -45000), service(MAR, 32, -12000, sku=1),
    service(MAR, 1, -3000, sku=1), sale(MAR, 2, 100000, 1), commission(MAR, 2, -15000), service(MAR, 46, -8000),
    sale(APR, 1, -150000, 1), commission(APR, 1, 22500), service(APR, 59, -5000, sku=1), service(APR, 10, 10000),
    sale(dt.date(2026, 5, 1), 1, 999999, 1),  # outside the period
]
INPUTS = inputs(
    {7: LINES}, "2026-03", "2026-04",
    products=(Product(shop_id=7, sku=1, offer_id="A", name="Бордюр"), Product(shop_id=7, sku=2, offer_id="B")),
    costs=(CostPrice(offer_id="A", effective_from=dt.date(2026, 1, 1), purchase=42000),
           CostPrice(offer_id="B", effective_from=dt.date(2026, 1, 1), purchase=10000)),
    opex=(OpexEntry(shop_id=7, month=parse_month("2026-03"), article="Аренда", amount=20000),),
    tax={7: TaxSettings(regime=TaxRegime.USN_INCOME)},
)


@pytest.fixture(scope="module")
def pnl():
    return build_pnl(INPUTS)


@pytest.mark.parametrize(("code", "march", "april", "total"), [
    ("revenue", 400000, 0, 400000),
    ("returns", 0, -150000, -150000),
    ("net_revenue", 400000, -150000, 250000),
    ("cogs", -94000, 42000, -52000),  # 2 × 420 + 100 ₽; the return gives 420 ₽ back
    ("gross_profit", 306000, -108000, 198000),
    ("gross_margin", 7650, None, 7920),  # basis points: 76,50 %
    ("ozon_expenses", -83000, 17500, -65500),
    ("ozon:commission", -60000, 22500, -37500),
    ("ozon:storage", -8000, 0, -8000),
    ("ozon:reverse_logistics", 0, -5000, -5000),
    ("compensations", 0, 10000, 10000),
    ("opex", -20000, 0, -20000),
    ("opex:Аренда", -20000, 0, -20000),
    ("ebitda", 203000, -80500, 122500),
    ("tax", -24000, 0, -24000),  # 6 % × 4 000 ₽; April's base is negative
    ("net_profit", 179000, -80500, 98500),
    ("profitability", 4475, None, 3940),
    ("roi", 19043, None, 18942),
    ("memo:accruals", 317000, -122500, 194500),
])
def test_pnl_rows(pnl, code, march, april, total):
    row = pnl.row(code)
    assert (row.values, row.total) == ((march, april), total)


def test_pnl_layout(pnl):
    assert [c.label for c in pnl.columns] == ["Март 2026", "Апрель 2026"]
    assert pnl.row("tax").note == "Оценка по месяцам. УСН «доходы»: 6\u00a0% от продаж за вычетом возвратов"
    assert pnl.warnings == ()


def test_unit_economics_by_revenue_share():
    t = build_unit_economics(INPUTS, AllocationRule.REVENUE)
    col = {c.code: i for i, c in enumerate(t.columns)}
    a, b, total = t.row("7:1"), t.row("7:2"), t.row("total")
    get = lambda row, name: row.values[col[name]]  # noqa: E731
    assert a.label == "A — Бордюр" and b.label == "B"
    # month by month: March weights are net revenue 3 000 ₽ and 1 000 ₽ → storage −60/−20, rent −150/−50,
    # tax −180/−60; in April no SKU has a positive net revenue, so its 100 ₽ compensation stays «не распределено»
    assert [get(a, c) for c in ("storage", "compensations", "opex", "tax")] == [-6000, 0, -15000, -18000]
    assert [get(b, c) for c in ("storage", "compensations", "opex", "tax")] == [-2000, 0, -5000, -6000]
    assert [get(a, c) for c in ("sold_units", "returned_units", "buyout_pct", "avg_price", "cost_per_unit")] == [
        2, 1, 5000, 150000, -42000]
    assert (get(a, "profit"), get(b, "profit"), get(total, "profit")) == (26500, 62000, 98500)
    assert get(t.row("unallocated"), "compensations") == 10000
    assert get(a, "commission_pct") == 1500 and get(a, "profit_per_unit") == 26500
    assert [r.code for r in t.rows] == ["7:1", "7:2", "unallocated", "total"]


def test_unit_economics_not_allocated_keeps_an_explicit_row():
    t = build_unit_economics(INPUTS, AllocationRule.NONE)
    profit = [c.code for c in t.columns].index("profit")
    assert [(r.code, r.values[profit]) for r in t.rows] == [
        ("7:1", 47500), ("7:2", 69000), ("unallocated", -18000), ("total", 98500)]  # the tax: by March revenue
    assert t.row("unallocated").label == "Не распределено"


def test_unit_economics_by_units():
    t = build_unit_economics(INPUTS, AllocationRule.UNITS)  # March's storage by March units: 2 and 1
    storage = [c.code for c in t.columns].index("storage")
    assert (t.row("7:1").values[storage], t.row("7:2").values[storage]) == (-5333, -2667)
