"""Test loader for Операционка and Возвраты: the sandbox's postings and returns as Ozon answers them (the sandbox's
own JSON), parsed by the adapter and written by the sync's writer (`FactsRepo.upsert_postings/upsert_returns`), plus
the ground truth computed straight from the sandbox's generated arrays."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from stpulse.adapters.db.ozon.repositories import FactsRepo
from stpulse.adapters.ozon import mapping
from stpulse.adapters.sandbox.ozon.http.postings_api import With, _fbo_posting, _fbs_posting
from stpulse.adapters.sandbox.ozon.http.returns_api import _return_json
from stpulse.adapters.sandbox.ozon.origin import day_index
from stpulse.adapters.sandbox.ozon.postings import created_at, return_reason, returns_on, statuses, utilised
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.kernel.moscow import MSK

_WITH = With()


def _engine(url: str):  # type: ignore[no-untyped-def]
    return create_async_engine(url if "+asyncpg" in url else url.replace("postgresql://", "postgresql+asyncpg://"))


async def load_postings_and_returns(url: str, shop_id: uuid.UUID, world: SellerWorld, first: dt.date,
                                    last: dt.date) -> None:
    """Postings created first..last and returns dated first..last, through the adapter and the sync's writer."""
    engine = _engine(url)
    try:
        async with AsyncSession(engine) as session:
            repo = FactsRepo(session)
            for day in world.days(first, last):
                o = world.origin(day)
                if o is None or not o.n_postings:
                    continue
                status = statuses(o, world.today)
                batch = []
                for i in range(o.n_postings):
                    fbs = bool(o.fbs[i])
                    item = (_fbs_posting if fbs else _fbo_posting)(world, _WITH, o, i, str(status[i]))
                    batch.append(mapping.posting(msgspec.Raw(msgspec.json.encode(item)), "FBS" if fbs else "FBO", "t"))
                await repo.upsert_postings(shop_id, batch)
                refs = returns_on(world, day)
                records = [mapping.return_record(msgspec.Raw(msgspec.json.encode(_return_json(world, r))), "t")
                           for r in refs]
                await repo.upsert_returns(shop_id, records)
            await session.commit()
    finally:
        await engine.dispose()


@dataclass
class OpsTruth:
    ordered_units: int = 0
    ordered: int = 0
    cancelled_units: int = 0
    cancelled: int = 0
    delivered_units: int = 0
    returned_units: int = 0  # customers' returns (ClientReturn) dated in the period
    refused_units: int = 0  # refusals (FullReturn) dated in the period
    returned: int = 0  # kopecks of the customers' returns
    utilised: int = 0
    by_reason: Counter = field(default_factory=Counter)  # customers' returns' units by reason
    by_sku_ordered: Counter = field(default_factory=Counter)
    compensated_returns: int = 0  # customers' returns with a compensation received


def ops_truth(world: SellerWorld, first: dt.date, last: dt.date) -> OpsTruth:
    """From the sandbox's arrays: a posting is created on the Moscow day of the moment Ozon reports for it (FBO
    `created_at`, FBS `in_process_at` = created + 2 min); delivered and returned by their event days."""
    t = OpsTruth()
    lo, hi = day_index(first), day_index(last)
    c = world.catalog
    for day in world.days(first - dt.timedelta(days=40), last):
        o = world.origin(day)
        if o is None:
            continue
        status = statuses(o, world.today)
        for i in range(o.n_postings):
            moment = created_at(o, i) + (dt.timedelta(minutes=2) if o.fbs[i] else dt.timedelta())
            created = moment.astimezone(MSK).date()
            lines = range(int(o.line_start[i]), int(o.line_start[i + 1]))
            qty = sum(int(o.qty[x]) for x in lines)
            amount = sum(int(o.qty[x]) * int(o.price[x]) for x in lines)
            if first <= created <= last:
                t.ordered_units += qty
                t.ordered += amount
                for x in lines:
                    t.by_sku_ordered[int(c.sku[int(o.sku_pos[x])])] += int(o.qty[x])
                if status[i] == "cancelled":
                    t.cancelled_units += qty
                    t.cancelled += amount
            if not o.cancelled[i] and not o.buyout[i] and lo <= int(o.deliver_day[i]) <= hi:
                t.delivered_units += qty
    for day in world.days(first, last):
        for ref in returns_on(world, day):
            q = int(ref.origin.qty[ref.line])
            if ref.kind == "FullReturn":
                t.refused_units += q
                continue
            t.returned_units += q
            t.returned += q * int(ref.origin.price[ref.line])
            t.by_reason[return_reason(ref)] += q
            back_home = (world.today - ref.day).days > 10
            t.utilised += q if back_home and utilised(world, ref) else 0
            o = ref.origin
            if o.compensated[ref.posting] and int(o.compensation_day[ref.posting]) <= day_index(world.today):
                t.compensated_returns += 1
    return t
