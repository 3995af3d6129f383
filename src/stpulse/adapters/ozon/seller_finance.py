"""Finance calls of the Seller API: accruals by day, buyouts, compensations, realization, cash flow, balance."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

from stpulse.adapters.ozon import mapping_finance as mf
from stpulse.adapters.ozon import paging as pg
from stpulse.adapters.ozon import wire_finance as w
from stpulse.adapters.ozon.accruals import normalise_accrual
from stpulse.adapters.ozon.client import OzonHttp
from stpulse.adapters.ozon.convert import rfc3339
from stpulse.application.ozon.finance_records import (
    BalanceReport,
    CashFlowPeriod,
    RealizationReport,
    RealizationRow,
)
from stpulse.application.ozon.records import AccrualPage, AccrualType, BuyoutRow, OzonReport

ACCRUALS = "/v1/finance/accrual/by-day"
ACCRUAL_TYPES = "/v1/finance/accrual/types"
BUYOUT = "/v1/finance/products/buyout"
COMPENSATION = "/v1/finance/compensation"
DECOMPENSATION = "/v1/finance/decompensation"
REPORT_INFO = "/v1/report/info"
REALIZATION = "/v2/finance/realization"
REALIZATION_BY_DAY = "/v1/finance/realization/by-day"
CASH_FLOW = "/v1/finance/cash-flow-statement/list"
BALANCE = "/v1/finance/balance"

REPORT_POLL_ATTEMPTS = 30
REPORT_POLL_SECONDS = 2.0


class FinanceCalls:
    _http: OzonHttp

    async def check_access(self) -> None:
        """The cheapest call that needs a valid key; raises OzonKeyInvalid / OzonAccessDenied."""
        await self._http.post(ACCRUAL_TYPES, {})

    async def accrual_types(self) -> list[AccrualType]:
        answer = await self._http.post_as(ACCRUAL_TYPES, {}, w.AccrualTypes)
        return [
            AccrualType(id=t.id, name=t.name, description=t.description) for t in answer.accrual_types or []
        ]

    async def accruals_by_day(self, day: dt.date) -> AsyncIterator[AccrualPage]:
        """Every accrual of one day, a page at a time. Ozon has no `has_next` here: the last page is the
        one that answers an empty `last_id` (or no accruals); a `last_id` that does not move also stops,
        so a misbehaving server cannot loop us forever."""
        last_id, page_no = "", 0
        while True:
            answer = await self._http.post_as(ACCRUALS, {"date": day.isoformat(), "last_id": last_id}, w.AccrualByDay)
            raws, next_id = answer.accruals or [], answer.last_id or ""
            if raws:
                page_no += 1
                records = tuple(normalise_accrual(raw, day) for raw in raws)
                yield AccrualPage(date=day, page_no=page_no, records=records, last_id=next_id)
            if not raws or not next_id or next_id == last_id:
                return
            last_id = next_id

    async def products_buyout(self, date_from: dt.date, date_to: dt.date) -> list[BuyoutRow]:
        rows: list[BuyoutRow] = []
        for lo, hi in pg.date_chunks(date_from, date_to, pg.BUYOUT_MAX_DAYS):
            body = {"date_from": lo.isoformat(), "date_to": hi.isoformat()}
            answer = await self._http.post_as(BUYOUT, body, w.BuyoutProducts)
            rows += [mf.buyout(raw, BUYOUT) for raw in answer.products or []]
        return rows

    async def compensations(self, year: int, month: int) -> OzonReport:
        return await self._monthly_report(COMPENSATION, year, month)

    async def decompensations(self, year: int, month: int) -> OzonReport:
        return await self._monthly_report(DECOMPENSATION, year, month)

    async def _monthly_report(self, path: str, year: int, month: int) -> OzonReport:
        """Ask Ozon to build the report, then poll `/v1/report/info` until it is ready (or give up and
        return what we have: the caller can poll again with `report_status`)."""
        answer = await self._http.post_as(path, {"date": f"{year:04d}-{month:02d}", "language": "RU"},
                                          w.ReportCodeAnswer)
        code = answer.result.code if answer.result else ""
        report = OzonReport(code=code, status="waiting", file_url="", error="")
        for _ in range(REPORT_POLL_ATTEMPTS):
            report = await self.report_status(code)
            if report.status in ("success", "failed"):
                break
            await self._http.sleep(REPORT_POLL_SECONDS)
        return report

    async def report_status(self, code: str) -> OzonReport:
        answer = await self._http.post_as(REPORT_INFO, {"code": code}, w.ReportInfoAnswer)
        return mf.report(answer.result, code, REPORT_INFO)

    async def report_file(self, url: str) -> bytes:
        return await self._http.download(url)

    async def realization(self, year: int, month: int) -> RealizationReport:
        answer = await self._http.post_as(REALIZATION, {"month": month, "year": year}, w.RealizationAnswer)
        return mf.realization(answer, year, month, REALIZATION)

    async def realization_by_day(self, day: dt.date) -> tuple[RealizationRow, ...]:
        """The realization report's rows of one day (Ozon keeps the last 32 days)."""
        raw = await self._http.post(REALIZATION_BY_DAY, {"day": day.day, "month": day.month, "year": day.year})
        return mf.realization_day(raw, REALIZATION_BY_DAY)

    async def cash_flow(self, date_from: dt.date, date_to: dt.date) -> list[CashFlowPeriod]:
        periods: list[CashFlowPeriod] = []
        page, page_count = 1, 1
        span = {"from": rfc3339(pg.day_start(date_from)), "to": rfc3339(pg.day_end(date_to))}
        while page <= page_count:
            body = {"date": span, "page": page, "page_size": pg.CASH_FLOW_PAGE_SIZE, "with_details": True}
            result = (await self._http.post_as(CASH_FLOW, body, w.CashFlowAnswer)).result or w.CashFlowResult()
            flows = result.cash_flows or []
            periods += [mf.cash_flow(raw, result.details, CASH_FLOW) for raw in flows]
            if not flows:
                break
            page_count, page = result.page_count or 0, page + 1
        return periods

    async def balance(self, date_from: dt.date, date_to: dt.date) -> list[BalanceReport]:
        reports: list[BalanceReport] = []
        for lo, hi in pg.date_chunks(date_from, date_to, pg.BALANCE_MAX_DAYS):
            raw = await self._http.post(BALANCE, {"date_from": lo.isoformat(), "date_to": hi.isoformat()})
            reports.append(mf.balance(raw, lo, hi, BALANCE))
        return reports
