"""ДДС (cash flow), cash basis: money accounts, the user's categories and entries, Ozon's balance per shop.

Amounts are positive kopecks with a direction (a receipt or a payment); reports show payments negative. A money
account's balance at the start of a month is its opening balance plus the receipts and minus the payments dated
before that month, so per account and month: closing = opening + receipts − payments.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.money import MAX_AMOUNT_KOPECKS


class Flow(StrEnum):
    RECEIPT = "receipt"
    PAYMENT = "payment"


class Activity(StrEnum):
    OPERATING = "operating"
    INVESTING = "investing"
    FINANCING = "financing"


class AccountKind(StrEnum):
    BANK = "bank"
    CASH = "cash"
    OZON = "ozon"  # a shop's balance at Ozon: made from the shop's accruals and payouts, never entered by hand


FLOW_TITLES = {Flow.RECEIPT: "Поступление", Flow.PAYMENT: "Платёж"}
ACTIVITY_TITLES = {Activity.OPERATING: "Операционная деятельность", Activity.INVESTING: "Инвестиционная деятельность",
                   Activity.FINANCING: "Финансовая деятельность"}
KIND_TITLES = {AccountKind.BANK: "Расчётный счёт", AccountKind.CASH: "Касса", AccountKind.OZON: "Баланс Ozon"}

# The categories a new account starts with (the user renames, adds and removes them).
DEFAULT_CATEGORIES: tuple[tuple[str, Activity, Flow], ...] = (
    ("Прочие поступления", Activity.OPERATING, Flow.RECEIPT),
    ("Оплата поставщикам", Activity.OPERATING, Flow.PAYMENT),
    ("Пополнение рекламы", Activity.OPERATING, Flow.PAYMENT),
    ("Налоги и взносы", Activity.OPERATING, Flow.PAYMENT),
    ("Зарплата", Activity.OPERATING, Flow.PAYMENT),
    ("Аренда", Activity.OPERATING, Flow.PAYMENT),
    ("Прочие платежи", Activity.OPERATING, Flow.PAYMENT),
    ("Покупка оборудования", Activity.INVESTING, Flow.PAYMENT),
    ("Продажа оборудования", Activity.INVESTING, Flow.RECEIPT),
    ("Получение кредитов и займов", Activity.FINANCING, Flow.RECEIPT),
    ("Погашение кредитов и займов", Activity.FINANCING, Flow.PAYMENT),
    ("Вложения собственника", Activity.FINANCING, Flow.RECEIPT),
    ("Выплаты собственнику", Activity.FINANCING, Flow.PAYMENT),
)


class MoneyAccount(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    kind: AccountKind
    opening_date: dt.date  # the opening balance is the balance at the start of this day
    opening_balance: int  # kopecks, may be negative (an overdraft)
    receives_payouts: bool = False  # Ozon pays out to this bank account


class CashCategory(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    activity: Activity
    flow: Flow


class CashEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One receipt or payment of the user's own money account (the direction is the category's)."""

    id: uuid.UUID
    account_id: uuid.UUID
    money_account_id: uuid.UUID
    category_id: uuid.UUID
    date: dt.date
    amount: int  # kopecks, > 0
    comment: str = ""


def check_entry(entry: CashEntry, money_account: MoneyAccount) -> None:
    errors: dict[str, str] = {}
    if not 0 < entry.amount <= MAX_AMOUNT_KOPECKS:
        errors["amount"] = "Сумма — положительное число не больше 10 млрд ₽"
    if entry.date < money_account.opening_date:
        errors["date"] = (f"Дата раньше начального остатка счёта «{money_account.name}» "
                          f"({money_account.opening_date:%d.%m.%Y})")
    if errors:
        raise ValidationError(errors)
