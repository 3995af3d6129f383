"""VAT contained in a VAT-inclusive total, and the invoice's VAT line."""

from __future__ import annotations

from stpulse.domain.kernel.errors import DomainError
from stpulse.domain.kernel.formatting import format_amount


def vat_included(total: int, rate_percent: int) -> int:
    """VAT contained in a VAT-inclusive `total`: total × rate / (100 + rate), half-up to the kopeck."""
    if rate_percent < 0:
        raise DomainError("Ставка НДС не может быть отрицательной")
    denominator = 100 + rate_percent
    sign = -1 if total < 0 else 1
    return sign * ((abs(total) * rate_percent * 2 + denominator) // (2 * denominator))


def vat_line(total: int, rate_percent: int | None) -> str:
    """«В том числе НДС 20%: 205,76 руб.» or «Без НДС» (rate None: the supplier is not a VAT payer)."""
    if rate_percent is None:
        return "Без НДС"
    return f"В том числе НДС {rate_percent}%: {format_amount(vat_included(total, rate_percent))} руб."
