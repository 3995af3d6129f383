"""The admin area: users with search and blocking."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.deps import AccountsDeps
from stpulse.domain.accounts.users import User
from stpulse.domain.kernel.errors import DomainError, NotFound, PermissionDenied

PAGE_SIZE = 25


class UserPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[User]
    total: int
    page: int
    pages: int
    query: str


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("Раздел доступен только администраторам")


async def list_users(deps: AccountsDeps, admin: User, query: str = "", page: int = 1) -> UserPage:
    require_admin(admin)
    page = max(page, 1)
    async with deps.uow() as uow:
        items, total = await uow.users.search(query.strip()[:100], (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return UserPage(items=items, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)), query=query)


async def set_blocked(deps: AccountsDeps, admin: User, user_id: uuid.UUID, blocked: bool, reason: str = "") -> User:
    require_admin(admin)
    if user_id == admin.id:
        raise DomainError("Нельзя заблокировать самого себя")
    now = deps.clock.now()
    async with deps.uow() as uow:
        user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("Пользователь не найден")
        user = msgspec.structs.replace(user, is_blocked=blocked)
        await uow.users.update(user)
        if blocked:
            await uow.sessions.delete_for_user(user_id)
        action = "user.block" if blocked else "user.unblock"
        await uow.audit.record(admin.id, action, f"user:{user_id}", reason.strip()[:500], now)
        await uow.commit()
    return user


async def make_admin(deps: AccountsDeps, email: str, password: str, full_name: str = "Администратор") -> User:
    """Create (or promote) a system administrator — used by `stpulse createadmin`."""
    from stpulse.application.accounts.identity import Register, register_new

    async with deps.uow() as uow:
        existing = await uow.users.by_email(email.strip().lower())
    if existing is None:
        existing = await register_new(deps, Register(email=email, password=password, password_confirm=password,
                                                 full_name=full_name, consent=True))
    return await confirm_user(deps, existing.id, admin=True)


async def confirm_user(deps: AccountsDeps, user_id: uuid.UUID, admin: bool = False) -> User:
    """An operator vouches for the address (no mail round trip); `admin` also makes the user an administrator."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        fresh = await uow.users.get(user_id)
        if fresh is None:
            raise NotFound("Пользователь не найден")
        user = msgspec.structs.replace(fresh, is_admin=fresh.is_admin or admin,
                                       email_confirmed_at=fresh.email_confirmed_at or now)
        await uow.users.update(user)
        await uow.commit()
    return user
