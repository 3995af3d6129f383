"""Calendar arithmetic for billing periods (pure, no clock reads)."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later.

    When the target month is too short (31 Jan + 1 month) the period runs to the end of its last day,
    i.e. to 00:00 of the next month. Clamping to "28 Feb, same time" would let a later start end
    earlier (30 Jan 23:00 → 28 Feb 23:00 but 31 Jan 10:00 → 28 Feb 10:00); this rule keeps the
    function monotone, which the subscription's "end dates never move back" invariant relies on.
    """
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if moment.day <= last_day:
        return moment.replace(year=year, month=month, day=moment.day)
    first_of_next = moment.replace(
        year=year, month=month, day=last_day, hour=0, minute=0, second=0, microsecond=0
    )
    return first_of_next + dt.timedelta(days=1)
