"""Splitting ranges and id lists to what one Ozon request accepts, and the page-size limits themselves.

Limits come from the official spec (`ozon/seller-openapi.json`); where the spec words a period
ambiguously ("30 days" between date_from and date_to) we take the reading that is safe under both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Page sizes (the spec's maxima).
POSTINGS_LIMIT = 100  # /v3/posting/fbo/list, /v4/posting/fbs/list: limit 1..100 (cursor paging, no offset cap)
# Both refuse a period "больше года" (PERIOD_IS_TOO_LONG); a year is never shorter than 365 days, so a window
# 1 ms short of 365 days is within the limit under any reading (calendar year or 365 days).
POSTINGS_MAX_SPAN = dt.timedelta(days=365) - dt.timedelta(milliseconds=1)
RETURNS_LIMIT = 500  # /v1/returns/list
PRODUCTS_LIMIT = 1000  # /v3/product/list
PRODUCT_INFO_BATCH = 1000  # /v3/product/info/list: ≤ 1000 ids per request
PRICES_LIMIT = 1000  # /v5/product/info/prices
STOCKS_LIMIT = 1000  # /v4/product/info/stocks
ANALYTICS_SKUS = 100  # /v1/analytics/stocks: skus ≤ 100
TURNOVER_LIMIT = 1000  # /v1/analytics/turnover/stocks; and only 1 request a minute per Client-Id
TURNOVER_RATE = 1 / 60
SUPPLY_LIST_LIMIT = 100  # /v3/supply-order/list
SUPPLY_GET_BATCH = 50  # /v3/supply-order/get: order_ids ≤ 50
SUPPLY_BUNDLE_LIMIT = 100  # /v1/supply-order/bundle: one bundle a call, paged by last_id
BUYOUT_MAX_DAYS = 31  # /v1/finance/products/buyout: "Максимальный период — 31 день" → 31 dates inclusive
BALANCE_MAX_DAYS = 30  # /v1/finance/balance: "не больше 30 дней" → 30 dates inclusive (safe either way)
CASH_FLOW_PAGE_SIZE = 1  # one half-month period per page: `details` describe a single period


def date_chunks(start: dt.date, end: dt.date, max_days: int) -> list[tuple[dt.date, dt.date]]:
    """Inclusive [from, to] pieces of at most `max_days` dates each, covering start..end exactly."""
    if end < start:
        return []
    chunks, lo = [], start
    while lo <= end:
        hi = min(end, lo + dt.timedelta(days=max_days - 1))
        chunks.append((lo, hi))
        lo = hi + dt.timedelta(days=1)
    return chunks


def span_chunks(
    since: dt.datetime, to: dt.datetime, max_span: dt.timedelta
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Windows of at most `max_span`; neighbours share their boundary instant (callers de-duplicate)."""
    if to < since:
        return []
    chunks, lo = [], since
    while True:
        hi = min(to, lo + max_span)
        chunks.append((lo, hi))
        if hi >= to:
            return chunks
        lo = hi


def batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def day_end(day: dt.date) -> dt.datetime:
    return day_start(day) + dt.timedelta(days=1) - dt.timedelta(milliseconds=1)
