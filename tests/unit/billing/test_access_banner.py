"""A signed-in page's visitor and the account's entitlement (the layout's read-only banner, the tariff a report page is
bounded by) come from one unit of work: the session with its user, memberships and accounts in one read
(`SessionRepository.with_owner`), then the owner's subscription and the tariffs (bench/load.py: a page under load pays
no transaction it does not need)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from stpulse.application.accounts.identity import Login, login
from stpulse.application.accounts.sessions import resolve_entitled_session, resolve_session
from stpulse.domain.billing import SubscriptionStatus
from tests import fakes_repos
from tests.fakes_uow import MemoryUowFactory
from tests.unit.foundation.helpers import PASSWORD, actor_for, subscribe


def _count_units(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    opened = [0]
    make = MemoryUowFactory.__call__

    def counted(self: MemoryUowFactory) -> Any:
        opened[0] += 1
        return make(self)

    monkeypatch.setattr(MemoryUowFactory, "__call__", counted)
    return opened


async def _token(deps: Any, email: str) -> str:
    return (await login(deps, Login(email=email, password=PASSWORD))).session_token


async def test_the_visitor_and_the_entitlement_come_from_one_unit_of_work_without_separate_reads(
        deps: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = await actor_for(deps)
    token = await _token(deps, "owner@example.ru")

    async def separate(self: Any, *args: Any) -> None:
        raise AssertionError("read on its own")

    for repo, method in ((fakes_repos.Accounts, "get"), (fakes_repos.Users, "get"),
                         (fakes_repos.Memberships, "for_user"), (fakes_repos.Sessions, "get")):
        monkeypatch.setattr(repo, method, separate)
    opened = _count_units(monkeypatch)
    visitor, entitled = await resolve_entitled_session(deps, token)
    assert opened == [1]
    assert visitor is not None and visitor.actor is not None and visitor.actor.account_id == owner.account_id
    assert entitled is not None and entitled.status is SubscriptionStatus.TRIAL and not entitled.read_only
    assert entitled.tariff is not None
    assert await resolve_session(deps, token) == visitor  # the plain resolution reads the same visitor


async def test_an_expired_or_missing_subscription_is_read_only(deps: Any) -> None:
    owner = await actor_for(deps)
    await subscribe(deps, owner, "start", days_ago=60)
    _, expired = await resolve_entitled_session(deps, await _token(deps, "owner@example.ru"))
    assert expired is not None and expired.status is SubscriptionStatus.EXPIRED and expired.read_only
    await actor_for(deps, "nobody@example.ru", trial=False)
    _, none = await resolve_entitled_session(deps, await _token(deps, "nobody@example.ru"))
    assert none is not None and none.status is SubscriptionStatus.NONE and none.read_only and none.tariff is None


async def test_nobody_behind_an_unknown_or_expired_session_or_a_blocked_user(deps: Any) -> None:
    await actor_for(deps)
    token = await _token(deps, "owner@example.ru")
    assert await resolve_entitled_session(deps, "") == (None, None)
    assert await resolve_entitled_session(deps, "not-a-session") == (None, None)
    deps.clock.advance(days=400)  # type: ignore[attr-defined]
    assert await resolve_entitled_session(deps, token) == (None, None)
    deps.clock.advance(days=-400)  # type: ignore[attr-defined]
    async with deps.uow() as uow:
        user = await uow.users.by_email("owner@example.ru")
        await uow.users.update(msgspec.structs.replace(user, is_blocked=True))
        await uow.commit()
    assert await resolve_entitled_session(deps, token) == (None, None)
