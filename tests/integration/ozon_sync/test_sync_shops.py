"""Acceptance 3 (repeat syncs change nothing), 4 (a revoked key) and 5 (shops and accounts never mix)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from stpulse.adapters.sandbox.ozon import FaultConfig, sandbox_state
from stpulse.application.ozon.sync import sync_all, sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.domain.ledger.shops import ShopStatus
from tests.integration.ozon_sync import helpers as h

FROM, TO = dt.date(2026, 8, 1), dt.date(2026, 9, 30)
SELLERS = [("700001", "key-a-700001", 1, "small"), ("700002", "key-b-700002", 2, "small"),
           ("700003", "key-c-700003", 3, "small")]


@pytest.fixture(scope="module")
async def world(sync_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    app = h.sandbox_app(SELLERS)
    container = h.container_for(sync_db, tmp_path_factory.mktemp("shops"), h.ozon_factory(app))
    deps = container.deps
    one, two = await h.new_actor(deps, "one@example.com"), await h.new_actor(deps, "two@example.com")
    shops = {
        "a": await h.connect(deps, one, "700001", "key-a-700001", "А"),
        "b": await h.connect(deps, one, "700002", "key-b-700002", "Б"),
        "c": await h.connect(deps, two, "700003", "key-c-700003", "В"),
        "a2": await h.connect(deps, two, "700001", "key-a-700001", "А у второго"),  # one cabinet in two accounts
    }
    runs = await asyncio.gather(*(sync_shop(deps, sid, SyncKind.CLI, date_from=FROM, date_to=TO)
                                  for sid in shops.values()))
    yield {"pg": sync_db, "app": app, "deps": deps, "shops": shops, "runs": dict(zip(shops, runs, strict=True)),
           "actors": (one, two)}
    await container.close()


async def test_concurrent_shops_and_accounts_each_get_exactly_their_own_rows(world):  # type: ignore[no-untyped-def]
    assert all(r.status == SyncStatus.DONE for r in world["runs"].values()), [r.error for r in world["runs"].values()]
    clients = {"a": "700001", "b": "700002", "c": "700003", "a2": "700001"}
    for key, shop_id in world["shops"].items():
        gt = h.ground_truth(h.world_of(world["app"], clients[key]), FROM, TO)
        rows = await h.fetch(world["pg"], "SELECT count(*) AS n, coalesce(sum(amount), 0) AS s FROM accrual_lines "
                                          "WHERE shop_id = $1", shop_id)
        assert (rows[0]["n"], int(rows[0]["s"])) == (gt.n_lines, gt.total), key
        posts = await h.fetch(world["pg"], "SELECT count(*) AS n FROM ozon_postings WHERE shop_id = $1", shop_id)
        assert posts[0]["n"] == gt.postings_fbo + gt.postings_fbs
    # every stored row belongs to a shop of the account that connected it, nothing else exists
    for table in h.FACT_TABLES:
        stray = await h.fetch(world["pg"], f"SELECT count(*) AS n FROM {table} WHERE shop_id <> ALL($1::uuid[])",
                              list(world["shops"].values()))
        assert stray[0]["n"] == 0, table
    a, a2 = [await h.snapshot(world["pg"], world["shops"][k]) for k in ("a", "a2")]
    assert a["accrual_lines"][0] == a2["accrual_lines"][0]  # same cabinet, separate copies per account
    one, two = world["actors"]
    async with world["deps"].uow() as uow:
        assert {s.id for s in await uow.shops.for_account(one.account_id)} == {world["shops"]["a"], world["shops"]["b"]}
        assert await uow.shops.get(one.account_id, world["shops"]["c"]) is None


async def test_second_and_third_full_sync_change_no_row(world):  # type: ignore[no-untyped-def]
    shop_id = world["shops"]["b"]
    before = await h.snapshot(world["pg"], shop_id)
    for _ in range(2):
        run = await sync_shop(world["deps"], shop_id, SyncKind.CLI, date_from=FROM, date_to=TO)
        assert run is not None and run.status == SyncStatus.DONE
        assert await h.snapshot(world["pg"], shop_id) == before


async def test_revoked_key_marks_the_shop_keeps_data_and_other_shops_sync(world):  # type: ignore[no-untyped-def]
    deps, shops = world["deps"], world["shops"]
    state = sandbox_state(world["app"])
    before = await h.snapshot(world["pg"], shops["b"])
    state.set_faults(FaultConfig(revoked_client_ids={"700002"}))
    try:
        revoked, other = await asyncio.gather(
            sync_shop(deps, shops["b"], SyncKind.MANUAL, date_from=TO - dt.timedelta(days=3), date_to=TO),
            sync_shop(deps, shops["c"], SyncKind.MANUAL, date_from=TO - dt.timedelta(days=3), date_to=TO))
    finally:
        state.set_faults(FaultConfig())
    assert revoked is not None and revoked.status == SyncStatus.FAILED
    assert "Ключ API недействителен" in revoked.error
    assert other is not None and other.status == SyncStatus.DONE
    async with deps.uow() as uow:
        shop = await uow.shops.by_id(shops["b"])
        assert shop is not None and shop.status == ShopStatus.KEY_INVALID
        assert shops["b"] not in {s.id for s in await uow.shops.syncable()}
    assert await h.snapshot(world["pg"], shops["b"]) == before  # nothing deleted
    deps.jobs.jobs.clear()
    await sync_all(deps)
    assert str(shops["b"]) not in {ids["shop_id"] for _, ids in deps.jobs.jobs}
    assert str(shops["c"]) in {ids["shop_id"] for _, ids in deps.jobs.jobs}


async def test_an_ended_subscription_pauses_the_sync_and_keeps_the_data(world):  # type: ignore[no-untyped-def]
    from stpulse.application.accounts.admin_users import make_admin
    from stpulse.application.billing.admin import AdminAction, cancel
    from stpulse.application.ozon.shops import request_sync
    from stpulse.domain.kernel.errors import LimitExceeded

    deps, shops = world["deps"], world["shops"]
    one, two = world["actors"]
    rows_before = await h.fetch(world["pg"], "SELECT count(*) FROM accrual_lines WHERE shop_id = $1", shops["c"])
    admin = await make_admin(deps, "sync-tests-admin@example.ru", "admin-password-1")
    await cancel(deps, admin, two.user.id, AdminAction(reason="не оплачено"))
    queued = set(await sync_all(deps))
    assert {shops["a"], shops["b"]} & queued  # account one still syncs (one of its keys was revoked above)
    assert not ({shops["c"], shops["a2"]} & queued)
    with pytest.raises(LimitExceeded):
        await request_sync(deps, two, shops["c"])
    rows_after = await h.fetch(world["pg"], "SELECT count(*) FROM accrual_lines WHERE shop_id = $1", shops["c"])
    assert rows_before == rows_after and rows_after[0][0] > 0
