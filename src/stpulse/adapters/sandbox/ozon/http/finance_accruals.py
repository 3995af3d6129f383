"""/v1/finance/accrual/by-day, /types, /postings."""

from __future__ import annotations

import msgspec
import numpy as np
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.config import FaultConfig
from stpulse.adapters.sandbox.ozon.data_faults import date_shifts, make_odd, odd_kinds, page_order
from stpulse.adapters.sandbox.ozon.day_table import COMP_COMMISSION, COMP_SALE, DayTable
from stpulse.adapters.sandbox.ozon.events import GROUP_WINDOWS
from stpulse.adapters.sandbox.ozon.http.errors import bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import parse, parse_date
from stpulse.adapters.sandbox.ozon.http.state import SandboxState
from stpulse.adapters.sandbox.ozon.origin import day_index, day_of, parse_posting_number
from stpulse.adapters.sandbox.ozon.reference import real_accrual_types
from stpulse.adapters.sandbox.ozon.render import accrual_json, rub
from stpulse.adapters.sandbox.ozon.world import SellerWorld

SALE_COMMISSION_TYPE = 69  # /accrual/postings labels the commission part with SaleCommission


class ByDayRequest(msgspec.Struct):
    date: str
    last_id: str = ""


@post("/v1/finance/accrual/by-day", status_code=200)
async def accrual_by_day(request: Request, world: SellerWorld, sandbox: SandboxState) -> dict:
    req = await parse(request, ByDayRequest)
    day = parse_date(req.date, "date")
    if day < limits.ACCRUAL_EARLIEST_DATE:
        raise bad_request("date: the earliest date is 2022-01-01")
    try:
        after = int(req.last_id) if req.last_id else -1
    except ValueError:
        raise bad_request("last_id: invalid value") from None
    table = world.day_table(day)
    start = int(np.searchsorted(table.acc_id, after, side="right"))
    stop = min(table.n_accruals, start + sandbox.config.accrual_page_size)
    last_id = str(int(table.acc_id[stop - 1])) if stop < table.n_accruals else ""
    return {"accruals": _page(sandbox.config.faults, world, table, start, stop), "last_id": last_id}


def _page(faults: FaultConfig, world: SellerWorld, table: DayTable, start: int, stop: int) -> list[dict]:
    if faults.share_redated <= 0 and faults.share_repeated <= 0 and faults.share_odd <= 0:
        return accrual_json(table, world.salt, start, stop)
    order = page_order(faults, table, start, stop)
    if not order:
        return []
    low = order[0]
    shifts, odd = date_shifts(faults, world, table), odd_kinds(faults, table.acc_id[low:stop])
    accruals = accrual_json(table, world.salt, low, stop)
    for position, item in enumerate(accruals, start=low):
        if shifts[position]:
            item["date"] = day_of(table.date_index + int(shifts[position])).isoformat()
        make_odd(item, int(odd[position - low]))
    return [accruals[i - low] for i in order]


@post("/v1/finance/accrual/types", status_code=200)
async def accrual_types(sandbox: SandboxState) -> dict:
    extra = [{"id": i, "name": n, "description": d} for i, n, d in sandbox.config.extra_accrual_types]
    return {"accrual_types": [*real_accrual_types(), *extra]}


class PostingsRequest(msgspec.Struct):
    posting_numbers: list[str]


@post("/v1/finance/accrual/postings", status_code=200)
async def accrual_postings(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, PostingsRequest)
    if not 1 <= len(req.posting_numbers) <= limits.ACCRUAL_POSTINGS_MAX:
        raise bad_request(f"posting_numbers: from 1 to {limits.ACCRUAL_POSTINGS_MAX} values")
    return {"posting_accruals": [{"posting_number": n, "accruals": _posting_accruals(world, n)}
                                 for n in req.posting_numbers]}


def _posting_accruals(world: SellerWorld, number: str) -> list[dict]:
    """Lines of every accrual of one posting up to today, flattened as Ozon's /accrual/postings does."""
    parsed = parse_posting_number(number)
    if parsed is None or parsed[0] != world.salt:
        return []
    _, index, posting = parsed
    out: list[dict] = []
    today = day_index(world.today)
    for group in GROUP_WINDOWS:
        events = world.origin_events(day_of(index), group)
        if events is None:
            continue
        b = events.block
        acc_day = np.empty(b.size, dtype=np.int64)
        acc_day[events.acc_order] = events.acc_day_sorted
        for a in np.flatnonzero((b.unit_a == index) & (b.unit_b == posting)).tolist():
            if acc_day[a] <= today:
                out.extend(_posting_line(world, b.lines, line, int(acc_day[a]))
                           for line in np.flatnonzero(b.acc == a).tolist())
    return sorted(out, key=lambda line: line["accrual_date"])


def _posting_line(world: SellerWorld, lines: dict[str, np.ndarray], i: int, day: int) -> dict:
    comp, sku = int(lines["comp"][i]), int(lines["sku"][i])
    type_id = {COMP_SALE: 0, COMP_COMMISSION: SALE_COMMISSION_TYPE}.get(comp, int(lines["type_id"][i]))
    pos = int(world.catalog.index_of_sku(np.array([sku]))[0])
    return {"accrual_date": day_of(day).isoformat(), "accrued": rub(int(lines["amount"][i])),
            "quantity": int(lines["qty"][i]), "sku": sku,
            "seller_price": rub(int(world.catalog.price[pos]) if pos >= 0 else 0), "type_id": type_id}
