"""Promo codes: percent or fixed discount, or extra days; validity window, use limits, tariff list."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import msgspec

from stpulse.domain.billing.tariffs import Tariff, percent_of
from stpulse.domain.kernel.errors import DomainError, ValidationError


class PromoKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"  # kopecks off the period price
    EXTRA_DAYS = "extra_days"


class PromoRejected(DomainError):
    """The code cannot be used; `reason` is a stable machine code, `message` is for the user."""

    status = 409

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class PromoCode(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    kind: PromoKind
    value: int  # percent 1..100, kopecks, or days
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None  # exclusive
    max_uses_total: int | None = None
    max_uses_per_user: int = 1
    tariff_codes: frozenset[str] = frozenset()  # empty: every tariff

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if not self.code.strip():
            errors["code"] = "Укажите промокод"
        if self.value <= 0 or (self.kind is PromoKind.PERCENT and self.value > 100):
            errors["value"] = "Неверный размер скидки"
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors["valid_until"] = "Окончание действия раньше начала"
        if self.max_uses_per_user < 1 or (self.max_uses_total is not None and self.max_uses_total < 1):
            errors["max_uses"] = "Лимит использований должен быть положительным"
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def normalise(code: str) -> str:
        return code.strip().upper()


class PromoResult(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    list_price: int  # period price before the promo (period discount already applied)
    discount: int
    price: int  # to pay; 0 means the period is granted without a payment
    extra_days: int = 0


def _check_usable(
    promo: PromoCode, tariff: Tariff, user_uses: int, total_uses: int, now: dt.datetime
) -> None:
    if promo.valid_from is not None and now < promo.valid_from:
        raise PromoRejected("not_yet_active", f"Промокод {promo.code} ещё не действует")
    if promo.valid_until is not None and now >= promo.valid_until:
        raise PromoRejected("expired", f"Срок действия промокода {promo.code} истёк")
    if promo.tariff_codes and tariff.code not in promo.tariff_codes:
        raise PromoRejected("wrong_tariff", f"Промокод {promo.code} не действует для тарифа «{tariff.name}»")
    if user_uses >= promo.max_uses_per_user:
        raise PromoRejected("already_used", f"Вы уже использовали промокод {promo.code}")
    if promo.max_uses_total is not None and total_uses >= promo.max_uses_total:
        raise PromoRejected(
            "exhausted", f"Промокод {promo.code} больше не действует: лимит использований исчерпан"
        )


def apply_promo(
    code: PromoCode, tariff: Tariff, months: int, user_uses: int, total_uses: int, now: dt.datetime
) -> PromoResult:
    """Price of `tariff` for `months` with the promo, or `PromoRejected` with a Russian message."""
    _check_usable(code, tariff, user_uses, total_uses, now)
    price = tariff.price_for_period(months)
    if code.kind is PromoKind.PERCENT:
        discount = percent_of(price, code.value)
    elif code.kind is PromoKind.FIXED:
        discount = min(code.value, price)
    else:
        discount = 0
    extra = code.value if code.kind is PromoKind.EXTRA_DAYS else 0
    return PromoResult(
        code=code.code, list_price=price, discount=discount, price=price - discount, extra_days=extra
    )
