"""Finance reports derived from the day tables: realization, buyouts, half-month cash flows, balance.

When Ozon documents and pays the accruals (realization dating, payouts, holds) is settlement.py's model.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from stpulse.adapters.sandbox.ozon.day_table import CAT_POSTING, COMP_SALE, COMP_SERVICE, DayTable
from stpulse.adapters.sandbox.ozon.origin import LOOKBACK_DAYS, OriginDay, day_index, posting_number
from stpulse.adapters.sandbox.ozon.settlement import half_month as half_month
from stpulse.adapters.sandbox.ozon.world import SellerWorld

BUYOUT_VAT_PERCENT = 22


@dataclass
class Flows:
    """Money of a set of days split the way the balance and cash-flow reports show it (kopecks)."""

    sales: int = 0
    sales_revenue: int = 0  # sale_price: what buyers paid
    sales_bonus: int = 0
    sales_partner: int = 0  # coinvestment
    sales_fee: int = 0  # commission on sales (negative)
    returns: int = 0  # negative
    returns_revenue: int = 0
    returns_bonus: int = 0
    returns_partner: int = 0
    returns_fee: int = 0  # commission given back (positive)
    posting_services: int = 0  # logistics inside POSTING accruals
    other_services: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # by type id

    @property
    def total(self) -> int:
        return (self.sales + self.sales_fee + self.returns + self.returns_fee + self.posting_services
                + sum(self.other_services.values()))


def flows(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> Flows:
    f = Flows()
    for day in world.days(date_from, date_to):
        d = day_flows(world, day)
        for name in ("sales", "sales_revenue", "sales_bonus", "sales_partner", "sales_fee", "returns",
                     "returns_revenue", "returns_bonus", "returns_partner", "returns_fee", "posting_services"):
            setattr(f, name, getattr(f, name) + getattr(d, name))
        for type_id, amount in d.other_services.items():
            f.other_services[type_id] += amount
    return f


def day_flows(world: SellerWorld, day: dt.date) -> Flows:
    """One day's flows, kept (a few numbers a day): the balance, the cash-flow statement and the realization
    report ask for the same days again, and a day table is costly to build."""
    key = ("flows", day)
    if key not in world.memo:
        world.memo[key] = _day_flows(world.day_table(day))
    return world.memo[key]


def _day_flows(t: DayTable) -> Flows:
    f = Flows()
    ln, cat = t.ln, t.acc_cat[t.ln_acc]
    sale = np.flatnonzero(ln["comp"] == COMP_SALE)
    fee = sale + 1  # the commission line follows its sale line
    pos, neg = ln["amount"][sale] > 0, ln["amount"][sale] < 0
    f.sales += int(ln["amount"][sale][pos].sum())
    f.sales_revenue += int(ln["sale_price"][sale][pos].sum())
    f.sales_bonus += int(ln["bonus"][sale][pos].sum())
    f.sales_partner += int(ln["coinvestment"][sale][pos].sum())
    f.sales_fee += int(ln["amount"][fee][pos].sum())
    f.returns += int(ln["amount"][sale][neg].sum())
    f.returns_revenue += int(ln["sale_price"][sale][neg].sum())
    f.returns_bonus += int(ln["bonus"][sale][neg].sum())
    f.returns_partner += int(ln["coinvestment"][sale][neg].sum())
    f.returns_fee += int(ln["amount"][fee][neg].sum())
    service = ln["comp"] == COMP_SERVICE
    f.posting_services += int(ln["amount"][service & (cat == CAT_POSTING)].sum())
    other = service & (cat != CAT_POSTING)
    for type_id, amount in zip(ln["type_id"][other].tolist(), ln["amount"][other].tolist(), strict=True):
        f.other_services[type_id] += amount
    return f


def buyout_rows(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Goods bought out by Ozon, delivered in the period, as /v1/finance/products/buyout rows."""
    rows = []
    for day in world.days(date_from, date_to):
        x = day_index(day)
        for back in range(LOOKBACK_DAYS, -1, -1):
            o = world.origin(day - dt.timedelta(days=back))
            if o is not None:
                rows += [_buyout_row(world, o, p, line) for p in o.on_day("buyout", x).tolist()
                         for line in range(int(o.line_start[p]), int(o.line_start[p + 1]))]
    return _per_posting_and_sku(rows)


def _per_posting_and_sku(rows: list[dict]) -> list[dict]:
    """One row per posting and SKU, as in Ozon's УПД (a posting may hold two lines of one SKU: their quantities
    and amounts add up)."""
    merged: dict[tuple[str, int], dict] = {}
    for row in rows:
        key = (row["posting_number"], row["sku"])
        if key in merged:
            first = merged[key]
            first["quantity"] += row["quantity"]
            first["amount_kopecks"] += row["amount_kopecks"]
            first["amount"] = first["amount_kopecks"] / 100
        else:
            merged[key] = dict(row)
    return list(merged.values())


def _buyout_row(world: SellerWorld, o: OriginDay, p: int, line: int) -> dict:
    c = world.catalog
    pos, price, qty = int(o.sku_pos[line]), int(o.price[line]), int(o.qty[line])
    deduction = int(o.commission_bp[line]) // 100
    unit = price - (price * deduction + 50) // 100
    return {"name": c.name(pos), "offer_id": c.offer_id(pos), "sku": int(c.sku[pos]),
            "posting_number": posting_number(world.salt, o.index, p), "seller_price_per_instance": price / 100,
            "deduction_by_category_percent": deduction, "buyout_price": unit / 100,
            "vat_percent": BUYOUT_VAT_PERCENT, "quantity": qty, "amount": unit * qty / 100, "amount_kopecks": unit * qty}


def realization_shift(day: dt.date, amount: np.ndarray) -> np.ndarray:
    """Days between a sale line's accrual and its realization date (settlement.py): a delivery accrued on the
    1st was delivered the day before; a return accrued on the 1st or 2nd belongs to the month before."""
    if day.day == 1:
        return np.ones(amount.size, np.int64)
    if day.day == 2:
        return np.where(amount < 0, 2, 0)
    return np.zeros(amount.size, np.int64)


def realization_rows(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Delivered and returned goods per SKU realized in the period (cancellations and refusals are not included)."""
    acc: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"d": [0] * 5, "r": [0] * 5})
    for day in world.days(date_from, date_to + dt.timedelta(days=2)):
        day_flows(world, day)  # while the table is built: the balance and the cash-flow statement need it too
        ln = world.day_table(day).ln
        sale = np.flatnonzero(ln["comp"] == COMP_SALE)
        shift = realization_shift(day, ln["amount"][sale])
        offset = np.array([(day - date_from).days, (day - date_to).days])
        keep = (offset[0] - shift >= 0) & (offset[1] - shift <= 0)
        sale = sale[keep]
        cols = zip(ln["sku"][sale].tolist(), ln["qty"][sale].tolist(), ln["amount"][sale].tolist(),
                   ln["amount"][sale + 1].tolist(), ln["bonus"][sale].tolist(), ln["coinvestment"][sale].tolist(),
                   strict=True)
        for sku, qty, amount, commission, bonus, coinv in cols:
            part = acc[sku]["d" if amount > 0 else "r"]
            for k, v in enumerate((qty, abs(amount), abs(commission), abs(bonus), abs(coinv))):
                part[k] += v
    return [_realization_row(world, n, sku, parts) for n, (sku, parts) in enumerate(sorted(acc.items()), 1)]


def _realization_row(world: SellerWorld, n: int, sku: int, parts: dict[str, list[int]]) -> dict:
    c = world.catalog
    pos = int(c.index_of_sku(np.array([sku]))[0])

    def block(values: list[int]) -> dict | None:
        qty, amount, fee, bonus, coinv = values
        if not qty:
            return None
        return {"amount": amount / 100, "bonus": bonus / 100, "commission": 0, "compensation": 0,
                "price_per_instance": int(c.price[pos]) / 100, "quantity": qty, "standard_fee": fee / 100,
                "bank_coinvestment": coinv / 100, "stars": 0, "pick_up_point_coinvestment": 0,
                "total": (amount - fee) / 100}

    return {"rowNumber": n, "item": {"barcode": c.barcode(pos), "name": c.name(pos), "offer_id": c.offer_id(pos),
                                     "sku": sku},
            "commission_ratio": int(c.commission_bp[pos]) / 10_000, "seller_price_per_instance": int(c.price[pos]) / 100,
            "delivery_commission": block(parts["d"]), "return_commission": block(parts["r"])}
