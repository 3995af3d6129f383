"""/v3/posting/fbo/list and /v4/posting/fbs/list (cursor paging), and the methods they replaced.

The cursor is opaque to the client: base64 of a small JSON keyset, shaped like the one in Ozon's own example
(`{"fields": [{"name": …, "dir": …, "val": …}, …]}`), naming the last posting served. The next page starts right
after it, so a page costs only the days it covers. `/v2/posting/fbo/list` and `/v3/posting/fbs/list` were switched
off on 1 June 2026 and answer as Ozon answers a switched-off method (400, code 9, "obsolete method cannot be used").
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

import msgspec
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.http.errors import (
    FAILED_PRECONDITION,
    MSG_OBSOLETE,
    OzonError,
    bad_request,
)
from stpulse.adapters.sandbox.ozon.http.parsing import check_limit, parse, parse_moment
from stpulse.adapters.sandbox.ozon.origin import MAX_POSTINGS_PER_DAY, OriginDay
from stpulse.adapters.sandbox.ozon.postings import (
    cancel_reason,
    created_at,
    financial_data,
    iso_utc,
    posting_head,
    posting_products,
    select_postings,
    statuses,
)
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.world import SellerWorld

FBO_STATUSES = frozenset({"awaiting_packaging", "awaiting_deliver", "delivering", "delivered", "cancelled"})
_ID_BASE = MAX_POSTINGS_PER_DAY + 1  # posting id in the cursor = day index × _ID_BASE + index inside the day


class PostingFilter(msgspec.Struct, kw_only=True):
    since: str = ""
    to: str = ""
    statuses: list[str] = []
    posting_numbers: list[str] = []
    order_numbers: list[str] = []


class With(msgspec.Struct, kw_only=True):
    analytics_data: bool = False
    financial_data: bool = False
    legal_info: bool = False
    barcodes: bool = False  # FBS only


class PostingListRequest(msgspec.Struct, kw_only=True):
    cursor: str = ""
    filter: PostingFilter = msgspec.field(default_factory=PostingFilter)
    limit: int = 0
    sort_dir: str = "ASC"
    translit: bool = False
    with_: With = msgspec.field(name="with", default_factory=With)


class CursorField(msgspec.Struct):
    name: str
    dir: str
    val: str


class Cursor(msgspec.Struct):
    fields: list[CursorField]


class _Query(msgspec.Struct, kw_only=True):
    since: dt.datetime
    to: dt.datetime
    descending: bool
    after: tuple[int, int] | None


def _query(req: PostingListRequest, moment_field: str) -> _Query:
    check_limit(req.limit, limits.POSTING_LIST_MAX_LIMIT)
    direction = req.sort_dir.upper()
    if direction not in ("ASC", "DESC"):
        raise bad_request(f"sort_dir must be ASC or DESC, got {req.sort_dir!r}")
    f = req.filter
    if f.posting_numbers or f.order_numbers:
        raise bad_request("sandbox: filter.posting_numbers and filter.order_numbers are not supported")
    if not f.since or not f.to:
        raise bad_request("filter.since and filter.to are required")
    since, to = parse_moment(f.since, "filter.since"), parse_moment(f.to, "filter.to")
    if to < since:
        raise bad_request("filter: 'to' is before 'since'")
    if to - since >= dt.timedelta(days=limits.POSTING_MAX_PERIOD_DAYS):
        raise bad_request("PERIOD_IS_TOO_LONG")
    after = _decode_cursor(req.cursor, moment_field, direction.lower()) if req.cursor else None
    return _Query(since=since, to=to, descending=direction == "DESC", after=after)


def _encode_cursor(o: OriginDay, i: int, moment_field: str, direction: str) -> str:
    moment = iso_utc(created_at(o, i) + (dt.timedelta(minutes=2) if moment_field == "in_process_at" else dt.timedelta()))
    key = Cursor(fields=[CursorField(name=moment_field, dir=direction, val=moment),
                         CursorField(name="id", dir=direction, val=str(o.index * _ID_BASE + i))])
    return base64.b64encode(msgspec.json.encode(key)).decode()


def _decode_cursor(cursor: str, moment_field: str, direction: str) -> tuple[int, int]:
    """(day index, posting index) of the last posting served; a cursor we did not give out is refused."""
    try:
        key = msgspec.json.decode(base64.b64decode(cursor, validate=True), type=Cursor)
        names = [(x.name, x.dir) for x in key.fields]
        posting_id = int(key.fields[1].val)
    except (binascii.Error, ValueError, msgspec.DecodeError, msgspec.ValidationError, IndexError):
        raise bad_request("invalid cursor") from None
    if names != [(moment_field, direction), ("id", direction)] or posting_id < 0:
        raise bad_request("invalid cursor: it does not match this request's sort_dir")
    return divmod(posting_id, _ID_BASE)


def _page(world: SellerWorld, fbs: bool, req: PostingListRequest, q: _Query
          ) -> tuple[list[tuple[OriginDay, int, str]], bool]:
    """Up to `limit` postings past the cursor in the requested direction, and whether more follow."""
    out: list[tuple[OriginDay, int]] = []
    more = False
    for o, picked in select_postings(world, fbs, q.since, q.to, req.filter.statuses, descending=q.descending,
                                     after=q.after):
        take = picked[:req.limit - len(out) + 1].tolist()
        out += [(o, int(i)) for i in take]
        if len(out) > req.limit:
            out, more = out[:req.limit], True
            break
    status_cache: dict[int, object] = {}
    return [(o, i, _status(world, o, i, status_cache)) for o, i in out], more


def _status(world: SellerWorld, o: OriginDay, i: int, cache: dict) -> str:
    if o.index not in cache:
        cache[o.index] = statuses(o, world.today)
    return str(cache[o.index][i])


def _answer(world: SellerWorld, fbs: bool, req: PostingListRequest, moment_field: str) -> dict:
    q = _query(req, moment_field)
    page, more = _page(world, fbs, req, q)
    direction = "desc" if q.descending else "asc"
    render = _fbs_posting if fbs else _fbo_posting
    return {
        "cursor": _encode_cursor(page[-1][0], page[-1][1], moment_field, direction) if page else "",
        "has_next": more,
        "postings": [render(world, req.with_, o, i, status) for o, i, status in page],
    }


@post("/v3/posting/fbo/list", status_code=200)
async def fbo_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, PostingListRequest)
    unknown = set(req.filter.statuses) - FBO_STATUSES
    if unknown:
        raise bad_request(f"filter.statuses: unknown {sorted(unknown)}")
    return _answer(world, False, req, "created_at")


@post("/v4/posting/fbs/list", status_code=200)
async def fbs_list(request: Request, world: SellerWorld) -> dict:
    return _answer(world, True, await parse(request, PostingListRequest), "in_process_at")


RETIRED = ("/v2/posting/fbo/list", "/v3/posting/fbs/list")  # switched off by Ozon on 1 June 2026


@post(list(RETIRED), status_code=200)
async def retired_list() -> dict:
    raise OzonError(400, FAILED_PRECONDITION, MSG_OBSOLETE)


def _fbo_analytics(o: OriginDay, i: int) -> dict:
    wid, wname, _, _ = fbo_warehouses()[int(o.warehouse[i])]
    return {"city": "Москва", "delivery_type": "PVZ", "is_premium": bool(i % 7 == 0),
            "payment_type_group_name": "картой онлайн", "warehouse_id": wid, "warehouse_name": wname,
            "is_legal": False, "client_delivery_date_begin": None, "client_delivery_date_end": None}


def _fbs_analytics(world: SellerWorld, o: OriginDay, i: int) -> dict:
    return {"city": "Москва", "region": "Москва", "delivery_type": "PVZ", "is_premium": bool(i % 7 == 0),
            "payment_type_group_name": "картой онлайн", "warehouse_id": world.catalog.fbs_warehouse_id,
            "warehouse": "Склад продавца", "tpl_provider": "Ozon Логистика", "tpl_provider_id": 24,
            "delivery_date_begin": None, "delivery_date_end": None, "is_legal": False,
            "client_delivery_date_begin": None, "client_delivery_date_end": None}


def _legal(w: With) -> dict | None:
    return {"company_name": "", "inn": "", "kpp": ""} if w.legal_info else None


def _fbo_posting(world: SellerWorld, w: With, o: OriginDay, i: int, status: str) -> dict:
    item = posting_head(world, o, i, status)
    reason_id, reason = cancel_reason(o, i)
    item.update({
        "substatus": f"posting_{status}",
        "created_at": iso_utc(created_at(o, i)),
        "cancel_reason_id": reason_id,
        "cancellation": {"cancel_reason": reason, "cancellation_initiator": "Клиент",
                         "cancellation_type": "client"} if reason_id else None,
        "products": [{**p, "digital_codes": []} for p in posting_products(world, o, i)],
        "analytics_data": _fbo_analytics(o, i) if w.analytics_data else None,
        "financial_data": financial_data(world, o, i, fbs=False) if w.financial_data else None,
        "legal_info": _legal(w),
        "external_order": {"is_external": False, "platform_name": ""},
        "additional_data": [],
    })
    return item


def _fbs_posting(world: SellerWorld, w: With, o: OriginDay, i: int, status: str) -> dict:
    item = posting_head(world, o, i, status)
    reason_id, reason = cancel_reason(o, i)
    wid = world.catalog.fbs_warehouse_id
    shipped = o.day + dt.timedelta(days=1)
    item.update({
        "substatus": f"posting_{status}", "tracking_number": "", "tpl_integration_type": "ozon",
        "delivery_method": {"id": wid, "name": "Ozon Логистика самостоятельно", "warehouse_id": wid,
                            "warehouse": "Склад продавца", "tpl_provider_id": 24, "tpl_provider": "Ozon Логистика"},
        "delivery_schema": "FBS",
        "shipment_date": f"{shipped.isoformat()}T10:00:00Z",
        "shipment_date_without_delay": f"{shipped.isoformat()}T10:00:00Z",
        "delivering_date": f"{shipped.isoformat()}T14:00:00Z" if status != "awaiting_packaging" else None,
        "cancellation": {"cancel_reason_id": reason_id, "cancel_reason": reason,
                         "cancellation_type": "client" if reason_id else "", "cancelled_after_ship": bool(o.after_ship[i]),
                         "affect_cancellation_rating": False, "cancellation_initiator": "Клиент" if reason_id else ""},
        "customer": None, "addressee": None, "is_express": False, "is_multibox": False, "parent_posting_number": "",
        "products": [{**p, "imei": [], "is_blr_traceable": False} for p in posting_products(world, o, i)],
        "barcodes": {"upper_barcode": f"%{o.index}{i:05d}%", "lower_barcode": f"{o.index}{i:05d}"} if w.barcodes else None,
        "analytics_data": _fbs_analytics(world, o, i) if w.analytics_data else None,
        "financial_data": financial_data(world, o, i, fbs=True) if w.financial_data else None,
        "legal_info": _legal(w),
        "external_order": {"is_external": False, "platform_name": ""},
        "requirements": {"products_requiring_gtd": [], "products_requiring_country": [],
                         "products_requiring_mandatory_mark": [], "products_requiring_rnpt": []},
    })
    return item
