"""Small builders for the money tests: accrual lines, a shop's rollup, report inputs."""

from __future__ import annotations

import datetime as dt
from itertools import count

from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.period import Period
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.rollup import concat_rollups
from stpulse.domain.ledger.rollup_sources import rollup_from_accruals
from stpulse.domain.reports.cube import OpexEntry, Product, ReportInputs
from stpulse.domain.reports.tax_rules import TaxSettings

_ids = count(1)


def line(day: dt.date, component: Component, amount: int, *, sku: int | None = None, type_id: int | None = None,
         quantity: int = 0) -> AccrualLine:
    return AccrualLine(accrual_id=next(_ids), line_no=0, date=day, category="POSTING" if sku else "NON_ITEM",
                       unit_number=None, sku=sku, component=component, type_id=type_id, amount=amount,
                       quantity=quantity)


def sale(day: dt.date, sku: int, amount: int, qty: int = 1) -> AccrualLine:
    return line(day, Component.SALE, amount, sku=sku, quantity=qty)


def commission(day: dt.date, sku: int, amount: int) -> AccrualLine:
    return line(day, Component.COMMISSION, amount, sku=sku)


def service(day: dt.date, type_id: int, amount: int, sku: int | None = None) -> AccrualLine:
    return line(day, Component.SERVICE, amount, sku=sku, type_id=type_id)


def inputs(lines_by_shop: dict[int, list[AccrualLine]], month_from: str, month_to: str, *,
           products: tuple[Product, ...] = (), costs: tuple[CostPrice, ...] = (),
           opex: tuple[OpexEntry, ...] = (), tax: dict[int, TaxSettings] | None = None,
           extra_rollups: tuple = ()) -> ReportInputs:
    mapping = LedgerMapping.default()
    parts = [rollup_from_accruals(ls, mapping, shop).rollup for shop, ls in lines_by_shop.items()]
    return ReportInputs(period=Period.parse(month_from, month_to), shop_ids=tuple(lines_by_shop),
                        rollup=concat_rollups([*parts, *extra_rollups]), products=products,
                        costs=CostBook(entries=costs).table(), opex=opex, tax=tax or {})
