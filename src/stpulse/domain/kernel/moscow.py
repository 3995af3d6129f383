"""Moscow time (UTC+3, no daylight saving): Ozon groups its data by Moscow dates and sellers read Moscow times."""

from __future__ import annotations

import datetime as dt

MSK = dt.timezone(dt.timedelta(hours=3), "МСК")


def moscow_today(now: dt.datetime) -> dt.date:
    """The Moscow date of an instant (naive means UTC)."""
    return as_moscow(now).date()


def as_moscow(moment: dt.datetime) -> dt.datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(MSK)


def moscow_time_text(moment: dt.datetime | None) -> str:
    """A stored instant as sellers read it: «25.11.2026 21:00 МСК»."""
    if moment is None:
        return "—"
    return as_moscow(moment).strftime("%d.%m.%Y %H:%M МСК")
