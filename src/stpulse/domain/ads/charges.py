"""Each rouble once: the part of a campaign's Performance spend that Ozon did not charge through the accruals.

Ozon charges some campaigns (Promotion, Stencil, PayPerClick …) as accruals whose unit number is the campaign id;
those roubles are already in the P&L's «продвижение и реклама». Per campaign and day, the cabinet part is the
spend beyond what the accruals charged, split over the campaign's SKU rows by largest remainder.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

import msgspec
import numpy as np

from stpulse.domain.kernel.allocation import allocate_array
from stpulse.domain.ledger.ad_stats import AdStat


def with_cabinet_share(stats: Sequence[AdStat], charged: Mapping[tuple[int, dt.date], int]) -> list[AdStat]:
    """`stats` with `cabinet` set; `charged[(campaign, day)]` = kopecks the accruals charged (positive)."""
    groups: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for i, s in enumerate(stats):
        groups[s.campaign_id, s.date].append(i)
    cabinet = [0] * len(stats)
    for key, rows in groups.items():
        spend = np.array([stats[i].spend for i in rows], dtype=np.int64)
        left = int(spend.sum()) - min(int(spend.sum()), max(0, charged.get(key, 0)))
        for i, part in zip(rows, allocate_array(left, spend).tolist(), strict=True):
            cabinet[i] = part
    return [msgspec.structs.replace(s, cabinet=c) for s, c in zip(stats, cabinet, strict=True)]
