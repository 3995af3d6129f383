"""Registration, confirmation, login throttling and password reset — through the real services with fakes."""

from __future__ import annotations

import pytest

from stpulse.application.accounts import identity as accounts
from stpulse.application.accounts import sessions
from stpulse.domain.kernel.errors import DomainError, TooManyAttempts, ValidationError

GOOD = dict(email="Seller@Example.ru", password="correct-horse-1", password_confirm="correct-horse-1",
            full_name="Иван Продавцов", consent=True)


async def _registered(deps, mailer):
    user = await accounts.register(deps, accounts.Register(**GOOD))
    token = mailer.last_link(user.email).rsplit("/", 1)[-1]
    await accounts.confirm_email(deps, token)
    return user


async def test_register_stores_consent_and_sends_confirmation(deps, mailer, clock):
    user = await accounts.register(deps, accounts.Register(**GOOD))
    assert user.email == "seller@example.ru"
    assert user.consent_at == clock.now() and user.consent_version
    assert mailer.sent[0][0] == "seller@example.ru" and "/auth/confirm/" in mailer.sent[0][2]
    with pytest.raises(DomainError, match="Подтвердите почту"):
        await accounts.login(deps, accounts.Login(email=GOOD["email"], password=GOOD["password"]))


@pytest.mark.parametrize("field,value,error_field", [
    ("email", "not-an-email", "email"),
    ("password", "short", "password"),
    ("password", "onlyletterslong", "password"),
    ("full_name", "   ", "full_name"),
    ("consent", False, "consent"),
    ("password_confirm", "other-pass-12", "password_confirm"),
])
async def test_bad_registration_writes_nothing(deps, mailer, field, value, error_field):
    with pytest.raises(ValidationError) as info:
        await accounts.register(deps, accounts.Register(**{**GOOD, field: value}))
    assert error_field in info.value.fields
    assert all(ch.isascii() is False for ch in info.value.fields[error_field][:1])  # Russian text
    assert deps.uow.store.users == {} and mailer.sent == []  # type: ignore[attr-defined]


async def test_duplicate_email_creates_nothing(deps, mailer):
    """Refused silently: the page answers as for a new address (issue 19.7, see test_auth_hardening)."""
    await accounts.register(deps, accounts.Register(**GOOD))
    assert await accounts.register(deps, accounts.Register(**GOOD)) is None
    assert len(deps.uow.store.users) == 1  # type: ignore[attr-defined]


async def test_login_opens_a_fresh_session_each_time(deps, mailer):
    await _registered(deps, mailer)
    first = await accounts.login(deps, accounts.Login(email=GOOD["email"], password=GOOD["password"]))
    second = await accounts.login(deps, accounts.Login(email=GOOD["email"], password=GOOD["password"]))
    assert first.session_token != second.session_token
    visitor = await sessions.resolve_session(deps, second.session_token)
    assert visitor and visitor.actor and visitor.actor.membership.role.value == "owner"


async def test_ten_wrong_passwords_throttle_even_the_right_one(deps, mailer, clock):
    await _registered(deps, mailer)
    for _ in range(10):
        with pytest.raises(ValidationError):
            await accounts.login(deps, accounts.Login(email=GOOD["email"], password="wrong-password-1", ip="1.2.3.4"))
    with pytest.raises(TooManyAttempts):
        await accounts.login(deps, accounts.Login(email=GOOD["email"], password=GOOD["password"], ip="5.6.7.8"))
    clock.advance(minutes=16)
    assert await accounts.login(deps, accounts.Login(email=GOOD["email"], password=GOOD["password"]))


async def test_reset_token_works_once_and_expires(deps, mailer, clock):
    await _registered(deps, mailer)
    await accounts.request_password_reset(deps, GOOD["email"])
    token = mailer.last_link("seller@example.ru").rsplit("/", 1)[-1]
    await accounts.reset_password(deps, token, "brand-new-pass-2", "brand-new-pass-2")
    with pytest.raises(DomainError, match="недействительна|использована"):
        await accounts.reset_password(deps, token, "other-new-pass-3", "other-new-pass-3")
    assert await accounts.login(deps, accounts.Login(email=GOOD["email"], password="brand-new-pass-2"))
    await accounts.request_password_reset(deps, GOOD["email"])
    late = mailer.last_link("seller@example.ru").rsplit("/", 1)[-1]
    clock.advance(hours=1, seconds=1)
    with pytest.raises(DomainError):
        await accounts.reset_password(deps, late, "late-new-pass-4", "late-new-pass-4")


async def test_reset_for_unknown_email_is_silent(deps, mailer):
    await accounts.request_password_reset(deps, "nobody@example.ru")
    assert mailer.sent == []


async def test_reset_signs_out_every_session(deps, mailer):
    await _registered(deps, mailer)
    signed = await accounts.login(deps, accounts.Login(email=GOOD["email"], password=GOOD["password"]))
    await accounts.request_password_reset(deps, GOOD["email"])
    token = mailer.last_link("seller@example.ru").rsplit("/", 1)[-1]
    await accounts.reset_password(deps, token, "brand-new-pass-2", "brand-new-pass-2")
    assert await sessions.resolve_session(deps, signed.session_token) is None
