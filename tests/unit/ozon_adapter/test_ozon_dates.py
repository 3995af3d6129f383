"""Every Ozon time becomes a Moscow date (Ozon groups its reports by Moscow time), whatever zone it is sent in."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.adapters.ozon.convert import day

FALLBACK = dt.date(2000, 1, 1)


@pytest.mark.parametrize(("stamp", "moscow"), [
    ("2026-09-30T20:59:59Z", dt.date(2026, 9, 30)),  # 23:59:59 MSK
    ("2026-09-30T21:00:00Z", dt.date(2026, 10, 1)),  # 00:00 MSK: already the next day (and month)
    ("2026-09-30T21:30:00+00:00", dt.date(2026, 10, 1)),
    ("2026-09-30T20:30:00+00:00", dt.date(2026, 9, 30)),
    ("2026-10-01T00:10:00+03:00", dt.date(2026, 10, 1)),
    ("2026-09-30T23:50:00+03:00", dt.date(2026, 9, 30)),
    ("2026-12-31T22:15:00.123Z", dt.date(2027, 1, 1)),
    ("2026-10-01T01:00:00+05:00", dt.date(2026, 9, 30)),  # 23:00 MSK the day before
    ("2026-09-30 21:00:00", dt.date(2026, 10, 1)),  # no zone: UTC, as Ozon's API times are
    ("2026-09-26", dt.date(2026, 9, 26)),  # a bare date is already Ozon's (Moscow) day
])
def test_an_ozon_time_is_a_moscow_date(stamp, moscow):  # type: ignore[no-untyped-def]
    assert day(stamp, FALLBACK) == moscow


@pytest.mark.parametrize("stamp", ["", None, "не дата", "2026-13-45"])
def test_an_unusable_time_falls_back_to_the_day_asked_for(stamp):  # type: ignore[no-untyped-def]
    assert day(stamp, FALLBACK) == FALLBACK
