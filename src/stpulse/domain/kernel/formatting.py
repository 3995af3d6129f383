"""How figures read in Russian — the one place pages, files, the CLI and messages format them.

Roubles with a comma and two decimals, thousands grouped by a non-breaking space, a real minus sign;
percents held as basis points (12.34 % = 1234); counts and days as grouped integers.
"""

from __future__ import annotations

NBSP = "\u00a0"
MINUS = "−"


def group(value: int, sep: str = NBSP) -> str:
    """-166826 → '−166 826'."""
    return ("−" if value < 0 else "") + f"{abs(value):,}".replace(",", sep)


def format_amount(kopecks: int, sep: str = NBSP) -> str:
    """1234567 → '12 345,67' (no currency sign: table cells, invoices)."""
    roubles, kop = divmod(abs(kopecks), 100)
    return ("−" if kopecks < 0 else "") + group(roubles, sep) + f",{kop:02d}"


def format_rub(kopecks: int) -> str:
    """1234567 → '12 345,67 ₽'."""
    return f"{format_amount(kopecks)}{NBSP}₽"


def format_count(value: int) -> str:
    """166826 → '166 826'."""
    return group(value)


def format_percent(basis_points: int) -> str:
    """1234 → '12,34 %'."""
    return f"{format_amount(basis_points)}{NBSP}%"


def decimal_comma(value: float, digits: int = 1) -> str:
    """9.5 → «9,5»; 1234.5 → «1 234,5» (sizes and rates, never money)."""
    return f"{value:,.{digits}f}".replace(",", NBSP).replace(".", ",")


_SIZE_UNITS = ("Б", "КБ", "МБ", "ГБ")


def file_size(size: int) -> str:
    """9728 → «9,5 КБ»; 512 → «512 Б»."""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(_SIZE_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    if unit == 0:
        return f"{format_count(size)}{NBSP}Б"
    return f"{decimal_comma(value, 0 if value.is_integer() else 1)}{NBSP}{_SIZE_UNITS[unit]}"


def duration(seconds: float | None) -> str:
    """How long ago or how long: «40 с», «12 мин», «3 ч 5 мин», «2 дн. 4 ч»; None → «—»."""
    if seconds is None:
        return "—"
    s = max(int(seconds), 0)
    days, hours, minutes = s // 86400, s % 86400 // 3600, s % 3600 // 60
    if days:
        return f"{format_count(days)}{NBSP}дн.{NBSP}{hours}{NBSP}ч"
    if hours:
        return f"{hours}{NBSP}ч{NBSP}{minutes}{NBSP}мин"
    return f"{minutes}{NBSP}мин" if minutes else f"{s}{NBSP}с"
