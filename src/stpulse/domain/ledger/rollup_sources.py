"""Rollups from each money source: accruals, goods bought out by Ozon, Performance API ad spend.

Buyouts (`/v1/finance/products/buyout`) and advertising paid from the Performance account are not accruals:
they enter the P&L as their own articles (`buyouts`, `external_ads`) through their own rollup rows, so the
accrual articles stay a complete split of the accruals and nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec
import numpy as np

from stpulse.domain.kernel.errors import DomainError
from stpulse.domain.kernel.period import day_number
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.articles import (
    ARTICLE_INDEX,
    BUYOUTS,
    COMMISSION,
    EXTERNAL_ADS,
    RETURNS,
    REVENUE,
    LedgerMapping,
)
from stpulse.domain.ledger.rollup import Rollup, compact, make_rollup

_SALE, _COMMISSION, _SERVICE = 0, 1, 2
_COMPONENT_CODE = {Component.SALE: _SALE, Component.COMMISSION: _COMMISSION, Component.SERVICE: _SERVICE}


class Buyout(msgspec.Struct, frozen=True, kw_only=True):
    """A line of «Выкупы Озоном». The API gives no date per line: the adapter sets the day it asked for."""

    date: dt.date
    posting_number: str
    sku: int
    offer_id: str
    quantity: int
    buyout_price: int  # kopecks per unit, with VAT
    amount: int  # kopecks credited to the seller


class AdSpend(msgspec.Struct, frozen=True, kw_only=True):
    """Performance API spend of a campaign on a day, for one SKU or the whole campaign (sku=None)."""

    date: dt.date
    campaign_id: int
    sku: int | None
    amount: int  # kopecks spent, positive
    charged_via_accruals: bool  # Ozon also charges it as an accrual (PayPerClick, Promotion …): skip it


class AccrualRollup(msgspec.Struct, frozen=True, kw_only=True):
    rollup: Rollup
    unmapped_type_ids: tuple[int | None, ...]  # service type ids that fell to «Прочие начисления»


def rollup_from_accruals(lines: Sequence[AccrualLine], mapping: LedgerMapping, shop_id: int) -> AccrualRollup:
    """Resolve every line to its article (vectorised) and sum by (day, sku, article) for one shop."""
    n = len(lines)
    day = np.fromiter((day_number(x.date) for x in lines), dtype=np.int32, count=n)
    comp = np.fromiter((_COMPONENT_CODE[x.component] for x in lines), dtype=np.int8, count=n)
    type_id = np.fromiter((-1 if x.type_id is None else x.type_id for x in lines), dtype=np.int64, count=n)
    amount = np.fromiter((x.amount for x in lines), dtype=np.int64, count=n)
    quantity = np.abs(np.fromiter((x.quantity for x in lines), dtype=np.int64, count=n))
    raw_sku = np.fromiter((-1 if x.sku is None else x.sku for x in lines), dtype=np.int64, count=n)
    table = mapping.lookup_table(1)
    known = (type_id >= 0) & (type_id < len(table))
    service = np.where(known, table[np.where(known, type_id, 0)], ARTICLE_INDEX["other"])
    article = np.where(comp == _SALE, np.where(amount >= 0, REVENUE, RETURNS),
                       np.where(comp == _COMMISSION, COMMISSION, service))
    svc_ids = type_id[comp == _SERVICE]
    unmapped = mapping.unmapped(None if t < 0 else int(t) for t in np.unique(svc_ids))
    return AccrualRollup(rollup=_shop_rollup(shop_id, day, raw_sku, article, amount, quantity),
                         unmapped_type_ids=unmapped)


def rollup_from_buyouts(buyouts: Sequence[Buyout], shop_id: int) -> Rollup:
    """A negative amount is Ozon taking a buyout back: it lowers «Выкупы Озоном» (the sync flags it)."""
    if any(b.quantity < 0 for b in buyouts):
        raise DomainError("Выкуп Озоном с отрицательным количеством")
    n = len(buyouts)
    day = np.fromiter((day_number(b.date) for b in buyouts), dtype=np.int32, count=n)
    sku = np.fromiter((b.sku for b in buyouts), dtype=np.int64, count=n)
    amount = np.fromiter((b.amount for b in buyouts), dtype=np.int64, count=n)
    quantity = np.fromiter((b.quantity for b in buyouts), dtype=np.int64, count=n)
    return _shop_rollup(shop_id, day, sku, np.full(n, BUYOUTS), amount, quantity)


def rollup_from_ad_spend(spend: Sequence[AdSpend], shop_id: int) -> Rollup:
    """Only the spend Ozon does not charge through accruals: each rouble is counted once."""
    own = [s for s in spend if not s.charged_via_accruals]
    if any(s.amount < 0 for s in own):
        raise DomainError("Расход на рекламу не может быть отрицательным")
    n = len(own)
    day = np.fromiter((day_number(s.date) for s in own), dtype=np.int32, count=n)
    sku = np.fromiter((-1 if s.sku is None else s.sku for s in own), dtype=np.int64, count=n)
    amount = -np.fromiter((s.amount for s in own), dtype=np.int64, count=n)
    return _shop_rollup(shop_id, day, sku, np.full(n, EXTERNAL_ADS), amount, np.zeros(n, np.int64))


def _shop_rollup(shop_id: int, day: np.ndarray, raw_sku: np.ndarray, article: np.ndarray,
                 amount: np.ndarray, quantity: np.ndarray) -> Rollup:
    has_sku = raw_sku >= 0
    skus, inverse = np.unique(raw_sku[has_sku], return_inverse=True)
    sku = np.full(len(raw_sku), -1, dtype=np.int32)
    sku[has_sku] = inverse
    rollup = make_rollup(day=day, shop=np.zeros(len(day)), sku=sku, article=article, amount=amount,
                         quantity=quantity, shop_ids=[shop_id], skus=skus, sku_shop=np.zeros(len(skus)))
    return compact(rollup)
