"""One shop-month of Ozon's settlement as the reconciliation reads it (recon.py builds the report from it)."""

from __future__ import annotations

import msgspec


class SettlementMonth(msgspec.Struct, frozen=True, kw_only=True):
    """What the ledger and Ozon's documents say about one shop and month (kopecks, Ozon's signs)."""

    shop_id: int
    month: int
    accrued: int = 0  # Σ accrual lines dated in the month
    delivered: int = 0  # sale lines > 0 and commission lines < 0 in the month
    returned: int = 0  # sale lines < 0 and commission lines > 0
    compensations: int = 0  # service lines of types mapped to «Компенсации»
    services: int = 0  # the other service lines
    delivered_first: int = 0  # `delivered` accrued on the month's 1st day
    returned_early: int = 0  # `returned` accrued on its 1st and 2nd day
    delivered_first_next: int = 0  # the same days of the next month
    returned_early_next: int = 0
    realized_delivered: int | None = None  # the realization report (None: not published or not imported)
    realized_returned: int | None = None  # negative
    realized_sales: int | None = None  # delivered at the sale price − returned: the УСН «доходы» base
    statement_accrued: int | None = None  # Σ of the month's cash-flow periods (None: no statement)
    statement_invoice: int = 0  # «сумма к выплате»
    statement_holds: int = 0  # Σ of (accrued − to pay) of periods where it is positive
    statement_releases: int = 0  # … where it is negative
    statement_paid: int = 0
    paid: int = 0  # payouts dated in the month (/v1/finance/balance by day)
