"""The month-end forecast: the run rate so far, spread over the days left by a weekday profile.

A Monday is not a Sunday: the profile is the mean of the metric per weekday over the weeks before the month,
relative to the mean of all those days (1.0 everywhere when there is no history). With D the days of the month
elapsed by the as-of day and W(d) the profile's weight of day d:

    forecast = fact so far + fact so far / Σ W(elapsed days) × Σ W(days left)

Every figure is an integer (kopecks or units); the division rounds half away from zero.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from stpulse.domain.kernel.period import day_number

HISTORY_DAYS = 56  # eight whole weeks before the month: each weekday seen eight times


def weekday_profile(days: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Weights per weekday (0 = Monday) from a history of (day number, value) rows — several rows a day are summed
    first, so a weekday's mean is per calendar day; ones when the history is empty or sums to zero or less."""
    weights = np.ones(7)
    if not len(days):
        return weights
    unique, index = np.unique(days.astype(np.int64), return_inverse=True)
    per_day = np.bincount(index, weights=values.astype(np.float64), minlength=len(unique))
    weekday = (unique + 3) % 7  # day 0 (1970-01-01) was a Thursday
    sums = np.bincount(weekday, weights=per_day, minlength=7)
    counts = np.bincount(weekday, minlength=7)
    if counts.min() == 0 or sums.sum() <= 0:
        return weights
    means = sums / counts
    return np.where(means > 0, means / means.mean(), 0.0)


def forecast_total(fact_so_far: int, elapsed: list[int], left: list[int], profile: np.ndarray) -> int:
    """The month's total forecast from the fact of its `elapsed` days (day numbers) and the `left` ones."""
    if not left:
        return fact_so_far
    weight = lambda days: float(sum(profile[(d + 3) % 7] for d in days))  # noqa: E731
    done = weight(elapsed)
    if done <= 0:
        return fact_so_far
    extra = fact_so_far * weight(left) / done
    return fact_so_far + int(np.sign(extra) * np.floor(abs(extra) + 0.5))


def split_month(first_day: int, last_day: int, as_of: int) -> tuple[list[int], list[int]]:
    """(elapsed, left) day numbers of a month seen on day `as_of` (inclusive)."""
    cut = min(max(as_of, first_day - 1), last_day)
    return list(range(first_day, cut + 1)), list(range(cut + 1, last_day + 1))


def month_days(month_first: dt.date) -> tuple[int, int]:
    nxt = (month_first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day_number(month_first), day_number(nxt) - 1


__all__ = ["HISTORY_DAYS", "forecast_total", "month_days", "split_month", "weekday_profile"]
