"""Realization, cash flows, balance, buyouts, compensation reports."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid

import msgspec
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.data_faults import buyout_faults
from stpulse.adapters.sandbox.ozon.http.errors import NOT_FOUND, OzonError, bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import (
    check_limit,
    check_span,
    parse,
    parse_date,
    parse_moment,
)
from stpulse.adapters.sandbox.ozon.http.state import SandboxState
from stpulse.adapters.sandbox.ozon.reference import real_accrual_types
from stpulse.adapters.sandbox.ozon.reports import buyout_rows, flows, half_month, realization_rows
from stpulse.adapters.sandbox.ozon.settlement import (
    Payment,
    invoice,
    opening_balance,
    payments,
    period_index,
    realization_ready,
)
from stpulse.adapters.sandbox.ozon.world import SellerWorld


class MonthRequest(msgspec.Struct):
    month: int
    year: int


@post("/v2/finance/realization", status_code=200)
async def realization(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, MonthRequest)
    if not 1 <= req.month <= 12 or (req.year, req.month) < limits.REALIZATION_EARLIEST:
        raise bad_request("month/year: invalid or earlier than August 2023")
    first = dt.date(req.year, req.month, 1)
    last = first.replace(day=calendar.monthrange(req.year, req.month)[1])
    if not realization_ready(world, last):
        raise OzonError(404, NOT_FOUND, "report is not ready yet")
    header = {"contract_date": "2022-01-10", "contract_number": f"ИР-{world.catalog.company_id}",
              "currency_sys_name": "RUB", "doc_date": (last + dt.timedelta(days=5)).isoformat(),
              "number": f"{world.catalog.company_id}-{req.year}{req.month:02d}", "payer_inn": "7704217370",
              "payer_kpp": "997750001", "payer_name": "ООО «Интернет Решения»", "receiver_inn": "7700000000",
              "receiver_kpp": "", "receiver_name": f"Продавец {world.catalog.company_id}",
              "start_date": first.isoformat(), "stop_date": last.isoformat()}
    return {"result": {"header": header, "rows": realization_rows(world, first, last)}}


class DayRequest(msgspec.Struct):
    day: int
    month: int
    year: int


@post("/v1/finance/realization/by-day", status_code=200)
async def realization_by_day(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, DayRequest)
    try:
        day = dt.date(req.year, req.month, req.day)
    except ValueError:
        raise bad_request("day/month/year: invalid date") from None
    if day > world.today or (world.today - day).days > limits.REALIZATION_BY_DAY_MAX_AGE_DAYS:
        raise bad_request(f"data is available for the last {limits.REALIZATION_BY_DAY_MAX_AGE_DAYS} days only")
    return {"rows": realization_rows(world, day, day)}


class Period(msgspec.Struct):
    from_: str = msgspec.field(name="from")
    to: str = ""


class CashFlowRequest(msgspec.Struct):
    date: Period
    page: int
    page_size: int
    with_details: bool = False


@post("/v1/finance/cash-flow-statement/list", status_code=200)
async def cash_flow(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, CashFlowRequest)
    check_limit(req.page_size, limits.CASH_FLOW_MAX_PAGE_SIZE, "page_size")
    check_limit(req.page, 10**6, "page")
    start = parse_moment(req.date.from_, "date.from").date()
    end = parse_moment(req.date.to, "date.to").date()
    periods = _periods(start, end)
    page = periods[(req.page - 1) * req.page_size: req.page * req.page_size]
    result: dict = {"cash_flows": [_cash_flow(world, p) for p in page],
                    "page_count": max(1, -(-len(periods) // req.page_size))}
    if req.with_details and page:
        result["details"] = _details(world, page[0])  # an object: the details of the page's first period
    return {"result": result}


def _periods(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    out, day = [], half_month(start)[0]
    while day <= end:
        out.append(half_month(day))
        day = out[-1][1] + dt.timedelta(days=1)
    return out


def _moment(day: dt.date, end: bool = False) -> str:
    """Moscow midnight at the start of `day` (or the last second of it) in UTC."""
    if end:
        return f"{day.isoformat()}T20:59:59Z"
    return f"{(day - dt.timedelta(days=1)).isoformat()}T21:00:00Z"


def _period_json(p: tuple[dt.date, dt.date]) -> dict:
    return {"begin": _moment(p[0]), "end": _moment(p[1], end=True), "id": int(p[0].strftime("%Y%m%d"))}


def _cash_flow(world: SellerWorld, p: tuple[dt.date, dt.date]) -> dict:
    f = flows(world, *p)
    return {"period": _period_json(p), "orders_amount": f.sales / 100, "returns_amount": f.returns / 100,
            "commission_amount": (f.sales_fee + f.returns_fee) / 100,
            "services_amount": sum(f.other_services.values()) / 100,
            "item_delivery_and_return_amount": f.posting_services / 100, "currency_code": "RUB"}


def _details(world: SellerWorld, p: tuple[dt.date, dt.date]) -> dict:
    f, names = flows(world, *p), _type_names()
    begin = opening_balance(world, p[0])
    paid = payments(world, *p)
    return {
        "period": _period_json(p), "begin_balance_amount": begin / 100,
        "delivery": {"total": (f.sales + f.sales_fee) / 100, "amount": f.sales / 100,
                     "delivery_services": {"total": f.posting_services / 100, "items": []}},
        "return": {"total": (f.returns + f.returns_fee) / 100, "amount": f.returns / 100,
                   "return_services": {"total": 0, "items": []}},
        "services": {"total": sum(f.other_services.values()) / 100,
                     "items": [{"name": names.get(t, str(t)), "price": v / 100} for t, v in sorted(f.other_services.items())]},
        "payments": [{"currency_code": "RUB", "payment": -x.amount / 100} for x in paid],
        "invoice_transfer": invoice(world, period_index(p[0])) / 100, "loan": 0, "rfbs": {"total": 0},
        "others": {"total": 0, "items": []},
        "end_balance_amount": (begin + f.total - sum(x.amount for x in paid)) / 100,
    }


def _type_names() -> dict[int, str]:
    return {t["id"]: t["name"] for t in real_accrual_types()}


class RangeRequest(msgspec.Struct):
    date_from: str
    date_to: str


def _money(kopecks: int) -> dict:
    return {"currency_code": "RUB", "value": kopecks / 100}


@post("/v1/finance/balance", status_code=200)
async def balance(request: Request, world: SellerWorld, sandbox: SandboxState) -> dict:
    req = await parse(request, RangeRequest)
    start, end = parse_date(req.date_from, "date_from"), parse_date(req.date_to, "date_to")
    check_span(start, end, limits.BALANCE_MAX_DAYS)
    f, names = flows(world, start, end), _type_names()
    opening = opening_balance(world, start)
    paid = payments(world, start, end)
    closing = opening + f.total - sum(x.amount for x in paid)
    shown = [x for x in paid if x != dropped_payment(sandbox, world)]
    return {
        "cashflows": {
            "sales": {"amount": _money(f.sales), "fee": _money(f.sales_fee), "amount_details": {
                "partner_programs": _money(f.sales_partner), "points_for_discounts": str(f.sales_bonus / 100),
                "revenue": _money(f.sales_revenue)}},
            "returns": {"amount": _money(f.returns), "fee": _money(f.returns_fee), "amount_details": {
                "partner_programs": _money(f.returns_partner), "points_for_discounts": str(f.returns_bonus / 100),
                "revenue": _money(f.returns_revenue)}},
            "services": [{"name": "logistics", "amount": _money(f.posting_services)}]
            + [{"name": names.get(t, str(t)), "amount": _money(v)} for t, v in sorted(f.other_services.items())],
        },
        "total": {"accrued": _money(f.total), "opening_balance": _money(opening),
                  "closing_balance": _money(closing), "payments": [_money(-x.amount) for x in shown]},
    }


def dropped_payment(sandbox: SandboxState, world: SellerWorld) -> Payment | None:
    """The fault `drop_payout_on`: the first payment of that day is missing from the balance's payments."""
    day = sandbox.config.faults.drop_payout_on
    if day is None:
        return None
    paid = payments(world, day, day)
    return paid[0] if paid else None


@post("/v1/finance/products/buyout", status_code=200)
async def products_buyout(request: Request, world: SellerWorld, sandbox: SandboxState) -> dict:
    req = await parse(request, RangeRequest)
    start, end = parse_date(req.date_from, "date_from"), parse_date(req.date_to, "date_to")
    check_span(start, end, limits.BUYOUT_MAX_DAYS)
    rows = [{k: v for k, v in r.items() if k != "amount_kopecks"} for r in buyout_rows(world, start, end)]
    return {"products": buyout_faults(sandbox.config.faults, rows)}


class ReportRequest(msgspec.Struct):
    date: str
    language: str = "RU"


async def _report_code(request: Request, world: SellerWorld, kind: str) -> dict:
    req = await parse(request, ReportRequest)
    try:
        dt.date.fromisoformat(req.date + "-01")
    except ValueError:
        raise bad_request("date: expected YYYY-MM") from None
    code = uuid.uuid5(uuid.NAMESPACE_URL, f"stpulse-sandbox/{kind}/{world.seed}/{req.date}/{req.language}")
    return {"result": {"code": str(code)}}


@post("/v1/finance/compensation", status_code=200)
async def compensation(request: Request, world: SellerWorld) -> dict:
    return await _report_code(request, world, "compensation")


@post("/v1/finance/decompensation", status_code=200)
async def decompensation(request: Request, world: SellerWorld) -> dict:
    return await _report_code(request, world, "decompensation")
