"""SQL repositories of billing. Rows are mapped to domain structs and billing records explicitly."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import msgspec
from sqlalchemy import ColumnClause, func, literal_column, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.accounts.models import AccountRow
from stpulse.adapters.db.billing import models as b
from stpulse.adapters.db.billing.payments import PaymentRepo as PaymentRepo
from stpulse.adapters.db.mapping import apply, row_values, to_domain
from stpulse.application.billing.records import (
    InvoiceRecord,
    StoredPromo,
    WebhookEvent,
)
from stpulse.domain.billing import (
    Entry,
    PromoCode,
    Requisites,
    Subscription,
    SubscriptionStatus,
    Tariff,
    TariffLimits,
    TrialRecord,
)

_ENTRIES = msgspec.json.Decoder(tuple[Entry, ...])


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


def _tariff(row: b.TariffRow) -> Tariff:
    limits = TariffLimits(max_shops=row.max_shops, max_skus=row.max_skus, history_months=row.history_months,
                          features=frozenset(f for f in row.features.split(",") if f))
    discounts = {int(k): int(v) for k, v in json.loads(row.period_discounts or "{}").items()}
    return Tariff(code=row.code, name=row.name, monthly_price=row.monthly_price, limits=limits,
                  period_discounts=discounts, assigned_user_id=row.assigned_user_id, archived=row.archived)


def _tariff_values(t: Tariff) -> dict:
    return {"code": t.code, "name": t.name, "monthly_price": t.monthly_price, "max_shops": t.limits.max_shops,
            "max_skus": t.limits.max_skus, "history_months": t.limits.history_months,
            "features": ",".join(sorted(t.limits.features)),
            "period_discounts": json.dumps({str(k): v for k, v in sorted(t.period_discounts.items())}),
            "assigned_user_id": t.assigned_user_id, "archived": t.archived}


# PostgreSQL: a digest of the few tariff rows (count and sum of 64-bit row hashes), read with the subscription
# (`SubscriptionRepo.of_account`), so an entitlement check takes the tariffs from this process's copy under it
_TARIFFS_DIGEST = "(SELECT count(*) || ':' || coalesce(sum(hash_record_extended(ROW(t.*), 0)), 0) FROM tariffs t)"
_DIGEST_READ = "stpulse.tariffs_digest"  # session.info: (transaction, digest)
_COPIES: dict[str, tuple[Tariff, ...]] = {}  # digest → the tariffs read with it (the last few)


def _postgres(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


class TariffRepo(_Repo):
    async def all(self) -> list[Tariff]:
        """Every tariff, cheapest first. On PostgreSQL after `SubscriptionRepo.of_account` in the same transaction,
        the copy read under the digest it saw; a copy is only kept with the digest read in the same statement."""
        memo = self.s.info.get(_DIGEST_READ)
        if memo is not None and memo[0] is self.s.sync_session.get_transaction() and memo[1] in _COPIES:
            return list(_COPIES[memo[1]])
        if not _postgres(self.s):
            rows = (await self.s.execute(select(b.TariffRow).order_by(b.TariffRow.monthly_price))).scalars()
            return [_tariff(r) for r in rows]
        one = select(literal_column(_TARIFFS_DIGEST).label("digest")).subquery()  # a row also with no tariff
        stmt: Any = (select(one.c.digest, b.TariffRow).select_from(one).outerjoin(b.TariffRow, true())
                     .order_by(b.TariffRow.monthly_price))
        found: list[tuple[Any, ...]] = [tuple(r) for r in (await self.s.execute(stmt)).all()]
        tariffs = tuple(_tariff(row[1]) for row in found if row[1] is not None)
        while len(_COPIES) >= 8:
            _COPIES.pop(next(iter(_COPIES)))
        _COPIES[str(found[0][0])] = tariffs
        return list(tariffs)

    async def get(self, code: str) -> Tariff | None:
        row = (await self.s.execute(select(b.TariffRow).where(b.TariffRow.code == code))).scalar_one_or_none()
        return _tariff(row) if row else None

    async def save(self, tariff: Tariff) -> None:
        row = (await self.s.execute(select(b.TariffRow).where(b.TariffRow.code == tariff.code))).scalar_one_or_none()
        if row is None:
            self.s.add(b.TariffRow(**_tariff_values(tariff)))
        else:
            apply(row, _tariff_values(tariff))
        await self.s.flush()


def _subscription(row: b.SubscriptionRow) -> Subscription:
    return Subscription(user_id=row.user_id, tariff_code=row.tariff_code, created_at=row.started_at,
                        grace_days=row.grace_days, entries=_ENTRIES.decode(row.entries), status=SubscriptionStatus(row.status),
                        current_tariff_code=row.current_tariff_code, checked_at=row.checked_at,
                        auto_renew=row.auto_renew, payment_method_id=row.payment_method_id)


def _subscription_values(sub: Subscription) -> dict:
    return {"user_id": sub.user_id, "tariff_code": sub.tariff_code, "started_at": sub.created_at,
            "grace_days": sub.grace_days, "entries": msgspec.json.encode(sub.entries).decode(),
            "status": sub.status.value, "current_tariff_code": sub.current_tariff_code, "checked_at": sub.checked_at,
            "ends_at": sub.ends_at, "auto_renew": sub.auto_renew, "payment_method_id": sub.payment_method_id}


class SubscriptionRepo(_Repo):
    async def _row(self, user_id: uuid.UUID, for_update: bool = False) -> b.SubscriptionRow | None:
        stmt = select(b.SubscriptionRow).where(b.SubscriptionRow.user_id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> Subscription | None:
        row = await self._row(user_id, for_update)
        return _subscription(row) if row else None

    async def of_account(self, account_id: uuid.UUID) -> Subscription | None:
        """The account owner's subscription; on PostgreSQL with the tariffs' digest, left for `TariffRepo.all`."""
        digest: ColumnClause[Any] = literal_column(_TARIFFS_DIGEST if _postgres(self.s) else "NULL")
        stmt = (select(b.SubscriptionRow, digest).join(AccountRow, AccountRow.owner_id == b.SubscriptionRow.user_id)
                .where(AccountRow.id == account_id))
        found = (await self.s.execute(stmt)).one_or_none()
        if found is None:
            return None
        if found[1] is not None:
            self.s.info[_DIGEST_READ] = (self.s.sync_session.get_transaction(), str(found[1]))
        return _subscription(found[0])

    async def save(self, subscription: Subscription) -> None:
        row = await self._row(subscription.user_id)
        if row is None:
            self.s.add(b.SubscriptionRow(**_subscription_values(subscription)))
        else:
            apply(row, _subscription_values(subscription))
        await self.s.flush()

    async def for_users(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Subscription]:
        if not user_ids:
            return {}
        stmt = select(b.SubscriptionRow).where(b.SubscriptionRow.user_id.in_(user_ids))
        return {r.user_id: _subscription(r) for r in (await self.s.execute(stmt)).scalars()}

    async def renewable(self, before: dt.datetime) -> list[Subscription]:
        stmt = select(b.SubscriptionRow).where(b.SubscriptionRow.auto_renew.is_(True),
                                               b.SubscriptionRow.ends_at < before)
        return [_subscription(r) for r in (await self.s.execute(stmt)).scalars()]

    async def all(self) -> list[Subscription]:
        stmt = select(b.SubscriptionRow).order_by(b.SubscriptionRow.started_at.desc())
        return [_subscription(r) for r in (await self.s.execute(stmt)).scalars()]

    async def to_refresh(self, now: dt.datetime) -> list[Subscription]:
        """Cached status may be stale: access ended (or grace ran out) since it was last checked."""
        stmt = select(b.SubscriptionRow).where(b.SubscriptionRow.status.in_(("trial", "active", "past_due")),
                                               or_(b.SubscriptionRow.ends_at.is_(None), b.SubscriptionRow.ends_at < now))
        return [_subscription(r) for r in (await self.s.execute(stmt)).scalars()]


def _promo(row: b.PromoCodeRow, uses: int = 0) -> StoredPromo:
    promo = to_domain(row, PromoCode, tariff_codes=frozenset(c for c in row.tariff_codes.split(",") if c))
    return StoredPromo(promo=promo, active=row.active, uses=uses, created_at=row.created_at)


class PromoRepo(_Repo):
    async def get(self, code: str) -> StoredPromo | None:
        stmt = select(b.PromoCodeRow).where(b.PromoCodeRow.code == code)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return _promo(row, await self.uses(code)) if row else None

    async def save(self, promo: PromoCode, active: bool = True) -> None:
        values = row_values(promo, tariff_codes=",".join(sorted(promo.tariff_codes)), active=active)
        values["kind"] = promo.kind.value
        row = (await self.s.execute(select(b.PromoCodeRow).where(b.PromoCodeRow.code == promo.code))).scalar_one_or_none()
        if row is None:
            self.s.add(b.PromoCodeRow(**values))
        else:
            apply(row, values)
        await self.s.flush()

    async def all(self) -> list[StoredPromo]:
        counts = dict((await self.s.execute(
            select(b.PromoUseRow.code, func.count()).group_by(b.PromoUseRow.code))).tuples().all())
        rows = (await self.s.execute(select(b.PromoCodeRow).order_by(b.PromoCodeRow.created_at.desc()))).scalars()
        return [_promo(r, counts.get(r.code, 0)) for r in rows]

    async def uses(self, code: str, user_id: uuid.UUID | None = None) -> int:
        stmt = select(func.count()).where(b.PromoUseRow.code == code)
        if user_id is not None:
            stmt = stmt.where(b.PromoUseRow.user_id == user_id)
        return int((await self.s.execute(stmt)).scalar_one())

    async def reserve_use(self, promo: PromoCode, user_id: uuid.UUID, payment_id: uuid.UUID, at: dt.datetime) -> bool:
        code = promo.code
        stmt = select(b.PromoUseRow.id).where(b.PromoUseRow.code == code, b.PromoUseRow.payment_id == payment_id)
        if (await self.s.execute(stmt)).first() is not None:
            return True
        user_slot = await self.uses(code, user_id) + 1
        total_slot = None if promo.max_uses_total is None else await self.uses(code) + 1
        if user_slot > promo.max_uses_per_user or (total_slot or 0) > (promo.max_uses_total or 0):
            return False
        try:
            async with self.s.begin_nested():  # a concurrent payment holding the same slot makes this one fail
                self.s.add(b.PromoUseRow(code=code, user_id=user_id, payment_id=payment_id, used_at=at,
                                         user_slot=user_slot, total_slot=total_slot))
        except IntegrityError:
            return False
        return True


def _invoice(row: b.InvoiceRow) -> InvoiceRecord:
    buyer = msgspec.json.decode(row.buyer, type=Requisites)
    return to_domain(row, InvoiceRecord, buyer=buyer, created_at=row.issued_at)


class InvoiceRepo(_Repo):
    async def add(self, invoice: InvoiceRecord) -> None:
        values = row_values(invoice, buyer=msgspec.json.encode(invoice.buyer).decode())
        values["issued_at"] = values.pop("created_at")
        self.s.add(b.InvoiceRow(**values))
        await self.s.flush()

    async def update(self, invoice: InvoiceRecord) -> None:
        row = await self.s.get(b.InvoiceRow, invoice.id)
        if row is not None:
            row.state, row.paid_at = invoice.state.value, invoice.paid_at
            await self.s.flush()

    async def get(self, invoice_id: uuid.UUID) -> InvoiceRecord | None:
        row = await self.s.get(b.InvoiceRow, invoice_id)
        return _invoice(row) if row else None

    async def next_number(self) -> int:
        return int((await self.s.execute(select(func.coalesce(func.max(b.InvoiceRow.number), 0)))).scalar_one()) + 1

    async def for_user(self, user_id: uuid.UUID) -> list[InvoiceRecord]:
        stmt = select(b.InvoiceRow).where(b.InvoiceRow.user_id == user_id).order_by(b.InvoiceRow.number.desc())
        return [_invoice(r) for r in (await self.s.execute(stmt)).scalars()]


class TrialRepo(_Repo):
    async def add(self, record: TrialRecord) -> None:
        self.s.add(b.TrialRow(user_id=record.user_id, started_at=record.started_at))
        for client_id in sorted(record.client_ids):
            self.s.add(b.TrialClientRow(user_id=record.user_id, client_id=client_id))
        await self.s.flush()

    async def matching(self, user_id: uuid.UUID, client_ids: frozenset[str]) -> list[TrialRecord]:
        """Trials of this user or of any of these Client-Ids (everything eligibility needs to see)."""
        users = set((await self.s.execute(select(b.TrialRow.user_id).where(b.TrialRow.user_id == user_id))).scalars())
        if client_ids:
            stmt = select(b.TrialClientRow.user_id).where(b.TrialClientRow.client_id.in_(sorted(client_ids)))
            users |= set((await self.s.execute(stmt)).scalars())
        records = []
        for uid in users:
            started = (await self.s.execute(select(b.TrialRow.started_at).where(b.TrialRow.user_id == uid))).scalar()
            ids = (await self.s.execute(select(b.TrialClientRow.client_id).where(b.TrialClientRow.user_id == uid))).scalars()
            records.append(TrialRecord(user_id=uid, client_ids=frozenset(ids), started_at=started or dt.datetime.now(dt.UTC)))
        return records

    async def add_client_id(self, user_id: uuid.UUID, client_id: str) -> None:
        stmt = select(b.TrialClientRow.id).where(b.TrialClientRow.client_id == client_id)
        if (await self.s.execute(stmt)).first() is None:
            self.s.add(b.TrialClientRow(user_id=user_id, client_id=client_id))
            await self.s.flush()


class WebhookRepo(_Repo):
    async def add(self, event: WebhookEvent) -> None:
        self.s.add(b.WebhookEventRow(**row_values(event)))
        await self.s.flush()

    async def recent(self, limit: int) -> list[WebhookEvent]:
        stmt = select(b.WebhookEventRow).order_by(b.WebhookEventRow.received_at.desc()).limit(limit)
        return [to_domain(r, WebhookEvent) for r in (await self.s.execute(stmt)).scalars()]
