"""Issue 14: after an ads import the worker's `warm_reports` builds «Реклама» into the store every web process reads.

The worker's container imports the shop's three ad accounts from the sandbox and warms; a web process started
afterwards, with its own empty first-level cache, finds «Реклама» of each warmed period in Redis on its first
request (a hit of the shared store, no computation), equal to a computation with every cache emptied."""

from __future__ import annotations

from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.ads.keys import AddKey, add_key
from stpulse.application.ads.sync import sync_ads
from stpulse.application.reports.cache import ReportCache, TableCache
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.application.reports.warm import WARM_KINDS, warm_kinds, warm_periods, warm_reports, warm_requests
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import FixedClock, PlainHasher, RecordingQueue
from tests.integration.ads.conftest import ACCOUNTS, NOW, SELLER, SELLER_KEY, ads_sandbox, performance_factory
from tests.integration.ozon_sync import helpers as h
from tests.services import REDIS_URL, require_services


async def test_after_the_ads_import_the_ads_table_is_served_from_the_shared_store(ads_db, tmp_path):  # type: ignore[no-untyped-def]
    require_services()
    app = ads_sandbox(profile="small")
    settings = Settings(mode="production", database_url=ads_db, data_dir=tmp_path, redis_url=REDIS_URL, log_json=True)

    def container(cache: ReportCache | None = None):  # type: ignore[no-untyped-def]
        extra = {"report_cache": cache} if cache is not None else {}
        return bootstrap(settings, ozon=h.ozon_factory(app), performance=performance_factory(app),
                         jobs=RecordingQueue(), hasher=PlainHasher(), clock=FixedClock(NOW), **extra)

    worker = container()
    actor = await h.new_actor(worker.deps, f"warm-ads-{tmp_path.name}@example.com")
    shop_id = await h.connect(worker.deps, actor, SELLER, SELLER_KEY, name=f"Реклама {tmp_path.name}")
    for i, a in enumerate(ACCOUNTS):
        await add_key(worker.deps, actor, shop_id, AddKey(label=f"Кабинет {i + 1}", organisation=a.organisation,
                                                           client_id=a.client_id, client_secret=a.client_secret))
    assert all(r.ok for r in await sync_ads(worker.deps, shop_id))
    assert "ads" in WARM_KINDS and "ads" in await warm_kinds(worker.deps, actor.account_id)  # the pro tariff sells it
    assert await warm_reports(worker.deps, shop_id) == len(warm_requests(worker.deps))
    await worker.close()

    web = container(ReportCache(TableCache(), RedisTableStore(REDIS_URL)))  # another process: its own empty cache
    served = []
    for month_from, month_to in warm_periods(web.deps):
        cache = web.deps.report_cache
        hits, misses = cache.shared_hits, cache.shared_misses
        view = await build_report(web.deps, actor, "ads", ReportRequest(month_from=month_from, month_to=month_to))
        assert (cache.shared_hits, cache.shared_misses) == (hits + 1, misses), (month_from, month_to)
        served.append(view.table)
    await web.close()
    year = served[-1]
    assert year is not None and len(year.rows) > 1 and year.row("total").values[0] > 0  # spend of the year

    content_cache.clear()
    rollup_packs.CACHE.clear()
    scratch = container(ReportCache(TableCache(), None))  # nothing cached anywhere: computed now
    computed = [(await build_report(scratch.deps, actor, "ads", ReportRequest(month_from=a, month_to=b))).table
                for a, b in warm_periods(scratch.deps)]
    await scratch.close()
    assert served == computed


async def test_warm_skips_the_ads_report_when_the_tariff_does_not_sell_it(ads_db, tmp_path):  # type: ignore[no-untyped-def]
    from stpulse.application.accounts.admin_users import make_admin
    from stpulse.application.billing.admin import AdminAction, extend

    settings = Settings(mode="production", database_url=ads_db, data_dir=tmp_path, log_json=True)
    container = bootstrap(settings, jobs=RecordingQueue(), hasher=PlainHasher(), clock=FixedClock(NOW))
    actor = await h.new_actor(container.deps, f"warm-start-{tmp_path.name}@example.com")  # «Про» first
    admin = await make_admin(container.deps, "warm-start-admin@example.ru", "admin-password-1")
    await extend(container.deps, admin, actor.user.id, AdminAction(reason="тест", days=30, tariff_code="start"))
    kinds = await warm_kinds(container.deps, actor.account_id)
    await container.close()
    assert "ads" not in kinds and "pnl" in kinds  # «Старт» has no «Отчёт по рекламе»: never asked, never refused
