"""Average daily sales counted on in-stock days only, and the seasonal factor from the same weeks last year.

A day counts when the SKU was on stock at the location that day: its end-of-day snapshot showed units available,
or it sold something that day (a sale proves stock). Days out of stock are left out of both the sum and the count,
so a SKU that sold 10 a day and then was empty for half the window still shows 10 a day, not 5.
"""

from __future__ import annotations

import numpy as np

YEAR_DAYS = 364  # 52 weeks: the same weekdays last year
SEASON_HORIZON_MAX = 120  # the coming period compared with last year is capped at four months


def in_stock_days(available: np.ndarray, sold: np.ndarray) -> np.ndarray:
    """bool [rows, days]: the SKU was on stock (units left at the end of the day, or a sale that day)."""
    return (np.asarray(available) > 0) | (np.asarray(sold) > 0)


def in_stock_average(sold: np.ndarray, in_stock: np.ndarray, window: int) -> np.ndarray:
    """Average daily sales over the last `window` days (the last columns) on in-stock days only.

    `sold` and `in_stock` are [rows, days] with the newest day last; NaN where no day of the window was in stock.
    """
    sold = np.atleast_2d(np.asarray(sold, dtype=np.float64))[:, -window:]
    mask = np.atleast_2d(np.asarray(in_stock, dtype=bool))[:, -window:]
    days = mask.sum(axis=1)
    total = np.where(mask, sold, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(days > 0, total / np.maximum(days, 1), np.nan)


def seasonal_factor(daily: np.ndarray, history_days: int, window: int, horizon: int) -> np.ndarray:
    """Last year's sales over the coming `horizon` days ÷ its sales over the `window` days before, per row.

    `daily` is [rows, D]: units sold per day, the newest (today) last; `history_days` how many of those days
    were synced (the rest are zeros of no history). 1 where a year of history is missing or last year sold
    nothing in the window (nothing to compare with)."""
    daily = np.atleast_2d(np.asarray(daily, dtype=np.float64))
    rows, span = daily.shape
    horizon = max(1, min(horizon, SEASON_HORIZON_MAX))
    today = span - 1
    start = today - YEAR_DAYS - window + 1  # first day of last year's window
    end = today - YEAR_DAYS + horizon  # last day of last year's coming period
    if start < 0 or history_days < YEAR_DAYS + window or end >= span:
        return np.ones(rows)
    before = daily[:, start:today - YEAR_DAYS + 1].sum(axis=1) / window
    after = daily[:, today - YEAR_DAYS + 1:end + 1].sum(axis=1) / horizon
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(before > 0, after / np.where(before > 0, before, 1.0), 1.0)
