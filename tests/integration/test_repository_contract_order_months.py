"""The contract of `ozon_order_months`: after every postings write the monthly sums ОПиУ's estimate and
Операционка by month read equal a GROUP BY of the posting lines (memory fakes and PostgreSQL, `uow_factory`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from stpulse.application.ozon.records import Posting, PostingProduct
from tests.integration.contract_helpers import add_account, add_shop, blank

UTC = dt.UTC
FEB, MAY_END = dt.date(2026, 2, 1), dt.date(2026, 5, 31)
EPOCH = dt.date(1970, 1, 1)


def _posting(number: str, moment: dt.datetime, status: str, *lines: tuple[int, int, int]) -> Posting:
    return blank(Posting, scheme="FBO", posting_number=number, status=status, created_at=moment,
                 products=tuple(blank(PostingProduct, sku=s, quantity=q, price=p) for s, q, p in lines))


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


# Moscow is UTC+3: 20:59 UTC on the last day of a month is still that month, 21:00 UTC is the next one's first day
POSTINGS = [
    _posting("P-1", _at(3, 31, 20, 59), "delivered", (111, 2, 10_000)),
    _posting("P-2", _at(3, 31, 21, 0), "delivering", (111, 1, 15_000), (222, 3, 5_000)),
    _posting("P-3", _at(4, 30, 20, 30), "awaiting_packaging", (222, 1, 5_000)),
    _posting("P-4", _at(4, 30, 21, 30), "delivered", (111, 4, 9_900)),
    _posting("P-5", _at(2, 28, 21, 0), "cancelled", (111, 1, 10_000)),
]


def _by_month(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[int, int]]:
    """(shop, sku, month, cancelled) → (units, kopecks), from rows of any grain; empty sums left out."""
    out: dict[tuple[Any, ...], tuple[int, int]] = {}
    for shop, sku, day, cancelled, units, amount in rows:
        key = (shop, sku, day.replace(day=1), cancelled)
        q, a = out.get(key, (0, 0))
        out[key] = (q + units, a + amount)
    return {k: v for k, v in out.items() if v != (0, 0)}


async def _write(uow_factory: Any, shop_id: Any, postings: list[Posting]) -> None:
    async with uow_factory() as uow:
        await uow.facts.upsert_postings(shop_id, postings)
        await uow.commit()


def _rows(arrays: dict[Any, Any]) -> list[tuple[Any, ...]]:
    """Each shop's columns (day number, sku, cancelled, units, kopecks) as (shop, sku, date, cancelled, units, ₽)."""
    return [(shop, int(sku), EPOCH + dt.timedelta(days=int(day)), bool(c), int(q), int(a))
            for shop, cols in arrays.items() for day, sku, c, q, a in cols.tolist()]


async def _read(uow_factory: Any, shops: list[Any]) -> tuple[dict, dict, dict]:
    """The aggregate per month and over the months, and the lines grouped by day (the truth)."""
    async with uow_factory() as uow:
        months = _rows(await uow.report_facts.order_arrays(shops, FEB, MAY_END, True, by_month=True))
        whole = _rows(await uow.report_facts.order_arrays(shops, FEB, MAY_END, False))
        days = _rows(await uow.report_facts.order_arrays(shops, FEB, MAY_END, True))
        only = _rows(await uow.report_facts.order_arrays(shops, FEB, MAY_END, True, skus=[111]))
    assert sorted(only, key=str) == sorted((r for r in days if r[1] == 111), key=str)  # the day detail of some SKUs
    assert all(d.day == 1 for _, _, d, *_ in months) and {d for _, _, d, *_ in whole} <= {FEB}
    truth = _by_month(days)
    over: dict[tuple[Any, ...], tuple[int, int]] = {}
    for (shop, sku, _, cancelled), (q, a) in truth.items():
        was = over.get((shop, sku, FEB, cancelled), (0, 0))
        over[(shop, sku, FEB, cancelled)] = (was[0] + q, was[1] + a)
    assert _by_month(months) == truth and _by_month(whole) == over
    return _by_month(months), truth, days


async def test_order_months_equal_the_posting_lines_after_every_write(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        _, account = await add_account(uow, "orders@example.ru")
        shop = await add_shop(uow, account)
        other = await add_shop(uow, account, "1002")
        await uow.commit()
    await _write(uow_factory, shop.id, POSTINGS)
    await _write(uow_factory, other.id, [_posting("P-9", _at(4, 10, 12), "delivered", (111, 7, 1_000))])
    months, _, _ = await _read(uow_factory, [shop.id])
    mar, apr, may = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)
    assert months == {(shop.id, 111, mar, True): (1, 10_000),  # 21:00 UTC on 28.02 is 1 March in Moscow
                      (shop.id, 111, mar, False): (2, 20_000),  # 23:59 in Moscow on 31.03
                      (shop.id, 111, apr, False): (1, 15_000), (shop.id, 222, apr, False): (4, 20_000),
                      (shop.id, 111, may, False): (4, 39_600)}
    # a re-write: P-2 cancelled, P-3 cancelled by its split, P-4 now created in April
    await _write(uow_factory, shop.id, [msgspec.structs.replace(POSTINGS[1], status="cancelled"),
                                        msgspec.structs.replace(POSTINGS[2], status="cancelled_from_split_pending"),
                                        msgspec.structs.replace(POSTINGS[3], created_at=_at(4, 30, 20, 59))])
    months, _, _ = await _read(uow_factory, [shop.id])
    assert months == {(shop.id, 111, mar, True): (1, 10_000), (shop.id, 111, mar, False): (2, 20_000),
                      (shop.id, 111, apr, True): (1, 15_000), (shop.id, 222, apr, True): (4, 20_000),
                      (shop.id, 111, apr, False): (4, 39_600)}  # May has no line left
    both, _, _ = await _read(uow_factory, [shop.id, other.id])
    assert both[(other.id, 111, apr, False)] == (7, 7_000) and len(both) == len(months) + 1
