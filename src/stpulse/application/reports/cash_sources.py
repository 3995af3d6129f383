"""The ДДС's inputs for one report: the user's money accounts, categories and entries (only for a member who sees
every shop: bank and cash belong to the whole account) and the chosen shops' Ozon money, every month up to the
period's end (balances need what came before), keyed as the money core keys shops."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from stpulse.application.reports.sources import ShopKeys
from stpulse.domain.cash.book import AccountKind
from stpulse.domain.cash.flows import Account, CashInputs, Category, Move, OzonMonth
from stpulse.domain.kernel.period import Period, parse_month


def _month(day: Any) -> int:
    return parse_month(day.strftime("%Y-%m"))


async def read_cash_inputs(uow: Any, account_id: uuid.UUID, keys: ShopKeys, shop_keys: tuple[int, ...],
                           period: Period, own_money: bool) -> CashInputs:
    shops = [keys.shop(k).id for k in shop_keys]
    months = await uow.ozon_money.ozon_months(shops, period.last_day)
    reported = await uow.ozon_money.ozon_balances(shops, period.first_day, period.last_day)
    ozon = tuple(OzonMonth(shop_id=keys.key(m.shop_id), month=_month(m.month), accrued=m.accrued,
                           paid_out=m.paid_out) for m in months)
    names = {k: keys.shop(k).name for k in shop_keys}
    balances = {(keys.key(s), _month(m)): v for (s, m), v in reported.items()}
    known = await uow.ozon_money.payouts_known(shops)
    openings = {keys.key(s): v for s, v in (await uow.ozon_money.ozon_openings(shops)).items()}
    if not own_money:
        return CashInputs(accounts=(), categories=(), moves=(), ozon=ozon, shop_names=names, payouts_known=known,
                          ozon_balances=balances, ozon_openings=openings)
    own = [a for a in await uow.cash.accounts(account_id) if a.kind is not AccountKind.OZON]
    account_key = {a.id: i for i, a in enumerate(own, start=1)}
    categories = await uow.cash.categories(account_id)
    category_key = {c.id: i for i, c in enumerate(categories, start=1)}
    moves = tuple(Move(account=account_key[m.money_account_id], category=category_key[m.category_id],
                       month=_month(m.month), amount=m.amount)
                  for m in await uow.cash.month_moves(account_id, period.last_day)
                  if m.money_account_id in account_key and m.category_id in category_key)
    return CashInputs(
        accounts=tuple(Account(key=account_key[a.id], name=a.name, kind=a.kind, opening=a.opening_balance,
                               opening_month=_month(a.opening_date), receives_payouts=a.receives_payouts)
                       for a in own),
        categories=tuple(Category(key=category_key[c.id], name=c.name, activity=c.activity, flow=c.flow)
                         for c in categories),
        moves=moves, ozon=ozon, shop_names=names, payouts_known=known, ozon_balances=balances,
        ozon_openings=openings)


class UowCashSource:
    """CashReader over one unit of work, for one member (`own_money`: the member sees every shop)."""

    def __init__(self, uow: Any, account_id: uuid.UUID, keys: ShopKeys, own_money: bool) -> None:
        self.uow, self.account_id, self.keys, self.own_money = uow, account_id, keys, own_money

    async def cash_inputs(self, shop_ids: Sequence[int], period: Period) -> CashInputs:
        return await read_cash_inputs(self.uow, self.account_id, self.keys, tuple(shop_ids), period, self.own_money)

    async def digest(self, period: Period) -> str:
        """What the report cache key adds for the ДДС: the cash tables, Ozon's money through the period's end, and
        whether the member sees the account's own money."""
        shops = [s.id for s in self.keys.shops]
        own = await self.uow.cash.digest(self.account_id) if self.own_money else "-"
        return f"cash:{own}|{await self.uow.ozon_money.digest(shops, period.last_day)}"
