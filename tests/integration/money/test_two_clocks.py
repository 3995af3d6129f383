"""Issue 12, acceptance 3 («Two clocks»): on synced sandbox shops, ОПиУ of a closed month shows both the confirmed
profit (by accrual date) and the estimate by order date; the confirmed one is ОПиУ's «Чистая прибыль» cell for cell,
the deviation is estimate − confirmed (₽ and %), an open month has the estimate and no deviation, and the estimate
reads only the shops the member may see.

Two shops are synced once for the module (3 months of history); each test reads them through a fresh container."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from stpulse.application.accounts.actor import Actor
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.accounts.users import Role
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.allocation import div_half_up
from stpulse.domain.reports.table import Table
from stpulse.entrypoints.bootstrap import Container
from tests.sandbox_shop import connect, new_actor, sandbox_container
from tests.services import MigratedDatabases

NOW = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)  # the sandbox's today: August is closed, September is open
SHOPS = [("764001", "key-764001", 11, "medium"), ("764002", "key-764002", 12, "small")]
EMAIL = "two-clocks@example.ru"


def _container(url: str, tmp: Path) -> Container:
    return sandbox_container(url, tmp, SHOPS, NOW)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory,
           migrated_databases: MigratedDatabases) -> Iterator[tuple[str, Path]]:
    name, url = migrated_databases.create("stpulse_clocks")
    tmp = tmp_path_factory.mktemp("clocks")

    async def load() -> None:
        c = _container(url, tmp)
        actor = await new_actor(c.deps, EMAIL)
        ids = []
        for client_id, key, _, _ in SHOPS:
            ids.append(await connect(c.deps, actor, client_id, key, f"Магазин {client_id}"))
            await sync_shop(c.deps, ids[-1])
        entity = LegalEntity(id=uuid.uuid4(), account_id=actor.account_id, kind=EntityKind.IP, name="ИП Часы",
                             inn="500100732259")
        async with c.deps.uow() as uow:  # the first shop: УСН «доходы» 6 % and a cost price for every product
            await uow.legal_entities.add(entity)
            await uow.shops.set_legal_entity(ids[0], entity.id)
            offers = sorted({p.offer_id for p in await uow.report_data.catalog([ids[0]])})
            await uow.cost_prices.upsert(actor.account_id, [
                *(CostPrice(offer_id=o, effective_from=dt.date(2025, 1, 1), purchase=50_000) for o in offers),
                CostPrice(offer_id=offers[0], effective_from=dt.date(2026, 8, 15), purchase=60_000)])
            await uow.commit()
        await c.close()

    asyncio.run(load())
    yield url, tmp
    migrated_databases.drop(name)


@pytest.fixture
async def ctx(synced):  # type: ignore[no-untyped-def]
    url, tmp = synced
    c = _container(url, tmp)
    async with c.deps.uow() as uow:
        user = await uow.users.by_email(EMAIL)
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
        shops = sorted(await uow.shops.for_account(account.id), key=lambda s: s.name)
    yield c.deps, Actor(user=user, account=account, membership=membership), [s.id for s in shops]
    await c.close()


async def _pnl(deps, actor, first: str, last: str, shops=()) -> Table:  # type: ignore[no-untyped-def]
    view = await build_report(deps, actor, "pnl", ReportRequest(shop_ids=tuple(shops), month_from=first,
                                                                month_to=last))
    assert view.table is not None
    return view.table


def _pct(dev: int | None, base: int | None) -> int | None:
    return None if dev is None or not base else div_half_up(dev * 10_000, abs(base))


async def test_closed_month_shows_both_clocks_and_the_confirmed_one_is_pnl(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor, shops = ctx
    table = await _pnl(deps, actor, "2026-08", "2026-08", shops[:1])
    confirmed, estimate = table.row("clock:profit_confirmed"), table.row("clock:profit_estimated")
    assert confirmed.values == table.row("net_profit").values and confirmed.total == table.row("net_profit").total
    assert confirmed.label == "Прибыль по начислениям (подтверждено)"
    assert estimate.label == "Прибыль по заказам (оценка)"
    [est], [conf] = estimate.values, confirmed.values
    assert est is not None and conf is not None and conf != 0
    assert table.row("clock:profit_deviation").values == (est - conf,)
    assert table.row("clock:profit_deviation_pct").values == (_pct(est - conf, conf),)
    [rev_est], [rev_conf] = table.row("clock:revenue_estimated").values, table.row("net_revenue").values
    assert rev_est and rev_est > 0 and table.row("clock:revenue_confirmed").values == (rev_conf,)
    assert table.row("clock:revenue_deviation").values == (rev_est - rev_conf,)
    parts = ("orders", "est_returns", "est_commission", "est_logistics", "est_reverse", "est_cogs", "tax")
    assert all(table.row(f"clock:{p}").values[0] for p in parts)  # the medium shop orders, pays, has costs and tax
    # ОПиУ's rule (УСН «доходы» 6 % of sales) on the estimated base: 6 % of the estimated revenue, half-up
    assert table.row("clock:tax").values == (-div_half_up(rev_est * 6, 100),)
    assert table.row("tax").values[0] and table.row("cogs").values[0]  # ОПиУ's own tax and cost of goods too
    assert "по истории SKU" in table.row("clock:est_commission").note


async def test_open_month_has_the_estimate_but_no_deviation(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor, shops = ctx
    table = await _pnl(deps, actor, "2026-08", "2026-09", shops[:1])
    aug_est, sep_est = table.row("clock:profit_estimated").values
    assert aug_est is not None and sep_est is not None
    dev = table.row("clock:profit_deviation")
    assert dev.values[1] is None and dev.values[0] == aug_est - table.row("net_profit").values[0]
    assert dev.total == dev.values[0]  # the total is over closed months only


async def test_estimate_reads_only_the_shops_the_member_sees(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor, shops = ctx
    est = lambda t: t.row("clock:profit_estimated").values  # noqa: E731
    both = est(await _pnl(deps, actor, "2026-08", "2026-08"))
    mine, other = [est(await _pnl(deps, actor, "2026-08", "2026-08", [s])) for s in shops]
    assert mine != other and both == (mine[0] + other[0],)  # per shop, then summed: the check is not vacuous
    member = msgspec.structs.replace(actor, membership=msgspec.structs.replace(
        actor.membership, role=Role.MANAGER, shop_ids=frozenset(shops[:1])))
    assert est(await _pnl(deps, member, "2026-08", "2026-08")) == mine
    assert est(await _pnl(deps, member, "2026-08", "2026-08", shops)) == mine
