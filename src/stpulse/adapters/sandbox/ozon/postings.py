"""Postings and returns as of `today`: selection by time window, statuses, and Ozon's JSON shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import numpy as np

from stpulse.adapters.sandbox.ozon.origin import (
    LOOKBACK_DAYS,
    OriginDay,
    day_index,
    day_of,
    order_id,
    order_number,
    posting_number,
)
from stpulse.adapters.sandbox.ozon.reference import (
    CANCEL_REASONS,
    REFUSAL_REASON,
    RETURN_REASONS,
    fbo_warehouses,
)
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.kernel.moscow import MSK


def moscow_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a Moscow calendar day as aware datetimes (Ozon groups reports by Moscow time)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=MSK)
    return start, start + dt.timedelta(days=1)


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def created_at(o: OriginDay, i: int) -> dt.datetime:
    return moscow_day_bounds(o.day)[0] + dt.timedelta(seconds=int(o.created_sec[i]))


def statuses(o: OriginDay, today: dt.date) -> np.ndarray:
    t = day_index(today)
    done = o.deliver_day <= t
    waiting = np.where(o.fbs & (o.index == t), "awaiting_packaging", "delivering")
    live = np.where(done, "delivered", waiting)
    return np.where(o.cancelled, np.where(done, "cancelled", "awaiting_deliver"), live)


def select_postings(world: SellerWorld, fbs: bool, since: dt.datetime, to: dt.datetime,
                    statuses_: Collection[str] = (), *, descending: bool = False,
                    after: tuple[int, int] | None = None) -> Iterator[tuple[OriginDay, np.ndarray]]:
    """Postings of one scheme created in [since, to], day by day, by creation time (ascending, or descending).

    `after` = (day index, posting index) of the last posting already served: only those past it in this order
    (a keyset cursor), so a page costs the days it covers, not the days before it."""
    first, last = since.astimezone(MSK).date(), to.astimezone(MSK).date()
    if after is not None:
        key_day = day_of(after[0])
        first, last = (first, min(last, key_day)) if descending else (max(first, key_day), last)
    days = list(world.days(first, last))
    for day in reversed(days) if descending else days:
        o = world.origin(day)
        if o is None or not o.n_postings:
            continue
        start = moscow_day_bounds(day)[0]
        lo = max(0.0, (since - start).total_seconds())
        hi = (to - start).total_seconds()
        mask = (o.fbs == fbs) & (o.created_sec >= lo) & (o.created_sec <= hi)
        if statuses_:
            mask &= np.isin(statuses(o, world.today), list(statuses_))
        if after is not None and o.index == after[0]:
            index = np.arange(o.n_postings)
            mask &= index < after[1] if descending else index > after[1]
        picked = np.flatnonzero(mask)
        if picked.size:
            yield o, picked[::-1] if descending else picked


def _money(kopecks: int, digits: int) -> dict:
    return {"amount": f"{kopecks / 100:.{digits}f}", "currency": "RUB"}


def posting_products(world: SellerWorld, o: OriginDay, i: int) -> list[dict]:
    """`products` of /v3/posting/fbo/list and /v4/posting/fbs/list: the price is {amount, currency}."""
    c = world.catalog
    out = []
    for line in range(int(o.line_start[i]), int(o.line_start[i + 1])):
        pos = int(o.sku_pos[line])
        out.append({"sku": int(c.sku[pos]), "name": c.name(pos), "quantity": int(o.qty[line]),
                    "offer_id": c.offer_id(pos), "price": _money(int(o.price[line]), 2),
                    "is_marketplace_buyout": bool(o.buyout[i])})
    return out


def financial_data(world: SellerWorld, o: OriginDay, i: int, fbs: bool) -> dict:
    """FBS products carry `quantity` and `customer_price`; FBO ones have neither (per the spec)."""
    c = world.catalog
    products = []
    for line in range(int(o.line_start[i]), int(o.line_start[i + 1])):
        pos, price = int(o.sku_pos[line]), int(o.price[line])
        commission = -int(o.commission[line]) / int(o.qty[line])
        old = int(c.old_price[pos])
        product = {
            "commission": {"amount": round(commission / 100, 2), "percent": int(o.commission_bp[line]) // 100,
                           "currency": "RUB"},
            "payout": round((price - commission) / 100, 2), "product_id": int(c.sku[pos]),
            "old_price": old / 100, "price": price / 100, "total_discount_value": (old - price) / 100,
            "total_discount_percent": round((old - price) * 100 / old, 2), "actions": [],
        }
        if fbs:
            product |= {"quantity": int(o.qty[line]), "customer_price": _money(price, 2)}
        products.append(product)
    wh = fbo_warehouses()[int(o.warehouse[i])]
    return {"products": products, "cluster_from": wh[3], "cluster_to": "Москва, МО и Дальние регионы"}


def posting_head(world: SellerWorld, o: OriginDay, i: int, status: str) -> dict:
    created = created_at(o, i)
    return {
        "order_id": order_id(world.salt, o.index, i),
        "order_number": order_number(world.salt, o.index, i),
        "posting_number": posting_number(world.salt, o.index, i),
        "status": status,
        "in_process_at": iso_utc(created + dt.timedelta(minutes=2)),
    }


def cancel_reason(o: OriginDay, i: int) -> tuple[int, str]:
    return CANCEL_REASONS[int(o.cancel_reason[i])] if o.cancelled[i] else (0, "")


@dataclass(frozen=True)
class ReturnRef:
    origin: OriginDay
    posting: int
    line: int
    kind: str  # ClientReturn | FullReturn
    day: dt.date  # logistic return date
    seq: int  # position among the returns of that day

    def return_id(self, salt: int) -> int:
        return (salt * 100_000 + day_index(self.day)) * 100_000 + self.seq


def returns_on(world: SellerWorld, day: dt.date) -> list[ReturnRef]:
    """Return records (one per product line) whose logistic return date is `day`, in id order."""
    if not world.in_history(day):
        return []
    x, refs = day_index(day), list[ReturnRef]()
    for back in range(LOOKBACK_DAYS, -1, -1):
        o = world.origin(day - dt.timedelta(days=back))
        if o is None:
            continue
        for event, kind in (("return", "ClientReturn"), ("refusal", "FullReturn")):
            for p in o.on_day(event, x).tolist():
                for line in range(int(o.line_start[p]), int(o.line_start[p + 1])):
                    refs.append(ReturnRef(o, p, line, kind, day, len(refs)))
    return refs


def return_reason(ref: ReturnRef) -> str:
    if ref.kind == "FullReturn":
        return REFUSAL_REASON
    return RETURN_REASONS[int(ref.origin.return_reason[ref.posting])]


def utilised(world: SellerWorld, ref: ReturnRef) -> bool:
    """A customer's return that came back unsellable and was utilised (one in seven, fixed by its id)."""
    return ref.kind == "ClientReturn" and ref.return_id(world.salt) % 7 == 3


def compensation_status(world: SellerWorld, ref: ReturnRef) -> dict | None:
    """The compensation of a returned posting Ozon compensates: «Sent», then «Received» on the day its
    ItemCompensation accrual falls (the same `compensation_day` the accruals are made of)."""
    o = ref.origin
    if ref.kind != "ClientReturn" or not o.compensated[ref.posting]:
        return None
    day = int(o.compensation_day[ref.posting])
    received = day <= day_index(world.today)
    moment = iso_utc(dt.datetime.combine(day_of(day) if received else ref.day, dt.time(12), tzinfo=MSK))
    status = ({"id": 2, "display_name": "Вы получили компенсацию", "sys_name": "Received"} if received
              else {"id": 1, "display_name": "Отправлено на компенсацию", "sys_name": "Sent"})
    return {"status": status, "change_moment": moment}
