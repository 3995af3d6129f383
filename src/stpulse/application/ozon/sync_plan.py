"""Which days a sync reads and how it cuts them: pure date arithmetic, Moscow time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from stpulse.application.ozon.deps import SyncConfig
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.moscow import MSK, moscow_today
from stpulse.domain.ledger.shops import Shop

__all__ = ["MSK", "moscow_today"]  # the sync's callers take Moscow time from here too


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def sync_range(shop: Shop, today: dt.date, cfg: SyncConfig) -> tuple[dt.date, dt.date]:
    """Backfill whole months on the first sync; afterwards from the last synced day minus the late window."""
    if shop.synced_to is None:
        return add_months(today.replace(day=1), -(cfg.backfill_months - 1)), today
    start = min(shop.synced_to + dt.timedelta(days=1), today - dt.timedelta(days=cfg.recent_days - 1))
    return start, today


def run_range(shop: Shop, today: dt.date, cfg: SyncConfig, date_from: dt.date | None = None,
              date_to: dt.date | None = None, earliest: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days a run reads: the plan's range narrowed by the asked bounds, never past today nor before
    `earliest` (the tariff's history depth); an empty period is refused (the database holds date_from <= date_to)."""
    first, last = sync_range(shop, today, cfg)
    first, last = max(date_from or first, earliest or dt.date.min), min(date_to or last, today)
    if first > last:
        raise ValidationError({"date_from": f"Начало периода ({first:%d.%m.%Y}) позже его конца ({last:%d.%m.%Y})"})
    return first, last


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def chunks(all_days: list[dt.date], size: int) -> Iterator[list[dt.date]]:
    """Runs of at most `size` consecutive days that never cross a month (monthly rollups rebuild per chunk)."""
    chunk: list[dt.date] = []
    for day in all_days:
        if chunk and (len(chunk) >= size or day.month != chunk[-1].month):
            yield chunk
            chunk = []
        chunk.append(day)
    if chunk:
        yield chunk


def bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants from the start of `first` to the last millisecond of `last`, Moscow days."""
    since = dt.datetime.combine(first, dt.time(), MSK).astimezone(dt.UTC)
    to = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), MSK).astimezone(dt.UTC)
    return since, to - dt.timedelta(milliseconds=1)
