"""Which days a sync reads: whole months on the first sync, the late-accrual window afterwards; chunks."""

import datetime as dt
import uuid

import pytest

from stpulse.application.ozon.deps import SyncConfig
from stpulse.application.ozon.sync_plan import bounds, chunks, days, moscow_today, run_range, sync_range
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.shops import Shop

SHOP = Shop(id=uuid.uuid4(), account_id=uuid.uuid4(), name="М", client_id="1")
TODAY = dt.date(2026, 9, 15)


def test_first_sync_backfills_whole_months_including_the_current_one():
    assert sync_range(SHOP, TODAY, SyncConfig(backfill_months=12)) == (dt.date(2025, 10, 1), TODAY)
    assert sync_range(SHOP, TODAY, SyncConfig(backfill_months=1)) == (dt.date(2026, 9, 1), TODAY)


def test_later_syncs_reread_the_last_days():
    synced = Shop(**{**{f: getattr(SHOP, f) for f in SHOP.__struct_fields__}, "synced_to": TODAY})
    assert sync_range(synced, TODAY, SyncConfig(recent_days=7)) == (dt.date(2026, 9, 9), TODAY)
    old = Shop(**{**{f: getattr(SHOP, f) for f in SHOP.__struct_fields__}, "synced_to": dt.date(2026, 8, 1)})
    assert sync_range(old, TODAY, SyncConfig(recent_days=7)) == (dt.date(2026, 8, 2), TODAY)


def test_chunks_never_cross_a_month_and_keep_every_day_once():
    all_days = days(dt.date(2026, 1, 25), dt.date(2026, 3, 3))
    cut = list(chunks(all_days, 10))
    assert [d for c in cut for d in c] == all_days
    assert all(len({d.month for d in c}) == 1 and len(c) <= 10 for c in cut)


def test_moscow_days_and_bounds():
    assert moscow_today(dt.datetime(2026, 9, 14, 21, 30, tzinfo=dt.UTC)) == TODAY
    since, to = bounds(TODAY, TODAY)
    assert since == dt.datetime(2026, 9, 14, 21, 0, tzinfo=dt.UTC)
    assert to == dt.datetime(2026, 9, 15, 20, 59, 59, 999000, tzinfo=dt.UTC)


def test_a_run_takes_the_asked_bounds_never_past_today_and_refuses_an_empty_period():
    cfg = SyncConfig(backfill_months=12)
    assert run_range(SHOP, TODAY, cfg, dt.date(2026, 3, 1), dt.date(2026, 12, 31)) == (dt.date(2026, 3, 1), TODAY)
    assert run_range(SHOP, TODAY, cfg, None, dt.date(2026, 1, 31)) == (dt.date(2025, 10, 1), dt.date(2026, 1, 31))
    with pytest.raises(ValidationError):
        run_range(SHOP, TODAY, cfg, dt.date(2026, 10, 1), None)  # starts after today
