"""Tax estimate per (shop, month) from the cube; the P&L and the unit economics share it."""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.ledger.articles import ARTICLE_INDEX, BUYOUTS, RETURNS, REVENUE
from stpulse.domain.reports.cube import PeriodCube, ReportInputs, ebitda_shop_month
from stpulse.domain.reports.tax_rules import TaxBase, estimate_tax

NO_REGIME = "Налоговый режим не задан — налог не рассчитан"
_SALES = np.array([REVENUE, RETURNS, BUYOUTS], dtype=np.intp)
_COMPENSATIONS = ARTICLE_INDEX["compensations"]


class ShopTaxes(msgspec.Struct, frozen=True, kw_only=True):
    amounts: np.ndarray  # int64 [shop, month], negative (an expense)
    rules: tuple[tuple[str, ...], ...]  # [shop][month] rule text with figures
    summary: str  # the rules in words, for the P&L row


def shop_taxes(cube: PeriodCube, inputs: ReportInputs) -> ShopTaxes:
    n_shop, n_month = cube.shop_month.shape[:2]
    sales = cube.shop_month[:, :, _SALES].sum(axis=2)
    income = sales + cube.shop_month[:, :, _COMPENSATIONS]
    profit = ebitda_shop_month(cube)
    amounts = np.zeros((n_shop, n_month), dtype=np.int64)
    rules: list[tuple[str, ...]] = []
    realized = {(m.shop_id, m.month): m.realized_sales for m in inputs.settlement}  # + goods Ozon bought out
    buyouts = cube.shop_month[:, :, BUYOUTS]
    for s, shop_id in enumerate(int(x) for x in cube.shop_ids):
        settings = inputs.tax.get(shop_id)
        shop_rules = []
        for m, month in enumerate(cube.months):
            if settings is None:
                shop_rules.append(NO_REGIME)
                continue
            base = TaxBase(sales=int(sales[s, m]), income=int(income[s, m]), profit=int(profit[s, m]),
                           payouts=inputs.payouts.get((shop_id, month)), realized=_plus(realized.get((shop_id, month)), int(buyouts[s, m])))
            estimate = estimate_tax(settings, base)
            amounts[s, m] = -estimate.amount
            shop_rules.append(estimate.rule)
        rules.append(tuple(shop_rules))
    described = {inputs.tax[int(i)].describe() if int(i) in inputs.tax else NO_REGIME for i in cube.shop_ids}
    return ShopTaxes(amounts=amounts, rules=tuple(rules), summary="; ".join(sorted(described)))


def _plus(value: int | None, more: int) -> int | None:
    return None if value is None else value + more
