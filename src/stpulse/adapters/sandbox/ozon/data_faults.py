"""Answers that are odd but true: re-dated and repeated accruals of `/v1/finance/accrual/by-day`.

Both are decided per accrual id by a seeded hash (FaultConfig.seed), so a run repeats exactly.
- Re-dated: a share of the accruals in the answer for day D carry `date` D − 1 or D + 1 (so some cross a month
  end); they are served only in D's answer. Ozon's truth is the date it gives, so `faulty_ground_truth` moves
  them to that day.
- Repeated: a share of the accruals appear twice in their answer, and every page after the first opens with the
  last accrual of the page before. The truth does not change: an accrual is one accrual however often it is sent.
"""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np

from stpulse.adapters.sandbox.ozon.config import FaultConfig
from stpulse.adapters.sandbox.ozon.day_table import DayTable
from stpulse.adapters.sandbox.ozon.ground_truth import GroundTruth, ground_truth
from stpulse.adapters.sandbox.ozon.origin import day_index, day_of
from stpulse.adapters.sandbox.ozon.render import accrual_lines
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.ledger.accruals import AccrualLine, Component

_REDATE, _DIRECTION, _REPEAT, _ODD = 1, 2, 3, 4
ODD_NUMBERS, ODD_NO_TOTAL, ODD_NO_QUANTITY = 0, 1, 2
_MASK = (1 << 64) - 1


def _uniform(seed: int, ids: np.ndarray, stream: int) -> np.ndarray:
    """splitmix64 of (seed, stream, id) as floats in [0, 1)."""
    salt = np.uint64((seed * 0x9E3779B97F4A7C15 + stream * 0xBF58476D1CE4E5B9) & _MASK)
    x = ids.astype(np.uint64) ^ salt
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def date_shifts(faults: FaultConfig, world: SellerWorld, table: DayTable) -> np.ndarray:
    """Per accrual of the day: −1, 0 or +1 days between the day asked for and the date served."""
    shift = np.zeros(table.n_accruals, dtype=np.int64)
    if faults.share_redated <= 0 or not table.n_accruals:
        return shift
    chosen = _uniform(faults.seed, table.acc_id, _REDATE) < faults.share_redated
    shift[chosen] = np.where(_uniform(faults.seed, table.acc_id[chosen], _DIRECTION) < 0.5, -1, 1)
    first, last = day_index(world.start), day_index(world.today)
    shift[(table.date_index + shift < first) | (table.date_index + shift > last)] = 0  # never outside the history
    return shift


def page_order(faults: FaultConfig, table: DayTable, start: int, stop: int) -> list[int]:
    """Positions of the accruals served in the page [start, stop), repeats included."""
    order = [start - 1] if faults.share_repeated > 0 and start > 0 else []
    if stop <= start:
        return order
    again = _uniform(faults.seed, table.acc_id[start:stop], _REPEAT) < faults.share_repeated
    for offset, twice in enumerate(again.tolist()):
        order += [start + offset] * (2 if twice else 1)
    return order


def odd_kinds(faults: FaultConfig, ids: np.ndarray) -> np.ndarray:
    """Per accrual: −1 (as documented) or one of ODD_NUMBERS, ODD_NO_TOTAL, ODD_NO_QUANTITY."""
    if faults.share_odd <= 0 or not ids.size:
        return np.full(ids.size, -1)
    u = _uniform(faults.seed, ids, _ODD)
    return np.where(u < faults.share_odd, np.minimum((u / faults.share_odd * 3).astype(np.int64), 2), -1)


def make_odd(item: dict, kind: int) -> None:
    """Reshape one rendered accrual in place as Ozon sometimes sends it."""
    if kind == ODD_NUMBERS:
        _amounts_as_numbers(item)
    elif kind == ODD_NO_TOTAL:
        item["total_amount"] = None
    elif kind == ODD_NO_QUANTITY and item.get("posting"):
        for product in item["posting"]["products"]:
            product.pop("quantity", None)


def _amounts_as_numbers(node: object) -> None:
    if isinstance(node, list):
        for child in node:
            _amounts_as_numbers(child)
    elif isinstance(node, dict):
        for key, child in node.items():
            if key == "amount" and isinstance(child, str):
                node[key] = float(child)  # its repr is the same digits: the JSON number Ozon would send
            else:
                _amounts_as_numbers(child)


def faulty_ground_truth(world: SellerWorld, faults: FaultConfig, date_from: dt.date, date_to: dt.date) -> GroundTruth:
    """`ground_truth` with the re-dated accruals counted on the date Ozon gives them."""
    gt = copy.deepcopy(ground_truth(world, date_from, date_to))
    gt.by_day = dict(gt.by_day)
    inside = (day_index(date_from), day_index(date_to))
    day = date_from - dt.timedelta(days=1)
    while day <= date_to + dt.timedelta(days=1):
        table = world.day_table(day)
        shift = date_shifts(faults, world, table)
        moved = {int(a): int(s) for a, s in zip(table.acc_id.tolist(), shift.tolist(), strict=True) if s}
        if moved:
            _move(gt, world, table, moved, inside)
        day += dt.timedelta(days=1)
    return gt


def _move(gt: GroundTruth, world: SellerWorld, table: DayTable, moved: dict[int, int], inside: tuple[int, int]) -> None:
    """Take the moved accruals' lines off their generated day and onto their served date, inside the period."""
    for shift in moved.values():
        for index, sign in ((table.date_index, -1), (table.date_index + shift, 1)):
            if inside[0] <= index <= inside[1]:
                gt.n_accruals += sign
    for line in accrual_lines(table, world.salt):
        shift = moved.get(line.accrual_id, 0)
        if not shift:
            continue
        for index, sign in ((table.date_index, -1), (table.date_index + shift, 1)):
            if inside[0] <= index <= inside[1]:
                _add(gt, line, day_of(index), sign)


def _add(gt: GroundTruth, line: AccrualLine, date: dt.date, sign: int) -> None:
    amount = sign * line.amount
    gt.by_day[date] = gt.by_day.get(date, 0) + amount
    gt.total += amount
    gt.n_lines += sign
    gt.by_component[line.component.value] += amount
    gt.by_category[line.category] += amount
    if line.component == Component.SERVICE:
        gt.by_type[line.type_id] += amount
    if line.sku:
        gt.by_sku[line.sku] += amount


def buyout_faults(faults: FaultConfig, rows: list[dict]) -> list[dict]:
    """The buyout answer as Ozon sometimes sends it: a line repeated (`share_repeated`), amounts as strings or
    an amount missing (`share_odd`; the buyout price × quantity is that amount exactly). The money is unchanged."""
    if faults.share_repeated <= 0 and faults.share_odd <= 0 or not rows:
        return rows
    ids = np.array([_buyout_id(r) for r in rows], dtype=np.uint64)
    again = _uniform(faults.seed, ids, _REPEAT) < faults.share_repeated
    odd = _uniform(faults.seed, ids, _ODD)
    out: list[dict] = []
    for row, twice, u in zip(rows, again.tolist(), odd.tolist(), strict=True):
        if u < faults.share_odd:
            row = dict(row)
            if u < faults.share_odd / 2:
                row.pop("amount")
            else:
                row.update({k: f"{row[k]:.2f}" for k in ("amount", "buyout_price", "seller_price_per_instance")})
        out += [row, row] if twice else [row]
    return out


def _buyout_id(row: dict) -> int:
    digits = "".join(ch for ch in str(row["posting_number"]) if ch.isdigit())[-15:] or "0"
    return (int(digits) * 1_000_003 + int(row["sku"])) & ((1 << 63) - 1)
