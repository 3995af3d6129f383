"""Issue 18.14: the admin's «Мониторинг» — sync lag per shop, failed sync runs, worker heartbeat, database size."""

from __future__ import annotations

import datetime as dt
import uuid

from stpulse.application.accounts.admin_users import make_admin
from stpulse.application.kernel.health import record_heartbeat
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus
from stpulse.domain.ledger.shops import Shop, ShopStatus
from tests.integration.contract_helpers import add_account
from tests.integration.web_helpers import PASSWORD, sign_in


async def test_monitoring_shows_lag_failures_heartbeat_and_database_size(app, client):  # type: ignore[no-untyped-def]
    deps = app.state.container.deps
    now = dt.datetime.now(dt.UTC)
    fresh, behind, broken = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with deps.uow() as uow:
        _, account = await add_account(uow, "seller-mon@example.ru")
        await uow.shops.add(Shop(id=fresh, account_id=account.id, name="Свежий", client_id="900001",
                                 status=ShopStatus.ACTIVE, last_synced_at=now - dt.timedelta(minutes=10)), b"k")
        await uow.shops.add(Shop(id=behind, account_id=account.id, name="Отстающий", client_id="900002",
                                 status=ShopStatus.ACTIVE, last_synced_at=now - dt.timedelta(hours=5)), b"k")
        await uow.shops.add(Shop(id=broken, account_id=account.id, name="Сломанный", client_id="900003",
                                 status=ShopStatus.KEY_INVALID), b"k")
        await uow.sync_runs.add(SyncRun(id=uuid.uuid4(), shop_id=broken, kind=SyncKind.HOURLY,
                                        status=SyncStatus.FAILED, date_from=now.date(), date_to=now.date(),
                                        created_at=now, updated_at=now, error="Ozon отклонил ключ"))
        await uow.commit()
    await make_admin(deps, "root-mon@stpulse.test", PASSWORD)
    await sign_in(client, "root-mon@stpulse.test")

    page = (await client.get("/admin/monitoring")).text
    assert 'data-heartbeat="stale"' in page and "нет сигнала" in page  # no worker ran in this test
    assert 'data-shop="900002" data-late="yes"' in page and 'data-shop="900001" data-late="no"' in page
    assert page.index('data-shop="900002"') < page.index('data-shop="900001"')  # most behind first
    assert "5\xa0ч\xa00\xa0мин" in page and "Мониторинг" in page
    assert "Ozon отклонил ключ" in page and "Сломанный" in page
    assert "МБ" in page or "КБ" in page  # pg_database_size, grouped and in Russian units

    await record_heartbeat(deps)
    assert 'data-heartbeat="ok"' in (await client.get("/admin/monitoring")).text
