"""Split one raw `/v1/finance/accrual/by-day` accrual into AccrualLines that add up to its total.

Lines, in this order (`line_no` counts from 0 in this order, so re-importing gives the same natural keys):
- POSTING, per product: SALE = sale_price + bonus + coinvestment (seller price × qty), COMMISSION =
  sale_commission, one SERVICE per `delivery.services[]`. `commission: null` means logistics only.
- ITEM: one SERVICE per `item_fees.fees[].fees[]`, with the SKU and quantity of its item.
- NON_ITEM: one SERVICE for `non_item_fee`.
- `container_fees` (absent from the spec): every `{type_id, accrued}` found inside, as SERVICE.
Every part present is taken whatever `accrued_category` says, so an odd combination loses nothing.

Never lose an amount: each part is rounded once to kopecks; when the parts do not add up to
`total_amount` (Ozon's own inconsistency, or sub-kopeck rounding), a balancing SERVICE line with
`type_id = 0` («расхождение», DISCREPANCY_TYPE_ID) carries the difference, so Σ lines == total always,
and the record counts it (`balancing_lines`, `discrepancy`) for the admin queue. A product whose
`delivery.services` do not add up to its `delivery.total_accrued` gets such a line with its SKU.
`quantity` on a line is the units the line refers to; count units sold from SALE lines only.

Odd answers neither stop the sync nor count in silence (`record.anomalies`, Russian, stored with the raw line
for the admin's «аномалии» list): an amount sent as a JSON number is an exact Decimal (decode_raw); an amount
that is not a number counts 0 and is named (the balancing line keeps Σ lines == total); a missing or unreadable
`total_amount` is the sum of the parts, never 0 (which a balancing line would turn into cancelling the accrual);
a POSTING product without `quantity` counts 0 units and is named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import msgspec

from stpulse.adapters.ozon import wire_finance as w
from stpulse.adapters.ozon.convert import amount, day, decode_raw, kop
from stpulse.application.ozon.ports import AccrualRecord, OzonUnexpectedAnswer
from stpulse.domain.ledger.accruals import AccrualLine, Component

PATH = "/v1/finance/accrual/by-day"
DISCREPANCY_TYPE_ID = 0


class _Part(msgspec.Struct, frozen=True):
    component: Component
    type_id: int | None
    amount: int
    sku: int | None = None
    quantity: int = 0


def normalise_accrual(raw: msgspec.Raw | bytes, requested_day: dt.date) -> AccrualRecord:
    accrual = decode_raw(raw, w.Accrual, PATH)
    odd = _Anomalies()
    parts = list(_posting_parts(accrual.posting, odd))
    parts += _item_parts(accrual.item_fees, odd)
    parts += _non_item_parts(accrual.non_item_fee, odd)
    parts += _container_parts(accrual.container_fees, odd)
    total = odd.kop(accrual.total_amount.amount if accrual.total_amount else None, missing=None)
    if total is None:
        odd.note("нет total_amount: взята сумма частей")
        total = sum(p.amount for p in parts)
    gap = total - sum(p.amount for p in parts)
    if gap:
        parts.append(_Part(Component.SERVICE, DISCREPANCY_TYPE_ID, gap))
    return _record(accrual, parts, total, requested_day, bytes(raw), tuple(odd.reasons))


class _Anomalies:
    """What the adapter could not trust in one accrual, in Russian for the admin's «аномалии» list."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def note(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def kop(self, value: object, missing: int | None = 0) -> int | None:
        """Whole kopecks of an amount sent as a string or a JSON number; `missing` when absent or not a number."""
        if value is None or value == "":
            return missing
        try:
            return kop(value, PATH)  # type: ignore[arg-type]
        except OzonUnexpectedAnswer:
            self.note(f"сумма не число: {value!r}")
            return missing

    def money(self, money: w.Money | None) -> int:
        return self.kop(money.amount if money else None) or 0


def _record(accrual: w.Accrual, parts: list[_Part], total: int, requested_day: dt.date, raw: bytes,
            anomalies: tuple[str, ...]) -> AccrualRecord:
    date = day(accrual.date, requested_day)
    category = accrual.accrued_category or "UNSPECIFIED"
    schema = accrual.posting.delivery_schema if accrual.posting else None
    lines = tuple(
        AccrualLine(
            accrual_id=accrual.accrual_id, line_no=no, date=date, category=category,
            unit_number=accrual.unit_number, sku=p.sku, component=p.component, type_id=p.type_id,
            amount=p.amount, quantity=p.quantity, delivery_schema=schema,
        )
        for no, p in enumerate(parts)
    )
    balancing = [p for p in parts if p.type_id == DISCREPANCY_TYPE_ID]
    return AccrualRecord(
        accrual_id=accrual.accrual_id, date=date, category=category, unit_number=accrual.unit_number,
        total_amount=total, lines=lines, balancing_lines=len(balancing),
        discrepancy=sum(p.amount for p in balancing), raw=raw, asked_day=requested_day, anomalies=anomalies,
    )


def _posting_parts(posting: w.AccrualPosting | None, odd: _Anomalies) -> Iterator[_Part]:
    for product in (posting.products or []) if posting else []:
        sku, qty = product.sku, product.quantity or 0
        if product.quantity is None:
            odd.note(f"у товара {sku} нет quantity: штуки не посчитаны")
        commission = product.commission
        if commission is not None:
            sale = _decimal(commission.sale_price, odd) + _decimal(commission.bonus, odd) + _decimal(
                commission.coinvestment, odd)
            fee = commission.sale_commission or commission.commission
            yield _Part(Component.SALE, None, kop(sale), sku, qty)
            yield _Part(Component.COMMISSION, None, odd.money(fee), sku, qty)
        yield from _delivery_parts(product.delivery, sku, qty, odd)


def _decimal(money: w.Money | None, odd: _Anomalies) -> Decimal:
    """A part of the seller's price, exact: the three are summed before the one rounding to kopecks."""
    value = money.amount if money else None
    try:
        return amount(value, PATH)  # type: ignore[arg-type]
    except OzonUnexpectedAnswer:
        odd.note(f"сумма не число: {value!r}")
        return Decimal(0)


def _delivery_parts(delivery: w.Delivery | None, sku: int | None, qty: int, odd: _Anomalies) -> Iterator[_Part]:
    if delivery is None:
        return
    services = [_fee_part(fee, sku, qty, odd) for fee in delivery.services or []]
    yield from services
    total = odd.kop(delivery.total_accrued.amount if delivery.total_accrued else None, missing=None)
    if total is not None:
        gap = total - sum(p.amount for p in services)
        if gap:
            yield _Part(Component.SERVICE, DISCREPANCY_TYPE_ID, gap, sku, qty)


def _fee_part(fee: w.Fee, sku: int | None, qty: int, odd: _Anomalies) -> _Part:
    return _Part(Component.SERVICE, fee.type_id, odd.money(fee.accrued), sku, qty)


def _item_parts(item_fees: w.ItemFees | None, odd: _Anomalies) -> list[_Part]:
    items = (item_fees.fees or []) if item_fees else []
    return [_fee_part(fee, item.sku, item.quantity or 0, odd) for item in items for fee in item.fees or []]


def _non_item_parts(fee: w.Fee | None, odd: _Anomalies) -> list[_Part]:
    return [_fee_part(fee, None, 0, odd)] if fee is not None else []


def _container_parts(node: Any, odd: _Anomalies, sku: int | None = None) -> list[_Part]:
    """Walk an unknown structure and take every `{type_id, accrued: {amount}}` in document order."""
    if isinstance(node, list):
        return [part for child in node for part in _container_parts(child, odd, sku)]
    if not isinstance(node, dict):
        return []
    sku = node["sku"] if isinstance(node.get("sku"), int) else sku
    accrued = node.get("accrued")
    if "type_id" in node and isinstance(accrued, dict):
        type_id = node["type_id"] if isinstance(node["type_id"], int) else None
        qty = node["quantity"] if isinstance(node.get("quantity"), int) else 0
        return [_Part(Component.SERVICE, type_id, odd.kop(accrued.get("amount")) or 0, sku, qty)]
    return [part for key, child in node.items() if key != "accrued" for part in _container_parts(child, odd, sku)]
