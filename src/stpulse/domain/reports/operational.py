"""The operational P&L by order date (estimated): ОПиУ's second clock, per shop and month.

The orders of a month — posting lines by the Moscow day their posting was created, at the seller's price, without
the cancelled ones — are turned into the money they are expected to bring, SKU by SKU, from the SKU's own accruals
of the `HISTORY_MONTHS` months before that month (so a closed month's estimate is the one that could have been made
when it began):

* buyout rate b = (delivered − returned) / delivered units; expected revenue = orders ₽ × b;
* commission rate = commission / net sales (sales + returns, ₽); expected commission = expected revenue × rate;
* logistics per unit = logistics / delivered units; expected logistics = ordered units × that;
* returns: expected returned units = ordered units − ordered units × b; expected reverse logistics = those units ×
  reverse logistics / returned units;
* cost of goods = Σ units × the cost price in force on the order day, × b (returned goods go back to stock).

A SKU with no such history (no deliveries, or no sales for the commission, or no returns for their cost) takes the
shop's average over the same months (all its SKUs together); a shop with none (its first month) takes the shop's
average of the month itself, and a shop with no accruals at all b = 100 % and zero rates. Each rate counts which
source it came from, so the page can say it. Every product is rounded half-up once to kopecks with
the kernel's helpers; no float touches money.
"""

from __future__ import annotations

import numpy as np

from stpulse.domain.kernel.allocation import div_half_up, divide_half_up
from stpulse.domain.kernel.grouping import group_sums
from stpulse.domain.kernel.period import months_of_days
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.facts import HISTORY_FIELDS, Estimate, OrderFacts, SkuHistory

HISTORY_MONTHS = 3
SOLD, RETURNED, SALES, COMMISSION, LOGISTICS, REVERSE = range(len(HISTORY_FIELDS))
FROM_SKU, FROM_SHOP, FROM_MONTH, FROM_NONE = 0, 1, 2, 3
RATES = ("buyout", "commission", "logistics", "reverse")  # the rates whose source is counted
_WIDE = 1 << 61


def estimate_by_orders(inputs: ReportInputs, shop_ids: np.ndarray) -> Estimate:
    """The estimate of every shop (`shop_ids`: the report's sorted shop keys) and month of the period."""
    period, months = inputs.period, len(inputs.period.months)
    orders = inputs.orders or OrderFacts.of([])
    first, last = period.day_range
    pos = np.minimum(np.searchsorted(shop_ids, orders.shop), max(len(shop_ids) - 1, 0))
    keep = (~orders.cancelled) & (orders.day >= first) & (orders.day <= last)
    keep &= (shop_ids[pos] == orders.shop) if len(shop_ids) else np.zeros(len(orders.shop), bool)
    shop, sku, day = pos[keep], orders.sku[keep], orders.day[keep]
    qty, amount = orders.quantity[keep], orders.amount[keep]
    month = months_of_days(day) - period.first_month
    cost, known = _costs(inputs, orders.shop[keep], sku, day)
    # ordered ₽, units, cost of the units, units without a cost: per shop, month and SKU
    group, per = group_sums(((shop * months + month) << 40) | sku,
                            np.column_stack([amount, qty, cost * qty, np.where(known, 0, qty)]))
    g_shop, g_month, g_sku = (group >> 40) // months, (group >> 40) % months, group & ((1 << 40) - 1)
    g_key = shop_ids[g_shop] if len(group) else np.zeros(0, np.int64)
    hist = inputs.history or SkuHistory.empty()
    at = g_month + period.first_month
    lags = tuple(range(1, HISTORY_MONTHS + 1))
    of_sku, of_shop = _monthly(hist, by_sku=True), _monthly(hist, by_sku=False)
    windows = (_window(of_sku, g_key, g_sku, at, lags), _window(of_shop, g_key, 0, at, lags),
               _window(of_shop, g_key, 0, at, (0,)))
    b, b_from = _rate(windows, RETURNED, SOLD, buyout=True)
    c, c_from = _rate(windows, COMMISSION, SALES)
    lg, l_from = _rate(windows, LOGISTICS, SOLD)
    rv, r_from = _rate(windows, REVERSE, RETURNED)
    ordered, units = per[:, 0], per[:, 1]
    revenue = mul_div(ordered, b[0], b[1])
    returned_units = units - mul_div(units, b[0], b[1])
    parts = {
        "revenue": revenue, "commission": mul_div(revenue, c[0], c[1]), "logistics": mul_div(units, lg[0], lg[1]),
        "reverse": mul_div(returned_units, rv[0], rv[1]), "cogs": -mul_div(per[:, 2], b[0], b[1]),
        "ordered": ordered, "units": units, "uncosted": per[:, 3],
    }
    cell = g_shop * months + g_month
    shape = (len(shop_ids), months)
    cells, sums = group_sums(cell, np.column_stack(list(parts.values())).reshape(-1, len(parts)))
    acc = np.zeros((len(shop_ids) * months, len(parts)), np.int64)
    acc[cells] = sums
    out = {name: acc[:, i].reshape(shape).copy() for i, name in enumerate(parts)}
    has = np.zeros(len(shop_ids) * months, bool)
    has[cell] = True
    sources = {name: tuple(int((f == s).sum()) for s in (FROM_SKU, FROM_SHOP, FROM_MONTH, FROM_NONE))
               for name, f in zip(RATES, (b_from, c_from, l_from, r_from), strict=True)}
    return Estimate(has_orders=has.reshape(shape), sources=sources, **out)  # type: ignore[arg-type]


def _monthly(hist: SkuHistory, *, by_sku: bool) -> tuple[np.ndarray, np.ndarray]:
    """The history summed per shop, month and SKU (or per shop and month): (keys, sums [n, fields])."""
    columns = np.column_stack([getattr(hist, f) for f in HISTORY_FIELDS]).reshape(-1, len(HISTORY_FIELDS))
    return group_sums((hist.shop << 52) | (hist.month << 40) | (hist.sku if by_sku else 0), columns)


def _window(monthly: tuple[np.ndarray, np.ndarray], shop: np.ndarray, sku: np.ndarray | int, month: np.ndarray,
            lags: tuple[int, ...]) -> np.ndarray:
    """Σ of the monthly sums over the months `lags` before each month (0: the month itself): of the SKU (`sku`),
    or of all the shop's SKUs (`sku` 0 against sums per shop and month)."""
    keys, sums = monthly
    out = np.zeros((len(shop), len(HISTORY_FIELDS)), np.int64)
    if not len(keys):
        return out
    for lag in lags:
        want = (shop << 52) | ((month - lag) << 40) | sku
        at = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        found = keys[at] == want
        out[found] += sums[at[found]]
    return out


def _rate(windows: tuple[np.ndarray, ...], num: int, den: int,
          buyout: bool = False) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """(numerator, denominator > 0) per SKU-month from the first window with a positive denominator (the SKU's, the
    shop's, the shop's month), else none (b = 1 for the buyout rate, 0 for the others), and the source of each."""
    n = np.zeros(len(windows[0]), np.int64)
    d = np.ones(len(windows[0]), np.int64)
    source = np.full(len(windows[0]), FROM_NONE)
    for i, w in reversed(list(enumerate(windows))):  # the first source with data wins
        ok = w[:, den] > 0
        source[ok], d[ok] = i, w[ok, den]
        n[ok] = np.clip(w[ok, den] - w[ok, num], 0, w[ok, den]) if buyout else w[ok, num]
    if buyout:  # delivered − returned within [0, delivered]; nothing known: everything is bought
        n[source == FROM_NONE] = 1
    return (n, d), source


def mul_div(a: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """a × num / den elementwise, rounded half away from zero (den > 0); exact Python integers for the elements
    whose product would leave int64 (only those)."""
    a, num, den = (np.asarray(x, dtype=np.int64) for x in (a, num, den))
    if not len(a):
        return np.zeros(0, np.int64)
    fits = np.abs(a) <= (_WIDE - 1) // np.maximum(np.abs(num), 1)  # |a × num| < 2⁶¹: 2·|a × num| + den stays in int64
    out = divide_half_up(np.where(fits, a, 0) * num, den)[0]
    if not fits.all():
        wide = np.flatnonzero(~fits)
        out[wide] = [div_half_up(int(x) * int(n), int(d)) or 0
                     for x, n, d in zip(a[wide].tolist(), num[wide].tolist(), den[wide].tolist(), strict=True)]
    return out


def _costs(inputs: ReportInputs, shop: np.ndarray, sku: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cost price per unit in force on each order line's day, and whether there is one."""
    if inputs.costs is None or not len(sku):
        return np.zeros(len(sku), np.int64), np.zeros(len(sku), bool)
    offers = {(p.shop_id, p.sku): p.offer_id for p in inputs.products}
    pairs, inverse = np.unique((shop << 40) | sku, return_inverse=True)
    offer_idx = inputs.costs.offer_index([offers.get((int(k) >> 40, int(k) & ((1 << 40) - 1))) for k in pairs])
    return inputs.costs.lookup(offer_idx[inverse.reshape(-1)], day)


def cost_change_months(inputs: ReportInputs) -> dict[int, frozenset[int]]:
    """Month → the SKUs (shop << 40 | sku) whose cost price changes inside that month of the period (on a day other
    than the 1st): their orders of that month are read by day; every other order is read by month and costed on the
    month's first day, which is the cost in force on each of its days."""
    costs, period = inputs.costs, inputs.period
    if costs is None or not len(costs.day):
        return {}
    days = costs.day.astype(np.int64)
    months = months_of_days(days)
    firsts = np.asarray(months.astype("datetime64[M]").astype("datetime64[D]"), dtype=np.int64)
    inside = (days != firsts) & (months >= period.first_month) & (months <= period.last_month)
    offers: dict[int, set[int]] = {}
    for month, offer in zip(months[inside].tolist(), costs.offer[inside].tolist(), strict=True):
        offers.setdefault(int(month), set()).add(int(offer))
    index = costs.offer_index([p.offer_id for p in inputs.products])
    out: dict[int, frozenset[int]] = {}
    for month, changed in sorted(offers.items()):
        out[month] = frozenset((p.shop_id << 40) | p.sku for p, i in zip(inputs.products, index.tolist(), strict=True)
                               if i in changed)
    return {m: k for m, k in out.items() if k}


def with_day_detail(monthly: OrderFacts, daily: OrderFacts, month: int, keys: frozenset[int]) -> OrderFacts:
    """The monthly order rows with those of `keys` in `month` replaced by their rows by day (`daily`: that month)."""
    wanted = np.array(sorted(keys), dtype=np.int64)
    m_key, d_key = (monthly.shop << 40) | monthly.sku, (daily.shop << 40) | daily.sku
    keep = ~((months_of_days(monthly.day) == month) & np.isin(m_key, wanted))
    add = np.isin(d_key, wanted) & (months_of_days(daily.day) == month)
    names = ("shop", "sku", "day", "cancelled", "quantity", "amount")
    return OrderFacts(**{n: np.concatenate([getattr(monthly, n)[keep], getattr(daily, n)[add]]) for n in names})
