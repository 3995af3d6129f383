"""What the pages show: times in Moscow time (the database keeps UTC), counts grouped by thousands."""

from __future__ import annotations

import datetime as dt

from stpulse.domain.kernel.formatting import format_count
from stpulse.domain.kernel.moscow import moscow_time_text as moscow_time


def test_stored_utc_is_shown_in_moscow_time_even_across_midnight() -> None:
    assert moscow_time(dt.datetime(2026, 11, 25, 22, 30, tzinfo=dt.UTC)) == "26.11.2026 01:30 МСК"
    assert moscow_time(dt.datetime(2026, 11, 25, 18, 0)) == "25.11.2026 21:00 МСК"  # naive = UTC
    assert moscow_time(None) == "—"


def test_counts_are_grouped_by_thousands() -> None:
    assert format_count(925522) == "925\u00a0522"
    assert format_count(1_234_567) == "1\u00a0234\u00a0567"
    assert format_count(12) == "12"
    assert format_count(-1500) == "−1\u00a0500"


def test_the_page_filters_print_russian() -> None:
    from stpulse.entrypoints.web.filters import FILTERS

    assert FILTERS["size"](9728) == "9,5\u00a0КБ" and FILTERS["size"](512) == "512\u00a0Б"
    assert FILTERS["num"](115068) == "115\u00a0068"
    assert FILTERS["period"]("2025-12", "2026-11") == "декабрь 2025 — ноябрь 2026"
    assert FILTERS["features"]({"multi_user", "api_access", "ads_report", "no_such"}) == \
        "Доступ по API, Команда, Отчёт по рекламе"  # a feature that is not built is hidden
    assert FILTERS["cell"](-123456, "money") == "−1\u00a0234,56" and FILTERS["cell"](1234, "percent") == "12,34\u00a0%"


def test_durations_read_in_russian():
    from stpulse.domain.kernel.formatting import duration

    assert duration(None) == "—"
    assert duration(42) == "42\u00a0с"
    assert duration(12 * 60 + 5) == "12\u00a0мин"
    assert duration(5 * 3600 + 60) == "5\u00a0ч\u00a01\u00a0мин"
    assert duration(1200 * 86400 + 7200) == "1\u00a0200\u00a0дн.\u00a02\u00a0ч"
