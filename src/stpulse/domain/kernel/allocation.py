"""Exact integer arithmetic over int64 arrays: largest-remainder splits and half-up ratios.

Percentages are kept as integer basis points (1 % = 100 bp) so that the page, the spreadsheet and the JSON
all show the same rounded figure.
"""

from __future__ import annotations

import numpy as np

from stpulse.domain.kernel.errors import DomainError

_INT64_MAX = 2**63 - 1
_WIDE_SUM, _WIDE_AMOUNT = 1 << 50, 1 << 62  # bounds of the int64 path for products beyond int64 (`_split_wide`)
BP = 10_000  # basis points in 1 (100 %)
_EMPTY = "Нельзя распределить сумму на пустой список"


def allocate_array(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` kopecks in proportion to non-negative int64 `weights` by the largest-remainder rule.

    The parts add up to `total` exactly; remainder ties go to the earlier weight; all-zero weights split
    evenly (the same rule as `money.allocate`, vectorised).
    """
    return Shares(weights).split(total)


class Shares:
    """Weights checked and summed once, for many largest-remainder splits over them (`split`, as
    `allocate_array`): Юнитка splits each month's shop-level articles, own expenses and tax by one month's
    weights. `split_positive` works on the positive weights only (`where`): a zero weight never gets a kopeck —
    the kopecks left after the floors are fewer than the weights with a remainder, and a zero weight has none."""

    def __init__(self, weights: np.ndarray) -> None:
        w = np.asarray(weights, dtype=np.int64)
        if w.ndim != 1:
            raise DomainError("Веса распределения должны быть одномерным массивом")
        if (w < 0).any():
            raise DomainError("Веса распределения не могут быть отрицательными")
        self.positive = bool(w.any())  # False: all zero (or none), split evenly
        self.weights = w if self.positive or not w.size else np.ones_like(w)
        self.where = np.flatnonzero(self.weights)
        self._dense = self.weights[self.where]
        self.sum = int(self.weights.sum(dtype=np.int64))
        self.top = int(self.weights.max()) if w.size else 0

    def split(self, total: int) -> np.ndarray:
        if self.weights.size == 0:
            if total:
                raise DomainError(_EMPTY)
            return np.zeros(0, dtype=np.int64)
        out = np.zeros(self.weights.size, dtype=np.int64)
        out[self.where] = self.split_positive(total)
        return out

    def split_positive(self, total: int) -> np.ndarray:
        """The parts of the positive weights, in the order of `where`."""
        w, wsum = self._dense, self.sum
        amount = abs(int(total))
        if amount * self.top > _INT64_MAX or wsum > _INT64_MAX // 2:
            if wsum < _WIDE_SUM and amount < _WIDE_AMOUNT:
                parts, rem = _split_wide(amount, w, wsum)
            else:
                parts, rem = _split_exact(amount, w.astype(object), wsum)
        else:
            parts, rem = _floor_rem(w * amount, wsum)
        left = amount - int(parts.sum())
        if left:
            parts[_largest(rem, left)] += 1
        out = np.asarray(parts, dtype=np.int64)
        if total < 0:
            np.negative(out, out=out)
        return out


def _floor_rem(product: np.ndarray, wsum: int) -> tuple[np.ndarray, np.ndarray]:
    """(product // wsum, product % wsum) of a non-negative int64 array: the remainder by a multiply and subtract,
    since numpy divides by a scalar fast but takes a remainder or a divmod an order of magnitude slower."""
    parts = product // wsum
    np.subtract(product, parts * wsum, out=product)  # the product is ours: the remainder takes its place
    return parts, product


def _largest(rem: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` largest remainders, ties going to the earlier index (what a stable sort by −rem
    gives), found by a linear-time partition of a key unique per element instead of a sort."""
    n = rem.size
    if count >= n:
        return np.arange(n)
    if rem.dtype != object:
        top = int(rem.max())
        if (top + 1) * n < 1 << 62:  # the key below stays inside int64
            key = (top - rem) * n + np.arange(n)  # smaller key: larger remainder, then earlier index
            return np.argpartition(key, count - 1)[:count]
    return np.argsort(-rem, kind="stable")[:count]


def _split_wide(amount: int, w: np.ndarray, wsum: int) -> tuple[np.ndarray, np.ndarray]:
    """floor(w·amount / wsum) and its remainder where w·amount overflows int64, still in int64.

    A float estimate q̃ is off by at most ~2¹⁰ (amount < 2⁶², relative error ~2⁻⁵²), so the true w·amount − q̃·wsum
    lies within ±2¹¹·wsum < 2⁶¹: computed with int64 products that wrap modulo 2⁶⁴, it comes out exact, and one
    floor division by wsum corrects the estimate."""
    estimate = np.floor(w.astype(np.float64) * (amount / wsum)).astype(np.int64)
    off = w * amount - estimate * wsum  # wraps in the products, exact in the result
    return estimate + off // wsum, off % wsum


def _split_exact(amount: int, w: np.ndarray, wsum: int) -> tuple[np.ndarray, np.ndarray]:
    # Python integers never overflow; taken only for sums beyond int64 products (billions of roubles).
    product = w * amount
    return product // wsum, np.asarray(product % wsum, dtype=object)


def divide_half_up(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise num/den rounded half away from zero; returns (values, defined) where den == 0 is undefined."""
    n = np.asarray(num, dtype=np.int64)
    d = np.asarray(den, dtype=np.int64)
    defined = d != 0
    safe = np.where(defined, np.abs(d), 1)
    q = (2 * np.abs(n) + safe) // (2 * safe)
    sign = np.sign(n) * np.where(d < 0, -1, 1)
    return np.where(defined, sign * q, 0).astype(np.int64), defined


def ratio_bp(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """num/den in basis points (12.34 % = 1234), half-up; undefined where den ≤ 0.

    Every percent we show has a base that is positive when it means anything (revenue, cost of goods,
    units sold): a margin «of» a month where returns exceed sales would only mislead.
    """
    d = np.asarray(den, dtype=np.int64)
    values, _ = divide_half_up(np.asarray(num, dtype=np.int64) * BP, np.where(d > 0, d, 0))
    return values, d > 0


def div_half_up(num: int, den: int) -> int | None:
    if den == 0:
        return None
    q = (2 * abs(num) + abs(den)) // (2 * abs(den))
    return q if (num >= 0) == (den > 0) else -q


def percent_bp(num: int, den: int) -> int | None:
    """num/den in basis points, half-up; None where den ≤ 0 (see `ratio_bp`)."""
    return div_half_up(num * BP, den) if den > 0 else None
