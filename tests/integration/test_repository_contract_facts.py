"""The contract of the Ozon facts, rollups, report reads, ledger mapping and sync runs: every case runs on the
in-memory fakes and on PostgreSQL (the `uow_factory` fixture), so the fakes stay honest."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import numpy as np

from stpulse.adapters.db.reports.grains import shaped
from stpulse.application.ozon.records import (
    AccrualRecord,
    AccrualType,
    AnalyticsStockRow,
    BuyoutRow,
    DatedBuyout,
    Posting,
    Product,
    ProductInfo,
    ReturnRecord,
)
from stpulse.application.ozon.rollup_writer import write_rollups
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus
from stpulse.application.reports.ports import LineFilter
from stpulse.application.reports.sources import SALES
from stpulse.domain.kernel.period import EPOCH, day_number
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.articles import BUYOUTS, REVENUE, LedgerMapping, Source
from stpulse.domain.ledger.rollup_sources import Buyout, rollup_from_accruals, rollup_from_buyouts
from stpulse.domain.reports.kinds import RollupGrain
from tests.integration.contract_helpers import NOW, add_account, add_shop, blank

MAR, APR = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
LOGISTICS, UNKNOWN = 5, 999_999  # a type the default mapping knows, and one it does not


def _line(accrual_id: int, line_no: int, day: dt.date, component: Component, amount: int, sku: int | None = None,
          type_id: int | None = None, quantity: int = 0) -> AccrualLine:
    return AccrualLine(accrual_id=accrual_id, line_no=line_no, date=day, category="POSTING", unit_number=None,
                       sku=sku, component=component, type_id=type_id, amount=amount, quantity=quantity)


def _sale(accrual_id: int, day: dt.date, sku: int, amount: int, quantity: int = 1) -> AccrualRecord:
    lines = (_line(accrual_id, 0, day, Component.SALE, amount, sku, quantity=quantity),
             _line(accrual_id, 1, day, Component.COMMISSION, -amount // 10, sku),
             _line(accrual_id, 2, day, Component.SERVICE, -700, sku, LOGISTICS))
    return AccrualRecord(accrual_id=accrual_id, date=day, category="POSTING", unit_number=None,
                         total_amount=sum(x.amount for x in lines), lines=lines, raw=b'{"id": %d}' % accrual_id)


def _fee(accrual_id: int, day: dt.date, amount: int, type_id: int | None) -> AccrualRecord:
    line = _line(accrual_id, 0, day, Component.SERVICE, amount, None, type_id)
    return AccrualRecord(accrual_id=accrual_id, date=day, category="NON_ITEM", unit_number=None, total_amount=amount,
                         lines=(line,))


RECORDS = [_sale(1, dt.date(2026, 3, 30), 111, 100_000, 2), _sale(2, dt.date(2026, 3, 31), 222, 50_000),
           _sale(3, dt.date(2026, 4, 1), 111, -30_000, 1), _sale(4, dt.date(2026, 4, 2), 111, 70_000),
           _fee(5, dt.date(2026, 4, 2), -1_500, UNKNOWN), _fee(6, dt.date(2026, 3, 30), -900, None)]


async def _write(uow: Any, shop_id: Any, first: dt.date, last: dt.date, records: list[AccrualRecord]) -> None:
    """What the sync writes for a range of days, in one transaction (docs/rollups.md)."""
    await uow.facts.write_accruals(shop_id, first, last, records)
    days = {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
    await write_rollups(uow.facts, shop_id, days, [x for r in records for x in r.lines], LedgerMapping.default())


def _daily_rows(records: list[AccrualRecord]) -> list[tuple[int, ...]]:
    r = rollup_from_accruals([x for rec in records for x in rec.lines], LedgerMapping.default(), 0).rollup
    sku = [int(r.skus[s]) if s >= 0 else 0 for s in r.sku.tolist()]
    return sorted(zip(r.day.tolist(), sku, r.article.tolist(), r.amount.tolist(), r.quantity.tolist(), strict=True))


def _monthly_rows(records: list[AccrualRecord]) -> list[tuple[int, ...]]:
    sums: dict[tuple[int, int, int], list[int]] = {}
    for d, s, a, m, q in _daily_rows(records):
        month = day_number((EPOCH + dt.timedelta(days=d)).replace(day=1))
        cell = sums.setdefault((month, s, a), [0, 0])
        cell[0], cell[1] = cell[0] + m, cell[1] + q
    return sorted((d, s, a, m, q) for (d, s, a), (m, q) in sums.items())


def _sorted(rows: np.ndarray) -> list[tuple[int, ...]]:
    return sorted(tuple(int(v) for v in row) for row in rows)


async def _seller(uow_factory: Any) -> tuple[Any, Any]:
    async with uow_factory() as uow:
        _, account = await add_account(uow, "facts@example.ru")
        shop = await add_shop(uow, account)
        await uow.commit()
    return account, shop


async def test_accruals_roll_up_by_day_and_month_and_a_range_is_replaced(uow_factory):  # type: ignore[no-untyped-def]
    account, shop = await _seller(uow_factory)
    async with uow_factory() as uow:
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        await uow.commit()
    async with uow_factory() as uow:
        rows = await uow.report_data.monthly(shop.id, MAR, dt.date(2026, 4, 30))
        assert _sorted(rows) == _monthly_rows(RECORDS)
        daily = await uow.report_data.daily(shop.id, APR, dt.date(2026, 4, 30), [111], [REVENUE, 1])
        assert _sorted(daily) == [r for r in _daily_rows(RECORDS) if r[0] >= day_number(APR) and r[1] == 111
                                  and r[2] in (REVENUE, 1)]
        assert len(await uow.report_data.daily(shop.id, APR, dt.date(2026, 4, 30), [], [REVENUE])) == 0
        for shape in (RollupGrain.BY_MONTH, RollupGrain.BY_SKU):  # each grain, as the adapter's `shaped` defines it
            got = await uow.report_data.monthly(shop.id, MAR, dt.date(2026, 4, 30), shape, SALES)
            assert _sorted(got) == _sorted(shaped(np.array(_monthly_rows(RECORDS), np.int64), shape, SALES)), shape
        # a re-import of 1–2 April where Ozon now shows only accrual 4: the others of those days are gone
        await _write(uow, shop.id, APR, dt.date(2026, 4, 2), [RECORDS[3]])
        await uow.commit()
    async with uow_factory() as uow:
        left = RECORDS[:2] + [RECORDS[3], RECORDS[5]]
        assert _sorted(await uow.report_data.monthly(shop.id, MAR, dt.date(2026, 4, 30))) == _monthly_rows(left)
        lines, total = await uow.report_data.lines([shop.id], MAR, dt.date(2026, 4, 30),
                                                   LineFilter(component="commission"), 0, 100)
        assert total == 3 and [x.accrual_id for x in lines] == [1, 2, 4]


async def test_drill_down_filters_order_and_pages(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    async with uow_factory() as uow:
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        await uow.commit()
    async with uow_factory() as uow:
        async def ids(where: LineFilter, offset: int = 0, limit: int = 100) -> tuple[list[tuple[int, int]], int]:
            found, total = await uow.report_data.lines([shop.id], MAR, dt.date(2026, 4, 30), where, offset, limit)
            return [(x.accrual_id, x.line_no) for x in found], total

        assert await ids(LineFilter(component="sale", sign=1)) == ([(1, 0), (2, 0), (4, 0)], 3)
        assert await ids(LineFilter(component="sale", sign=-1)) == ([(3, 0)], 1)
        assert await ids(LineFilter(component="service", type_ids=(LOGISTICS,))) == (
            [(1, 2), (2, 2), (3, 2), (4, 2)], 4)
        assert await ids(LineFilter(component="service", other_than=(LOGISTICS,))) == ([(6, 0), (5, 0)], 2)
        assert await ids(LineFilter(component="service")) == ([], 0)
        assert await ids(LineFilter(component="service", type_ids=(LOGISTICS,)), 1, 2) == ([(2, 2), (3, 2)], 4)
        found, _ = await uow.report_data.lines([shop.id], APR, APR, LineFilter(component="sale", sign=-1), 0, 10)
        assert found == [RECORDS[2].lines[0]]


async def test_fingerprint_changes_with_everything_a_report_reads(uow_factory):  # type: ignore[no-untyped-def]
    account, shop = await _seller(uow_factory)
    period = (MAR, dt.date(2026, 4, 30))

    async def fingerprint() -> str | None:
        async with uow_factory() as uow:
            await uow.report_data.snapshot()
            return await uow.report_data.fingerprint(account.id, [shop.id], *period)  # type: ignore[no-any-return]

    assert await fingerprint() is None  # no month of the period was ever rolled up
    async with uow_factory() as uow:
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        await uow.commit()
    seen = [await fingerprint()]
    assert seen[0] is not None and await fingerprint() == seen[0]
    async with uow_factory() as uow:
        assert await uow.report_data.fingerprint(account.id, [shop.id], MAR, dt.date(2026, 5, 31)) is None
    from stpulse.domain.costs.cogs import CostPrice
    from stpulse.domain.ledger.articles import MAPPABLE

    changes = [
        lambda uow: uow.cost_prices.upsert(account.id, [CostPrice(offer_id="A", effective_from=MAR, purchase=100)]),
        lambda uow: uow.facts.rebuild_monthly(shop.id, [APR]),
        lambda uow: uow.facts.upsert_products(shop.id, [blank(Product, product_id=1, offer_id="A")],
                                              [blank(ProductInfo, product_id=1, offer_id="A", sku=111)]),
        lambda uow: uow.ledger.save(LedgerMapping(articles={LOGISTICS: sorted(MAPPABLE)[0]}), NOW),
    ]
    for change in changes:
        async with uow_factory() as uow:
            await change(uow)
            await uow.commit()
        seen.append(await fingerprint())
        assert seen[-1] is not None and seen[-1] not in seen[:-1]


async def test_fingerprints_of_several_periods_in_one_snapshot_equal_fresh_ones(uow_factory):  # type: ignore[no-untyped-def]
    """A page of several tables (the dashboard) reads the whole-table digests once per snapshot: each period's
    fingerprint still equals the one a fresh unit of work computes, and own expenses still count per period."""
    from stpulse.application.costs.ports import OpexRecord

    account, shop = await _seller(uow_factory)
    async with uow_factory() as uow:
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        await uow.opex.add(OpexRecord(id=uuid.uuid4(), account_id=account.id, shop_id=None, month=APR,
                                      article="Аренда", amount=500_00))
        await uow.commit()
    periods = [(MAR, dt.date(2026, 3, 31)), (APR, dt.date(2026, 4, 30)), (MAR, dt.date(2026, 4, 30))]
    fresh = []
    for period in periods:
        async with uow_factory() as uow:
            await uow.report_data.snapshot()
            fresh.append(await uow.report_data.fingerprint(account.id, [shop.id], *period))
    async with uow_factory() as uow:
        await uow.report_data.snapshot()
        together = [await uow.report_data.fingerprint(account.id, [shop.id], *period) for period in periods]
    assert together == fresh and None not in fresh and fresh[0] != fresh[1] != fresh[2]


async def test_catalogue_postings_returns_and_stocks_are_upserted_on_natural_keys(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    products = [blank(Product, product_id=p, offer_id=f"OF-{p}") for p in (3, 1, 2, 1)]
    infos = [blank(ProductInfo, product_id=p, offer_id=f"OF-{p}", sku=100 + p, name=f"Товар {p}") for p in (1, 3)]
    posting = blank(Posting, scheme="FBO", posting_number="1-1-1", status="delivered")
    ret = blank(ReturnRecord, id=9, posting_number="1-1-1", sku=101, quantity=1)
    stock = blank(AnalyticsStockRow, sku=101, warehouse_id=None, available=5, cluster_name="Москва")
    for _ in range(2):  # twice, each batch with a duplicate: still one row per key
        async with uow_factory() as uow:
            await uow.facts.upsert_products(shop.id, products, infos)
            await uow.facts.upsert_postings(shop.id, [posting, posting])
            await uow.facts.upsert_returns(shop.id, [ret, ret])
            await uow.facts.replace_stocks(shop.id, APR, [stock, stock])
            await uow.commit()
    async with uow_factory() as uow:
        catalog = sorted(await uow.report_data.catalog([shop.id]), key=lambda c: c.offer_id)
        assert [(c.offer_id, c.sku, c.name) for c in catalog] == [("OF-1", 101, "Товар 1"), ("OF-2", 0, ""),
                                                                  ("OF-3", 103, "Товар 3")]
        assert {c.shop_id for c in catalog} == {shop.id}
        await uow.facts.upsert_products(shop.id, [products[0]], [msgspec.structs.replace(infos[1], name="Новое")])
        await uow.commit()
    async with uow_factory() as uow:
        assert "Новое" in {c.name for c in await uow.report_data.catalog([shop.id])}
        assert len(await uow.report_data.catalog([shop.id])) == 3


async def test_unmapped_types_and_the_ledger_mapping(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    async with uow_factory() as uow:
        assert await uow.ledger.mapping() == LedgerMapping.default()
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        mapping = await uow.ledger.mapping()
        assert sorted(await uow.facts.record_unmapped(shop.id, set(mapping.articles)), key=str) == [UNKNOWN, None]
        await uow.commit()
    async with uow_factory() as uow:
        queued = await uow.facts.unmapped_types(shop.id)
        assert [(u.type_id, u.lines, u.first_seen, u.last_seen) for u in queued] == [
            (-1, 1, dt.date(2026, 3, 30), dt.date(2026, 3, 30)), (UNKNOWN, 1, dt.date(2026, 4, 2), dt.date(2026, 4, 2))]
        assert await uow.facts.unmapped_types() == queued
        assert [(u.type_id, u.lines, u.amount) for u in await uow.ledger.unmapped(mapping)] == [
            (None, 1, -900), (UNKNOWN, 1, -1_500)]
        changed = mapping.with_changes({UNKNOWN: "storage"})
        await uow.ledger.save(changed, NOW)
        assert await uow.facts.record_unmapped(shop.id, set(changed.articles)) == [None]
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.ledger.mapping() == changed
        assert [u.type_id for u in await uow.ledger.unmapped(changed)] == [None]
        assert [u.type_id for u in await uow.facts.unmapped_types(shop.id)] == [-1]


async def test_accrual_type_names_are_kept_and_name_the_unmapped_queue(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    async with uow_factory() as uow:
        assert await uow.facts.accrual_types_fetched_on() is None and await uow.facts.accrual_types() == {}
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        await uow.facts.save_accrual_types([AccrualType(id=UNKNOWN, name="Old", description="Старое")], MAR)
        await uow.facts.save_accrual_types([AccrualType(id=UNKNOWN, name="NewFee", description="Новая услуга"),
                                            AccrualType(id=LOGISTICS, name="Logistic", description="Логистика")], APR)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.facts.accrual_types_fetched_on() == APR
        assert (await uow.facts.accrual_types())[UNKNOWN] == AccrualType(id=UNKNOWN, name="NewFee",
                                                                         description="Новая услуга")
        queue = await uow.ledger.unmapped(await uow.ledger.mapping())
        assert [(u.type_id, u.name, u.description) for u in queue] == [
            (None, "", ""), (UNKNOWN, "NewFee", "Новая услуга")]


async def test_sync_runs_history_newest_first(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    runs = [SyncRun(id=blank_id(i), shop_id=shop.id, kind=SyncKind.HOURLY, status=SyncStatus.DONE,
                    date_from=MAR, date_to=APR, created_at=NOW + dt.timedelta(minutes=i),
                    updated_at=NOW + dt.timedelta(minutes=i)) for i in (1, 3, 2)]
    async with uow_factory() as uow:
        assert await uow.sync_runs.latest(shop.id) is None
        for run in runs:
            await uow.sync_runs.add(run)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sync_runs.history(shop.id, 2) == [runs[1], runs[2]]
        moved = msgspec.structs.replace(runs[0], status=SyncStatus.FAILED, error="Ошибка", percent=40,
                                        done_through=MAR, finished_at=NOW)
        await uow.sync_runs.update(moved)
        await uow.sync_runs.update(msgspec.structs.replace(moved, id=blank_id(9)))  # unknown: nothing happens
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sync_runs.history(shop.id, 10) == [runs[1], runs[2], moved]
        assert await uow.sync_runs.latest(shop.id) == runs[1]


async def test_sync_runs_touched_and_stalled(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    live, dead, done = (SyncRun(id=blank_id(20 + i), shop_id=shop.id, kind=SyncKind.BACKFILL, status=status,
                                date_from=MAR, date_to=APR, created_at=NOW, updated_at=NOW, done_through=MAR)
                        for i, status in enumerate([SyncStatus.RUNNING, SyncStatus.RUNNING, SyncStatus.DONE]))
    later = NOW + dt.timedelta(seconds=40)
    async with uow_factory() as uow:
        for run in (live, dead, done):
            await uow.sync_runs.add(run)
        await uow.sync_runs.touch(live.id, later)
        await uow.sync_runs.touch(done.id, later)  # a finished run is never touched
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sync_runs.stalled(NOW + dt.timedelta(seconds=10)) == [dead]
        assert await uow.sync_runs.stalled(later + dt.timedelta(seconds=1)) == [
            dead, msgspec.structs.replace(live, updated_at=later)]
        assert [r.updated_at for r in await uow.sync_runs.history(shop.id, 10) if r.id == done.id] == [NOW]


async def test_outbox_keeps_jobs_in_order_until_removed(uow_factory):  # type: ignore[no-untyped-def]
    from stpulse.application.kernel.ports import OutboxJob

    jobs = [OutboxJob(id=blank_id(30 + i), job="sync_shop", ids={"shop_id": str(i), "kind": "manual"},
                      created_at=NOW + dt.timedelta(seconds=i)) for i in (2, 1, 3)]
    async with uow_factory() as uow:
        for job in jobs:
            await uow.outbox.add(job)
        await uow.rollback()
    async with uow_factory() as uow:
        assert await uow.outbox.pending(10) == []  # written only with the transaction that asks for it
        for job in jobs:
            await uow.outbox.add(job)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.pending(2) == [jobs[1], jobs[0]]
        await uow.outbox.remove([jobs[1].id])
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.pending(10) == [jobs[0], jobs[2]]


def blank_id(i: int) -> Any:
    import uuid

    return uuid.UUID(int=i)


def _posting_line(accrual_id: int, day: dt.date, posting: str, sku: int, amount: int, quantity: int) -> AccrualRecord:
    line = AccrualLine(accrual_id=accrual_id, line_no=0, date=day, category="POSTING", unit_number=posting, sku=sku,
                       component=Component.SALE, type_id=None, amount=amount, quantity=quantity)
    return AccrualRecord(accrual_id=accrual_id, date=day, category="POSTING", unit_number=posting,
                         total_amount=amount, lines=(line,), raw=b'{"id": %d}' % accrual_id)


async def test_return_sales_find_the_sale_of_the_same_posting_and_sku(uow_factory):  # type: ignore[no-untyped-def]
    d = lambda n: MAR + dt.timedelta(days=n)  # noqa: E731
    records = [_posting_line(1, d(1), "P-1", 11, 10_000, 2), _posting_line(2, d(3), "P-1", 12, 5_000, 1),
               _posting_line(3, d(20), "P-1", 11, -10_000, -2),  # back: sold on d(1)
               _posting_line(4, d(5), "P-2", 11, 5_000, 1), _posting_line(5, d(40), "P-2", 11, -5_000, 1),
               _posting_line(6, d(35), "P-3", 12, -5_000, -1),  # its sale is not stored: left out
               _posting_line(7, d(36), "P-1", 12, -5_000, -1)]  # sold on d(3)
    async with uow_factory() as uow:
        _, account = await add_account(uow, "returns@example.ru")
        shop, other = await add_shop(uow, account, "5001"), await add_shop(uow, account, "5002")
        await uow.facts.write_accruals(shop.id, MAR, d(45), records)
        await uow.facts.write_accruals(other.id, MAR, d(45), [_posting_line(9, d(21), "P-1", 11, -1, -1)])
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.report_data.return_sales([shop.id], d(10), d(45))
        assert sorted((r.sku, r.date, r.quantity, r.sale_date) for r in got) == [
            (11, d(20), 2, d(1)), (11, d(40), 1, d(5)), (12, d(36), 1, d(3))]
        assert {r.shop_id for r in got} == {shop.id}
        assert await uow.report_data.return_sales([shop.id, other.id], d(30), d(31)) == []


async def test_lines_by_day_and_type_and_the_remaps(uow_factory):  # type: ignore[no-untyped-def]
    from stpulse.application.ledger.ports import Remap

    apr2 = APR + dt.timedelta(days=1)
    async with uow_factory() as uow:
        _, account = await add_account(uow, "remaps@example.ru")
        shop = await add_shop(uow, account, "6001")
        await uow.facts.write_accruals(shop.id, MAR, apr2, [_sale(1, MAR, 11, 10_000), _fee(2, APR, -300, UNKNOWN),
                                                             _fee(3, apr2, -100, UNKNOWN), _sale(4, apr2, 12, 500)])
        first = Remap(type_id=UNKNOWN, article="penalties", was_unmapped=True, started_at=NOW)
        await uow.ledger.save_remap(first)
        await uow.ledger.save_remap(Remap(type_id=7, article="other", was_unmapped=False,
                                          started_at=NOW - dt.timedelta(hours=1), finished_at=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.facts.days_with_type(UNKNOWN) == [(shop.id, APR), (shop.id, apr2)]
        assert await uow.facts.days_with_type(LOGISTICS) == [(shop.id, MAR), (shop.id, apr2)]
        on = await uow.facts.lines_on(shop.id, [MAR, apr2])
        assert sorted((x.accrual_id, x.line_no) for x in on) == [(1, 0), (1, 1), (1, 2), (3, 0), (4, 0), (4, 1), (4, 2)]
        assert [r.type_id for r in await uow.ledger.remaps()] == [UNKNOWN, 7]
        await uow.ledger.save_remap(msgspec.structs.replace(first, months_done=2, months_total=2, finished_at=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        got = (await uow.ledger.remaps())[0]
        assert (got.months_done, got.months_total, got.finished_at, got.percent) == (2, 2, NOW, 100)


def _buyout(day: dt.date, posting: str, sku: int, quantity: int, amount: int) -> DatedBuyout:
    return DatedBuyout(day=day, row=BuyoutRow(
        posting_number=posting, sku=sku, offer_id=f"A-{sku}", name=f"Товар {sku}", quantity=quantity,
        seller_price_per_instance=amount, buyout_price=amount // max(quantity, 1), amount=amount,
        deduction_by_category_percent=Decimal(0), vat_percent=22, raw=b'{"posting_number": "%s"}' % posting.encode()))


async def test_buyouts_keep_their_own_rollup_rows_and_are_read_line_by_line(uow_factory):  # type: ignore[no-untyped-def]
    """«Выкупы Озоном» (issue 11): a window's lines replace that window's lines only; its rollups (article
    `buyouts`) survive an accrual rewrite of the same days and an accrual rewrite survives them; the report reads
    the lines of the period, of the shops asked for."""
    account, shop = await _seller(uow_factory)
    first, last = dt.date(2026, 3, 30), dt.date(2026, 4, 2)
    window = [_buyout(dt.date(2026, 3, 31), "B-1", 111, 2, 300_00), _buyout(dt.date(2026, 4, 1), "B-2", 222, 1, 99_00)]

    async def write_window(uow: Any, lines: list[DatedBuyout]) -> None:
        days = {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
        rollup = rollup_from_buyouts([Buyout(date=b.day, posting_number=b.row.posting_number, sku=b.row.sku,
                                             offer_id=b.row.offer_id, quantity=b.row.quantity,
                                             buyout_price=b.row.buyout_price, amount=b.row.amount) for b in lines], 0)
        await uow.facts.write_buyouts(shop.id, first, last, lines)
        await uow.facts.write_daily_rollups(shop.id, days, rollup, Source.BUYOUTS)
        await uow.facts.rebuild_monthly(shop.id, [MAR, APR])

    async with uow_factory() as uow:
        await _write(uow, shop.id, first, last, RECORDS)
        await write_window(uow, window)
        await _write(uow, shop.id, first, last, RECORDS)  # the accruals again: the buyouts stay
        await uow.commit()
    async with uow_factory() as uow:
        rows = _sorted(await uow.report_data.monthly(shop.id, MAR, dt.date(2026, 4, 30)))
        assert [r for r in rows if r[2] != BUYOUTS] == _monthly_rows(RECORDS)
        assert [r for r in rows if r[2] == BUYOUTS] == [(day_number(MAR), 111, BUYOUTS, 300_00, 2),
                                                         (day_number(APR), 222, BUYOUTS, 99_00, 1)]
        got = await uow.report_data.buyouts([shop.id], APR, dt.date(2026, 4, 30))
        assert [(b.shop_id, b.day, b.posting_number, b.sku, b.quantity, b.amount, b.name) for b in got] == [
            (shop.id, dt.date(2026, 4, 1), "B-2", 222, 1, 99_00, "Товар 222")]
        await write_window(uow, window[:1])  # Ozon no longer shows B-2: gone, with its money
        await uow.commit()
    async with uow_factory() as uow:
        rows = _sorted(await uow.report_data.monthly(shop.id, MAR, dt.date(2026, 4, 30)))
        assert [r for r in rows if r[2] == BUYOUTS] == [(day_number(MAR), 111, BUYOUTS, 300_00, 2)]
        assert [b.posting_number for b in await uow.report_data.buyouts([shop.id], MAR, APR)] == ["B-1"]
        assert await uow.report_data.buyouts([], MAR, APR) == []
