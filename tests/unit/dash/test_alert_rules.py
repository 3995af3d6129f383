"""Issue 16, acceptance 2 (the rules themselves): each rule fires on facts built to trip it and stays quiet on facts
built not to; a finding names its cause, so the same facts give the same causes (stored once, see the integration
test); switched-off rules and the hooks without data say nothing."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.domain.alerts.rules import (
    BillingState,
    Facts,
    LosingSku,
    RuleCode,
    Setting,
    StaleShop,
    Unmapped,
    default_settings,
    evaluate,
)

NOW = dt.datetime(2026, 9, 30, 9, tzinfo=dt.UTC)
BASE = Facts(now=NOW, month="2026-09")


def rules(facts: Facts, **thresholds: int) -> list[RuleCode]:
    settings = default_settings()
    for code, value in thresholds.items():
        settings[RuleCode(code)] = Setting(rule=RuleCode(code), threshold=value)
    return [f.rule for f in evaluate(facts, settings)]


def test_nothing_fires_on_quiet_facts():
    quiet = msgspec.structs.replace(
        BASE, margin_bp=1800, prev_margin_bp=2000, return_share_bp=600, prev_return_share_bp=500,
        shops=(StaleShop(shop_id="s", name="М", last_synced_at=NOW - dt.timedelta(hours=1), failing=False),),
        unmapped=(), billing=BillingState(status="active", ends_at=NOW + dt.timedelta(days=20)))
    assert rules(quiet) == []


def test_loss_making_sku():
    facts = msgspec.structs.replace(BASE, losing_skus=(LosingSku(code="1:10", label="A — Кружка", profit=-150_00),),
                                    loss_period="август — сентябрь 2026")
    [finding] = evaluate(facts, default_settings())
    assert finding.rule is RuleCode.LOSS_SKU and finding.cause == "loss_sku:1:10:2026-09"
    assert "A — Кружка" in finding.title and "−150,00" in finding.body.replace("-", "−")


def test_margin_drop_fires_beyond_the_threshold_only():
    dropped = msgspec.structs.replace(BASE, margin_bp=1000, prev_margin_bp=2000)
    assert rules(dropped) == [RuleCode.MARGIN_DROP]  # 10 points > 5
    assert rules(dropped, margin_drop=12) == []  # the user's threshold: 12 points
    assert rules(msgspec.structs.replace(BASE, margin_bp=1600, prev_margin_bp=2000)) == []


def test_return_share_spike():
    spiked = msgspec.structs.replace(BASE, return_share_bp=1500, prev_return_share_bp=500)
    assert rules(spiked) == [RuleCode.RETURN_SPIKE]
    assert rules(msgspec.structs.replace(BASE, return_share_bp=700, prev_return_share_bp=500)) == []


def test_sync_failing_longer_than_the_threshold():
    stale = StaleShop(shop_id="s1", name="Магазин", last_synced_at=NOW - dt.timedelta(hours=8), failing=True)
    assert rules(msgspec.structs.replace(BASE, shops=(stale,))) == [RuleCode.SYNC_FAILING]  # 8 h > 6 h
    assert rules(msgspec.structs.replace(BASE, shops=(stale,)), sync_failing=12) == []
    fine = msgspec.structs.replace(stale, failing=False)
    assert rules(msgspec.structs.replace(BASE, shops=(fine,))) == []


def test_unmapped_fee_type():
    facts = msgspec.structs.replace(BASE, unmapped=(Unmapped(type_id=777, name="Новая услуга", lines=3),))
    [finding] = evaluate(facts, default_settings())
    assert finding.rule is RuleCode.UNMAPPED_TYPE and finding.cause == "unmapped_type:777"
    assert rules(facts, unmapped_type=10) == []  # fewer lines than the threshold


def test_subscription_ending_or_unpaid():
    ending = msgspec.structs.replace(BASE, billing=BillingState(status="trial", ends_at=NOW + dt.timedelta(days=2)))
    assert rules(ending) == [RuleCode.BILLING]
    later = msgspec.structs.replace(BASE, billing=BillingState(status="trial", ends_at=NOW + dt.timedelta(days=9)))
    assert rules(later) == []
    unpaid = msgspec.structs.replace(BASE, billing=BillingState(status="past_due", ends_at=NOW - dt.timedelta(days=1)))
    assert rules(unpaid) == [RuleCode.BILLING]
    failed = msgspec.structs.replace(BASE, billing=BillingState(status="active", ends_at=NOW + dt.timedelta(days=40),
                                                                payment_failed_at=NOW))
    assert rules(failed) == [RuleCode.BILLING]


def test_switched_off_rules_and_hooks_without_data_are_silent():
    facts = msgspec.structs.replace(BASE, margin_bp=0, prev_margin_bp=3000)
    settings = default_settings()
    settings[RuleCode.MARGIN_DROP] = Setting(rule=RuleCode.MARGIN_DROP, threshold=5, enabled=False)
    assert evaluate(facts, settings) == []
    hooked = msgspec.structs.replace(BASE, stock_runouts=(("1:1", "A", 3),), drr_over=(("1:1", "A", 3000, 1000),))
    assert evaluate(hooked, default_settings()) == []  # not available until stock and ads data land


def test_the_same_facts_give_the_same_causes():
    facts = msgspec.structs.replace(BASE, margin_bp=0, prev_margin_bp=3000,
                                    unmapped=(Unmapped(type_id=5, name="", lines=1),))
    assert [f.cause for f in evaluate(facts, default_settings())] == [f.cause for f in evaluate(facts, default_settings())]
