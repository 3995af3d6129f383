"""The cash context's storage: money accounts, categories and entries, always filtered by the account; and Ozon's
side of the ДДС read from the ledger (accruals) and the imported balances (`ozon_balances`: payouts, Ozon's balance)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Date, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.cash import models as c
from stpulse.adapters.db.ledger import models as f
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.ledger.settlement_models import BalanceDayRow
from stpulse.adapters.db.mapping import apply, row_values, to_domain
from stpulse.adapters.db.reports import content_cache
from stpulse.application.cash.ports import MonthMoves, OzonMoneyMonth
from stpulse.domain.cash.book import CashCategory, CashEntry, MoneyAccount
from stpulse.domain.kernel.period import day_date, months_between
from stpulse.domain.ledger.articles import accrual_indices

_DIGEST = ", ".join(content_cache.expression(table, f"{table}.*", "account_id = :account")
                    for table in ("cash_accounts", "cash_categories", "cash_entries"))


class CashRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def accounts(self, account_id: uuid.UUID) -> list[MoneyAccount]:
        row = c.CashAccountRow
        stmt = select(row).where(row.account_id == account_id).order_by(row.kind, row.name)
        return [to_domain(r, MoneyAccount) for r in (await self.s.execute(stmt)).scalars()]

    async def save_account(self, account: MoneyAccount) -> None:
        await self._save(c.CashAccountRow, account)
        if account.receives_payouts:  # one account receives Ozon's payouts
            others = (await self.s.execute(select(c.CashAccountRow).where(
                c.CashAccountRow.account_id == account.account_id, c.CashAccountRow.id != account.id))).scalars()
            for other in others:
                other.receives_payouts = False
        await self.s.flush()

    async def _save(self, model: Any, obj: MoneyAccount | CashCategory | CashEntry) -> None:
        found = await self.s.scalar(select(model).where(model.id == obj.id, model.account_id == obj.account_id))
        if found is None:
            self.s.add(model(**row_values(obj)))
        else:
            apply(found, row_values(obj), skip=("id", "account_id"))
        await self.s.flush()

    async def delete_account(self, account_id: uuid.UUID, money_account_id: uuid.UUID) -> bool:
        row = c.CashAccountRow
        result = await self.s.execute(delete(row).where(row.id == money_account_id, row.account_id == account_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def categories(self, account_id: uuid.UUID) -> list[CashCategory]:
        row = c.CashCategoryRow
        stmt = select(row).where(row.account_id == account_id).order_by(row.activity, row.flow, row.name)
        return [to_domain(r, CashCategory) for r in (await self.s.execute(stmt)).scalars()]

    async def save_category(self, category: CashCategory) -> None:
        await self._save(c.CashCategoryRow, category)

    async def delete_category(self, account_id: uuid.UUID, category_id: uuid.UUID) -> bool:
        row = c.CashCategoryRow
        result = await self.s.execute(delete(row).where(row.id == category_id, row.account_id == account_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def used(self, account_id: uuid.UUID, *, category_id: uuid.UUID | None = None,
                   money_account_id: uuid.UUID | None = None) -> int:
        row = c.CashEntryRow
        stmt = select(func.count()).select_from(row).where(row.account_id == account_id)
        if category_id is not None:
            stmt = stmt.where(row.category_id == category_id)
        if money_account_id is not None:
            stmt = stmt.where(row.money_account_id == money_account_id)
        return int(await self.s.scalar(stmt) or 0)

    async def entries(self, account_id: uuid.UUID, first: dt.date, last: dt.date, offset: int,
                      limit: int) -> tuple[list[CashEntry], int]:
        row = c.CashEntryRow
        where = (row.account_id == account_id, row.date >= first, row.date <= last)
        count = int(await self.s.scalar(select(func.count()).select_from(row).where(*where)) or 0)
        stmt = select(row).where(*where).order_by(row.date.desc(), row.id.desc()).offset(offset).limit(limit)
        return [to_domain(r, CashEntry) for r in (await self.s.execute(stmt)).scalars()], count

    async def all_entries(self, account_id: uuid.UUID) -> list[CashEntry]:
        row = c.CashEntryRow
        stmt = select(row).where(row.account_id == account_id).order_by(row.date, row.id)
        return [to_domain(r, CashEntry) for r in (await self.s.execute(stmt)).scalars()]

    async def entry_ids(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        row, found = c.CashEntryRow, set()
        for start in range(0, len(ids), 1000):  # a fixed number of bind parameters per query
            chunk = list(ids[start:start + 1000])
            chunk += [chunk[-1]] * (1000 - len(chunk)) if chunk else []
            stmt = select(row.id).where(row.account_id == account_id, row.id.in_(chunk))
            found |= set((await self.s.execute(stmt)).scalars())
        return found

    async def save_entries(self, entries: Sequence[CashEntry]) -> None:
        if not entries:
            return
        existing = await self.entry_ids(entries[0].account_id, [e.id for e in entries])
        for e in entries:
            found = await self.s.get(c.CashEntryRow, e.id) if e.id in existing else None
            if found is None:
                self.s.add(c.CashEntryRow(**row_values(e)))
            else:
                apply(found, row_values(e), skip=("id", "account_id"))
        await self.s.flush()

    async def delete_entry(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool:
        row = c.CashEntryRow
        result = await self.s.execute(delete(row).where(row.id == entry_id, row.account_id == account_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def month_moves(self, account_id: uuid.UUID, last: dt.date) -> list[MonthMoves]:
        row = c.CashEntryRow
        if self.s.get_bind().dialect.name == "postgresql":  # summed by the database: one row per account, category, month
            month = func.date_trunc("month", row.date).cast(Date)
            stmt = (select(row.money_account_id, row.category_id, month, func.sum(row.amount))
                    .where(row.account_id == account_id, row.date <= last).group_by(row.money_account_id,
                                                                                   row.category_id, month))
            return [MonthMoves(money_account_id=a, category_id=k, month=m, amount=int(v))
                    for a, k, m, v in (await self.s.execute(stmt)).all()]
        rows = (await self.s.execute(select(row.money_account_id, row.category_id, row.date, row.amount).where(
            row.account_id == account_id, row.date <= last))).all()
        sums: dict[tuple[uuid.UUID, uuid.UUID, dt.date], int] = {}
        for account, category, day, amount in rows:
            key = (account, category, day.replace(day=1))
            sums[key] = sums.get(key, 0) + amount
        return [MonthMoves(money_account_id=a, category_id=k, month=m, amount=v) for (a, k, m), v in sums.items()]

    async def digest(self, account_id: uuid.UUID) -> str:
        if self.s.get_bind().dialect.name != "postgresql":
            return ""
        row = (await self.s.execute(text(f"SELECT {_DIGEST}"), {"account": account_id})).one()
        return "/".join(str(v) for v in row)


_ACCRUAL_ARTICLES = accrual_indices()


_ACCRUED: OrderedDict[tuple, dict[tuple[uuid.UUID, dt.date], int]] = OrderedDict()  # per process, keyed by the packs' stamps


def forget() -> None:
    """Empty this process's copies (benches and tests that measure a computation from scratch)."""
    _ACCRUED.clear()


class LedgerOzonMoney:
    """OzonMoneyReader over the ledger: what Ozon accrued per shop and month is the sum of the accrual articles of
    the monthly rollups; what it paid out and its own balance come from `/v1/finance/balance` as the sync imports it
    day by day (`ozon_balances`, application/ozon/settlement_sync.py): the payouts dated by the day's `payments`
    (the reconciliation's «Выплачено» reads the same rows), Ozon's balance at a month's end is the closing of the
    month's last imported day. Where no day is imported for the shops, `payouts_known` is false (the report says
    «Выплаты Ozon ещё не загружены»)."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _stamps(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> str:
        if self.s.get_bind().dialect.name != "postgresql" or not shop_ids:
            return ""
        p = f.MonthlyPackRow
        rows = (await self.s.execute(select(p.shop_id, p.month, p.stamp).where(
            p.shop_id.in_(sorted(shop_ids)), p.month <= last).order_by(p.shop_id, p.month))).all()
        return ",".join(f"{s}/{m}/{st}" for s, m, st in rows)

    async def ozon_months(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> list[OzonMoneyMonth]:
        accrued = await self._accrued(shop_ids, last)
        paid = await self.payouts(shop_ids, last)
        keys = sorted(set(accrued) | set(paid))
        return [OzonMoneyMonth(shop_id=s, month=m, accrued=accrued.get((s, m), 0), paid_out=paid.get((s, m), 0))
                for s, m in keys]

    async def payouts(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dict[tuple[uuid.UUID, dt.date], int]:
        """(shop, month's first day) → Ozon's payouts to the seller in that month (the imported balance days'
        payments, positive), through `last`."""
        if not shop_ids:
            return {}
        b = BalanceDayRow  # a few payout days a month: summed here, the same on PostgreSQL and SQLite
        stmt = select(b.shop_id, b.day, b.paid).where(b.shop_id.in_(sorted(shop_ids)), b.day <= last, b.lines > 0)
        out: dict[tuple[uuid.UUID, dt.date], int] = {}
        for shop, day, paid in (await self.s.execute(stmt)).all():
            key = (shop, day.replace(day=1))
            out[key] = out.get(key, 0) + int(paid)
        return out

    def _pg(self) -> bool:
        return self.s.get_bind().dialect.name == "postgresql"

    async def _accrued(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dict[tuple[uuid.UUID, dt.date], int]:
        stamps = await self._stamps(shop_ids, last)
        key = (tuple(sorted(shop_ids)), last, stamps)
        if stamps and key in _ACCRUED:
            _ACCRUED.move_to_end(key)
            return _ACCRUED[key]
        out: dict[tuple[uuid.UUID, dt.date], int] = {}
        for shop in sorted(shop_ids):
            out |= await self._shop_accrued(shop, last)
        if stamps:
            _ACCRUED[key] = out
            while len(_ACCRUED) > 256:
                _ACCRUED.popitem(last=False)
        return out

    async def _shop_accrued(self, shop: uuid.UUID, last: dt.date) -> dict[tuple[uuid.UUID, dt.date], int]:
        """From the packed months (decoded once per process and stamp, shared with the reports) when every month
        from the first packed one on is packed, as on PostgreSQL the writers keep them; else from the rows."""
        if self.s.get_bind().dialect.name == "postgresql":
            known = await rollup_packs.stamps(self.s, shop, dt.date(1970, 1, 1), last)
            if known and len(known) == months_between(day_date(min(known)), last):
                out = {}
                for rows in await rollup_packs.packed_months(self.s, shop, known):
                    if len(rows):
                        keep = np.isin(rows[:, 2], _ACCRUAL_ARTICLES)
                        out[(shop, day_date(int(rows[0, 0])))] = int(rows[keep, 3].sum())
                return out
        r = f.MonthlyRollupRow
        stmt = (select(r.month, func.sum(r.amount)).where(
            r.shop_id == shop, r.month <= last, r.article.in_([int(a) for a in _ACCRUAL_ARTICLES]))
            .group_by(r.month))
        return {(shop, m): int(v or 0) for m, v in (await self.s.execute(stmt)).all()}

    async def payouts_known(self, shop_ids: Sequence[uuid.UUID]) -> bool:
        """Whether Ozon's balance (and so its payouts) is imported for any of the shops."""
        if not shop_ids:
            return False
        b = BalanceDayRow
        return await self.s.scalar(select(b.day).where(b.shop_id.in_(sorted(shop_ids))).limit(1)) is not None

    async def ozon_balances(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                            last: dt.date) -> Mapping[tuple[uuid.UUID, dt.date], int]:
        """(shop, month's first day) → Ozon's balance at the end of the month's last imported day, first..last."""
        if not shop_ids:
            return {}
        b = BalanceDayRow
        stmt = (select(b.shop_id, b.day, b.closing)
                .where(b.shop_id.in_(sorted(shop_ids)), b.day.between(first, last)).order_by(b.shop_id, b.day))
        out: dict[tuple[uuid.UUID, dt.date], int] = {}
        for s, day, closing in (await self.s.execute(stmt)).all():
            out[(s, day.replace(day=1))] = int(closing)  # ordered by day: the month's last day wins
        return out

    async def ozon_openings(self, shop_ids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        """shop → the `opening` of its first imported balance day, when no accrual of the ledger is older than that
        day (the sync imports accruals and balances for the same days): Ozon's balance before everything the ДДС
        counts. A shop whose accruals start before its balances is left out (it starts at 0, and the report's
        «Расхождение с балансом Ozon» shows what is missing)."""
        out: dict[uuid.UUID, int] = {}
        b, a = BalanceDayRow, f.AccrualLineRow
        for shop in sorted(shop_ids):
            first = (await self.s.execute(select(b.day, b.opening).where(b.shop_id == shop)
                                          .order_by(b.day).limit(1))).first()
            if first is None or not first.opening:
                continue
            accrued_from = await self.s.scalar(select(func.min(a.date)).where(a.shop_id == shop))
            if accrued_from is None or accrued_from >= first.day:
                out[shop] = int(first.opening)
        return out

    async def digest(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> str:
        """The packs' stamps (accruals) and a fingerprint of the imported balance days (payouts, Ozon's balance)."""
        stamps = await self._stamps(shop_ids, last)
        if not self._pg() or not shop_ids:
            return stamps
        sql = content_cache.digest("ozon_balances", "day, opening, accrued, paid, closing, lines",
                                   "shop_id = ANY(:shops) AND day <= :last")
        balances = await self.s.scalar(text(sql), {"shops": sorted(shop_ids), "last": last})
        return f"{stamps}|ozon_balances:{balances}"
