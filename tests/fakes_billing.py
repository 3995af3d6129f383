"""In-memory billing repositories (same ports as adapters/db/billing/repositories.py).

They keep their tables in the fake Store's `billing` field, so the unit of work's copy-on-enter and
publish-on-commit cover them like every other fake repository."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from stpulse.application.billing.records import (
    InvoiceRecord,
    PaymentQuery,
    PaymentRecord,
    PaymentState,
    PaymentTotals,
    StoredPromo,
    WebhookEvent,
)
from stpulse.domain.billing import PromoCode, Subscription, Tariff, TrialRecord


def billing_tables() -> dict[str, Any]:
    return {"tariffs": {}, "subs": {}, "payments": {}, "promos": {}, "uses": [], "invoices": {}, "trials": {},
            "clients": {}, "webhooks": []}


class _B:
    def __init__(self, store: Any) -> None:
        self.t, self.st = store.billing, store


class FakeTariffs(_B):
    async def all(self) -> list[Tariff]:
        return sorted(self.t["tariffs"].values(), key=lambda t: t.monthly_price)

    async def get(self, code: str) -> Tariff | None:
        return self.t["tariffs"].get(code)

    async def save(self, tariff: Tariff) -> None:
        self.t["tariffs"][tariff.code] = tariff


class FakeSubscriptions(_B):
    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> Subscription | None:
        return self.t["subs"].get(user_id)

    async def of_account(self, account_id: uuid.UUID) -> Subscription | None:
        account = self.st.accounts.get(account_id)
        return self.t["subs"].get(account.owner_id) if account is not None else None

    async def save(self, subscription: Subscription) -> None:
        self.t["subs"][subscription.user_id] = subscription

    async def for_users(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Subscription]:
        return {u: s for u, s in self.t["subs"].items() if u in user_ids}

    async def renewable(self, before: dt.datetime) -> list[Subscription]:
        return [s for s in self.t["subs"].values() if s.auto_renew and s.ends_at and s.ends_at < before]

    async def to_refresh(self, now: dt.datetime) -> list[Subscription]:
        return [s for s in self.t["subs"].values()
                if s.status.value in ("trial", "active", "past_due") and (s.ends_at is None or s.ends_at < now)]

    async def all(self) -> list[Subscription]:
        return sorted(self.t["subs"].values(), key=lambda s: s.created_at, reverse=True)


class FakePayments(_B):
    async def add(self, payment: PaymentRecord) -> None:
        self.t["payments"][payment.id] = payment

    async def update(self, payment: PaymentRecord) -> None:
        self.t["payments"][payment.id] = payment

    async def get(self, payment_id: uuid.UUID, *, for_update: bool = False) -> PaymentRecord | None:
        return self.t["payments"].get(payment_id)

    async def by_gateway_id(self, gateway_id: str) -> PaymentRecord | None:
        return next((p for p in self.t["payments"].values() if p.gateway_id == gateway_id), None)

    async def by_key(self, idempotency_key: str) -> PaymentRecord | None:
        return next((p for p in self.t["payments"].values() if p.idempotency_key == idempotency_key), None)

    async def for_user(self, user_id: uuid.UUID) -> list[PaymentRecord]:
        found = [p for p in self.t["payments"].values() if p.user_id == user_id]
        return sorted(found, key=lambda p: p.created_at, reverse=True)

    async def search(self, query: PaymentQuery, offset: int, limit: int) -> tuple[list[PaymentRecord], PaymentTotals]:
        found = sorted((p for p in self.t["payments"].values() if _matches(p, query)),
                       key=lambda p: (p.created_at, p.id), reverse=True)
        settled = [p for p in found if p.state in (PaymentState.SUCCEEDED, PaymentState.REFUNDED)]
        return found[offset:offset + limit], PaymentTotals(
            count=len(found), amount=sum(p.amount for p in found),
            paid=sum(p.amount - p.refunded_amount for p in settled), refunded=sum(p.refunded_amount for p in found))


def _matches(p: PaymentRecord, q: PaymentQuery) -> bool:
    return ((q.state is None or p.state is q.state) and (not q.tariff_code or p.tariff_code == q.tariff_code)
            and (q.since is None or p.created_at >= q.since) and (q.until is None or p.created_at < q.until))


class FakePromos(_B):
    async def get(self, code: str) -> StoredPromo | None:
        found = self.t["promos"].get(code)
        return StoredPromo(promo=found[0], active=found[1], uses=await self.uses(code)) if found else None

    async def save(self, promo: PromoCode, active: bool = True) -> None:
        self.t["promos"][promo.code] = (promo, active)

    async def all(self) -> list[StoredPromo]:
        return [s for c in self.t["promos"] if (s := await self.get(c))]

    async def uses(self, code: str, user_id: uuid.UUID | None = None) -> int:
        return sum(1 for c, u, _ in self.t["uses"] if c == code and (user_id is None or u == user_id))

    async def reserve_use(self, promo: PromoCode, user_id: uuid.UUID, payment_id: uuid.UUID, at: dt.datetime) -> bool:
        code = promo.code
        if any(c == code and p == payment_id for c, _, p in self.t["uses"]):
            return True
        if await self.uses(code, user_id) >= promo.max_uses_per_user or (
                promo.max_uses_total is not None and await self.uses(code) >= promo.max_uses_total):
            return False
        self.t["uses"].append((code, user_id, payment_id))
        return True


class FakeInvoices(_B):
    async def add(self, invoice: InvoiceRecord) -> None:
        self.t["invoices"][invoice.id] = invoice

    async def update(self, invoice: InvoiceRecord) -> None:
        self.t["invoices"][invoice.id] = invoice

    async def get(self, invoice_id: uuid.UUID) -> InvoiceRecord | None:
        return self.t["invoices"].get(invoice_id)

    async def next_number(self) -> int:
        return max((i.number for i in self.t["invoices"].values()), default=0) + 1

    async def for_user(self, user_id: uuid.UUID) -> list[InvoiceRecord]:
        return sorted((i for i in self.t["invoices"].values() if i.user_id == user_id), key=lambda i: -i.number)


class FakeTrials(_B):
    async def add(self, record: TrialRecord) -> None:
        self.t["trials"][record.user_id] = record.started_at
        for client_id in record.client_ids:
            self.t["clients"].setdefault(client_id, record.user_id)

    async def matching(self, user_id: uuid.UUID, client_ids: frozenset[str]) -> list[TrialRecord]:
        users = {u for u in self.t["trials"] if u == user_id}
        users |= {u for c, u in self.t["clients"].items() if c in client_ids}
        return [TrialRecord(user_id=u, started_at=self.t["trials"].get(u, dt.datetime.now(dt.UTC)),
                            client_ids=frozenset(c for c, o in self.t["clients"].items() if o == u)) for u in users]

    async def add_client_id(self, user_id: uuid.UUID, client_id: str) -> None:
        self.t["clients"].setdefault(client_id, user_id)


class FakeWebhooks(_B):
    async def add(self, event: WebhookEvent) -> None:
        self.t["webhooks"].append(event)

    async def recent(self, limit: int) -> list[WebhookEvent]:
        return list(reversed(self.t["webhooks"]))[:limit]
