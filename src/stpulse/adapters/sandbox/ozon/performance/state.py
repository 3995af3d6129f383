"""The running Performance sandbox: tokens, the accounts' worlds and the asynchronous statistics reports."""

from __future__ import annotations

import datetime as dt
import secrets
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from stpulse.adapters.sandbox.ozon.http.state import SandboxState
from stpulse.adapters.sandbox.ozon.performance.config import (
    MAX_RUNNING_PER_ACCOUNT,
    MAX_RUNNING_PER_ORGANISATION,
    TOKEN_SECONDS,
    AdAccountConfig,
    PerformanceConfig,
)
from stpulse.adapters.sandbox.ozon.performance.world import PerformanceWorld


@dataclass
class Report:
    uuid: str
    account: AdAccountConfig
    campaigns: tuple[int, ...]
    date_from: dt.date
    date_to: dt.date
    group_by: str
    created: float
    ready_at: float
    created_at: dt.datetime
    body: Any = None  # the answer, built while the report is «in progress» (an awaitable)

    def running(self, now: float) -> bool:
        return now < self.ready_at


@dataclass
class Counters:
    requests: int = 0
    refusals_429: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    # the most reports running at once per ad account and per organisation (tests check the limits were used)
    peak_account: Counter[str] = field(default_factory=Counter)
    peak_organisation: Counter[str] = field(default_factory=Counter)


class PerformanceState:
    def __init__(self, config: PerformanceConfig, sellers: SandboxState, clock=time.monotonic) -> None:
        self.config, self.sellers, self.clock = config, sellers, clock
        self.accounts = {a.client_id: a for a in config.accounts}
        self.tokens: dict[str, tuple[str, float]] = {}
        self.reports: dict[str, Report] = {}
        self.worlds: dict[str, PerformanceWorld] = {}
        self.counters = Counters()

    def revoked(self, client_id: str) -> bool:
        return client_id in self.sellers.config.faults.revoked_client_ids

    def issue_token(self, account: AdAccountConfig) -> str:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = (account.client_id, self.clock() + TOKEN_SECONDS)
        return token

    def account_for(self, token: str) -> AdAccountConfig | None:
        client_id, expires = self.tokens.get(token, ("", 0.0))
        if self.clock() >= expires or client_id not in self.accounts or self.revoked(client_id):
            return None
        return self.accounts[client_id]

    def world(self, account: AdAccountConfig) -> PerformanceWorld:
        if account.client_id not in self.worlds:
            siblings = [a.client_id for a in self.config.accounts if a.seller == account.seller]
            seller = self.sellers.world(account.seller)
            self.worlds[account.client_id] = PerformanceWorld(seller, siblings.index(account.client_id), len(siblings))
        return self.worlds[account.client_id]

    def limit_refusal(self, account: AdAccountConfig) -> int | None:
        """The limit a new report would break (1 per account, 5 per organisation), or None."""
        now = self.clock()
        running = [r for r in self.reports.values() if r.running(now)]
        if sum(r.account.client_id == account.client_id for r in running) >= MAX_RUNNING_PER_ACCOUNT:
            return MAX_RUNNING_PER_ACCOUNT
        if sum(r.account.organisation == account.organisation for r in running) >= MAX_RUNNING_PER_ORGANISATION:
            return MAX_RUNNING_PER_ORGANISATION
        return None

    def start_report(self, account: AdAccountConfig, campaigns: tuple[int, ...], date_from: dt.date,
                     date_to: dt.date, group_by: str) -> Report:
        now = self.clock()
        days = (date_to - date_from).days + 1
        report = Report(uuid=str(uuid.uuid4()), account=account, campaigns=campaigns, date_from=date_from,
                        date_to=date_to, group_by=group_by, created=now,
                        ready_at=now + self.config.report_seconds(len(campaigns), days),
                        created_at=dt.datetime.now(dt.UTC))
        self.reports[report.uuid] = report
        running = [r for r in self.reports.values() if r.running(now)]
        for counter, name, same in ((self.counters.peak_account, account.client_id, lambda r: r.account.client_id),
                                    (self.counters.peak_organisation, account.organisation,
                                     lambda r: r.account.organisation)):
            counter[name] = max(counter[name], sum(same(r) == name for r in running))
        return report
