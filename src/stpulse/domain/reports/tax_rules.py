"""Tax estimate for the P&L: УСН «доходы», УСН «доходы минус расходы» (with the 1 % minimum), ОСН.

The estimate is computed per shop and month, rounded half-up once to kopecks, and always carries the
Russian text of the rule that made it. VAT is kept for reference and never enters the estimate.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.errors import DomainError, ValidationError
from stpulse.domain.kernel.formatting import format_rub


class TaxRegime(StrEnum):
    USN_INCOME = "usn_income"
    USN_INCOME_EXPENSE = "usn_income_expense"
    OSN = "osn"


class UsnBase(StrEnum):
    SALES = "sales"  # продажи минус возвраты (отчёт о реализации)
    PAYOUTS = "payouts"  # выплаты Ozon на расчётный счёт


VAT_RATES = (0, 5, 7, 10, 20, 22)
DEFAULT_RATES = {TaxRegime.USN_INCOME: Decimal(6), TaxRegime.USN_INCOME_EXPENSE: Decimal(15),
                 TaxRegime.OSN: Decimal(25)}
REGIME_NAMES = {TaxRegime.USN_INCOME: "УСН «доходы»", TaxRegime.USN_INCOME_EXPENSE: "УСН «доходы минус расходы»",
                TaxRegime.OSN: "ОСН"}


def _pct(rate: Decimal) -> str:
    return f"{rate.normalize():f}".replace(".", ",") + "\u00a0%"


class TaxSettings(msgspec.Struct, frozen=True, kw_only=True):
    regime: TaxRegime
    rate: Decimal | None = None  # percent; None = the regime's default (6 / 15 / 25)
    min_rate: Decimal = Decimal(1)  # УСН «доходы минус расходы»: minimum tax, percent of income
    vat_rate: int = 0  # reference only
    usn_base: UsnBase = UsnBase.SALES

    def __post_init__(self) -> None:
        errors = {}
        if not Decimal(0) <= self.effective_rate <= Decimal(100):
            errors["rate"] = "Ставка налога должна быть от 0 до 100 %"
        if not Decimal(0) <= self.min_rate <= Decimal(100):
            errors["min_rate"] = "Ставка минимального налога должна быть от 0 до 100 %"
        if self.vat_rate not in VAT_RATES:
            errors["vat_rate"] = "Ставка НДС: 0, 5, 7, 10, 20 или 22 %"
        if errors:
            raise ValidationError(errors)

    @property
    def effective_rate(self) -> Decimal:
        return DEFAULT_RATES[self.regime] if self.rate is None else self.rate

    def describe(self) -> str:
        """The rule in words, without figures: shown next to the P&L tax row."""
        rate, name = _pct(self.effective_rate), REGIME_NAMES[self.regime]
        if self.regime is TaxRegime.USN_INCOME:
            base = "выплат Ozon" if self.usn_base is UsnBase.PAYOUTS else "продаж за вычетом возвратов"
            text = f"{name}: {rate} от {base}"
        elif self.regime is TaxRegime.USN_INCOME_EXPENSE:
            text = (f"{name}: {rate} от доходов за вычетом расходов, "
                    f"но не меньше {_pct(self.min_rate)} от доходов")
        else:
            text = f"{name}: налог на прибыль {rate} от прибыли до налога; НДС {self.vat_rate} % — справочно"
        return f"Оценка по месяцам. {text}"


class TaxBase(msgspec.Struct, frozen=True, kw_only=True):
    sales: int  # продажи минус возвраты (with goods bought out by Ozon), kopecks
    income: int  # all taxable income for «доходы минус расходы» and ОСН
    profit: int  # profit before tax (income − expenses)
    payouts: int | None = None  # Ozon payouts of the month, when the base is payouts
    realized: int | None = None  # sales − returns of the month's realization report (None: not published yet)


class TaxEstimate(msgspec.Struct, frozen=True, kw_only=True):
    amount: int  # kopecks, ≥ 0
    rule: str


def _apply(rate: Decimal, base: int) -> int:
    return int((Decimal(max(base, 0)) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def estimate_tax(settings: TaxSettings, base: TaxBase) -> TaxEstimate:
    rate, name = settings.effective_rate, REGIME_NAMES[settings.regime]
    if settings.regime is TaxRegime.USN_INCOME:
        return _usn_income(settings, base)
    if settings.regime is TaxRegime.USN_INCOME_EXPENSE:
        regular, minimum = _apply(rate, base.profit), _apply(settings.min_rate, base.income)
        amount = max(regular, minimum)
        which = "минимальный налог" if minimum > regular else "налог по ставке"
        return TaxEstimate(amount=amount, rule=(
            f"{name}: {_pct(rate)} × {format_rub(max(base.profit, 0))} = {format_rub(regular)}; "
            f"минимальный {_pct(settings.min_rate)} × {format_rub(max(base.income, 0))} = "
            f"{format_rub(minimum)}; взят {which}: {format_rub(amount)}"))
    amount = _apply(rate, base.profit)
    return TaxEstimate(amount=amount, rule=(
        f"{name}: налог на прибыль {_pct(rate)} × {format_rub(max(base.profit, 0))} = {format_rub(amount)} "
        f"(оценка); НДС {settings.vat_rate} % — справочно, в расчёт не входит"))


def _usn_income(settings: TaxSettings, base: TaxBase) -> TaxEstimate:
    rate, name = settings.effective_rate, REGIME_NAMES[settings.regime]
    if settings.usn_base is UsnBase.PAYOUTS:
        if base.payouts is None:
            raise DomainError("Для базы «выплаты» нет данных о выплатах Ozon за период")
        amount, what = _apply(rate, base.payouts), "выплаты Ozon"
        value = base.payouts
    elif base.realized is not None:
        amount, what, value = _apply(rate, base.realized), "продажи минус возвраты по отчёту о реализации", base.realized
    else:
        amount, what, value = _apply(rate, base.sales), "продажи минус возвраты", base.sales
    return TaxEstimate(amount=amount, rule=(
        f"{name}: {_pct(rate)} × {format_rub(max(value, 0))} ({what}) = {format_rub(amount)}"))
