"""Changing a user's e-mail: the new address confirms by a single-use link; until then the old one stays."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.identity import _issue_token, _use_token
from stpulse.domain.accounts.users import User, normalize_email
from stpulse.domain.kernel.errors import Conflict, NotFound, ValidationError

PURPOSE = "change_email"
CHANGE_TTL = dt.timedelta(days=1)


def _new_address(user: User, raw: str) -> str:
    try:
        address = normalize_email(raw)
    except ValidationError as exc:
        raise ValidationError({"new_email": exc.fields["email"]}) from exc
    if address == user.email:
        raise ValidationError({"new_email": "Это ваш текущий адрес"})
    return address


async def request_email_change(deps: AccountsDeps, user: User, new_email: str, password: str) -> str:
    """Sends the link to the new address and returns it. An address taken by someone else gets a notice instead
    of the link, and the caller answers the same, so the form does not tell who is registered."""
    address = _new_address(user, new_email)
    if not deps.hasher.verify(user.password_hash, password or ""):
        raise ValidationError({"password": "Пароль указан неверно"})  # noqa: S106 - a message, not a secret
    now = deps.clock.now()
    async with deps.uow() as uow:
        taken = await uow.users.by_email(address) is not None
        await uow.tokens.revoke_for_user(user.id, PURPOSE, now)  # only the latest request's link works
        raw = "" if taken else await _issue_token(uow, PURPOSE, user, now + CHANGE_TTL, payload=address)
        await uow.commit()
    if taken:
        await deps.mailer.send(address, "Смена почты в STPulse",
                               "Кто-то попросил перенести на этот адрес другую учётную запись STPulse, но с ним уже "
                               "зарегистрирована учётная запись. Если это были не вы, проигнорируйте письмо.")
        return address
    await deps.mailer.send(address, "Подтвердите новую почту в STPulse",
                           f"Здравствуйте, {user.full_name}!\n\nЧтобы сделать этот адрес почтой для входа в STPulse, "
                           f"откройте ссылку (действует сутки, один раз):\n{deps.config.base_url}/auth/email/{raw}\n\n"
                           "Если вы не меняли почту, проигнорируйте письмо — адрес останется прежним.")
    return address


async def confirm_email_change(deps: AccountsDeps, raw_token: str) -> User:
    now = deps.clock.now()
    async with deps.uow() as uow:
        token = await _use_token(uow, raw_token, PURPOSE, now)
        user = await uow.users.get(token.user_id) if token.user_id else None
        if user is None or not token.payload:
            raise NotFound("Пользователь не найден")
        if await uow.users.by_email(token.payload) is not None:
            raise Conflict("Этот адрес уже занят другой учётной записью.")
        old = user.email
        user = msgspec.structs.replace(user, email=token.payload, email_confirmed_at=now)
        await uow.users.update(user)
        await uow.commit()
    await deps.mailer.send(old, "Почта в STPulse изменена",
                           f"Адрес для входа в STPulse изменён на {user.email}. Если это сделали не вы, сразу "
                           "напишите в поддержку.")
    return user

