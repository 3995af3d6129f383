"""/v2/posting/fbo/list, /v3/posting/fbs/list, /v1/returns/list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import msgspec
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.http.errors import bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import check_limit, parse, parse_moment
from stpulse.adapters.sandbox.ozon.origin import OriginDay
from stpulse.adapters.sandbox.ozon.postings import (
    cancel_reason,
    financial_data,
    posting_head,
    posting_products,
    select_postings,
    statuses,
)
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.world import SellerWorld


class PostingFilter(msgspec.Struct):
    since: str
    to: str
    status: str = ""


class With(msgspec.Struct):
    analytics_data: bool = False
    financial_data: bool = False
    legal_info: bool = False
    barcodes: bool = False
    translit: bool = False


class PostingListRequest(msgspec.Struct):
    filter: PostingFilter
    limit: int
    offset: int = 0
    dir: str = "ASC"
    with_: With = msgspec.field(name="with", default_factory=With)
    translit: bool = False


def _window(req: PostingListRequest, max_offset: int | None) -> tuple[dt.datetime, dt.datetime]:
    check_limit(req.limit, limits.POSTING_LIST_MAX_LIMIT)
    if req.offset < 0 or (max_offset is not None and req.offset > max_offset):
        raise bad_request(f"offset must be between 0 and {max_offset}")
    since, to = parse_moment(req.filter.since, "filter.since"), parse_moment(req.filter.to, "filter.to")
    if to < since:
        raise bad_request("filter: 'to' is before 'since'")
    if (to - since).days >= limits.POSTING_MAX_PERIOD_DAYS:
        raise bad_request("PERIOD_IS_TOO_LONG")
    return since, to


def _page(world: SellerWorld, fbs: bool, req: PostingListRequest, since: dt.datetime, to: dt.datetime
          ) -> tuple[list[tuple[OriginDay, int, str]], bool]:
    """Postings [offset, offset + limit) in the requested direction, and whether more follow."""
    chunks = list(select_postings(world, fbs, since, to, req.filter.status or None))
    desc = req.dir.upper() == "DESC"

    def ordered() -> Iterator[tuple[OriginDay, int]]:
        for o, picked in (reversed(chunks) if desc else chunks):
            yield from ((o, int(i)) for i in (picked[::-1] if desc else picked))

    out: list[tuple[OriginDay, int, str]] = []
    skipped, more = 0, False
    for o, i in ordered():
        if skipped < req.offset:
            skipped += 1
            continue
        if len(out) == req.limit:
            more = True
            break
        out.append((o, i, ""))
    status_cache: dict[int, object] = {}
    return [(o, i, _status(world, o, i, status_cache)) for o, i, _ in out], more


def _status(world: SellerWorld, o: OriginDay, i: int, cache: dict) -> str:
    if o.index not in cache:
        cache[o.index] = statuses(o, world.today)
    return str(cache[o.index][i])


def _analytics(o: OriginDay, i: int) -> dict:
    wid, wname, _, _ = fbo_warehouses()[int(o.warehouse[i])]
    return {"city": "Москва", "delivery_type": "PVZ", "is_premium": bool(i % 7 == 0),
            "payment_type_group_name": "картой онлайн", "warehouse_id": wid, "warehouse_name": wname,
            "is_legal": False}


@post("/v2/posting/fbo/list", status_code=200)
async def fbo_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, PostingListRequest)
    since, to = _window(req, limits.FBO_MAX_OFFSET)
    page, _ = _page(world, False, req, since, to)
    return {"result": [_fbo_posting(world, req.with_, o, i, status) for o, i, status in page]}


def _fbo_posting(world: SellerWorld, w: With, o: OriginDay, i: int, status: str) -> dict:
    item = posting_head(world, o, i, status)
    item["cancel_reason_id"] = cancel_reason(o, i)[0]
    item["substatus"] = f"posting_{status}"
    item["products"] = [{**p, "digital_codes": []} for p in posting_products(world, o, i, 2)]
    item["analytics_data"] = _analytics(o, i) if w.analytics_data else None
    item["financial_data"] = financial_data(world, o, i) if w.financial_data else None
    item["legal_info"] = {"company_name": "", "inn": "", "kpp": ""} if w.legal_info else None
    item["additional_data"] = []
    return item


@post("/v3/posting/fbs/list", status_code=200)
async def fbs_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, PostingListRequest)
    since, to = _window(req, None)
    page, more = _page(world, True, req, since, to)
    return {"result": {"postings": [_fbs_posting(world, req.with_, o, i, s) for o, i, s in page], "has_next": more}}


def _fbs_posting(world: SellerWorld, w: With, o: OriginDay, i: int, status: str) -> dict:
    item = posting_head(world, o, i, status)
    reason_id, reason = cancel_reason(o, i)
    wid = world.catalog.fbs_warehouse_id
    shipped = o.day + dt.timedelta(days=1)
    item.update({
        "substatus": f"posting_{status}", "tracking_number": "", "tpl_integration_type": "ozon",
        "delivery_method": {"id": wid, "name": "Ozon Логистика самостоятельно", "warehouse_id": wid,
                            "warehouse": "Склад продавца", "tpl_provider_id": 24, "tpl_provider": "Ozon Логистика"},
        "shipment_date": f"{shipped.isoformat()}T10:00:00Z",
        "delivering_date": f"{shipped.isoformat()}T14:00:00Z" if status != "awaiting_packaging" else None,
        "cancellation": {"cancel_reason_id": reason_id, "cancel_reason": reason,
                         "cancellation_type": "client" if reason_id else "", "cancelled_after_ship": bool(o.after_ship[i]),
                         "affect_cancellation_rating": False, "cancellation_initiator": "Клиент" if reason_id else ""},
        "customer": None, "addressee": None, "is_express": False, "parent_posting_number": "",
        "products": posting_products(world, o, i, 6),
        "barcodes": {"upper_barcode": f"%{o.index}{i:05d}%", "lower_barcode": f"{o.index}{i:05d}"} if w.barcodes else None,
        "analytics_data": _analytics(o, i) if w.analytics_data else None,
        "financial_data": financial_data(world, o, i) if w.financial_data else None,
        "legal_info": {"company_name": "", "inn": "", "kpp": ""} if w.legal_info else None,
        "requirements": {"products_requiring_gtd": [], "products_requiring_country": [],
                         "products_requiring_mandatory_mark": [], "products_requiring_rnpt": []},
    })
    return item

