"""Tariffs: price, limits and features, billing periods with discounts, special tariffs.

Prices are integer kopecks. A period price is `monthly × months` minus the period discount, rounded
once, half-up, to the kopeck, so 12 months at 20 % of 990,00 ₽ is exactly 9 504,00 ₽.
"""

from __future__ import annotations

import uuid

import msgspec

from stpulse.domain.kernel.errors import DomainError, ValidationError

BILLING_PERIODS: tuple[int, ...] = (1, 3, 6, 12)
DEFAULT_PERIOD_DISCOUNTS: dict[int, int] = {1: 0, 3: 5, 6: 10, 12: 20}  # percents

FEATURE_ADS_REPORT = "ads_report"
FEATURE_API_ACCESS = "api_access"
FEATURE_EXPORT = "export"
FEATURE_MULTI_USER = "multi_user"
FEATURE_PLAN = "plan"
KNOWN_FEATURES = frozenset({FEATURE_ADS_REPORT, FEATURE_API_ACCESS, FEATURE_PLAN, FEATURE_EXPORT, FEATURE_MULTI_USER})
# What a tariff card may sell: only features that exist (every feature the tariffs carry is built now).
FEATURE_TITLES = {FEATURE_EXPORT: "Выгрузка в Excel", FEATURE_MULTI_USER: "Команда", FEATURE_API_ACCESS: "Доступ по API",
                  FEATURE_PLAN: "План-факт", FEATURE_ADS_REPORT: "Отчёт по рекламе"}


def percent_of(amount: int, percent: int) -> int:
    """`amount × percent / 100` rounded half-up (amount ≥ 0)."""
    return (amount * percent * 2 + 100) // 200


class TariffLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_shops: int
    max_skus: int
    history_months: int
    features: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        bad = {
            name: "Значение не может быть отрицательным"
            for name in ("max_shops", "max_skus", "history_months")
            if getattr(self, name) < 0
        }
        if bad:
            raise ValidationError(bad)

    def allows(self, feature: str) -> bool:
        return feature in self.features


class Tariff(msgspec.Struct, frozen=True, kw_only=True):
    """An admin-editable tariff. A special tariff belongs to one user (`assigned_user_id`)."""

    code: str
    name: str
    monthly_price: int  # kopecks
    limits: TariffLimits
    period_discounts: dict[int, int] = msgspec.field(default_factory=lambda: dict(DEFAULT_PERIOD_DISCOUNTS))
    assigned_user_id: uuid.UUID | None = None
    archived: bool = False

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if not self.code.strip():
            errors["code"] = "Укажите код тарифа"
        if self.monthly_price < 0:
            errors["monthly_price"] = "Цена не может быть отрицательной"
        if set(self.period_discounts) - set(BILLING_PERIODS):
            errors["period_discounts"] = "Периоды оплаты: 1, 3, 6 или 12 месяцев"
        if any(not 0 <= p <= 100 for p in self.period_discounts.values()):
            errors["period_discounts"] = "Скидка — от 0 до 100 %"
        if errors:
            raise ValidationError(errors)

    @property
    def is_special(self) -> bool:
        return self.assigned_user_id is not None

    def available_to(self, user_id: uuid.UUID) -> bool:
        if self.archived:
            return False
        return self.assigned_user_id is None or self.assigned_user_id == user_id

    def discount_percent(self, months: int) -> int:
        check_period(months)
        return self.period_discounts.get(months, 0)

    def list_price(self, months: int) -> int:
        check_period(months)
        return self.monthly_price * months

    def price_for_period(self, months: int) -> int:
        """Price in kopecks for `months` (1/3/6/12) after the period discount."""
        base = self.list_price(months)
        return base - percent_of(base, self.discount_percent(months))


def check_period(months: int) -> None:
    if months not in BILLING_PERIODS:
        raise DomainError("Период оплаты может быть 1, 3, 6 или 12 месяцев")


def special_tariff(
    base: Tariff,
    *,
    user_id: uuid.UUID,
    monthly_price: int,
    limits: TariffLimits | None = None,
    name: str | None = None,
) -> Tariff:
    """A personal tariff an admin assigns: the base tariff's discounts with its own price and limits."""
    return Tariff(
        code=f"{base.code}-{user_id.hex[:12]}",
        name=name or f"{base.name} (индивидуальный)",
        monthly_price=monthly_price,
        limits=limits or base.limits,
        period_discounts=dict(base.period_discounts),
        assigned_user_id=user_id,
    )
