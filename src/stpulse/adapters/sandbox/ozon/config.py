"""Settings of the Ozon Seller API sandbox: which shops it serves and which faults it injects.

Generation never reads the clock: `today` is part of the configuration, so the same config always
produces the same world. An entrypoint that wants a live world passes `today=date.today()` itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stpulse.adapters.sandbox.ozon.limits import ACCRUAL_BY_DAY_PAGE_SIZE
from stpulse.adapters.sandbox.ozon.performance.config import PerformanceConfig

DEFAULT_TODAY = dt.date(2026, 9, 30)
DEFAULT_HISTORY_DAYS = 730  # two years of history end at `today`
# Ozon extends its accrual type dictionary at any time. Every id of the real dictionary is mapped in
# ARTICLES.md, so the sandbox adds one id Ozon "just introduced" (served by /v1/finance/accrual/types
# too) to exercise the «unmapped type» path. Set to () to serve only the real dictionary.
DEFAULT_EXTRA_TYPES: tuple[tuple[int, str, str], ...] = (
    (133, "SandboxNewServiceFee", "Новая услуга Ozon (песочница)"),
)


@dataclass(frozen=True, kw_only=True)
class ShopConfig:
    """One seller: the Client-Id/Api-Key pair that opens it and the (seed, profile) that generates it."""

    client_id: str
    api_key: str
    seed: int
    profile: str = "small"


@dataclass(kw_only=True)
class FaultConfig:
    """Injected failures. Shares are probabilities in [0, 1]; decisions are seeded, never data-changing."""

    share_429: float = 0.0
    share_5xx: float = 0.0
    share_slow: float = 0.0
    slow_seconds: float = 0.0
    revoked_client_ids: set[str] = field(default_factory=set)
    seed: int = 0
    # A retried identical request is faulted at most this many times in a row, so retries converge.
    max_consecutive: int = 2
    # Odd answers that keep the truth (data_faults.py): a share of accruals dated a neighbouring day (also
    # across a month end) in the answer of the day asked for; a share repeated in their answer, and each later
    # page of a day opening with the last accrual of the page before.
    share_redated: float = 0.0
    share_repeated: float = 0.0
    # A share of accruals in an odd shape Ozon has sent: amounts as JSON numbers, `total_amount: null`, or a
    # POSTING product without `quantity` (a third each). Money stays true; the missing quantity is lost.
    share_odd: float = 0.0
    # One payout line lost: the first payment of this day is missing from /v1/finance/balance's `payments`
    # (the balances stay true), so the reconciliation must show exactly that amount as unexplained.
    drop_payout_on: dt.date | None = None


@dataclass(kw_only=True)
class SandboxConfig:
    shops: list[ShopConfig] = field(default_factory=list)
    today: dt.date = DEFAULT_TODAY
    history_days: int = DEFAULT_HISTORY_DAYS
    faults: FaultConfig = field(default_factory=FaultConfig)
    extra_accrual_types: tuple[tuple[int, str, str], ...] = DEFAULT_EXTRA_TYPES
    accrual_page_size: int = ACCRUAL_BY_DAY_PAGE_SIZE  # accruals per /v1/finance/accrual/by-day page (smaller: more pages)
    day_cache_size: int = 8  # generated accrual days kept per shop
    origin_cache_size: int = 40  # generated order days kept per shop (≥ the accrual look-back + 2)
    # the Performance API's ad accounts (performance.config.PerformanceConfig), served beside the Seller API
    performance: PerformanceConfig | None = None


def numbered_shops(client_id: str, api_key: str, seed: int, profile: str, count: int = 1) -> list[ShopConfig]:
    """`count` sellers, deterministic from the first one: the i-th (from 0) has Client-Id `client_id + i`, Api-Key
    `api_key` (the first) or `api_key-i`, and seed `seed + i`, so benches can open a thousand shops of one sandbox."""
    if count < 1 or (count > 1 and not client_id.isdigit()):
        raise ValueError("count ≥ 1, and a numeric Client-Id for several shops")
    return [ShopConfig(client_id=str(int(client_id) + i) if i else client_id, api_key=api_key if i == 0 else f"{api_key}-{i}",
                       seed=seed + i, profile=profile) for i in range(count)]
