"""План's forecast: the weekday profile and the run rate, against hand computations."""

from __future__ import annotations

import datetime as dt

import numpy as np

from stpulse.domain.kernel.period import day_number
from stpulse.domain.planning.forecast import forecast_total, month_days, split_month, weekday_profile
from stpulse.domain.planning.plan import METRICS, _mark
from stpulse.domain.reports.table import Highlight

MONDAY = day_number(dt.date(2026, 11, 2))


def test_no_history_gives_a_flat_profile():
    assert weekday_profile(np.zeros(0, np.int64), np.zeros(0, np.int64)).tolist() == [1.0] * 7


def test_sundays_selling_twice_as_much_weigh_twice_a_weekday():
    days = np.arange(MONDAY - 56, MONDAY)
    values = np.where((days + 3) % 7 == 6, 200, 100)  # Sunday 200, every other day 100
    profile = weekday_profile(days, values)
    assert profile[6] == 2 * profile[0]
    assert abs(profile.mean() - 1.0) < 1e-12
    assert profile[:6].tolist() == [7 / 8] * 6  # mean of the week: 800 / 7; a weekday: 100 / (800 / 7)


def test_several_rows_a_day_count_as_one_day_of_their_weekday():
    days = np.repeat(np.arange(MONDAY - 14, MONDAY), 3)  # three SKUs a day for two weeks
    values = np.where((days + 3) % 7 == 0, 40, 10)  # Mondays: 120 a day; other days 30
    assert weekday_profile(days, values).tolist() == [120 / (300 / 7)] + [30 / (300 / 7)] * 6


def test_a_flat_profile_is_the_plain_run_rate():
    first, last = month_days(dt.date(2026, 11, 1))
    elapsed, left = split_month(first, last, first + 9)  # 10 days of 30 seen
    assert (len(elapsed), len(left)) == (10, 20)
    assert forecast_total(1_000_00, elapsed, left, np.ones(7)) == 3_000_00


def test_the_days_left_count_by_their_weekday():
    first, last = month_days(dt.date(2026, 11, 1))  # 1 Nov 2026 is a Sunday
    profile = np.array([1, 1, 1, 1, 1, 1, 2.0])
    elapsed, left = split_month(first, last, first + 6)  # one whole week seen: weight 8
    # 23 days left: 1 Nov + 7 = Sunday 8th, 15th, 22nd, 29th are Sundays (4 × 2) and 19 other days
    assert forecast_total(800, elapsed, left, profile) == 800 + round(800 / 8 * (4 * 2 + 19))


def test_a_closed_month_forecasts_its_fact_and_a_month_not_begun_nothing_elapsed():
    first, last = month_days(dt.date(2026, 10, 1))
    elapsed, left = split_month(first, last, last + 40)
    assert (len(elapsed), left) == (31, [])
    assert forecast_total(123, elapsed, left, np.ones(7)) == 123
    assert split_month(first, last, first - 5) == ([], list(range(first, last + 1)))


def test_behind_plan_is_red_ahead_green_and_spending_the_other_way_round():
    revenue, ads = (next(m for m in METRICS if m.code == c) for c in ("revenue", "ad_budget"))
    assert _mark(revenue, 100, 99) is Highlight.LOSS
    assert _mark(revenue, 100, 100) is Highlight.GOOD
    assert _mark(ads, 100, 101) is Highlight.LOSS
    assert _mark(ads, 100, 80) is Highlight.GOOD
    assert _mark(revenue, None, 80) is None
