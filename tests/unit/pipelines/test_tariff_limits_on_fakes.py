"""`max_skus` and `history_months` on a synced sandbox seller (30 SKUs), through the real bootstrap on fakes.

What the SKU limit does: a per-SKU report (Юнитка) of more SKUs than the tariff allows is refused with the counts and
a link to «Тариф»; ОПиУ and the sync are not limited (money is never dropped). The history depth bounds the sync's
backfill and the reports' period."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.application.billing.policy import TariffRequired
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.billing import Tariff, TariffLimits
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
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
from tests.unit.foundation.helpers import subscribe

SELLER = ("710002", "key-710002", 12, "small")


def _tariff(max_skus: int, history_months: int) -> Tariff:
    return Tariff(code=f"t{max_skus}-{history_months}", name="Проба", monthly_price=100_00,
                  limits=TariffLimits(max_shops=1, max_skus=max_skus, history_months=history_months,
                                      features=frozenset({"export"})))


@pytest.fixture(scope="module")
async def synced(tmp_path_factory):  # type: ignore[no-untyped-def]
    app = sandbox_app([SELLER])
    container = bootstrap(Settings(data_dir=tmp_path_factory.mktemp("limits")), uow=memory_uow_factory(),
                          clock=FixedClock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)), mailer=MemoryMailer(),
                          hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(), markdown=EchoMarkdown(),
                          jobs=RecordingQueue(), ozon=ozon_factory(app))
    deps = container.deps
    actor = await new_actor(deps, "limits@example.ru")
    shop_id = await connect(deps, actor, SELLER[0], SELLER[1], "Лимиты")
    await subscribe(deps, actor, _tariff(1000, 2))  # 2 months of history: September and October 2026
    run = await sync_shop(deps, shop_id, SyncKind.HOURLY)  # the first sync: a backfill (12 months without a tariff)
    yield {"deps": deps, "actor": actor, "run": run}
    await container.close()


async def test_the_first_sync_loads_only_the_tariffs_history(synced):  # type: ignore[no-untyped-def]
    run = synced["run"]
    assert run is not None and run.status == SyncStatus.DONE
    assert (run.date_from, run.date_to) == (dt.date(2026, 9, 1), dt.date(2026, 10, 1))


async def test_a_per_sku_report_over_max_skus_is_refused_the_pnl_is_not(synced):  # type: ignore[no-untyped-def]
    deps, actor = synced["deps"], synced["actor"]
    req = ReportRequest(month_from="2026-09", month_to="2026-10")
    await subscribe(deps, actor, _tariff(10, 2))
    with pytest.raises(TariffRequired, match="до 10 SKU, в выбранных магазинах 30") as refused:
        await build_report(deps, actor, "unit", req)
    assert refused.value.action_url == "/app/billing"
    assert (await build_report(deps, actor, "pnl", req)).table is not None  # totals are never limited
    await subscribe(deps, actor, _tariff(30, 2))
    assert (await build_report(deps, actor, "unit", req)).table is not None
