"""The P&L a sandbox seller must get, recomputed from the sandbox's own ground truth (per-month totals by accrual
type and component) and its generated lines — never from the project's tables. Shared by the reconciliation tests
on PostgreSQL (tests/integration/money) and on the fakes (tests/unit/pipelines)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from stpulse.adapters.sandbox.ozon.reports import buyout_rows
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES

OZON = ("commission", "logistics", "reverse_logistics", "storage", "acquiring", "promotion", "subscriptions",
        "packaging", "rfbs_fees", "penalties", "financial_services", "adjustments", "rfbs_delivery_revenue", "other")
ACCRUAL_ROWS = ("revenue", "returns", "compensations", "memo:non_pnl", *(f"ozon:{a}" for a in OZON))
CostOn = Callable[[int, dt.date], int | None]  # (catalogue index of the SKU, day) → cost per unit, None: no cost


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    y, m = map(int, month.split("-"))
    return dt.date(y, m, 1), dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


def expected(world: SellerWorld, lines: Sequence[AccrualLine], months: Sequence[str],
             cost_on: CostOn, tax_base: Sequence[int | None] | None = None) -> dict[str, list[int]]:
    """Per P&L row code, the monthly values in kopecks (`_sale`: the whole sale component, for a cross-check).
    `tax_base`: per month the realization report's sales − returns when the shop imported it (УСН «доходы»)."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for i, month in enumerate(months):
        gt = world.ground_truth(*month_bounds(month))
        rows["memo:accruals"][i] = gt.total
        rows["buyouts"][i] = gt.buyout_amount  # /v1/finance/products/buyout, not an accrual (issue 11)
        rows["ozon:commission"][i] = gt.by_component["commission"]
        rows["_sale"][i] = gt.by_component["sale"]
        for type_id, amount in gt.by_type.items():
            article = DEFAULT_TYPE_ARTICLES.get(type_id, "other")
            code = article if article in ("compensations",) else ("memo:" if article == "non_pnl" else "ozon:") + article
            rows[code][i] += amount
    sku_index = {int(s): k for k, s in enumerate(world.catalog.sku.tolist())}
    index = {month: i for i, month in enumerate(months)}
    sold = _sale_dates(lines)
    for x in lines:
        i = index[x.date.strftime("%Y-%m")]
        if x.component.value == "sale":
            rows["revenue" if x.amount >= 0 else "returns"][i] += x.amount
            cost = cost_on(sku_index.get(x.sku or -1, -1), x.date if x.amount >= 0 else _sale_date(sold, x))
            if cost is not None:
                rows["cogs"][i] -= cost * (abs(x.quantity) if x.amount >= 0 else -abs(x.quantity))
    for day, row in sandbox_buyouts(world, month_bounds(months[0])[0], month_bounds(months[-1])[1]):
        cost = cost_on(sku_index.get(int(row["sku"]), -1), day)  # goods Ozon bought out cost what they cost
        if cost is not None:
            rows["cogs"][index[day.strftime("%Y-%m")]] -= cost * int(row["quantity"])
    if tax_base is not None:  # goods Ozon bought out are income beside the realization report (domain/reports/taxes)
        tax_base = [None if b is None else b + rows["buyouts"][i] for i, b in enumerate(tax_base)]
    derived(rows, len(months), tax_base=tax_base)
    return rows


def sandbox_buyouts(world: SellerWorld, first: dt.date, last: dt.date) -> list[tuple[dt.date, dict]]:
    """The sandbox's own buyout rows, day by day (its API gives no date per row; its days do)."""
    out = []
    day = first
    while day <= last:
        out += [(day, row) for row in buyout_rows(world, day, day)]
        day += dt.timedelta(days=1)
    return out


def _sale_dates(lines: Sequence[AccrualLine]) -> dict[tuple[str | None, int | None], list[dt.date]]:
    sold: dict[tuple[str | None, int | None], list[dt.date]] = defaultdict(list)
    for x in lines:
        if x.component.value == "sale" and x.amount > 0 and x.unit_number is not None:
            sold[x.unit_number, x.sku].append(x.date)
    return sold


def _sale_date(sold: dict[tuple[str | None, int | None], list[dt.date]], ret: AccrualLine) -> dt.date:
    """A return is costed on the date of the sale it reverses (same posting and SKU), else on its own date."""
    return max((d for d in sold.get((ret.unit_number, ret.sku), ()) if d <= ret.date), default=ret.date)


def derived(rows: dict[str, list[int]], n: int, tax_percent: int = 6,
            tax_base: Sequence[int | None] | None = None) -> None:
    """The subtotals, and УСН «доходы» on the realization report's sales of each month (`tax_base`), or on the
    net revenue (sales − returns + buyouts) where there is none."""
    for i in range(n):
        net = rows["revenue"][i] + rows["returns"][i] + rows["buyouts"][i]
        rows["net_revenue"][i] = net
        rows["gross_profit"][i] = net + rows["cogs"][i]
        rows["ozon_expenses"][i] = sum(rows[f"ozon:{a}"][i] for a in OZON)
        rows["ebitda"][i] = rows["gross_profit"][i] + rows["ozon_expenses"][i] + rows["compensations"][i]
        base = tax_base[i] if tax_base is not None and tax_base[i] is not None else net
        tax = (Decimal(max(base, 0)) * tax_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        rows["tax"][i] = -int(tax)
        rows["net_profit"][i] = rows["ebitda"][i] + rows["tax"][i]


def check_pnl(rows: Sequence[dict], want: dict[str, list[int]], total: int) -> None:
    """Every expected row to the kopeck; Σ months = total of each money row; the accrual rows add up to all
    accruals of the period (`total`, the ground truth)."""
    got = {r["code"]: r for r in rows}
    for code, values in want.items():
        if code.startswith("_"):
            continue
        assert list(got[code]["values"]) == values, code
        assert got[code]["total"] == sum(values), code
    assert [a + b for a, b in zip(want["revenue"], want["returns"], strict=True)] == want["_sale"]
    for r in rows:
        if r["kind"] == "money":  # a «—» cell (an open month's deviation of the estimate) adds nothing
            known = [v for v in r["values"] if v is not None]
            assert (sum(known) if known else None) == r["total"], r["code"]
    assert sum(got[c]["total"] for c in ACCRUAL_ROWS) == total
