"""Issue 19.6–19.9, 18.7 and 18.16: revocation, enumeration, weak passwords, throttling, e-mail change."""

from __future__ import annotations

import pytest

from stpulse.application.accounts import api_tokens, email_change, sessions
from stpulse.application.accounts import identity as accounts
from stpulse.domain.accounts.users import check_password
from stpulse.domain.kernel.errors import DomainError, PermissionDenied, TooManyAttempts, ValidationError
from tests.fakes import PlainHasher
from tests.unit.foundation.helpers import PASSWORD, actor_for

EMAIL = "owner@example.ru"


def _link_token(mailer, to: str) -> str:  # type: ignore[no-untyped-def]
    return mailer.last_link(to).rsplit("/", 1)[-1]


async def _sign_in(deps, email: str = EMAIL, password: str = PASSWORD) -> str:  # type: ignore[no-untyped-def]
    return (await accounts.login(deps, accounts.Login(email=email, password=password))).session_token


# 19.6 — sessions, reset links and API tokens do not outlive a password change


async def test_password_change_revokes_other_sessions_reset_links_and_api_tokens(deps, mailer):
    actor = await actor_for(deps, EMAIL)
    current, other = await _sign_in(deps), await _sign_in(deps)
    _, api_raw = await api_tokens.create_token(deps, actor, "Таблица")
    await accounts.request_password_reset(deps, EMAIL)
    old_link = _link_token(mailer, EMAIL)
    await accounts.change_password(deps, actor.user, PASSWORD, "fresh-horse-22", "fresh-horse-22",
                                   keep_session=current)
    assert await sessions.resolve_session(deps, current) is not None
    assert await sessions.resolve_session(deps, other) is None
    with pytest.raises(PermissionDenied):
        await api_tokens.actor_for_token(deps, api_raw)
    with pytest.raises(DomainError, match="недействительна|использована"):
        await accounts.reset_password(deps, old_link, "late-horse-33", "late-horse-33")


async def test_reset_revokes_older_reset_links_and_api_tokens(deps, mailer):
    actor = await actor_for(deps, EMAIL)
    _, api_raw = await api_tokens.create_token(deps, actor, "Таблица")
    await accounts.request_password_reset(deps, EMAIL)
    older = _link_token(mailer, EMAIL)
    await accounts.request_password_reset(deps, EMAIL)
    newer = _link_token(mailer, EMAIL)
    await accounts.reset_password(deps, newer, "fresh-horse-22", "fresh-horse-22")
    with pytest.raises(DomainError, match="недействительна|использована"):
        await accounts.reset_password(deps, older, "late-horse-33", "late-horse-33")
    with pytest.raises(PermissionDenied):
        await api_tokens.actor_for_token(deps, api_raw)


# 19.7 — user enumeration


async def test_registration_answers_the_same_for_a_taken_address_and_mails_its_owner(deps, mailer):
    await actor_for(deps, EMAIL)
    users_before = dict(deps.uow.store.users)  # type: ignore[attr-defined]
    mailer.sent.clear()
    result = await accounts.register(deps, accounts.Register(email=EMAIL.upper(), password="other-horse-44",
                                                             password_confirm="other-horse-44",
                                                             full_name="Чужой", consent=True))
    assert result is None
    assert deps.uow.store.users == users_before  # type: ignore[attr-defined]
    (to, subject, body), = mailer.sent
    assert to == EMAIL and "уже зарегистрирован" in body and "/auth/forgot" in body


class CountingHasher(PlainHasher):
    def __init__(self) -> None:
        self.verified: list[str] = []
        self.hashed = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return super().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        return super().verify(password_hash, password)


async def test_login_verifies_a_hash_for_unknown_addresses_too(deps):
    hasher = CountingHasher()
    object.__setattr__(deps, "hasher", hasher)
    await actor_for(deps, EMAIL)
    hasher.verified.clear()
    with pytest.raises(ValidationError):
        await accounts.login(deps, accounts.Login(email=EMAIL, password="wrong-horse-1"))
    with pytest.raises(ValidationError):
        await accounts.login(deps, accounts.Login(email="nobody@example.ru", password="wrong-horse-1"))
    assert len(hasher.verified) == 2 and all(h.startswith("plain$") for h in hasher.verified)


async def test_registration_hashes_a_password_for_a_taken_address_too(deps):
    hasher = CountingHasher()
    object.__setattr__(deps, "hasher", hasher)
    await actor_for(deps, EMAIL)
    before = hasher.hashed
    await accounts.register(deps, accounts.Register(email=EMAIL, password="other-horse-44",
                                                    password_confirm="other-horse-44", full_name="Чужой", consent=True))
    assert hasher.hashed == before + 1


# 19.8 — weak passwords


@pytest.mark.parametrize("weak", ["          ", "  short-1  ", "password123", "qwertyuiop1", "Password2024",
                                  "1234567890", "iloveyou12"])
def test_domain_refuses_short_and_common_passwords(weak):
    with pytest.raises(ValidationError) as info:
        check_password(weak)
    assert info.value.fields["password"][0].isupper() and not info.value.fields["password"].isascii()


@pytest.mark.parametrize("weak", ["password123", "qwertyuiop1", "aaaaaaaaaa1", "abcabcabc12"])
async def test_registration_refuses_guessable_passwords_next_to_the_field(deps, mailer, weak):
    with pytest.raises(ValidationError) as info:
        await accounts.register(deps, accounts.Register(email="new@example.ru", password=weak, password_confirm=weak,
                                                        full_name="Новый", consent=True))
    assert "password" in info.value.fields and mailer.sent == []


async def test_guessable_password_refused_on_change_and_reset(deps, mailer):
    actor = await actor_for(deps, EMAIL)
    with pytest.raises(ValidationError) as info:
        await accounts.change_password(deps, actor.user, PASSWORD, "aaaaaaaaaa1", "aaaaaaaaaa1")
    assert "new_password" in info.value.fields
    await accounts.request_password_reset(deps, EMAIL)
    with pytest.raises(ValidationError):
        await accounts.reset_password(deps, _link_token(mailer, EMAIL), "qwertyuiop1", "qwertyuiop1")


def test_strong_password_with_spaces_at_the_ends_is_fine():
    check_password("  correct-horse-1  ")


# 19.9 + 18.7 — throttling per account and per client address


async def test_one_persons_typos_do_not_lock_a_colleague_behind_the_same_address(deps):
    await actor_for(deps, EMAIL)
    await actor_for(deps, "colleague@example.ru")
    for _ in range(10):
        with pytest.raises(ValidationError):
            await accounts.login(deps, accounts.Login(email=EMAIL, password="wrong-horse-1", ip="10.0.0.1"))
    with pytest.raises(TooManyAttempts):
        await accounts.login(deps, accounts.Login(email=EMAIL, password=PASSWORD, ip="10.0.0.9"))
    assert await accounts.login(deps, accounts.Login(email="colleague@example.ru", password=PASSWORD, ip="10.0.0.1"))


async def test_failures_on_unknown_addresses_do_not_lock_a_real_user(deps):
    await actor_for(deps, EMAIL)
    for n in range(10):
        with pytest.raises(ValidationError):
            await accounts.login(deps, accounts.Login(email=f"ghost{n}@example.ru", password="x", ip="10.0.0.1"))
    assert await accounts.login(deps, accounts.Login(email=EMAIL, password=PASSWORD, ip="10.0.0.1"))


async def test_an_address_spraying_many_accounts_is_throttled(deps):
    await actor_for(deps, EMAIL)
    limit = deps.config.login_ip_max_failures
    for n in range(limit):
        with pytest.raises(ValidationError):
            await accounts.login(deps, accounts.Login(email=f"ghost{n}@example.ru", password="x", ip="10.0.0.1"))
    with pytest.raises(TooManyAttempts):
        await accounts.login(deps, accounts.Login(email=EMAIL, password=PASSWORD, ip="10.0.0.1"))
    assert await accounts.login(deps, accounts.Login(email=EMAIL, password=PASSWORD, ip="10.0.0.2"))


async def test_reset_mail_is_throttled_per_address_and_per_client(deps, mailer, clock):
    await actor_for(deps, EMAIL)
    mailer.sent.clear()
    sent = 0
    for _ in range(30):
        try:
            await accounts.request_password_reset(deps, EMAIL, ip="10.0.0.1")
            sent += 1
        except TooManyAttempts:
            pass
    assert len(mailer.sent) == sent == deps.config.reset_max_per_address
    for n in range(deps.config.reset_max_per_ip):
        try:
            await accounts.request_password_reset(deps, f"ghost{n}@example.ru", ip="10.0.0.2")
        except TooManyAttempts:
            pytest.fail("the per-client limit came too early")
    with pytest.raises(TooManyAttempts):
        await accounts.request_password_reset(deps, "one-more@example.ru", ip="10.0.0.2")
    clock.advance(minutes=deps.config.reset_window_minutes + 1)
    await accounts.request_password_reset(deps, EMAIL, ip="10.0.0.1")
    assert len(mailer.sent) == sent + 1


# 18.16 — e-mail change with confirmation of the new address


async def test_email_changes_only_when_the_new_address_confirms(deps, mailer):
    actor = await actor_for(deps, EMAIL)
    address = await email_change.request_email_change(deps, actor.user, " New@Example.ru ", PASSWORD)
    assert address == "new@example.ru"
    assert (await _user(deps, actor.user.id)).email == EMAIL
    token = _link_token(mailer, "new@example.ru")
    assert "/auth/email/" in mailer.last_link("new@example.ru")
    changed = await email_change.confirm_email_change(deps, token)
    assert changed.email == "new@example.ru" == (await _user(deps, actor.user.id)).email
    assert any(to == EMAIL and "new@example.ru" in body for to, _, body in mailer.sent)  # the old address is told
    with pytest.raises(DomainError, match="недействительна|использована"):
        await email_change.confirm_email_change(deps, token)
    assert await _sign_in(deps, "new@example.ru")


async def test_email_change_needs_the_password_and_a_free_valid_address(deps, mailer):
    actor = await actor_for(deps, EMAIL)
    await actor_for(deps, "taken@example.ru")
    with pytest.raises(ValidationError) as info:
        await email_change.request_email_change(deps, actor.user, "new@example.ru", "wrong-horse-1")
    assert "password" in info.value.fields
    for bad in ("not-an-email", EMAIL):
        with pytest.raises(ValidationError) as info:
            await email_change.request_email_change(deps, actor.user, bad, PASSWORD)
        assert "new_email" in info.value.fields
    mailer.sent.clear()
    await email_change.request_email_change(deps, actor.user, "taken@example.ru", PASSWORD)  # same answer
    (to, _, body), = mailer.sent
    assert to == "taken@example.ru" and "/auth/email/" not in body


async def test_only_the_latest_email_change_link_works(deps, mailer):
    actor = await actor_for(deps, EMAIL)
    await email_change.request_email_change(deps, actor.user, "first@example.ru", PASSWORD)
    first = _link_token(mailer, "first@example.ru")
    await email_change.request_email_change(deps, actor.user, "second@example.ru", PASSWORD)
    with pytest.raises(DomainError):
        await email_change.confirm_email_change(deps, first)
    await email_change.confirm_email_change(deps, _link_token(mailer, "second@example.ru"))
    assert (await _user(deps, actor.user.id)).email == "second@example.ru"


async def _user(deps, user_id):  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        return await uow.users.get(user_id)
