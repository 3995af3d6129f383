"""Issue 11, defect 6: odd accruals neither stop the sync nor count wrongly in silence.

Amounts as JSON numbers are exact decimals; a missing total is the sum of the parts; whatever the adapter cannot
trust is kept and named in `record.anomalies` (stored in the «аномалии» list with the raw line), and Σ lines is
always the total the record reports."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.adapters.ozon.accruals import DISCREPANCY_TYPE_ID, normalise_accrual
from stpulse.domain.ledger.accruals import Component

DAY = dt.date(2026, 9, 26)


def accrual(total: object, products: list[dict], **extra: object) -> bytes:
    return msgspec.json.encode({
        "accrual_id": 7, "date": "2026-09-26", "total_amount": total, "unit_number": "1-2-3",
        "accrued_category": "POSTING", "posting": {"delivery_schema": "Fbo", "products": products}, **extra,
    })


def product(sale: object = "1000", commission: object = "-150", logistics: object = "-63", **extra: object) -> dict:
    return {"sku": 11, "quantity": 1, **extra,
            "commission": {"sale_price": {"amount": sale}, "sale_commission": {"amount": commission}},
            "delivery": {"services": [{"type_id": 6, "accrued": {"amount": logistics}}]}}


def amounts(record) -> list[tuple[Component, int | None, int]]:  # type: ignore[no-untyped-def]
    return [(x.component, x.type_id, x.amount) for x in record.lines]


def test_a_null_total_is_the_sum_of_the_parts_not_zero():
    record = normalise_accrual(accrual(None, [product()]), DAY)
    assert amounts(record) == [(Component.SALE, None, 100000), (Component.COMMISSION, None, -15000),
                               (Component.SERVICE, 6, -6300)]
    assert record.total_amount == 78700 and record.balancing_lines == 0
    assert record.anomalies == ("нет total_amount: взята сумма частей",)


def test_a_total_with_a_null_amount_is_missing_too():
    record = normalise_accrual(accrual({"amount": None, "currency": "RUB"}, [product()]), DAY)
    assert record.total_amount == 78700 and record.balancing_lines == 0 and record.anomalies


def test_amounts_sent_as_json_numbers_are_exact_decimals():
    raw = accrual({"amount": 787.005}, [product(sale=1000.005, commission=-150, logistics=-63.00)])
    record = normalise_accrual(raw, DAY)
    # 1000.005 as a float is 1000.00499…: only an exact decimal rounds it half-up to 1000.01
    assert amounts(record) == [(Component.SALE, None, 100001), (Component.COMMISSION, None, -15000),
                               (Component.SERVICE, 6, -6300)]
    assert record.total_amount == 78701 and record.anomalies == () and record.balancing_lines == 0


def test_a_product_without_quantity_is_flagged():
    bare = product()
    del bare["quantity"]
    record = normalise_accrual(accrual({"amount": "787"}, [bare]), DAY)
    assert {x.quantity for x in record.lines} == {0}
    assert record.anomalies == ("у товара 11 нет quantity: штуки не посчитаны",)


def test_an_amount_that_is_not_a_number_is_flagged_and_the_total_still_adds_up():
    record = normalise_accrual(accrual({"amount": "787"}, [product(logistics="63 руб")]), DAY)
    assert sum(x.amount for x in record.lines) == record.total_amount == 78700
    assert record.lines[-1].type_id == DISCREPANCY_TYPE_ID and record.lines[-1].amount == -6300
    assert record.anomalies == ("сумма не число: '63 руб'",)


def test_a_total_that_is_not_a_number_is_replaced_by_the_sum_of_the_parts():
    record = normalise_accrual(accrual({"amount": True}, [product()]), DAY)
    assert record.total_amount == 78700 and record.balancing_lines == 0
    assert record.anomalies == ("сумма не число: True", "нет total_amount: взята сумма частей")


def test_a_plain_accrual_has_no_anomaly():
    assert normalise_accrual(accrual({"amount": "787"}, [product()]), DAY).anomalies == ()
