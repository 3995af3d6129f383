"""An ad account as Ozon's Performance API sees it, generated from the seller's seed.

Consistent with the Seller sandbox: the campaigns Ozon charges through accruals (Promotion, Stencil, PayPerClick
lines whose unit number is the campaign id, events._daily_fees) spend here exactly what the accruals charge, day by
day; the account's own campaigns (banners and prepaid CPC) spend only here. Money is kopecks; a campaign-day's
spend is split over its SKUs by largest remainder, so the report's rows add up to the campaign's spend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from stpulse.adapters.sandbox.ozon.catalog import sample_skus
from stpulse.adapters.sandbox.ozon.events import _daily_fees
from stpulse.adapters.sandbox.ozon.origin import day_index
from stpulse.adapters.sandbox.ozon.profiles import STREAM_DAILY, rng_for
from stpulse.adapters.sandbox.ozon.world import LRU, SellerWorld

STREAM_CAMPAIGNS = 21
STREAM_AD_DAY = 22
OWN_CAMPAIGN_TYPES = (("BANNER", "CPM"), ("SKU", "CPC"), ("SKU", "CPC"))
COLUMNS = ("campaign", "sku", "spend", "views", "clicks", "orders", "revenue")


@dataclass(frozen=True)
class Campaign:
    id: int
    title: str
    adv_type: str  # SKU | SEARCH_PROMO | BANNER
    payment: str  # CPC | CPO | CPM
    charged_via_accruals: bool
    sku_positions: tuple[int, ...]  # catalogue positions promoted (none for a banner)
    daily_budget: int  # kopecks


@dataclass(frozen=True)
class AdDay:
    """Rows of one day: one per (campaign, SKU) that spent; sku 0 is a banner's spend on no SKU."""

    campaign: np.ndarray
    sku: np.ndarray
    spend: np.ndarray
    views: np.ndarray
    clicks: np.ndarray
    orders: np.ndarray
    revenue: np.ndarray


class PerformanceWorld:
    def __init__(self, seller: SellerWorld, position: int, n_accounts: int) -> None:
        self.seller, self.position = seller, position
        self.campaigns = _campaigns(seller, position, n_accounts)
        self.by_id = {c.id: c for c in self.campaigns}
        self._days: LRU[int, AdDay] = LRU(800)

    def day(self, day: dt.date) -> AdDay:
        return self._days.get(day_index(day), lambda: self._build(day))

    def rows(self, date_from: dt.date, date_to: dt.date, campaign_ids: set[int] | None = None
             ) -> list[tuple[dt.date, int, int, int, int, int, int, int]]:
        """(day, campaign, sku, spend, views, clicks, orders, revenue) of the period — the ground truth."""
        out = []
        for day in self.seller.days(date_from, date_to):
            t = self.day(day)
            for row in zip(*(getattr(t, c).tolist() for c in COLUMNS), strict=True):
                if campaign_ids is None or row[0] in campaign_ids:
                    out.append((day, *row))
        return out

    def _build(self, day: dt.date) -> AdDay:
        if not self.seller.in_history(day):
            return _rows([])
        w, x = self.seller, day_index(day)
        fees = _daily_fees(rng_for(w.seed, STREAM_DAILY, x), day, w.catalog, w.profile, w.extra_type_ids)
        charged = {unit: -amount for _, amount, unit in fees if unit in self.by_id}
        rng = rng_for(w.seed, STREAM_AD_DAY, x * 64 + self.position)
        scale = (w.profile.orders_per_day / 20.0) ** 0.5
        parts = []
        for c in self.campaigns:
            spend = charged.get(c.id, 0) if c.charged_via_accruals else (
                int(rng.integers(5_000, 300_000) * scale) if rng.random() < 0.85 else 0)
            if spend > 0:
                parts.extend(_split(rng, c, spend, w.catalog.sku, w.catalog.price))
        return _rows(parts)


def _split(rng: np.random.Generator, c: Campaign, spend: int, skus: np.ndarray, prices: np.ndarray) -> list[tuple]:
    positions = c.sku_positions or (-1,)
    weights = rng.random(len(positions)) + 0.1
    exact = weights / weights.sum() * spend
    share = np.floor(exact).astype(np.int64)
    for i in np.argsort(-(exact - share), kind="stable")[: spend - int(share.sum())]:
        share[i] += 1
    out = []
    for pos, amount in zip(positions, share.tolist(), strict=True):
        if amount <= 0:
            continue
        clicks = max(1, amount // int(rng.integers(500, 4_000)))
        views = clicks * int(rng.integers(20, 80))
        orders = int(rng.binomial(clicks, 0.05))
        price = int(prices[pos]) if pos >= 0 else 0
        out.append((c.id, int(skus[pos]) if pos >= 0 else 0, amount, views, clicks, orders, orders * price))
    return out


def _rows(parts: list[tuple]) -> AdDay:
    cols = np.array(parts, dtype=np.int64).reshape(-1, len(COLUMNS))
    return AdDay(*(cols[:, i].copy() for i in range(len(COLUMNS))))


def _campaigns(seller: SellerWorld, position: int, n_accounts: int) -> tuple[Campaign, ...]:
    rng = rng_for(seller.seed, STREAM_CAMPAIGNS, position)
    catalog, out = seller.catalog, []
    for k, cid in enumerate(catalog.campaign_ids.tolist()):
        if k % n_accounts != position:
            continue
        adv, pay = ("SEARCH_PROMO", "CPO") if k == 0 else ("SKU", "CPC")
        out.append(Campaign(id=cid, title=f"Кампания {cid}", adv_type=adv, payment=pay, charged_via_accruals=True,
                            sku_positions=_positions(rng, seller), daily_budget=int(rng.integers(5, 50)) * 100_000))
    for k, (adv, pay) in enumerate(OWN_CAMPAIGN_TYPES):
        cid = 30_000_000 + (seller.seed % 1000) * 10_000 + position * 100 + k
        positions = () if adv == "BANNER" else _positions(rng, seller)
        out.append(Campaign(id=cid, title=f"{'Баннер' if adv == 'BANNER' else 'Трафарет'} {cid}", adv_type=adv,
                            payment=pay, charged_via_accruals=False, sku_positions=positions,
                            daily_budget=int(rng.integers(5, 50)) * 100_000))
    return tuple(out)


def _positions(rng: np.random.Generator, seller: SellerWorld) -> tuple[int, ...]:
    n = int(rng.integers(2, 13))
    return tuple(sorted({int(p) for p in sample_skus(seller.catalog, rng, n)}))
