"""Worked examples of the subscription lifecycle, trials and upgrade proration."""

import datetime as dt
import uuid

import pytest

from stpulse.domain.billing import (
    Subscription,
    SubscriptionStatus,
    Tariff,
    TariffLimits,
    TrialRecord,
    check_trial_eligibility,
    is_trial_eligible,
    quote_upgrade,
)
from stpulse.domain.kernel.errors import Conflict, DomainError, NotFound

UTC = dt.UTC
T0 = dt.datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)
LIMITS = TariffLimits(max_shops=1, max_skus=500, history_months=12)
START = Tariff(code="start", name="Старт", monthly_price=49_000, limits=LIMITS)
PRO = Tariff(code="pro", name="Профи", monthly_price=99_000, limits=LIMITS)
TARIFFS = {"start": START, "pro": PRO}
S = SubscriptionStatus
USER, OTHER = uuid.UUID(int=1), uuid.UUID(int=2)


def fresh() -> Subscription:
    return Subscription.new(user_id=USER, tariff_code="start", now=T0)


def paid(sub, pid="p1", at=T0, months=1, tariff="start"):
    return sub.payment_succeeded(payment_id=pid, tariff_code=tariff, months=months, paid_at=at, amount=49_000)


def test_new_subscription_has_no_access_and_is_not_read_only():
    sub = fresh()
    assert sub.status is S.NONE and not sub.has_access(T0) and not sub.is_read_only(T0)


def test_trial_then_expired_without_grace():
    sub = fresh().start_trial(now=T0, days=14)
    assert sub.status is S.TRIAL and sub.ends_at == T0 + 14 * DAY
    assert sub.has_access(T0 + 13 * DAY)
    later = sub.tick(T0 + 14 * DAY)
    assert later.status is S.EXPIRED and later.is_read_only(T0 + 14 * DAY)


def test_trial_only_once():
    sub = fresh().start_trial(now=T0)
    with pytest.raises(Conflict, match="уже был использован"):
        sub.start_trial(now=T0 + DAY)


def test_payment_during_trial_appends_after_trial():
    sub = paid(fresh().start_trial(now=T0, days=14), at=T0 + 5 * DAY)
    assert sub.ends_at == dt.datetime(2025, 2, 24, 9, 0, tzinfo=UTC)  # 24 Jan + 1 month
    assert sub.status_at(T0 + 6 * DAY) is S.TRIAL
    assert sub.status_at(T0 + 20 * DAY) is S.ACTIVE


def test_active_past_due_expired():
    sub = paid(fresh())
    end = dt.datetime(2025, 2, 10, 9, tzinfo=UTC)
    assert sub.status is S.ACTIVE and sub.ends_at == end
    assert sub.tick(end).status is S.PAST_DUE and sub.has_access(end + 2 * DAY)
    assert sub.grace_ends_at() == end + 3 * DAY
    assert sub.tick(end + 3 * DAY).status is S.EXPIRED and not sub.has_access(end + 3 * DAY)


def test_next_change_is_each_moment_the_status_or_tariff_may_answer_otherwise():
    """A trial, then a paid month behind it, then its grace: each moment status_at or tariff_at turns is the next
    change until it is passed; between them both answer alike (a kept API answer lasts until the next one)."""
    sub = paid(fresh().start_trial(now=T0, days=14), at=T0 + 5 * DAY, tariff="pro")
    trial_end, paid_end = T0 + 14 * DAY, dt.datetime(2025, 2, 24, 9, 0, tzinfo=UTC)
    turns = [trial_end, paid_end, paid_end + 3 * DAY]
    moment = T0
    for turn in turns:
        assert sub.next_change(moment) == turn
        before = turn - dt.timedelta(microseconds=1)
        assert (sub.status_at(before), sub.tariff_at(before)) == (sub.status_at(moment), sub.tariff_at(moment))
        assert (sub.status_at(turn), sub.tariff_at(turn)) != (sub.status_at(moment), sub.tariff_at(moment))
        moment = turn
    assert sub.next_change(moment) is None and sub.status_at(moment) is S.EXPIRED
    assert fresh().next_change(T0) is None


def test_renewal_extends_from_current_end():
    sub = paid(paid(fresh()), pid="p2", at=T0 + 20 * DAY, months=3)
    assert sub.ends_at == dt.datetime(2025, 5, 10, 9, tzinfo=UTC)


def test_payment_in_grace_starts_at_payment():
    end = dt.datetime(2025, 2, 10, 9, tzinfo=UTC)
    sub = paid(paid(fresh()), pid="p2", at=end + DAY)
    assert sub.ends_at == dt.datetime(2025, 3, 11, 9, tzinfo=UTC)


def test_same_payment_twice_extends_once():
    once = paid(fresh())
    assert paid(once) is once
    assert paid(once, at=T0 + 3 * DAY).ends_at == once.ends_at


def test_refund_takes_back_the_period_and_blocks_replay():
    sub = paid(paid(fresh()), pid="p2", at=T0 + DAY)
    refunded = sub.refund(payment_id="p2", now=T0 + 2 * DAY)
    assert refunded.ends_at == dt.datetime(2025, 2, 10, 9, tzinfo=UTC)
    assert paid(refunded, pid="p2", at=T0 + DAY).ends_at == refunded.ends_at  # late webhook replay
    assert refunded.refund(payment_id="p2", now=T0 + 3 * DAY) is not None
    with pytest.raises(NotFound):
        refunded.refund(payment_id="nope", now=T0)


def test_refund_of_only_payment_ends_access_without_grace():
    sub = paid(fresh()).refund(payment_id="p1", now=T0 + DAY)
    assert sub.ends_at is None and sub.status is S.NONE and not sub.has_access(T0 + DAY)


def test_admin_grant_and_cancel():
    sub = fresh().admin_grant(days=10, reason="Компенсация за сбой", now=T0)
    assert sub.status is S.ACTIVE and sub.ends_at == T0 + 10 * DAY
    assert sub.status_at(T0 + 10 * DAY) is S.EXPIRED  # grants end without grace
    cancelled = paid(sub, at=T0 + DAY).admin_cancel(reason="Мошенничество", now=T0 + 2 * DAY)
    assert cancelled.ends_at == T0 + 2 * DAY and cancelled.status is S.EXPIRED
    assert not cancelled.has_access(T0 + 2 * DAY)
    again = paid(cancelled, pid="p9", at=T0 + 3 * DAY)
    assert again.has_access(T0 + 3 * DAY) and again.ends_at == T0 + 3 * DAY + 31 * DAY


def test_out_of_order_webhooks_give_the_same_result():
    a = paid(paid(fresh(), "p1", T0), "p2", T0 + 40 * DAY)
    b = paid(paid(fresh(), "p2", T0 + 40 * DAY), "p1", T0)
    assert a.timeline() == b.timeline() and a.ends_at == b.ends_at


def test_timezone_required():
    with pytest.raises(DomainError):
        paid(fresh(), at=dt.datetime(2025, 1, 1))


def test_trial_eligibility_per_user_and_client_id():
    history = [TrialRecord(user_id=OTHER, client_ids=frozenset({"123456"}), started_at=T0)]
    check_trial_eligibility(USER, ["777"], history)
    with pytest.raises(Conflict, match="в этом аккаунте"):
        check_trial_eligibility(OTHER, [], history)
    with pytest.raises(Conflict, match="Client-Id 123456"):
        check_trial_eligibility(USER, ["777", " 123456 "], history)
    assert not is_trial_eligible(USER, ["123456"], history)


def test_upgrade_quote_charges_the_difference_for_remaining_days():
    sub = paid(fresh())  # start, 10 Jan → 10 Feb (31 days)
    quote = quote_upgrade(sub, TARIFFS, PRO, T0 + 15 * DAY + dt.timedelta(hours=12))
    # 16 of 31 days left; (990 − 490) ₽ × 15.5 / 31 = 250 ₽
    assert quote.price == 25_000 and quote.remaining_days == 16
    up = sub.upgrade(payment_id="u1", tariff_code="pro", paid_at=T0 + 15 * DAY, amount=quote.price)
    assert up.ends_at == sub.ends_at
    assert up.tariff_at(T0 + DAY) == "start" and up.tariff_at(T0 + 20 * DAY) == "pro"
    assert up.current_tariff_code == "pro"
    renewed = paid(up, pid="p2", at=T0 + 30 * DAY, tariff="pro")
    assert renewed.tariff_at(renewed.ends_at - DAY) == "pro"


def test_downgrade_is_not_prorated():
    sub = paid(fresh(), tariff="pro")
    with pytest.raises(Conflict, match="со следующего"):
        quote_upgrade(sub, TARIFFS, START, T0 + DAY)
    with pytest.raises(Conflict, match="уже подключён"):
        quote_upgrade(sub, TARIFFS, PRO, T0 + DAY)


def test_upgrade_over_several_prepaid_periods():
    sub = paid(paid(fresh()), pid="p2", at=T0, months=3)  # 10 Jan → 10 May
    quote = quote_upgrade(sub, TARIFFS, PRO, T0)
    # a whole 1-month period: 990 − 490 = 500 ₽; a whole 3-month one: 2821.50 − 1396.50 = 1425 ₽
    assert quote.price == 50_000 + 142_500
