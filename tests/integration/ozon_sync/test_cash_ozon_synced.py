"""Issue 12, acceptance 2 (the Ozon account) on real synced data: a small sandbox seller synced on PostgreSQL (the
accruals, the cash-flow statement and `/v1/finance/balance` day by day) and then the ДДС report.

Per money account and month the balance identity holds; the Ozon account closes every month at Ozon's own balance
(asked from the balance API here, independently of the sync); «Выплаты Ozon» are the sandbox's payouts of the month;
a payout line lost in Ozon's answers (the reconciliation's fault mode) shows as a gap of exactly its amount from its
month on. A shop whose balances are not imported keeps the notice «Выплаты Ozon ещё не загружены». УСН «доходы» on
the payouts base takes its base from the same imported payouts."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon import settlement as st
from stpulse.adapters.sandbox.ozon.config import DEFAULT_TODAY, FaultConfig
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.legal_entities import LegalEntityForm, add_legal_entity, link_shop
from stpulse.application.ozon.ports import OzonCredentials
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports.table import Table
from stpulse.entrypoints.ozon_wiring import ORIGIN_CACHE
from tests.integration.money.loader import add_shop, load_lines
from tests.integration.ozon_sync import helpers as h

SEED, HISTORY_DAYS = 31, 120  # 2026-06-02 … 2026-09-30: four months, Ozon's balance starts at 0 with the shop
CLEAN, FAULTY, LATE, KEY = "770011", "770012", "770014", "cash-key"
MONTHS = ("2026-06", "2026-07", "2026-08", "2026-09")
NOTICE = "Выплаты Ozon ещё не загружены"


def _app(client: str, faults: FaultConfig | None = None, history_days: int = HISTORY_DAYS):  # type: ignore[no-untyped-def]
    config = SandboxConfig(shops=[ShopConfig(client_id=client, api_key=KEY, seed=SEED)], history_days=history_days,
                           origin_cache_size=ORIGIN_CACHE)
    if faults is not None:
        config.faults = faults
    return create_sandbox_app(config)


def _month_first(month: str) -> dt.date:
    return dt.date.fromisoformat(f"{month}-01")


def _month_last(month: str) -> dt.date:
    first = _month_first(month)
    return min((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), DEFAULT_TODAY)


def _payouts_by_month(world: SellerWorld, dropped: st.Payment | None = None) -> list[int]:
    paid = st.payments(world, world.start, world.today)
    if dropped is not None:
        paid.remove(dropped)
    return [sum(p.amount for p in paid if f"{p.day:%Y-%m}" == m) for m in MONTHS]


async def _sync(sync_db, tmp, app, email: str, client: str,  # type: ignore[no-untyped-def]
                date_from: dt.date | None = None):
    container = h.container_for(sync_db, tmp, h.ozon_factory(app))
    actor = await h.new_actor(container.deps, email)
    shop_id = await h.connect(container.deps, actor, client, KEY)
    world = h.world_of(app, client)
    run = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=date_from or world.start,
                          date_to=world.today)
    assert run is not None and run.status == SyncStatus.DONE, run
    return container, actor, shop_id, world


@pytest.fixture(scope="module")
async def synced(sync_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    clean_app = _app(CLEAN)
    world = h.world_of(clean_app, CLEAN)
    july = st.payments(world, dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    dropped = july[len(july) // 2]  # a July payout line lost on the way
    faulty_app = _app(FAULTY, FaultConfig(drop_payout_on=dropped.day))
    clean = await _sync(sync_db, tmp_path_factory.mktemp("cash-clean"), clean_app, "cash-clean@example.com", CLEAN)
    faulty = await _sync(sync_db, tmp_path_factory.mktemp("cash-fault"), faulty_app, "cash-fault@example.com",
                         FAULTY)
    try:
        yield {"clean": clean, "faulty": faulty, "clean_app": clean_app, "dropped": dropped, "pg": sync_db,
               "tmp": tmp_path_factory}
    finally:
        await clean[0].close()
        await faulty[0].close()


async def _cash(deps, actor) -> Table:  # type: ignore[no-untyped-def]
    view = await build_report(deps, actor, "cash", ReportRequest(month_from=MONTHS[0], month_to=MONTHS[-1]))
    assert view.table is not None
    return view.table


def _values(table: Table, code: str) -> list[int]:
    return [int(v or 0) for v in table.row(code).values]


def _ozon_account(table: Table) -> str:
    [code] = [r.code.removesuffix(":closing") for r in table.rows
              if r.code.endswith(":closing") and r.label.startswith("Баланс Ozon")]
    return code


async def _ozon_balances(app, client: str) -> list[int]:  # type: ignore[no-untyped-def]
    """Ozon's balance at each month's end, asked from `/v1/finance/balance` through the real client."""
    factory = h.ozon_factory(app)
    api = factory(OzonCredentials(client_id=client, api_key=KEY))
    try:
        return [(await api.balance(_month_first(m), _month_last(m)))[-1].closing_balance for m in MONTHS]
    finally:
        await factory.aclose()


async def test_every_account_balances_and_the_ozon_account_closes_at_ozons_balance(synced):  # type: ignore[no-untyped-def]
    container, actor, shop_id, world = synced["clean"]
    table = await _cash(container.deps, actor)
    accounts = {r.code.removesuffix(":closing") for r in table.rows if r.code.endswith(":closing")
                and r.code.startswith("account:")}
    assert len(accounts) >= 2  # the Ozon balance and the bank account the payouts arrive at
    for a in accounts:
        opening, inflow = _values(table, f"{a}:opening"), _values(table, f"{a}:in")
        outflow, closing = _values(table, f"{a}:out"), _values(table, f"{a}:closing")
        for i in range(len(MONTHS)):
            assert closing[i] == opening[i] + inflow[i] + outflow[i], (a, MONTHS[i])
            if i:
                assert opening[i] == closing[i - 1], (a, MONTHS[i])
    ozon = _ozon_account(table)
    expected = await _ozon_balances(synced["clean_app"], CLEAN)
    assert _values(table, f"{ozon}:closing") == expected
    assert _values(table, f"{ozon}:opening")[0] == 0  # the shop's first month: Ozon's balance starts at 0
    paid = _payouts_by_month(world)
    assert all(paid) and _values(table, "ozon_payouts") == paid
    assert _values(table, f"{ozon}:out") == [-p for p in paid]
    async with container.deps.uow() as uow:  # the imported cash-flow statement's periods say the same per month
        periods = await uow.settlement.cash_flow_totals([shop_id], world.start.replace(day=1), world.today)
    assert [sum(p.paid for p in periods if f"{p.first_day:%Y-%m}" == m) for m in MONTHS] == paid
    [gap] = [r for r in table.rows if r.code.startswith("ozon_gap:")]
    assert list(gap.values) == [0] * len(MONTHS)
    assert not any(NOTICE in w for w in table.warnings)


async def test_a_lost_payout_line_is_a_gap_of_its_amount_from_its_month_on(synced):  # type: ignore[no-untyped-def]
    container, actor, _, world = synced["faulty"]
    dropped = synced["dropped"]
    table = await _cash(container.deps, actor)
    assert _values(table, "ozon_payouts") == _payouts_by_month(world, dropped)
    assert _values(table, "ozon_payouts")[1] == _payouts_by_month(world)[1] - dropped.amount
    [gap] = [r for r in table.rows if r.code.startswith("ozon_gap:")]
    assert list(gap.values) == [0, dropped.amount, dropped.amount, dropped.amount]  # July on: the balance is a stock
    assert gap.marks[0] is None and gap.marks[1] is not None  # red where it is


async def test_a_shop_without_imported_balances_keeps_the_notice(synced):  # type: ignore[no-untyped-def]
    container, _, _, _ = synced["clean"]
    deps = container.deps
    actor = await h.new_actor(deps, "cash-unsynced@example.com")
    world = SellerWorld(SEED, "small", DEFAULT_TODAY, history_days=HISTORY_DAYS)
    shop_id = await add_shop(synced["pg"], actor.account_id, "Без выписки", "770013")
    await load_lines(synced["pg"], shop_id, list(world.accrual_lines(world.start, world.today)))
    table = await _cash(deps, actor)
    assert any(NOTICE in w for w in table.warnings)
    assert _values(table, "ozon_payouts") == [0] * len(MONTHS)
    assert not [r for r in table.rows if r.code.startswith("ozon_gap:")]  # no Ozon balance to compare with


async def test_usn_income_on_the_payouts_base_takes_the_imported_payouts(synced):  # type: ignore[no-untyped-def]
    container, actor, shop_id, world = synced["clean"]
    deps = container.deps
    entity = await add_legal_entity(deps, actor, LegalEntityForm(
        name="ИП Песочница", inn="500100732259", tax_regime="usn_income", tax_rate_percent="6",
        usn_base="payouts"))
    await link_shop(deps, actor, shop_id, entity.id)
    view = await build_report(deps, actor, "pnl", ReportRequest(month_from=MONTHS[0], month_to=MONTHS[-1]))
    assert view.table is not None
    six = [int((Decimal(p) * 6 / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for p in _payouts_by_month(world)]
    assert _values(view.table, "tax") == [-t for t in six]
    assert "от выплат Ozon" in (view.table.row("tax").note or "")


async def test_a_seller_with_history_before_the_sync_opens_at_ozons_balance(sync_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Ozon's balance was not 0 when the first sync began: the Ozon account opens at the first imported day's
    opening balance and still closes every month at Ozon's."""
    app = _app(LATE, history_days=HISTORY_DAYS + 90)
    start = DEFAULT_TODAY - dt.timedelta(days=HISTORY_DAYS - 1)
    container, actor, _, world = await _sync(sync_db, tmp_path_factory.mktemp("cash-late"), app,
                                             "cash-late@example.com", LATE, start)
    try:
        assert world.start < start
        table = await _cash(container.deps, actor)
        ozon = _ozon_account(table)
        opening = _values(table, f"{ozon}:opening")[0]
        factory = h.ozon_factory(app)
        try:
            first_day = (await factory(OzonCredentials(client_id=LATE, api_key=KEY)).balance(start, start))[0]
        finally:
            await factory.aclose()
        assert opening == first_day.opening_balance != 0
        assert _values(table, f"{ozon}:closing") == await _ozon_balances(app, LATE)
        [gap] = [r for r in table.rows if r.code.startswith("ozon_gap:")]
        assert list(gap.values) == [0] * len(MONTHS)
    finally:
        await container.close()
