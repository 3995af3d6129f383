"""What billing tells the account: an activity-log line and (for the owner) an e-mail notice, both written in the
transaction of the change, so a committed payment never loses its notice and a rolled-back one sends none.

The e-mail itself goes through the outbox to the `billing_notice` job (application/billing/notices.py)."""

from __future__ import annotations

import uuid
from typing import Protocol

from stpulse.application.accounts.ports import MembershipRepository
from stpulse.application.billing.records import PaymentRecord
from stpulse.application.kernel.outbox import queue_job
from stpulse.application.kernel.ports import AuditRepository, Clock, OutboxRepository
from stpulse.domain.accounts.users import Role
from stpulse.domain.kernel.formatting import format_rub


class EventsUnitOfWork(Protocol):
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...


async def account_of(uow: EventsUnitOfWork, user_id: uuid.UUID) -> uuid.UUID | None:
    """The account whose subscription the user pays for: the one the user owns (else the first one)."""
    memberships = await uow.memberships.for_user(user_id)
    owned = [m for m in memberships if m.role is Role.OWNER]
    chosen = owned or memberships
    return chosen[0].account_id if chosen else None


async def payment_event(uow: EventsUnitOfWork, clock: Clock, payment: PaymentRecord, action: str, *,
                        actor_id: uuid.UUID | None = None, reason: str = "", notice: str | None = None) -> None:
    """Log `action` on the payment in its account's activity log; with `notice`, ask for that e-mail."""
    what = f"{format_rub(payment.amount)}, тариф «{payment.tariff_code}», {payment.months} мес."
    await uow.audit.record(actor_id, action, f"payment:{payment.id}", f"{what}{': ' + reason if reason else ''}",
                           clock.now(), account_id=await account_of(uow, payment.user_id))
    if notice:
        await queue_job(uow, clock, "billing_notice", notice=notice, subject_id=str(payment.id))
