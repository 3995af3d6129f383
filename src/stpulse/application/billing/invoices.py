"""Invoices (счёт на оплату) for legal entities: issue, download as PDF, marked paid by an admin."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.admin_users import require_admin
from stpulse.application.billing.common import accept_payment, config, tariff_for
from stpulse.application.billing.deps import BillingDeps
from stpulse.application.billing.notices import INVOICE_ISSUED
from stpulse.application.billing.records import (
    InvoiceRecord,
    InvoiceState,
    PaymentKind,
    PaymentRecord,
    PaymentState,
)
from stpulse.application.billing.subscriptions import subscriber
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.outbox import queue_job
from stpulse.domain.accounts.users import User
from stpulse.domain.billing import InvoiceData, InvoiceLine, Requisites
from stpulse.domain.kernel.errors import Conflict, DomainError, NotFound
from stpulse.domain.kernel.formatting import format_rub


class IssueInvoice(msgspec.Struct, frozen=True, kw_only=True):
    legal_entity_id: uuid.UUID
    tariff_code: str
    months: int = 12


async def issue_invoice(deps: BillingDeps, actor: Actor, cmd: IssueInvoice) -> InvoiceRecord:
    user_id, now, cfg = subscriber(actor), deps.clock.now(), config(deps)
    async with deps.uow() as raw:
        uow = raw
        entity = await uow.legal_entities.get(actor.account_id, cmd.legal_entity_id)
        if entity is None:
            raise NotFound("Юрлицо не найдено")
        tariff = await tariff_for(uow, cmd.tariff_code, user_id)
        amount = tariff.price_for_period(cmd.months)
        payment = PaymentRecord(id=new_id(), user_id=user_id, kind=PaymentKind.INVOICE, tariff_code=tariff.code,
                                months=cmd.months, amount=amount, list_price=amount,
                                idempotency_key=f"invoice-{uuid.uuid4()}", created_at=now)
        invoice = InvoiceRecord(id=new_id(), number=await uow.invoices.next_number(), user_id=user_id,
                                account_id=actor.account_id, legal_entity_id=entity.id, payment_id=payment.id,
                                buyer=Requisites.from_legal_entity(entity), tariff_code=tariff.code,
                                months=cmd.months, amount=amount, vat_rate=cfg.vat_rate, created_at=now)
        await uow.payments.add(msgspec.structs.replace(payment, invoice_id=invoice.id))
        await uow.invoices.add(invoice)
        await uow.audit.record(actor.user.id, "invoice.issued", f"invoice:{invoice.number}",
                               f"Счёт № {invoice.number} на {format_rub(amount)}, {entity.name}", now,
                               account_id=actor.account_id)
        await queue_job(uow, deps.clock, "billing_notice", notice=INVOICE_ISSUED, subject_id=str(invoice.id))
        await raw.commit()
    return invoice


def invoice_data(invoice: InvoiceRecord, tariff_name: str, supplier: Requisites, pay_days: int) -> InvoiceData:
    title = period_title_for(tariff_name, invoice.months)
    return InvoiceData(number=str(invoice.number), date=invoice.created_at.date(), supplier=supplier,
                       buyer=invoice.buyer, vat_rate=invoice.vat_rate,
                       lines=(InvoiceLine(title=title, unit="усл.", price=invoice.amount),),
                       purpose=f"Оплата по счёту № {invoice.number} за подписку STPulse",
                       pay_until=invoice.created_at.date() + dt.timedelta(days=pay_days))


def period_title_for(tariff_name: str, months: int) -> str:
    return f"Подписка STPulse, тариф «{tariff_name}», {months} мес."


async def invoice_pdf(deps: BillingDeps, invoice_id: uuid.UUID, *, actor: Actor | None = None,
                      admin: User | None = None) -> tuple[InvoiceRecord, bytes]:
    """The PDF for the invoice's own account (or any, for an admin)."""
    if admin is not None:
        require_admin(admin)
    if deps.invoice_renderer is None:
        raise DomainError("Формирование счетов недоступно")
    async with deps.uow() as raw:
        uow = raw
        invoice = await uow.invoices.get(invoice_id)
        if invoice is None or (admin is None and (actor is None or invoice.account_id != actor.account_id)):
            raise NotFound("Счёт не найден")
        tariff = await uow.tariffs.get(invoice.tariff_code)
    cfg = config(deps)
    data = invoice_data(invoice, tariff.name if tariff else invoice.tariff_code, cfg.supplier, cfg.invoice_days)
    return invoice, deps.invoice_renderer.render(data)


async def mark_invoice_paid(deps: BillingDeps, admin: User, invoice_id: uuid.UUID, reason: str) -> InvoiceRecord:
    """The money arrived by bank transfer: the invoice is paid and the subscription extends."""
    require_admin(admin)
    now, cfg = deps.clock.now(), config(deps)
    async with deps.uow() as raw:
        uow = raw
        invoice = await uow.invoices.get(invoice_id)
        payment = await uow.payments.get(invoice.payment_id, for_update=True) if invoice else None
        if invoice is None or payment is None:
            raise NotFound("Счёт не найден")
        if invoice.state is not InvoiceState.ISSUED or payment.state is not PaymentState.PENDING:
            raise Conflict("Счёт уже оплачен или отменён")
        await accept_payment(uow, payment, paid_at=now, now=now, cfg=cfg, method_title=f"Счёт № {invoice.number}")
        invoice = msgspec.structs.replace(invoice, state=InvoiceState.PAID, paid_at=now)
        await uow.invoices.update(invoice)
        await uow.audit.record(admin.id, "invoice.mark_paid", f"invoice:{invoice.number}",
                               (reason.strip() or "оплата поступила на счёт")[:500], now, account_id=invoice.account_id)
        await raw.commit()
    return invoice
