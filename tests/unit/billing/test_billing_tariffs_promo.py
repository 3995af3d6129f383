"""Worked examples: tariff prices, promo codes, amount in words, VAT."""

import datetime as dt
import uuid

import pytest

from stpulse.adapters.billing.pdf.words import amount_in_words
from stpulse.domain.billing import (
    PromoCode,
    PromoKind,
    PromoRejected,
    Tariff,
    TariffLimits,
    add_months,
    apply_promo,
    special_tariff,
    vat_included,
    vat_line,
)
from stpulse.domain.kernel.errors import DomainError, ValidationError

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
LIMITS = TariffLimits(max_shops=3, max_skus=1000, history_months=24, features=frozenset({"ads_report"}))
PRO = Tariff(code="pro", name="Профи", monthly_price=99_000, limits=LIMITS)
START = Tariff(code="start", name="Старт", monthly_price=49_000, limits=LIMITS)


def test_period_prices_with_discounts():
    assert PRO.price_for_period(1) == 99_000
    assert PRO.price_for_period(3) == 282_150  # 2 970 ₽ − 5 %
    assert PRO.price_for_period(6) == 534_600  # 5 940 ₽ − 10 %
    assert PRO.price_for_period(12) == 950_400  # 11 880 ₽ − 20 %


def test_period_price_rounds_half_up_once():
    odd = Tariff(code="odd", name="Нечётный", monthly_price=333, limits=LIMITS, period_discounts={3: 5})
    assert odd.price_for_period(3) == 999 - 50  # 49.95 → 50


def test_only_known_periods():
    with pytest.raises(DomainError, match="1, 3, 6 или 12"):
        PRO.price_for_period(2)


def test_tariff_validation():
    with pytest.raises(ValidationError) as err:
        Tariff(code="", name="x", monthly_price=-1, limits=LIMITS)
    assert set(err.value.fields) == {"code", "monthly_price"}


def test_special_tariff_belongs_to_one_user():
    seven, eight = uuid.UUID(int=7), uuid.UUID(int=8)
    vip = special_tariff(PRO, user_id=seven, monthly_price=50_000)
    assert vip.is_special and vip.available_to(seven) and not vip.available_to(eight)
    assert vip.price_for_period(12) == 480_000
    assert PRO.available_to(eight)


def test_add_months_clamps_to_month_end():
    jan31 = dt.datetime(2025, 1, 31, 10, tzinfo=UTC)
    assert add_months(jan31, 1) == dt.datetime(2025, 3, 1, tzinfo=UTC)  # through the end of 28 Feb
    assert add_months(dt.datetime(2025, 1, 15, 10, tzinfo=UTC), 12) == dt.datetime(
        2026, 1, 15, 10, tzinfo=UTC
    )


def promo(**kw):
    base = dict(code="SPRING", kind=PromoKind.PERCENT, value=10)
    return PromoCode(**(base | kw))


def test_percent_promo():
    result = apply_promo(promo(), PRO, 12, user_uses=0, total_uses=0, now=NOW)
    assert (result.list_price, result.discount, result.price) == (950_400, 95_040, 855_360)


def test_fixed_promo_never_below_zero():
    assert apply_promo(promo(kind=PromoKind.FIXED, value=50_000), PRO, 1, 0, 0, NOW).price == 49_000
    assert apply_promo(promo(kind=PromoKind.FIXED, value=500_000), PRO, 1, 0, 0, NOW).price == 0


def test_extra_days_promo_keeps_price():
    result = apply_promo(promo(kind=PromoKind.EXTRA_DAYS, value=30), PRO, 1, 0, 0, NOW)
    assert (result.price, result.extra_days) == (99_000, 30)


@pytest.mark.parametrize(
    ("kw", "uses", "reason", "text"),
    [
        ({"valid_until": NOW}, (0, 0), "expired", "истёк"),
        ({"valid_from": NOW + dt.timedelta(days=1)}, (0, 0), "not_yet_active", "ещё не действует"),
        ({"max_uses_total": 100}, (0, 100), "exhausted", "исчерпан"),
        ({}, (1, 5), "already_used", "уже использовали"),
        ({"tariff_codes": frozenset({"start"})}, (0, 0), "wrong_tariff", "не действует для тарифа «Профи»"),
    ],
)
def test_promo_rejections(kw, uses, reason, text):
    with pytest.raises(PromoRejected, match=text) as err:
        apply_promo(promo(**kw), PRO, 1, uses[0], uses[1], NOW)
    assert err.value.reason == reason


def test_promo_per_user_limit_above_one():
    assert apply_promo(promo(max_uses_per_user=2), PRO, 1, 1, 0, NOW).price == 89_100


@pytest.mark.parametrize(
    ("kopecks", "words"),
    [
        (123456, "Одна тысяча двести тридцать четыре рубля 56 копеек"),
        (0, "Ноль рублей 00 копеек"),
        (101, "Один рубль 01 копейка"),
        (2202, "Двадцать два рубля 02 копейки"),
        (1_100_011, "Одиннадцать тысяч рублей 11 копеек"),
        (200_000_000, "Два миллиона рублей 00 копеек"),
        (2_102_100_000, "Двадцать один миллион двадцать одна тысяча рублей 00 копеек"),
        (950_400, "Девять тысяч пятьсот четыре рубля 00 копеек"),
        (1_411_500, "Четырнадцать тысяч сто пятнадцать рублей 00 копеек"),
    ],
)
def test_amount_in_words(kopecks, words):
    assert amount_in_words(kopecks) == words


def test_vat_extraction():
    assert vat_included(120_000, 20) == 20_000
    assert vat_included(99_000, 20) == 16_500
    assert vat_included(100, 20) == 17  # 16.67 → 17
    assert vat_line(99_000, 20) == "В том числе НДС 20%: 165,00 руб."
    assert vat_line(99_000, None) == "Без НДС"
