"""Issue 12, «Two clocks»: ОПиУ's estimate by order date on a fixed history, every figure by hand (kopecks).

Shop 7, April 2026. History of January–March (the three months before April; December and April itself are
ignored):
  SKU 1: delivered 10, returned 3, net sales 10 500 ₽, commission −1 575 ₽, logistics −120 ₽, reverse −45 ₽
         → buyout 7/10, commission rate 15 %, logistics −12 ₽ a unit, −15 ₽ a returned unit;
  SKU 3: delivered 5, net sales 2 500 ₽, commission −300 ₽, logistics −50 ₽ (no orders in April).
  Shop 7 over its SKUs: delivered 15, returned 3, sales 13 000 ₽, commission −1 875 ₽, logistics −170 ₽,
  reverse −45 ₽ → what SKU 2 and SKU 4 (no history of their own) take.
April's orders: SKU 1 3 × 1 500 ₽ on the 3rd (cost 420 ₽), 1 × 1 600 ₽ on the 20th (cost 500 ₽ from the 15th),
one cancelled, one on 31 March; SKU 2 3 units for 999,99 ₽ (cost 100 ₽); SKU 4 2 units for 1 000 ₽ (no cost).
Shop 8 has one order (1 × 200 ₽, SKU 5) and no accruals at all: buyout 100 %, zero rates.
Confirmed April of shop 7: sale 2 × 1 500 ₽, commission −450 ₽, storage −80 ₽, compensation +100 ₽, rent 200 ₽,
УСН «доходы» 6 %.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from msgspec.structs import replace

from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.grouping import group_sums
from stpulse.domain.kernel.period import day_number, parse_month
from stpulse.domain.ledger.articles import ARTICLE_INDEX
from stpulse.domain.reports.cube import OpexEntry, Product
from stpulse.domain.reports.facts import OrderFacts, SkuHistory
from stpulse.domain.reports.kinds import Input, Selection
from stpulse.domain.reports.operational import (
    cost_change_months,
    estimate_by_orders,
    mul_div,
    with_day_detail,
)
from stpulse.domain.reports.pnl import build_pnl
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.tax_rules import TaxRegime, TaxSettings
from tests.unit.money._money_builders import commission, inputs, sale, service

APR = dt.date(2026, 4, 3)
M = parse_month


def _history() -> SkuHistory:
    rows = [  # shop, sku, month, sold, returned, sales, commission, logistics, reverse
        (7, 1, M("2026-01"), 4, 1, 450000, -67500, -4800, -1500),
        (7, 1, M("2026-03"), 6, 2, 600000, -90000, -7200, -3000),
        (7, 3, M("2026-02"), 5, 0, 250000, -30000, -5000, 0),
        (7, 1, M("2025-12"), 100, 0, 9000000, -10, -10, 0),  # four months before: outside the window
        (7, 2, M("2026-04"), 50, 0, 100000, -1, -1, 0),  # April itself: outside the window
    ]
    cols = [np.array(c, np.int64) for c in zip(*rows, strict=True)]
    return SkuHistory(shop=cols[0], sku=cols[1], month=cols[2], sold=cols[3], returned=cols[4], sales=cols[5],
                      commission=cols[6], logistics=cols[7], reverse=cols[8])


def _orders() -> OrderFacts:
    d = lambda day: day_number(dt.date(2026, 4, day))  # noqa: E731
    return OrderFacts.of([
        (7, 1, d(3), False, 3, 450000), (7, 1, d(20), False, 1, 160000), (7, 1, d(5), True, 1, 150000),
        (7, 1, day_number(dt.date(2026, 3, 31)), False, 5, 750000),
        (7, 2, d(10), False, 3, 99999), (7, 4, d(12), False, 2, 100000), (8, 5, d(7), False, 1, 20000),
    ])


INPUTS = replace(inputs(
    {7: [sale(APR, 1, 300000, 2), commission(APR, 1, -45000), service(APR, 46, -8000), service(APR, 10, 10000)],
     8: []}, "2026-04", "2026-04",
    products=(Product(shop_id=7, sku=1, offer_id="A"), Product(shop_id=7, sku=2, offer_id="B"),
              Product(shop_id=7, sku=4, offer_id="D"), Product(shop_id=8, sku=5, offer_id="E")),
    costs=(CostPrice(offer_id="A", effective_from=dt.date(2026, 1, 1), purchase=42000),
           CostPrice(offer_id="A", effective_from=dt.date(2026, 4, 15), purchase=50000),
           CostPrice(offer_id="B", effective_from=dt.date(2026, 1, 1), purchase=10000)),
    opex=(OpexEntry(shop_id=7, month=M("2026-04"), article="Аренда", amount=20000),),
    tax={7: TaxSettings(regime=TaxRegime.USN_INCOME)},
), orders=_orders(), history=_history())


def test_estimate_parts_by_hand():
    est = estimate_by_orders(INPUTS, np.array([7, 8], np.int64))
    shop7 = {k: int(getattr(est, k)[0, 0]) for k in
             ("ordered", "units", "revenue", "commission", "logistics", "reverse", "cogs", "uncosted")}
    assert shop7 == {
        "ordered": 809999,  # 6 100 ₽ + 999,99 ₽ + 1 000 ₽ (the cancelled and the March order left out)
        "units": 9,
        "revenue": 586999,  # 6 100 × 7/10 = 4 270 ₽; 999,99 × 12/15 = 799,992 → 799,99 ₽; 1 000 × 12/15 = 800 ₽
        "commission": -87126,  # 4 270 × 15 % = 640,50; 799,99 × 1 875/13 000 = 115,383… → 115,38; 800 → 115,38
        "logistics": -10467,  # 4 × 12 ₽ = 48; 3 × 170/15 = 34; 2 × 170/15 = 22,666… → 22,67
        "reverse": -3000,  # returned units: 4 − round(2,8) = 1 and 3 − round(2,4) = 1, each × 45/3 = 15 ₽; SKU 4: 0
        "cogs": -147200,  # (3 × 420 + 500) × 7/10 = 1 232 ₽; 3 × 100 × 12/15 = 240 ₽; SKU 4 has no cost
        "uncosted": 2,
    }
    assert [int(getattr(est, k)[1, 0]) for k in ("revenue", "commission", "logistics", "cogs", "uncosted")] == \
        [20000, 0, 0, 0, 1]  # shop 8: no history at all → buyout 100 %, zero rates
    # SKU-months by the SKU's history, the shop's average, the shop's month itself, nothing: SKU 1; SKUs 2, 4; —; SKU 5
    assert est.sources == {r: (1, 2, 0, 1) for r in ("buyout", "commission", "logistics", "reverse")}


def test_a_shop_without_earlier_history_takes_its_month_itself():
    """Shop 8's first month: April's own accruals of the shop — delivered 4, returned 1, sales 800 ₽, commission
    −80 ₽, logistics −4 ₽, reverse −1 ₽ — price its order (1 × 200 ₽): 150 ₽ revenue, −15 ₽ commission, −1 ₽ logistics,
    no returned unit (1 × 3/4 rounds to 1 kept)."""
    h = _history()
    april = SkuHistory(**{f: np.array([v], np.int64) for f, v in zip(
        ("shop", "sku", "month", "sold", "returned", "sales", "commission", "logistics", "reverse"),
        (8, 6, M("2026-04"), 4, 1, 80000, -8000, -400, -100), strict=True)})
    est = estimate_by_orders(replace(INPUTS, history=SkuHistory.concat([h, april])), np.array([7, 8], np.int64))
    assert [int(getattr(est, k)[1, 0]) for k in ("revenue", "commission", "logistics", "reverse")] == \
        [15000, -1500, -100, 0]
    assert est.sources["buyout"] == (1, 2, 1, 0) and est.sources["reverse"] == (1, 2, 1, 0)
    assert int(est.revenue[0, 0]) == 586999  # shop 7 has earlier history: its month is not used


@pytest.fixture(scope="module")
def pnl():
    return build_pnl(INPUTS)


@pytest.mark.parametrize(("code", "april"), [
    ("clock:revenue_confirmed", 300000),
    ("clock:revenue_estimated", 606999),  # 5 869,99 ₽ + shop 8's 200 ₽
    ("clock:revenue_deviation", 306999),
    ("clock:revenue_deviation_pct", 10233),  # 3 069,99 / 3 000 = 102,33 %
    ("clock:profit_confirmed", 135000),  # 3 000 − 450 − 80 + 100 − 840 (cost) − 200 (rent) − 180 (tax)
    ("clock:orders", 829999),
    ("clock:est_returns", -223000),  # 6 069,99 − 8 299,99
    ("clock:est_commission", -87126),
    ("clock:est_logistics", -10467),
    ("clock:est_reverse", -3000),
    ("clock:est_cogs", -147200),
    ("clock:ads", 0),
    ("clock:other", 2000),  # storage −80 ₽ + compensation 100 ₽, as ОПиУ has them
    ("clock:opex", -20000),
    ("clock:tax", -35220),  # 6 % × 5 869,99 ₽ = 352,1994 → 352,20 ₽ (shop 8 has no tax regime)
    # 5 869,99 − 871,26 − 104,67 − 30 − 1 472 + 20 − 200 − 352,20 = 2 859,86 ₽; + shop 8's 200 ₽
    ("clock:profit_estimated", 305986),
    ("clock:profit_deviation", 170986),  # estimate − confirmed
    ("clock:profit_deviation_pct", 12666),  # 1 709,86 / 1 350 = 126,66 %
])
def test_clock_rows_by_hand(pnl, code, april):
    row = pnl.row(code)
    assert row.values == (april,) and row.total == april


def test_confirmed_is_pnl_net_profit_and_labels_say_which_clock(pnl):
    assert pnl.row("clock:profit_confirmed").values == pnl.row("net_profit").values
    assert pnl.row("clock:revenue_confirmed").values == pnl.row("net_revenue").values
    assert pnl.row("clock:profit_confirmed").label == "Прибыль по начислениям (подтверждено)"
    assert pnl.row("clock:profit_estimated").label == "Прибыль по заказам (оценка)"
    assert pnl.row("clock:revenue_estimated").label == "Выручка по заказам (оценка)"
    assert "средняя по магазину" in pnl.row("clock:est_commission").note
    assert "без себестоимости: 3" in pnl.row("clock:est_cogs").note  # SKU 4's 2 units and shop 8's 1


def test_open_month_has_no_deviation_and_no_orders_no_estimate():
    open_month = build_pnl(replace(INPUTS, as_of=day_number(dt.date(2026, 4, 29))))
    assert open_month.row("clock:profit_estimated").values == (305986,)
    assert open_month.row("clock:profit_deviation").values == (None,)
    assert open_month.row("clock:profit_deviation").total is None
    none = build_pnl(replace(INPUTS, orders=OrderFacts.of([])))
    assert none.row("clock:profit_estimated").values == (None,)
    assert none.row("clock:profit_confirmed").values == (135000,)


def test_without_the_estimate_input_pnl_is_unchanged():
    plain = build_pnl(replace(INPUTS, history=None))
    assert not any(r.code.startswith("clock:") for r in plain.rows)
    assert [r for r in build_pnl(INPUTS).rows if not r.code.startswith("clock:")] == list(plain.rows)


def test_registry_entry_reads_the_estimate_and_marks_estimated_losses():
    kind = report_kind("pnl")
    assert Input.ESTIMATE in kind.inputs
    assert "«По заказам (оценка)»" in kind.footnote
    loss = kind.render(replace(INPUTS, orders=OrderFacts.of([(7, 1, day_number(APR), False, 1, 1)])),
                       Selection())
    assert loss.row("clock:profit_estimated").marks


def test_mul_div_half_up_and_beyond_int64():
    assert mul_div(np.array([5, -5, 7]), np.array([1, 1, 1]), np.array([2, 2, 2])).tolist() == [3, -3, 4]
    big = 10**12
    assert mul_div(np.array([big]), np.array([big]), np.array([3 * 10**12])).tolist() == [333333333333]
    # only the elements whose product leaves int64 go exact; their neighbours stay in numpy, each one right
    assert mul_div(np.array([-5, big, 7, -big]), np.array([1, big, 3, big]),
                   np.array([2, 3 * 10**12, 2, 7 * 10**6])).tolist() == [-3, 333333333333, 11, -142857142857142857]


def test_history_of_rollup_rows():
    rev, ret, com = ARTICLE_INDEX["revenue"], ARTICLE_INDEX["returns"], ARTICLE_INDEX["commission"]
    jan = day_number(dt.date(2026, 1, 1))
    rows = np.array([[jan, 11, rev, 300000, 2], [jan, 11, ret, -150000, 1], [jan, 11, com, -40000, 0],
                     [jan, 0, ARTICLE_INDEX["storage"], -500, 0]], np.int64)
    h = SkuHistory.of_rollup(3, rows)
    assert (h.shop.tolist(), h.sku.tolist(), h.month.tolist()) == ([3], [11], [M("2026-01")])
    assert (h.sold.tolist(), h.returned.tolist(), h.sales.tolist(), h.commission.tolist()) == \
        ([2], [1], [150000], [-40000])


def test_orders_read_by_month_with_days_only_where_the_cost_changes_give_the_same_estimate():
    """The use case reads orders by month (dated on the 1st) and, for a SKU whose cost changes inside a month, that
    month by day: offer A changes on 15 April, so SKU 1's April is by day and the estimate equals the by-day one."""
    assert cost_change_months(INPUTS) == {M("2026-04"): frozenset({(7 << 40) | 1})}
    daily = _orders()
    first = day_number(dt.date(2026, 4, 1))
    in_april = (daily.day >= first) & (daily.day <= day_number(dt.date(2026, 4, 30)))
    rows: dict[tuple[int, int, bool], list[int]] = {}
    for s, k, c, q, a in zip(*(getattr(daily, n)[in_april].tolist() for n in
                               ("shop", "sku", "cancelled", "quantity", "amount")), strict=True):
        rows.setdefault((s, k, c), [0, 0])
        rows[(s, k, c)][0] += q
        rows[(s, k, c)][1] += a
    monthly = OrderFacts.of([(s, k, first, c, q, a) for (s, k, c), (q, a) in rows.items()])
    merged = with_day_detail(monthly, daily, M("2026-04"), frozenset({(7 << 40) | 1}))
    by_day, by_month = (estimate_by_orders(replace(INPUTS, orders=o), np.array([7, 8], np.int64))
                        for o in (daily, merged))
    assert int(by_month.cogs[0, 0]) == int(by_day.cogs[0, 0]) == -147200
    assert all((getattr(by_day, f) == getattr(by_month, f)).all() for f in ("revenue", "commission", "units"))
    # without the day detail SKU 1's 4 units would all take the cost of 1 April (420 ₽): a different figure
    flat = estimate_by_orders(replace(INPUTS, orders=monthly), np.array([7, 8], np.int64))
    assert int(flat.cogs[0, 0]) == -(4 * 42000 * 7 // 10 + 24000)


def test_xlsx_and_json_carry_the_two_clocks_with_their_labels():
    import io

    import msgspec
    import openpyxl

    from stpulse.adapters.xlsx.reports import XlsxReportWriter

    table = report_kind("pnl").render(replace(INPUTS, as_of=day_number(dt.date(2026, 4, 29))), Selection())
    ws = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(table))).active
    rows = {r[0].value: [c.value for c in r[1:]] for r in ws.iter_rows() if r[0].value}
    assert Decimal(str(rows["Прибыль по заказам (оценка)"][0])) == Decimal("3059.86")
    assert Decimal(str(rows["Прибыль по начислениям (подтверждено)"][0])) == Decimal("1350")
    assert rows["Отклонение оценки прибыли, ₽"][0] in (None, "—")  # April is open on the 29th
    as_json = {r["code"]: r for r in msgspec.to_builtins(table)["rows"]}
    assert list(as_json["clock:profit_estimated"]["values"]) == [305986]


def test_group_sums_exact_per_key_in_any_order():
    big = 1 << 60  # sums near int64's top stay exact (no float on the way)
    keys, sums = group_sums(np.array([7, 3, 7, 3, 5]), np.array([[1, big], [2, 1], [3, big - 1], [4, 0], [5, -5]]))
    assert keys.tolist() == [3, 5, 7] and sums.tolist() == [[6, 1], [5, -5], [4, 2 * big - 1]]
    keys, sums = group_sums(np.zeros(0, np.int64), np.zeros((0, 3), np.int64))
    assert keys.shape == (0,) and sums.shape == (0, 3)
