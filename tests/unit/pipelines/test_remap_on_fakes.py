"""Issue 11, defect 3: an admin's mapping change reaches past months. A small sandbox seller is synced onto the
fakes; one of its service types is taken out of the mapping (it sits in «Прочие начисления» and in the queue),
then the admin maps it: a job recalculates the stored months, the type leaves the queue when that is done, and the
ОПиУ of a past month equals a recomputation from the stored lines under the new mapping."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import msgspec
import pytest

from stpulse.application.ledger.admin import ledger_screen, map_type
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.ledger.accruals import Component
from stpulse.domain.ledger.articles import BUYOUTS, LedgerMapping
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES
from stpulse.domain.ledger.rollup_sources import rollup_from_accruals
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.actors import recalculate_type
from tests.fakes import (
    EchoMarkdown,
    FixedClock,
    MemoryMailer,
    MemoryStorage,
    PlainHasher,
    RecordingQueue,
    ReverseBox,
)
from tests.fakes_uow import memory_uow_factory
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app

FIRST, LAST = dt.date(2026, 7, 1), dt.date(2026, 8, 31)
SELLER = ("710002", "key-710002", 12, "small")


@pytest.fixture
async def world(tmp_path):  # type: ignore[no-untyped-def]
    uow, jobs = memory_uow_factory(), RecordingQueue()
    container = bootstrap(Settings(data_dir=tmp_path), uow=uow, clock=FixedClock(dt.datetime(2026, 10, 1, 9, 0,
                                                                                              tzinfo=dt.UTC)),
                          mailer=MemoryMailer(), hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(),
                          markdown=EchoMarkdown(), jobs=jobs, ozon=ozon_factory(sandbox_app([SELLER])))
    deps = container.deps
    actor = await new_actor(deps, "remap@example.ru")
    shop_id = await connect(deps, actor, SELLER[0], SELLER[1], "Перенос")
    facts = uow.store.facts
    facts.ledger = dict(DEFAULT_TYPE_ARTICLES)  # the busiest mapped service type is then taken out of it
    await sync_shop(deps, shop_id, SyncKind.CLI, date_from=FIRST, date_to=LAST)
    counts = Counter(x.type_id for x in uow.store.facts.lines.values()
                     if x.component == Component.SERVICE and x.type_id is not None)
    type_id = next(t for t, _ in counts.most_common() if DEFAULT_TYPE_ARTICLES.get(t) not in (None, "penalties"))
    del uow.store.facts.ledger[type_id]
    await sync_shop(deps, shop_id, SyncKind.CLI, date_from=FIRST, date_to=LAST)  # rollups under that mapping
    async with deps.uow() as u:
        admin = msgspec.structs.replace(actor.user, is_admin=True)
        await u.users.update(admin)
        await u.commit()
    yield {"deps": deps, "actor": actor, "admin": admin, "type_id": type_id, "store": uow.store, "jobs": jobs}
    await container.close()


async def _pnl(deps, actor) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    table = (await build_report(deps, actor, "pnl", ReportRequest(month_from="2026-07", month_to="2026-08"))).table
    return {r.code: r.values for r in table.rows}


async def test_remap_recalculates_past_months_and_leaves_the_queue_when_done(world):  # type: ignore[no-untyped-def]
    deps, actor, admin, type_id = world["deps"], world["actor"], world["admin"], world["type_id"]
    before = await _pnl(deps, actor)
    assert type_id in [u.type_id for u in (await ledger_screen(deps, admin)).unmapped]

    await map_type(deps, admin, type_id, "penalties")
    assert world["jobs"].jobs[-1] == ("recalculate_type", {"type_id": str(type_id)})
    screen = await ledger_screen(deps, admin)
    assert screen.recalculating and type_id in [u.type_id for u in screen.unmapped]  # not done yet: still queued

    await recalculate_type(lambda: deps, str(type_id))  # the worker's actor
    screen = await ledger_screen(deps, admin)
    assert not screen.recalculating and type_id not in [u.type_id for u in screen.unmapped]
    done = screen.remaps[0]
    assert done.type_id == type_id and done.percent == 100 and done.months_done == done.months_total == 2

    after = await _pnl(deps, actor)
    moved = [sum(x.amount for x in world["store"].facts.lines.values()
                 if x.type_id == type_id and x.component == Component.SERVICE and x.date.month == m) for m in (7, 8)]
    assert all(moved)
    assert list(after["ozon:penalties"]) == [b + m for b, m in zip(before["ozon:penalties"], moved, strict=True)]
    assert list(after["ozon:other"]) == [b - m for b, m in zip(before["ozon:other"], moved, strict=True)]
    assert after["net_profit"] == before["net_profit"]
    # the stored rollups equal a recomputation of every stored line under the new mapping
    facts = world["store"].facts
    fresh = rollup_from_accruals(list(facts.lines.values()), LedgerMapping(articles=dict(facts.ledger)), 0).rollup
    stored = sorted((day, sku, art, amt) for (_, day, sku, art), (amt, _) in facts.daily.items()
                    if amt and art != BUYOUTS)  # buyouts are not accruals: their own rows, untouched by a remap
    skus = [int(fresh.skus[s]) if s >= 0 else 0 for s in fresh.sku.tolist()]
    want = sorted((EPOCH + dt.timedelta(days=int(d)), s, int(a), int(m))
                  for d, s, a, m in zip(fresh.day.tolist(), skus, fresh.article.tolist(), fresh.amount.tolist(),
                                        strict=True) if m)
    assert stored == want
