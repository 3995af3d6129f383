"""In-memory report reads, cost prices, own expenses and API tokens (same ports as adapters/db/reports/,
adapters/db/costs/ and adapters/db/accounts/api_tokens.py). Tables: the Store's `facts` (tests/fakes_facts.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from typing import Any

import msgspec
import numpy as np

from stpulse.application.accounts.ports import ApiToken, TokenOwner
from stpulse.application.costs.ports import OpexRecord
from stpulse.application.ledger.ports import CatalogItem
from stpulse.application.planning.ports import PlanTargetRecord
from stpulse.application.reports.ports import BuyoutRecord, LineFilter, LineSum, ReturnSale
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import day_number
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.reports.kinds import RollupGrain
from tests.fakes import Store
from tests.fakes_facts import month_end, rollup_rows
from tests.fakes_stock import FakeStockQueries

Row = tuple[int, int, int, int, int]  # (day number, sku, article, amount, quantity)


class _S:
    def __init__(self, store: Store) -> None:
        self.st, self.t = store, store.facts


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = month_end(month) + dt.timedelta(days=1)
    return out


def shaped(rows: list[Row], grain: str, sales: Sequence[int]) -> list[Row]:
    """The rows pre-aggregated to a report's grain as the SQL `_GRAINS` do: sales rows as stored; other articles by
    (month, article) with sku 0 (BY_MONTH) or −1 (BY_SKU); for BY_SKU also by (sku, article) over the period with
    day −1, and the shop-level rows (sku 0) as stored."""
    if grain not in (RollupGrain.BY_MONTH, RollupGrain.BY_SKU):
        return rows
    by_sku_grain = grain == RollupGrain.BY_SKU
    out = [r for r in rows if r[2] in sales]
    by_month: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    by_sku: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for day, sku, article, amount, quantity in rows:
        if article in sales:
            continue
        for cell in (by_month[(day, article)], *((by_sku[(sku, article)],) if by_sku_grain and sku else ())):
            cell[0] += amount
            cell[1] += quantity
    out += [(d, -1 if by_sku_grain else 0, a, m, q) for (d, a), (m, q) in by_month.items()]
    if by_sku_grain:
        out += [(-1, s, a, m, q) for (s, a), (m, q) in by_sku.items()]
        out += [r for r in rows if r[2] not in sales and r[1] == 0]
    return out


def _narrowed(x: AccrualLine, w: LineFilter) -> bool:
    return ((w.sku is None or (x.sku or 0) == w.sku) and (w.type_id is None or (x.type_id or 0) == w.type_id)
            and (not w.posting or x.unit_number == w.posting))


def _matches(x: AccrualLine, w: LineFilter) -> bool:
    if not _narrowed(x, w):
        return False
    if w.component == "sale":
        return x.component == Component.SALE and (x.amount >= 0 if w.sign >= 0 else x.amount < 0)
    if w.component == "commission":
        return x.component == Component.COMMISSION
    if x.component != Component.SERVICE:
        return False
    if w.other_than is not None:
        return x.type_id is None or x.type_id not in w.other_than
    return x.type_id is not None and x.type_id in w.type_ids


class FakeReportData(_S, FakeStockQueries):
    async def ad_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list:
        return []  # no ad statistics in the in-memory store: «Реклама» is empty with its notice

    async def snapshot(self) -> None:
        return None  # the unit of work already reads one copy of the store

    async def fingerprint(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID], first: dt.date,
                          last: dt.date, packs: bool = True, history_from: dt.date | None = None,
                          facts: bool = False) -> str | None:
        """Like PostgreSQL: None when a month of the period was never rebuilt (no stamp), else a digest of the
        months' stamps and of every small table a report reads whole; with `history_from` the stamps and expenses of
        the months from it up to `first` too (the fake stores no operational facts: `facts` adds nothing)."""
        if not shop_ids:
            return None
        shops = sorted(shop_ids)
        stamps = [self.t.stamps.get((s, m)) for s in shops for m in _months(first, last)]
        if None in stamps and packs:
            return None
        costs = [c for k, c in sorted(self.t.cost_prices.items()) if k[0] == account_id]
        parts = (stamps, costs,
                 [await self.catalog([s]) for s in shops], await self.opex(account_id, first, last),
                 sorted(await self.legal_entities(account_id), key=lambda e: e.id), sorted(self.t.ledger.items()),
                 await self.plan_targets(account_id, dt.date.min, dt.date.max))
        if history_from is not None:
            before = first - dt.timedelta(days=1)
            parts += ([self.t.stamps.get((s, m)) for s in shops for m in _months(history_from, before)],
                      await self.opex(account_id, history_from, before))
        return hashlib.sha256(msgspec.json.encode(parts)).hexdigest()[:32]

    async def monthly(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, grain: str = "rows",
                      sales: Sequence[int] = ()) -> np.ndarray:
        rows = [(day_number(month), sku, article, amount, quantity)
                for (shop, month, sku, article), (amount, quantity) in self.t.monthly.items()
                if shop == shop_id and first <= month <= last]
        return rollup_rows(shaped(rows, grain, tuple(sales)))

    async def shop_anywhere(self, shop_id: uuid.UUID) -> Shop | None:
        return self.st.shops.get(shop_id)

    async def daily(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, skus: Sequence[int],
                    articles: Sequence[int]) -> np.ndarray:
        return rollup_rows([(day_number(day), sku, article, amount, quantity)
                            for (shop, day, sku, article), (amount, quantity) in self.t.daily.items()
                            if shop == shop_id and first <= day <= last and sku in skus and article in articles])

    async def daily_sales(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                          articles: Sequence[int]) -> np.ndarray:
        return rollup_rows([(day_number(day), sku, article, amount, quantity)
                            for (shop, day, sku, article), (amount, quantity) in self.t.daily.items()
                            if shop == shop_id and first <= day <= last and sku > 0 and article in articles])

    async def plan_targets(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[PlanTargetRecord]:
        return await FakePlanTargets(self.st).between(account_id, first, last)

    async def catalog(self, shop_ids: Sequence[uuid.UUID]) -> list[CatalogItem]:
        return [CatalogItem(shop_id=shop_id, sku=p.sku, offer_id=p.offer_id, name=p.name)
                for shop_id in shop_ids
                for (shop, _), p in sorted(self.t.products.items()) if shop == shop_id]

    async def opex(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> tuple[OpexRecord, ...]:
        return tuple(await FakeOpex(self.st).between(account_id, first, last))

    async def legal_entities(self, account_id: uuid.UUID) -> tuple[LegalEntity, ...]:
        return tuple(e for e in self.st.entities.values() if e.account_id == account_id)

    async def lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    offset: int, limit: int) -> tuple[list[AccrualLine], int]:
        found = sorted(((x.date, x.accrual_id, x.line_no), x) for (shop, _, _), x in self.t.lines.items()
                       if shop in shop_ids and first <= x.date <= last and _matches(x, where))
        return [x for _, x in found[offset:offset + limit]], len(found)

    def _found(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter) -> list:
        return [x for _, x in sorted(((x.date, x.accrual_id, x.line_no), x) for (shop, _, _), x in self.t.lines.items()
                                     if shop in shop_ids and first <= x.date <= last and _matches(x, where))]

    async def line_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                        where: LineFilter) -> list[LineSum]:
        sums: dict[tuple[int | None, int | None], list[int]] = defaultdict(lambda: [0, 0, 0])
        for x in self._found(shop_ids, first, last, where):
            acc = sums[(x.type_id, x.sku)]
            acc[0], acc[1], acc[2] = acc[0] + 1, acc[1] + x.quantity, acc[2] + x.amount
        return [LineSum(type_id=t, sku=k, lines=n, quantity=q, amount=a) for (t, k), (n, q, a) in sums.items()]

    async def line_chunks(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                          size: int) -> AsyncIterator[list[AccrualLine]]:
        found = self._found(shop_ids, first, last, where)
        for i in range(0, len(found), size):
            yield found[i:i + size]

    async def buyouts(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[BuyoutRecord]:
        found = [(shop, b) for (shop, _, _), b in self.t.buyouts.items() if shop in shop_ids and first <= b.day <= last]
        return [BuyoutRecord(shop_id=shop, day=b.day, posting_number=b.row.posting_number, sku=b.row.sku,
                             offer_id=b.row.offer_id, name=b.row.name, quantity=b.row.quantity,
                             buyout_price=b.row.buyout_price, amount=b.row.amount)
                for shop, b in sorted(found, key=lambda x: (x[1].day, x[1].row.posting_number, x[1].row.sku))]

    async def return_sales(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[ReturnSale]:
        mine = [(shop, x) for (shop, _, _), x in self.t.lines.items() if shop in shop_ids
                and x.component == Component.SALE and x.unit_number is not None and x.sku is not None]
        found: dict[tuple[uuid.UUID, int, dt.date, dt.date], int] = {}
        for shop, r in mine:
            if r.amount < 0 and first <= r.date <= last:
                sales = [s.date for h, s in mine
                         if h == shop and s.amount > 0 and (s.unit_number, s.sku) == (r.unit_number, r.sku)
                         and s.date <= r.date]
                if sales:
                    key = (shop, r.sku, r.date, max(sales))  # type: ignore[arg-type]
                    found[key] = found.get(key, 0) + abs(r.quantity)
        return [ReturnSale(shop_id=k[0], sku=k[1], date=k[2], quantity=q, sale_date=k[3])
                for k, q in sorted(found.items()) if q]


class FakeCosts(_S):
    async def book(self, account_id: uuid.UUID) -> CostBook:
        return CostBook(entries=tuple(c for (a, _, _), c in self.t.cost_prices.items() if a == account_id))

    async def upsert(self, account_id: uuid.UUID, entries: Sequence[CostPrice]) -> None:
        for e in entries:
            self.t.cost_prices[(account_id, e.offer_id, e.effective_from)] = e

    async def delete(self, account_id: uuid.UUID, offer_id: str, effective_from: dt.date) -> None:
        self.t.cost_prices.pop((account_id, offer_id, effective_from), None)


class FakeOpex(_S):
    async def add(self, record: OpexRecord) -> None:
        self.t.opex[record.id] = record

    async def get(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> OpexRecord | None:
        found = self.t.opex.get(entry_id)
        return found if found is not None and found.account_id == account_id else None

    async def delete(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool:
        found = self.t.opex.get(entry_id)
        if found is None or found.account_id != account_id:
            return False
        del self.t.opex[entry_id]
        return True

    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[OpexRecord]:
        own = [r for r in self.t.opex.values() if r.account_id == account_id and first <= r.month <= last]
        return sorted(own, key=lambda r: (r.month, r.article))


class FakeApiTokens(_S):
    async def add(self, token: ApiToken) -> None:
        if any(t.token_hash == token.token_hash for t in self.t.api_tokens.values()):
            raise ValueError("token_hash is unique")
        self.t.api_tokens[token.id] = msgspec.structs.replace(token, created_at=dt.datetime.now(dt.UTC),
                                                              last_used_at=None)

    async def with_owner(self, token_hash: str) -> TokenOwner | None:
        token = await self.by_hash(token_hash)
        if token is None:
            return None
        membership = next((m for m in self.st.memberships.values()
                           if m.user_id == token.user_id and m.account_id == token.account_id), None)
        return TokenOwner(token=token, user=self.st.users.get(token.user_id),
                          account=self.st.accounts.get(token.account_id), membership=membership)

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.t.api_tokens.values() if t.token_hash == token_hash), None)

    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID) -> list[ApiToken]:
        own = [t for t in self.t.api_tokens.values() if t.account_id == account_id and t.user_id == user_id]
        return sorted(own, key=lambda t: t.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)

    async def revoke(self, account_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID, at: dt.datetime) -> bool:
        t = self.t.api_tokens.get(token_id)
        if t is None or t.account_id != account_id or t.user_id != user_id or t.revoked_at is not None:
            return False
        self.t.api_tokens[token_id] = msgspec.structs.replace(t, revoked_at=at)
        return True

    async def touch(self, token_id: uuid.UUID, at: dt.datetime) -> None:
        if (t := self.t.api_tokens.get(token_id)) is not None:
            self.t.api_tokens[token_id] = msgspec.structs.replace(t, last_used_at=at)

    async def revoke_for_user(self, user_id: uuid.UUID, at: dt.datetime) -> None:
        for token_id, t in list(self.t.api_tokens.items()):
            if t.user_id == user_id and t.revoked_at is None:
                self.t.api_tokens[token_id] = msgspec.structs.replace(t, revoked_at=at)


class FakePlanTargets(_S):
    """План's targets in the store (`Store.__dict__["plan_targets"]`: id → record)."""

    def _all(self) -> dict[uuid.UUID, PlanTargetRecord]:
        return self.st.__dict__.setdefault("plan_targets", {})  # type: ignore[no-any-return]

    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[PlanTargetRecord]:
        return sorted((r for r in self._all().values() if r.account_id == account_id and first <= r.month <= last),
                      key=lambda r: (r.month, str(r.shop_id), r.offer_id))

    async def upsert(self, records: Sequence[PlanTargetRecord]) -> None:
        known = self._all()
        for rec in records:
            same = next((k for k, r in known.items() if (r.shop_id, r.month, r.offer_id) ==
                         (rec.shop_id, rec.month, rec.offer_id)), None)
            if same is not None:
                rec = msgspec.structs.replace(rec, id=same)
            known[rec.id] = rec

    async def delete(self, account_id: uuid.UUID, target_id: uuid.UUID) -> PlanTargetRecord | None:
        found = self._all().get(target_id)
        if found is None or found.account_id != account_id:
            return None
        return self._all().pop(target_id)


class FakeReportFacts:
    """Posting lines from the stored postings (as the writer derives them); no returns or stock records."""

    def __init__(self, w: Any) -> None:
        self.w = w

    async def order_arrays(self, shop_ids: Any, first: Any, last: Any, by_day: bool = True,
                           by_month: bool = False, skus: Any = ()) -> dict:
        sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        for (shop, _), p in self.w.facts.postings.items():
            moment = p.created_at or p.in_process_at
            day = as_moscow(moment).date() if moment is not None else None
            if shop not in shop_ids or day is None or not first <= day <= last:
                continue
            at = day.replace(day=1) if by_month else day if by_day else first
            for x in p.products:
                if skus and x.sku not in skus:
                    continue
                q = max(x.quantity, 0)
                total = sums[(shop, x.sku, at, p.status[:64].startswith("cancelled"))]
                total[0], total[1] = total[0] + q, total[1] + q * max(x.price, 0)
        out: dict[Any, list[tuple[int, ...]]] = defaultdict(list)
        for (s, k, d, c), (q, a) in sums.items():
            out[s].append((day_number(d), k, int(c), q, a))
        return {s: np.array(rows, dtype=np.int64).reshape(-1, 5) for s, rows in out.items()}

    async def sales_rows(self, shop_ids: Any, first: Any, last: Any) -> list:
        return []

    async def return_lines(self, shop_ids: Any, first: Any, last: Any, logistics_types: Any,
                           compensation_types: Any) -> list:
        return []

    async def stock_left(self, shop_ids: Any, last: Any) -> tuple[None, list]:
        return None, []

    async def postings(self, shop_ids: Any, first: Any, last: Any, sku: Any, cancelled: Any, offset: int,
                       limit: int) -> tuple[list, int]:
        return [], 0

    async def fact_stamps(self, shop_ids: Any) -> str:
        return ""


class FakeReportSettings:
    """Models, chosen metrics and thresholds in the store's `report_settings` dict."""

    def __init__(self, w: Any) -> None:
        self.d: dict[str, dict] = w.billing.setdefault("report_settings", {"models": {}, "metrics": {}, "thresholds": {}})

    async def models(self, account_id: Any) -> dict[str, str]:
        return dict(self.d["models"].get(account_id, {}))

    async def replace_models(self, account_id: Any, models: Any) -> None:
        mine = self.d["models"].setdefault(account_id, {})
        for offer, model in models.items():
            if model:
                mine[offer] = model
            else:
                mine.pop(offer, None)

    async def metric_choice(self, user_id: Any, account_id: Any, report: str) -> tuple[str, ...] | None:
        return self.d["metrics"].get((user_id, account_id, report))

    async def save_metric_choice(self, user_id: Any, account_id: Any, report: str, metrics: Any) -> None:
        self.d["metrics"][(user_id, account_id, report)] = tuple(metrics)

    async def thresholds(self, account_id: Any) -> dict[str, int]:
        return dict(self.d["thresholds"].get(account_id, {}))

    async def save_thresholds(self, account_id: Any, values: Any) -> None:
        mine = self.d["thresholds"].setdefault(account_id, {})
        for k, v in values.items():
            if v is None:
                mine.pop(k, None)
            else:
                mine[k] = v
