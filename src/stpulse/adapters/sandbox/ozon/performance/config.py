"""Ad accounts of the Performance API sandbox and Ozon's limits on its asynchronous statistics."""

from __future__ import annotations

from dataclasses import dataclass

TOKEN_SECONDS = 1800  # a token lives 30 minutes; there is no refresh token
MAX_RUNNING_PER_ACCOUNT = 1  # «Превышен лимит активных запросов (максимум 1)»
MAX_RUNNING_PER_ORGANISATION = 5
MAX_CAMPAIGNS_PER_REPORT = 10
MAX_DAYS_PER_REPORT = 62
MSG_ACCOUNT_LIMIT = "Превышен лимит активных запросов (максимум 1)"
MSG_ORGANISATION_LIMIT = "Превышен лимит активных запросов организации (максимум 5)"


@dataclass(frozen=True, kw_only=True)
class AdAccountConfig:
    """One Performance key: it opens the ad account of `seller` (a Seller API Client-Id of the same sandbox).

    A seller may have several ad accounts, in one organisation or in several; the seller's campaigns charged
    through accruals are dealt round-robin over its accounts in the order they are configured."""

    client_id: str  # NNN-NNN@advertising.performance.ozon.ru
    client_secret: str
    seller: str
    organisation: str


@dataclass(kw_only=True)
class PerformanceConfig:
    accounts: list[AdAccountConfig]
    # generation of a statistics report: base seconds plus seconds per campaign-day asked for
    report_base_seconds: float = 0.0
    report_seconds_per_campaign_day: float = 0.0

    def report_seconds(self, campaigns: int, days: int) -> float:
        return self.report_base_seconds + self.report_seconds_per_campaign_day * campaigns * days


def ad_client_id(number: int) -> str:
    return f"{number // 1000:03d}-{number % 1000:03d}@advertising.performance.ozon.ru"
