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
