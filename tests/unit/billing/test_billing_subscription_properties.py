"""Property tests of the subscription state machine over random event sequences."""

import datetime as dt
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from stpulse.domain.billing import EntryKind, Subscription
from stpulse.domain.kernel.errors import DomainError

T0 = dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC)
moments = st.integers(min_value=0, max_value=60 * 24 * 500).map(lambda m: T0 + dt.timedelta(minutes=m))
payment_ids = st.sampled_from(["p1", "p2", "p3", "p4"])
tariffs = st.sampled_from(["start", "pro"])

pay = st.tuples(
    st.just("pay"), payment_ids, moments, st.sampled_from([1, 3, 6, 12]), tariffs, st.integers(0, 5)
)
upgrade = st.tuples(st.just("upgrade"), payment_ids, moments, tariffs)
grant = st.tuples(st.just("grant"), moments, st.integers(1, 40))
cancel = st.tuples(st.just("cancel"), moments)
refund = st.tuples(st.just("refund"), payment_ids, moments)
tick = st.tuples(st.just("tick"), moments)
trial = st.tuples(st.just("trial"), moments, st.integers(1, 30))
any_event = st.one_of(pay, upgrade, grant, cancel, refund, tick, trial)
GIVES_TIME = {"pay", "grant", "trial"}


def apply(sub: Subscription, event) -> Subscription:
    kind, *args = event
    try:
        if kind == "pay":
            pid, at, months, tariff, extra = args
            return sub.payment_succeeded(
                payment_id=pid, tariff_code=tariff, months=months, paid_at=at, amount=100, extra_days=extra
            )
        if kind == "upgrade":
            pid, at, tariff = args
            return sub.upgrade(payment_id=pid, tariff_code=tariff, paid_at=at, amount=100)
        if kind == "grant":
            return sub.admin_grant(days=args[1], reason="тест", now=args[0])
        if kind == "cancel":
            return sub.admin_cancel(reason="тест", now=args[0])
        if kind == "refund":
            return sub.refund(payment_id=args[0], now=args[1])
        if kind == "trial":
            return sub.start_trial(now=args[0], days=args[1])
        return sub.tick(args[0])
    except DomainError:
        return sub


def fresh() -> Subscription:
    return Subscription.new(user_id=uuid.UUID(int=1), tariff_code="start", now=T0)


def run(events) -> Subscription:
    sub = fresh()
    for event in events:
        sub = apply(sub, event)
    return sub


@settings(max_examples=150, deadline=None)
@given(st.lists(any_event, max_size=14), st.lists(moments, min_size=1, max_size=6))
def test_access_only_from_payment_trial_or_grant(events, probes):
    sub = run(events)
    sources = [e for e in sub.entries if e.counts and e.kind is not EntryKind.CANCEL and (e.months or e.days)]
    for now in probes:
        if sub.has_access(now):
            assert any(e.at <= now for e in sources)
    if not any(e[0] in GIVES_TIME for e in events):
        assert all(not sub.has_access(now) for now in probes)
        assert sub.ends_at is None


@settings(max_examples=150, deadline=None)
@given(st.lists(any_event, max_size=14))
def test_end_date_moves_back_only_by_refund_or_admin_cancel(events):
    sub = fresh()
    for event in events:
        before = sub.ends_at
        sub = apply(sub, event)
        if event[0] not in ("refund", "cancel") and before is not None:
            assert sub.ends_at is not None and sub.ends_at >= before


@settings(max_examples=100, deadline=None)
@given(st.lists(any_event, max_size=10), pay)
def test_payment_applied_twice_extends_once(events, payment):
    once = apply(run(events), payment)
    twice = apply(once, payment)
    assert twice.timeline() == once.timeline() and twice.entries == once.entries


def _keyed(event):
    """In real life one payment id is one payment: derive the id from the content."""
    return (event[0], repr(event[2:]), *event[2:])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(pay.map(_keyed), upgrade.map(_keyed), grant, cancel, tick), max_size=10),
    st.randoms(use_true_random=False),
)
def test_order_of_events_does_not_matter(events, rnd):
    shuffled = list(events)
    rnd.shuffle(shuffled)
    a, b = run(events), run(shuffled)
    assert a.timeline() == b.timeline()
    assert a.applied_payment_ids == b.applied_payment_ids


@settings(max_examples=100, deadline=None)
@given(st.lists(any_event, max_size=12), moments)
def test_cached_status_matches_the_timeline(events, now):
    sub = run(events).tick(now)
    assert sub.status is sub.status_at(sub.checked_at)
    assert not (sub.has_access(now) and sub.is_read_only(now))
