"""Admin billing: a user's subscription and payments with extend / change / cancel / refund, invoices paid,
the tariff catalogue and promo codes."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.billing import admin as svc
from stpulse.application.billing import admin_lists as lists
from stpulse.application.billing import catalog as cat
from stpulse.application.billing import invoices as inv
from stpulse.application.billing.records import PAYMENT_STATE_TITLES
from stpulse.domain.accounts.users import User
from stpulse.domain.billing import STATUS_TITLES, PromoKind, SubscriptionStatus
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_admin
from stpulse.entrypoints.web.billing.cabinet import pdf_response
from stpulse.entrypoints.web.forms import PageNumber, form_dict, parse_form
from stpulse.entrypoints.web.render import form_error, redirect, render

SUBSCRIPTION_STATES = {s.value: t for s, t in STATUS_TITLES.items() if s is not SubscriptionStatus.NONE}
PAYMENT_STATES = {s.value: t for s, t in PAYMENT_STATE_TITLES.items()}


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def list_filter(state: str, tariff: str, date_from: str, date_to: str, page: int) -> lists.ListFilter:
    return lists.ListFilter(state=state.strip()[:32], tariff=tariff.strip()[:64], date_from=_day(date_from),
                            date_to=_day(date_to), page=page)


PROMO_KINDS = {PromoKind.PERCENT: "Скидка, %", PromoKind.FIXED: "Скидка, ₽", PromoKind.EXTRA_DAYS: "Дополнительные дни"}


class AdminBillingController(Controller):
    path = "/admin"
    dependencies = {"admin": Provide(provide_admin)}

    async def _user_page(self, request: Request, admin: User, user_id: uuid.UUID, status: int = 200,
                         errors: dict | None = None) -> Template:
        info = await svc.user_billing(deps_of(request), admin, user_id)
        return render(request, "billing/admin/user_billing.html", status=status, admin=admin, info=info,
                      errors=errors or {})

    @get("/subscriptions")
    async def subscriptions(self, request: Request, admin: User, status: str = "", tariff: str = "",
                            date_from: str = "", date_to: str = "", page: PageNumber = 1) -> Template:
        wanted = list_filter(status, tariff, date_from, date_to, page)
        listing = await lists.list_subscriptions(deps_of(request), admin, wanted)
        return render(request, "billing/admin/subscriptions.html", admin=admin, listing=listing, wanted=wanted,
                      states=SUBSCRIPTION_STATES, status_titles=STATUS_TITLES)

    @get("/payments")
    async def payments(self, request: Request, admin: User, status: str = "", tariff: str = "",
                       date_from: str = "", date_to: str = "", page: PageNumber = 1) -> Template:
        wanted = list_filter(status, tariff, date_from, date_to, page)
        listing = await lists.list_payments(deps_of(request), admin, wanted)
        return render(request, "billing/admin/payments.html", admin=admin, listing=listing, wanted=wanted,
                      states=PAYMENT_STATES)

    @get("/users/{user_id:uuid}")
    async def user(self, request: Request, admin: User, user_id: uuid.UUID) -> Template:
        return await self._user_page(request, admin, user_id)

    async def _act(self, request: Request, admin: User, user_id: uuid.UUID, action: str) -> Template | Redirect:
        form, _ = await parse_form(request, svc.AdminAction)
        handlers = {"extend": svc.extend, "change": svc.change_tariff, "cancel": svc.cancel}
        try:
            await handlers[action](deps_of(request), admin, user_id, form)
        except ValidationError as exc:
            return await self._user_page(request, admin, user_id, 422, {f"{action}_{k}": v for k, v in exc.fields.items()})
        return redirect(request, f"/admin/users/{user_id}")

    @post("/users/{user_id:uuid}/subscription/extend")
    async def extend(self, request: Request, admin: User, user_id: uuid.UUID) -> Template | Redirect:
        return await self._act(request, admin, user_id, "extend")

    @post("/users/{user_id:uuid}/subscription/change")
    async def change(self, request: Request, admin: User, user_id: uuid.UUID) -> Template | Redirect:
        return await self._act(request, admin, user_id, "change")

    @post("/users/{user_id:uuid}/subscription/cancel")
    async def cancel(self, request: Request, admin: User, user_id: uuid.UUID) -> Template | Redirect:
        return await self._act(request, admin, user_id, "cancel")

    @post("/users/{user_id:uuid}/special-tariff")
    async def special_tariff(self, request: Request, admin: User, user_id: uuid.UUID) -> Template | Redirect:
        try:
            form, _ = await parse_form(request, svc.SpecialTariffForm)
            await svc.assign_special_tariff(deps_of(request), admin, user_id, form)
        except ValidationError as exc:
            return await self._user_page(request, admin, user_id, 422, {f"special_{k}": v for k, v in exc.fields.items()})
        return redirect(request, f"/admin/users/{user_id}")

    @post("/payments/{payment_id:uuid}/refund")
    async def refund(self, request: Request, admin: User, payment_id: uuid.UUID) -> Redirect:
        form, _ = await parse_form(request, svc.AdminAction)
        payment = await svc.refund(deps_of(request), admin, payment_id, form)
        return redirect(request, f"/admin/users/{payment.user_id}")

    @post("/invoices/{invoice_id:uuid}/paid")
    async def invoice_paid(self, request: Request, admin: User, invoice_id: uuid.UUID) -> Redirect:
        raw = await form_dict(request)
        invoice = await inv.mark_invoice_paid(deps_of(request), admin, invoice_id, str(raw.get("reason", "")))
        return redirect(request, f"/admin/users/{invoice.user_id}")

    @get("/invoices/{invoice_id:uuid}/pdf")
    async def invoice_pdf(self, request: Request, admin: User, invoice_id: uuid.UUID) -> Response:
        invoice, data = await inv.invoice_pdf(deps_of(request), invoice_id, admin=admin)
        return pdf_response(data, f"schet-{invoice.number}.pdf")

    @get("/tariffs")
    async def tariffs(self, request: Request, admin: User) -> Template:
        return render(request, "billing/admin/tariffs.html", admin=admin, tariffs=await cat.list_tariffs(deps_of(request), admin))

    @post("/tariffs")
    async def save_tariff(self, request: Request, admin: User) -> Template | Redirect:
        try:
            form, raw = await parse_form(request, cat.TariffForm)
            await cat.save_tariff(deps_of(request), admin, form)
        except ValidationError as exc:
            tariffs = await cat.list_tariffs(deps_of(request), admin)
            return form_error(request, "billing/admin/tariffs.html", exc, await form_dict(request), admin=admin, tariffs=tariffs)
        return redirect(request, "/admin/tariffs")

    @get("/promos")
    async def promos(self, request: Request, admin: User) -> Template:
        return render(request, "billing/admin/promos.html", admin=admin, kinds=PROMO_KINDS, form={"max_uses_per_user": "1"},
                      promos=await cat.list_promos(deps_of(request), admin))

    @post("/promos")
    async def save_promo(self, request: Request, admin: User) -> Template | Redirect:
        try:
            form, _ = await parse_form(request, cat.PromoForm)
            await cat.save_promo(deps_of(request), admin, cat.promo_from_form(form))
        except ValidationError as exc:
            promos = await cat.list_promos(deps_of(request), admin)
            return form_error(request, "billing/admin/promos.html", exc, await form_dict(request), admin=admin,
                              kinds=PROMO_KINDS, promos=promos)
        return redirect(request, "/admin/promos")

    @post("/promos/{code:str}/active")
    async def toggle_promo(self, request: Request, admin: User, code: str) -> Redirect:
        raw = await form_dict(request)
        await cat.set_promo_active(deps_of(request), admin, code, raw.get("active") == "1")
        return redirect(request, "/admin/promos")
