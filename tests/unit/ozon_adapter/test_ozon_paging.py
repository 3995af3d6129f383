"""Paging stops where it should; ranges are chunked to each endpoint's limit."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.adapters.ozon import paging as pg
from tests.unit.ozon_adapter._ozon_fakes import FakeOzon, make_client, ok

UTC = dt.UTC
DAY = dt.date(2026, 9, 26)


def accrual(i: int) -> dict:
    return {"accrual_id": i, "date": "2026-09-26", "accrued_category": "NON_ITEM",
            "total_amount": {"amount": "-1.5", "currency": "RUB"},
            "non_item_fee": {"type_id": 76, "accrued": {"amount": "-1.5", "currency": "RUB"}}}


def accrual_pages(pages: list[tuple[list[int], str]]):
    by_last_id = {}
    previous = ""
    for ids, last_id in pages:
        by_last_id[previous] = {"accruals": [accrual(i) for i in ids], "last_id": last_id}
        previous = last_id
    return lambda body, _: ok(by_last_id[body["last_id"]])


async def collect(aiter):
    return [x async for x in aiter]


async def test_accruals_follow_last_id_until_ozon_answers_an_empty_one():
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/by-day"] = accrual_pages([([1, 2], "a"), ([3, 4], "b"), ([5], "")])
    pages = await collect(make_client(fake).accruals_by_day(DAY))
    assert [[r.accrual_id for r in p.records] for p in pages] == [[1, 2], [3, 4], [5]]
    assert [p.page_no for p in pages] == [1, 2, 3]
    assert [b["last_id"] for b in fake.bodies("/v1/finance/accrual/by-day")] == ["", "a", "b"]
    assert fake.bodies("/v1/finance/accrual/by-day")[0] == {"date": "2026-09-26", "last_id": ""}


async def test_accruals_stop_on_an_empty_page_even_with_a_last_id():
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/by-day"] = accrual_pages([([1], "a"), ([], "a2")])
    pages = await collect(make_client(fake).accruals_by_day(DAY))
    assert len(pages) == 1 and len(fake.requests) == 2


async def test_accruals_stop_when_last_id_does_not_move():
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/by-day"] = lambda body, _: ok({"accruals": [accrual(1)], "last_id": "same"})
    pages = await collect(make_client(fake).accruals_by_day(DAY))
    assert len(fake.requests) == 2 and len(pages) == 2  # "" → "same" → "same": stop


async def test_a_day_without_accruals_is_one_request_and_no_pages():
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/by-day"] = lambda body, _: ok({"accruals": [], "last_id": ""})
    assert await collect(make_client(fake).accruals_by_day(DAY)) == []
    assert len(fake.requests) == 1


def fbo_server(total: int, fake: FakeOzon, *, cap: int | None = None):
    """`total` postings spread over January 2026; offset paging like Ozon's v2 (no has_next)."""
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    all_postings = [(start + dt.timedelta(minutes=10 * i), f"P-{i}") for i in range(total)]

    def handle(body, _):
        since = dt.datetime.fromisoformat(body["filter"]["since"].replace("Z", "+00:00"))
        to = dt.datetime.fromisoformat(body["filter"]["to"].replace("Z", "+00:00"))
        assert to - since <= dt.timedelta(days=365), "PERIOD_IS_TOO_LONG"
        assert body["offset"] <= (cap if cap is not None else 20000)
        hits = [n for t, n in all_postings if since <= t <= to]
        page = hits[body["offset"]:body["offset"] + body["limit"]]
        return ok({"result": [{"posting_number": n, "products": []} for n in page]})

    fake.routes["/v2/posting/fbo/list"] = handle
    return [n for _, n in all_postings]


async def test_fbo_offset_paging_stops_on_a_short_page():
    fake = FakeOzon()
    expected = fbo_server(2500, fake)
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC)
    batches = await collect(make_client(fake).postings_fbo(since, to))
    assert [p.posting_number for b in batches for p in b] == expected
    assert [b["offset"] for b in fake.bodies("/v2/posting/fbo/list")] == [0, 1000, 2000]
    assert {b["limit"] for b in fake.bodies("/v2/posting/fbo/list")} == {1000}


async def test_fbo_range_longer_than_a_year_is_chunked():
    fake = FakeOzon()
    fbo_server(3, fake)
    since, to = dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2026, 6, 1, tzinfo=UTC)
    postings = [p for b in await collect(make_client(fake).postings_fbo(since, to)) for p in b]
    assert [p.posting_number for p in postings] == ["P-0", "P-1", "P-2"]
    windows = [(b["filter"]["since"], b["filter"]["to"]) for b in fake.bodies("/v2/posting/fbo/list")]
    assert windows[0][0] == "2024-01-01T00:00:00.000Z" and windows[-1][1] == "2026-06-01T00:00:00.000Z"
    assert len(windows) == 3 and windows[0][1] == windows[1][0]


async def test_fbo_window_beyond_the_offset_cap_is_split_and_nothing_is_lost(monkeypatch):
    monkeypatch.setattr(pg, "POSTINGS_MAX_OFFSET", 2000)
    fake = FakeOzon()
    expected = fbo_server(4000, fake, cap=2000)
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC)
    got = [p.posting_number for b in await collect(make_client(fake).postings_fbo(since, to)) for p in b]
    assert sorted(got) == sorted(expected) and len(got) == len(set(got))


async def test_fbs_paging_follows_has_next():
    fake = FakeOzon()
    pages = {0: (["A", "B"], True), 1000: (["C"], False)}

    def handle(body, _):
        numbers, more = pages[body["offset"]]
        return ok({"result": {"postings": [{"posting_number": n} for n in numbers], "has_next": more}})

    fake.routes["/v3/posting/fbs/list"] = handle
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 2, tzinfo=UTC)
    got = [p.posting_number for b in await collect(make_client(fake).postings_fbs(since, to)) for p in b]
    assert got == ["A", "B", "C"] and len(fake.requests) == 2


async def test_returns_page_by_the_last_return_id():
    fake = FakeOzon()
    pages = {0: ([11, 12], True), 12: ([13], False)}

    def handle(body, _):
        ids, more = pages[body["last_id"]]
        assert body["limit"] == 500
        return ok({"returns": [{"id": i, "product": {"sku": 1}} for i in ids], "has_next": more})

    fake.routes["/v1/returns/list"] = handle
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 31, tzinfo=UTC)
    got = [r.id for b in await collect(make_client(fake).returns(since, to)) for r in b]
    assert got == [11, 12, 13] and len(fake.requests) == 2
    period = fake.bodies("/v1/returns/list")[0]["filter"]["logistic_return_date"]
    assert period == {"time_from": "2026-01-01T00:00:00.000Z", "time_to": "2026-01-31T00:00:00.000Z"}


async def test_products_page_by_last_id_and_stop_at_total_for_each_visibility():
    fake = FakeOzon()

    def handle(body, _):
        if body["filter"]["visibility"] == "ARCHIVED":
            return ok({"result": {"items": [{"product_id": 99999}], "total": 1, "last_id": "z"}})
        start = int(body["last_id"] or 0)
        ids = list(range(start, min(start + body["limit"], 1500)))
        return ok({"result": {"items": [{"product_id": i} for i in ids], "total": 1500, "last_id": str(ids[-1] + 1)}})

    fake.routes["/v3/product/list"] = handle
    products = await make_client(fake).products()
    assert len(products) == 1501 and len(fake.requests) == 3


async def test_prices_and_stocks_follow_the_cursor():
    fake = FakeOzon()
    cursors = {"": ("c1", [1, 2]), "c1": ("", [3])}

    def handle(body, _):
        nxt, ids = cursors[body["cursor"]]
        items = [{"product_id": i, "stocks": [{"sku": i, "type": "fbs", "present": 2}]} for i in ids]
        return ok({"items": items, "cursor": nxt, "total": 3})

    fake.routes["/v5/product/info/prices"] = handle
    fake.routes["/v4/product/info/stocks"] = handle
    client = make_client(fake)
    assert [p.product_id for p in await client.prices()] == [1, 2, 3]
    assert [(s.sku, s.present, s.warehouse_type) for s in await client.stocks()] == [(1, 2, "fbs"), (2, 2, "fbs"), (3, 2, "fbs")]
    assert len(fake.requests) == 4


async def test_id_lists_are_cut_to_the_batch_limits():
    fake = FakeOzon()
    fake.routes["/v3/product/info/list"] = lambda body, _: ok({"items": [{"id": i} for i in body["product_id"]]})
    fake.routes["/v1/analytics/stocks"] = lambda body, _: ok({"items": [{"sku": s} for s in body["skus"]]})
    fake.routes["/v3/supply-order/list"] = lambda body, _: ok(
        {"order_ids": list(range(120)), "last_id": ""} if body["last_id"] == "" else {})
    fake.routes["/v3/supply-order/get"] = lambda body, _: ok({"orders": [{"order_id": i} for i in body["order_ids"]]})
    client = make_client(fake)
    assert len(await client.product_info(list(range(2500)))) == 2500
    assert len(await client.analytics_stocks(list(range(250)))) == 250
    assert len(await client.supply_orders(["IN_TRANSIT"])) == 120
    assert [len(b["product_id"]) for b in fake.bodies("/v3/product/info/list")] == [1000, 1000, 500]
    assert [len(b["skus"]) for b in fake.bodies("/v1/analytics/stocks")] == [100, 100, 50]
    assert [len(b["order_ids"]) for b in fake.bodies("/v3/supply-order/get")] == [50, 50, 20]


@pytest.mark.parametrize(("start", "end", "days", "expected"), [
    ("2026-01-01", "2026-01-31", 31, [("2026-01-01", "2026-01-31")]),
    ("2026-01-01", "2026-02-01", 31, [("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-01")]),
    ("2026-01-01", "2026-03-15", 30, [("2026-01-01", "2026-01-30"), ("2026-01-31", "2026-03-01"),
                                      ("2026-03-02", "2026-03-15")]),
    ("2026-01-05", "2026-01-05", 30, [("2026-01-05", "2026-01-05")]),
    ("2026-01-05", "2026-01-04", 30, []),
])
def test_date_chunks_cover_the_range_exactly(start, end, days, expected):
    d = dt.date.fromisoformat
    assert pg.date_chunks(d(start), d(end), days) == [(d(a), d(b)) for a, b in expected]


async def test_buyout_and_balance_requests_respect_their_maximum_periods():
    fake = FakeOzon()
    fake.routes["/v1/finance/products/buyout"] = lambda body, _: ok({"products": []})
    fake.routes["/v1/finance/balance"] = lambda body, _: ok({"total": {"opening_balance": {"value": 1.5}}})
    client = make_client(fake)
    await client.products_buyout(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    reports = await client.balance(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    buyout = [(b["date_from"], b["date_to"]) for b in fake.bodies("/v1/finance/products/buyout")]
    assert buyout == [("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-03-03"), ("2026-03-04", "2026-03-31")]
    balance = [(b["date_from"], b["date_to"]) for b in fake.bodies("/v1/finance/balance")]
    assert balance == [("2026-01-01", "2026-01-30"), ("2026-01-31", "2026-03-01"), ("2026-03-02", "2026-03-31")]
    assert [r.opening_balance for r in reports] == [150, 150, 150]


async def test_cash_flow_reads_one_period_per_page_with_its_details():
    fake = FakeOzon()

    def handle(body, _):
        n = body["page"]
        flow = {"period": {"id": n, "begin": "2026-01-01T00:00:00Z"}, "orders_amount": 1000.5 * n}
        details = {"period": {"id": n}, "begin_balance_amount": 10, "payments": [{"payment": -5.25}]}
        return ok({"result": {"cash_flows": [flow], "details": details, "page_count": 3}})

    fake.routes["/v1/finance/cash-flow-statement/list"] = handle
    periods = await make_client(fake).cash_flow(dt.date(2026, 1, 1), dt.date(2026, 2, 15))
    assert [(p.period_id, p.orders_amount, p.payments) for p in periods] == [
        (1, 100050, (-525,)), (2, 200100, (-525,)), (3, 300150, (-525,))]
    assert [b["page_size"] for b in fake.bodies("/v1/finance/cash-flow-statement/list")] == [1, 1, 1]
