"""Issue 11, defect 3 on PostgreSQL: an admin maps a type that sat in «Прочие начисления»; the job recalculates the
stored months, the ОПиУ of a past month moves the type's money to its article, and the rollups equal what a full
re-sync under the new mapping writes (a recomputation from Ozon's answers)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import msgspec

from stpulse.application.ledger.admin import ledger_screen, map_type
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES
from stpulse.entrypoints.worker.actors import recalculate_type
from tests.integration.ozon_sync import helpers as h

CLIENT, KEY = "890021", "remap-key-890021"
FROM, TO = dt.date(2026, 7, 1), dt.date(2026, 8, 31)
ROLLUPS = ("sku_daily_rollups", "sku_monthly_rollups")


async def _pnl(deps, actor) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    table = (await build_report(deps, actor, "pnl", ReportRequest(month_from="2026-07", month_to="2026-08"))).table
    return {r.code: r.values for r in table.rows}


async def test_a_remap_recalculates_past_months_like_a_full_resync(sync_db, tmp_path):  # type: ignore[no-untyped-def]
    app = h.sandbox_app([(CLIENT, KEY, 47, "small")])
    container = h.container_for(sync_db, tmp_path, h.ozon_factory(app))
    deps = container.deps
    try:
        actor = await h.new_actor(deps, "remap@example.com")
        shop_id = await h.connect(deps, actor, CLIENT, KEY)
        await sync_shop(deps, shop_id, SyncKind.CLI, date_from=FROM, date_to=TO)
        rows = await h.fetch(sync_db, "SELECT type_id, count(*) AS n FROM accrual_lines WHERE shop_id = $1 AND "
                                      "component = 'service' AND type_id IS NOT NULL GROUP BY type_id", shop_id)
        counts = Counter({r["type_id"]: r["n"] for r in rows})
        type_id = next(t for t, _ in counts.most_common() if DEFAULT_TYPE_ARTICLES.get(t) not in (None, "penalties"))
        async with deps.uow() as uow:
            await uow.ledger.save(LedgerMapping(articles={t: a for t, a in DEFAULT_TYPE_ARTICLES.items()
                                                          if t != type_id}), dt.datetime.now(dt.UTC))
            admin = msgspec.structs.replace(actor.user, is_admin=True)
            await uow.users.update(admin)
            await uow.commit()
        await sync_shop(deps, shop_id, SyncKind.CLI, date_from=FROM, date_to=TO)  # rollups: the type in «Прочие»
        before = await _pnl(deps, actor)

        await map_type(deps, admin, type_id, "penalties")
        assert type_id in [u.type_id for u in (await ledger_screen(deps, admin)).unmapped]
        assert await _pnl(deps, actor) == before  # nothing recalculated yet
        await recalculate_type(lambda: deps, str(type_id))
        screen = await ledger_screen(deps, admin)
        assert type_id not in [u.type_id for u in screen.unmapped] and screen.remaps[0].percent == 100

        after = await _pnl(deps, actor)
        moved = [(await h.fetch(sync_db, "SELECT coalesce(sum(amount), 0) AS s FROM accrual_lines WHERE shop_id = $1 "
                                         "AND type_id = $2 AND date_trunc('month', date) = $3", shop_id, type_id,
                                dt.datetime(2026, m, 1)))[0]["s"] for m in (7, 8)]
        assert moved[0] != 0
        assert list(after["ozon:penalties"]) == [b + m for b, m in zip(before["ozon:penalties"], moved, strict=True)]
        assert list(after["ozon:other"]) == [b - m for b, m in zip(before["ozon:other"], moved, strict=True)]
        remapped = {t: v for t, v in (await h.snapshot(sync_db, shop_id)).items() if t in ROLLUPS}
        await sync_shop(deps, shop_id, SyncKind.CLI, date_from=FROM, date_to=TO)  # the recomputation
        assert {t: v for t, v in (await h.snapshot(sync_db, shop_id)).items() if t in ROLLUPS} == remapped
    finally:
        await container.close()
