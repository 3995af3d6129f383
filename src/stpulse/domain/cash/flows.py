"""The ДДС's inputs and its month arithmetic: per money account and month, opening, receipts, payments, closing.

Everything here is keyed by small integers and month numbers (months since 1970-01, `kernel.period`): the report
reader turns the database's ids into them. The Ozon balance of a shop is an account like any other: what Ozon
accrues comes in, what it pays out to the seller's bank account goes out (and comes into that bank account).
"""

from __future__ import annotations

import msgspec

from stpulse.domain.cash.book import AccountKind, Activity, Flow

PAYOUTS_ACCOUNT = -1  # key of the bank account made for Ozon's payouts when the user has none


class Account(msgspec.Struct, frozen=True, kw_only=True):
    key: int
    name: str
    kind: AccountKind
    opening: int  # kopecks before `opening_month` (and every month before it)
    opening_month: int
    shop_id: int = 0  # Ozon accounts: the report's shop key
    receives_payouts: bool = False


class Category(msgspec.Struct, frozen=True, kw_only=True):
    key: int
    name: str
    activity: Activity
    flow: Flow


class Move(msgspec.Struct, frozen=True, kw_only=True, array_like=True, gc=False):
    """The user's entries summed by account, category and month."""

    account: int
    category: int
    month: int
    amount: int  # > 0; the category's flow tells the direction


class OzonMonth(msgspec.Struct, frozen=True, kw_only=True, array_like=True, gc=False):
    """A shop's Ozon balance in a month: accruals credited (signed, net) and payouts to the seller's bank."""

    shop_id: int
    month: int
    accrued: int
    paid_out: int


class CashInputs(msgspec.Struct, frozen=True, kw_only=True):
    accounts: tuple[Account, ...]  # the user's own accounts this member may see (bank, cash)
    categories: tuple[Category, ...]
    moves: tuple[Move, ...]  # every month up to the period's end (balances need what came before)
    ozon: tuple[OzonMonth, ...]  # every month up to the period's end, per chosen shop
    shop_names: dict[int, str] = msgspec.field(default_factory=dict)
    payouts_known: bool = True  # False: Ozon's payouts are not imported yet (the Ozon balance omits them)
    ozon_balances: dict[tuple[int, int], int] = msgspec.field(default_factory=dict)  # (shop, month) → Ozon's own
    # closing balance of the month (`/v1/finance/balance`); empty until it is imported
    ozon_openings: dict[int, int] = msgspec.field(default_factory=dict)  # shop → Ozon's balance before the shop's
    # first accrual in the ledger (a seller with history before the sync); 0 where not known


class AccountMonths(msgspec.Struct, frozen=True, kw_only=True):
    """One account over the period's months: opening[i] + receipts[i] − payments[i] = closing[i]."""

    account: Account
    opening: tuple[int, ...]
    receipts: tuple[int, ...]
    payments: tuple[int, ...]  # positive
    closing: tuple[int, ...]


def ozon_accounts(inputs: CashInputs) -> tuple[Account, ...]:
    shops = sorted({o.shop_id for o in inputs.ozon} | set(inputs.shop_names))
    return tuple(Account(key=-1000 - s, name=f"Баланс Ozon — {inputs.shop_names.get(s, f'магазин {s}')}",
                         kind=AccountKind.OZON, opening=inputs.ozon_openings.get(s, 0), opening_month=0, shop_id=s)
                 for s in shops)


def payouts_account(inputs: CashInputs) -> Account:
    """Where Ozon's payouts arrive: the flagged bank account, else the first bank account, else a made one."""
    banks = [a for a in inputs.accounts if a.kind is AccountKind.BANK]
    flagged = [a for a in banks if a.receives_payouts]
    if flagged or banks:
        return (flagged or banks)[0]
    return Account(key=PAYOUTS_ACCOUNT, name="Расчётный счёт (выплаты Ozon)", kind=AccountKind.BANK, opening=0,
                   opening_month=0, receives_payouts=True)


def account_months(inputs: CashInputs, months: tuple[int, ...]) -> tuple[AccountMonths, ...]:
    """Every account's months; movements before the first month make its opening balance."""
    flows: dict[int, dict[int, list[int]]] = {}  # account → month → [receipts, payments]

    def add(account: int, month: int, receipt: int, payment: int) -> None:
        cell = flows.setdefault(account, {}).setdefault(month, [0, 0])
        cell[0] += receipt
        cell[1] += payment

    flow_of = {c.key: c.flow for c in inputs.categories}
    for m in inputs.moves:
        receipt = flow_of.get(m.category) is Flow.RECEIPT
        add(m.account, m.month, m.amount if receipt else 0, 0 if receipt else m.amount)
    bank = payouts_account(inputs)
    for o in inputs.ozon:
        add(-1000 - o.shop_id, o.month, o.accrued, o.paid_out)
        add(bank.key, o.month, o.paid_out, 0)
    accounts = [*inputs.accounts, *([bank] if bank.key == PAYOUTS_ACCOUNT else []), *ozon_accounts(inputs)]
    return tuple(_months(a, flows.get(a.key, {}), months) for a in accounts)


def _months(account: Account, by_month: dict[int, list[int]], months: tuple[int, ...]) -> AccountMonths:
    balance = account.opening + sum(r - p for m, (r, p) in by_month.items() if m < months[0])
    opening, receipts, payments, closing = [], [], [], []
    for month in months:
        r, p = by_month.get(month, (0, 0))
        opening.append(balance)
        receipts.append(r)
        payments.append(p)
        balance += r - p
        closing.append(balance)
    return AccountMonths(account=account, opening=tuple(opening), receipts=tuple(receipts), payments=tuple(payments),
                         closing=tuple(closing))


def ozon_balance_gaps(inputs: CashInputs, months: tuple[int, ...]) -> dict[tuple[int, int], int]:
    """(shop, month) → our Ozon balance at the month's end minus Ozon's own, where Ozon's is known."""
    out: dict[tuple[int, int], int] = {}
    for a in account_months(inputs, months):
        if a.account.kind is not AccountKind.OZON:
            continue
        for month, closing in zip(months, a.closing, strict=True):
            reported = inputs.ozon_balances.get((a.account.shop_id, month))
            if reported is not None:
                out[(a.account.shop_id, month)] = closing - reported
    return out
