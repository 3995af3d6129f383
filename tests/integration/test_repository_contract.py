"""One repository suite, run against the in-memory fakes and against PostgreSQL, so the fakes stay honest."""

from __future__ import annotations

import datetime as dt

from stpulse.application.accounts.ports import OneTimeToken, WebSession
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.documents import StoredDocument
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.accounts.users import Membership, Role
from tests.integration.contract_helpers import NOW
from tests.integration.contract_helpers import add_account as _account
from tests.integration.contract_helpers import new_user as _user


async def test_users_roundtrip_search_and_rollback(uow_factory):
    async with uow_factory() as uow:
        user, _ = await _account(uow, "ivan@example.ru")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.by_email("ivan@example.ru") == user
        found, total = await uow.users.search("IVAN", 0, 10)
        assert total == 1 and found == [user]
        await uow.users.add(_user("lost@example.ru"))  # not committed
    async with uow_factory() as uow:
        assert await uow.users.by_email("lost@example.ru") is None


async def test_token_is_used_once(uow_factory):
    async with uow_factory() as uow:
        user, _ = await _account(uow, "t@example.ru")
        await uow.tokens.add(OneTimeToken(token_hash="h" * 64, purpose="reset_password", user_id=user.id,
                                          expires_at=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tokens.mark_used("h" * 64, NOW) is True
        assert await uow.tokens.mark_used("h" * 64, NOW) is False
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.tokens.get("h" * 64)).used_at == NOW


async def test_sessions_and_login_failures(uow_factory):
    async with uow_factory() as uow:
        user, account = await _account(uow, "s@example.ru")
        await uow.sessions.add(WebSession(token_hash="a" * 64, user_id=user.id, account_id=account.id, expires_at=NOW))
        for minute in range(3):
            await uow.login_attempts.record_failure("email:s@example.ru", NOW + dt.timedelta(minutes=minute))
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.sessions.get("a" * 64)).user_id == user.id
        assert await uow.login_attempts.failures_since("email:s@example.ru", NOW + dt.timedelta(minutes=1)) == 2
        await uow.sessions.delete_for_user(user.id)
        await uow.login_attempts.clear("email:s@example.ru")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.get("a" * 64) is None
        assert await uow.login_attempts.failures_since("email:s@example.ru", NOW) == 0


async def test_account_data_is_scoped_by_account(uow_factory):
    async with uow_factory() as uow:
        a_user, a = await _account(uow, "a@example.ru")
        _, b = await _account(uow, "b@example.ru")
        entity = LegalEntity(id=new_id(), account_id=a.id, kind=EntityKind.IP, name="ИП А", inn="500100732259")
        doc = StoredDocument(id=new_id(), account_id=a.id, filename="a.pdf", content_type="application/pdf", size=3,
                             storage_key="k", uploaded_by=a_user.id, created_at=NOW)
        await uow.legal_entities.add(entity)
        await uow.documents.add(doc)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.legal_entities.get(a.id, entity.id) == entity
        assert await uow.legal_entities.get(b.id, entity.id) is None
        assert await uow.documents.get(b.id, doc.id) is None
        await uow.legal_entities.delete(b.id, entity.id)
        await uow.documents.delete(b.id, doc.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.legal_entities.for_account(a.id) == [entity]
        assert (await uow.documents.for_account(a.id, 0, 10)) == ([doc], 1)
        assert (await uow.documents.for_account(b.id, 0, 10)) == ([], 0)


async def test_memberships_keep_shop_scope(uow_factory):
    shop_ids = frozenset({new_id(), new_id()})
    async with uow_factory() as uow:
        owner, account = await _account(uow, "o@example.ru")
        member = _user("m@example.ru")
        await uow.users.add(member)
        membership = Membership(id=new_id(), account_id=account.id, user_id=member.id, role=Role.ANALYST,
                                shop_ids=shop_ids)
        await uow.memberships.add(membership)
        await uow.commit()
    async with uow_factory() as uow:
        got = [m for m in await uow.memberships.for_account(account.id) if m.user_id == member.id]
        assert got == [membership]


async def test_monitoring_reads_client_ids_failed_runs_and_database_size(uow_factory):  # type: ignore[no-untyped-def]
    """Issue 18.14/18.15: Client-Ids connected in any account, failed sync runs since a moment, the database size."""
    from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus
    from tests.integration.contract_helpers import add_shop

    async with uow_factory() as uow:
        _, first = await _account(uow, "mon-a@example.ru")
        _, second = await _account(uow, "mon-b@example.ru")
        shop = await add_shop(uow, first, "100001")
        await add_shop(uow, second, "100003")
        for minutes, status in ((90, SyncStatus.FAILED), (30, SyncStatus.DONE), (10, SyncStatus.FAILED)):
            at = NOW - dt.timedelta(minutes=minutes)
            await uow.sync_runs.add(SyncRun(id=new_id(), shop_id=shop.id, kind=SyncKind.HOURLY, status=status,
                                            date_from=NOW.date(), date_to=NOW.date(), created_at=at, updated_at=at))
        await uow.commit()
    async with uow_factory() as uow:
        wanted = frozenset({"100001", "100002", "100003"})
        assert await uow.shops.connected_client_ids(wanted) == frozenset({"100001", "100003"})
        assert await uow.shops.connected_client_ids(frozenset()) == frozenset()
        failed = await uow.sync_runs.failed_since(NOW - dt.timedelta(hours=1), 10)
        assert [r.updated_at for r in failed] == [NOW - dt.timedelta(minutes=10)]
        assert len(await uow.sync_runs.failed_since(NOW - dt.timedelta(hours=2), 10)) == 2
        size = await uow.database.size_bytes()
        assert size is None or size > 0  # memory has no size on disk; PostgreSQL answers pg_database_size
