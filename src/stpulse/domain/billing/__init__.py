"""Billing: tariffs, subscriptions, promo codes, proration, invoices and amounts in words."""

from stpulse.domain.billing.dates import add_months
from stpulse.domain.billing.invoice import InvoiceData, InvoiceLine, Requisites
from stpulse.domain.billing.promo import PromoCode, PromoKind, PromoRejected, PromoResult, apply_promo
from stpulse.domain.billing.proration import UpgradeQuote, quote_upgrade
from stpulse.domain.billing.subscription import (
    DEFAULT_GRACE_DAYS,
    DEFAULT_TRIAL_DAYS,
    STATUS_TITLES,
    Subscription,
    SubscriptionStatus,
)
from stpulse.domain.billing.tariffs import (
    BILLING_PERIODS,
    DEFAULT_PERIOD_DISCOUNTS,
    Tariff,
    TariffLimits,
    check_period,
    special_tariff,
)
from stpulse.domain.billing.timeline import Entry, EntryKind, Segment
from stpulse.domain.billing.trial import TrialRecord, check_trial_eligibility, is_trial_eligible
from stpulse.domain.billing.vat import vat_included, vat_line

__all__ = [
    "BILLING_PERIODS",
    "DEFAULT_GRACE_DAYS",
    "DEFAULT_PERIOD_DISCOUNTS",
    "DEFAULT_TRIAL_DAYS",
    "STATUS_TITLES",
    "Entry",
    "EntryKind",
    "InvoiceData",
    "InvoiceLine",
    "PromoCode",
    "PromoKind",
    "PromoRejected",
    "PromoResult",
    "Requisites",
    "Segment",
    "Subscription",
    "SubscriptionStatus",
    "Tariff",
    "TariffLimits",
    "TrialRecord",
    "UpgradeQuote",
    "add_months",
    "apply_promo",
    "check_period",
    "check_trial_eligibility",
    "is_trial_eligible",
    "quote_upgrade",
    "special_tariff",
    "vat_included",
    "vat_line",
]
