"""A seller's catalogue: SKUs with prices, commissions and logistics tariffs, drawn once per seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stpulse.adapters.sandbox.ozon.profiles import STREAM_CATALOG, Profile, rng_for
from stpulse.adapters.sandbox.ozon.reference import ADJECTIVES, CATEGORIES, COLOURS, NOUNS, fbo_warehouses


@dataclass(frozen=True, eq=False)
class Catalog:
    """Column arrays indexed by SKU position 0..n-1 (money in kopecks)."""

    salt: int  # two digits mixed into posting numbers and ids so shops do not collide
    sku: np.ndarray  # int64, Ozon SKU
    product_id: np.ndarray  # int64
    price: np.ndarray  # int64 kopecks, whole roubles (seller price)
    old_price: np.ndarray  # int64 kopecks, the crossed-out price
    commission_bp: np.ndarray  # int64 basis points of sale_amount
    category: np.ndarray  # int64 index into CATEGORIES
    logistic: np.ndarray  # int64 kopecks per unit, whole roubles (type 32)
    weight: np.ndarray  # float64 cumulative popularity for sampling
    is_star: np.ndarray  # bool
    volume_weight: np.ndarray  # float64 litres
    warehouses: np.ndarray  # int64 [n, 4] indices into fbo_warehouses(), -1 = none
    campaign_ids: np.ndarray  # int64 advertising campaigns charged through accruals
    fbs_warehouse_id: int
    company_id: int

    @property
    def n(self) -> int:
        return int(self.sku.size)

    def offer_id(self, i: int) -> str:
        return f"ART-{self.salt:02d}-{i:05d}"

    def name(self, i: int) -> str:
        noun = NOUNS[(i * 7 + self.salt) % len(NOUNS)]
        adj = ADJECTIVES[(i // 3 + self.salt) % len(ADJECTIVES)]
        colour = COLOURS[(i // 5) % len(COLOURS)]
        return f"{noun} {adj}, {colour}, арт. {self.offer_id(i)}"

    def barcode(self, i: int) -> str:
        return f"46{self.salt:02d}{int(self.sku[i]) % 10**9:09d}"

    def category_of(self, i: int) -> tuple[int, str, int]:
        return CATEGORIES[int(self.category[i])]

    def index_of_sku(self, skus: np.ndarray) -> np.ndarray:
        """Positions of the given SKUs (-1 where unknown)."""
        skus = np.asarray(skus, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.sku, skus), 0, self.n - 1)  # SKUs are generated ascending
        return np.where(self.sku[pos] == skus, pos, -1)


def build_catalog(seed: int, profile: Profile) -> Catalog:
    rng = rng_for(seed, STREAM_CATALOG)
    n = profile.n_skus
    sku = np.sort(rng.choice(3_000_000_000, size=n, replace=False).astype(np.int64)) + 100_000_000
    product_id = sku // 3 + 7_000_000
    roubles = np.clip(np.round(np.exp(rng.normal(7.0, 0.7, n))), 99, 49_999).astype(np.int64)
    category = rng.integers(0, len(CATEGORIES), n)
    commission_bp = np.array([c[2] for c in CATEGORIES], dtype=np.int64)[category]
    popularity = rng.pareto(1.2, n) + 0.05
    return Catalog(
        salt=seed % 100,
        sku=sku,
        product_id=product_id,
        price=roubles * 100,
        old_price=(roubles * rng.uniform(1.1, 1.8, n)).astype(np.int64) * 100,
        commission_bp=commission_bp,
        category=category,
        logistic=rng.integers(63, 260, n).astype(np.int64) * 100,
        weight=np.cumsum(popularity / popularity.sum()),
        is_star=rng.random(n) < profile.star_share,
        volume_weight=np.round(rng.uniform(0.2, 25.0, n), 2),
        warehouses=_stock_warehouses(rng, n, profile.n_fbo_warehouses),
        campaign_ids=rng.choice(20_000_000, size=profile.n_campaigns, replace=False).astype(np.int64) + 4_000_000,
        fbs_warehouse_id=int(rng.integers(10**13, 3 * 10**13)),
        company_id=int(rng.integers(100_000, 3_000_000)),
    )


def _stock_warehouses(rng: np.random.Generator, n: int, n_used: int) -> np.ndarray:
    """Each SKU sits in 1–4 of the seller's `n_used` FBO warehouses (the first of fbo_warehouses())."""
    n_used = min(n_used, len(fbo_warehouses()))
    width = min(4, n_used)
    picks = np.argsort(rng.random((n, n_used)), axis=1)[:, :width]
    counts = rng.integers(1, width + 1, n)
    out = np.full((n, 4), -1, dtype=np.int64)
    out[:, :width] = np.where(np.arange(width)[None, :] < counts[:, None], picks, -1)
    return out


def sample_skus(catalog: Catalog, rng: np.random.Generator, size: int) -> np.ndarray:
    """SKU positions drawn by popularity (a long tail, as real shops have)."""
    return np.searchsorted(catalog.weight, rng.random(size) * catalog.weight[-1]).clip(0, catalog.n - 1)
