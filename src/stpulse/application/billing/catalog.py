"""Admin management of the tariff catalogue and promo codes (both audited)."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.application.accounts.admin_users import require_admin
from stpulse.application.billing.common import catalog
from stpulse.application.billing.deps import BillingDeps
from stpulse.application.billing.records import StoredPromo
from stpulse.domain.accounts.users import User
from stpulse.domain.billing import PromoCode, PromoKind, Tariff, TariffLimits
from stpulse.domain.kernel.errors import NotFound, ValidationError


class TariffForm(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    monthly_price_rub: int  # whole roubles in the form; stored as kopecks
    max_shops: int
    max_skus: int
    history_months: int
    features: str = ""  # comma-separated
    discount_3: int = 5
    discount_6: int = 10
    discount_12: int = 20
    archived: bool = False


class PromoForm(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    kind: str
    value: int  # percent, roubles (fixed) or days
    valid_from: str = ""  # YYYY-MM-DD
    valid_until: str = ""
    max_uses_total: str = ""  # empty: unlimited
    max_uses_per_user: str = "1"
    tariff_codes: str = ""


async def list_tariffs(deps: BillingDeps, admin: User) -> list[Tariff]:
    require_admin(admin)
    async with deps.uow() as raw:
        tariffs = await catalog(raw)
        await raw.commit()
    return sorted(tariffs.values(), key=lambda t: t.monthly_price)


async def save_tariff(deps: BillingDeps, admin: User, form: TariffForm) -> Tariff:
    require_admin(admin)
    limits = TariffLimits(max_shops=form.max_shops, max_skus=form.max_skus, history_months=form.history_months,
                          features=frozenset(f.strip() for f in form.features.split(",") if f.strip()))
    tariff = Tariff(code=form.code.strip().lower(), name=form.name.strip(), monthly_price=form.monthly_price_rub * 100,
                    limits=limits, archived=form.archived,
                    period_discounts={1: 0, 3: form.discount_3, 6: form.discount_6, 12: form.discount_12})
    async with deps.uow() as raw:
        uow = raw
        await uow.tariffs.save(tariff)
        await uow.audit.record(admin.id, "tariff.save", f"tariff:{tariff.code}",
                               f"{tariff.name}, {form.monthly_price_rub} ₽/мес, магазинов {form.max_shops}",
                               deps.clock.now())
        await raw.commit()
    return tariff


def _day(value: str, name: str) -> dt.datetime | None:
    if not value.strip():
        return None
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value.strip()), dt.time(), tzinfo=dt.UTC)
    except ValueError:
        raise ValidationError({name: "Дата в формате ГГГГ-ММ-ДД"}) from None


def _count(value: str, name: str = "max_uses_total") -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise ValidationError({name: "Укажите целое число"})
    return int(value)


def promo_from_form(form: PromoForm) -> PromoCode:
    try:
        kind = PromoKind(form.kind)
    except ValueError:
        raise ValidationError({"kind": "Выберите вид промокода"}) from None
    value = form.value * 100 if kind is PromoKind.FIXED else form.value
    return PromoCode(code=PromoCode.normalise(form.code), kind=kind, value=value,
                     valid_from=_day(form.valid_from, "valid_from"), valid_until=_day(form.valid_until, "valid_until"),
                     max_uses_total=_count(form.max_uses_total), max_uses_per_user=_count(form.max_uses_per_user, "max_uses_per_user") or 1,
                     tariff_codes=frozenset(c.strip() for c in form.tariff_codes.split(",") if c.strip()))


async def list_promos(deps: BillingDeps, admin: User) -> list[StoredPromo]:
    require_admin(admin)
    async with deps.uow() as raw:
        return await raw.promos.all()


async def save_promo(deps: BillingDeps, admin: User, promo: PromoCode, active: bool = True) -> PromoCode:
    require_admin(admin)
    async with deps.uow() as raw:
        uow = raw
        await uow.promos.save(promo, active)
        await uow.audit.record(admin.id, "promo.save", f"promo:{promo.code}",
                               f"{promo.kind.value} {promo.value}{'' if active else ', отключён'}", deps.clock.now())
        await raw.commit()
    return promo


async def set_promo_active(deps: BillingDeps, admin: User, code: str, active: bool) -> PromoCode:
    async with deps.uow() as raw:
        stored = await raw.promos.get(code)
    if stored is None:
        raise NotFound("Промокод не найден")
    return await save_promo(deps, admin, stored.promo, active)
