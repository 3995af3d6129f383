"""Accrual blocks for one date: posting events gathered from creation days, plus the day's own charges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from stpulse.adapters.sandbox.ozon import reference as ref
from stpulse.adapters.sandbox.ozon.catalog import Catalog
from stpulse.adapters.sandbox.ozon.day_table import (
    CAT_ITEM,
    CAT_NON_ITEM,
    CAT_POSTING,
    COMP_COMMISSION,
    COMP_SALE,
    COMP_SERVICE,
    UNIT_NONE,
    UNIT_NUMBER,
    UNIT_ORDER,
    UNIT_POSTING,
    Block,
    categories,
    concat_lines,
    line_columns,
    merge,
)
from stpulse.adapters.sandbox.ozon.origin import (
    LOOKBACK_DAYS,
    MAX_DELIVERY_DAYS,
    MAX_RETURN_DAYS,
    OriginDay,
)
from stpulse.adapters.sandbox.ozon.profiles import Profile

# (component, type id, sign, OriginDay line column) — one entry per part of a product, in answer order.
SALE_SPEC = ((COMP_SALE, 0, 1, "sale_amount"), (COMP_COMMISSION, 0, 1, "commission"),
             (COMP_SERVICE, ref.T_LOGISTIC, 1, "logistic"), (COMP_SERVICE, ref.T_LAST_MILE_COURIER, 1, "last_mile"),
             (COMP_SERVICE, ref.T_DROP_OFF_AGENT, 1, "drop_off"))
RETURN_SPEC = ((COMP_SALE, 0, -1, "sale_amount"), (COMP_COMMISSION, 0, -1, "commission"),
               (COMP_SERVICE, ref.T_RETURN_FLOW_LOGISTIC, 1, "logistic"),
               (COMP_SERVICE, ref.T_CLIENT_RETURN, 1, "return_processing"))
REFUSAL_SPEC = ((COMP_SERVICE, ref.T_LOGISTIC, 1, "logistic"),
                (COMP_SERVICE, ref.T_RETURN_FLOW_LOGISTIC, 1, "logistic"))  # commission: null
ITEM_PACKING_KOPECKS = -1500
_EMPTY_BLOCK = Block(category=CAT_NON_ITEM, schema=np.zeros(0, np.int64), unit_kind=np.zeros(0, np.int64),
                     unit_a=np.zeros(0, np.int64), unit_b=np.zeros(0, np.int64), acc=np.zeros(0, np.int64))


class Gathered:
    """Postings of one event kind selected from several creation days, with their lines, concatenated."""

    def __init__(self, picks: list[tuple[OriginDay, np.ndarray]]) -> None:
        self.picks = [(o, p, o.lines_of(p)) for o, p in picks if p.size]
        self._cols: dict[str, np.ndarray] = {}
        self.n = sum(p.size for _, p, _ in self.picks)
        if not self.n:
            return
        self.unit_a = self._cat([np.full(p.size, o.index) for o, p, _ in self.picks])
        self.unit_b = self._cat([p for _, p, _ in self.picks])
        self.fbs = self._cat([o.fbs[p] for o, p, _ in self.picks]).astype(bool)
        offsets = np.cumsum([0] + [p.size for _, p, _ in self.picks])
        owner = [o.line_posting[li] for o, _, li in self.picks]
        local = []
        for (o, p, _), own, off in zip(self.picks, owner, offsets, strict=False):
            lookup = np.empty(o.n_postings, dtype=np.int64)
            lookup[p] = np.arange(p.size) + off
            local.append(lookup[own])
        self.acc = self._cat(local)
        self.group = self._cat([li - o.line_start[own] for (o, _, li), own in zip(self.picks, owner, strict=False)])

    @staticmethod
    def _cat(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)

    def col(self, name: str) -> np.ndarray:
        if name not in self._cols:
            self._cols[name] = self._cat([getattr(o, name)[li] for o, _, li in self.picks])
        return self._cols[name]


@dataclass(frozen=True, eq=False)
class OriginEvents:
    """Every accrual one event group of a creation day will cause, indexed by accrual day.

    Columns stay in build order; the day orderings are computed on first slice, so a day is gathered
    with small fancy indexing and the ground truth (which bins whole blocks) never pays for sorting.
    """

    block: Block
    acc_day: np.ndarray  # in build order (parallel to the block's accrual columns)

    @cached_property
    def acc_order(self) -> np.ndarray:
        return np.argsort(self.acc_day, kind="stable")

    @cached_property
    def acc_day_sorted(self) -> np.ndarray:
        return self.acc_day[self.acc_order]

    @cached_property
    def line_order(self) -> np.ndarray:
        return np.argsort(self.acc_day[self.block.acc], kind="stable")

    @cached_property
    def line_day_sorted(self) -> np.ndarray:
        return self.acc_day[self.block.acc][self.line_order]

    def on(self, x: int) -> Block | None:
        lo, hi = (int(v) for v in np.searchsorted(self.acc_day_sorted, (x, x + 1)))
        if lo == hi:
            return None
        accs = self.acc_order[lo:hi]
        l_lo, l_hi = (int(v) for v in np.searchsorted(self.line_day_sorted, (x, x + 1)))
        lines = self.line_order[l_lo:l_hi]
        local = np.empty(self.block.size, dtype=np.int64)
        local[accs] = np.arange(accs.size)
        b = self.block
        return Block(category=0, schema=b.schema[accs], unit_kind=b.unit_kind[accs], unit_a=b.unit_a[accs],
                     unit_b=b.unit_b[accs], acc=local[b.acc[lines]],
                     lines={k: v[lines] for k, v in b.lines.items()}, cat=categories(b)[accs])


# Event groups of a creation day and how many days after it their accruals can fall: a day only asks a
# creation day for the groups that can land on it, so a cold day builds little beyond its own needs.
GROUP_WINDOWS = {
    "forward": (0, MAX_DELIVERY_DAYS),  # sales, acquiring, stars, packing, refusals
    "return": (4, MAX_DELIVERY_DAYS + MAX_RETURN_DAYS),
    "compensation": (5, LOOKBACK_DAYS),
}


def _group_blocks(o: OriginDay, catalog: Catalog, group: str) -> list[tuple[str, Block]]:
    kinds = o.kinds()

    def g(kind: str) -> Gathered:
        return Gathered([(o, np.flatnonzero(kinds[kind][0]))])

    if group == "return":
        return [("return", _block_from_spec(g("return"), catalog, RETURN_SPEC, CAT_POSTING, UNIT_POSTING))]
    if group == "compensation":
        return [("compensation", _item_block(g("compensation"), catalog, ref.T_ITEM_COMPENSATION,
                                             "compensation", UNIT_POSTING))]
    sale = g("sale")
    return [
        ("sale", _block_from_spec(sale, catalog, SALE_SPEC, CAT_POSTING, UNIT_POSTING)),
        ("refusal", _block_from_spec(g("refusal"), catalog, REFUSAL_SPEC, CAT_POSTING, UNIT_POSTING)),
        ("sale", _item_block(sale, catalog, ref.T_ACQUIRING, "acquiring", UNIT_ORDER)),
        ("sale", _item_block(sale, catalog, ref.T_STARS_MEMBERSHIP, "stars", UNIT_POSTING)),
        ("packing", _packing_block(g("packing"))),
    ]


def origin_events(o: OriginDay, catalog: Catalog, group: str) -> OriginEvents | None:
    """The accruals of one event group of a creation day, indexed by the day they fall on."""
    kinds = o.kinds()
    built = [(kind, b) for kind, b in _group_blocks(o, catalog, group) if b.size]
    if not built:
        return None
    m = merge([b for _, b in built])
    return OriginEvents(m, np.concatenate([kinds[kind][1][b.unit_b] for kind, b in built]))


def _block_from_spec(g: Gathered, catalog: Catalog, spec: tuple, category: int, unit_kind: int) -> Block:
    if not g.n:
        return _EMPTY_BLOCK
    accs, parts = [], []
    sku = catalog.sku[g.col("sku_pos")]
    for rank, (comp, type_id, sign, column) in enumerate(spec):
        amount = sign * g.col(column)
        cols = {"group": g.group, "rank": rank, "comp": comp, "type_id": type_id, "sku": sku,
                "amount": amount, "qty": g.col("qty")}
        if comp == COMP_SALE:
            cols.update(seller_price=g.col("price"), sale_price=sign * g.col("sale_price"),
                        bonus=sign * g.col("bonus"), coinvestment=sign * g.col("coinvestment"),
                        ratio_bp=g.col("commission_bp"))
        keep = amount != 0 if comp == COMP_SERVICE else slice(None)
        accs.append(g.acc[keep])
        parts.append({k: v[keep] for k, v in line_columns(amount.size, **cols).items()})
    schema = np.where(g.fbs, 2, 1) if category == CAT_POSTING else np.zeros(g.n, np.int64)
    return Block(category=category, schema=schema, unit_kind=np.full(g.n, unit_kind),
                 unit_a=g.unit_a, unit_b=g.unit_b, acc=np.concatenate(accs), lines=concat_lines(parts))


def _item_block(g: Gathered, catalog: Catalog, type_id: int, column: str, unit_kind: int) -> Block:
    return _block_from_spec(g, catalog, ((COMP_SERVICE, type_id, 1, column),), CAT_ITEM, unit_kind)


def _packing_block(g: Gathered) -> Block:
    n = g.n
    if not n:
        return _EMPTY_BLOCK
    return Block(category=CAT_NON_ITEM, schema=np.zeros(n, np.int64), unit_kind=np.full(n, UNIT_POSTING),
                 unit_a=g.unit_a, unit_b=g.unit_b, acc=np.arange(n),
                 lines=line_columns(n, comp=COMP_SERVICE, type_id=ref.T_ITEM_PACKING, amount=ITEM_PACKING_KOPECKS))


def daily_block(rng: np.random.Generator, day: dt.date, catalog: Catalog, profile: Profile,
                extra_type_ids: tuple[int, ...]) -> Block:
    """The seller-level charges of one day (NON_ITEM): storage, ads, subscriptions, fines, corrections."""
    fees = _daily_fees(rng, day, catalog, profile, extra_type_ids)
    n = len(fees)
    return Block(category=CAT_NON_ITEM, schema=np.zeros(n, np.int64),
                 unit_kind=np.array([UNIT_NUMBER if f[2] else UNIT_NONE for f in fees], dtype=np.int64),
                 unit_a=np.array([f[2] for f in fees], dtype=np.int64), unit_b=np.zeros(n, np.int64),
                 acc=np.arange(n),
                 lines=line_columns(n, comp=COMP_SERVICE, type_id=np.array([f[0] for f in fees], dtype=np.int64),
                                    amount=np.array([f[1] for f in fees], dtype=np.int64)))


def _daily_fees(rng: np.random.Generator, day: dt.date, catalog: Catalog, profile: Profile,
                extra_type_ids: tuple[int, ...]) -> list[tuple[int, int, int]]:
    """(type id, kopecks, unit number or 0) for the day."""
    scale = (profile.orders_per_day / 20.0) ** 0.5
    fees = [(ref.T_PLACEMENTS, -int(catalog.n * rng.integers(150, 450)), 0),
            (ref.T_STOCK_INSURANCE, -int(rng.integers(2_000, 20_000) * scale), 0)]
    for k, campaign in enumerate(catalog.campaign_ids.tolist()):
        if rng.random() < 0.8:
            type_id = ref.T_PROMOTION if k == 0 else ref.T_STENCIL if k == 1 else ref.T_PAY_PER_CLICK
            fees.append((type_id, -int(rng.integers(100, 150_000) * scale), campaign))
    if day.day == 1:
        fees.append((ref.T_PREMIUM_SUBSCRIPTION, -499_000, 0))
    chance = (
        (ref.T_SHIPMENT_DELAY_FINE, 0.05, -int(rng.integers(10_000, 100_000))),
        (ref.T_DEFECT_RATE, 0.02, -int(rng.integers(5_000, 50_000))),
        (ref.T_CORRECTION, 0.03, int(rng.integers(-50_000, 50_000)) or 100),
        (ref.T_COMPENSATION, 0.04, int(rng.integers(10_000, 300_000))),
        *((t, 0.1, -int(rng.integers(1_000, 30_000))) for t in extra_type_ids),
    )
    fees.extend((t, amount, 0) for t, p, amount in chance if rng.random() < p)
    if rng.random() < DECOMPENSATION_CHANCE:  # drawn last: every earlier draw of the day is as it was
        fees.append((ref.T_COMPENSATION, -int(rng.integers(10_000, 150_000)), 0))  # a decompensation
    return fees


DECOMPENSATION_CHANCE = 0.03  # Ozon takes a compensation back (a lost item found): a negative «Компенсация»
