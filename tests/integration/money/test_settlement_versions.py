"""The settlement stamps (migration 0020a): every kind of write of a shop's accrual day sums, realization reports,
cash-flow periods and balances — the sync's own writers and raw SQL INSERT / UPDATE / DELETE / TRUNCATE — renews that
shop's stamp and no other shop's; the period's settlement reads a report takes from the process's copy (under the
stamps its fingerprint statement read) equal the rows read afresh after each of them; an UPDATE that changes nothing
the reports read keeps the stamp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from stpulse.adapters.db.ledger import settlement_copies
from stpulse.adapters.db.uow import Database
from stpulse.application.ledger.settlement import (
    CashFlowTotals,
    DailyBalance,
    RealizationHeader,
    SettlementReads,
)
from tests.integration.money import test_content_versions as versions
from tests.integration.money.test_content_versions import PERIOD, Seller, rows, sql

Write = Callable[[Any], Awaitable[object]]
SUMS_LAST = PERIOD[1] + dt.timedelta(days=2)
two = versions.two  # two sellers, each with a shop, accrual lines, a catalogue and a cost book


async def stamp(url: str, seller: Seller) -> str | None:
    found = await rows(url, f"SELECT stamp FROM content_versions WHERE scope = 'settlement' "
                            f"AND key = '{seller.shop.id}'")
    return str(found[0][0]) if found else None


async def reads(db: Database, seller: Seller, fingerprinted: bool) -> SettlementReads:
    """The period's reads as a report takes them (after its fingerprint: from the copy) or afresh."""
    async with db.uow() as uow:
        await uow.report_data.snapshot()
        if fingerprinted:
            await uow.report_data.fingerprint(seller.account.id, [seller.shop.id], *PERIOD)
        return await uow.settlement.period_reads([seller.shop.id], *PERIOD, sums_last=SUMS_LAST)  # type: ignore[no-any-return]


def writes(mine: Seller, url: str) -> list[tuple[str, Write]]:
    shop = mine.shop.id

    header = RealizationHeader(number="R-1", doc_date="2026-04-05", raw=b"{}")
    flow = CashFlowTotals(shop_id=shop, period_id=7, first_day=dt.date(2026, 4, 1), last_day=dt.date(2026, 4, 15),
                          accrued=5_000, invoice=None, paid=4_000, begin_balance=None, end_balance=None)
    balance = DailyBalance(shop_id=shop, day=dt.date(2026, 4, 3), opening=0, accrued=1, paid=2_500, closing=0, lines=1)
    return [
        ("sync: day sums", lambda db: _uow(db, lambda s: s.refresh_day_sums(shop, *PERIOD, compensation_types=[]))),
        ("sync: realization", lambda db: _uow(db, lambda s: s.save_realization(shop, dt.date(2026, 3, 1), header, []))),
        ("sync: cash flow", lambda db: _uow(db, lambda s: s.save_cash_flow(shop, [flow]))),
        ("sync: balances", lambda db: _uow(db, lambda s: s.save_balances(shop, [balance]))),
        ("sql: update a balance", lambda db: sql(url, "UPDATE ozon_balances SET paid = paid + 1 WHERE shop_id = $1", shop)),
        ("sql: update day sums", lambda db: sql(url, "UPDATE ozon_accrual_day_sums SET total = total + 1 "
                                                     "WHERE shop_id = $1", shop)),
        ("sql: insert a realization", lambda db: sql(
            url, "INSERT INTO ozon_realization_reports (shop_id, month, number, doc_date, delivered, returned, sales, "
                 "rows, raw) VALUES ($1, DATE '2026-04-01', 'R-2', '', 10, 0, 10, 1, '')", shop)),
        ("sql: delete a cash flow", lambda db: sql(url, "DELETE FROM ozon_cash_flow_periods WHERE shop_id = $1", shop)),
    ]


async def _uow(db: Database, call: Callable[[Any], Awaitable[object]]) -> None:
    async with db.uow() as uow:
        await call(uow.settlement)
        await uow.commit()


async def test_every_settlement_write_renews_its_own_shop_stamp_and_the_copy_follows(two, pg_url):  # type: ignore[no-untyped-def]
    db, (mine, other) = two
    settlement_copies.clear()
    theirs = await stamp(pg_url, other)
    seen = [await stamp(pg_url, mine)]
    for name, write in writes(mine, pg_url):
        kept = await reads(db, mine, fingerprinted=True)  # the copy before the write
        assert await reads(db, mine, fingerprinted=True) is kept, "a second request takes the process's copy"
        await write(db)
        now = await stamp(pg_url, mine)
        assert now is not None and now not in seen, name
        seen.append(now)
        assert await stamp(pg_url, other) == theirs, name
        assert await reads(db, mine, fingerprinted=True) == await reads(db, mine, fingerprinted=False), name
    fresh = await reads(db, mine, fingerprinted=False)
    assert fresh.sums and fresh.realization and fresh.payouts  # the writes above were really read back


async def test_an_unchanged_update_keeps_the_stamp_and_truncate_renews_every_shop(two, pg_url):  # type: ignore[no-untyped-def]
    db, (mine, other) = two
    for _, write in writes(mine, pg_url)[:4] + writes(other, pg_url)[:4]:
        await write(db)
    before = await stamp(pg_url, mine)
    await sql(pg_url, "UPDATE ozon_balances SET raw = 'x' WHERE shop_id = $1", mine.shop.id)  # not a column read
    assert await stamp(pg_url, mine) == before
    both = [await stamp(pg_url, s) for s in (mine, other)]
    await sql(pg_url, "TRUNCATE ozon_balances")
    after = [await stamp(pg_url, s) for s in (mine, other)]
    assert after[0] != both[0] and after[1] != both[1]
    assert await reads(db, mine, fingerprinted=True) == await reads(db, mine, fingerprinted=False)


async def test_without_a_fingerprint_in_the_transaction_nothing_is_kept(two):  # type: ignore[no-untyped-def]
    db, (mine, _) = two
    settlement_copies.clear()
    first = await reads(db, mine, fingerprinted=False)
    assert await reads(db, mine, fingerprinted=False) is not first
