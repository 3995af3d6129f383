"""The tariff policy: the one place that says what an account may do under its subscription.

Every use case that writes, or that needs a feature or a limit, asks here inside its own unit of work:
- `require_writable`: trial, active or past due. An expired account, and one that never started a trial, is
  read-only: every figure stays and can be seen (and exported, if its last tariff had export), nothing changes.
- `require_feature`: the feature is in the tariff in force (an expired account keeps its last tariff's reading
  features; a never-subscribed one has none). API access, export, team.
- `history_start`: the first month a report may show and the sync may load (`history_months` back from now).
- `check_skus`: a per-SKU report (Юнитка) of more SKUs than `max_skus` is refused. The sync and ОПиУ are not
  limited: money is never dropped, so the totals stay whole whatever the tariff.
- `check_storage`: the account's documents stay within the storage quota (`AppConfig.documents_quota_bytes`).
Refusals carry a link to «Тариф» (`action_url`): the page and the JSON API both say how to get more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Protocol

import msgspec

from stpulse.application.accounts.ports import AccountRepository
from stpulse.application.billing.common import DEFAULT_TARIFFS
from stpulse.application.billing.records import SubscriptionRepository, TariffRepository
from stpulse.application.kernel.ports import Clock, Transaction
from stpulse.domain.billing import Subscription, SubscriptionStatus, Tariff
from stpulse.domain.billing.tariffs import FEATURE_TITLES, KNOWN_FEATURES, TariffLimits
from stpulse.domain.kernel.errors import LimitExceeded, PermissionDenied
from stpulse.domain.kernel.formatting import file_size
from stpulse.domain.kernel.moscow import as_moscow

UPGRADE_URL = "/app/billing"
UPGRADE_TITLE = "Тариф"
READ_ONLY = ("Подписка закончилась: кабинет только для просмотра, все данные сохранены. "
             "Чтобы вносить изменения, оплатите тариф.")
NO_SUBSCRIPTION = "Чтобы вносить изменения, начните пробный период или оплатите тариф."


# The operator's own commands on the server (`stpulse report`) read whatever is stored, whatever the tariff.
OPERATOR = Tariff(code="operator", name="Оператор", monthly_price=0,
                  limits=TariffLimits(max_shops=10**6, max_skus=10**9, history_months=1200, features=KNOWN_FEATURES))


class PolicyUnitOfWork(Transaction, Protocol):
    """Any context's unit of work that can read the owner's subscription and the tariffs."""

    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def tariffs(self) -> TariffRepository: ...


class PolicyDeps(Protocol):
    @property
    def uow(self) -> Callable[[], PolicyUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...


class _Upgrade:
    action_url, action_title, title = UPGRADE_URL, UPGRADE_TITLE, "Ограничение тарифа"


class TariffRequired(_Upgrade, LimitExceeded):
    """402: no paid or trial access (read-only), or a limit of the tariff is reached."""


class FeatureNotInTariff(_Upgrade, PermissionDenied):
    """403: the tariff in force does not include the feature."""


class Entitlement(msgspec.Struct, frozen=True, kw_only=True):
    status: SubscriptionStatus
    tariff: Tariff | None  # the tariff in force; for an expired account its last one
    until: dt.datetime | None = None  # when the subscription's timeline may next change the answer (None: never)

    @property
    def writable(self) -> bool:
        return self.status in (SubscriptionStatus.TRIAL, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)

    @property
    def read_only(self) -> bool:
        """Expired or never subscribed: the layout's banner says so (reports stay open, nothing new is added)."""
        return not self.writable


async def tariffs_by_code(uow: PolicyUnitOfWork) -> dict[str, Tariff]:
    stored = await uow.tariffs.all()
    return {t.code: t for t in (stored or DEFAULT_TARIFFS)}


async def entitlement(uow: PolicyUnitOfWork, account_id: uuid.UUID, now: dt.datetime) -> Entitlement:
    sub: Subscription | None = await uow.subscriptions.of_account(account_id)
    status = sub.status_at(now) if sub is not None else SubscriptionStatus.NONE
    if sub is None or status is SubscriptionStatus.NONE:
        return Entitlement(status=SubscriptionStatus.NONE, tariff=None,
                           until=sub.next_change(now) if sub is not None else None)
    return Entitlement(status=status, tariff=(await tariffs_by_code(uow)).get(sub.tariff_at(now)),
                       until=sub.next_change(now))


async def require_writable(uow: PolicyUnitOfWork, account_id: uuid.UUID, now: dt.datetime) -> Tariff:
    """The tariff in force, or `TariffRequired` when the account is read-only."""
    found = await entitlement(uow, account_id, now)
    if not found.writable or found.tariff is None:
        raise TariffRequired(NO_SUBSCRIPTION if found.status is SubscriptionStatus.NONE else READ_ONLY)
    return found.tariff


async def require_feature(uow: PolicyUnitOfWork, account_id: uuid.UUID, now: dt.datetime, feature: str, *,
                          write: bool = False) -> Tariff:
    """The tariff when it includes `feature` (and, with `write`, the account is writable)."""
    tariff = (await require_writable(uow, account_id, now) if write
              else (await entitlement(uow, account_id, now)).tariff)
    return tariff_with(tariff, feature)


def tariff_with(tariff: Tariff | None, feature: str) -> Tariff:
    """The tariff already read when it includes `feature`; else the refusal `require_feature` gives."""
    if tariff is None:
        raise TariffRequired(f"«{FEATURE_TITLES.get(feature, feature)}» доступно по подписке. {NO_SUBSCRIPTION}")
    if not tariff.limits.allows(feature):
        raise FeatureNotInTariff(f"«{FEATURE_TITLES.get(feature, feature)}» не входит в тариф «{tariff.name}». "
                                 "Выберите тариф, в который входит эта возможность.")
    return tariff


def current_month(now: dt.datetime) -> int:
    moment = as_moscow(now)
    return (moment.year - 1970) * 12 + moment.month - 1


def history_start(tariff: Tariff | None, now: dt.datetime) -> int:
    """The earliest month (index) the tariff's history depth reaches, the current month counted."""
    months = tariff.limits.history_months if tariff is not None else 0
    return current_month(now) - max(months, 1) + 1


def history_refusal(tariff: Tariff | None) -> str:
    months = tariff.limits.history_months if tariff is not None else 0
    name = f"Тариф «{tariff.name}»" if tariff is not None else "Без подписки"
    return f"{name}: история за {months} мес. Чтобы смотреть периоды раньше, выберите тариф с большей историей."


def check_skus(tariff: Tariff | None, skus: int) -> None:
    limit = tariff.limits.max_skus if tariff is not None else 0
    if skus > limit:
        name = f"Тариф «{tariff.name}»" if tariff is not None else "Без подписки"
        raise TariffRequired(f"{name}: отчёт по товарам — до {limit} SKU, в выбранных магазинах {skus}. "
                             "Выберите меньше магазинов или тариф побольше.")


def check_storage(used: int, adding: int, quota: int) -> None:
    if used + adding > quota:
        raise TariffRequired(f"Место для документов — {file_size(quota)}, занято {file_size(used)}. "
                             "Удалите ненужные файлы или обратитесь в поддержку.")


async def closed_feature(deps: PolicyDeps, account_id: uuid.UUID, feature: str) -> str | None:
    """For a page, before anyone tries: why the feature is closed to this account now (None when it is open)."""
    async with deps.uow() as uow:
        try:
            await require_feature(uow, account_id, deps.clock.now(), feature, write=True)
        except (TariffRequired, FeatureNotInTariff) as refused:
            return refused.message
    return None
