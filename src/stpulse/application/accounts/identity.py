"""Use cases of a person's own account: registration, e-mail confirmation, login, password."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.application.accounts.account_security import (
    check_login_throttle,
    check_new_password,
    count_reset_request,
    record_login_failure,
    revoke_credentials,
    verify_or_waste_time,
)
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import AccountsUnitOfWork, OneTimeToken, WebSession
from stpulse.application.accounts.teams import claim_invitation
from stpulse.application.kernel.deps import hash_token, new_id, new_token
from stpulse.domain.accounts.users import (
    CONSENT_VERSION,
    Account,
    Membership,
    Role,
    User,
    check_name,
    normalize_email,
)
from stpulse.domain.kernel.errors import Conflict, DomainError, NotFound, ValidationError

CONFIRM_TTL = dt.timedelta(days=3)
RESET_TTL = dt.timedelta(hours=1)


class Register(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    password_confirm: str
    full_name: str
    consent: bool
    invite_token: str = ""


class Login(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    ip: str = ""


class SignedIn(msgspec.Struct, frozen=True, kw_only=True):
    session_token: str
    user: User


def _validate_registration(deps: AccountsDeps, cmd: Register) -> tuple[str, str]:
    errors: dict[str, str] = {}
    for check in (
        lambda: normalize_email(cmd.email),
        lambda: check_name(cmd.full_name),
        lambda: check_new_password(deps, cmd.password, hints=[cmd.email, *cmd.email.split("@"), cmd.full_name]),
    ):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.fields)
    if cmd.password != cmd.password_confirm:
        errors["password_confirm"] = "Пароли не совпадают"  # noqa: S105 - a message, not a secret
    if not cmd.consent:
        errors["consent"] = "Без согласия на обработку персональных данных регистрация невозможна"
    if errors:
        raise ValidationError(errors)
    return normalize_email(cmd.email), check_name(cmd.full_name)


async def register(deps: AccountsDeps, cmd: Register) -> User | None:
    """The new user; None when the address was already registered — its owner gets a mail instead, and the
    caller answers exactly as for a new one, so nobody learns which addresses are registered."""
    email, name = _validate_registration(deps, cmd)
    now = deps.clock.now()
    password_hash = deps.hasher.hash(cmd.password)  # both ways, so both take the same time
    async with deps.uow() as uow:
        if await uow.users.by_email(email):
            await _tell_already_registered(deps, email)
            return None
        user = User(id=new_id(), email=email, full_name=name, password_hash=password_hash,
                    consent_at=now, consent_version=CONSENT_VERSION, created_at=now,
                    email_confirmed_at=now if cmd.invite_token else None)  # an invite link proves the mailbox
        await uow.users.add(user)
        if cmd.invite_token:
            await claim_invitation(uow, cmd.invite_token, user, now)
            await uow.commit()
            return user
        account = Account(id=new_id(), name=name, owner_id=user.id)
        await uow.accounts.add(account)
        await uow.memberships.add(Membership(id=new_id(), account_id=account.id, user_id=user.id, role=Role.OWNER))
        raw = await _issue_token(uow, "confirm_email", user, now + CONFIRM_TTL)
        await uow.commit()
    link = f"{deps.config.base_url}/auth/confirm/{raw}"
    await deps.mailer.send(email, "Подтвердите почту в STPulse",
                           f"Здравствуйте, {name}!\n\nЧтобы подтвердить адрес почты, откройте ссылку:\n{link}\n\n"
                           "Если вы не регистрировались в STPulse, просто проигнорируйте это письмо.")
    return user


async def register_new(deps: AccountsDeps, cmd: Register) -> User:
    """For the CLI, the demo, benches and tests, which know the address is new: a taken one is an error here."""
    user = await register(deps, cmd)
    if user is None:
        raise Conflict("Пользователь с такой почтой уже зарегистрирован")
    return user


async def _tell_already_registered(deps: AccountsDeps, email: str) -> None:
    base = deps.config.base_url
    await deps.mailer.send(email, "Попытка регистрации в STPulse",
                           "Кто-то (возможно, вы) пытался зарегистрироваться в STPulse с этим адресом, но он уже "
                           f"зарегистрирован.\n\nВойти: {base}/auth/login\nЗабыли пароль? {base}/auth/forgot\n\n"
                           "Если это были не вы, просто проигнорируйте письмо.")


async def _issue_token(uow: AccountsUnitOfWork, purpose: str, user: User, expires: dt.datetime, payload: str | None = None) -> str:
    raw, digest = new_token()
    await uow.tokens.add(OneTimeToken(token_hash=digest, purpose=purpose, user_id=user.id, expires_at=expires,
                                      payload=payload))
    return raw


async def _use_token(uow: AccountsUnitOfWork, raw: str, purpose: str, now: dt.datetime) -> OneTimeToken:
    token = await uow.tokens.get(hash_token(raw))
    if token is None or token.purpose != purpose or token.expires_at < now or token.used_at is not None:
        raise DomainError("Ссылка недействительна или устарела. Запросите новую.")
    if not await uow.tokens.mark_used(token.token_hash, now):
        raise DomainError("Ссылка уже использована. Запросите новую.")
    return token


async def confirm_email(deps: AccountsDeps, raw_token: str) -> User:
    now = deps.clock.now()
    async with deps.uow() as uow:
        token = await _use_token(uow, raw_token, "confirm_email", now)
        user = await uow.users.get(token.user_id) if token.user_id else None
        if user is None:
            raise NotFound("Пользователь не найден")
        user = msgspec.structs.replace(user, email_confirmed_at=user.email_confirmed_at or now)
        await uow.users.update(user)
        await uow.commit()
    return user


async def login(deps: AccountsDeps, cmd: Login) -> SignedIn:
    now = deps.clock.now()
    email = (cmd.email or "").strip().lower()
    async with deps.uow() as uow:
        await check_login_throttle(deps, uow, email, cmd.ip, now)
        user = await uow.users.by_email(email)
        if not verify_or_waste_time(deps, user.password_hash if user else None, cmd.password or "") or user is None:
            await record_login_failure(uow, email, cmd.ip, now)
            await uow.commit()
            raise ValidationError({"password": "Неверная почта или пароль"})
        _check_can_sign_in(user)
        await uow.login_attempts.clear(f"email:{email}")
        token = await _open_session(deps, uow, user, now)
        await uow.commit()
    return SignedIn(session_token=token, user=user)


def _check_can_sign_in(user: User) -> None:
    if user.is_blocked:
        raise DomainError("Учётная запись заблокирована. Напишите в поддержку.")
    if not user.confirmed:
        raise DomainError("Подтвердите почту: мы отправили письмо со ссылкой при регистрации.")


async def _open_session(deps: AccountsDeps, uow: AccountsUnitOfWork, user: User, now: dt.datetime) -> str:
    memberships = await uow.memberships.for_user(user.id)
    account_id = memberships[0].account_id if memberships else None
    raw, digest = new_token()
    expires = now + dt.timedelta(days=deps.config.session_days)
    await uow.sessions.add(WebSession(token_hash=digest, user_id=user.id, account_id=account_id, expires_at=expires))
    return raw


async def logout(deps: AccountsDeps, raw_session: str) -> None:
    async with deps.uow() as uow:
        await uow.sessions.delete(hash_token(raw_session))
        await uow.commit()


async def request_password_reset(deps: AccountsDeps, email: str, ip: str = "") -> None:
    """Always answers the same way, so nobody can probe which addresses are registered; TooManyAttempts when the
    address or the client asked too often (counted for any address)."""
    now = deps.clock.now()
    try:
        address = normalize_email(email)
    except ValidationError:
        return
    async with deps.uow() as uow:
        await count_reset_request(deps, uow, address, ip, now)
        await uow.commit()
        user = await uow.users.by_email(address)
        if user is None or user.is_blocked:
            return
        raw = await _issue_token(uow, "reset_password", user, now + RESET_TTL)
        await uow.commit()
    link = f"{deps.config.base_url}/auth/reset/{raw}"
    await deps.mailer.send(address, "Восстановление пароля STPulse",
                           f"Чтобы задать новый пароль, откройте ссылку (действует 1 час, один раз):\n{link}\n\n"
                           "Если вы не запрашивали восстановление, проигнорируйте письмо.")


async def reset_password(deps: AccountsDeps, raw_token: str, password: str, password_confirm: str) -> None:
    check_new_password(deps, password)
    if password != password_confirm:
        raise ValidationError({"password_confirm": "Пароли не совпадают"})
    now = deps.clock.now()
    async with deps.uow() as uow:
        token = await _use_token(uow, raw_token, "reset_password", now)
        user = await uow.users.get(token.user_id) if token.user_id else None
        if user is None:
            raise NotFound("Пользователь не найден")
        confirmed = user.email_confirmed_at or now  # the link proves the mailbox
        await uow.users.update(msgspec.structs.replace(user, password_hash=deps.hasher.hash(password),
                                                       email_confirmed_at=confirmed))
        await revoke_credentials(uow, user.id, now)  # every session too: whoever knew the old password is out
        await uow.commit()


async def change_password(deps: AccountsDeps, user: User, old: str, new: str, new_confirm: str,
                          keep_session: str = "") -> None:
    """The new password; every other session, unused reset link and API token is revoked (`keep_session`: the
    raw cookie of the browser that made the change, which stays signed in)."""
    if not deps.hasher.verify(user.password_hash, old or ""):
        raise ValidationError({"old_password": "Текущий пароль указан неверно"})
    check_new_password(deps, new, "new_password", hints=[user.email, *user.email.split("@"), user.full_name])
    if new != new_confirm:
        raise ValidationError({"new_password_confirm": "Пароли не совпадают"})
    async with deps.uow() as uow:
        await uow.users.update(msgspec.structs.replace(user, password_hash=deps.hasher.hash(new)))
        await revoke_credentials(uow, user.id, deps.clock.now(), keep_session=hash_token(keep_session))
        await uow.commit()


async def update_profile(deps: AccountsDeps, user: User, full_name: str, phone: str) -> User:
    name = check_name(full_name)
    phone = (phone or "").strip()
    if phone and (len(phone) > 20 or not phone.replace("+", "").replace(" ", "").replace("-", "").isdigit()):
        raise ValidationError({"phone": "Телефон: цифры, пробелы, «+» и «-», до 20 символов"})
    updated = msgspec.structs.replace(user, full_name=name, phone=phone)
    async with deps.uow() as uow:
        await uow.users.update(updated)
        await uow.commit()
    return updated
