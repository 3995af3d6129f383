"""The ДДС's Ozon balance equals Ozon's own (`/v1/finance/balance`) at every month's end — the port alone.

Our side: what Ozon accrued per month (the ledger's rollups of a sandbox seller's whole history, on PostgreSQL)
minus its payouts. The payouts and Ozon's balance reach the ДДС through its port (`OzonMoneyReader`); here the port
is fed straight from the sandbox's `/v1/finance/cash-flow-statement/list` (the payouts of each half-month period) and
`/v1/finance/balance`, a second source beside the imported balance days that `LedgerOzonMoney` reads (the whole way,
sync → ДДС: tests/integration/ozon_sync/test_cash_ozon_synced.py). A payout left out shows as a gap of exactly its
amount from its month on."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal

import httpx

from stpulse.adapters.db.cash.repositories import LedgerOzonMoney
from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon.config import DEFAULT_TODAY
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.ozon.ports import OzonCredentials
from stpulse.application.reports.cash_sources import read_cash_inputs
from stpulse.application.reports.sources import ShopKeys
from stpulse.domain.cash.flows import ozon_balance_gaps
from stpulse.domain.kernel.period import Period, parse_month
from tests.integration.money.loader import add_shop, load_lines
from tests.integration.web_helpers import sign_up
from tests.sandbox_shop import ozon_factory

HISTORY_DAYS, SEED = 150, 31
MSK = dt.timedelta(hours=3)


class StatementFed(LedgerOzonMoney):
    """The port fed from Ozon's answers directly: payouts per month, Ozon's month-end balances."""

    def __init__(self, session, payouts, balances) -> None:  # type: ignore[no-untyped-def]
        super().__init__(session)
        self.paid, self.balances = payouts, balances

    async def payouts(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dict[tuple[uuid.UUID, dt.date], int]:
        return {k: v for k, v in self.paid.items() if k[0] in shop_ids and k[1] <= last}

    async def payouts_known(self, shop_ids: Sequence[uuid.UUID]) -> bool:
        return True

    async def ozon_balances(self, shop_ids, first, last):  # type: ignore[no-untyped-def]
        return {k: v for k, v in self.balances.items() if k[0] in shop_ids and first <= k[1] <= last}


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


async def _from_ozon(shop_id: uuid.UUID, start: dt.date) -> tuple[dict, dict]:
    app = create_sandbox_app(SandboxConfig(shops=[ShopConfig(client_id="7", api_key="k", seed=SEED)],
                                           history_days=HISTORY_DAYS))
    factory = ozon_factory(app)
    api = factory(OzonCredentials(client_id="7", api_key="k"))
    try:
        payouts: dict[tuple[uuid.UUID, dt.date], int] = {}
        for month, paid in await _statement_payouts(app, start):
            payouts[(shop_id, month)] = payouts.get((shop_id, month), 0) + paid
        balances = {}
        for month in _months(start, DEFAULT_TODAY):
            end = min((month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), DEFAULT_TODAY)
            balances[(shop_id, month)] = (await api.balance(month, end))[-1].closing_balance
    finally:
        await factory.aclose()
    return payouts, balances


async def _statement_payouts(app, start: dt.date) -> list[tuple[dt.date, int]]:  # type: ignore[no-untyped-def]
    """(month, kopecks paid out) of each half-month period of the cash-flow statement, read over HTTP as JSON.

    `details` is one object (the spec's shape; the sandbox and the client agree), the details of the page's period."""
    out = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test",
                                 headers={"Client-Id": "7", "Api-Key": "k"}) as http:
        page, pages = 1, 1
        while page <= pages:
            body = {"date": {"from": f"{start}T00:00:00Z", "to": f"{DEFAULT_TODAY}T20:59:59Z"}, "page": page,
                    "page_size": 1, "with_details": True}
            result = (await http.post("/v1/finance/cash-flow-statement/list", json=body)).json()["result"]
            assert isinstance(result["details"], dict), result["details"]  # the spec: one object
            for d in [result["details"]]:
                begin = dt.datetime.fromisoformat(d["period"]["begin"].replace("Z", "+00:00")) + MSK
                paid = -sum(int(Decimal(str(p["payment"])) * 100) for p in d["payments"])  # Ozon writes them negative
                out.append((begin.date().replace(day=1), paid))  # periods (1–15, 16–end) never cross a month
            pages, page = result["page_count"], page + 1
    return out


async def test_the_ozon_account_closes_every_month_at_ozons_own_balance(app, client, mailbox, pg_url):
    deps = app.state.container.deps
    await sign_up(client, mailbox, "ozon-balance@example.ru", "ДДС")
    async with deps.uow() as uow:
        user = await uow.users.by_email("ozon-balance@example.ru")
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
    world = SellerWorld(SEED, "small", DEFAULT_TODAY, history_days=HISTORY_DAYS)
    shop_id = await add_shop(pg_url, account_id, "Песочница", "7")
    await load_lines(pg_url, shop_id, list(world.accrual_lines(world.start, world.today)))
    payouts, balances = await _from_ozon(shop_id, world.start)
    assert sum(payouts.values()) > 0 and len(balances) >= 5
    period = Period(first_month=parse_month(world.start.strftime("%Y-%m")), last_month=parse_month("2026-09"))
    async with deps.uow() as uow:
        shop = await uow.shops.get(account_id, shop_id)
        keys = ShopKeys.of([shop])
        uow.ozon_money = StatementFed(uow.session, payouts, balances)
        cash = await read_cash_inputs(uow, account_id, keys, keys.keys, period, own_money=True)
        gaps = ozon_balance_gaps(cash, period.months)
        assert len(gaps) == len(period.months) and set(gaps.values()) == {0}, gaps
        assert sum(o.paid_out for o in cash.ozon) == sum(payouts.values())

        dropped_month = sorted(m for (_, m), v in payouts.items() if v)[2]  # a payout line lost on the way
        lost = dict(payouts)
        amount = lost.pop((shop_id, dropped_month))
        uow.ozon_money = StatementFed(uow.session, lost, balances)
        gaps = ozon_balance_gaps(await read_cash_inputs(uow, account_id, keys, keys.keys, period, own_money=True),
                                 period.months)
    first_gap = parse_month(dropped_month.strftime("%Y-%m"))
    assert {m: v for (_, m), v in gaps.items() if v} == {m: amount for m in period.months if m >= first_gap}
