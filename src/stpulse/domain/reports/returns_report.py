"""Возвраты: customers' returns by SKU or by reason — units, roubles, share of sales, reverse logistics, where the
items went (back to stock, utilised, on the way), compensations received — and refusals on delivery apart.

Returns are Ozon's return records dated by the Moscow day of the return; a customer's return there is the return
accrual Юнитка counts, so the units agree. The money behind a return (reverse logistics, compensation) is the
accrual lines of its posting and SKU. The share of sales divides by the units delivered in the period.
"""

from __future__ import annotations

import numpy as np

from stpulse.domain.kernel.allocation import ratio_bp
from stpulse.domain.kernel.period import day_number, month_first_day, period_label
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.facts import IN_TRANSIT, TO_STOCK, UTILISED, ReturnFacts
from stpulse.domain.reports.kinds import Ratio, Selection
from stpulse.domain.reports.models import keep_mask, model_keys
from stpulse.domain.reports.operations import _monthly_sales
from stpulse.domain.reports.table import Column, Kind, Row, Table

M, P, C = Kind.MONEY, Kind.PERCENT, Kind.COUNT
COLUMNS: tuple[Column, ...] = (
    Column(code="returned_units", label="Возвращено, шт.", kind=C), Column(code="returned", label="Возвраты, ₽", kind=M),
    Column(code="sold_units", label="Продано, шт.", kind=C), Column(code="return_share", label="Доля возвратов, %", kind=P),
    Column(code="reverse_logistics", label="Обратная логистика", kind=M),
    Column(code="to_stock", label="На склад, шт.", kind=C), Column(code="utilised", label="Утилизировано, шт.", kind=C),
    Column(code="in_transit", label="В пути, шт.", kind=C),
    Column(code="compensation", label="Компенсации получены", kind=M),
    Column(code="refused_units", label="Невыкупы, шт.", kind=C),
    Column(code="share_rise", label="Рост доли возвратов, п.п.", kind=P),
)
RATIOS = {"return_share": Ratio(num=(("returned_units", 1),), den=(("sold_units", 1),), percent=True),
          "share_rise": Ratio()}  # needs the months apart: no subtotal
VIEWS = (("sku", "по товарам"), ("reason", "по причинам"))
_EMPTY = np.zeros(0, np.int64)


def build_returns(inputs: ReportInputs, selection: Selection) -> Table:
    view = selection.option("view", "sku")
    keys = model_keys(inputs, selection.model)
    period = inputs.period
    first, last = period.day_range
    r = inputs.returns or ReturnFacts(reasons=(), shop=_EMPTY, sku=_EMPTY, day=_EMPTY, reason=_EMPTY,
                                      refusal=np.zeros(0, bool), place=_EMPTY, quantity=_EMPTY, amount=_EMPTY,
                                      logistics=_EMPTY, compensation=_EMPTY)
    keep = keep_mask(r.shop, r.sku, keys) & (r.day >= first) & (r.day <= last)
    sales = _monthly_sales(inputs)
    s_keep = keep_mask(sales.shop, sales.sku, keys) & (sales.day >= first) & (sales.day <= last)
    if view == "reason":
        key = r.reason[keep]
        s_key = np.zeros(0, np.int64)
    else:
        key = (r.shop[keep] << 40) | r.sku[keep]
        s_key = (sales.shop[s_keep] << 40) | sales.sku[s_keep]
    listed = np.unique(np.concatenate([key, s_key[sales.sold[s_keep] != 0]]) if view != "reason" else key)
    sums = np.zeros((len(listed), 14), np.int64)  # the columns' sums, then returned / sold in the last month and before
    i = np.searchsorted(listed, key)
    refusal, qty, place = r.refusal[keep], r.quantity[keep], r.place[keep]
    customer = np.where(refusal, 0, qty)
    for col, values in ((0, customer), (1, np.where(refusal, 0, r.amount[keep])), (4, r.logistics[keep]),
                        (5, np.where(place == TO_STOCK, customer, 0)), (6, np.where(place == UTILISED, customer, 0)),
                        (7, np.where(place == IN_TRANSIT, customer, 0)), (8, r.compensation[keep]),
                        (9, np.where(refusal, qty, 0))):
        np.add.at(sums[:, col], i, values)
    recent_from = day_number(month_first_day(period.last_month))
    recent = r.day[keep] >= recent_from
    np.add.at(sums[:, 10], i, np.where(recent, customer, 0))
    np.add.at(sums[:, 12], i, np.where(recent, 0, customer))
    sold_total = int(sales.sold[s_keep].sum())
    s_recent = sales.day[s_keep] >= recent_from
    if view == "reason":
        sums[:, 2] = sold_total  # each reason's share is of all units sold
        sums[:, 11] = int(sales.sold[s_keep][s_recent].sum())
        sums[:, 13] = int(sales.sold[s_keep][~s_recent].sum())
    else:
        si = np.searchsorted(listed, s_key)
        np.add.at(sums[:, 2], si, sales.sold[s_keep])
        np.add.at(sums[:, 11], si, np.where(s_recent, sales.sold[s_keep], 0))
        np.add.at(sums[:, 13], si, np.where(s_recent, 0, sales.sold[s_keep]))
    rows = _rows(inputs, r, listed, sums, view)
    total = sums.sum(axis=0)
    total[2] = sold_total
    if view == "reason":
        total[11], total[13] = sums[0, 11] if len(sums) else 0, sums[0, 13] if len(sums) else 0
    rows.append(Row(code="total", label="Итого", kind=M, values=_values(total[None, :])[0], emphasis=True))
    return Table(code="returns", title="Возвраты", period=period_label(period.first_month, period.last_month),
                 first_header="Причина" if view == "reason" else "Товар", columns=COLUMNS, rows=tuple(rows),
                 total_label=None)


def _values(sums: np.ndarray) -> list[tuple[int | None, ...]]:
    """The columns from the sums; the rise of the share: the last month's share minus the share before it (None
    when either has no sales, e.g. a one-month period)."""
    share, ok = ratio_bp(sums[:, 0], sums[:, 2])
    recent, r_ok = ratio_bp(sums[:, 10], sums[:, 11])
    before, b_ok = ratio_bp(sums[:, 12], sums[:, 13])
    rise = recent - before
    return [(*row[:3], int(share[i]) if ok[i] else None, *row[4:10], int(rise[i]) if r_ok[i] and b_ok[i] else None)
            for i, row in enumerate(sums.tolist())]


def _rows(inputs: ReportInputs, r: ReturnFacts, listed: np.ndarray, sums: np.ndarray, view: str) -> list[Row]:
    values = _values(sums)
    if view == "reason":
        return [Row(code=f"reason:{k}", label=r.reasons[k] or "Причина не указана", kind=M, values=v)
                for k, v in zip(listed.tolist(), values, strict=True)]
    labels = {(p.shop_id, p.sku): f"{p.offer_id} — {p.name}" if p.name else p.offer_id for p in inputs.products}
    out = []
    for k, v in zip(listed.tolist(), values, strict=True):
        shop, sku = k >> 40, k & ((1 << 40) - 1)
        out.append(Row(code=f"{shop}:{sku}", label=labels.get((shop, sku), f"SKU {sku}"), kind=M, values=v))
    return out
