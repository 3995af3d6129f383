"""A sandbox Ozon seller in-process and a seller to sync it: shared by the unit tests (on fakes) and the
integration tests (on PostgreSQL). The sandbox is served through httpx's ASGI transport: no network."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import httpx

from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
from stpulse.adapters.ozon.ratelimit import reset_registry
from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app, sandbox_state
from stpulse.adapters.sandbox.ozon import ground_truth as ground_truth
from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.admin_users import make_admin
from stpulse.application.accounts.identity import Register, register_new
from stpulse.application.billing.admin import AdminAction, extend
from stpulse.application.ozon.shops import ConnectShop, connect_shop
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.ozon_wiring import ORIGIN_CACHE


def sandbox_app(shops: list[tuple[str, str, int, str]], faults=None):  # type: ignore[no-untyped-def]
    config = SandboxConfig(shops=[ShopConfig(client_id=c, api_key=k, seed=s, profile=p) for c, k, s, p in shops],
                           origin_cache_size=ORIGIN_CACHE)
    if faults is not None:
        config.faults = faults
    return create_sandbox_app(config)


class TimeoutTransport(httpx.AsyncBaseTransport):
    """ASGITransport has no timeouts: this one gives up like a socket would (httpx.ReadTimeout)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seconds: float) -> None:
        self.inner, self.seconds = inner, seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await asyncio.wait_for(self.inner.handle_async_request(request), self.seconds)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out", request=request) from None


def ozon_factory(app, backoff: float = 0.01, timeout: float = 60.0) -> OzonSellerClientFactory:  # type: ignore[no-untyped-def]
    reset_registry()
    http = OzonHttpSettings(base_url="http://sandbox.test", requests_per_second=1e6, burst=1000, max_attempts=8,
                            backoff_base=backoff, backoff_max=0.05, timeout=60.0)
    return OzonSellerClientFactory(http, transport=TimeoutTransport(httpx.ASGITransport(app=app), timeout))


async def new_actor(deps: Deps, email: str) -> Actor:
    user = await register_new(deps, Register(email=email, password="password-12345", password_confirm="password-12345",
                                         full_name="Продавец", consent=True))
    async with deps.uow() as uow:
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    assert account is not None
    await _grant_year(deps, user.id)
    return Actor(user=user, account=account, membership=membership)


async def _grant_year(deps: Deps, user_id: uuid.UUID) -> None:
    """A paid-like subscription (an audited admin grant), so the sync tests are not bound by trial rules."""
    admin = await make_admin(deps, "sync-tests-admin@example.ru", "admin-password-1")
    await extend(deps, admin, user_id, AdminAction(reason="тестовый доступ", days=365, tariff_code="pro"))


async def connect(deps: Deps, actor: Actor, client_id: str, api_key: str, name: str = "Магазин") -> uuid.UUID:
    shop = await connect_shop(deps, actor, ConnectShop(name=name, client_id=client_id, api_key=api_key))
    return shop.id


def world_of(app, client_id: str):  # type: ignore[no-untyped-def]
    return sandbox_state(app).world(client_id)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def truth_by_month(world, first: dt.date, last: dt.date) -> dict[dt.date, object]:  # type: ignore[no-untyped-def]
    return {m: ground_truth(world, max(m, first), min(month_end(m), last)) for m in month_starts(first, last)}


def sandbox_container(url: str, data_dir, shops: list[tuple[str, str, int, str]], now: dt.datetime):  # type: ignore[no-untyped-def]
    """The production bootstrap over a sandbox of `shops` on a fixed «today»: a report test's container (module
    fixtures sync with one, each test reads with a fresh one)."""
    from stpulse.entrypoints.bootstrap import bootstrap
    from stpulse.entrypoints.settings import Settings
    from tests.fakes import FixedClock, MemoryMailer, PlainHasher, RecordingQueue, ReverseBox
    from tests.services import REDIS_URL

    settings = Settings(mode="production", database_url=url, redis_url=REDIS_URL, data_dir=data_dir,
                        base_url="http://testserver.local", embedded_worker=False, sync_backfill_months=3)
    return bootstrap(settings, clock=FixedClock(now), mailer=MemoryMailer(), hasher=PlainHasher(), secrets=ReverseBox(),
                     jobs=RecordingQueue(), ozon=ozon_factory(sandbox_app(shops)))


async def actor_by_email(deps: Deps, email: str) -> Actor:
    """The member as the cabinet would build it for this e-mail (their first membership)."""
    async with deps.uow() as uow:
        user = await uow.users.by_email(email)
        assert user is not None, email
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
        assert account is not None
    return Actor(user=user, account=account, membership=membership)
