"""What the pages show: times in Moscow time (the database keeps UTC), counts grouped by thousands."""

from __future__ import annotations

import datetime as dt

from stpulse.domain.kernel.formatting import format_count
from stpulse.entrypoints.web.app import moscow_time


def test_stored_utc_is_shown_in_moscow_time_even_across_midnight() -> None:
    assert moscow_time(dt.datetime(2026, 11, 25, 22, 30, tzinfo=dt.UTC)) == "26.11.2026 01:30 МСК"
    assert moscow_time(dt.datetime(2026, 11, 25, 18, 0)) == "25.11.2026 21:00 МСК"  # naive = UTC
    assert moscow_time(None) == "—"


def test_counts_are_grouped_by_thousands() -> None:
    assert format_count(925522) == "925\u00a0522"
    assert format_count(1_234_567) == "1\u00a0234\u00a0567"
    assert format_count(12) == "12"
    assert format_count(-1500) == "−1\u00a0500"
