"""Repositories of the ads context: keys (secrets stay encrypted bytes here) and the statistics it writes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.ads.models import PerformanceKeyRow
from stpulse.adapters.db.ledger import models as f
from stpulse.adapters.db.ledger.ad_models import AdCampaignRow, AdMonthRow, AdStatRow
from stpulse.adapters.db.ledger.rollup_lock import lock_shop_rollups
from stpulse.adapters.db.ledger.rollup_packs import refresh_monthly_packs
from stpulse.application.ads.ports import StoredKey
from stpulse.domain.ads.keys import KeyStatus, PerformanceKey
from stpulse.domain.ledger.ad_stats import AdCampaignInfo, AdStat
from stpulse.domain.ledger.articles import EXTERNAL_ADS

KEYS, CAMPAIGNS, STATS = bulk.table_of(PerformanceKeyRow), bulk.table_of(AdCampaignRow), bulk.table_of(AdStatRow)
AD_MONTHS = bulk.table_of(AdMonthRow)
LINES, DAILY, MONTHLY = bulk.table_of(f.AccrualLineRow), bulk.table_of(f.DailyRollupRow), bulk.table_of(f.MonthlyRollupRow)
_STAT_COLS = ("shop_id", "day", "campaign_id", "sku", "key_id", "spend", "views", "clicks", "orders", "revenue",
              "cabinet")
def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


_KEY_COLS = ("id", "account_id", "shop_id", "label", "organisation", "client_id", "status", "last_error",
             "created_at", "done_through", "last_sync_at")


def _key(row: sa.Row) -> StoredKey:
    m = row._mapping
    return StoredKey(secret=m["secret_encrypted"], key=PerformanceKey(
        id=m["id"], account_id=m["account_id"], shop_id=m["shop_id"], label=m["label"], organisation=m["organisation"],
        client_id=m["client_id"], status=KeyStatus(m["status"]), last_error=m["last_error"],
        created_at=m["created_at"], done_through=m["done_through"], last_sync_at=m["last_sync_at"]))


class AdKeyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, key: PerformanceKey, secret: bytes) -> None:
        values = {c: getattr(key, c) for c in _KEY_COLS} | {"status": key.status.value}
        await self.s.execute(sa.insert(KEYS).values(**values, secret_encrypted=secret))

    async def get(self, account_id: uuid.UUID, key_id: uuid.UUID) -> StoredKey | None:
        row = (await self.s.execute(sa.select(KEYS).where(KEYS.c.id == key_id, KEYS.c.account_id == account_id))).first()
        return _key(row) if row else None

    async def by_id(self, key_id: uuid.UUID) -> StoredKey | None:
        row = (await self.s.execute(sa.select(KEYS).where(KEYS.c.id == key_id))).first()
        return _key(row) if row else None

    async def of_shop(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> list[PerformanceKey]:
        rows = await self.s.execute(sa.select(KEYS).where(KEYS.c.account_id == account_id, KEYS.c.shop_id == shop_id)
                                    .order_by(KEYS.c.created_at, KEYS.c.id))
        return [_key(r).key for r in rows]

    async def rotate(self, key_id: uuid.UUID, secret: bytes, client_id: str) -> None:
        await self.s.execute(sa.update(KEYS).where(KEYS.c.id == key_id).values(
            secret_encrypted=secret, client_id=client_id, status=KeyStatus.ACTIVE.value, last_error=""))

    async def set_status(self, key_id: uuid.UUID, status: KeyStatus, error: str, at: dt.datetime) -> None:
        await self.s.execute(sa.update(KEYS).where(KEYS.c.id == key_id).values(
            status=status.value, last_error=error[:500], last_sync_at=at))

    async def set_done_through(self, key_id: uuid.UUID, day: dt.date, at: dt.datetime) -> None:
        await self.s.execute(sa.update(KEYS).where(KEYS.c.id == key_id).values(
            done_through=day, last_sync_at=at, last_error=""))

    async def remove(self, key_id: uuid.UUID) -> None:
        shop = (await self.s.execute(sa.select(KEYS.c.shop_id).where(KEYS.c.id == key_id))).scalar_one_or_none()
        days = (await self.s.execute(sa.select(sa.func.min(STATS.c.day), sa.func.max(STATS.c.day))
                                     .where(STATS.c.key_id == key_id))).one()
        await self.s.execute(sa.delete(STATS).where(STATS.c.key_id == key_id))
        await self.s.execute(sa.delete(KEYS).where(KEYS.c.id == key_id))
        if shop is not None and days[0] is not None:
            await AdStatsRepo(self.s).rebuild_cabinet_rollups(shop, days[0], days[1])


class AdStatsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def save_campaigns(self, shop_id: uuid.UUID, key_id: uuid.UUID, campaigns: Sequence[AdCampaignInfo]) -> None:
        rows = [(shop_id, c.campaign_id, key_id, c.title[:300], c.adv_type[:32], c.payment[:16])
                for c in {c.campaign_id: c for c in campaigns}.values()]
        await bulk.upsert(self.s, CAMPAIGNS, ("shop_id", "campaign_id", "key_id", "title", "adv_type", "payment"),
                          rows, ("shop_id", "campaign_id"))

    async def accrual_charges(self, shop_id: uuid.UUID, campaign_ids: Collection[int], date_from: dt.date,
                              date_to: dt.date) -> Mapping[tuple[int, dt.date], int]:
        """Kopecks the accruals charged per (campaign, day): service lines on no SKU whose unit number is the id."""
        wanted = {str(c) for c in campaign_ids}
        query = sa.select(LINES.c.unit_number, LINES.c.date, sa.func.sum(LINES.c.amount)).where(
            LINES.c.shop_id == shop_id, LINES.c.date.between(date_from, date_to), LINES.c.component == "service",
            LINES.c.sku.is_(None), LINES.c.unit_number.is_not(None)).group_by(LINES.c.unit_number, LINES.c.date)
        out: dict[tuple[int, dt.date], int] = defaultdict(int)
        for unit, day, amount in (await self.s.execute(query)).all():
            if unit in wanted:
                out[int(unit), day] -= int(amount)
        return out

    async def replace_stats(self, shop_id: uuid.UUID, key_id: uuid.UUID, campaign_ids: Collection[int],
                            date_from: dt.date, date_to: dt.date, stats: Sequence[AdStat]) -> None:
        await self.s.execute(sa.delete(STATS).where(STATS.c.shop_id == shop_id, STATS.c.key_id == key_id,
                                                    STATS.c.day.between(date_from, date_to)))
        unique = {(s.date, s.campaign_id, s.sku): s for s in stats}
        rows = [(shop_id, s.date, s.campaign_id, s.sku, key_id, s.spend, s.views, s.clicks, s.orders, s.revenue,
                 s.cabinet) for s in unique.values()]
        await bulk.upsert(self.s, STATS, _STAT_COLS, rows, ("shop_id", "day", "campaign_id", "sku"))

    async def rebuild_cabinet_rollups(self, shop_id: uuid.UUID, date_from: dt.date, date_to: dt.date) -> None:
        """«Реклама из рекламного кабинета» in the daily rollups of the days, then their months and packs."""
        await lock_shop_rollups(self.s, shop_id)
        await self.s.execute(sa.delete(DAILY).where(DAILY.c.shop_id == shop_id, DAILY.c.article == EXTERNAL_ADS,
                                                    DAILY.c.day.between(date_from, date_to)))
        spent = sa.func.sum(STATS.c.cabinet)
        source = sa.select(STATS.c.shop_id, STATS.c.day, STATS.c.sku, sa.literal(EXTERNAL_ADS, sa.SmallInteger),
                           -spent, sa.literal(0, sa.BigInteger)).where(
            STATS.c.shop_id == shop_id, STATS.c.day.between(date_from, date_to)).group_by(
            STATS.c.shop_id, STATS.c.day, STATS.c.sku).having(spent > 0)
        await self.s.execute(sa.insert(DAILY).from_select(
            ["shop_id", "day", "sku", "article", "amount", "quantity"], source))
        months, month = [], date_from.replace(day=1)
        while month <= date_to:
            months.append(month)
            month = month_end(month) + dt.timedelta(days=1)
        for first in months:
            await self.s.execute(sa.delete(MONTHLY).where(MONTHLY.c.shop_id == shop_id, MONTHLY.c.month == first))
            rows = sa.select(DAILY.c.shop_id, sa.literal(first, sa.Date), DAILY.c.sku, DAILY.c.article,
                             sa.func.sum(DAILY.c.amount), sa.func.sum(DAILY.c.quantity)).where(
                DAILY.c.shop_id == shop_id, DAILY.c.day.between(first, month_end(first))).group_by(
                DAILY.c.shop_id, DAILY.c.sku, DAILY.c.article)
            await self.s.execute(sa.insert(MONTHLY).from_select(
                ["shop_id", "month", "sku", "article", "amount", "quantity"], rows))
        await refresh_monthly_packs(self.s, shop_id, months)
        await self._rebuild_ad_months(shop_id, months)

    async def _rebuild_ad_months(self, shop_id: uuid.UUID, months: list[dt.date]) -> None:
        """The months' statistics summed again from the daily rows (the report reads these)."""
        sums = [sa.func.sum(STATS.c[c]) for c in ("spend", "views", "clicks", "orders", "revenue")]
        for first in months:
            await self.s.execute(sa.delete(AD_MONTHS).where(AD_MONTHS.c.shop_id == shop_id,
                                                            AD_MONTHS.c.month == first))
            rows = sa.select(STATS.c.shop_id, sa.literal(first, sa.Date), STATS.c.campaign_id, STATS.c.sku, *sums).where(
                STATS.c.shop_id == shop_id, STATS.c.day.between(first, month_end(first))).group_by(
                STATS.c.shop_id, STATS.c.campaign_id, STATS.c.sku)
            await self.s.execute(sa.insert(AD_MONTHS).from_select(
                ["shop_id", "month", "campaign_id", "sku", "spend", "views", "clicks", "orders", "revenue"], rows))
