"""The Jinja filters: the names pages use for the formatting rules of domain/kernel (one place for each rule).

Russian style throughout (DESIGN.md): numbers grouped by a non-breaking space, a decimal comma, months by name,
Moscow time, titles instead of codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stpulse.domain.billing.tariffs import FEATURE_TITLES
from stpulse.domain.kernel.formatting import duration, file_size, format_count, format_rub
from stpulse.domain.kernel.moscow import moscow_time_text
from stpulse.domain.kernel.period import month_label_lower, parse_month, period_label
from stpulse.domain.reports.table import format_value


def month_name(month: str) -> str:
    """«2025-12» → «декабрь 2025»."""
    return month_label_lower(parse_month(month))


def period_text(month_from: str, month_to: str) -> str:
    """«2025-12», «2026-11» → «декабрь 2025 — ноябрь 2026»."""
    return period_label(parse_month(month_from), parse_month(month_to))


def feature_title(code: str) -> str:
    return FEATURE_TITLES.get(code, code)


def feature_titles(codes: Iterable[str]) -> str:
    return ", ".join(feature_list(codes))


def feature_list(codes: Iterable[str]) -> list[str]:
    """The titles of the features that exist (a tariff may carry ones not built yet: no card sells them)."""
    return sorted(FEATURE_TITLES[c] for c in codes if c in FEATURE_TITLES)


def tariff_name(code: str, tariffs: Iterable[Any]) -> str:
    """A tariff's name for its code (a personal tariff's code carries the user's id), else the code."""
    return next((t.name for t in tariffs if t.code == code), code)


FILTERS = {"rub": format_rub, "num": format_count, "msk": moscow_time_text, "size": file_size, "month": month_name,
           "period": period_text, "feature": feature_title, "features": feature_titles, "feature_list": feature_list,
           "tariff": tariff_name, "cell": format_value,
           "duration": lambda delta: duration(delta.total_seconds() if delta is not None else None)}
