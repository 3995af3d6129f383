"""What keeps accounts safe around the account use cases: password strength, revocation, throttling, even timing."""

from __future__ import annotations

import datetime as dt
import uuid
import weakref
from collections.abc import Sequence

from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import AccountsUnitOfWork
from stpulse.application.kernel.ports import PasswordHasher
from stpulse.domain.accounts.users import check_password
from stpulse.domain.kernel.errors import TooManyAttempts, ValidationError

MIN_STRENGTH = 2  # zxcvbn: 0–1 fall to an online guess within hours; 2 needs about 10^8 guesses
RESET_PURPOSE = "reset_password"


def check_new_password(deps: AccountsDeps, password: str, field: str = "password", hints: Sequence[str] = ()) -> None:
    """The domain's rules (length, common list), then how guessable it is — with the user's own name and address."""
    check_password(password, field)
    meter = deps.password_strength
    if meter is not None and meter.score(password, [*hints, "stpulse", "ozon"]) < MIN_STRENGTH:
        raise ValidationError({field: "Пароль легко подобрать. Добавьте ещё одно-два редких слова или символы; "
                                      "не используйте имя, почту, даты и ряды клавиш"})


async def revoke_credentials(uow: AccountsUnitOfWork, user_id: uuid.UUID, now: dt.datetime, keep_session: str = "") -> None:
    """After a password change or reset nothing issued under the old password stays valid: other sessions,
    unused reset links and API tokens."""
    await uow.sessions.delete_for_user(user_id, keep=keep_session)
    await uow.tokens.revoke_for_user(user_id, RESET_PURPOSE, now)
    await uow.api_tokens.revoke_for_user(user_id, now)


_DUMMY_HASHES: weakref.WeakKeyDictionary[PasswordHasher, str] = weakref.WeakKeyDictionary()


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A real hash of this hasher's kind (made once), so verifying against it costs what a real check costs."""
    if hasher not in _DUMMY_HASHES:
        _DUMMY_HASHES[hasher] = hasher.hash("a password nobody has: it only spends the time of a real check")
    return _DUMMY_HASHES[hasher]


def verify_or_waste_time(deps: AccountsDeps, password_hash: str | None, password: str) -> bool:
    """A login for an unknown address costs one hash verification too, so timing does not tell who is registered."""
    if password_hash is None:
        deps.hasher.verify(_dummy_hash(deps.hasher), password)
        return False
    return deps.hasher.verify(password_hash, password)


def login_keys(email: str, ip: str) -> tuple[str, str]:
    return f"email:{email}", (f"ip:{ip}" if ip else "")


async def check_login_throttle(deps: AccountsDeps, uow: AccountsUnitOfWork, email: str, ip: str, now: dt.datetime) -> None:
    """One account's limit and a much higher one per client address, so a colleague's typos behind the same
    NAT lock only that colleague's account."""
    cfg = deps.config
    since = now - dt.timedelta(minutes=cfg.login_window_minutes)
    account_key, ip_key = login_keys(email, ip)
    over = await uow.login_attempts.failures_since(account_key, since) >= cfg.login_max_failures
    if ip_key and not over:
        over = await uow.login_attempts.failures_since(ip_key, since) >= cfg.login_ip_max_failures
    if over:
        raise TooManyAttempts(f"Слишком много неудачных попыток входа. Подождите {cfg.login_window_minutes} минут "
                              "или восстановите пароль.")


async def record_login_failure(uow: AccountsUnitOfWork, email: str, ip: str, now: dt.datetime) -> None:
    for key in login_keys(email, ip):
        if key:
            await uow.login_attempts.record_failure(key, now)


async def count_reset_request(deps: AccountsDeps, uow: AccountsUnitOfWork, address: str, ip: str, now: dt.datetime) -> None:
    """Reset mail is limited per address and per client address; every request counts, known address or not,
    so the refusal tells nothing about who is registered."""
    cfg = deps.config
    since = now - dt.timedelta(minutes=cfg.reset_window_minutes)
    limits = [(f"reset:email:{address}", cfg.reset_max_per_address)]
    limits += [(f"reset:ip:{ip}", cfg.reset_max_per_ip)] if ip else []
    for key, limit in limits:
        if await uow.login_attempts.failures_since(key, since) >= limit:
            raise TooManyAttempts("Слишком много запросов на восстановление пароля. "
                                  f"Попробуйте через {cfg.reset_window_minutes} минут.")
    for key, _ in limits:
        await uow.login_attempts.record_failure(key, now)
