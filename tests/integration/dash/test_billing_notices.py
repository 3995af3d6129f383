"""Issue 16, acceptance 3: a payment webhook, a failed renewal and a trial nearing its end each produce one e-mail
(read from the mail folder), sent by the worker's job — never by the request — in Russian, plain text and HTML;
a webhook delivered twice, a job run twice and the daily job run twice still send one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.message
import email.policy
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from stpulse.application.accounts import activity
from stpulse.application.billing.payment_events import daily_billing
from stpulse.domain.billing import add_months
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from stpulse.entrypoints.worker.actors import ACTORS
from tests.fakes import FixedClock, RecordingQueue
from tests.integration.billing.conftest import Billing, client_for
from tests.integration.billing.test_billing_webhooks import captured_at, subscription
from tests.integration.conftest import Mailbox
from tests.integration.web_helpers import post_form
from tests.services import truncate_all
from tests.unit.yookassa_sandbox.server import Server


@pytest.fixture
async def napp(bsettings: Settings, pg_url: str) -> AsyncIterator[Litestar]:
    """The app whose jobs are recorded, so the test runs them as the worker would."""
    await truncate_all(pg_url)
    application = create_app(bsettings, bootstrap(bsettings, jobs=RecordingQueue()))
    yield application
    await application.state.container.close()


@pytest.fixture
async def nbill(napp: Litestar, bmailbox: Mailbox, yk: Server) -> AsyncIterator[Billing]:
    async with client_for(napp) as client:
        yield Billing(napp, client, bmailbox, yk)


def deps_of(bill: Billing) -> Deps:
    return bill.app.state.container.deps


async def run_jobs(bill: Billing, deps: Deps | None = None) -> list[str]:
    """Run every recorded job through its actor (as `stpulse worker` would); returns their names."""
    queue = deps_of(bill).jobs
    assert isinstance(queue, RecordingQueue)
    ran = []
    while queue.jobs:
        job, ids = queue.jobs.pop(0)
        if job in ("billing_notice",):
            await ACTORS[job][0](lambda: deps or deps_of(bill), **ids)
        ran.append(job)
    return ran


def mails_to(bill: Billing, to: str) -> list[email.message.EmailMessage]:
    """The .eml files of the mail folder (embedded mode's «SMTP»), oldest first, parsed with headers decoded."""
    folder = bill.mailbox.folder
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    return [m for m in parsed if m["To"] == to]  # type: ignore[misc]


def parts(msg: email.message.EmailMessage) -> tuple[str, str]:
    assert msg.is_multipart()
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    return text, html


async def test_a_payment_webhook_sends_one_receipt_mail_and_is_logged(nbill: Billing) -> None:
    to = "paid@example.ru"
    await nbill.seller(to)
    before = len(mails_to(nbill, to))  # the address confirmation
    gateway_id = await nbill.pay("start")
    assert len(mails_to(nbill, to)) == before  # the request sends nothing itself
    webhook = nbill.webhooks_for(gateway_id)[0]
    await nbill.deliver(webhook)
    await nbill.deliver(webhook)  # delivered twice
    assert await run_jobs(nbill) == ["billing_notice"]
    deps = deps_of(nbill)
    async with deps.uow() as uow:
        payment = await uow.payments.by_gateway_id(gateway_id)
    assert payment is not None
    await ACTORS["billing_notice"][0](lambda: deps, notice="payment_succeeded", subject_id=str(payment.id))  # rerun
    mails = mails_to(nbill, to)[before:]
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Оплата прошла: 990,00\u00a0₽"
    text, html = parts(mails[0])
    assert "Мы получили оплату" in text and "Подписка действует до" in text and "/app/billing" in text
    assert "<b>" in html and "Мы получили оплату" in html
    # the activity log of the account says so too
    async with deps.uow() as uow:
        user = await uow.users.by_email(to)
        assert user is not None
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    from stpulse.application.accounts.actor import Actor
    assert account is not None
    log = await activity.activity(deps, Actor(user=user, account=account, membership=membership),
                                  activity.ActivityFilter(kind="payments"))
    assert [line.action for line in log.lines] == ["payment.succeeded"] and log.lines[0].who == "Система"


async def test_a_failed_renewal_sends_one_mail(nbill: Billing) -> None:
    to = "renew-fails@example.ru"
    user_id = await nbill.seller(to)
    data = {"tariff_code": "start", "months": "1", "action": "pay", "auto_renew": "on"}
    answer = await post_form(nbill.client, "/app/billing/checkout", data, follow_redirects=False)
    gateway_id = answer.headers["location"].rsplit("/", 1)[1]
    async with httpx.AsyncClient() as http:
        await http.post(f"{nbill.yk.base}/yookassa/checkout/{gateway_id}/pay")
        await nbill.deliver(nbill.webhooks_for(gateway_id)[0])
        await http.post(f"{nbill.yk.base}/yookassa/__control/payment_methods/{gateway_id}/revoke")
    await run_jobs(nbill)
    before = len(mails_to(nbill, to))
    first_end = add_months(captured_at(nbill.yk.state, gateway_id), 1)
    later = dataclasses.replace(deps_of(nbill), clock=FixedClock(first_end - dt.timedelta(hours=2)))
    await daily_billing(later)
    await daily_billing(later)  # the job ran twice
    from stpulse.application.kernel.outbox import relay_outbox
    await relay_outbox(later)
    await run_jobs(nbill, later)
    mails = mails_to(nbill, to)[before:]
    assert [m["Subject"] for m in mails] == [mails[0]["Subject"]] and "не прошла" in mails[0]["Subject"]
    text, html = parts(mails[0])
    assert "продлить подписку сохранённой картой не удалось" in text and "Доступ сохранится до" in text
    assert "не прошёл" in html
    sub = await subscription(nbill, user_id)
    assert sub is not None and sub.ends_at == first_end  # not renewed


async def test_a_trial_nearing_its_end_sends_one_mail_and_a_fresh_one_none(nbill: Billing) -> None:
    to = "trial-ends@example.ru"
    user_id = await nbill.seller(to)
    assert (await post_form(nbill.client, "/app/billing/trial", {}, follow_redirects=False)).status_code == 303
    sub = await subscription(nbill, user_id)
    assert sub is not None and sub.ends_at is not None
    before = len(mails_to(nbill, to))
    from stpulse.entrypoints.worker.actors import billing_daily
    early = dataclasses.replace(deps_of(nbill), clock=FixedClock(sub.ends_at - dt.timedelta(days=5)))
    await billing_daily(lambda: early)
    assert len(mails_to(nbill, to)) == before  # 5 days before: nothing yet
    near = dataclasses.replace(deps_of(nbill), clock=FixedClock(sub.ends_at - dt.timedelta(days=2, hours=12)))
    await billing_daily(lambda: near)
    await billing_daily(lambda: near)  # twice the same day
    mails = mails_to(nbill, to)[before:]
    assert len(mails) == 1 and "Пробный период заканчивается" in mails[0]["Subject"]
    text, html = parts(mails[0])
    assert "осталось дней: 3" in text and "выберите тариф" in html
    expired = dataclasses.replace(deps_of(nbill), clock=FixedClock(sub.ends_at + dt.timedelta(days=1)))
    await billing_daily(lambda: expired)
    await billing_daily(lambda: expired)
    mails = mails_to(nbill, to)[before:]
    assert len(mails) == 2 and mails[1]["Subject"] == "Подписка STPulse закончилась"


async def test_an_issued_invoice_sends_one_mail_with_its_pdf_link(nbill: Billing) -> None:
    to = "invoice@example.ru"
    await nbill.seller(to)
    await post_form(nbill.client, "/app/legal-entities/new", {"kind": "ip", "name": "ИП Счётов", "inn": "500100732259",
                                                              "tax_regime": "usn_income", "tax_rate_percent": "6",
                                                              "vat_rate": "0"})
    async with deps_of(nbill).uow() as uow:
        user = await uow.users.by_email(to)
        assert user is not None
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
        entity = (await uow.legal_entities.for_account(account_id))[0]
    answer = await post_form(nbill.client, "/app/billing/invoices", {"legal_entity_id": str(entity.id),
                                                                     "tariff_code": "start", "months": "12"})
    assert answer.status_code in (200, 303)
    before = len(mails_to(nbill, to))
    assert await run_jobs(nbill) == ["billing_notice"]
    mails = mails_to(nbill, to)[before:]
    assert len(mails) == 1 and mails[0]["Subject"].startswith("Счёт № ")
    text, _ = parts(mails[0])
    assert "ИП Счётов" in text and "/pdf" in text
