"""The HTTP imitation: auth, error shapes, paging that covers everything once, totals = ground truth."""

import datetime as dt
from decimal import Decimal

import pytest

from stpulse.adapters.sandbox.ozon import limits, moscow_day_bounds
from stpulse.adapters.sandbox.ozon.recon_truth import recon_month
from stpulse.adapters.sandbox.ozon.stocks import supply_orders
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.kernel.money import kopecks_from_decimal
from tests.unit.sandbox.conftest import SHOP_A, SHOP_B, make_config

TODAY = dt.date(2026, 9, 30)


def k(money: dict) -> int:
    return kopecks_from_decimal(Decimal(money["amount"]))


async def fetch_day(client, day: dt.date, headers=SHOP_A) -> tuple[list[dict], int]:
    accruals, last_id, calls = [], "", 0
    while True:
        r = await client.post("/v1/finance/accrual/by-day", json={"date": day.isoformat(), "last_id": last_id},
                              headers=headers)
        assert r.status_code == 200, r.text
        calls += 1
        body = r.json()
        accruals += body["accruals"]
        last_id = body["last_id"]
        if not last_id:
            return accruals, calls


async def test_served_accruals_equal_ground_truth_to_the_kopeck(client, state):
    world = state.world("1001")
    start = TODAY - dt.timedelta(days=20)
    served: dict[dt.date, int] = {}
    for day in world.days(start, TODAY):
        accruals, _ = await fetch_day(client, day)
        served[day] = sum(k(a["total_amount"]) for a in accruals)
    gt = world.ground_truth(start, TODAY)
    assert served == gt.by_day
    assert sum(served.values()) == gt.total


async def test_last_id_paging_covers_a_big_day_exactly_once(client, state):
    r = await client.post("/__sandbox/shops", json={"client_id": "2001", "api_key": "m", "seed": 5,
                                                   "profile": "medium"})
    assert r.status_code == 200
    headers = {"Client-Id": "2001", "Api-Key": "m"}
    world = state.world("2001")
    day = TODAY - dt.timedelta(days=5)
    table = world.day_table(day)
    assert table.n_accruals > limits.ACCRUAL_BY_DAY_PAGE_SIZE
    accruals, calls = await fetch_day(client, day, headers)
    ids = [a["accrual_id"] for a in accruals]
    assert len(ids) == len(set(ids)) == table.n_accruals
    assert ids == sorted(ids)
    assert calls == -(-table.n_accruals // limits.ACCRUAL_BY_DAY_PAGE_SIZE)
    assert sum(k(a["total_amount"]) for a in accruals) == world.ground_truth(day, day).total


async def test_shops_are_different_sellers(client):
    a, _ = await fetch_day(client, TODAY, SHOP_A)
    b, _ = await fetch_day(client, TODAY, SHOP_B)
    assert {x["accrual_id"] for x in a}.isdisjoint({x["accrual_id"] for x in b})


@pytest.mark.parametrize(("headers", "status", "code"), [
    ({}, 401, 16),
    ({"Client-Id": "1001"}, 401, 16),
    ({"Client-Id": "1001", "Api-Key": "wrong"}, 403, 7),
    ({"Client-Id": "9999", "Api-Key": "key-a"}, 403, 7),
])
async def test_auth_errors_have_ozon_shape(client, headers, status, code):
    r = await client.post("/v1/finance/accrual/by-day", json={"date": "2026-09-01", "last_id": ""}, headers=headers)
    assert r.status_code == status
    body = r.json()
    assert body["code"] == code and body["details"] == [] and body["message"]


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/finance/accrual/by-day", {"date": "2026-02-30", "last_id": ""}),
    ("/v1/finance/accrual/by-day", {"date": "2021-12-31", "last_id": ""}),
    ("/v1/finance/accrual/by-day", {"last_id": ""}),
    ("/v3/posting/fbo/list", {"filter": {"since": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
                              "limit": 101}),
    ("/v4/posting/fbs/list", {"filter": {"since": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
                              "limit": 0}),
    ("/v4/posting/fbs/list", {"filter": {"since": "2025-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
                              "limit": 10}),
    ("/v3/posting/fbo/list", {"filter": {"since": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
                              "limit": 10}),
    ("/v3/posting/fbo/list", {"filter": {"since": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
                              "limit": 10, "sort_dir": "UP"}),
    ("/v3/posting/fbo/list", {"filter": {"since": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
                              "limit": 10, "cursor": "not a cursor!"}),
    ("/v4/posting/fbs/list", {"filter": {"since": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
                              "limit": 10, "cursor": "eyJmaWVsZHMiOltdfQ=="}),  # {"fields":[]}
    ("/v1/finance/products/buyout", {"date_from": "2026-08-01", "date_to": "2026-09-05"}),
    ("/v1/finance/balance", {"date_from": "2026-08-01", "date_to": "2026-09-01"}),
    ("/v1/returns/list", {"limit": 501}),
    ("/v1/analytics/stocks", {"skus": list(range(101))}),
    ("/v3/supply-order/get", {"order_ids": list(range(51))}),
    ("/v1/finance/realization/by-day", {"day": 1, "month": 8, "year": 2026}),
])
async def test_bad_requests_answer_400_in_ozon_shape(client, path, body):
    r = await client.post(path, json=body, headers=SHOP_A)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == 3 and r.json()["details"] == []


async def test_revoked_key_and_runtime_faults(app, client, state):
    r = await client.post("/__sandbox/faults", json={"revoked_client_ids": ["1002"]})
    assert r.status_code == 200
    try:
        r = await client.post("/v1/finance/accrual/by-day", json={"date": "2026-09-01", "last_id": ""},
                              headers=SHOP_B)
        assert r.status_code == 403 and "deactivated" in r.json()["message"] and r.json()["code"] == 7
        ok = await client.post("/v1/finance/accrual/by-day", json={"date": "2026-09-01", "last_id": ""},
                               headers=SHOP_A)
        assert ok.status_code == 200
    finally:
        await client.post("/__sandbox/faults", json={})


async def test_faults_are_injected_and_retries_get_the_right_answer(client, state):
    days = [TODAY - dt.timedelta(days=n) for n in range(30)]
    clean = {d: (await client.post("/v1/finance/accrual/by-day", json={"date": d.isoformat(), "last_id": ""},
                                   headers=SHOP_A)).json() for d in days}
    await client.post("/__sandbox/faults", json={"share_429": 0.3, "share_5xx": 0.2, "seed": 7,
                                                 "max_consecutive": 3})
    statuses = []
    try:
        for d in days:
            for _attempt in range(10):
                r = await client.post("/v1/finance/accrual/by-day", json={"date": d.isoformat(), "last_id": ""},
                                      headers=SHOP_A)
                statuses.append(r.status_code)
                if r.status_code == 200:
                    assert r.json() == clean[d]
                    break
                assert r.status_code in (429, 500, 503)
                assert r.json()["code"] in (8, 13, 14) and r.json()["details"] == []
            else:
                pytest.fail("retries never succeeded")
        counters = (await client.get("/__sandbox/status")).json()["faults_injected"]
    finally:
        await client.post("/__sandbox/faults", json={})
    assert statuses.count(429) > 0 and sum(s >= 500 for s in statuses) > 0
    assert counters["429"] + counters["5xx"] == sum(s != 200 for s in statuses)


async def test_slow_answers_are_delayed(client):
    import time

    await client.post("/__sandbox/faults", json={"share_slow": 1.0, "slow_seconds": 0.2, "max_consecutive": 2})
    try:
        took = []
        for _attempt in range(3):  # a client that timed out retries the same request
            started = time.perf_counter()
            r = await client.post("/v1/cluster/list", json={"cluster_type": "CLUSTER_TYPE_OZON"}, headers=SHOP_A)
            assert r.status_code == 200
            took.append(time.perf_counter() - started)
        assert took[0] >= 0.2 and took[1] >= 0.2 and took[2] < 0.2  # at most max_consecutive slow in a row
    finally:
        await client.post("/__sandbox/faults", json={})


async def list_all(client, path: str, since: dt.datetime, to: dt.datetime, limit: int, sort_dir: str = "ASC"
                   ) -> tuple[list[dict], int]:
    postings, cursor, calls = [], "", 0
    while True:
        body = {"cursor": cursor, "filter": {"since": since.isoformat(), "to": to.isoformat()}, "limit": limit,
                "sort_dir": sort_dir, "with": {"financial_data": True, "analytics_data": True}}
        r = await client.post(path, json=body, headers=SHOP_A)
        assert r.status_code == 200, r.text
        calls += 1
        answer = r.json()
        assert set(answer) == {"cursor", "has_next", "postings"} and len(answer["postings"]) <= limit
        postings += answer["postings"]
        if not answer["has_next"]:
            return postings, calls
        cursor = answer["cursor"]


@pytest.mark.parametrize(("path", "fbs"), [("/v3/posting/fbo/list", False), ("/v4/posting/fbs/list", True)])
async def test_posting_lists_page_by_cursor_and_match_ground_truth(client, state, path, fbs):
    world = state.world("1001")
    first, last = TODAY - dt.timedelta(days=13), TODAY
    since, to = moscow_day_bounds(first)[0], moscow_day_bounds(last)[1] - dt.timedelta(seconds=1)
    gt = world.ground_truth(first, last)
    expected = gt.postings_fbs if fbs else gt.postings_fbo
    postings, calls = await list_all(client, path, since, to, 37)
    numbers = [p["posting_number"] for p in postings]
    assert len(numbers) == len(set(numbers)) == expected > 37
    assert calls == -(-expected // 37)  # has_next is exact: no request for an empty page
    moments = [p["in_process_at"] for p in postings]
    assert moments == sorted(moments)
    back, _ = await list_all(client, path, since, to, 100, "DESC")
    assert [p["posting_number"] for p in back] == numbers[::-1]
    assert all(p["status"] in ("delivered", "cancelled", "delivering", "awaiting_deliver", "awaiting_packaging")
               for p in postings)
    p = postings[0]
    assert set(p["products"][0]["price"]) == {"amount", "currency"}
    assert set(p["financial_data"]["products"][0]["commission"]) == {"amount", "percent", "currency"}
    assert ("created_at" in p) is not fbs  # /v4/posting/fbs/list has no created_at
    assert ("quantity" in p["financial_data"]["products"][0]) is fbs  # nor /v3/posting/fbo/list a quantity there


async def test_posting_cursor_is_opaque_base64_and_bound_to_the_sort_direction(client):
    import base64
    import json

    body = {"filter": {"since": "2026-09-20T00:00:00Z", "to": "2026-09-30T00:00:00Z"}, "limit": 5}
    first = (await client.post("/v4/posting/fbs/list", json=body, headers=SHOP_A)).json()
    assert first["has_next"] and json.loads(base64.b64decode(first["cursor"]))["fields"]
    r = await client.post("/v4/posting/fbs/list", json=body | {"cursor": first["cursor"], "sort_dir": "DESC"},
                          headers=SHOP_A)
    assert r.status_code == 400 and r.json()["code"] == 3 and "cursor" in r.json()["message"]
    nxt = (await client.post("/v4/posting/fbs/list", json=body | {"cursor": first["cursor"], "sort_dir": "asc"},
                             headers=SHOP_A)).json()
    assert {p["posting_number"] for p in nxt["postings"]}.isdisjoint(p["posting_number"] for p in first["postings"])


async def test_posting_period_of_a_year_or_more_is_refused_as_period_is_too_long(client):
    body = {"filter": {"since": "2025-09-01T00:00:00Z", "to": "2026-09-01T00:00:00Z"}, "limit": 100}
    r = await client.post("/v3/posting/fbo/list", json=body, headers=SHOP_A)
    assert r.status_code == 400 and r.json() == {"code": 3, "message": "PERIOD_IS_TOO_LONG", "details": []}
    body["filter"]["to"] = "2026-08-31T23:59:59.999Z"
    assert (await client.post("/v3/posting/fbo/list", json=body, headers=SHOP_A)).status_code == 200


@pytest.mark.parametrize("path", ["/v2/posting/fbo/list", "/v3/posting/fbs/list"])
async def test_retired_posting_lists_answer_as_switched_off(client, path):
    body = {"filter": {"since": "2026-09-01T00:00:00Z", "to": "2026-09-02T00:00:00Z"}, "limit": 10, "offset": 0}
    r = await client.post(path, json=body, headers=SHOP_A)
    assert r.status_code == 400
    assert r.json() == {"code": 9, "message": "obsolete method cannot be used", "details": []}


async def test_returns_page_by_last_id_and_match_ground_truth(client, state):
    world = state.world("1001")
    first, last = TODAY - dt.timedelta(days=59), TODAY
    since, to = moscow_day_bounds(first)[0], moscow_day_bounds(last)[1] - dt.timedelta(seconds=1)
    ids, last_id = [], 0
    while True:
        r = await client.post("/v1/returns/list", json={
            "filter": {"logistic_return_date": {"time_from": since.isoformat(), "time_to": to.isoformat()}},
            "limit": 7, "last_id": last_id}, headers=SHOP_A)
        assert r.status_code == 200, r.text
        body = r.json()
        ids += [x["id"] for x in body["returns"]]
        if not body["has_next"]:
            break
        last_id = ids[-1]
    assert ids == sorted(set(ids))
    assert len(ids) == world.ground_truth(first, last).returns > 0


async def test_accrual_postings_add_up_to_the_posting_accruals(client, state):
    world = state.world("1001")
    day = TODAY - dt.timedelta(days=20)
    accruals, _ = await fetch_day(client, day)
    posting = next(a for a in accruals if a["accrued_category"] == "POSTING")
    number = posting["unit_number"]
    r = await client.post("/v1/finance/accrual/postings", json={"posting_numbers": [number]}, headers=SHOP_A)
    lines = r.json()["posting_accruals"][0]["accruals"]
    assert lines and any(x["accrual_date"] == day.isoformat() for x in lines)
    own = sum(k(x["accrued"]) for x in lines if x["accrual_date"] == day.isoformat())
    order = number.rsplit("-", 1)[0]  # acquiring is booked on the order; orders here have one posting
    assert own == sum(k(a["total_amount"]) for a in accruals if a.get("unit_number") in (number, order))
    assert world is state.world("1001")


async def test_catalogue_and_stocks_cover_every_product(client, state):
    world = state.world("1001")
    gt = world.ground_truth(TODAY, TODAY)
    r = await client.post("/v3/product/list", json={"limit": 7, "last_id": ""}, headers=SHOP_A)
    items, body = [], r.json()["result"]
    items += body["items"]
    while body["last_id"]:
        body = (await client.post("/v3/product/list", json={"limit": 7, "last_id": body["last_id"]},
                                  headers=SHOP_A)).json()["result"]
        items += body["items"]
    assert len({i["product_id"] for i in items}) == body["total"] == gt.products
    info = (await client.post("/v3/product/info/list", json={"product_id": [i["product_id"] for i in items]},
                              headers=SHOP_A)).json()["items"]
    skus = [i["sku"] for i in info]
    assert len(skus) == gt.products
    rows = (await client.post("/v1/analytics/stocks", json={"skus": skus}, headers=SHOP_A)).json()["items"]
    assert len(rows) == gt.stock_rows
    archived = (await client.post("/v3/product/list", json={"limit": 7, "filter": {"visibility": "ARCHIVED"}},
                                  headers=SHOP_A)).json()["result"]
    assert archived["items"] == [] and archived["total"] == 0 and archived["last_id"] == ""  # ALL = all but archived
    prices = (await client.post("/v5/product/info/prices", json={"limit": 1000, "filter": {}},
                                headers=SHOP_A)).json()
    assert prices["total"] == gt.products and prices["cursor"] == ""
    clusters = (await client.post("/v1/cluster/list", json={"cluster_type": "CLUSTER_TYPE_OZON"},
                                  headers=SHOP_A)).json()["clusters"]
    assert {r["cluster_id"] for r in rows} <= {c["id"] for c in clusters}


async def test_finance_reports_agree_with_accruals(client, state):
    world = state.world("1001")
    first, last = dt.date(2026, 8, 1), dt.date(2026, 8, 31)
    gt = world.ground_truth(first, last)
    rows = (await client.post("/v2/finance/realization", json={"month": 8, "year": 2026},
                              headers=SHOP_A)).json()["result"]["rows"]
    sold = sum(round(r["delivery_commission"]["total"] * 100) for r in rows if r["delivery_commission"])
    returned = sum(round(r["return_commission"]["total"] * 100) for r in rows if r["return_commission"])
    assert sold - returned == recon_month(world, first).realized  # realization dates its own month (settlement.py)
    flows = (await client.post("/v1/finance/cash-flow-statement/list", json={
        "date": {"from": "2026-08-01T00:00:00Z", "to": "2026-08-31T00:00:00Z"}, "page": 1, "page_size": 10},
        headers=SHOP_A)).json()["result"]["cash_flows"]
    assert len(flows) == 2
    total = sum(round(sum(f[key] for key in ("orders_amount", "returns_amount", "commission_amount",
                                             "services_amount", "item_delivery_and_return_amount")) * 100)
                for f in flows)
    assert total == gt.total
    buyout = (await client.post("/v1/finance/products/buyout", json={"date_from": "2026-08-01",
                                                                      "date_to": "2026-08-31"}, headers=SHOP_A))
    assert sum(round(p["amount"] * 100) for p in buyout.json()["products"]) == gt.buyout_amount
    balance = (await client.post("/v1/finance/balance", json={"date_from": "2026-08-01", "date_to": "2026-08-31"},
                                 headers=SHOP_A)).json()["total"]
    assert round(balance["accrued"]["value"] * 100) == gt.total
    not_ready = await client.post("/v2/finance/realization", json={"month": 9, "year": 2026}, headers=SHOP_A)
    assert not_ready.status_code == 404 and not_ready.json()["code"] == 5


async def test_types_dictionary_includes_the_new_unmapped_type(client):
    types = (await client.post("/v1/finance/accrual/types", json={}, headers=SHOP_A)).json()["accrual_types"]
    assert len(types) == 133 and types[-1]["id"] == 133


async def test_supply_orders_page_and_resolve(client):
    states = ["READY_TO_SUPPLY", "IN_TRANSIT", "ACCEPTANCE_AT_STORAGE_WAREHOUSE", "COMPLETED", "CANCELLED"]
    ids, last_id = [], ""
    while True:
        body = (await client.post("/v3/supply-order/list", json={"filter": {"states": states}, "limit": 5,
                                                                  "sort_by": "ORDER_CREATION", "last_id": last_id},
                                  headers=SHOP_A)).json()
        ids += body["order_ids"]
        last_id = body["last_id"]
        if not last_id:
            break
    expected = supply_orders(SellerWorld(11, "small", make_config().today))
    assert len(ids) == len(set(ids)) == len(expected) > 10
    orders = (await client.post("/v3/supply-order/get", json={"order_ids": ids[:50]}, headers=SHOP_A)).json()
    assert [o["order_id"] for o in orders["orders"]] == ids[:50]
