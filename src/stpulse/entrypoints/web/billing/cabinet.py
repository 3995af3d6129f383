"""The seller's tariff page: subscription, trial, checkout with a promo code, return from YooKassa, receipts,
invoices; and the YooKassa webhook endpoint."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.legal_entities import list_legal_entities
from stpulse.application.billing import invoices as inv
from stpulse.application.billing import subscriptions as svc
from stpulse.application.billing.common import receipt_of
from stpulse.application.billing.payment_events import handle_webhook
from stpulse.application.kernel.outbox import relay_outbox
from stpulse.domain.billing import BILLING_PERIODS, PromoRejected
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import client_ip, deps_of, provide_actor
from stpulse.entrypoints.web.forms import parse_form
from stpulse.entrypoints.web.render import redirect, render

WEBHOOK_PATH = "/billing/yookassa/webhook"
log = structlog.get_logger()


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(content=data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Content-Type-Options": "nosniff"})


class BillingController(Controller):
    path = "/app/billing"
    dependencies = {"actor": Provide(provide_actor)}

    async def _page(self, request: Request, actor: Actor, status: int = 200, **extra: Any) -> Template:
        deps = deps_of(request)
        overview = await svc.overview(deps, actor)
        entities = await list_legal_entities(deps, actor)
        return render(request, "billing/billing.html", partial="billing/partials/billing_checkout.html", status=status,
                      actor=actor, o=overview, periods=BILLING_PERIODS, entities=entities,
                      **extra)

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        return await self._page(request, actor)

    @post("/trial")
    async def trial(self, request: Request, actor: Actor) -> Redirect:
        await svc.start_trial(deps_of(request), actor)
        return redirect(request, "/app/billing")

    @post("/checkout")
    async def checkout(self, request: Request, actor: Actor) -> Template | Redirect:
        form, raw = await parse_form(request, svc.Checkout)
        deps = deps_of(request)
        try:
            action = raw.get("action")
            if action == "quote":
                return await self._page(request, actor, form=raw, quote=await svc.quote(deps, actor, form))
            if action == "upgrade_quote":
                upgrade = await svc.upgrade_quote(deps, actor, form.tariff_code)
                return await self._page(request, actor, form=raw, upgrade=upgrade)
            payment = await (svc.checkout_upgrade(deps, actor, form.tariff_code) if action == "upgrade"
                             else svc.checkout(deps, actor, form))
        except PromoRejected as exc:
            return await self._page(request, actor, status=409, form=raw, errors={"promo_code": exc.message})
        except ValidationError as exc:
            return await self._page(request, actor, status=422, form=raw, errors=exc.fields)
        if payment.confirmation_url:
            headers = {"HX-Redirect": payment.confirmation_url} if request.headers.get("hx-request") else {}
            return Redirect(path=payment.confirmation_url, status_code=303, headers=headers)
        return redirect(request, f"/app/billing/return/{payment.id}")

    @get("/return/{payment_id:uuid}")
    async def returned(self, request: Request, actor: Actor, payment_id: uuid.UUID) -> Template:
        payment = await svc.returned(deps_of(request), actor, payment_id)
        await relay_outbox(deps_of(request))
        return render(request, "billing/billing_return.html", actor=actor, payment=payment)

    @post("/auto-renew")
    async def auto_renew(self, request: Request, actor: Actor) -> Redirect:
        enabled = (await request.form()).get("enabled") == "1"
        await svc.set_auto_renew(deps_of(request), actor, enabled)
        return redirect(request, "/app/billing")

    @get("/payments/{payment_id:uuid}/receipt")
    async def receipt(self, request: Request, actor: Actor, payment_id: uuid.UUID) -> Template:
        payment = await svc.payment_of(deps_of(request), actor, payment_id)
        return render(request, "billing/billing_receipt.html", actor=actor, payment=payment, receipt=receipt_of(payment))

    @post("/invoices")
    async def issue_invoice(self, request: Request, actor: Actor) -> Template | Redirect:
        form, raw = await parse_form(request, inv.IssueInvoice)
        await inv.issue_invoice(deps_of(request), actor, form)
        await relay_outbox(deps_of(request))  # the notice's job; with Redis down it waits in the outbox
        return redirect(request, "/app/billing")

    @get("/invoices/{invoice_id:uuid}/pdf")
    async def invoice_pdf(self, request: Request, actor: Actor, invoice_id: uuid.UUID) -> Response:
        invoice, data = await inv.invoice_pdf(deps_of(request), invoice_id, actor=actor)
        return pdf_response(data, f"schet-{invoice.number}.pdf")


@post(WEBHOOK_PATH, status_code=200)
async def yookassa_webhook(request: Request) -> Response:
    """Always answers quickly; what happened is in `payment_webhooks` and the log."""
    try:
        body = await request.json()
    except Exception:  # not JSON at all: logged as malformed below
        body = None
    ip = client_ip(request)
    outcome = await handle_webhook(deps_of(request), body, ip)
    await relay_outbox(deps_of(request))  # the payment's e-mail notice, if it asked for one
    log.info("billing.webhook", outcome=outcome, sender_ip=ip)
    return Response(content={"outcome": outcome}, status_code=403 if outcome == "refused_ip" else 200)
