"""The system clock (UTC). Tests pass their own."""

from __future__ import annotations

import datetime as dt


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FrozenClock:
    """A clock stopped at one moment (`STPULSE_FROZEN_NOW`): benches and demos whose data ends on a fixed day, so
    every process of the run — web and worker — agrees on «today». Production refuses it."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.moment
