"""Size profiles of a generated seller and the seeded random streams everything is drawn from."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from stpulse.domain.kernel.errors import ValidationError


@dataclass(frozen=True, kw_only=True)
class Profile:
    name: str
    n_skus: int
    orders_per_day: float  # average over the year; weekdays and season move it ±30 %
    n_campaigns: int  # advertising campaigns charged through accruals
    n_fbo_warehouses: int  # Ozon warehouses the seller's stock sits in (per SKU 1–4 of them)
    fbo_share: float = 0.7
    cancel_rate: float = 0.07
    return_rate: float = 0.04  # share of delivered postings returned by the customer
    buyout_rate: float = 0.01  # share of delivered FBO postings bought out by Ozon (ЕАЭС)
    star_share: float = 0.25  # SKUs in «Звёздные товары» (type 74 on every sale)


PROFILES: dict[str, Profile] = {
    "small": Profile(name="small", n_skus=30, orders_per_day=20, n_campaigns=3, n_fbo_warehouses=4),
    "medium": Profile(name="medium", n_skus=500, orders_per_day=400, n_campaigns=12, n_fbo_warehouses=10),
    "large": Profile(name="large", n_skus=5000, orders_per_day=4000, n_campaigns=40, n_fbo_warehouses=20),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValidationError({"profile": f"Неизвестный профиль {name!r}: {', '.join(PROFILES)}"}) from None


# Independent random streams: one generator per (seed, stream, day) so any day is reproducible alone.
STREAM_CATALOG = 1
STREAM_ORIGIN = 2
STREAM_DAILY = 3
STREAM_ORDER = 4
STREAM_STOCK = 5
STREAM_SUPPLY = 6


def rng_for(seed: int, stream: int, key: int = 0) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & 0xFFFFFFFF, stream, key])))


_WEEKDAY = (1.05, 1.0, 0.98, 0.97, 0.95, 0.98, 1.07)


def demand_factor(day: dt.date, history_start: dt.date) -> float:
    """Weekly rhythm × season (peak late November) × a growth ramp from 0.7 to 1.15 over two years."""
    season = 1.0 + 0.25 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 330) / 365.0)
    age = max(0, (day - history_start).days)
    ramp = 0.7 + 0.45 * min(1.0, age / 730.0)
    return _WEEKDAY[day.weekday()] * season * ramp
