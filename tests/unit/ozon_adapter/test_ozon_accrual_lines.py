"""How one accrual becomes lines — worked examples, including the odd shapes real answers have."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from stpulse.adapters.ozon.accruals import DISCREPANCY_TYPE_ID, normalise_accrual
from stpulse.application.ozon.ports import OzonUnexpectedAnswer
from stpulse.domain.ledger.accruals import Component

DAY = dt.date(2026, 9, 26)


def rub(amount: str) -> dict:
    return {"amount": amount, "currency": "RUB"}


def posting(total: str, products: list[dict]) -> bytes:
    return msgspec.json.encode({
        "accrual_id": 7, "date": "2026-09-26", "total_amount": rub(total), "unit_number": "1-2-3",
        "accrued_category": "POSTING", "posting": {"delivery_schema": "Fbo", "products": products},
        "item_fees": None, "non_item_fee": None, "container_fees": None,
    })


SOLD = {
    "sku": 277810334, "quantity": 2,
    "delivery": {"total_accrued": rub("-145.94"),
                 "services": [{"type_id": 32, "accrued": rub("-126")}, {"type_id": 29, "accrued": rub("-19.94")}]},
    "commission": {"seller_price": rub("3592"), "sale_price": rub("1673.33"), "sale_commission": rub("-1616.4"),
                   "commission": rub("-1616.4"), "commission_ratio": 'value:"0.450000"', "sale_amount": rub("3592"),
                   "coinvestment": rub("0"), "bonus": rub("1918.67")},
}


def test_a_sold_product_gives_sale_commission_and_one_line_per_service():
    record = normalise_accrual(posting("1829.66", [SOLD]), DAY)
    assert [(x.component, x.type_id, x.amount) for x in record.lines] == [
        (Component.SALE, None, 359200),
        (Component.COMMISSION, None, -161640),
        (Component.SERVICE, 32, -12600),
        (Component.SERVICE, 29, -1994),
    ]
    assert [x.line_no for x in record.lines] == [0, 1, 2, 3]
    assert {x.sku for x in record.lines} == {277810334} and {x.quantity for x in record.lines} == {2}
    assert record.lines[0].delivery_schema == "Fbo" and record.lines[0].unit_number == "1-2-3"
    assert record.total_amount == 182966 and record.balancing_lines == 0


def test_commission_null_is_logistics_only():
    product = {"sku": 1, "commission": None,
               "delivery": {"total_accrued": rub("-63"), "services": [{"type_id": 6, "accrued": rub("-63")}]}}
    record = normalise_accrual(posting("-63", [product]), DAY)
    assert [(x.component, x.type_id, x.amount) for x in record.lines] == [(Component.SERVICE, 6, -6300)]


def test_parts_that_do_not_add_up_get_a_balancing_line_and_are_counted():
    record = normalise_accrual(posting("1830.00", [SOLD]), DAY)  # Ozon's total is 34 kopecks more
    assert sum(x.amount for x in record.lines) == 183000
    last = record.lines[-1]
    assert (last.component, last.type_id, last.amount, last.sku) == (Component.SERVICE, DISCREPANCY_TYPE_ID, 34, None)
    assert record.balancing_lines == 1 and record.discrepancy == 34


def test_services_short_of_delivery_total_are_balanced_on_the_product():
    product = {"sku": 5, "commission": None,
               "delivery": {"total_accrued": rub("-100"), "services": [{"type_id": 6, "accrued": rub("-60")}]}}
    record = normalise_accrual(posting("-100", [product]), DAY)
    assert [(x.type_id, x.amount, x.sku) for x in record.lines] == [(6, -6000, 5), (DISCREPANCY_TYPE_ID, -4000, 5)]
    assert record.balancing_lines == 1


def test_item_non_item_and_container_fees_in_one_accrual():
    raw = msgspec.json.encode({
        "accrual_id": 9, "date": "2026-09-26T00:00:00Z", "total_amount": rub("-180.55"),
        "accrued_category": "UNSPECIFIED",
        "item_fees": {"fees": [{"sku": 11, "quantity": 3, "fees": [{"type_id": 1, "accrued": rub("-13.55")},
                                                                   {"type_id": 74, "accrued": rub("-50")}]}]},
        "non_item_fee": {"type_id": 76, "accrued": rub("-100")},
        "container_fees": {"fees": [{"container_id": 5, "sku": 12,
                                     "fees": [{"type_id": 131, "accrued": rub("-17")}]}]},
        "something_new": {"x": 1},
    })
    record = normalise_accrual(raw, DAY)
    assert [(x.type_id, x.amount, x.sku, x.quantity) for x in record.lines] == [
        (1, -1355, 11, 3), (74, -5000, 11, 3), (76, -10000, None, 0), (131, -1700, 12, 0),
    ]
    assert record.date == DAY and record.unit_number is None and record.category == "UNSPECIFIED"


def test_sub_kopeck_amounts_are_rounded_once_half_up_and_still_balance():
    raw = msgspec.json.encode({
        "accrual_id": 3, "date": "2026-09-26", "total_amount": rub("-0.01"), "accrued_category": "ITEM",
        "item_fees": {"fees": [{"sku": 1, "fees": [{"type_id": 1, "accrued": rub("-0.005")},
                                                   {"type_id": 1, "accrued": rub("-0.005")}]}]},
    })
    record = normalise_accrual(raw, DAY)
    assert sum(x.amount for x in record.lines) == record.total_amount == -1


def test_garbage_amount_is_never_a_silent_zero():
    """Issue 11: an amount the adapter cannot read no longer stops the whole sync; it goes to «аномалии»."""
    raw = msgspec.json.encode({"accrual_id": 1, "date": "2026-09-26", "total_amount": rub("12 руб"),
                               "accrued_category": "NON_ITEM"})
    record = normalise_accrual(raw, DAY)
    assert record.anomalies == ("сумма не число: '12 руб'", "нет total_amount: взята сумма частей")


def test_an_answer_that_is_not_an_accrual_still_stops_loudly():
    with pytest.raises(OzonUnexpectedAnswer):
        normalise_accrual(msgspec.json.encode({"accrual_id": "не число", "date": "2026-09-26"}), DAY)
