"""Team members: invitations by e-mail with a role and per-shop access."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import AccountsUnitOfWork, OneTimeToken
from stpulse.application.billing.policy import require_feature
from stpulse.application.kernel.deps import hash_token, new_id, new_token
from stpulse.domain.accounts.users import Invitation, Membership, Permission, Role, User, normalize_email
from stpulse.domain.billing.tariffs import FEATURE_MULTI_USER
from stpulse.domain.kernel.errors import Conflict, DomainError, NotFound, ValidationError

INVITE_TTL = dt.timedelta(days=7)


class Invite(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    role: str
    shop_ids: list[uuid.UUID] | None = None


class TeamMember(msgspec.Struct, frozen=True, kw_only=True):
    membership: Membership
    user: User


class Team(msgspec.Struct, frozen=True, kw_only=True):
    members: list[TeamMember]
    invitations: list[Invitation]


def _role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise ValidationError({"role": "Выберите роль из списка"}) from None


async def _own_shop_ids(uow: AccountsUnitOfWork, actor: Actor, shop_ids: list[uuid.UUID] | None) -> frozenset[uuid.UUID] | None:
    if not shop_ids:
        return None
    own = {shop.id for shop in await uow.shops.for_account(actor.account_id)}
    if not set(shop_ids) <= own:
        raise ValidationError({"shop_ids": "Выберите магазины из списка"})
    return frozenset(shop_ids)


async def invite_member(deps: AccountsDeps, actor: Actor, cmd: Invite) -> Invitation:
    actor.membership.require(Permission.MANAGE_TEAM)
    email, role = normalize_email(cmd.email), _role(cmd.role)
    if role is Role.OWNER:
        raise ValidationError({"role": "Владелец у аккаунта один; выберите другую роль"})
    now = deps.clock.now()
    async with deps.uow() as uow:
        await require_feature(uow, actor.account_id, now, FEATURE_MULTI_USER, write=True)
        for member in await uow.memberships.for_account(actor.account_id):
            user = await uow.users.get(member.user_id)
            if user and user.email == email:
                raise Conflict("Этот человек уже в команде")
        shops = await _own_shop_ids(uow, actor, cmd.shop_ids)
        invitation = Invitation(id=new_id(), account_id=actor.account_id, email=email, role=role, shop_ids=shops,
                                invited_by=actor.user.id, expires_at=now + INVITE_TTL)
        await uow.invitations.add(invitation)
        await uow.audit.record(actor.user.id, "team.invite", str(invitation.id), f"{email}, роль «{role.label}»", now,
                               account_id=actor.account_id)
        raw, digest = new_token()
        await uow.tokens.add(OneTimeToken(token_hash=digest, purpose="invite", user_id=None,
                                          expires_at=invitation.expires_at, subject_id=invitation.id))
        await uow.commit()
    link = f"{deps.config.base_url}/invite/{raw}"
    await deps.mailer.send(email, f"Приглашение в команду «{actor.account.name}» в STPulse",
                           f"{actor.user.full_name} приглашает вас в STPulse с ролью «{role.label}».\n\n"
                           f"Чтобы принять приглашение, откройте ссылку (действует 7 дней):\n{link}\n")
    return invitation


async def invitation_for_token(deps: AccountsDeps, raw: str) -> Invitation:
    async with deps.uow() as uow:
        return await _pending(uow, raw, deps.clock.now())


async def _pending(uow: AccountsUnitOfWork, raw: str, now: dt.datetime) -> Invitation:
    token = await uow.tokens.get(hash_token(raw))
    invitation = await uow.invitations.get(token.subject_id) if token and token.subject_id else None
    if token is None or token.purpose != "invite" or invitation is None or token.used_at or token.expires_at < now:
        raise DomainError("Приглашение недействительно или устарело. Попросите владельца прислать новое.")
    return invitation


async def claim_invitation(uow: AccountsUnitOfWork, raw: str, user: User, now: dt.datetime) -> Membership:
    invitation = await _pending(uow, raw, now)
    if invitation.email != user.email:
        raise DomainError("Приглашение отправлено на другой адрес почты. Войдите под ним.")
    await require_feature(uow, invitation.account_id, now, FEATURE_MULTI_USER, write=True)
    if not await uow.tokens.mark_used(hash_token(raw), now):
        raise DomainError("Приглашение уже принято")
    existing = [m for m in await uow.memberships.for_user(user.id) if m.account_id == invitation.account_id]
    if existing:
        return existing[0]
    membership = Membership(id=new_id(), account_id=invitation.account_id, user_id=user.id,
                            role=invitation.role, shop_ids=invitation.shop_ids)
    await uow.memberships.add(membership)
    await uow.invitations.update(msgspec.structs.replace(invitation, accepted_at=now))
    await uow.audit.record(user.id, "team.join", str(membership.id), f"{user.email}, роль «{membership.role.label}»",
                           now, account_id=invitation.account_id)
    return membership


async def accept_invitation(deps: AccountsDeps, raw: str, user: User) -> Membership:
    async with deps.uow() as uow:
        membership = await claim_invitation(uow, raw, user, deps.clock.now())
        await uow.commit()
    return membership


async def list_team(deps: AccountsDeps, actor: Actor) -> Team:
    async with deps.uow() as uow:
        members = []
        for membership in await uow.memberships.for_account(actor.account_id):
            user = await uow.users.get(membership.user_id)
            if user:
                members.append(TeamMember(membership=membership, user=user))
        invitations = await uow.invitations.pending_for_account(actor.account_id)
    return Team(members=members, invitations=invitations)


async def _member(uow: AccountsUnitOfWork, actor: Actor, membership_id: uuid.UUID) -> Membership:
    for membership in await uow.memberships.for_account(actor.account_id):
        if membership.id == membership_id:
            return membership
    raise NotFound("Участник не найден")


async def _who(uow: AccountsUnitOfWork, member: Membership) -> str:
    user = await uow.users.get(member.user_id)
    return user.email if user else str(member.user_id)


async def change_member(deps: AccountsDeps, actor: Actor, membership_id: uuid.UUID, role: str,
                        shop_ids: list[uuid.UUID] | None) -> Membership:
    actor.membership.require(Permission.MANAGE_TEAM)
    async with deps.uow() as uow:
        member = await _member(uow, actor, membership_id)  # another account's member is 404 before any validation
        await require_feature(uow, actor.account_id, deps.clock.now(), FEATURE_MULTI_USER, write=True)
        new_role = _role(role)
        if member.role is Role.OWNER or new_role is Role.OWNER:
            raise DomainError("Роль владельца не меняется")
        updated = msgspec.structs.replace(member, role=new_role, shop_ids=await _own_shop_ids(uow, actor, shop_ids))
        await uow.memberships.update(updated)
        await uow.audit.record(actor.user.id, "team.change", str(member.id), await _who(uow, member) +
                               f", роль «{new_role.label}»" + (", доступ к части магазинов" if updated.shop_ids else ""),
                               deps.clock.now(), account_id=actor.account_id)
        await uow.commit()
    return updated


async def remove_member(deps: AccountsDeps, actor: Actor, membership_id: uuid.UUID) -> None:
    actor.membership.require(Permission.MANAGE_TEAM)
    async with deps.uow() as uow:
        member = await _member(uow, actor, membership_id)
        if member.role is Role.OWNER:
            raise DomainError("Владельца нельзя удалить из команды")
        await uow.memberships.delete(member.id)
        await uow.audit.record(actor.user.id, "team.remove", str(member.id), await _who(uow, member), deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()


async def revoke_invitation(deps: AccountsDeps, actor: Actor, invitation_id: uuid.UUID) -> None:
    actor.membership.require(Permission.MANAGE_TEAM)
    async with deps.uow() as uow:
        invitation = await uow.invitations.get(invitation_id)
        if invitation is None or invitation.account_id != actor.account_id:
            raise NotFound("Приглашение не найдено")
        await uow.invitations.delete(invitation_id)
        await uow.audit.record(actor.user.id, "team.invite_revoke", str(invitation_id), invitation.email,
                               deps.clock.now(), account_id=actor.account_id)
        await uow.commit()
