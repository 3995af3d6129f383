"""The entitlement ledger of a subscription and the access timeline folded from it.

A subscription is the set of entitlement entries it has accepted (trial, payments, admin grants,
admin cancellations). The access timeline is a pure fold of those entries sorted by time, so the result
does not depend on the order in which webhooks and admin actions arrived. Each step of the fold is
monotone in the running end date (`max`, `+`, `min`), so accepting a new trial, payment or grant can
never move the end date back; only removing an entry (refund) or a cancellation can.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

import msgspec

from stpulse.domain.billing.dates import add_months


class EntryKind(StrEnum):
    TRIAL = "trial"
    PAYMENT = "payment"
    GRANT = "grant"
    CANCEL = "cancel"


_KIND_ORDER = {EntryKind.TRIAL: 0, EntryKind.PAYMENT: 1, EntryKind.GRANT: 2, EntryKind.CANCEL: 3}


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One accepted entitlement change. Payments are keyed by the gateway's payment id."""

    kind: EntryKind
    at: dt.datetime
    tariff_code: str | None = None
    months: int = 0
    days: int = 0
    payment_id: str | None = None
    amount: int = 0  # kopecks actually paid (payments only)
    switch_now: bool = False  # an upgrade: the tariff changes at `at` for all remaining time
    reason: str = ""
    refunded_at: dt.datetime | None = None

    @property
    def counts(self) -> bool:
        return self.refunded_at is None

    def sort_key(self) -> tuple:
        """Total order on content, so the fold never depends on arrival order, even on ties."""
        return (
            self.at,
            _KIND_ORDER[self.kind],
            self.payment_id or "",
            self.months,
            self.days,
            self.tariff_code or "",
            self.switch_now,
            self.reason,
        )


class Segment(msgspec.Struct, frozen=True, kw_only=True):
    """A stretch of access: [start, end) under one tariff, from one kind of entry."""

    start: dt.datetime
    end: dt.datetime
    source: EntryKind
    tariff_code: str
    months: int = 0  # the billing period a paid segment was bought for
    cut: bool = False  # ended early by an admin cancellation

    def covers(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def fold(entries: Iterable[Entry], initial_tariff: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    for entry in sorted((e for e in entries if e.counts), key=Entry.sort_key):
        if entry.kind is EntryKind.CANCEL:
            segments = _cut(segments, entry.at)
            continue
        if entry.switch_now and entry.tariff_code:
            segments = _retariff(segments, entry.at, entry.tariff_code)
        start = max(segments[-1].end, entry.at) if segments else entry.at
        stop = add_months(start, entry.months) + dt.timedelta(days=entry.days)
        tariff = entry.tariff_code or (segments[-1].tariff_code if segments else initial_tariff)
        if stop > start:
            segments.append(
                Segment(start=start, end=stop, source=entry.kind, tariff_code=tariff, months=entry.months)
            )
    return tuple(segments)


def _cut(segments: list[Segment], at: dt.datetime) -> list[Segment]:
    kept = []
    for seg in segments:
        if seg.end <= at:
            kept.append(seg)
        elif seg.start < at:
            kept.append(msgspec.structs.replace(seg, end=at, cut=True))
    return kept


def _retariff(segments: list[Segment], at: dt.datetime, code: str) -> list[Segment]:
    result = []
    for seg in segments:
        if seg.end <= at or seg.tariff_code == code:
            result.append(seg)
        elif seg.start >= at:
            result.append(msgspec.structs.replace(seg, tariff_code=code))
        else:
            result.append(msgspec.structs.replace(seg, end=at, cut=False))
            result.append(msgspec.structs.replace(seg, start=at, tariff_code=code))
    return result
