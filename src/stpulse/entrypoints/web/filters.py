"""Every way a page prints a value, in one place: the Jinja filters (and the report cells, also used by the CLI).

Russian style throughout (DESIGN.md): numbers grouped by a non-breaking space, a decimal comma, months by name,
Moscow time, titles instead of codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from stpulse.application.billing_common import FEATURE_TITLES
from stpulse.domain.money import format_count, format_rub
from stpulse.domain.period import month_label_lower, parse_month, period_label
from stpulse.domain.reports.table import Kind

MSK = dt.timezone(dt.timedelta(hours=3), "МСК")
_UNITS = ("Б", "КБ", "МБ", "ГБ")


def moscow_time(moment: dt.datetime | None) -> str:
    """A stored instant (UTC; naive means UTC) as sellers read it: «25.11.2026 21:00 МСК»."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(MSK).strftime("%d.%m.%Y %H:%M МСК")


def decimal_comma(value: float, digits: int = 1) -> str:
    """9.5 → «9,5»; 1234.5 → «1 234,5»."""
    return f"{value:,.{digits}f}".replace(",", "\u00a0").replace(".", ",")


def file_size(size: int) -> str:
    """9728 → «9,5 КБ»; 512 → «512 Б»."""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{format_count(size)}\u00a0Б" if unit == 0 else f"{decimal_comma(value)}\u00a0{_UNITS[unit]}"


def month_name(month: str) -> str:
    """«2025-12» → «декабрь 2025»."""
    return month_label_lower(parse_month(month))


def period_text(month_from: str, month_to: str) -> str:
    """«2025-12», «2026-11» → «декабрь 2025 — ноябрь 2026»."""
    return period_label(parse_month(month_from), parse_month(month_to))


def feature_title(code: str) -> str:
    return FEATURE_TITLES.get(code, code)


def feature_titles(codes: Iterable[str]) -> str:
    return ", ".join(sorted(feature_title(c) for c in codes))


def tariff_name(code: str, tariffs: Iterable[Any]) -> str:
    """A tariff's name for its code (a personal tariff's code carries the user's id), else the code."""
    return next((t.name for t in tariffs if t.code == code), code)


def format_cell(value: int | None, kind: Kind | str) -> str:
    """Kopecks as roubles, basis points as percents, counts with grouping (Russian style)."""
    if value is None:
        return "—"
    kind = Kind(kind)
    if kind is Kind.COUNT:
        return format_count(value)
    text = format_rub(value).removesuffix("\u00a0₽")
    return text + ("\u00a0%" if kind is Kind.PERCENT else "")


FILTERS = {"rub": format_rub, "num": format_count, "msk": moscow_time, "size": file_size, "month": month_name,
           "period": period_text, "feature": feature_title, "features": feature_titles, "tariff": tariff_name,
           "cell": format_cell}
