"""PostgreSQL sends the reconciliation's accrual day sums of a period summed per month after its second day (three
rows a month, not thirty): what the reconciliation makes of them equals what it makes of the days one by one."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import text

from stpulse.adapters.db.uow import Database
from stpulse.application.reports.settlement_source import assemble
from stpulse.domain.kernel.period import Period
from tests.integration.contract_helpers import add_account, add_shop
from tests.services import truncate_all

FIRST, LAST = dt.date(2026, 7, 25), dt.date(2026, 10, 4)  # beyond the period on both sides


async def test_the_period_read_of_day_sums_reconciles_like_the_days(pg_url):  # type: ignore[no-untyped-def]
    await truncate_all(pg_url)
    db = Database(pg_url)
    rng = random.Random(7)
    try:
        async with db.uow() as uow:
            _, account = await add_account(uow, "recon@example.ru")
            shops = [await add_shop(uow, account, c) for c in ("1", "2")]
            await uow.commit()
        async with db.uow() as uow:
            day = FIRST
            while day <= LAST:
                for shop in shops:
                    if rng.random() < 0.9:  # a few days without lines
                        values = [rng.randint(-10**9, 10**9) for _ in range(5)]
                        await uow.session.execute(text(
                            "INSERT INTO ozon_accrual_day_sums (shop_id, day, total, delivered, returned, "
                            "compensations, services) VALUES (:s, :d, :a, :b, :c, :e, :f)"),
                            {"s": shop.id, "d": day, **dict(zip("abcef", values, strict=True))})
                day += dt.timedelta(days=1)
            await uow.commit()
        period = Period.parse("2026-08", "2026-09")
        keys = {shops[0].id: 1, shops[1].id: 2}
        async with db.uow() as uow:
            s = uow.settlement
            first, last = period.first_day, period.last_day
            reads = await s.period_reads(list(keys), first, last, sums_last=last + dt.timedelta(days=2))
            days = await s.day_sums(list(keys), first, last + dt.timedelta(days=2))
            one_by_one = assemble(keys, period, days, await s.realization_totals(list(keys), first, last),
                                  await s.cash_flow_totals(list(keys), first, last), await s.payouts(list(keys), first, last))
        assert assemble(keys, period, reads.sums, reads.realization, reads.cash_flows, reads.payouts) == one_by_one
        assert len(reads.sums) <= 2 * 3 * 3 < len(days)  # two shops, three months (October's first days), 3 rows each
        assert {m.shop_id for m in one_by_one if m.accrued} == {1, 2}
    finally:
        await db.dispose()
