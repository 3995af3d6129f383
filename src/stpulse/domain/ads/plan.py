"""Cutting an import into Performance API reports within Ozon's limits (≤ 10 campaigns, ≤ 62 days each)."""

from __future__ import annotations

import datetime as dt
import math

import msgspec

MAX_CAMPAIGNS = 10
MAX_DAYS = 62


class ReportRequest(msgspec.Struct, frozen=True, kw_only=True):
    campaigns: tuple[int, ...]
    date_from: dt.date
    date_to: dt.date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


def plan_reports(campaigns: list[int], date_from: dt.date, date_to: dt.date) -> list[ReportRequest]:
    """The fewest reports covering every campaign and day, oldest days first (a checkpoint follows them).

    Campaigns and days are cut into equal parts (not 10 + the rest), so reports take about the same time."""
    if not campaigns or date_to < date_from:
        return []
    ids = sorted(set(campaigns))
    n_groups = math.ceil(len(ids) / MAX_CAMPAIGNS)
    size = math.ceil(len(ids) / n_groups)
    groups = [tuple(ids[i:i + size]) for i in range(0, len(ids), size)]
    total_days = (date_to - date_from).days + 1
    n_spans = math.ceil(total_days / MAX_DAYS)
    span = math.ceil(total_days / n_spans)
    out: list[ReportRequest] = []
    for start in range(0, total_days, span):
        first = date_from + dt.timedelta(days=start)
        last = min(date_to, first + dt.timedelta(days=span - 1))
        out.extend(ReportRequest(campaigns=g, date_from=first, date_to=last) for g in groups)
    return out


def min_reports(n_campaigns: int, days: int) -> int:
    return math.ceil(n_campaigns / MAX_CAMPAIGNS) * math.ceil(days / MAX_DAYS) if n_campaigns and days > 0 else 0
