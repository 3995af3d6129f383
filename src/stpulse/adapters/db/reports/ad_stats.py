"""The «Реклама» report's reading of the ad statistics: summed per (shop, campaign, SKU) over the period in SQL from
the monthly sums (`ad_stats_monthly`; a report's period is whole months), plus the campaigns' titles."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.bulk import table_of
from stpulse.adapters.db.ledger.ad_models import AdCampaignRow, AdMonthRow

STATS, CAMPAIGNS = table_of(AdMonthRow), table_of(AdCampaignRow)
SUMMED = ("spend", "views", "clicks", "orders", "revenue")


async def period_sums(session: AsyncSession, shop_id: uuid.UUID, first: dt.date, last: dt.date
                      ) -> tuple[np.ndarray, dict[int, str]]:
    """int64 [row, (campaign, sku, spend, views, clicks, orders, revenue)] of one shop, and campaign titles."""
    query = sa.select(STATS.c.campaign_id, STATS.c.sku, *(sa.func.sum(STATS.c[c]) for c in SUMMED)).where(
        STATS.c.shop_id == shop_id, STATS.c.month.between(first.replace(day=1), last)).group_by(STATS.c.campaign_id, STATS.c.sku)
    rows = (await session.execute(query)).all()
    titles = {int(c): t for c, t in (await session.execute(
        sa.select(CAMPAIGNS.c.campaign_id, CAMPAIGNS.c.title).where(CAMPAIGNS.c.shop_id == shop_id))).all()}
    return np.array([[int(v) for v in r] for r in rows], dtype=np.int64).reshape(-1, 7), titles


async def shops_period_sums(session: AsyncSession, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date
                            ) -> list[tuple[uuid.UUID, np.ndarray, dict[int, str]]]:
    return [(shop, *(await period_sums(session, shop, first, last))) for shop in shop_ids]
