"""Money in integer kopecks and the exact splitting of amounts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from stpulse.domain.kernel.errors import CurrencyMismatch, DomainError
from stpulse.domain.kernel.formatting import format_rub

_KOPECK = Decimal("0.01")
MAX_AMOUNT_KOPECKS = 10_000_000_000 * 100  # 10 billion ₽: anything typed or imported above is a typo


class Money(msgspec.Struct, frozen=True, kw_only=True):
    """An amount of money in minor units (kopecks). Refuses to mix currencies."""

    kopecks: int
    currency: str = "RUB"

    @classmethod
    def rub(cls, kopecks: int) -> Money:
        return cls(kopecks=kopecks)

    @classmethod
    def from_decimal(cls, amount: Decimal, currency: str = "RUB") -> Money:
        return cls(kopecks=kopecks_from_decimal(amount), currency=currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"Нельзя сложить {self.currency} и {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(kopecks=self.kopecks + other.kopecks, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(kopecks=self.kopecks - other.kopecks, currency=self.currency)

    def __neg__(self) -> Money:
        return Money(kopecks=-self.kopecks, currency=self.currency)

    def __str__(self) -> str:
        return format_rub(self.kopecks)


def kopecks_from_decimal(amount: Decimal | str | int) -> int:
    """Round a rouble amount once, half-up, to whole kopecks."""
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return int((value / _KOPECK).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` kopecks in proportion to `weights` by the largest-remainder rule.

    The parts always add up to `total`. Ties in the remainder go to the earlier weight,
    so the split is deterministic. Zero weights everywhere give an even split.
    """
    if any(w < 0 for w in weights):
        raise DomainError("Веса распределения не могут быть отрицательными")
    n = len(weights)
    if n == 0:
        if total:
            raise DomainError("Нельзя распределить сумму на пустой список")
        return []
    base_weights = list(weights) if sum(weights) > 0 else [1] * n
    wsum = sum(base_weights)
    sign = -1 if total < 0 else 1
    amount = abs(total)
    parts = [amount * w // wsum for w in base_weights]
    remainders = [amount * w % wsum for w in base_weights]
    left = amount - sum(parts)
    order = sorted(range(n), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]
