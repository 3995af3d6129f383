"""The dashboard reads through the reports' use cases only: their deps and unit of work are its own."""

from __future__ import annotations

from stpulse.application.reports.deps import ReportsDeps as DashboardDeps
from stpulse.application.reports.deps import ReportsUnitOfWork as DashboardUnitOfWork

__all__ = ["DashboardDeps", "DashboardUnitOfWork"]
