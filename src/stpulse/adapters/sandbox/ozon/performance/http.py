"""The Performance API at Ozon's paths: OAuth token, campaigns, asynchronous and synchronous statistics.

Numbers are strings, as Ozon sends them: money in roubles with a decimal comma in the statistics, budgets in
millionths of a rouble. Errors are Ozon's `{"error": …}`.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import Provide
from litestar.exceptions import HTTPException

from stpulse.adapters.sandbox.ozon.performance.config import (
    MAX_CAMPAIGNS_PER_REPORT,
    MAX_DAYS_PER_REPORT,
    MSG_ACCOUNT_LIMIT,
    MSG_ORGANISATION_LIMIT,
    TOKEN_SECONDS,
    AdAccountConfig,
)
from stpulse.adapters.sandbox.ozon.performance.state import PerformanceState, Report
from stpulse.adapters.sandbox.ozon.performance.world import Campaign, PerformanceWorld


class PerformanceError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _error(_: Request, exc: PerformanceError) -> Response:
    return Response({"error": exc.message}, status_code=exc.status)


def _http_error(_: Request, exc: HTTPException) -> Response:
    return Response({"error": str(exc.detail)}, status_code=exc.status_code)


def rub(kopecks: int) -> str:
    """Roubles with a decimal comma, as the statistics show them."""
    return f"{kopecks // 100},{kopecks % 100:02d}"


class TokenBody(msgspec.Struct):
    client_id: str = ""
    client_secret: str = ""
    grant_type: str = ""


class StatisticsBody(msgspec.Struct):
    campaigns: list[str] = []
    dateFrom: str = ""  # noqa: N815 (Ozon's field names)
    dateTo: str = ""  # noqa: N815
    groupBy: str = "NO_GROUP_BY"  # noqa: N815


def _decode(body: bytes, kind: type) -> object:
    try:
        return msgspec.json.decode(body or b"{}", type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise PerformanceError(400, f"invalid request: {exc}") from None


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise PerformanceError(400, f"{name}: неверная дата {value!r}") from None


@post("/api/client/token", status_code=200, opt={"no_auth": True})
async def token(request: Request, perf: PerformanceState) -> dict:
    body = _decode(await request.body(), TokenBody)
    assert isinstance(body, TokenBody)
    account = perf.accounts.get(body.client_id)
    if body.grant_type != "client_credentials":
        raise PerformanceError(400, "grant_type: client_credentials")
    if account is None or account.client_secret != body.client_secret or perf.revoked(body.client_id):
        raise PerformanceError(401, "invalid client credentials")
    return {"access_token": perf.issue_token(account), "expires_in": TOKEN_SECONDS, "token_type": "Bearer"}


def _campaign_json(c: Campaign) -> dict:
    return {"id": str(c.id), "title": c.title, "state": "CAMPAIGN_STATE_RUNNING", "advObjectType": c.adv_type,
            "paymentType": c.payment, "fromDate": "", "toDate": "", "dailyBudget": str(c.daily_budget * 10_000),
            "budget": "0", "weeklyBudget": "0", "placement": ["PLACEMENT_TOP_PROMOTION"],
            "createdAt": "2024-01-10T09:00:00Z", "updatedAt": "2024-01-10T09:00:00Z"}


@get("/api/client/campaign")
async def campaigns(world: PerformanceWorld) -> dict:
    return {"list": [_campaign_json(c) for c in world.campaigns], "total": str(len(world.campaigns))}


@get("/api/client/campaign/{campaign_id:str}/objects")
async def campaign_objects(campaign_id: str, world: PerformanceWorld) -> dict:
    c = world.by_id.get(int(campaign_id)) if campaign_id.isdigit() else None
    if c is None:
        raise PerformanceError(404, "campaign not found")
    skus = world.seller.catalog.sku
    return {"list": [{"id": str(int(skus[p]))} for p in c.sku_positions] or [{"id": str(c.id * 10 + 1)}]}


@post("/api/client/statistics/json", status_code=200)
async def submit_statistics(request: Request, perf: PerformanceState, account: AdAccountConfig,
                            world: PerformanceWorld) -> dict:
    body = _decode(await request.body(), StatisticsBody)
    assert isinstance(body, StatisticsBody)
    ids = tuple(int(c) for c in body.campaigns if c.isdigit())
    if not ids or len(ids) != len(body.campaigns):
        raise PerformanceError(400, "campaigns: укажите идентификаторы кампаний")
    if len(ids) > MAX_CAMPAIGNS_PER_REPORT:
        raise PerformanceError(400, f"campaigns: не больше {MAX_CAMPAIGNS_PER_REPORT} кампаний в отчёте")
    if unknown := [i for i in ids if i not in world.by_id]:
        raise PerformanceError(404, f"campaigns: кампания {unknown[0]} не найдена")
    first, last = _date(body.dateFrom, "dateFrom"), _date(body.dateTo, "dateTo")
    if last < first or (last - first).days + 1 > MAX_DAYS_PER_REPORT:
        raise PerformanceError(400, f"Максимальный период отчёта — {MAX_DAYS_PER_REPORT} дня")
    limit = perf.limit_refusal(account)
    if limit is not None:
        perf.counters.refusals_429 += 1
        raise PerformanceError(429, MSG_ACCOUNT_LIMIT if limit == 1 else MSG_ORGANISATION_LIMIT)
    report = perf.start_report(account, ids, first, last, body.groupBy)
    # Ozon builds the report while it is «in progress»: so does the sandbox, off the request
    report.body = asyncio.get_running_loop().run_in_executor(None, _report_body, world, report)
    return {"UUID": report.uuid, "vendor": False}


def _report(perf: PerformanceState, account: AdAccountConfig, report_id: str):
    report = perf.reports.get(report_id)
    if report is None or report.account.client_id != account.client_id:
        raise PerformanceError(404, "report not found")
    return report


@get("/api/client/statistics/{report_id:str}")
async def statistics_state(report_id: str, perf: PerformanceState, account: AdAccountConfig) -> dict:
    report = _report(perf, account, report_id)
    now = perf.clock()
    done = not report.running(now)
    updated = report.created_at + dt.timedelta(seconds=(report.ready_at if done else now) - report.created)
    body = {"UUID": report.uuid, "state": "OK" if done else "IN_PROGRESS", "kind": "STATS",
            "createdAt": report.created_at.isoformat().replace("+00:00", "Z"),
            "updatedAt": updated.isoformat().replace("+00:00", "Z"),
            "request": {"campaigns": [str(c) for c in report.campaigns], "dateFrom": report.date_from.isoformat(),
                        "dateTo": report.date_to.isoformat(), "groupBy": report.group_by}}
    if done:
        body["link"] = f"/api/client/statistics/report?UUID={report.uuid}"
    return body


@get("/api/client/statistics/report")
async def statistics_report(request: Request, perf: PerformanceState, account: AdAccountConfig,
                            world: PerformanceWorld) -> dict:
    report = _report(perf, account, request.query_params.get("UUID", ""))
    if report.running(perf.clock()):
        raise PerformanceError(400, "report is not ready")
    return await report.body if report.body is not None else _report_body(world, report)


def _report_body(world: PerformanceWorld, report: Report) -> dict:
    out: dict[str, dict] = {str(c): {"title": world.by_id[c].title, "report": {"rows": []}} for c in report.campaigns}
    for day, cid, sku, spend, views, clicks, orders, revenue in world.rows(report.date_from, report.date_to,
                                                                          set(report.campaigns)):
        out[str(cid)]["report"]["rows"].append({
            "date": day.strftime("%d.%m.%Y"), "sku": str(sku) if sku else "", "views": str(views),
            "clicks": str(clicks), "moneySpent": rub(spend), "orders": str(orders), "ordersMoney": rub(revenue)})
    return out


def _sync_period(request: Request, world: PerformanceWorld) -> tuple[dt.date, dt.date, set[int] | None]:
    q = request.query_params
    today = world.seller.today
    last = _date(q["dateTo"], "dateTo") if q.get("dateTo") else today
    first = _date(q["dateFrom"], "dateFrom") if q.get("dateFrom") else last - dt.timedelta(days=6)
    ids = {int(c) for c in q.getall("campaignIds", []) if c.isdigit()} or None
    return first, last, ids


def _campaign_days(request: Request, world: PerformanceWorld) -> dict[tuple[int, dt.date], list[int]]:
    first, last, ids = _sync_period(request, world)
    sums: dict[tuple[int, dt.date], list[int]] = {}
    for day, cid, _sku, spend, views, clicks, orders, revenue in world.rows(first, last, ids):
        acc = sums.setdefault((cid, day), [0, 0, 0, 0, 0])
        for i, v in enumerate((spend, views, clicks, orders, revenue)):
            acc[i] += v
    return sums


@get("/api/client/statistics/daily/json")
async def daily(request: Request, world: PerformanceWorld) -> dict:
    return {"rows": [{"id": str(cid), "title": world.by_id[cid].title, "date": day.isoformat(),
                      "views": str(v), "clicks": str(cl), "moneySpent": rub(s), "avgBid": rub(s // max(cl, 1)),
                      "orders": str(o), "ordersMoney": rub(r)}
                     for (cid, day), (s, v, cl, o, r) in sorted(_campaign_days(request, world).items())]}


@get("/api/client/statistics/expense/json")
async def expense(request: Request, world: PerformanceWorld) -> dict:
    return {"rows": [{"id": str(cid), "title": world.by_id[cid].title, "date": day.isoformat(),
                      "moneySpent": rub(s), "bonusSpent": "0,00", "prepaymentSpent": rub(s)}
                     for (cid, day), (s, *_rest) in sorted(_campaign_days(request, world).items())]}


HANDLERS = (token, campaigns, campaign_objects, submit_statistics, statistics_report, statistics_state, daily, expense)


def performance_router(perf: PerformanceState, path: str = "/") -> Router:
    async def guard(request: Request) -> Response | None:
        perf.counters.requests += 1
        perf.counters.by_path[request.route_handler.paths.copy().pop()] += 1
        if request.route_handler.opt.get("no_auth"):
            return None
        header = request.headers.get("authorization", "")
        account = perf.account_for(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
        if account is None:
            return Response({"error": "Unauthorized: token is invalid or expired"}, status_code=401)
        request.state.account = account
        return None

    def provide_account(request: Request) -> AdAccountConfig:
        return request.state.account

    def provide_world(request: Request) -> PerformanceWorld:
        return perf.world(request.state.account)

    return Router(path, route_handlers=list(HANDLERS), before_request=guard, include_in_schema=False,
                  dependencies={"perf": Provide(lambda: perf, sync_to_thread=False),
                                "account": Provide(provide_account, sync_to_thread=False),
                                "world": Provide(provide_world, sync_to_thread=False)},
                  exception_handlers={PerformanceError: _error, HTTPException: _http_error})
