"""Операционка: ordered, cancelled, delivered and returned units and roubles, buyout % and stock left — a row
per SKU, or per day, week or month (the «Разрез» option), with the total.

Ordered and cancelled count posting lines by the Moscow day the posting was created; delivered and returned are
the sale and return accruals of the period (the rows Юнитка counts, so a month's delivered units here are its
sold units there); stock is the units available at Ozon on the latest stock day stored within the period.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from stpulse.domain.kernel.allocation import divide_half_up, ratio_bp
from stpulse.domain.kernel.period import EPOCH, month_label, months_of_days, period_label
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.facts import OrderFacts, SalesFacts
from stpulse.domain.reports.kinds import Ratio, Selection
from stpulse.domain.reports.models import keep_mask, model_keys
from stpulse.domain.reports.table import Column, Kind, Row, Table

M, P, C = Kind.MONEY, Kind.PERCENT, Kind.COUNT
COLUMNS: tuple[Column, ...] = (
    Column(code="ordered_units", label="Заказано, шт.", kind=C), Column(code="ordered", label="Заказано, ₽", kind=M),
    Column(code="cancelled_units", label="Отменено, шт.", kind=C), Column(code="cancelled", label="Отменено, ₽", kind=M),
    Column(code="delivered_units", label="Доставлено, шт.", kind=C),
    Column(code="delivered", label="Доставлено, ₽", kind=M),
    Column(code="returned_units", label="Возвращено, шт.", kind=C), Column(code="returned", label="Возвраты, ₽", kind=M),
    Column(code="buyout_pct", label="Выкуп, %", kind=P), Column(code="avg_price", label="Средняя цена", kind=M),
    Column(code="stock", label="Остаток, шт.", kind=C),
)
RATIOS = {
    "buyout_pct": Ratio(num=(("delivered_units", 1), ("returned_units", -1)), den=(("delivered_units", 1),),
                        percent=True),
    "avg_price": Ratio(num=(("ordered", 1),), den=(("ordered_units", 1),)),
}
VIEWS = (("sku", "по товарам"), ("day", "по дням"), ("week", "по неделям"), ("month", "по месяцам"))
_N = len(COLUMNS)
(ORD_U, ORD, CAN_U, CAN, DEL_U, DEL, RET_U, RET, BUY, AVG, STOCK) = range(_N)


def build_operations(inputs: ReportInputs, selection: Selection) -> Table:
    view = selection.option("view", "sku")
    keys = model_keys(inputs, selection.model)
    period = inputs.period
    first, last = period.day_range
    orders = inputs.orders or OrderFacts.of([])
    sales = inputs.sales if inputs.sales is not None and view in ("day", "week") else _monthly_sales(inputs)
    o_keep = keep_mask(orders.shop, orders.sku, keys) & (orders.day >= first) & (orders.day <= last)
    s_keep = keep_mask(sales.shop, sales.sku, keys) & (sales.day >= first) & (sales.day <= last)
    if view == "sku":
        o_key = (orders.shop[o_keep] << 40) | orders.sku[o_keep]
        s_key = (sales.shop[s_keep] << 40) | sales.sku[s_keep]
    else:
        o_key, s_key = _bucket(orders.day[o_keep], view), _bucket(sales.day[s_keep], view)
    keys_all = np.unique(np.concatenate([o_key, s_key]))
    sums = np.zeros((len(keys_all), 8), np.int64)
    oi, si = np.searchsorted(keys_all, o_key), np.searchsorted(keys_all, s_key)
    cancelled = orders.cancelled[o_keep]
    for col, add in ((0, orders.quantity[o_keep]), (1, orders.amount[o_keep]),
                     (2, np.where(cancelled, orders.quantity[o_keep], 0)),
                     (3, np.where(cancelled, orders.amount[o_keep], 0))):
        np.add.at(sums[:, col], oi, add)
    for col, add in ((4, sales.sold[s_keep]), (5, sales.sold_amount[s_keep]), (6, sales.returned[s_keep]),
                     (7, sales.returned_amount[s_keep])):
        np.add.at(sums[:, col], si, add)
    stock = _stock(inputs, keys_all if view == "sku" else None, keys)
    values = _values(sums, stock)
    total_stock: int | None = None
    if view == "sku":
        rows = _sku_rows(inputs, keys_all, values)
        total_stock = int(sum(v[STOCK] or 0 for v in values)) if stock is not None else None
    else:
        rows = [Row(code=f"{view}:{_day_text(int(k))}", label=_bucket_label(int(k), view), kind=M, values=v)
                for k, v in zip(keys_all.tolist(), values, strict=True)]
        if inputs.stock is not None:
            total_stock = int(inputs.stock.units[keep_mask(inputs.stock.shop, inputs.stock.sku, keys)].sum())
    total = list(_values(sums.sum(axis=0, keepdims=True), None)[0])
    total[STOCK] = total_stock
    rows.append(Row(code="total", label="Итого", kind=M, values=tuple(total), emphasis=True))
    first_header = {"sku": "Товар", "day": "День", "week": "Неделя", "month": "Месяц"}.get(view, "Товар")
    return Table(code="ops", title="Операционка", period=period_label(period.first_month, period.last_month),
                 first_header=first_header, columns=COLUMNS, rows=tuple(rows), total_label=None)


def _monthly_sales(inputs: ReportInputs) -> SalesFacts:
    """Delivered and returned units per shop, SKU and month from the period's rollups (sales articles)."""
    from stpulse.domain.ledger.articles import RETURNS, REVENUE

    r = inputs.rollup
    sales = np.flatnonzero((r.sku >= 0) & ((r.article == REVENUE) | (r.article == RETURNS)))
    if not len(r.skus) or not len(sales):
        z = np.zeros(0, np.int64)
        return SalesFacts(shop=z, sku=z, day=z, sold=z, sold_amount=z, returned=z, returned_amount=z)
    shop_key = np.asarray(r.shop_ids, dtype=np.int64)[r.shop[sales]]
    sku = r.skus[r.sku[sales]]
    is_sale = r.article[sales] == REVENUE
    qty, amount = r.quantity[sales].astype(np.int64), r.amount[sales].astype(np.int64)
    return SalesFacts(shop=shop_key, sku=sku.astype(np.int64), day=r.day[sales].astype(np.int64),
                      sold=np.where(is_sale, qty, 0), sold_amount=np.where(is_sale, amount, 0),
                      returned=np.where(is_sale, 0, qty), returned_amount=np.where(is_sale, 0, -amount))


def _bucket(days: np.ndarray, view: str) -> np.ndarray:
    """Day numbers → the first day of their day, ISO week (Monday) or month."""
    d = days.astype(np.int64)
    if view == "week":
        return d - (d + 3) % 7  # 1970-01-01 was a Thursday
    if view == "month":
        return np.asarray(months_of_days(d).astype("datetime64[M]").astype("datetime64[D]"), dtype=np.int64)
    return d


def _day_text(day: int) -> str:
    return (EPOCH + dt.timedelta(days=day)).isoformat()


def _bucket_label(day: int, view: str) -> str:
    d = EPOCH + dt.timedelta(days=day)
    if view == "week":
        return f"{d:%d.%m.%Y} — {d + dt.timedelta(days=6):%d.%m.%Y}"
    if view == "month":
        return month_label((d.year - 1970) * 12 + d.month - 1)
    return f"{d:%d.%m.%Y}"


def _stock(inputs: ReportInputs, sku_keys: np.ndarray | None, keys: set[tuple[int, int]] | None) -> np.ndarray | None:
    """Units left per listed SKU (view by SKU); None when no stock was ever stored."""
    s = inputs.stock
    if s is None or sku_keys is None:
        return None
    have = (s.shop.astype(np.int64) << 40) | s.sku.astype(np.int64)
    order = np.argsort(have)
    have, units = have[order], s.units[order]
    pos = np.minimum(np.searchsorted(have, sku_keys), max(len(have) - 1, 0))
    found = (len(have) > 0) & (have[pos] == sku_keys) if len(have) else np.zeros(len(sku_keys), bool)
    return np.where(found, units[pos] if len(have) else 0, 0)


def _values(sums: np.ndarray, stock: np.ndarray | None) -> list[tuple[int | None, ...]]:
    buyout, b_ok = ratio_bp(sums[:, 4] - sums[:, 6], sums[:, 4])
    avg, a_ok = divide_half_up(sums[:, 1], np.where(sums[:, 0] > 0, sums[:, 0], 0))
    out = []
    for i, row in enumerate(sums.tolist()):
        out.append((*row, int(buyout[i]) if b_ok[i] else None, int(avg[i]) if a_ok[i] else None,
                    int(stock[i]) if stock is not None else None))
    return out


def _sku_rows(inputs: ReportInputs, keys: np.ndarray, values: list[tuple[int | None, ...]]) -> list[Row]:
    labels = {(p.shop_id, p.sku): f"{p.offer_id} — {p.name}" if p.name else p.offer_id for p in inputs.products}
    rows = []
    for k, v in zip(keys.tolist(), values, strict=True):
        shop, sku = k >> 40, k & ((1 << 40) - 1)
        rows.append(Row(code=f"{shop}:{sku}", label=labels.get((shop, sku), f"SKU {sku}"), kind=M, values=v))
    return rows
