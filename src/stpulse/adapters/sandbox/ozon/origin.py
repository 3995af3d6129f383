"""Postings created on one day, with their whole future drawn at once (vectorised, one seeded stream).

Everything that later happens to a posting — delivery, cancellation, return, compensation — is decided
on the day it is created, as offsets in days. An accrual day then gathers the events that land on it
from the last LOOKBACK_DAYS creation days, so any day can be produced independently of the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from stpulse.adapters.sandbox.ozon.catalog import Catalog, sample_skus
from stpulse.adapters.sandbox.ozon.profiles import STREAM_ORIGIN, Profile, demand_factor, rng_for
from stpulse.adapters.sandbox.ozon.reference import CANCEL_REASONS, RETURN_REASONS, fbo_warehouses

EPOCH = dt.date(2000, 1, 1)
MAX_DELIVERY_DAYS = 9
MAX_RETURN_DAYS = 20  # after delivery
MAX_COMPENSATION_DAYS = 5  # after the return
MAX_CANCEL_DAYS = 2
LOOKBACK_DAYS = MAX_DELIVERY_DAYS + MAX_RETURN_DAYS + MAX_COMPENSATION_DAYS
MAX_POSTINGS_PER_DAY = 9999  # posting numbers keep four digits for the index inside a day


def day_index(day: dt.date) -> int:
    return (day - EPOCH).days


def day_of(index: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(index))


@dataclass(frozen=True, eq=False)
class OriginDay:
    """Column arrays: postings (P rows, sorted by creation time) and their product lines (L rows)."""

    day: dt.date
    index: int  # day_index(day)
    created_sec: np.ndarray  # seconds after Moscow midnight
    fbs: np.ndarray
    cancelled: np.ndarray
    after_ship: np.ndarray  # cancelled or refused after shipping: reverse logistics, a FullReturn
    cancel_reason: np.ndarray
    buyout: np.ndarray  # bought out by Ozon: no accruals, reported by /v1/finance/products/buyout
    returned: np.ndarray  # returned by the customer after delivery (ClientReturn)
    return_reason: np.ndarray
    compensated: np.ndarray  # a returned posting Ozon compensates (ItemCompensation)
    packed: np.ndarray  # charged extra packing (NON_ITEM 84) on delivery
    warehouse: np.ndarray  # index into fbo_warehouses() for FBO
    deliver_day: np.ndarray  # day index of delivery (or of cancellation when cancelled)
    return_day: np.ndarray  # day index of the return, -1 if none
    compensation_day: np.ndarray
    line_start: np.ndarray  # P + 1 offsets into the line arrays
    line_posting: np.ndarray
    sku_pos: np.ndarray
    qty: np.ndarray
    price: np.ndarray  # seller price per unit
    sale_amount: np.ndarray  # price × qty = sale_price + bonus + coinvestment
    sale_price: np.ndarray
    bonus: np.ndarray
    coinvestment: np.ndarray
    commission: np.ndarray  # negative
    commission_bp: np.ndarray
    logistic: np.ndarray  # negative, type 32
    last_mile: np.ndarray  # negative, type 29
    drop_off: np.ndarray  # negative on the first line of an FBS posting, type 17
    acquiring: np.ndarray  # negative, type 1
    stars: np.ndarray  # negative for star SKUs, type 74
    return_processing: np.ndarray  # negative, type 9
    compensation: np.ndarray  # positive, type 25

    @property
    def n_postings(self) -> int:
        return int(self.created_sec.size)

    def lines_of(self, postings: np.ndarray) -> np.ndarray:
        """Line indices of the given postings, posting by posting."""
        counts = self.line_start[postings + 1] - self.line_start[postings]
        firsts = np.repeat(self.line_start[postings], counts)
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return firsts + within

    def kinds(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Event kind → (posting mask, event day index per posting)."""
        live = ~self.cancelled & ~self.buyout
        return {
            "sale": (live, self.deliver_day),
            "refusal": (self.cancelled & self.after_ship, self.deliver_day),
            "return": (self.returned, self.return_day),
            "compensation": (self.compensated, self.compensation_day),
            "packing": (live & self.packed, self.deliver_day),
            "buyout": (self.buyout, self.deliver_day),
        }

    @cached_property
    def events(self) -> dict[int, dict[str, np.ndarray]]:
        """Day index → event kind → posting indices (ascending): what this day's postings do when."""
        out: dict[int, dict[str, np.ndarray]] = {}
        for kind, (mask, days) in self.kinds().items():
            postings = np.flatnonzero(mask)
            if not postings.size:
                continue
            order = np.argsort(days[postings], kind="stable")
            sorted_days, sorted_postings = days[postings][order], postings[order]
            unique, starts = np.unique(sorted_days, return_index=True)
            for d, chunk in zip(unique.tolist(), np.split(sorted_postings, starts[1:]), strict=True):
                out.setdefault(d, {})[kind] = chunk
        return out

    def on_day(self, kind: str, x: int) -> np.ndarray:
        return self.events.get(x, {}).get(kind, _NONE)


_NONE = np.zeros(0, dtype=np.int64)


def generate_origin(
    seed: int, catalog: Catalog, profile: Profile, day: dt.date, history_start: dt.date
) -> OriginDay:
    rng = rng_for(seed, STREAM_ORIGIN, day_index(day))
    n = min(MAX_POSTINGS_PER_DAY, int(rng.poisson(profile.orders_per_day * demand_factor(day, history_start))))
    posting = _postings(rng, profile, day, n)
    lines = _lines(rng, catalog, posting, n)
    return OriginDay(day=day, index=day_index(day), **posting, **lines)


def _postings(rng: np.random.Generator, profile: Profile, day: dt.date, n: int) -> dict[str, np.ndarray]:
    idx = day_index(day)
    fbs = rng.random(n) >= profile.fbo_share
    cancelled = rng.random(n) < profile.cancel_rate
    after_ship = cancelled & (rng.random(n) < 0.35)
    deliver_off = rng.integers(1, MAX_DELIVERY_DAYS + 1, n) + fbs  # FBS a day slower
    deliver_off = np.minimum(deliver_off, MAX_DELIVERY_DAYS)
    cancel_off = rng.integers(0, MAX_CANCEL_DAYS + 1, n)
    delivered = ~cancelled
    buyout = delivered & ~fbs & (rng.random(n) < profile.buyout_rate)
    returned = delivered & ~buyout & (rng.random(n) < profile.return_rate)
    compensated = returned & (rng.random(n) < 0.12)
    return_off = rng.integers(3, MAX_RETURN_DAYS + 1, n)
    deliver_day = idx + np.where(cancelled, cancel_off, deliver_off)
    return_day = np.where(returned, deliver_day + return_off, -1)
    comp_day = np.where(compensated, return_day + rng.integers(1, MAX_COMPENSATION_DAYS + 1, n), -1)
    n_lines = 1 + (rng.random(n) < 0.12) + (rng.random(n) < 0.03)
    return {
        "created_sec": np.sort(rng.integers(0, 86_400, n)),
        "fbs": fbs,
        "cancelled": cancelled,
        "after_ship": after_ship,
        "cancel_reason": rng.integers(0, len(CANCEL_REASONS), n),
        "buyout": buyout,
        "returned": returned,
        "return_reason": rng.integers(0, len(RETURN_REASONS), n),
        "compensated": compensated,
        "packed": delivered & ~buyout & (rng.random(n) < 0.05),
        "warehouse": rng.integers(0, min(profile.n_fbo_warehouses, len(fbo_warehouses())), n),
        "deliver_day": deliver_day.astype(np.int64),
        "return_day": return_day.astype(np.int64),
        "compensation_day": comp_day.astype(np.int64),
        "line_start": np.concatenate(([0], np.cumsum(n_lines))).astype(np.int64),
    }


def _lines(rng: np.random.Generator, catalog: Catalog, posting: dict, n: int) -> dict[str, np.ndarray]:
    starts = posting["line_start"]
    total = int(starts[-1])
    line_posting = np.repeat(np.arange(n), np.diff(starts))
    sku_pos = sample_skus(catalog, rng, total)
    qty = (1 + (rng.random(total) < 0.08) + (rng.random(total) < 0.02)).astype(np.int64)
    price = catalog.price[sku_pos]
    sale_amount = price * qty
    bonus = sale_amount * rng.integers(0, 5500, total) // 10_000
    coinvestment = np.where(rng.random(total) < 0.3, sale_amount * rng.integers(1, 200, total) // 10_000, 0)
    commission_bp = catalog.commission_bp[sku_pos]
    first_line = np.arange(total) == starts[line_posting]
    sale_price = sale_amount - bonus - coinvestment
    return {
        "line_posting": line_posting,
        "sku_pos": sku_pos,
        "qty": qty,
        "price": price,
        "sale_amount": sale_amount,
        "sale_price": sale_price,
        "bonus": bonus,
        "coinvestment": coinvestment,
        "commission": -_pct(sale_amount, commission_bp),
        "commission_bp": commission_bp,
        "logistic": -catalog.logistic[sku_pos] * qty,
        "last_mile": -_pct(sale_amount, rng.integers(30, 110, total)),
        "drop_off": np.where(first_line & posting["fbs"][line_posting], -1000, 0),
        "acquiring": -_pct(sale_price + coinvestment, np.full(total, 150)),
        "stars": np.where(catalog.is_star[sku_pos], -_pct(sale_amount, np.full(total, 150)), 0),
        "return_processing": -rng.integers(15, 51, total) * 100,
        "compensation": _pct(sale_amount, rng.integers(5000, 10_001, total)),
    }


def _pct(amount: np.ndarray, bp: np.ndarray) -> np.ndarray:
    """amount × bp / 10 000, rounded half-up to whole kopecks (amount ≥ 0)."""
    return (amount * bp + 5000) // 10_000


def posting_number(salt: int, index: int, i: int) -> str:
    return f"{order_number(salt, index, i)}-1"


def order_number(salt: int, index: int, i: int) -> str:
    return f"{salt:02d}{index:05d}{i // 1000:03d}-{i % 1000:04d}"


def order_id(salt: int, index: int, i: int) -> int:
    return salt * 10**10 + index * 10**5 + i


def parse_posting_number(number: str) -> tuple[int, int, int] | None:
    """'0148062676-0021-1' → (salt, day index, i) or None when it is not one of ours."""
    parts = number.split("-")
    if len(parts) < 2 or len(parts[0]) != 10 or not (parts[0] + parts[1]).isdigit():
        return None
    head, tail = parts[0], parts[1]
    return int(head[:2]), int(head[2:7]), int(head[7:10]) * 1000 + int(tail)
