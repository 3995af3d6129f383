"""/v1/returns/list: one record per returned product line, ids ascending by return date."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.http.errors import bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import check_limit, parse, parse_moment
from stpulse.adapters.sandbox.ozon.origin import day_of, order_id, order_number, posting_number
from stpulse.adapters.sandbox.ozon.postings import (
    MSK,
    ReturnRef,
    compensation_status,
    iso_utc,
    return_reason,
    returns_on,
    utilised,
)
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.world import SellerWorld


class TimeRange(msgspec.Struct):
    time_from: str = ""
    time_to: str = ""


class ReturnsFilter(msgspec.Struct):
    logistic_return_date: TimeRange | None = None
    storage_tariffication_start_date: TimeRange | None = None
    visual_status_change_moment: TimeRange | None = None
    posting_numbers: list[str] = []
    offer_id: str = ""
    return_schema: str = ""


class ReturnsRequest(msgspec.Struct):
    limit: int
    filter: ReturnsFilter = msgspec.field(default_factory=ReturnsFilter)
    last_id: int = 0


def _date_range(world: SellerWorld, f: ReturnsFilter) -> tuple[dt.date, dt.date]:
    ranges = [r for r in (f.logistic_return_date, f.storage_tariffication_start_date,
                          f.visual_status_change_moment) if r is not None]
    if len(ranges) > 1:
        raise bad_request("use only one of logistic_return_date, storage_tariffication_start_date, "
                          "visual_status_change_moment")
    if not ranges:
        return world.start, world.today
    r = ranges[0]
    start = parse_moment(r.time_from, "time_from").astimezone(MSK).date() if r.time_from else world.start
    end = parse_moment(r.time_to, "time_to").astimezone(MSK).date() if r.time_to else world.today
    return start, end


@post("/v1/returns/list", status_code=200)
async def returns_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, ReturnsRequest)
    check_limit(req.limit, limits.RETURNS_MAX_LIMIT)
    if len(req.filter.posting_numbers) > limits.RETURNS_MAX_POSTINGS:
        raise bad_request(f"posting_numbers: at most {limits.RETURNS_MAX_POSTINGS}")
    start, end = _date_range(world, req.filter)
    if req.last_id:
        start = max(start, day_of((req.last_id // 100_000) % 100_000))
    out: list[dict] = []
    more = False
    for day in world.days(start, end):
        for ref in returns_on(world, day):
            if ref.return_id(world.salt) <= req.last_id or not _matches(world, ref, req.filter):
                continue
            if len(out) == req.limit:
                more = True
                break
            out.append(_return_json(world, ref))
        if more:
            break
    return {"returns": out, "has_next": more}


def _matches(world: SellerWorld, ref: ReturnRef, f: ReturnsFilter) -> bool:
    o = ref.origin
    if f.posting_numbers and posting_number(world.salt, o.index, ref.posting) not in f.posting_numbers:
        return False
    if f.offer_id and world.catalog.offer_id(int(o.sku_pos[ref.line])) != f.offer_id:
        return False
    return not f.return_schema or f.return_schema.upper() == ("FBS" if o.fbs[ref.posting] else "FBO")


def _return_json(world: SellerWorld, ref: ReturnRef) -> dict:
    o, c, line = ref.origin, world.catalog, ref.line
    pos = int(o.sku_pos[line])
    wid, wname, _, _ = fbo_warehouses()[int(o.warehouse[ref.posting])]
    moment = iso_utc(dt.datetime.combine(ref.day, dt.time(12), tzinfo=MSK))
    price, commission = int(o.price[line]) * int(o.qty[line]), -int(o.commission[line])
    back_home = (world.today - ref.day).days > 10
    status_id, status_name, status_sys = ((7, "Возвращён продавцу", "ReturnedToSeller") if back_home
                                          else (3, "В пути на склад", "MovingToSeller"))
    if back_home and utilised(world, ref):
        status_id, status_name, status_sys = 12, "Утилизирован", "Utilized"
    place = {"id": wid, "name": wname, "address": f"Россия, {wname}"}
    return {
        "id": ref.return_id(world.salt), "company_id": c.company_id, "return_reason_name": return_reason(ref),
        "type": ref.kind, "schema": "Fbs" if o.fbs[ref.posting] else "Fbo",
        "order_id": order_id(world.salt, o.index, ref.posting), "order_number": order_number(world.salt, o.index, ref.posting),
        "posting_number": posting_number(world.salt, o.index, ref.posting), "place": place, "target_place": place,
        "product": {"sku": int(c.sku[pos]), "offer_id": c.offer_id(pos), "name": c.name(pos),
                    "price": {"currency_code": "RUB", "price": price / 100},
                    "price_without_commission": {"currency_code": "RUB", "price": (price - commission) / 100},
                    "commission_percent": int(o.commission_bp[line]) / 100,
                    "commission": {"currency_code": "RUB", "price": commission / 100}, "quantity": int(o.qty[line])},
        "logistic": {"return_date": moment, "technical_return_moment": moment,
                     "final_moment": moment if back_home else None, "cancelled_with_compensation_moment": None,
                     "barcode": f"ii{ref.return_id(world.salt) % 10**10:010d}"},
        "visual": {"status": {"id": status_id, "display_name": status_name, "sys_name": status_sys},
                   "change_moment": moment},
        "additional_info": {"is_opened": False, "is_super_econom": False},
        "exemplars": [{"id": ref.return_id(world.salt) * 10 + k} for k in range(int(o.qty[line]))],
        "source_id": 0, "clearing_id": 0, "return_clearing_id": None, "storage": None,
        "compensation_status": compensation_status(world, ref),
    }
