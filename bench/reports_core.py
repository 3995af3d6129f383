"""Benchmark: the money core on synthetic rollups (no I/O). Prints a table, then one JSON line.

Workload A: 12 months × 5 000 SKUs × 20 articles = 1.2 M rollup rows (one per SKU, article and month).
Workload B: a year of daily rows, 5 000 SKUs × 365 days × 3 articles ≈ 5.5 M rows (a busy seller).
Both include shop-level rows, a cost history with 3 prices per SKU, 10 opex articles and УСН «доходы».
"""

from __future__ import annotations

import datetime as dt
import json
import time

import numpy as np

from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.period import Period, day_number, parse_month
from stpulse.domain.ledger.articles import BUYOUTS, N_ARTICLES, NON_PNL, RETURNS, REVENUE
from stpulse.domain.ledger.rollup import make_rollup
from stpulse.domain.reports.cube import AllocationRule, OpexEntry, Product, ReportInputs, build_cube
from stpulse.domain.reports.pnl import pnl_from_cube
from stpulse.domain.reports.tax_rules import TaxRegime, TaxSettings
from stpulse.domain.reports.taxes import shop_taxes
from stpulse.domain.reports.unit_economics import allocate, unit_economics_from_cube

N_SKU, SHOP = 5000, 1
FIRST = dt.date(2025, 1, 1)
ARTS = np.array([a for a in range(N_ARTICLES) if a not in (NON_PNL,)][:20])


def rollup(n_rows: int, rng: np.random.Generator, days: np.ndarray, sku: np.ndarray, art: np.ndarray):
    amount = rng.integers(1, 500_000, n_rows, dtype=np.int64)
    amount = np.where((art == REVENUE) | (art == BUYOUTS), amount, -amount)
    quantity = np.where(np.isin(art, [REVENUE, RETURNS, BUYOUTS]), rng.integers(1, 20, n_rows), 0)
    sku = np.where(rng.random(n_rows) < 0.02, -1, sku)  # 2 % shop-level rows
    return make_rollup(day=days, shop=np.zeros(n_rows), sku=sku, article=art, amount=amount, quantity=quantity,
                       shop_ids=[SHOP], skus=np.arange(1_000_000, 1_000_000 + N_SKU), sku_shop=np.zeros(N_SKU))


def workload_a(rng):
    month_starts = np.array([day_number(dt.date(2025, m, 1)) for m in range(1, 13)])
    m, s, a = np.meshgrid(np.arange(12), np.arange(N_SKU), ARTS, indexing="ij")
    days = month_starts[m.ravel()] + rng.integers(0, 28, m.size)
    return rollup(m.size, rng, days, s.ravel(), a.ravel())


def workload_b(rng):
    d, s = np.meshgrid(np.arange(365), np.arange(N_SKU), indexing="ij")
    d, s = np.repeat(d.ravel(), 3), np.repeat(s.ravel(), 3)
    art = rng.choice(ARTS[:8], d.size)
    return rollup(d.size, rng, day_number(FIRST) + d, s, art)


def inputs(r) -> ReportInputs:
    products = tuple(Product(shop_id=SHOP, sku=1_000_000 + k, offer_id=f"OF-{k}") for k in range(N_SKU))
    costs = CostBook(entries=tuple(
        CostPrice(offer_id=f"OF-{k}", effective_from=dt.date(2024 + (i > 0), 1 + 4 * i, 1), purchase=10_000 + i)
        for k in range(N_SKU) for i in range(3))).table()
    opex = tuple(OpexEntry(shop_id=SHOP, month=parse_month("2025-01") + m, article=f"Статья {j}", amount=100_000)
                 for m in range(12) for j in range(10))
    return ReportInputs(period=Period.parse("2025-01", "2025-12"), shop_ids=(SHOP,), rollup=r, products=products,
                        costs=costs, opex=opex, tax={SHOP: TaxSettings(regime=TaxRegime.USN_INCOME)})


def best_ms(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000, out


def run(name, r):
    inp = inputs(r)
    cube_ms, cube = best_ms(lambda: build_cube(inp))
    tax_ms, taxes = best_ms(lambda: shop_taxes(cube, inp))
    pnl_ms, _ = best_ms(lambda: pnl_from_cube(cube, taxes))
    alloc_ms, _ = best_ms(lambda: allocate(cube, taxes, AllocationRule.REVENUE))
    ue_ms, ue = best_ms(lambda: unit_economics_from_cube(cube, taxes, AllocationRule.REVENUE, inp.products), 3)
    core = cube_ms + tax_ms + pnl_ms + alloc_ms
    return {"workload": name, "rows": len(r), "cube_ms": round(cube_ms, 1), "tax_ms": round(tax_ms, 1),
            "pnl_ms": round(pnl_ms, 1), "allocate_ms": round(alloc_ms, 1), "core_ms": round(core, 1),
            "unit_table_ms": round(ue_ms, 1), "sku_rows": len(ue.rows)}


def main() -> None:
    rng = np.random.default_rng(42)
    results = [run("A 12m×5000sku×20art", workload_a(rng)), run("B daily 365×5000×3", workload_b(rng))]
    head = ("workload", "rows", "cube_ms", "tax_ms", "pnl_ms", "allocate_ms", "core_ms", "unit_table_ms")
    print(" | ".join(f"{h:>20}" if i == 0 else f"{h:>13}" for i, h in enumerate(head)))
    for res in results:
        print(" | ".join(f"{res[h]!s:>20}" if i == 0 else f"{res[h]!s:>13}" for i, h in enumerate(head)))
    print("core = cube (one pass over the rows incl. cost look-up) + tax + P&L + allocation to SKUs;")
    print("unit_table = the whole Юнитка table incl. Python row objects for every SKU.")
    a, b = results
    print(json.dumps({"bench": "reports_core", "rows_a": a["rows"], "core_ms_a": a["core_ms"],
                      "unit_table_ms_a": a["unit_table_ms"], "rows_b": b["rows"], "core_ms_b": b["core_ms"],
                      "unit_table_ms_b": b["unit_table_ms"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
