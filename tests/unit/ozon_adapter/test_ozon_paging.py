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


FBO, FBS = "/v3/posting/fbo/list", "/v4/posting/fbs/list"


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def cursor_server(fake: FakeOzon, path: str, postings: list[tuple[dt.datetime, str]]):
    """Ozon's cursor paging over `postings` (moment, number): the cursor is opaque text, `has_next` exact."""

    def handle(body, _):
        since, to = moment(body["filter"]["since"]), moment(body["filter"]["to"])
        assert to - since < dt.timedelta(days=365), "PERIOD_IS_TOO_LONG"
        assert 1 <= body["limit"] <= 100 and "offset" not in body
        hits = [n for t, n in postings if since <= t <= to]
        start = int(body["cursor"].removeprefix("after-")) if body["cursor"] else 0
        page = hits[start:start + body["limit"]]
        end = start + len(page)
        return ok({"cursor": f"after-{end}", "has_next": end < len(hits),
                   "postings": [{"posting_number": n, "products": []} for n in page]})

    fake.routes[path] = handle


def spread(total: int, start=dt.datetime(2026, 1, 1, tzinfo=UTC), step=dt.timedelta(minutes=10)):
    return [(start + step * i, f"P-{i}") for i in range(total)]


@pytest.mark.parametrize("path", [FBO, FBS])
async def test_cursor_paging_gives_every_posting_once(path):
    fake = FakeOzon()
    postings = spread(250)
    cursor_server(fake, path, postings)
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC)
    client = make_client(fake)
    listing = client.postings_fbo if path == FBO else client.postings_fbs
    got = [p.posting_number for b in await collect(listing(since, to)) for p in b]
    assert got == [n for _, n in postings]
    bodies = fake.bodies(path)
    assert [b["cursor"] for b in bodies] == ["", "after-100", "after-200"]
    assert bodies[0] == {"cursor": "", "filter": {"since": "2026-01-01T00:00:00.000Z", "to": "2026-02-01T00:00:00.000Z"},
                         "limit": 100, "sort_dir": "ASC", "with": {"analytics_data": True, "financial_data": True}}


async def test_has_next_false_ends_even_after_a_full_page():
    fake = FakeOzon()
    cursor_server(fake, FBO, spread(200))
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC)
    got = [p for b in await collect(make_client(fake).postings_fbo(since, to)) for p in b]
    assert len(got) == 200 and len(fake.requests) == 2  # ceil(200 / 100): no request for an empty third page


async def test_a_cursor_that_does_not_move_stops():
    fake = FakeOzon()
    fake.routes[FBS] = lambda body, _: ok({"cursor": "same", "has_next": True, "postings": [{"posting_number": "A"}]})
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 2, tzinfo=UTC)
    pages = await collect(make_client(fake).postings_fbs(since, to))
    assert len(fake.requests) == 2 and len(pages) == 2  # "" → "same" → "same": stop


@pytest.mark.parametrize("answer", [
    {"cursor": "", "has_next": True, "postings": [{"posting_number": "A"}]},  # no cursor: would start over
    {"cursor": "next", "has_next": True, "postings": []},  # an empty page that claims more
])
async def test_has_next_without_a_way_forward_stops(answer):
    fake = FakeOzon()
    fake.routes[FBO] = lambda body, _: ok(answer)
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 2, tzinfo=UTC)
    await collect(make_client(fake).postings_fbo(since, to))
    assert len(fake.requests) == 1


async def test_a_cursor_cycle_stops():
    fake = FakeOzon()
    cycle = {"": "a", "a": "b", "b": "a"}
    fake.routes[FBO] = lambda body, _: ok({"cursor": cycle[body["cursor"]], "has_next": True,
                                           "postings": [{"posting_number": body["cursor"] or "first"}]})
    since, to = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 2, tzinfo=UTC)
    await collect(make_client(fake).postings_fbo(since, to))
    assert [b["cursor"] for b in fake.bodies(FBO)] == ["", "a", "b"]


async def test_a_range_longer_than_a_year_is_cut_into_windows_shorter_than_a_year():
    fake = FakeOzon()
    postings = spread(3, start=dt.datetime(2024, 6, 1, tzinfo=UTC), step=dt.timedelta(days=300))
    cursor_server(fake, FBO, postings)
    since, to = dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2026, 6, 1, tzinfo=UTC)
    got = [p.posting_number for b in await collect(make_client(fake).postings_fbo(since, to)) for p in b]
    assert got == ["P-0", "P-1", "P-2"]
    windows = [(moment(b["filter"]["since"]), moment(b["filter"]["to"])) for b in fake.bodies(FBO)]
    assert windows[0][0] == since and windows[-1][1] == to and len(windows) == 3
    assert all(hi - lo < dt.timedelta(days=365) for lo, hi in windows)
    assert windows[0][1] == windows[1][0] and windows[1][1] == windows[2][0]


async def test_twelve_calendar_months_are_one_window():
    fake = FakeOzon()
    cursor_server(fake, FBS, spread(5))
    since = dt.datetime(2025, 9, 30, 21, tzinfo=UTC)  # 1 Oct 2025 00:00 MSK
    to = dt.datetime(2026, 9, 30, 21, tzinfo=UTC) - dt.timedelta(milliseconds=1)  # 30 Sep 2026, last ms (MSK)
    await collect(make_client(fake).postings_fbs(since, to))
    assert len(fake.requests) == 1


async def test_a_posting_on_the_shared_boundary_of_two_windows_comes_once():
    fake = FakeOzon()
    since = dt.datetime(2025, 1, 1, tzinfo=UTC)
    boundary = since + pg.POSTINGS_MAX_SPAN
    postings = [(since + dt.timedelta(days=1), "early"), (boundary, "on-the-edge"),
                (boundary + dt.timedelta(days=1), "late")]

    def handle(body, _):
        lo, hi = moment(body["filter"]["since"]), moment(body["filter"]["to"])
        hits = [{"posting_number": n, "in_process_at": t.isoformat()} for t, n in postings if lo <= t <= hi]
        return ok({"cursor": "", "has_next": False, "postings": hits})

    fake.routes[FBS] = handle
    got = [p.posting_number for b in await collect(make_client(fake).postings_fbs(since, boundary + dt.timedelta(days=2)))
           for p in b]
    assert got == ["early", "on-the-edge", "late"] and len(fake.requests) == 2


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
