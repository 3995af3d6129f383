"""Tax estimates, worked by hand; each comes with the Russian rule that made it."""

from decimal import Decimal

import pytest

from stpulse.domain.kernel.errors import DomainError, ValidationError
from stpulse.domain.reports.tax_rules import TaxBase, TaxRegime, TaxSettings, UsnBase, estimate_tax


def base(sales=0, income=0, profit=0, payouts=None):
    return TaxBase(sales=sales, income=income, profit=profit, payouts=payouts)


def test_usn_income_6_percent_of_sales_minus_returns_rounded_half_up_once():
    est = estimate_tax(TaxSettings(regime=TaxRegime.USN_INCOME), base(sales=1234575))  # 12 345,75 ₽
    assert est.amount == 74075  # 740,745 → 740,75 ₽
    assert "УСН «доходы»: 6\u00a0% × 12\u00a0345,75\u00a0₽ (продажи минус возвраты) = 740,75\u00a0₽" == est.rule


def test_usn_income_regional_rate_and_payouts_base():
    s = TaxSettings(regime=TaxRegime.USN_INCOME, rate=Decimal("4"), usn_base=UsnBase.PAYOUTS)
    assert estimate_tax(s, base(sales=999999, payouts=100000)).amount == 4000
    assert "выплаты Ozon" in estimate_tax(s, base(payouts=100000)).rule
    with pytest.raises(DomainError):
        estimate_tax(s, base(sales=1))


def test_usn_income_minus_expenses_with_the_minimum_tax():
    s = TaxSettings(regime=TaxRegime.USN_INCOME_EXPENSE)
    # income 1 000 000 ₽, profit 200 000 ₽: 15 % = 30 000 ₽ > 1 % = 10 000 ₽
    est = estimate_tax(s, base(income=100_000_000, profit=20_000_000))
    assert est.amount == 3_000_000 and "взят налог по ставке" in est.rule
    # profit 50 000 ₽: 15 % = 7 500 ₽ < 1 % of income = 10 000 ₽ → the minimum tax
    est = estimate_tax(s, base(income=100_000_000, profit=5_000_000))
    assert est.amount == 1_000_000 and "взят минимальный налог" in est.rule
    assert estimate_tax(s, base(income=100_000_000, profit=-1)).amount == 1_000_000


def test_osn_profit_tax_and_vat_for_reference():
    s = TaxSettings(regime=TaxRegime.OSN, vat_rate=22)
    est = estimate_tax(s, base(income=10**8, profit=1_000_002))
    assert est.amount == 250001  # 2 500,005 ₽ → 2 500,01 ₽
    assert "НДС 22 % — справочно" in est.rule
    assert estimate_tax(s, base(profit=-500)).amount == 0


def test_settings_validation_and_rule_in_words():
    with pytest.raises(ValidationError):
        TaxSettings(regime=TaxRegime.OSN, vat_rate=18)
    with pytest.raises(ValidationError):
        TaxSettings(regime=TaxRegime.USN_INCOME, rate=Decimal("-1"))
    assert TaxSettings(regime=TaxRegime.USN_INCOME, rate=Decimal("1.5")).describe().endswith(
        "1,5\u00a0% от продаж за вычетом возвратов")


def test_usn_income_takes_the_realization_report_when_published_and_payouts_by_setting():
    from decimal import Decimal as D

    from stpulse.domain.reports.tax_rules import TaxBase, TaxRegime, TaxSettings, UsnBase, estimate_tax

    usn = TaxSettings(regime=TaxRegime.USN_INCOME, rate=D(6))
    base = TaxBase(sales=1_000_000, income=1_000_000, profit=0, payouts=900_000, realized=1_100_000)
    est = estimate_tax(usn, base)
    assert est.amount == 66_000 and "по отчёту о реализации" in est.rule
    assert estimate_tax(usn, TaxBase(sales=1_000_000, income=0, profit=0)).amount == 60_000  # not published yet
    on_payouts = TaxSettings(regime=TaxRegime.USN_INCOME, rate=D(6), usn_base=UsnBase.PAYOUTS)
    assert estimate_tax(on_payouts, base).amount == 54_000
