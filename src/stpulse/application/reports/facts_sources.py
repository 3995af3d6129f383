"""The operational facts of the report's shops (small integer keys) over one unit of work: what Операционка and
Возвраты read, and the account's models for every SKU report."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np

from stpulse.application.reports.sources import COMPENSATION_ARTICLES, ShopKeys
from stpulse.domain.kernel.period import day_number
from stpulse.domain.reports.facts import (
    REFUSALS,
    OrderFacts,
    ReturnFacts,
    SalesFacts,
    SkuHistory,
    StockLeft,
    place_of,
)
from stpulse.domain.reports.kinds import RollupGrain


class UowFactSources:
    """OrderReader, SalesReader, ReturnFactsReader, StockReader and ModelReader over one unit of work (the
    operational reports: Операционка, Возвраты; the account's models for every SKU report)."""

    def __init__(self, uow: Any, account_id: uuid.UUID, keys: ShopKeys) -> None:
        self.uow, self.account_id, self.k = uow, account_id, keys

    def _ids(self, shop_ids: Sequence[int]) -> list[uuid.UUID]:
        return [self.k.shop(k).id for k in shop_ids]

    async def order_facts(self, shop_ids: Sequence[int], first: dt.date, last: dt.date,
                          by_day: bool = True, by_month: bool = False, skus: Sequence[int] = ()) -> OrderFacts:
        arrays = await self.uow.report_facts.order_arrays(self._ids(shop_ids), first, last, by_day, by_month, skus)
        return OrderFacts.of_arrays([(self.k.key(shop), columns) for shop, columns in arrays.items()])

    async def sales_facts(self, shop_ids: Sequence[int], first: dt.date, last: dt.date) -> SalesFacts:
        rows = await self.uow.report_facts.sales_rows(self._ids(shop_ids), first, last)
        cols = [np.asarray(c, dtype=np.int64) for c in zip(*[(self.k.key(r[0]), r[1], day_number(r[2]), *r[3:])
                                                             for r in rows], strict=True)] if rows else \
            [np.zeros(0, np.int64)] * 7
        return SalesFacts(shop=cols[0], sku=cols[1], day=cols[2], sold=cols[3], sold_amount=cols[4],
                          returned=cols[5], returned_amount=cols[6])

    async def return_facts(self, shop_ids: Sequence[int], first: dt.date, last: dt.date) -> ReturnFacts:
        mapping = await self.uow.ledger.mapping()
        by_article: dict[str, list[int]] = {}
        for type_id, article in mapping.articles.items():
            by_article.setdefault(article, []).append(type_id)
        compensation = sorted(t for a in COMPENSATION_ARTICLES for t in by_article.get(a, []))
        lines = await self.uow.report_facts.return_lines(self._ids(shop_ids), first, last,
                                                         sorted(by_article.get("reverse_logistics", [])), compensation)
        reasons = tuple(sorted({x.reason for x in lines}))
        index = {r: i for i, r in enumerate(reasons)}
        ints = lambda values: np.asarray(values, dtype=np.int64)  # noqa: E731
        return ReturnFacts(
            reasons=reasons, shop=ints([self.k.key(x.shop_id) for x in lines]), sku=ints([x.sku for x in lines]),
            day=ints([day_number(x.day) for x in lines]), reason=ints([index[x.reason] for x in lines]),
            refusal=np.asarray([x.type in REFUSALS for x in lines], dtype=bool),
            place=ints([place_of(x.status) for x in lines]), quantity=ints([x.quantity for x in lines]),
            amount=ints([x.price for x in lines]), logistics=ints([x.logistics for x in lines]),
            compensation=ints([x.compensation for x in lines]))

    async def stock_left(self, shop_ids: Sequence[int], last: dt.date) -> StockLeft | None:
        day, rows = await self.uow.report_facts.stock_left(self._ids(shop_ids), last)
        if day is None:
            return None
        ints = lambda values: np.asarray(values, dtype=np.int64)  # noqa: E731
        return StockLeft(shop=ints([self.k.key(s) for s, _, _ in rows]), sku=ints([k for _, k, _ in rows]),
                         units=ints([u for _, _, u in rows]), day=day_number(day))

    async def sku_history(self, shop_ids: Sequence[int], first: dt.date, last: dt.date) -> SkuHistory:
        parts = [SkuHistory.of_rollup(key, await self.uow.report_data.monthly(self.k.shop(key).id, first, last,
                                                                               RollupGrain.ROWS, ()))
                 for key in shop_ids]
        return SkuHistory.concat(parts)

    async def models(self, account_id: object) -> dict[str, str]:
        return dict(await self.uow.report_settings.models(self.account_id))
