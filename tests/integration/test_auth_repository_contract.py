"""Revocation and token payloads (issues 19.6, 18.16): the same suite on the fakes and on PostgreSQL."""

from __future__ import annotations

from stpulse.application.accounts.ports import ApiToken, OneTimeToken, WebSession
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.users import Membership, Role
from tests.integration.contract_helpers import new_user
from tests.integration.test_repository_contract import NOW, _account


async def test_tokens_of_a_purpose_are_revoked_for_one_user_only(uow_factory):
    async with uow_factory() as uow:
        user, _ = await _account(uow, "r@example.ru")
        other, _ = await _account(uow, "o@example.ru")
        for digest, purpose, owner in (("a", "reset_password", user), ("b", "reset_password", user),
                                       ("c", "confirm_email", user), ("d", "reset_password", other)):
            await uow.tokens.add(OneTimeToken(token_hash=digest * 64, purpose=purpose, user_id=owner.id,
                                              expires_at=NOW, payload="new@example.ru" if digest == "c" else None))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.tokens.revoke_for_user(user.id, "reset_password", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        used = {d: (await uow.tokens.get(d * 64)).used_at for d in "abcd"}
        assert used == {"a": NOW, "b": NOW, "c": None, "d": None}
        assert (await uow.tokens.get("c" * 64)).payload == "new@example.ru"


async def test_sessions_are_deleted_except_the_kept_one(uow_factory):
    async with uow_factory() as uow:
        user, account = await _account(uow, "k@example.ru")
        for digest in "xyz":
            await uow.sessions.add(WebSession(token_hash=digest * 64, user_id=user.id, account_id=account.id,
                                              expires_at=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.sessions.delete_for_user(user.id, keep="y" * 64)
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.sessions.get(d * 64) is not None for d in "xyz"] == [False, True, False]


async def test_api_tokens_of_a_user_are_revoked_in_every_account(uow_factory):
    async with uow_factory() as uow:
        user, account = await _account(uow, "api@example.ru")
        other, other_account = await _account(uow, "keep@example.ru")
        mine = ApiToken(id=new_id(), account_id=account.id, user_id=user.id, name="t", prefix="stp_", token_hash="1" * 64)
        theirs = ApiToken(id=new_id(), account_id=other_account.id, user_id=other.id, name="t", prefix="stp_",
                          token_hash="2" * 64)
        await uow.api_tokens.add(mine)
        await uow.api_tokens.add(theirs)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.api_tokens.revoke_for_user(user.id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.api_tokens.by_hash("1" * 64)).revoked_at == NOW
        assert (await uow.api_tokens.by_hash("2" * 64)).revoked_at is None


async def test_a_session_is_read_with_its_user_and_every_membership_of_that_user_only(uow_factory):
    """`with_owner` (every signed-in page starts with it): the user's memberships oldest first, each with its
    account and its shop restriction; nobody else's membership; nothing for an unknown session."""
    async with uow_factory() as uow:
        user, own = await _account(uow, "two@example.ru")
        boss, shared = await _account(uow, "boss@example.ru")
        lonely = new_user("lonely@example.ru")
        await uow.users.add(lonely)
        await uow.commit()
    shop = new_id()
    async with uow_factory() as uow:  # a later transaction: joined after the own account
        await uow.memberships.add(Membership(id=new_id(), account_id=shared.id, user_id=user.id, role=Role.ANALYST,
                                             shop_ids=frozenset({shop})))
        await uow.sessions.add(WebSession(token_hash="s" * 64, user_id=user.id, account_id=shared.id,
                                          expires_at=NOW))
        await uow.sessions.add(WebSession(token_hash="l" * 64, user_id=lonely.id, account_id=None, expires_at=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.sessions.with_owner("s" * 64)
        assert found.session == await uow.sessions.get("s" * 64) and found.user.id == user.id
        assert [(m.account_id, m.role, m.shop_ids, a.id, a.name) for m, a in found.memberships] == [
            (own.id, Role.OWNER, None, own.id, own.name), (shared.id, Role.ANALYST, frozenset({shop}), shared.id,
                                                           shared.name)]
        assert all(m.user_id == user.id for m, _ in found.memberships)
        alone = await uow.sessions.with_owner("l" * 64)
        assert alone.user.id == lonely.id and alone.memberships == ()
        assert await uow.sessions.with_owner("n" * 64) is None
        assert boss.id not in {m.user_id for m, _ in found.memberships}
