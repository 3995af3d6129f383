"""The subscription state machine: trial → active → past due (grace days) → expired.

State is not stored as a mutable field that events push around: a subscription keeps the entries it
accepted (see `timeline`), and its status at any moment is read off the folded access timeline.
`status` is a cached copy for listing and filtering, refreshed by every event and by `tick(now)`.

Access rules (product decisions):
- trial, active and past due have full access; past due is the grace after an unpaid *paid* period,
  while the card is retried. Trials and admin grants end without grace.
- expired is read-only: the seller still sees and exports the reports they had, but nothing syncs
  and nothing new can be added. A subscription that never had access is `none`, not read-only.
- a payment made during grace starts its period at the payment moment (grace days are a courtesy).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import msgspec

from stpulse.domain.billing.tariffs import check_period
from stpulse.domain.billing.timeline import Entry, EntryKind, Segment, fold
from stpulse.domain.kernel.errors import Conflict, DomainError, NotFound, ValidationError

DEFAULT_GRACE_DAYS = 3
DEFAULT_TRIAL_DAYS = 14


class SubscriptionStatus(StrEnum):
    NONE = "none"
    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    EXPIRED = "expired"


STATUS_TITLES = {
    SubscriptionStatus.NONE: "Нет подписки",
    SubscriptionStatus.TRIAL: "Пробный период",
    SubscriptionStatus.ACTIVE: "Активна",
    SubscriptionStatus.PAST_DUE: "Ожидает оплаты",
    SubscriptionStatus.EXPIRED: "Истекла",
}


def _aware(moment: dt.datetime, name: str = "at") -> dt.datetime:
    if moment.tzinfo is None:
        raise DomainError(f"Время {name} должно быть с часовым поясом")
    return moment


class Subscription(msgspec.Struct, frozen=True, kw_only=True):
    """`tariff_code` is the tariff chosen at sign-up (trial and grants without a tariff use it);
    the tariff in force at a moment is `tariff_at(now)`."""

    user_id: uuid.UUID
    tariff_code: str
    created_at: dt.datetime
    grace_days: int = DEFAULT_GRACE_DAYS
    entries: tuple[Entry, ...] = ()
    status: SubscriptionStatus = SubscriptionStatus.NONE  # cached status at `checked_at`
    current_tariff_code: str | None = None  # cached tariff at `checked_at`
    checked_at: dt.datetime | None = None
    auto_renew: bool = False
    payment_method_id: str | None = None

    @classmethod
    def new(
        cls, *, user_id: uuid.UUID, tariff_code: str, now: dt.datetime, grace_days: int = DEFAULT_GRACE_DAYS
    ):
        if grace_days < 0:
            raise ValidationError({"grace_days": "Льготный период не может быть отрицательным"})
        return cls(
            user_id=user_id, tariff_code=tariff_code, created_at=_aware(now, "now"), grace_days=grace_days
        )

    # --- reading -----------------------------------------------------------------------------------------
    def timeline(self) -> tuple[Segment, ...]:
        return fold(self.entries, self.tariff_code)

    @property
    def ends_at(self) -> dt.datetime | None:
        """End of the last stretch of trial, paid or granted access (grace not included)."""
        segments = self.timeline()
        return segments[-1].end if segments else None

    @property
    def applied_payment_ids(self) -> frozenset[str]:
        return frozenset(e.payment_id for e in self.entries if e.payment_id)

    @property
    def trial_used(self) -> bool:
        return any(e.kind is EntryKind.TRIAL for e in self.entries)

    @property
    def has_paid(self) -> bool:
        """A payment that was not refunded: the seller is a paying customer, even before the trial ends."""
        return any(e.kind is EntryKind.PAYMENT and e.counts for e in self.entries)

    def status_at(self, now: dt.datetime) -> SubscriptionStatus:
        return self._status_in(self.timeline(), now)

    def _status_in(self, segments: tuple[Segment, ...], now: dt.datetime) -> SubscriptionStatus:
        current = next((s for s in segments if s.covers(now)), None)
        if current is not None:
            return (
                SubscriptionStatus.TRIAL if current.source is EntryKind.TRIAL else SubscriptionStatus.ACTIVE
            )
        past = [s for s in segments if s.end <= now]
        if not past:
            return SubscriptionStatus.NONE
        last = past[-1]
        in_grace = now < last.end + dt.timedelta(days=self.grace_days)
        if last.source is EntryKind.PAYMENT and not last.cut and in_grace:
            return SubscriptionStatus.PAST_DUE
        return SubscriptionStatus.EXPIRED

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        """The first moment after `now` at which `status_at` or `tariff_at` may answer otherwise (a stretch starts
        or ends, a grace period ends); None when nothing is ahead."""
        grace = dt.timedelta(days=self.grace_days)
        moments = [m for s in self.timeline()
                   for m in (s.start, s.end) + ((s.end + grace,) if s.source is EntryKind.PAYMENT and not s.cut else ())]
        return min((m for m in moments if m > now), default=None)

    def has_access(self, now: dt.datetime) -> bool:
        return self.status_at(now) in (
            SubscriptionStatus.TRIAL,
            SubscriptionStatus.ACTIVE,
            SubscriptionStatus.PAST_DUE,
        )

    def is_read_only(self, now: dt.datetime) -> bool:
        return self.status_at(now) is SubscriptionStatus.EXPIRED

    def grace_ends_at(self) -> dt.datetime | None:
        segments = self.timeline()
        if not segments or segments[-1].source is not EntryKind.PAYMENT or segments[-1].cut:
            return None
        return segments[-1].end + dt.timedelta(days=self.grace_days)

    def tariff_at(self, now: dt.datetime) -> str:
        return self._tariff_in(self.timeline(), now)

    def _tariff_in(self, segments: tuple[Segment, ...], now: dt.datetime) -> str:
        current = next((s for s in segments if s.covers(now)), None)
        if current is not None:
            return current.tariff_code
        past = [s for s in segments if s.end <= now]
        return past[-1].tariff_code if past else self.tariff_code

    # --- events ------------------------------------------------------------------------------------------
    def start_trial(self, *, now: dt.datetime, days: int = DEFAULT_TRIAL_DAYS) -> Subscription:
        """Start the one trial of this subscription; eligibility across users is `check_trial_eligibility`."""
        if self.trial_used:
            raise Conflict("Пробный период уже был использован")
        if self.entries:
            raise Conflict("Пробный период доступен только до первой оплаты")
        if days <= 0:
            raise ValidationError({"days": "Длительность пробного периода должна быть положительной"})
        entry = Entry(kind=EntryKind.TRIAL, at=_aware(now, "now"), days=days, tariff_code=self.tariff_code)
        return self._accept(entry, now)

    def payment_succeeded(
        self,
        *,
        payment_id: str,
        tariff_code: str,
        months: int,
        paid_at: dt.datetime,
        amount: int,
        extra_days: int = 0,
    ) -> Subscription:
        """Extend by `months` (+ promo `extra_days`) from the later of the current end and the payment.

        A fully discounted period is accepted the same way with `amount=0` and a synthetic id. Idempotent by `payment_id`: a redelivered webhook returns the subscription unchanged.
        """
        if payment_id in self.applied_payment_ids:
            return self
        check_period(months)
        entry = Entry(
            kind=EntryKind.PAYMENT,
            at=_aware(paid_at, "paid_at"),
            tariff_code=tariff_code,
            months=months,
            days=max(extra_days, 0),
            payment_id=payment_id,
            amount=amount,
        )
        return self._accept(entry, paid_at)

    def upgrade(
        self, *, payment_id: str, tariff_code: str, paid_at: dt.datetime, amount: int
    ) -> Subscription:
        """Switch to `tariff_code` from `paid_at` for all remaining days; the end date stays.

        The price (see `proration.quote_upgrade`) is the difference between the tariffs for those days.
        Idempotent by `payment_id`.
        """
        if payment_id in self.applied_payment_ids:
            return self
        entry = Entry(
            kind=EntryKind.PAYMENT,
            at=_aware(paid_at, "paid_at"),
            tariff_code=tariff_code,
            payment_id=payment_id,
            amount=amount,
            switch_now=True,
        )
        return self._accept(entry, paid_at)

    def tick(self, now: dt.datetime) -> Subscription:
        """Refresh the cached status: a period ended, grace ran out, and so on."""
        return self._refreshed(now)

    def admin_grant(
        self, *, days: int, reason: str, now: dt.datetime, tariff_code: str | None = None
    ) -> Subscription:
        if days <= 0:
            raise ValidationError({"days": "Укажите положительное число дней"})
        if not reason.strip():
            raise ValidationError({"reason": "Укажите причину"})
        entry = Entry(
            kind=EntryKind.GRANT, at=_aware(now, "now"), days=days, tariff_code=tariff_code, reason=reason
        )
        return self._accept(entry, now)

    def admin_cancel(self, *, reason: str, now: dt.datetime) -> Subscription:
        """End access now, without grace. Payments accepted later start a new period."""
        if not reason.strip():
            raise ValidationError({"reason": "Укажите причину"})
        return self._accept(Entry(kind=EntryKind.CANCEL, at=_aware(now, "now"), reason=reason), now)

    def refund(self, *, payment_id: str, now: dt.datetime) -> Subscription:
        """Take back the time a refunded payment bought. The payment id stays known, so a late
        `payment.succeeded` for it cannot extend again. Refunding twice changes nothing."""
        entry = next((e for e in self.entries if e.payment_id == payment_id), None)
        if entry is None:
            raise NotFound("Платёж не найден в этой подписке")
        if entry.refunded_at is not None:
            return self
        refunded = msgspec.structs.replace(entry, refunded_at=_aware(now, "now"))
        entries = tuple(refunded if e is entry else e for e in self.entries)
        return msgspec.structs.replace(self, entries=entries)._refreshed(now)

    def set_auto_renew(self, *, enabled: bool, payment_method_id: str | None = None) -> Subscription:
        if enabled and not (payment_method_id or self.payment_method_id):
            raise Conflict("Для автопродления нужна сохранённая карта")
        method = payment_method_id or self.payment_method_id
        return msgspec.structs.replace(self, auto_renew=enabled, payment_method_id=method)

    # --- internals ---------------------------------------------------------------------------------------
    def _accept(self, entry: Entry, moment: dt.datetime) -> Subscription:
        return msgspec.structs.replace(self, entries=(*self.entries, entry))._refreshed(moment)

    def _refreshed(self, moment: dt.datetime) -> Subscription:
        _aware(moment, "now")
        checked = max(self.checked_at, moment) if self.checked_at else moment
        segments = self.timeline()
        return msgspec.structs.replace(
            self,
            checked_at=checked,
            status=self._status_in(segments, checked),
            current_tariff_code=self._tariff_in(segments, checked),
        )
