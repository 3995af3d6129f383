"""The official spec's own response examples decode, and the monthly reports read as Ozon sends them."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.unit.ozon_adapter._ozon_fakes import FakeOzon, RecordingSleep, make_client, ok

TOOL = Path("/work/shared/tools/ozon_spec.py")


def response_example(path: str) -> dict:
    spec_tool = importlib.util.module_from_spec(importlib.util.spec_from_file_location("ozon_spec", TOOL))
    spec_tool.__spec__.loader.exec_module(spec_tool)
    spec = spec_tool.load(False)
    op = spec_tool.resolver(spec)(spec["paths"][path]["post"])
    _, media = spec_tool.body_schema(op["responses"]["200"])
    sample = media.get("example") or (next(iter(media["examples"].values()))["value"] if media.get("examples") else None)
    assert sample, f"no example for {path}"
    return json.loads(json.dumps(sample))


def serve(path: str, answer: dict) -> FakeOzon:
    fake = FakeOzon()
    fake.routes[path] = lambda body, _: ok(answer)
    return fake


@pytest.mark.skipif(not TOOL.exists(), reason="shared spec not mounted")
async def test_catalogue_examples_decode():
    info = response_example("/v3/product/info/list")
    (product,) = await make_client(serve("/v3/product/info/list", info)).product_info([1])
    src = info["items"][0]
    assert product.product_id == src["id"] and product.offer_id == src["offer_id"]
    assert json.loads(product.raw) == src

    prices = response_example("/v5/product/info/prices")
    prices["cursor"] = ""
    rows = await make_client(serve("/v5/product/info/prices", prices)).prices()
    assert [r.product_id for r in rows] == [x["product_id"] for x in prices["items"]]

    stocks = response_example("/v4/product/info/stocks")
    stocks["cursor"] = ""
    rows = await make_client(serve("/v4/product/info/stocks", stocks)).stocks()
    assert len(rows) == sum(len(x["stocks"]) for x in stocks["items"])


@pytest.mark.skipif(not TOOL.exists(), reason="shared spec not mounted")
async def test_supply_order_examples_decode():
    listing, orders = response_example("/v3/supply-order/list"), response_example("/v3/supply-order/get")
    listing["last_id"] = ""
    fake = serve("/v3/supply-order/list", listing)
    fake.routes["/v3/supply-order/get"] = lambda body, _: ok(orders)
    got = await make_client(fake).supply_orders(["IN_TRANSIT"])
    assert [o.order_id for o in got] == [o["order_id"] for o in orders["orders"]]
    assert all(s.supply_id for o in got for s in o.supplies)


@pytest.mark.skipif(not TOOL.exists(), reason="shared spec not mounted")
async def test_posting_list_examples_decode_with_every_field_we_read():
    fbo = response_example("/v3/posting/fbo/list")
    client = make_client(serve("/v3/posting/fbo/list", fbo))
    since, to = dt.datetime(2026, 5, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    (p,) = [x async for batch in client.postings_fbo(since, to) for x in batch]
    src = fbo["postings"][0]
    assert (p.posting_number, p.order_id, p.order_number) == (src["posting_number"], src["order_id"], src["order_number"])
    assert (p.status, p.substatus, p.cancel_reason_id) == ("delivered", "posting_received", 0)
    assert p.created_at == dt.datetime(2026, 5, 10, 23, 59, 51, 653736, tzinfo=dt.UTC)
    assert (p.warehouse_id, p.warehouse_name) == (1020001835658000, "ОМСК_РФЦ")
    assert (p.cluster_from, p.cluster_to) == ("Омск", "Новосибирск")
    (item,) = p.products
    assert (item.sku, item.offer_id, item.quantity, item.price) == (9880276314, "SM-GALAXY-A54-128", 1, 2899000)
    (fin,) = p.financials
    assert (fin.sku, fin.quantity, fin.price, fin.old_price) == (9880276314, 1, 2899000, 2899000)  # qty from products
    assert json.loads(p.raw) == src

    fbs = response_example("/v4/posting/fbs/list")
    client = make_client(serve("/v4/posting/fbs/list", fbs))
    (p,) = [x async for batch in client.postings_fbs(since, to) for x in batch]
    src = fbs["postings"][0]
    assert (p.posting_number, p.status, p.cancel_reason_id) == ("0208245774-0029-1", "awaiting_packaging", 0)
    assert (p.warehouse_id, p.warehouse_name) == (17023, "Софьино")  # analytics_data first, as before
    assert p.shipment_date == dt.datetime(2026, 5, 18, 12, tzinfo=dt.UTC) and p.created_at is None
    assert [(x.sku, x.quantity, x.price) for x in p.products] == [(1904686181, 1, 1299000), (1904686182, 2, 349000)]
    (fin,) = p.financials
    assert (fin.quantity, fin.price, fin.payout, fin.commission_amount, fin.commission_percent) == (
        2, 250000, 210000, 12000, Decimal(10))
    assert json.loads(p.raw) == src


async def test_realization_report_in_kopecks():
    row = {"rowNumber": 1, "item": {"sku": 5, "offer_id": "A-1", "name": "Бордюр", "barcode": "OZN1"},
           "seller_price_per_instance": 1234.56, "commission_ratio": 0.39,
           "delivery_commission": {"quantity": 2, "amount": 2469.12, "standard_fee": -962.96, "total": 1506.16},
           "return_commission": None}
    answer = {"result": {"header": {"number": "R-1", "doc_date": "2026-04-05", "currency_sys_name": "RUB"},
                         "rows": [row]}}
    report = await make_client(serve("/v2/finance/realization", answer)).realization(2026, 3)
    (r,) = report.rows
    assert (report.number, report.year, report.month) == ("R-1", 2026, 3)
    assert (r.sku, r.seller_price_per_instance, r.commission_ratio) == (5, 123456, Decimal("0.39"))
    assert (r.delivery.quantity, r.delivery.amount, r.delivery.standard_fee, r.delivery.total) == (2, 246912, -96296, 150616)
    assert r.returned is None and json.loads(r.raw) == row


async def test_compensation_report_is_built_then_polled_until_ready():
    states = iter(["waiting", "processing", "success"])
    fake = serve("/v1/finance/compensation", {"result": {"code": "rep-1"}})
    fake.routes["/v1/report/info"] = lambda body, _: ok(
        {"result": {"code": body["code"], "status": next(states), "file": "https://cdn.test/r.xlsx"}})
    sleep = RecordingSleep()
    report = await make_client(fake, sleep=sleep).compensations(2026, 3)
    assert (report.code, report.status, report.file_url) == ("rep-1", "success", "https://cdn.test/r.xlsx")
    assert fake.bodies("/v1/finance/compensation") == [{"date": "2026-03", "language": "RU"}]
    assert len(fake.bodies("/v1/report/info")) == 3 and sleep.calls == [2.0, 2.0]


async def test_balance_amounts_in_kopecks():
    answer = {"total": {"opening_balance": {"value": 100.5}, "closing_balance": {"value": -20.01},
                        "accrued": {"value": 79.49}, "payments": [{"value": -200}]},
              "cashflows": {"sales": {"amount": {"value": 1000}, "fee": {"value": -390.4}},
                            "services": [{"name": "MarketplaceServiceItemDelivToCustomer", "amount": {"value": -55.55}}]}}
    (report,) = await make_client(serve("/v1/finance/balance", answer)).balance(dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    assert (report.opening_balance, report.closing_balance, report.accrued, report.payments) == (10050, -2001, 7949, (-20000,))
    assert (report.sales_amount, report.sales_fee, report.returns_amount) == (100000, -39040, 0)
    assert [(s.name, s.amount) for s in report.services] == [("MarketplaceServiceItemDelivToCustomer", -5555)]
