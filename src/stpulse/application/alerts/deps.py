"""What the alert use cases receive: the reports' read unit of work plus the alerts, the ledger queue and the
sent log; mail for urgent alerts and the digest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.alerts.ports import AlertRepository
from stpulse.application.kernel.deps import AppConfig
from stpulse.application.kernel.ports import Mailer, MailTemplates, NoticeLog
from stpulse.application.reports.deps import ReportsDeps, ReportsUnitOfWork


class AlertsUnitOfWork(ReportsUnitOfWork, Protocol):
    @property
    def alerts(self) -> AlertRepository: ...
    @property
    def notices(self) -> NoticeLog: ...


class AlertsDeps(ReportsDeps, Protocol):
    @property
    def uow(self) -> Callable[[], AlertsUnitOfWork]: ...
    @property
    def config(self) -> AppConfig: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def mail_templates(self) -> MailTemplates: ...
