"""The supply recommendation per SKU and FBO cluster, with its formula written out.

    need = ⌈v × k × (lead + cover) + v × safety⌉ − stock − transit
    order = 0 if need ≤ 0, else max(need, minimum) rounded up to the box multiple

v — average daily sales on in-stock days (velocity.in_stock_average), k — the seasonal factor, lead — days until
a supply created today is on sale, cover — days the supply must last, safety — days of safety stock.
"""

from __future__ import annotations

import math

import msgspec

WINDOWS = (7, 14, 30, 60)


class SupplyParams(msgspec.Struct, frozen=True, kw_only=True):
    lead_days: int = 14
    cover_days: int = 30
    safety_days: int = 7
    box: int = 1  # units in a box: the order is a whole number of boxes
    min_order: int = 0  # units: a smaller positive order is raised to it


class Recommendation(msgspec.Struct, frozen=True, kw_only=True):
    velocity: float  # units a day on in-stock days
    season: float
    demand: int  # ⌈v × k × (lead + cover) + v × safety⌉
    need: int  # demand − stock − transit (may be negative)
    quantity: int  # what to send
    formula: str


def round_to_box(units: int, box: int) -> int:
    box = max(1, box)
    return -(-units // box) * box


def recommend(velocity: float, season: float, stock: int, transit: int, p: SupplyParams) -> Recommendation:
    v = 0.0 if math.isnan(velocity) else max(0.0, velocity)
    k = 1.0 if math.isnan(season) or season <= 0 else season
    demand = math.ceil(round(v * k * (p.lead_days + p.cover_days) + v * p.safety_days, 6))
    need = demand - stock - transit
    quantity = 0 if need <= 0 else round_to_box(max(need, p.min_order), p.box)
    formula = (f"⌈{_num(v)} шт/дн × {_num(k)} × ({p.lead_days} + {p.cover_days}) дн + {_num(v)} × {p.safety_days} дн⌉"
               f" − {stock} на складе − {transit} в пути = {need}")
    if need > 0:
        formula += f"; мин. {p.min_order}, кратно {p.box} → {quantity} шт"
    else:
        formula += " → не нужно"
    return Recommendation(velocity=v, season=k, demand=demand, need=need, quantity=quantity, formula=formula)


def _num(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")
