"""The Юнитка pre-aggregation gives back rollup rows whose cube equals the one of the plain monthly rows."""

from __future__ import annotations

import numpy as np

from stpulse.application.reports.sources import SALES, spread_period_totals
from stpulse.domain.ledger.articles import COMMISSION, REVENUE

M0, M1 = 20_000, 20_031  # the first days of two months (day numbers)
LOG = 4  # logistics


def plain() -> np.ndarray:
    # day, sku, article, amount, quantity — as stored in sku_monthly_rollups (sku 0 = shop-level)
    return np.array([
        [M0, 11, REVENUE, 1000, 2], [M1, 11, REVENUE, 500, 1], [M0, 11, COMMISSION, -100, 0],
        [M1, 11, COMMISSION, -50, 0], [M1, 12, LOG, -70, 0], [M0, 0, LOG, -9, 0], [M1, 0, 17, 30, 0],
    ], dtype=np.int64)


def pre_aggregated(rows: np.ndarray) -> np.ndarray:
    """What the database answers for the BY_SKU grain (see adapters/db/reports/repositories._GRAINS)."""
    sales = rows[np.isin(rows[:, 2], SALES)]
    other = rows[~np.isin(rows[:, 2], SALES)]
    by_sku: dict[tuple[int, int], int] = {}
    by_month: dict[tuple[int, int], int] = {}
    for d, s, a, m, _ in other.tolist():
        if s:
            by_sku[(s, a)] = by_sku.get((s, a), 0) + m
        by_month[(d, a)] = by_month.get((d, a), 0) + m
    shop_level = other[other[:, 1] == 0].tolist()
    return np.array([*sales.tolist(), *([-1, s, a, m, 0] for (s, a), m in by_sku.items()),
                     *([d, -1, a, m, 0] for (d, a), m in by_month.items()), *shop_level], dtype=np.int64)


def sums(rows: np.ndarray, key: list[int]) -> dict[tuple[int, ...], int]:
    out: dict[tuple[int, ...], int] = {}
    for r in rows.tolist():
        k = tuple(r[i] for i in key)
        out[k] = out.get(k, 0) + r[3]
    return {k: v for k, v in out.items() if v}


def test_month_totals_sku_totals_and_shop_level_rest_are_exact():
    rows, got = plain(), spread_period_totals(pre_aggregated(plain()), M0)
    assert sums(got, [0, 2]) == sums(rows, [0, 2])  # per month and article: the P&L and the tax base
    assert sums(got[got[:, 1] >= 0], [1, 2]) == sums(rows, [1, 2])  # per SKU (0 = shop-level) and article
    assert sums(got[np.isin(got[:, 2], SALES)], [0, 1, 2]) == sums(rows[np.isin(rows[:, 2], SALES)], [0, 1, 2])
    # shop-level money stays in its own month (Юнитка splits it month by month); what moves money between months
    # is marked sku −1 (a correction, in no SKU's row) and adds up to zero per article
    assert sums(got[got[:, 1] == 0], [0, 2]) == sums(rows[rows[:, 1] == 0], [0, 2])
    assert sums(got[got[:, 1] == -1], [2]) == {}


def test_plain_rows_pass_through():
    assert (spread_period_totals(plain(), M0) == plain()).all()
