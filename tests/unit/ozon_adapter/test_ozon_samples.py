"""Every real/official answer in /work/shared/ozon/samples parses without losing a kopeck.

Expected figures are computed here straight from the raw JSON with Decimal, independently of the adapter.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from stpulse.domain.ledger.accruals import Component
from tests.unit.ozon_adapter._ozon_fakes import SAMPLES, FakeOzon, make_client, ok

SINCE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
TO = dt.datetime(2000, 6, 1, tzinfo=dt.UTC)
HANDLED = ("accrual-by-day-", "posting-fbo-list-v2", "posting-fbs-list-v3", "returns-list-v1", "finance-products-buyout-")


def kopecks(value) -> int:
    return int((Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_every_sample_file_is_covered_by_a_test():
    names = sorted(p.name for p in SAMPLES.glob("*.json"))
    assert names, "no samples found"
    assert [n for n in names if not n.startswith(HANDLED)] == []


def _accrual_files():
    return sorted(SAMPLES.glob("accrual-by-day-*.json"))


@pytest.mark.parametrize("path", _accrual_files(), ids=lambda p: p.name)
async def test_accrual_day_sample_keeps_every_kopeck(path):
    raw = json.loads(path.read_bytes())
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/by-day"] = lambda body, _: ok(raw)
    day = dt.date.fromisoformat(path.stem.removeprefix("accrual-by-day-"))
    records = [rec async for page in make_client(fake).accruals_by_day(day) for rec in page.records]

    expected = {a["accrual_id"]: kopecks(a["total_amount"]["amount"]) for a in raw["accruals"]}
    assert {r.accrual_id: r.total_amount for r in records} == expected
    assert sum(line.amount for r in records for line in r.lines) == sum(expected.values())
    for record in records:
        assert sum(line.amount for line in record.lines) == record.total_amount
        assert record.balancing_lines == 0, f"Ozon's parts should add up in a real answer: {record.accrual_id}"
        assert json.loads(record.raw) == next(a for a in raw["accruals"] if a["accrual_id"] == record.accrual_id)
    assert len(fake.requests) == 1  # last_id "" on the first page: no second request


@pytest.mark.parametrize("path", _accrual_files(), ids=lambda p: p.name)
async def test_accrual_sample_components_match_the_raw_parts(path):
    raw = json.loads(path.read_bytes())
    sale = commission = service = 0
    for a in raw["accruals"]:
        for p in (a.get("posting") or {}).get("products") or []:
            c = p.get("commission")
            if c:
                sale += kopecks(sum(Decimal(c[k]["amount"]) for k in ("sale_price", "bonus", "coinvestment")))
                commission += kopecks(c["sale_commission"]["amount"])
            service += sum(kopecks(s["accrued"]["amount"]) for s in p["delivery"]["services"])
        for item in (a.get("item_fees") or {}).get("fees") or []:
            service += sum(kopecks(f["accrued"]["amount"]) for f in item["fees"])
        if a.get("non_item_fee"):
            service += kopecks(a["non_item_fee"]["accrued"]["amount"])
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/by-day"] = lambda body, _: ok(raw)
    lines = [line async for page in make_client(fake).accruals_by_day(dt.date(2026, 9, 26))
             for r in page.records for line in r.lines]
    by_component = {c: sum(line.amount for line in lines if line.component is c) for c in Component}
    assert by_component == {Component.SALE: sale, Component.COMMISSION: commission, Component.SERVICE: service}


def as_cursor_page(postings: list[dict]) -> dict:
    """The samples are answers of the retired /v2/posting/fbo/list and /v3/posting/fbs/list; their posting
    records are served in the envelope of /v3/posting/fbo/list and /v4/posting/fbs/list, which replaced them."""
    return {"cursor": "", "has_next": False, "postings": postings}


async def test_fbo_sample():
    raw = json.loads((SAMPLES / "posting-fbo-list-v2.example.json").read_bytes())
    fake = FakeOzon()
    fake.routes["/v3/posting/fbo/list"] = lambda body, _: ok(as_cursor_page(raw["result"]))
    postings = [p async for batch in make_client(fake).postings_fbo(SINCE, TO) for p in batch]
    assert [p.posting_number for p in postings] == [x["posting_number"] for x in raw["result"]]
    p, src = postings[0], raw["result"][0]
    assert p.scheme == "FBO" and p.status == "delivered" and p.warehouse_id == 17717042026000
    assert [x.price for x in p.products] == [kopecks(x["price"]) for x in src["products"]]
    fin = src["financial_data"]["products"][0]
    assert p.financials[0].payout == kopecks(fin["payout"]) and p.financials[0].sku == fin["product_id"]
    assert p.financials[0].commission_amount == kopecks(fin["commission_amount"])
    assert json.loads(p.raw) == src
    assert len(fake.requests) == 1


async def test_fbs_sample():
    raw = json.loads((SAMPLES / "posting-fbs-list-v3.example.json").read_bytes())
    fake = FakeOzon()
    fake.routes["/v4/posting/fbs/list"] = lambda body, _: ok(as_cursor_page(raw["result"]["postings"]))
    postings = [p async for batch in make_client(fake).postings_fbs(SINCE, TO) for p in batch]
    src = raw["result"]["postings"][0]
    assert [p.posting_number for p in postings] == [src["posting_number"]]
    assert postings[0].products[0].price == kopecks(src["products"][0]["price"]) == 139000
    assert postings[0].warehouse_id == src["delivery_method"]["warehouse_id"]
    assert postings[0].in_process_at == dt.datetime(2022, 5, 13, 7, 7, 32, tzinfo=dt.UTC)


async def test_returns_sample_with_ids_sent_as_strings():
    raw = json.loads((SAMPLES / "returns-list-v1.example.json").read_bytes())
    fake = FakeOzon()
    fake.routes["/v1/returns/list"] = lambda body, _: ok(raw)
    returns = [r async for batch in make_client(fake).returns(SINCE, TO) for r in batch]
    src = raw["returns"][0]
    (r,) = returns
    assert (r.id, r.sku, r.order_id) == (int(src["id"]), int(src["product"]["sku"]), int(src["order_id"]))
    assert r.price == kopecks(src["product"]["price"]["price"])
    assert r.commission == kopecks(src["product"]["commission"]["price"])
    assert r.commission_percent == Decimal("1.2") and r.status == "ArrivedAtReturnPlace"
    assert len(fake.requests) == 1  # has_next false


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("finance-products-buyout-*.json")), ids=lambda p: p.name)
async def test_buyout_sample_amounts_sent_as_json_numbers(path):
    raw = json.loads(path.read_bytes(), parse_float=Decimal)
    fake = FakeOzon()
    fake.routes["/v1/finance/products/buyout"] = lambda body, _: httpx_ok_bytes(path.read_bytes())
    rows = await make_client(fake).products_buyout(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert len(rows) == len(raw["products"])
    assert sum(r.amount for r in rows) == sum(kopecks(p["amount"]) for p in raw["products"])
    assert sum(r.buyout_price * r.quantity for r in rows) == sum(
        kopecks(p["buyout_price"]) * p["quantity"] for p in raw["products"]
    )
    assert [r.posting_number for r in rows] == [p["posting_number"] for p in raw["products"]]


def httpx_ok_bytes(content: bytes):
    import httpx

    return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})


async def test_odd_buyout_lines_are_read_and_flagged_not_fatal():
    """Issue 11: a buyout line without `amount` counts buyout price × quantity (flagged); amounts as strings are the
    same exact decimals; a line without quantity or SKU is flagged; none of them stops the answer."""
    body = json.dumps({"products": [
        {"posting_number": "1-1", "sku": 10, "offer_id": "A", "name": "a", "quantity": 3, "buyout_price": 1912.35,
         "seller_price_per_instance": 3135},
        {"posting_number": "1-2", "sku": 11, "offer_id": "B", "name": "b", "quantity": 1, "buyout_price": "901.53",
         "amount": "901.53", "seller_price_per_instance": "1701"},
        {"posting_number": "1-3", "sku": None, "offer_id": "C", "name": None, "quantity": None, "amount": 5.5},
    ]}).encode()
    fake = FakeOzon()
    fake.routes["/v1/finance/products/buyout"] = lambda body_, _: httpx_ok_bytes(body)
    rows = await make_client(fake).products_buyout(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert [(r.amount, r.quantity) for r in rows] == [(573_705, 3), (90_153, 1), (550, 0)]
    assert "сумма не указана" in rows[0].anomalies[0] and rows[1].anomalies == ()
    assert len(rows[2].anomalies) == 2 and rows[2].sku == 0 and rows[2].name == ""
